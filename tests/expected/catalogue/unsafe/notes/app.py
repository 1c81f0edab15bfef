"""A notes app written the way many tutorials did: one module-level app."""

import json
import os

from flask import (
    Blueprint,
    Flask,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_sqlalchemy import SQLAlchemy

bp = Blueprint("main", __name__)
db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)


@bp.route("/")
def index():
    return render_template("index.html")


@bp.route("/notes")
def list_notes():
    page = request.args.get("page", default=1, type=int)
    notes = Note.query.paginate(page=page, per_page=20)
    return jsonify([note.text for note in notes.items])


@bp.post("/notes")
def add_note():
    payload = request.get_json(force=True)
    db.session.add(Note(text=payload["text"]))
    db.session.commit()
    session["last_note"] = payload["text"]
    return redirect(url_for("main.list_notes"))


@bp.route("/elsewhere")
def elsewhere():
    # an external URL: no route of ours serves it
    return redirect("https://example.com/notes")


def export_notes(notes):
    # not a view: its JSON string is written to a file, not returned as a response
    return json.dumps(notes, indent=2)


def page_size(request):
    # `request` is this function's parameter, not Flask's
    return int(request.args.get("size", 20))


import views  # noqa: E402  (registers the views module's routes)


def create_app(config=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///notes.db"
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
    db.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(views.bp)
    return app


if __name__ == "__main__":
    create_app().run()
