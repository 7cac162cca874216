import unittest

import fastsum


class FastsumTest(unittest.TestCase):
    def test_sum_squares(self) -> None:
        self.assertEqual(fastsum.sum_squares(10), 385)
        self.assertEqual(fastsum.sum_squares(0), 0)

    def test_is_compiled(self) -> None:
        self.assertTrue(fastsum.__file__.endswith(".so"))


if __name__ == "__main__":
    unittest.main()
