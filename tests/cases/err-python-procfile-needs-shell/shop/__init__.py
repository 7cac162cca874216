import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def index():
    return jsonify(shop="open", dyno=os.environ.get("DYNO", "local"))
