"""URL matching for FLK102: which route a redirect lands on, and url_for's arguments."""

from __future__ import annotations

import pickle
import uuid
from textwrap import dedent

import pytest
from flask import Flask
from werkzeug.routing import RequestRedirect

from flask_fix.index.project import ProjectIndex, index_from_sources
from flask_fix.index.routing import Hole, resolve_redirect

APP = """
from flask import Flask, Blueprint
app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")

@app.route("/")
def index(): ...

@app.route("/about/")
def about(): ...

@app.route("/contact")
def contact(): ...

@app.route("/loose", strict_slashes=False)
def loose(): ...

@app.route("/post/<int:id>")
def post(id): ...

@app.route("/offset/<int(signed=True):n>")
def offset(n): ...

@app.route("/price/<float:amount>")
def price(amount): ...

@app.route("/page/<int(min=1, max=99):n>")
def page(n): ...

@app.route("/files/<path:name>")
def files(name): ...

@app.route("/files/<path:name>/raw")
def raw(name): ...

@app.route("/object/<uuid:key>")
def object_(key): ...

@app.route("/lang/<any(en, fr, 'pt-br'):code>")
def lang(code): ...

@app.route("/country/<string(length=2):code>")
def country(code): ...

@app.route("/user/<name>/profile")
def profile(name): ...

@app.route("/users/new")
def new_user(): ...

@app.route("/users/<name>")
def user(name): ...

@app.route("/login", methods=["POST"])
def login_post(): ...

@app.get("/login")
def login_form(): ...

@app.post("/only-post")
def only_post(): ...

@shop.route("/cart")
def cart(): ...

@app.route("/class/<klass>")
def klass(klass): ...

@app.route("/kw/<int:id>/<class>")
def keyword_variable(id): ...

app.register_blueprint(shop)
"""


def index_of(source: str, **more: str) -> ProjectIndex:
    return index_from_sources(
        {"app.py": dedent(source), **{f"{k}.py": dedent(v) for k, v in more.items()}}
    )


@pytest.fixture(scope="module")
def index() -> ProjectIndex:
    return index_of(APP)


def resolved(index: ProjectIndex, *pieces):
    """(status, endpoint, values) of a redirect to the pieces."""
    resolution = resolve_redirect(index, pieces)
    endpoint = resolution.route.endpoint if resolution.route else None
    return resolution.status, endpoint, resolution.values


# --- matching -------------------------------------------------------------------------


def test_static_rules(index):
    assert resolved(index, "/") == ("unique", "index", {})
    assert resolved(index, "/contact") == ("unique", "contact", {})
    assert resolved(index, "/shop/cart") == ("unique", "shop.cart", {})
    assert resolve_redirect(index, ["/contact"]).reason == "served by /contact (contact)"


def test_trailing_slash(index):
    # Flask redirects /about to /about/; url_for builds the slash form
    assert resolved(index, "/about") == ("unique", "about", {})
    assert resolved(index, "/about/") == ("unique", "about", {})
    # a rule without the slash does not serve the path with it, unless strict_slashes=False
    assert resolved(index, "/contact/")[0] == "none"
    assert resolved(index, "/loose/") == ("unique", "loose", {})


def test_int_and_float_converters(index):
    assert resolved(index, "/post/42") == ("unique", "post", {"id": 42})
    assert type(resolve_redirect(index, ["/post/42"]).values["id"]) is int
    assert resolved(index, "/post/-1")[0] == "none"
    assert resolved(index, "/post/x")[0] == "none"
    assert resolved(index, "/offset/-3") == ("unique", "offset", {"n": -3})
    assert resolved(index, "/price/1.5") == ("unique", "price", {"amount": 1.5})
    assert resolved(index, "/price/2")[0] == "none"


def test_converter_arguments_are_checked(index):
    assert resolved(index, "/page/7") == ("unique", "page", {"n": 7})
    assert resolved(index, "/page/0")[0] == "none"
    assert resolved(index, "/page/100")[0] == "none"
    assert resolved(index, "/country/pt") == ("unique", "country", {"code": "pt"})
    assert resolved(index, "/country/prt")[0] == "none"


def test_path_uuid_and_any_converters(index):
    assert resolved(index, "/files/a/b.txt") == ("unique", "files", {"name": "a/b.txt"})
    assert resolved(index, "/files/a/b/raw")[0] == "ambiguous"  # <path:name> matches it too
    key = str(uuid.UUID(int=7))
    assert resolved(index, f"/object/{key}") == ("unique", "object_", {"key": key})
    assert resolved(index, "/object/1234")[0] == "none"
    assert resolved(index, "/lang/fr") == ("unique", "lang", {"code": "fr"})
    assert resolved(index, "/lang/pt-br") == ("unique", "lang", {"code": "pt-br"})
    assert resolved(index, "/lang/de")[0] == "none"


def test_converters_are_reported(index):
    assert resolve_redirect(index, ["/post/", Hole(0)]).converters == {"id": "int"}


def test_holes_bind_whole_variables(index):
    assert resolved(index, "/post/", Hole(0)) == ("unique", "post", {"id": Hole(0)})
    assert resolved(index, "/user/", Hole(3), "/profile") == (
        "unique",
        "profile",
        {"name": Hole(3)},
    )
    assert resolved(index, "/files/", Hole(1)) == ("unique", "files", {"name": Hole(1)})
    # a hole joined to text, two holes in one variable, a hole in a static part
    assert resolved(index, "/user/a", Hole(0), "/profile")[0] == "none"
    assert resolved(index, "/user/", Hole(0), Hole(1), "/profile")[0] == "none"
    assert resolved(index, "/files/a/", Hole(0))[0] == "none"
    assert resolved(index, "/", Hole(0), "/cart")[0] == "none"


def test_static_rule_wins_over_variables_as_in_werkzeug(index):
    assert resolved(index, "/users/new") == ("unique", "new_user", {})
    assert resolved(index, "/users/bob") == ("unique", "user", {"name": "bob"})
    assert resolved(index, "/users/", Hole(0)) == ("unique", "user", {"name": Hole(0)})


def test_only_routes_allowing_get_count(index):
    assert resolved(index, "/login") == ("unique", "login_form", {})
    resolution = resolve_redirect(index, ["/only-post"])
    assert resolution.status == "none"
    assert resolution.reason == (
        "no route of the project serves GET /only-post (a route serves it for other methods only)"
    )


# --- query strings and fragments ------------------------------------------------------


def test_query_and_fragment_become_url_for_arguments(index):
    assert resolved(index, "/post/3?tab=comments&sort=new-first#top") == (
        "unique",
        "post",
        {"id": 3, "tab": "comments", "sort": "new-first", "_anchor": "top"},
    )
    assert resolved(index, "/about?x=1") == ("unique", "about", {"x": "1"})
    assert resolved(index, "/?flag") == ("unique", "index", {"flag": ""})


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/?q=a b", "the query value 'a b' holds characters url_for would encode differently"),
        ("/?q=a=b", "the query value 'a=b' holds characters url_for would encode differently"),
        ("/?q=a?b", "the query value 'a?b' holds characters url_for would encode differently"),
        (
            "/?q=100%25",
            "the query value '100%25' holds characters url_for would encode differently",
        ),
        ("/?a+b=1", "the query parameter 'a+b' holds characters url_for would encode differently"),
        ("/?1st=1", "the query parameter '1st' is not a Python identifier"),
        ("/?class=x", "the query parameter 'class' is not a Python identifier"),
        ("/?_external=1", "the query parameter '_external' clashes with url_for's own arguments"),
        ("/?endpoint=x", "the query parameter 'endpoint' clashes with url_for's own arguments"),
        ("/?a=1&a=2", "the query parameter 'a' is repeated"),
        ("/post/3?id=4", "the query parameter 'id' clashes with a variable of /post/<int:id>"),
        ("/#a b", "the fragment 'a b' holds characters url_for would encode differently"),
        ("/#a#b", "the fragment 'a#b' holds characters url_for would encode differently"),
    ],
)
def test_query_and_fragment_that_url_for_would_write_differently(index, url, reason):
    resolution = resolve_redirect(index, [url])
    assert (resolution.status, resolution.reason) == ("unsupported", reason)


def test_holes_in_query_or_fragment_are_unsupported(index):
    assert resolve_redirect(index, ["/?q=", Hole(0)]).reason == (
        "a query value is built at run time; url_for would encode it differently"
    )
    assert resolve_redirect(index, ["/post/", Hole(0), "?", Hole(1), "=1"]).status == "unsupported"
    assert resolve_redirect(index, ["/#", Hole(0)]).reason == (
        "the fragment is built at run time; url_for would encode it differently"
    )


def test_variables_url_for_cannot_take_as_keywords(index):
    resolution = resolve_redirect(index, ["/kw/1/x"])
    assert (resolution.status, resolution.reason) == (
        "unsupported",
        "the rule variable 'class' cannot be passed to url_for as a keyword",
    )


def test_percent_encoded_paths_are_unsupported(index):
    assert resolve_redirect(index, ["/users/a%20b"]).status == "unsupported"
    assert resolve_redirect(index, ["/users/a b"]).status == "unsupported"


# --- uniqueness -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pieces",
    [
        ["http://example.com/"],
        ["//cdn.example.com/x"],
        ["mailto:a@b.c"],
        ["login"],
        [""],
        [Hole(0), "/x"],
        [],
    ],
)
def test_external_and_relative_urls_are_unsupported(index, pieces):
    assert resolve_redirect(index, pieces).status == "unsupported"


def test_no_route_lists_the_nearest(index):
    resolution = resolve_redirect(index, ["/contcat"])
    assert resolution.status == "none"
    assert resolution.reason == "no route of the project serves GET /contcat"
    assert resolution.candidates[0] == "/contact (contact)"


def test_several_routes_are_ambiguous():
    index = index_of(
        """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/<page>")
        def page(page): ...
        @app.route("/<int:id>")
        def item(id): ...
        """
    )
    resolution = resolve_redirect(index, ["/5"])
    assert resolution.status == "ambiguous"
    assert resolution.reason == "2 routes serve this URL"
    assert resolution.candidates == ["/<page> (page)", "/<int:id> (item)"]
    assert resolved(index, "/about") == ("unique", "page", {"page": "about"})


def test_an_endpoint_with_two_rules_builds_its_first_suitable_one():
    index = index_of(
        """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/items/<int:page>")
        @app.route("/items")
        def items(page=1): ...

        @app.route("/tags")
        @app.route("/tags/<int:page>")
        def tags(page=1): ...
        """
    )
    assert resolved(index, "/items") == ("unique", "items", {})
    assert resolve_redirect(index, ["/items/2"]).reason == (
        "url_for('items') builds /items, the endpoint's first rule, not /items/<int:page>"
    )
    assert resolved(index, "/items?page=2") == ("unique", "items", {"page": "2"})
    assert resolved(index, "/tags/2") == ("unique", "tags", {"page": 2})
    assert resolved(index, "/tags") == ("unique", "tags", {})
    assert resolve_redirect(index, ["/tags?page=2"]).reason == (
        "url_for('tags') builds /tags/<int:page>, the endpoint's first rule, not /tags"
    )


def test_an_unknown_prefix_may_serve_the_url():
    index = index_of(
        """
        import os
        from flask import Flask, Blueprint
        app = Flask(__name__)
        bp = Blueprint("bp", __name__, url_prefix=os.environ["PREFIX"])
        @bp.route("/about")
        def bp_about(): ...
        @app.route("/about")
        def about(): ...
        @app.route("/contact")
        def contact(): ...
        app.register_blueprint(bp)
        """
    )
    resolution = resolve_redirect(index, ["/about"])
    assert (resolution.status, resolution.reason) == (
        "ambiguous",
        "/about (bp.bp_about) may also serve this URL (its URL prefix is not a literal)",
    )
    assert resolution.candidates == ["/about (about)", "/about (bp.bp_about)"]
    assert resolved(index, "/contact") == ("unique", "contact", {})


def test_an_unregistered_blueprint_may_serve_the_url():
    index = index_of(
        """
        from flask import Flask, Blueprint
        app = Flask(__name__)
        bp = Blueprint("bp", __name__)
        @bp.route("/<name>")
        def named(name): ...
        @app.route("/5")
        def five(): ...
        @app.route("/x/<int:id>")
        def item(id): ...
        """
    )
    assert resolved(index, "/5") == ("unique", "five", {})  # the static rule wins anyway
    resolution = resolve_redirect(index, ["/nope"])
    assert (resolution.status, resolution.reason) == (
        "ambiguous",
        (
            "/<name> (bp.named) would serve this URL, "
            "but its blueprint, app or options could not be followed"
        ),
    )
    assert resolution.candidates == ["/<name> (bp.named)"]
    assert resolved(index, "/x/1") == ("unique", "item", {"id": 1})


def test_routes_with_defaults_are_not_rewritten():
    index = index_of(
        """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/list", defaults={"page": 1})
        def listing(page): ...
        """
    )
    resolution = resolve_redirect(index, ["/list"])
    assert (resolution.status, resolution.reason) == (
        "ambiguous",
        "/list (listing) has default values; url_for may build another URL",
    )


def test_same_blueprint_in_two_apps_builds_alike():
    index = index_of(
        """
        from flask import Flask
        from views import bp
        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
        tests="""
        from flask import Flask
        from views import bp
        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
        views="""
        from flask import Blueprint
        bp = Blueprint("views", __name__)
        @bp.route("/home")
        def home(): ...
        """,
    )
    assert resolved(index, "/home") == ("unique", "views.home", {})


def test_router_is_cached_and_the_index_still_pickles(index):
    resolve_redirect(index, ["/"])
    router = index.router
    resolve_redirect(index, ["/about"])
    assert index.router is router
    assert resolved(pickle.loads(pickle.dumps(index)), "/post/1") == ("unique", "post", {"id": 1})


# --- against Werkzeug -----------------------------------------------------------------

LITERAL_URLS = [
    "/", "/about", "/about/", "/contact", "/loose", "/loose/", "/post/42", "/offset/-3",
    "/price/1.5", "/page/7", "/files/a/b.txt", f"/object/{uuid.UUID(int=7)}", "/lang/fr",
    "/lang/pt-br", "/country/pt", "/user/bob/profile", "/users/new", "/users/bob", "/login",
    "/shop/cart", "/class/x",
]  # fmt: skip
CANONICAL = {"/loose/": "/loose"}


@pytest.mark.parametrize("url", LITERAL_URLS)
def test_unique_resolutions_agree_with_werkzeug(index, url):
    """Werkzeug dispatches the URL to our route, and url_for's arguments build it back."""
    namespace: dict = {"__name__": "ffx_routing_app"}
    exec(compile(dedent(APP), "app.py", "exec"), namespace)  # noqa: S102 (our own test app)
    app: Flask = namespace["app"]
    adapter = app.url_map.bind("localhost")

    resolution = resolve_redirect(index, [url])
    assert resolution.status == "unique"
    try:
        endpoint, arguments = adapter.match(url, method="GET")
        served = url
    except RequestRedirect as redirect:
        served = redirect.new_url.removeprefix("http://localhost")
        endpoint, arguments = adapter.match(served, method="GET")
    assert endpoint == resolution.route.endpoint
    # strict_slashes=False serves /loose/ itself; url_for builds the rule, /loose
    assert adapter.build(endpoint, resolution.values) == CANONICAL.get(url, served)
    assert {k: str(v) for k, v in arguments.items()} == {
        k: str(v) for k, v in resolution.values.items() if k in arguments
    }


def test_routes_of_an_unindexed_module_make_a_unique_match_ambiguous():
    index = index_from_sources(
        {"app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef home(): ...\n"}
    )
    assert resolve_redirect(index, ["/"]).status == "unique"
    index.unindexed_route_modules = ("newer.py",)
    resolution = resolve_redirect(index, ["/"])
    assert resolution.status == "ambiguous"
    assert "routes of newer.py are unknown" in resolution.reason


# redash: every route's rule goes through a helper that may add an organisation prefix
COMPUTED_RULES = """
from flask import Blueprint
from .settings import MULTI_ORG

routes = Blueprint("redash", __name__)

def org_scoped_rule(rule):
    return "/<org_slug>{}".format(rule) if MULTI_ORG else rule

@routes.route(org_scoped_rule("/invite/<token>"))
def invite(token): ...

@routes.route(org_scoped_rule("/login"))
def login(): ...

@routes.route(org_scoped_rule("/<path:path>"))
@routes.route(org_scoped_rule("/"))
def index(path=None): ...

@routes.route("/setup")
def setup(): ...

@routes.route(PING_RULE)
def ping(): ...
"""


def computed(path: str):
    resolution = resolve_redirect(index_of(COMPUTED_RULES), [path])
    return resolution.status, resolution.reason, resolution.candidates


def test_a_computed_rule_is_named_by_the_rule_written_inside_it():
    # `/` cannot come from org_scoped_rule('/invite/<token>'), the first route registered
    assert computed("/") == (
        "ambiguous",
        "org_scoped_rule('/') (redash.index) may serve this URL (its rule is not a literal)",
        [
            "org_scoped_rule('/') (redash.index)",
            "PING_RULE (redash.ping)",  # nothing written inside: anything
            "org_scoped_rule('/invite/<token>') (redash.invite)",
            "org_scoped_rule('/login') (redash.login)",
            "org_scoped_rule('/<path:path>') (redash.index)",
        ],
    )
    assert computed("/login")[1:] == (
        (
            "org_scoped_rule('/login') (redash.login) may serve this URL "
            "(its rule is not a literal)"
        ),
        [
            "org_scoped_rule('/login') (redash.login)",
            "org_scoped_rule('/<path:path>') (redash.index)",  # a variable: after
            "org_scoped_rule('/') (redash.index)",  # only after a prefix
            "PING_RULE (redash.ping)",
            "org_scoped_rule('/invite/<token>') (redash.invite)",
        ],
    )
    # after the organisation prefix, matching as written
    assert computed("/acme/invite/abc")[1].startswith(
        "org_scoped_rule('/invite/<token>') (redash.invite) may serve this URL"
    )


def test_a_static_rule_of_an_unregistered_blueprint_would_serve_the_url():
    status, reason, candidates = computed("/setup")
    assert (status, reason) == (
        "ambiguous",
        (
            "/setup (redash.setup) would serve this URL, "
            "but its blueprint, app or options could not be followed"
        ),
    )
    assert candidates[:2] == [
        "/setup (redash.setup)",
        "org_scoped_rule('/<path:path>') (redash.index)",
    ]
