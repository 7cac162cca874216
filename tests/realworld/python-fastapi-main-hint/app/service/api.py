from fastapi import FastAPI

api = FastAPI(title="inventory")


@api.get("/health")
def health():
    return {"status": "inventory up"}
