import os

from waitress import serve


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hi\n"]


def main():
    serve(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
