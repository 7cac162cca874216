import os

import psycopg2
import psycopg2.extensions
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    libpq = psycopg2.extensions.libpq_version()
    return f"psycopg2 {psycopg2.__version__.split()[0]} linked against libpq {libpq // 10000}.{libpq % 100}\n"


@app.route("/db")
def db():
    # needs DATABASE_URL; not used by the corpus check
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("select version()")
        return cur.fetchone()[0]
