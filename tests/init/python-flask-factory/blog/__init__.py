import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.update(test_config)

    from . import views

    app.register_blueprint(views.bp)
    return app
