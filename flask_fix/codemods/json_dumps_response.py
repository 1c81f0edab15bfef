"""FLK101 json-dumps-response."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Fix, Rule
from ..rewrite.names import import_binding, qualified_name, reference

JSON_DUMPS = ("json.dumps", "simplejson.dumps", "flask.json.dumps")
MAKE_RESPONSE = ("flask.make_response", "flask.helpers.make_response")
# jsonify sorts keys and writes compact JSON itself: these only changed the layout
DROPPED = ("sort_keys", "separators")
# why jsonify cannot take the other arguments over
REASONS = {
    "indent": "it writes compact JSON, indented only in debug mode or with "
    "`app.json.compact = False`",
    "default": "it encodes other types with `app.json.default`, which a custom JSON "
    "provider (`app.json_provider_class`) can override",
    "cls": "move the encoder's `default` into a custom JSON provider (`app.json_provider_class`)",
    "ensure_ascii": "`app.json.ensure_ascii` sets it for the whole app",
}
OTHER_REASON = "a custom JSON provider (`app.json_provider_class`) can pass it to json.dumps"


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class JsonDumpsResponse(Rule):
    """
    What it does:
        Finds views that return `json.dumps(x)` (also `simplejson.dumps`,
        `flask.json.dumps`, `from json import dumps` and aliases) on its own, as the body
        of a `(body, status)`, `(body, status, headers)` or `(body, headers)` tuple, or as
        the first argument of `make_response(...)`, and rewrites the call to `jsonify(x)`.

    Why is this bad?:
        A string returned from a view is sent as `text/html; charset=utf-8`, so clients,
        browsers and API tools do not see JSON. `jsonify` builds a response with the
        `application/json` Content-Type and encodes what the app's JSON provider knows
        (dates, decimals, UUIDs, dataclasses).

    Example:
        @app.route("/users")
        def users():
            return json.dumps({"users": names}), 200

    Use instead:
        @app.route("/users")
        def users():
            return jsonify({"users": names}), 200

    Fix safety:
        Intended: the response's Content-Type becomes `application/json`; the body is the
        same JSON value, written compact with sorted keys and a trailing newline (indented
        in debug mode). `sort_keys=` and `separators=` are dropped: they only changed the
        layout. Calls with `indent=`, `default=`, `cls=`, `ensure_ascii=`, any other
        argument, or `*args`/`**kwargs` are only reported: jsonify cannot take them over.
        Where `jsonify` is bound to something other than Flask's, the finding is reported
        and nothing is rewritten. The import is reused when present (`from flask import
        jsonify`, or `f.jsonify` through `import flask as f`), otherwise added; the json
        import is removed once unused.
        Choices where the catalogue is silent: `flask.json.dumps` counts as a `json.dumps`;
        `json.dumps(obj=x)` becomes `jsonify(x)`; only a `return` of the view itself counts
        (not one in a function nested inside it), and only `flask.make_response`; a dict
        whose keys mix types (`{1: "a", "b": 2}`) cannot be sorted, so jsonify raises
        TypeError where json.dumps without `sort_keys` did not.
    """

    code = "FLK101"
    name = "json-dumps-response"
    fix_level = FixLevel.INTENDED
    summary = "Return JSON from views with `jsonify()`, not `json.dumps()`."
    triggers = (b"dumps",)
    called_names = frozenset({"dumps"})
    required_imports = frozenset({"json", "simplejson", "flask"})

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A `dumps(...)` call returned as the body: alone, first in a `(body, status)`
        tuple, or first given to a call (`make_response(...)`)."""
        dumps = {id(call) for call in module.calls_to("dumps")}
        for statement in module.all(ast.Return):
            body = _ast_body_of_tuple(statement.value)
            if isinstance(body, ast.Call) and body.args and id(body) not in dumps:
                body = _ast_body_of_tuple(body.args[0])
            if isinstance(body, ast.Call) and id(body) in dumps:
                return True
        return False

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return index.has_views(path)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    valid = (
        # a helper that is not a view
        _code("""
            import json
            from flask import Flask

            app = Flask(__name__)

            def payload(data):
                return json.dumps(data)

            @app.route("/")
            def index():
                return payload({"ok": True})
        """),
        # `json` is a local variable
        _code("""
            import json
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                json = Encoder()
                return json.dumps({"ok": True})
        """),
        # `json` is rebound at module level
        _code("""
            import json
            from flask import Flask

            app = Flask(__name__)
            json = Encoder()

            @app.route("/")
            def index():
                return json.dumps({"ok": True})
        """),
        # the module's own `dumps`
        _code("""
            from flask import Flask

            app = Flask(__name__)

            def dumps(value):
                return "<pre>%r</pre>" % (value,)

            @app.route("/")
            def index():
                return dumps({"ok": True})
        """),
        # the response is already built with its own mimetype
        _code("""
            import json
            from flask import Flask, Response

            app = Flask(__name__)

            @app.route("/")
            def index():
                return Response(json.dumps({"ok": True}), mimetype="application/json")
        """),
        # dumped, but not returned
        _code("""
            import json
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                app.logger.info(json.dumps({"ok": True}))
                cache["last"] = json.dumps({"ok": True})
                return "ok"
        """),
        # the return belongs to a nested function, not to the view
        _code("""
            import json
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                def render(data):
                    return json.dumps(data)
                return "<pre>" + render({"ok": True}) + "</pre>"
        """),
        # not a Flask app: the decorator belongs to another framework
        _code("""
            import json
            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/")
            def index():
                return json.dumps({"ok": True})
        """),
    )
    invalid = (
        # returned alone; jsonify joins the existing flask import, json goes
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/users")
                def users():
                    return json.dumps({"users": []})
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/users")
                def users():
                    return jsonify({"users": []})
            """),
        ),
        # (body, status)
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return json.dumps({"id": 1}), 201
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return jsonify({"id": 1}), 201
            """),
        ),
        # (body, status, headers)
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return (json.dumps({"id": 1}), 201, {"Location": "/users/1"})
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return (jsonify({"id": 1}), 201, {"Location": "/users/1"})
            """),
        ),
        # (body, headers)
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return json.dumps({"ok": True}), {"X-Version": "2"}
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return jsonify({"ok": True}), {"X-Version": "2"}
            """),
        ),
        # make_response(json.dumps(x), status)
        Example(
            _code("""
                import json
                from flask import Flask, make_response

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return make_response(json.dumps({"id": 1}), 201)
            """),
            _code("""
                from flask import Flask, jsonify, make_response

                app = Flask(__name__)

                @app.route("/users", methods=["POST"])
                def create():
                    return make_response(jsonify({"id": 1}), 201)
            """),
        ),
        # from json import dumps
        Example(
            _code("""
                from json import dumps
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return dumps([1, 2, 3])
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return jsonify([1, 2, 3])
            """),
        ),
        # import json as j
        Example(
            _code("""
                import json as j
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return j.dumps({"ok": True})
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return jsonify({"ok": True})
            """),
        ),
        # simplejson
        Example(
            _code("""
                import simplejson
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return simplejson.dumps({"ok": True})
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return jsonify({"ok": True})
            """),
        ),
        # `import flask as f` is reused: no new import
        Example(
            _code("""
                import json
                import flask as f

                app = f.Flask(__name__)

                @app.route("/")
                def index():
                    return json.dumps({"ok": True})
            """),
            _code("""
                import flask as f

                app = f.Flask(__name__)

                @app.route("/")
                def index():
                    return f.jsonify({"ok": True})
            """),
        ),
        # an existing `from flask import jsonify` is reused
        Example(
            _code("""
                import json
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/a")
                def a():
                    return jsonify(ok=True)

                @app.route("/b")
                def b():
                    return json.dumps({"ok": True})
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/a")
                def a():
                    return jsonify(ok=True)

                @app.route("/b")
                def b():
                    return jsonify({"ok": True})
            """),
        ),
        # `import json` stays while something else still uses it
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)
                SETTINGS = json.load(open("settings.json"))

                @app.route("/settings")
                def settings():
                    return json.dumps(SETTINGS)
            """),
            _code("""
                import json
                from flask import Flask, jsonify

                app = Flask(__name__)
                SETTINGS = json.load(open("settings.json"))

                @app.route("/settings")
                def settings():
                    return jsonify(SETTINGS)
            """),
        ),
        # sort_keys / separators only changed the layout: dropped
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return json.dumps({"b": 1, "a": 2}, sort_keys=True, separators=(",", ":"))
            """),
            _code("""
                from flask import Flask, jsonify

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return jsonify({"b": 1, "a": 2})
            """),
        ),
        # indent= cannot be passed to jsonify: reported only
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                @app.route("/")
                def index():
                    return json.dumps({"ok": True}, indent=2)
            """),
        ),
        # `jsonify` is the module's own function: reported, never rewritten to call it
        Example(
            _code("""
                import json
                from flask import Flask

                app = Flask(__name__)

                def jsonify(data):
                    return "<pre>%s</pre>" % json.dumps(data)

                @app.route("/")
                def index():
                    return json.dumps({"ok": True})
            """),
        ),
        # a MethodView method
        Example(
            _code("""
                import json
                from flask import Flask
                from flask.views import MethodView

                app = Flask(__name__)

                class UserAPI(MethodView):
                    def get(self, id):
                        return json.dumps({"id": id})

                app.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))
            """),
            _code("""
                from flask import Flask, jsonify
                from flask.views import MethodView

                app = Flask(__name__)

                class UserAPI(MethodView):
                    def get(self, id):
                        return jsonify({"id": id})

                app.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))
            """),
        ),
        # a blueprint view
        Example(
            _code("""
                import json
                from flask import Blueprint

                bp = Blueprint("api", __name__, url_prefix="/api")

                @bp.get("/status")
                def status():
                    return json.dumps({"up": True})
            """),
            _code("""
                from flask import Blueprint, jsonify

                bp = Blueprint("api", __name__, url_prefix="/api")

                @bp.get("/status")
                def status():
                    return jsonify({"up": True})
            """),
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # enclosing defs and classes: (name, is_function)
        self._stack: list[tuple[str, bool]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stack.append((node.name.value, False))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.append((node.name.value, True))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def _qualname(self) -> str:
        """Python's `__qualname__` of the innermost def: `view`, `UserAPI.get`,
        `outer.<locals>.inner`."""
        parts: list[str] = []
        for name, is_function in self._stack:
            parts.append(name)
            if is_function:
                parts.append("<locals>")
        return ".".join(parts[:-1])

    def visit_Return(self, node: cst.Return) -> None:
        # a `return` always belongs to the innermost def (a lambda cannot hold one)
        call = self._returned_dumps(node.value)
        path, qualname = self.context.path, self._qualname()
        if call is None or not self.context.index.is_view(path, qualname):
            return
        advice = (
            f"return `jsonify(...)` instead of `{_spelled(call.func)}(...)`: "
            "the response's Content-Type becomes application/json"
        )
        problem = _unsupported(call)
        if problem is not None:
            self.report(call, f"{advice}; not rewritten: {problem}")
            return
        value = _jsonify_arg(call)
        if value is None:
            return  # `json.dumps()`: nothing to dump
        found = reference(self, call, "flask", "jsonify")
        if found is None:
            self.report(
                call,
                f"{advice}; not rewritten: `jsonify` here is not flask.jsonify "
                "(import Flask's under another name or rename this one)",
            )
            return
        jsonify, imports = found
        dropped = [f"`{a.keyword.value}=`" for a in call.args if _keyword(a) in DROPPED]
        if dropped:
            advice += (
                f" ({' and '.join(dropped)} dropped: jsonify sorts keys and writes "
                "compact JSON itself)"
            )
        binding = import_binding(self, call.func)
        self.report(
            call,
            advice,
            fix=Fix(
                {call: call.with_changes(func=jsonify, args=[value])},
                add_imports=imports,
                remove_unused_imports=(binding,) if binding else (),
            ),
        )

    def _returned_dumps(self, expr: cst.BaseExpression | None) -> cst.Call | None:
        """The json.dumps call `expr` returns as the response body, if any."""
        expr = _body_of_tuple(expr)
        if isinstance(expr, cst.Call) and qualified_name(self, expr.func) in MAKE_RESPONSE:
            first = expr.args[0] if expr.args else None
            if first is None or first.keyword or first.star:
                return None
            expr = _body_of_tuple(first.value)
        if isinstance(expr, cst.Call) and qualified_name(self, expr.func) in JSON_DUMPS:
            return expr
        return None


def _body_of_tuple(expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """`body` of a `(body, status)`, `(body, headers)` or `(body, status, headers)`."""
    if isinstance(expr, cst.Tuple) and len(expr.elements) in (2, 3):
        first = expr.elements[0]
        return None if isinstance(first, cst.StarredElement) else first.value
    return expr


def _ast_body_of_tuple(expr: ast.expr | None) -> ast.expr | None:
    """`_body_of_tuple` on the stdlib ast."""
    if isinstance(expr, ast.Tuple) and len(expr.elts) in (2, 3):
        first = expr.elts[0]
        return None if isinstance(first, ast.Starred) else first
    return expr


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword else None


def _spelled(expr: cst.BaseExpression) -> str:
    return cst.Module([]).code_for_node(expr)


def _unsupported(call: cst.Call) -> str | None:
    """Why jsonify cannot take over the arguments of this json.dumps call, or None."""
    for position, arg in enumerate(call.args):
        keyword = _keyword(arg)
        if arg.star:
            return f"the arguments are unpacked (`{arg.star}`), so what is dumped is unknown"
        if keyword is None and position > 0:
            return "jsonify takes no further positional arguments"
        if keyword not in (None, "obj", *DROPPED):
            return f"jsonify has no `{keyword}=`; {REASONS.get(keyword, OTHER_REASON)}"
    return None


def _jsonify_arg(call: cst.Call) -> cst.Arg | None:
    """The dumped value as jsonify's one positional argument, closing the call the way
    the original was closed (a trailing comma, a newline)."""
    value = next((a for a in call.args if _keyword(a) in (None, "obj")), None)
    if value is None:
        return None
    last = call.args[-1]
    return value.with_changes(
        keyword=None,
        equal=cst.MaybeSentinel.DEFAULT,
        comma=last.comma,
        whitespace_after_arg=last.whitespace_after_arg,
    )
