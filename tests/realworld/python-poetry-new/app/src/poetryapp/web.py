from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index():
        return "poetryapp: served from a create_app() factory\n"

    return app
