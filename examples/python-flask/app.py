"""python-flask: a small Flask service, served by gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return "hello from python-flask\n"


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
