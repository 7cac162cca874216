# SPDX-FileCopyrightText: 2026-present Example Author <author@example.com>
#
# SPDX-License-Identifier: MIT
import os

from bottle import Bottle, run

from hatchapp.__about__ import __version__

app = Bottle()


@app.get("/")
def index():
    return f"hatchapp {__version__} says hi\n"


def main():
    run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8000")), quiet=True)


if __name__ == "__main__":
    main()
