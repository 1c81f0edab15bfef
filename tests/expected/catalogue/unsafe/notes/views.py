from flask import Blueprint, redirect, url_for

bp = Blueprint("views", __name__)


@bp.route("/about")
def about():
    return "Notes keeps short notes."


@bp.route("/info")
def info():
    return redirect(url_for("views.about"))
