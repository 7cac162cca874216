from fastapi import FastAPI

app = FastAPI(title="pdmapp")


@app.get("/")
def index():
    return {"app": "pdmapp", "locked_by": "pdm"}
