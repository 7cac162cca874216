from flask import Flask


def create_app(config=None):
    """The application factory: `gunicorn 'shop:create_app()'` calls it."""
    app = Flask(__name__)

    @app.get("/")
    def index():
        return "shop"

    return app
