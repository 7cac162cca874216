"""python-cext: a program whose dependency is a C extension compiled from source."""

import fastsum


def main() -> None:
    total = fastsum.sum_squares(10)
    print(f"hello from python-cext: 1^2 + ... + 10^2 = {total}, computed by {fastsum.__file__}")


if __name__ == "__main__":
    main()
