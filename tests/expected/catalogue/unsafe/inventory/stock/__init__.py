"""A stock-keeping app that already has a factory, written against Flask 2.0."""

import json

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from .config import configs

db = SQLAlchemy()


def create_app(name="default"):
    app = Flask(__name__)
    app.config.from_object(configs[name])
    app.config["JSON_SORT_KEYS"] = False
    app.config.from_file("local.json", load=json.load, silent=True)
    db.init_app(app)

    from .views import bp

    app.register_blueprint(bp)

    def create_tables():
        db.create_all()

    with app.app_context():
        create_tables()

    return app
