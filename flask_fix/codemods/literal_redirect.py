"""FLK102 literal-redirect."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.facts import Route
from ..index.routing import Hole, Resolution, resolve_redirect
from ..rewrite.base import Example, Fix, Rule
from ..rewrite.names import enclosing_function, qualified_name, reference

REDIRECTS = ("flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect")
# converters whose to_url converts or checks the value: url_for may raise on a bad one
VALIDATING = ("int", "float", "uuid", "any")
ADVICE = "build this URL with `url_for`"
WHY = "url_for follows the route if its URL changes and honours the app's mount point"
# a printf-style conversion: a mapping key, flags, width and precision all land in group 1
_PERCENT = re.compile(r"%((?:\([^)]*\))?[^a-zA-Z%(]*)([a-zA-Z%])")


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
        url = _read_url(arg.value) if arg is not None and function is not None else None
        if url is None or not url.local:
            return  # not a path of this site written in code
        if url.problem:
            self.report(node, f"{ADVICE}; not rewritten: {url.problem}")
            return
        # in a project of several apps, a view's redirect lands on a route of its own app
        own = self._own_apps(function)
        resolution = resolve_redirect(self.context.index, url.pieces, own or None)
        if own and resolution.status == "none":
            # served by another app only? say so (below) rather than list near misses
            anywhere = resolve_redirect(self.context.index, url.pieces)
            if anywhere.status != "none":
                resolution = anywhere
        if resolution.status == "none":
            nearest = _listing(resolution.candidates) or "no route is close"
            self.report(node, f"{resolution.reason}; nearest: {nearest}")
        elif resolution.status != "unique":
            routes = resolution.candidates if len(resolution.candidates) > 1 else []
            suffix = f"; routes: {_listing(routes)}" if routes else ""
            self.report(node, f"{ADVICE}; not rewritten: {resolution.reason}{suffix}")
        else:
            self._rewrite(node, arg, url, resolution, function)

    def _rewrite(
        self, node: cst.Call, arg: cst.Arg, url: _Url, resolution: Resolution, function: str
    ) -> None:
        route = resolution.route
        assert route is not None and route.endpoint is not None
        other_app = self._other_app(route, self._own_apps(function))
        if other_app:
            self.report(node, f"{ADVICE}; not rewritten: {other_app}")
            return
        notes = []
        values: list[tuple[str, cst.BaseExpression]] = []
        for key, value in resolution.values.items():
            if not isinstance(value, Hole):
                values.append((key, _literal(value, url.quote)))
                continue
            piece = url.holes[value.index]
            converter = resolution.converters.get(key, "")
            expr = piece.expr
            if piece.integer and converter != "int":
                if not self._is_builtin(node, "int"):
                    self.report(node, f"{ADVICE}; not rewritten: `int` is not the builtin here")
                    return
                expr = cst.Call(cst.Name("int"), [cst.Arg(expr)])
            if converter in VALIDATING and not (piece.integer and converter == "int"):
                notes.append(
                    f"`{_spelled(expr)}` now goes through the route's {converter} converter, "
                    "which raises when the URL is built if it rejects the value"
                )
            values.append((key, expr))
        found = reference(self, node, "flask", "url_for")
        endpoint = _literal(route.endpoint, url.quote)
        keywords = [cst.Arg(v, keyword=cst.Name(k), equal=_EQUAL) for k, v in values]
        call = cst.Call(
            cst.Name("url_for") if found is None else found[0], [cst.Arg(endpoint), *keywords]
        )
        if url.literal:
            written = f"the literal path {url.text!r}"
        else:
            written = f"the path built by `{_spelled(arg.value)}`"
        message = f"redirect to `{_spelled(call)}` instead of {written}: {WHY}"
        if found is None:
            self.report(
                node,
                f"{message}; not rewritten: `url_for` here is not flask.url_for "
                "(import Flask's under another name or rename this one)",
            )
            return
        if notes:
            message += "; note: " + "; ".join(notes)
        self.report(node, message, fix=Fix({arg.value: call}, add_imports=found[1]))

    def _own_apps(self, function: str) -> frozenset[str]:
        """The apps serving the view `function` (or a function nested in it) of this
        module, in a project of several apps; empty when it has one, or the view's app
        is not known (a helper that is no view)."""
        routes = self.context.index.routes
        if len({r.app for r in routes if r.app}) < 2:
            return frozenset()
        path = self.context.path
        return frozenset(
            r.app
            for r in routes
            if r.app
            and r.view is not None
            and r.view_path == path
            and (function == r.view or function.startswith(r.view + "."))
        )

    def _other_app(self, route: Route, own: frozenset[str]) -> str | None:
        """Why url_for may not build `route` from a view of the apps `own`, in a project
        of several apps."""
        routes = self.context.index.routes
        serving = {r.app for r in routes if (r.url, r.endpoint) == (route.url, route.endpoint)}
        known = {app for app in serving if app}
        if not own or own & serving or not known or None in serving:
            return None
        return (
            f"{route.url} ({route.endpoint}) is served by {', '.join(sorted(known))}, "
            f"not by the app of this view ({', '.join(sorted(own))})"
        )

    def _is_builtin(self, node: cst.CSTNode, name: str) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        names = scope.get_qualified_names_for(name) if scope is not None else set()
        return {q.name for q in names} == {f"builtins.{name}"}


# --- reading the URL ------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """The expression of a dynamic piece of the URL."""

    expr: cst.BaseExpression
    integer: bool = False  # written by `%d` or `%i`


@dataclass
class _Url:
    pieces: list[str | Hole] = field(default_factory=list)
    holes: list[_Piece] = field(default_factory=list)
    problem: str | None = None  # why url_for cannot reproduce it
    literal: bool = True  # a plain string, no formatting
    quote: str = ""  # the quote of the first string literal, for the literals written

    def add_text(self, value: str) -> None:
        if self.pieces and isinstance(self.pieces[-1], str):
            self.pieces[-1] += value
        else:
            self.pieces.append(value)

    def add_hole(self, piece: _Piece, problem: str | None = None) -> None:
        self.literal = False
        self.pieces.append(Hole(len(self.holes)))
        self.holes.append(piece)
        self.problem = self.problem or problem

    @property
    def local(self) -> bool:
        """A path of this site: `/...`, not `//host/...`, a scheme, relative or dynamic."""
        start = self.pieces[0] if self.pieces else None
        return isinstance(start, str) and start.startswith("/") and not start.startswith("//")

    @property
    def text(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str))


def _location(call: cst.Call) -> cst.Arg | None:
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is None and position == 0) or (
            arg.keyword is not None and arg.keyword.value == "location"
        ):
            return arg
    return None


def _read_url(expr: cst.BaseExpression) -> _Url | None:
    """The pieces of a URL built by `expr`, or None when it is not built from strings."""
    url = _Url()
    return url if _read(expr, url) else None


def _read(expr: cst.BaseExpression, url: _Url) -> bool:
    """Append what `expr` writes to `url`; False (nothing appended) for other forms."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return _read_string(expr, url)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        # a string concatenation only when its leftmost operand is a string; any other
        # operand is one piece (`'/p/' + (a + b)` may be a sum)
        if not _read(expr.left, url):
            return False
        if not _read(expr.right, url):
            url.add_hole(_Piece(expr.right))
        url.literal = False
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Modulo):
        template = _plain_string(expr.left)
        if template is None:
            return False
        _quote(expr.left, url)
        _read_percent(template, expr.right, url)
        return True
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "format"
    ):
        template = _plain_string(expr.func.value)
        if template is None:
            return False
        _quote(expr.func.value, url)
        _read_format(template, expr, url)
        return True
    return False


def _read_string(expr: cst.BaseExpression, url: _Url) -> bool:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        if not isinstance(value, str):
            return False  # bytes
        _quote(expr, url)
        url.add_text(value)
        return True
    if isinstance(expr, cst.ConcatenatedString):
        # mixing bytes and str is a SyntaxError: the first part decides for both
        return _read_string(expr.left, url) and _read_string(expr.right, url)
    assert isinstance(expr, cst.FormattedString)
    _quote(expr, url)
    for part in expr.parts:
        if isinstance(part, cst.FormattedStringText):
            text = part.value.replace("{{", "{").replace("}}", "}")
            prefix = expr.prefix.lower().replace("f", "")
            try:
                url.add_text(ast.literal_eval(f"{prefix}{expr.end}{text}{expr.end}"))
            except (SyntaxError, ValueError):
                url.add_hole(_Piece(expr), "the f-string's text could not be read")
        elif part.conversion in (None, "s") and not part.format_spec and part.equal is None:
            url.add_hole(_Piece(part.expression))
        else:
            url.add_hole(_Piece(part.expression), _cannot_format(_spelled(part)))
    return True


def _plain_string(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _quote(expr: cst.BaseExpression, url: _Url) -> None:
    while isinstance(expr, cst.ConcatenatedString):
        expr = expr.left
    if not url.quote and isinstance(expr, (cst.SimpleString, cst.FormattedString)):
        url.quote = expr.quote[0]


def _read_percent(template: str, values: cst.BaseExpression, url: _Url) -> None:
    """`template % values` with `%s`, `%d`, `%i` and `%%` only."""
    url.literal = False
    if isinstance(values, cst.Tuple):
        items = [e.value for e in values.elements]
        if any(isinstance(e, cst.StarredElement) for e in values.elements):
            url.problem = "the values are unpacked with `*`"
    else:
        items = [values]
    conversions = list(_PERCENT.finditer(template))
    specs = [m for m in conversions if m[0] != "%%"]
    if len(specs) != len(items):
        url.problem = url.problem or (
            f"the format takes {len(specs)} values, {len(items)} are written"
        )
    position, used = 0, 0
    for match in conversions:
        url.add_text(template[position : match.start()])
        position = match.end()
        if match[0] == "%%":
            url.add_text("%")
            continue
        expr = items[used] if used < len(items) else values
        used += 1
        simple = not match[1] and match[2] in "sdi"
        url.add_hole(_Piece(expr, match[2] in "di"), None if simple else _cannot_format(match[0]))
    url.add_text(template[position:])


def _read_format(template: str, call: cst.Call, url: _Url) -> None:
    """`template.format(*positional, **named)` with plain `{}`, `{0}`, `{name}` fields."""
    url.literal = False
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    named = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    if any(a.star for a in call.args):
        url.problem = "the values are unpacked with `*` or `**`"
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        url.problem = url.problem or "the format string is malformed"
        fields = [(template, None, None, None)]
    automatic, used = 0, set()
    for text, name, spec, conversion in fields:
        url.add_text(text)
        if name is None:
            continue
        if name == "":
            name, automatic = str(automatic), automatic + 1
        converted = f"!{conversion}" if conversion else ""
        written = f"{{{name}{converted}{':' if spec else ''}{spec}}}"
        if not name.isdigit() and not name.isidentifier():  # `{0.id}`, `{a[0]}`
            url.add_hole(_Piece(call), _cannot_format(written))
            continue
        key: int | str = int(name) if name.isdigit() else name
        expr = positional[key] if isinstance(key, int) and key < len(positional) else None
        expr = named.get(key) if isinstance(key, str) else expr
        if expr is None:
            url.add_hole(_Piece(call), f"`{written}` does not name one of the values")
            continue
        used.add(key)
        plain = not spec and conversion in (None, "s")
        url.add_hole(_Piece(expr), None if plain else _cannot_format(written))
    if len(used) < len(positional) + len(named):
        url.problem = url.problem or "`.format` receives values the format does not use"


def _cannot_format(written: str) -> str:
    return f"`{written}` formats its value in a way url_for cannot reproduce"


# --- writing url_for ------------------------------------------------------------------


def _literal(value: object, quote: str) -> cst.BaseExpression:
    """A Python literal for a string or a number, strings in the source's quotes."""
    if isinstance(value, str):
        text = repr(value)
        if quote == '"' and text[0] == "'" and '"' not in value:
            text = f'"{text[1:-1]}"'
        return cst.SimpleString(text)
    number = cst.Integer(str(abs(value))) if isinstance(value, int) else cst.Float(repr(abs(value)))
    return cst.UnaryOperation(cst.Minus(), number) if value < 0 else number


def _spelled(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


MAX_LISTED = 3


def _listing(items: list[str]) -> str:
    """A short list for a message: the first few, then how many more."""
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:MAX_LISTED])
    more = len(unique) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown
