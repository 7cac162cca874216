from app import app


def test_index() -> None:
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert b"hello from python-flask" in response.data


def test_health() -> None:
    assert app.test_client().get("/health").get_json() == {"status": "ok"}
