"""FLK102 literal-redirect."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.routing import Resolution
from ..rewrite.base import Example, Fix, Rule
from ..rewrite.names import enclosing_function, qualified_name
from ..rewrite.url_paths import (
    Url,
    read_url,
    resolve_path,
    spelled,
    unresolved_message,
    url_for_arguments,
    url_for_call,
)

REDIRECTS = ("flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect")
ADVICE = "build this URL with `url_for`"
WHY = "url_for follows the route if its URL changes and honours the app's mount point"


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class LiteralRedirect(Rule):
    """
    What it does:
        Finds `redirect()` calls (Flask's or Werkzeug's) inside functions whose target is a
        path of the project written in code: a string literal, an f-string, `'%s' % x`,
        `'/a/' + x`, or `'/a/{}'.format(x)`. When exactly one route serves it, the path
        becomes `url_for('endpoint', **arguments)`: the rule's variables (literal values as
        literals, dynamic pieces as the expressions written), then the query parameters,
        then `_anchor` for a fragment. Other arguments (`code=301`) stay as written.

    Why is this bad?:
        A hand-written path silently breaks when a route's URL changes, ignores the mount
        point (SCRIPT_NAME) an app is deployed under, and costs a second redirect when it
        misses the rule's trailing slash. `url_for` builds the URL from the route itself.
        A path no route serves is a 404 waiting for the user.

    Example:
        @app.route("/products/<int:product_id>")
        def show_product(product_id): ...

        @app.post("/products")
        def create_product():
            product = save(request.form)
            return redirect(f"/products/{product.id}")

    Use instead:
        @app.post("/products")
        def create_product():
            product = save(request.form)
            return redirect(url_for("show_product", product_id=product.id))

    Fix safety:
        Intended: the Location header now carries the app's mount point (SCRIPT_NAME) and
        the rule's canonical form: its trailing slash (`/about` becomes `/about/` instead
        of a second redirect), numbers without leading zeros, `?flag` written `?flag=`.
        A dynamic piece is now quoted by its converter, so a `/`, `?` or `#` inside it stays
        in the variable instead of changing the URL's structure. A piece bound to an `int`,
        `float`, `uuid` or `any` converter goes through it when the URL is built: a value the
        converter rejects now raises there instead of redirecting to a URL that 404s, and
        one it converts (`2` for a float, `5` for `int(fixed_digits=3)`) now reaches the
        route; the finding says so, except for `%d` and `%i`, which already wrote an
        integer as the int converter does (bound to another converter, such a piece is
        passed as `int(x)`).
        Reported, not rewritten: a path no route serves (with the nearest routes), one
        several routes may serve, query values or fragments that url_for would encode
        differently or that are built at run time, conversions and format specs other than
        `!s` (`{x!r}`, `{x:03d}`, `%05d`, `%(key)s`), `.format` fields reading attributes or
        items, values unpacked with `*`, and places where `url_for` or `int` is not the one
        expected.
        Choices where the catalogue is silent: endpoints are always written in full
        (`'admin.users'`); dynamic pieces are passed exactly as written (`str(pid)` stays);
        only a redirect evaluated inside a function is rewritten (url_for needs a request or
        app context; module level, class bodies, decorators and defaults are left alone); a
        URL that does not start with `/` (external, relative, or starting with a dynamic
        piece) and an expression that is not one of the forms above (`request.referrer or
        '/'`, a variable, a conditional) give no finding; in `'/p/' + (a + b)` the
        parenthesized sum is one piece. In a project with several apps, a view's redirect
        is resolved among the routes its own app serves (and those whose app is unknown):
        `/cart` in one app's view is that app's `/cart`, whatever another app serves; a
        URL only another app serves is reported. A function that is no view resolves
        among all the project's routes.
    """

    code = "FLK102"
    name = "literal-redirect"
    fix_level = FixLevel.INTENDED
    summary = "Redirect with `url_for()`, not a literal path."
    triggers = (b"redirect",)
    called_names = frozenset({"redirect"})
    required_imports = frozenset({"flask", "werkzeug"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        """Only a URL whose leading text is a literal starting with one `/` can be ours."""
        target = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg == "location"), None
        )
        while True:  # the leftmost piece of the URL expression
            if isinstance(target, ast.BinOp):
                target = target.left
            elif isinstance(target, ast.JoinedStr):
                target = target.values[0] if target.values else None
            elif isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
                target = target.func.value  # '...'.format(...)
            else:
                break
        return (
            isinstance(target, ast.Constant)
            and isinstance(target.value, str)
            and target.value.startswith("/")
            and not target.value.startswith("//")
        )

    valid = (
        # an external URL
        _code("""
            from flask import Flask, redirect

            app = Flask(__name__)

            @app.route("/help")
            def help_page():
                return redirect("https://example.com/help")
        """),
        # a local function named `redirect` (a meta refresh page)
        _code("""
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                return "home"

            @app.route("/old")
            def old():
                def redirect(path):
                    return f'<meta http-equiv="refresh" content="0; url={path}">'
                return redirect("/")
        """),
        # a parameter named `redirect`
        _code("""
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                return "home"

            def bounce(redirect):
                return redirect("/")
        """),
        # already built with url_for, or from a variable or a fallback expression
        _code("""
            from flask import Flask, redirect, request, url_for

            app = Flask(__name__)

            @app.route("/")
            def index():
                return "home"

            @app.route("/a")
            def a():
                return redirect(url_for("index"))

            @app.route("/b")
            def b():
                target = request.args.get("next", "/")
                return redirect(target)

            @app.route("/c")
            def c():
                return redirect(request.referrer or "/")
        """),
        # `redirect` rebound in the module
        _code("""
            from flask import Flask, redirect

            app = Flask(__name__)
            redirect = make_redirect

            @app.route("/")
            def index():
                return redirect("/")
        """),
        # evaluated at import time: url_for would have no context
        _code("""
            from flask import Flask, redirect

            app = Flask(__name__)

            @app.route("/")
            def index():
                return "home"

            HOME = redirect("/")
        """),
    )
    invalid = (
        # a static path; url_for joins the flask import
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/login")
                def login():
                    return "form"

                @app.route("/logout")
                def logout():
                    return redirect("/login")
            """),
            _code("""
                from flask import Flask, redirect, url_for

                app = Flask(__name__)

                @app.route("/login")
                def login():
                    return "form"

                @app.route("/logout")
                def logout():
                    return redirect(url_for("login"))
            """),
        ),
        # the root, with single quotes kept
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route('/')
                def index():
                    return 'home'

                @app.route('/home')
                def home():
                    return redirect('/')
            """),
            _code("""
                from flask import Flask, redirect, url_for

                app = Flask(__name__)

                @app.route('/')
                def index():
                    return 'home'

                @app.route('/home')
                def home():
                    return redirect(url_for('index'))
            """),
        ),
        # the rule has a trailing slash: url_for writes it, no second redirect
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/about/")
                def about():
                    return "about"

                @app.route("/info")
                def info():
                    return redirect("/about")
            """),
            _code("""
                from flask import Flask, redirect, url_for

                app = Flask(__name__)

                @app.route("/about/")
                def about():
                    return "about"

                @app.route("/info")
                def info():
                    return redirect(url_for("about"))
            """),
        ),
        # register_blueprint's url_prefix overrides the blueprint's own
        Example(
            _code("""
                from flask import Blueprint, Flask, redirect

                app = Flask(__name__)
                bp = Blueprint("admin", __name__, url_prefix="/a")

                @bp.route("/users")
                def users():
                    return "users"

                @bp.route("/")
                def home():
                    return redirect("/admin/users")

                app.register_blueprint(bp, url_prefix="/admin")
            """),
            _code("""
                from flask import Blueprint, Flask, redirect, url_for

                app = Flask(__name__)
                bp = Blueprint("admin", __name__, url_prefix="/a")

                @bp.route("/users")
                def users():
                    return "users"

                @bp.route("/")
                def home():
                    return redirect(url_for("admin.users"))

                app.register_blueprint(bp, url_prefix="/admin")
            """),
        ),
        # f-string, %d, + and .format pieces become the rule's variables
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/posts/<int:post_id>")
                def post(post_id):
                    return "post"

                @app.route("/users/<name>/posts/<int:post_id>")
                def user_post(name, post_id):
                    return "post"

                @app.post("/posts")
                def create():
                    post = save()
                    if post.draft:
                        return redirect("/posts/%d" % post.id)
                    if post.pinned:
                        return redirect("/posts/" + str(post.id))
                    if post.author:
                        return redirect("/users/{}/posts/{}".format(post.author, post.id))
                    return redirect(f"/posts/{post.id}")
            """),
            _code("""
                from flask import Flask, redirect, url_for

                app = Flask(__name__)

                @app.route("/posts/<int:post_id>")
                def post(post_id):
                    return "post"

                @app.route("/users/<name>/posts/<int:post_id>")
                def user_post(name, post_id):
                    return "post"

                @app.post("/posts")
                def create():
                    post = save()
                    if post.draft:
                        return redirect(url_for("post", post_id=post.id))
                    if post.pinned:
                        return redirect(url_for("post", post_id=str(post.id)))
                    if post.author:
                        return redirect(url_for("user_post", name=post.author, post_id=post.id))
                    return redirect(url_for("post", post_id=post.id))
            """),
        ),
        # literal variable values, a query string and a fragment; `code=` stays
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/products/<int:product_id>")
                def product(product_id):
                    return "product"

                @app.route("/products")
                def products():
                    return "list"

                @app.route("/old")
                def old():
                    return redirect("/products?page=2&sort=price", code=301)

                @app.route("/tea")
                def tea():
                    return redirect("/products/5#reviews")
            """),
            _code("""
                from flask import Flask, redirect, url_for

                app = Flask(__name__)

                @app.route("/products/<int:product_id>")
                def product(product_id):
                    return "product"

                @app.route("/products")
                def products():
                    return "list"

                @app.route("/old")
                def old():
                    return redirect(url_for("products", page="2", sort="price"), code=301)

                @app.route("/tea")
                def tea():
                    return redirect(url_for("product", product_id=5, _anchor="reviews"))
            """),
        ),
        # `import flask as f` is reused: no new import
        Example(
            _code("""
                import flask as f

                app = f.Flask(__name__)

                @app.route("/")
                def index():
                    return "home"

                @app.route("/start")
                def start():
                    return f.redirect("/")
            """),
            _code("""
                import flask as f

                app = f.Flask(__name__)

                @app.route("/")
                def index():
                    return "home"

                @app.route("/start")
                def start():
                    return f.redirect(f.url_for("index"))
            """),
        ),
        # no route serves the path: reported with the nearest routes
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/favorites")
                def favorites():
                    return "favourites"

                @app.route("/wishlist")
                def wishlist():
                    return redirect("/favourites")
            """),
        ),
        # two routes may serve the path: reported
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/<page>")
                def page(page):
                    return page

                @app.route("/<int:item_id>")
                def item(item_id):
                    return "item"

                @app.route("/")
                def index():
                    return redirect("/5")
            """),
        ),
        # url_for would encode the query value differently: reported
        Example(
            _code("""
                from flask import Flask, redirect

                app = Flask(__name__)

                @app.route("/search")
                def search():
                    return "results"

                @app.route("/tea")
                def tea():
                    return redirect("/search?q=green tea")
            """),
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if qualified_name(self, node.func) not in REDIRECTS:
            return
        arg = _location(node)
        function = enclosing_function(self, node)
        url = read_url(arg.value) if arg is not None and function is not None else None
        if url is None or not url.local:
            return  # not a path of this site written in code
        if url.problem:
            self.report(node, f"{ADVICE}; not rewritten: {url.problem}")
            return
        resolution = resolve_path(self, url.pieces, function)
        if resolution.status != "unique":
            self.report(node, unresolved_message(resolution, ADVICE))
        else:
            self._rewrite(node, arg, url, resolution, function)

    def _rewrite(
        self, node: cst.Call, arg: cst.Arg, url: Url, resolution: Resolution, function: str
    ) -> None:
        route = resolution.route
        assert route is not None and route.endpoint is not None
        arguments = url_for_arguments(self, node, url, resolution, function)
        if isinstance(arguments, str):
            self.report(node, f"{ADVICE}; not rewritten: {arguments}")
            return
        values, notes = arguments
        call, imports = url_for_call(self, node, route.endpoint, url, values)
        if url.literal:
            written = f"the literal path {url.text!r}"
        else:
            written = f"the path built by `{spelled(arg.value)}`"
        message = f"redirect to `{spelled(call)}` instead of {written}: {WHY}"
        if imports is None:
            self.report(
                node,
                f"{message}; not rewritten: `url_for` here is not flask.url_for "
                "(import Flask's under another name or rename this one)",
            )
            return
        if notes:
            message += "; note: " + "; ".join(notes)
        self.report(node, message, fix=Fix({arg.value: call}, add_imports=imports))


def _location(call: cst.Call) -> cst.Arg | None:
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is None and position == 0) or (
            arg.keyword is not None and arg.keyword.value == "location"
        ):
            return arg
    return None
