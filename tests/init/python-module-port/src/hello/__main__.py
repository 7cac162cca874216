import os

from bottle import Bottle, run

app = Bottle()

if __name__ == "__main__":
    run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
