import hmac
import io

from flask import Blueprint, flash, make_response, request, send_file
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.utils import safe_join

from . import db
from .models import Item
from .settings import low_stock

bp = Blueprint("stock", __name__, url_prefix="/stock")


@bp.route("/")
def index():
    names = ", ".join(item.name for item in Item.query.all())
    return Markup("<p>%s</p>") % names


@bp.route("/low")
def low():
    return [item.name for item in Item.query.filter(Item.count < low_stock())]


@bp.post("/items")
@login_required
def add_item():
    db.session.add(Item(name=request.form["name"]))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("That item already exists.")
    return "", 204


@bp.post("/items/bulk")
def add_items():
    # rolls back and re-raises: nothing to fix
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise
    return "", 204


@bp.route("/export")
def export():
    buffer = io.BytesIO(b"name,count\n")
    return send_file(buffer, as_attachment=True, download_name="stock.csv")


@bp.route("/labels/<name>")
def label(name):
    return send_file(safe_join("/srv/labels", name))


@bp.route("/theme/<theme>")
def set_theme(theme):
    response = make_response("ok")
    response.set_cookie("theme", theme)
    return response


def token_matches(given, expected):
    return hmac.compare_digest(given, expected)
