import MySQLdb
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {
        "driver": f"mysqlclient {'.'.join(map(str, MySQLdb.version_info[:3]))}",
        "client": MySQLdb.get_client_info(),
    }
