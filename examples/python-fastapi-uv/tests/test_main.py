from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_index() -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "hello from python-fastapi-uv" in response.text


def test_health() -> None:
    assert client.get("/health").json() == {"status": "ok"}
