import os
import random
from importlib import resources

from waitress import serve

QUOTES = resources.files("quotes").joinpath("quotes.txt").read_text().splitlines()


def app(environ, start_response):
    body = f"quote of the moment: {random.choice(QUOTES)}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def main():
    serve(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
