import fastapi


def make_api() -> fastapi.FastAPI:
    api = fastapi.FastAPI(title="api")

    @api.get("/")
    def root():
        return {"ok": True}

    return api
