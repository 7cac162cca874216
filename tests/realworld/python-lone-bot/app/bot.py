#!/usr/bin/env python3
"""A tiny chat bot. Without BOT_TOKEN it answers a canned conversation and exits."""
import os
import sys

REPLIES = {
    "ping": "pong",
    "time": "it is always bot o'clock",
    "help": "commands: ping, time, help",
}


def reply(message: str) -> str:
    return REPLIES.get(message.strip().lower(), "unknown command, try help")


def main() -> int:
    if os.environ.get("BOT_TOKEN"):
        print("connecting with BOT_TOKEN is not part of this demo", file=sys.stderr)
        return 2
    for message in ("ping", "help"):
        print(f"> {message}\n< {reply(message)}")
    print("bot: dry run done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
