from flask import Blueprint, redirect, request, url_for

bp = Blueprint("views", __name__)


@bp.route("/about")
def about():
    return "Notes keeps short notes."


@bp.route("/info")
def info():
    return redirect(url_for("views.about"))


@bp.route("/share")
def share():
    # an absolute link for an email, built by hand from the request
    return {"link": url_for("views.about", _external=True)}


def mirror_link(request):
    # `request` is a mirror's record here, not Flask's
    return request.host_url + "about"
