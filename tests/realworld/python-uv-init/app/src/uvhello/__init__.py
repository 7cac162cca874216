def main() -> None:
    print("Hello from uvhello!")
