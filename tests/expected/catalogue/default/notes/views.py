from flask import redirect, request, url_for

from app import app


@app.route("/about")
def about():
    return "Notes keeps short notes."


@app.route("/info")
def info():
    return redirect(url_for("about"))


@app.route("/share")
def share():
    # an absolute link for an email, built by hand from the request
    return {"link": url_for("about", _external=True)}


def mirror_link(request):
    # `request` is a mirror's record here, not Flask's
    return request.host_url + "about"
