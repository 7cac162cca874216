"""Drain the job queue once and exit (run on a schedule)."""
import json
import os
from pathlib import Path

import requests

QUEUE = Path(os.environ.get("QUEUE_FILE", Path(__file__).with_name("jobs.json")))


def handle(job):
    return f"{job['kind']}:{job['id']}"


def main():
    jobs = json.loads(QUEUE.read_text())
    done = [handle(job) for job in jobs]
    print(f"worker processed {len(done)} jobs: {', '.join(done)}")
    if os.environ.get("WEBHOOK_URL"):
        requests.post(os.environ["WEBHOOK_URL"], json={"done": done}, timeout=10)


if __name__ == "__main__":
    main()
