"""python-fastapi-uv: a FastAPI service, served by uvicorn."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(title="fastapi-uv")


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return "hello from python-fastapi-uv\n"


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
