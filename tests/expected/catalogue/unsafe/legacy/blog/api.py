"""The blog's JSON API, written for Flask-JWT-Extended 3 (FLK804) and set up per app
(FLK712); its settings name a Flask-Caching 1.x backend (FLK805)."""

from flask import Blueprint
from flask_jwt_extended import JWTManager, jwt_required

api = Blueprint("api", __name__)
jwt = JWTManager()
jwt.user_loader_callback_loader(lambda identity: identity)


class ApiConfig:
    CACHE_TYPE = "SimpleCache"


@api.route("/api/posts")
@jwt_required(optional=True)
def posts():
    return "posts"


@api.route("/api/me")
@jwt_required()
def me():
    return "me"


def register_api(app):
    api.after_request(lambda response: response)
    app.register_blueprint(api)
