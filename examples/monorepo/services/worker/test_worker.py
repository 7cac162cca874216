import unittest

import worker


class WorkerTest(unittest.TestCase):
    def test_has_a_handler(self):
        self.assertTrue(hasattr(worker.Handler, "do_GET"))

    def test_greets_with_the_shared_library(self):
        self.assertEqual(worker.greeting("worker"), "hello from worker (monorepo, libs/shared)")


if __name__ == "__main__":
    unittest.main()
