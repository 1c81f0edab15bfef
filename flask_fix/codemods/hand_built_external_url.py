"""FLK105 hand-built-external-url."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..index.routing import Hole
from ..index.triage import TriageModule
from ..model import FixLevel
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

REQUESTS = ("flask.request", "flask.globals.request")
# the request's attributes a hand-built URL starts from: host_url and url_root end with
# '/' (url_root adds the mount point), host is `name[:port]`, scheme is `http`/`https`
ATTRIBUTES = ("host_url", "url_root", "host", "scheme")
SCHEMES = ("http://", "https://")
ADVICE = "build this absolute URL with `url_for(..., _external=True)`"
WHY = (
    "url_for follows the route if its URL changes and honours the mount point, "
    "SERVER_NAME and the scheme"
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class HandBuiltExternalUrl(Rule):
    """
    What it does:
        Finds absolute URLs built by hand from Flask's request inside functions:
        `request.host_url + 'orders/1'`, `request.url_root + ...`, f-strings, `%` and
        `.format` that start with `request.host_url` or `request.url_root`, and
        `'https://' + request.host + '/orders'` (a literal scheme, or `request.scheme`,
        then `://`, then `request.host`). When exactly one route serves the path, as in
        FLK102 (the same route resolution, query parameters and dynamic pieces), the
        expression becomes `url_for('endpoint', **arguments, _external=True)`.

    Why is this bad?:
        The path is written twice, in the route and in the string, and silently breaks
        when the route's URL changes. `request.host_url` leaves out the mount point
        (SCRIPT_NAME) of an app deployed under a prefix, and a hard-coded `http://` gives
        plain-HTTP links on an HTTPS site. `url_for(..., _external=True)` builds the whole
        URL from the route and the request.

    Example:
        @app.route("/orders/<int:order_id>")
        def order(order_id): ...

        @app.post("/orders")
        def create_order():
            order = save(request.form)
            send_mail(order.email, request.host_url + "orders/" + str(order.id))

    Use instead:
        @app.post("/orders")
        def create_order():
            order = save(request.form)
            send_mail(order.email, url_for("order", order_id=str(order.id), _external=True))

    Fix safety:
        Intended: the URL may change. Its scheme is the request's (or, outside a request,
        PREFERRED_URL_SCHEME), so `'http://' + request.host + ...` becomes `https://` on an
        HTTPS request and `'https://' + ...` becomes `http://` behind a proxy that
        terminates TLS unless the app trusts X-Forwarded-Proto (ProxyFix); the finding says
        so. The host is SERVER_NAME's when it is set. From `request.host_url`, the URL now
        carries the app's mount point (SCRIPT_NAME): the hand-built one pointed outside an
        app deployed under a prefix. Everything FLK102 changes changes here too: the rule's
        trailing slash, numbers without leading zeros, `?flag` written `?flag=`, dynamic
        pieces quoted and checked by their converter (the finding says so for int, float,
        uuid and any).
        Reported, not rewritten: a path no route serves (with the nearest routes), one
        several routes may serve, `request.host_url + '/orders'` (the URL's path starts with
        `//`, since host_url ends with `/`), and every case FLK102 reports (query values or
        fragments url_for would encode differently, format specs, values unpacked with
        `*`, a `url_for` or `int` that is not the one expected, a route of another app).
        Choices where the catalogue is silent: only expressions evaluated inside a function
        are rewritten (url_for needs a context); the base alone (`request.host_url`), a
        base followed by a variable (`request.host_url + path`), `request.host` with no
        scheme before it, and a base that is not at the start (`'<a href="' +
        request.host_url + ...`) give no finding; `request` must be Flask's (a parameter
        named `request` is not).
    """

    code = "FLK105"
    name = "hand-built-external-url"
    fix_level = FixLevel.INTENDED
    summary = "Build absolute URLs with `url_for(..., _external=True)`, not from `request.host_url`."
    triggers = (b"host_url", b"url_root", b".host")
    required_imports = frozenset({"flask"})
    required_words = (b"request",)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module: TriageModule) -> bool:
        return any(a.attr in ("host_url", "url_root", "host") for a in module.all(ast.Attribute))

    valid = (
        # a parameter named `request` (a Django-style helper), not Flask's
        _code("""
            from flask import Flask

            app = Flask(__name__)

            @app.route("/orders")
            def orders():
                return "orders"

            def orders_link(request):
                return request.host_url + "orders"
        """),
        # the base alone, a variable path, a host without a scheme, a base not at the start
        _code("""
            from flask import Flask, jsonify, request

            app = Flask(__name__)

            @app.route("/orders")
            def orders():
                return "orders"

            @app.route("/api")
            def api():
                path = request.args.get("path", "")
                return jsonify(
                    base=request.host_url,
                    target=request.host_url + path,
                    host=request.host + "/orders",
                    link='<a href="' + request.url_root + 'orders">orders</a>',
                )
        """),
        # another object's host_url
        _code("""
            from flask import Flask

            app = Flask(__name__)

            @app.route("/orders")
            def orders():
                return "orders"

            def link(site):
                return site.host_url + "orders"
        """),
    )
    invalid = (
        # host_url + a path with a dynamic piece
        Example(
            _code("""
                from flask import Flask, request

                app = Flask(__name__)

                @app.route("/orders/<int:order_id>")
                def order(order_id):
                    return "order"

                @app.post("/orders")
                def create_order():
                    order = save(request.form)
                    send_mail(order.email, request.host_url + "orders/" + str(order.id))
                    return "created"
            """),
            _code("""
                from flask import Flask, request, url_for

                app = Flask(__name__)

                @app.route("/orders/<int:order_id>")
                def order(order_id):
                    return "order"

                @app.post("/orders")
                def create_order():
                    order = save(request.form)
                    send_mail(order.email, url_for("order", order_id=str(order.id), _external=True))
                    return "created"
            """),
        ),
        # url_root in an f-string, % and .format, with a query string
        Example(
            _code("""
                from flask import Flask, request

                app = Flask(__name__)

                @app.route("/orders/<int:order_id>")
                def order(order_id):
                    return "order"

                @app.route("/orders")
                def orders():
                    return "orders"

                @app.route("/links/<int:order_id>")
                def links(order_id):
                    return {
                        "self": f"{request.url_root}orders/{order_id}",
                        "list": "%sorders?page=2" % request.url_root,
                        "home": "{}orders".format(request.host_url),
                    }
            """),
            _code("""
                from flask import Flask, request, url_for

                app = Flask(__name__)

                @app.route("/orders/<int:order_id>")
                def order(order_id):
                    return "order"

                @app.route("/orders")
                def orders():
                    return "orders"

                @app.route("/links/<int:order_id>")
                def links(order_id):
                    return {
                        "self": url_for("order", order_id=order_id, _external=True),
                        "list": url_for("orders", page="2", _external=True),
                        "home": url_for("orders", _external=True),
                    }
            """),
        ),
        # a hard-coded scheme and request.host; request.scheme in an f-string
        Example(
            _code("""
                import flask

                app = flask.Flask(__name__)

                @app.route("/confirm/<token>")
                def confirm(token):
                    return "confirmed"

                @app.route("/signup")
                def signup():
                    token = make_token()
                    link = "http://" + flask.request.host + "/confirm/" + token
                    other = f"{flask.request.scheme}://{flask.request.host}/confirm/{token}"
                    return link + other
            """),
            _code("""
                import flask

                app = flask.Flask(__name__)

                @app.route("/confirm/<token>")
                def confirm(token):
                    return "confirmed"

                @app.route("/signup")
                def signup():
                    token = make_token()
                    link = flask.url_for("confirm", token=token, _external=True)
                    other = flask.url_for("confirm", token=token, _external=True)
                    return link + other
            """),
        ),
        # no route serves it, and a path starting with `//`: reported
        Example(
            _code("""
                from flask import Flask, request

                app = Flask(__name__)

                @app.route("/orders")
                def orders():
                    return "orders"

                @app.route("/links")
                def links():
                    return [request.host_url + "order", request.host_url + "/orders"]
            """),
        ),
    )

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        super().__init__(context)
        self._inside: set[int] = set()  # nodes inside an expression already handled

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, (cst.Add, cst.Modulo)):
            self._check(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._check(node)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            self._check(node)

    def _base(self, expr: cst.BaseExpression) -> str | None:
        """Which attribute of Flask's request `expr` reads, if it is one of ATTRIBUTES."""
        if not (isinstance(expr, cst.Attribute) and expr.attr.value in ATTRIBUTES):
            return None
        name = qualified_name(self, expr.value)
        return expr.attr.value if name in REQUESTS else None

    def _check(self, node: cst.BaseExpression) -> None:
        if id(node) in self._inside:
            return
        url = read_url(node, lambda e: self._base(e) in ("host_url", "url_root"))
        if url is None:
            return
        split = self._split(url)
        if split is None:
            return
        self._mark(node)
        path, scheme = split
        function = enclosing_function(self, node)
        if function is None:
            return  # url_for would have no context
        if isinstance(path, str):
            self.report(node, f"{ADVICE}; not rewritten: {path}")
            return
        if url.problem:
            self.report(node, f"{ADVICE}; not rewritten: {url.problem}")
            return
        resolution = resolve_path(self, path, function)
        if resolution.status != "unique":
            self.report(node, unresolved_message(resolution, ADVICE))
            return
        route = resolution.route
        assert route is not None and route.endpoint is not None
        arguments = url_for_arguments(self, node, url, resolution, function)
        if isinstance(arguments, str):
            self.report(node, f"{ADVICE}; not rewritten: {arguments}")
            return
        values, notes = arguments
        values.append(("_external", cst.Name("True")))
        call, imports = url_for_call(self, node, route.endpoint, url, values)
        message = f"build `{spelled(call)}` instead of `{spelled(node)}`: {WHY}"
        if imports is None:
            self.report(
                node,
                f"{message}; not rewritten: `url_for` here is not flask.url_for "
                "(import Flask's under another name or rename this one)",
            )
            return
        if scheme:
            notes.insert(
                0,
                f"the scheme is now the request's, not always {scheme[:-3]} "
                "(PREFERRED_URL_SCHEME outside a request)",
            )
        if notes:
            message += "; note: " + "; ".join(notes)
        self.report(node, message, fix=Fix({node: call}, add_imports=imports))

    def _split(self, url: Url) -> tuple[list[str | Hole] | str, str] | None:
        """The path pieces after the request's base (or why they are not a path), and the
        literal scheme written before `request.host` ('' if none); None when `url` does
        not start from the request."""
        pieces, holes = [p for p in url.pieces if p != ""], url.holes
        first = pieces[0] if pieces else None
        if isinstance(first, Hole) and self._base(holes[first.index].expr) in (
            "host_url",
            "url_root",
        ):
            attribute = self._base(holes[first.index].expr)
            rest = pieces[1:]
            if not rest or not isinstance(rest[0], str):
                return None  # the base alone, or a variable path
            if rest[0].startswith("/"):
                return (
                    f"the URL's path starts with `//` (`request.{attribute}` ends with `/`)",
                    "",
                )
            return ["/" + rest[0], *rest[1:]], ""
        scheme = ""
        if isinstance(first, str) and first in SCHEMES:
            scheme, pieces = first, pieces[1:]
        elif (
            isinstance(first, Hole)
            and self._base(holes[first.index].expr) == "scheme"
            and len(pieces) > 1
            and pieces[1] == "://"
        ):
            pieces = pieces[2:]
        else:
            return None
        host = pieces[0] if pieces else None
        if not (isinstance(host, Hole) and self._base(holes[host.index].expr) == "host"):
            return None
        rest = pieces[1:]
        if not rest or not isinstance(rest[0], str) or not rest[0].startswith("/"):
            return None  # a port, a variable path, or nothing after the host
        if rest[0].startswith("//"):
            return "the URL's path starts with `//`", scheme
        return list(rest), scheme

    def _mark(self, node: cst.CSTNode) -> None:
        stack = list(node.children)
        while stack:
            child = stack.pop()
            self._inside.add(id(child))
            stack.extend(child.children)
