import unittest

import worker


class WorkerTest(unittest.TestCase):
    def test_has_a_handler(self):
        self.assertTrue(hasattr(worker.Handler, "do_GET"))


if __name__ == "__main__":
    unittest.main()
