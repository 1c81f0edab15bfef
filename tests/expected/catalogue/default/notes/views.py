from flask import redirect, url_for

from app import app


@app.route("/about")
def about():
    return "Notes keeps short notes."


@app.route("/info")
def info():
    return redirect(url_for("about"))
