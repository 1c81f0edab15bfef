"""FLK104 json-loads-request."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.names import import_binding, qualified_name
from ..rewrite.try_handlers import TryAwareRule

JSON_LOADS = ("json.loads", "simplejson.loads")
REQUEST = "flask.request"
# what json.loads raises on bad input; a handler catching these already deals with it
DECODE_ERRORS = (
    "ValueError",
    "json.JSONDecodeError",
    "json.decoder.JSONDecodeError",
    "simplejson.JSONDecodeError",
    "simplejson.errors.JSONDecodeError",
    "Exception",
    "BaseException",
)


class JsonLoadsRequest(TryAwareRule):
    """
    What it does:
        Finds `json.loads(request.data)`, `json.loads(request.get_data())` and
        `json.loads(request.get_data(as_text=True))` and rewrites them to
        `request.get_json(force=True)`.

    Why is this bad?:
        Flask already parses the request body: `request.get_json()` caches the result and
        turns invalid JSON into a 400 Bad Request. Decoding by hand turns a client's mistake
        into a 500 Internal Server Error.

    Example:
        data = json.loads(request.data)

    Use instead:
        data = request.get_json(force=True)

    Fix safety:
        Intended: invalid or empty JSON now gives 400 instead of 500; valid bodies give the
        same value. `force=True` keeps accepting bodies whatever their Content-Type (without
        it Flask answers 415 when the Content-Type is not JSON). Calls with extra arguments
        (`object_hook=`, `parse_float=`...) are only reported. A call inside a `try` whose
        handler catches `ValueError` (or `Exception`, or everything) is left alone: the
        program already handles bad input, and the 400 would bypass that handler.
    """

    code = "FLK104"
    name = "json-loads-request"
    fix_level = FixLevel.INTENDED
    summary = "Parse request bodies with `request.get_json()`, not `json.loads`."
    triggers = (b"loads",)
    called_names = frozenset({"loads"})
    required_imports = frozenset({"flask"})
    required_words = (b"request",)  # the rule reads Flask's `request` object
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        return _request_of(call) is not None

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """The body loaded is read from a name that may be Flask's `request` (tests
        loading `response.data` matched the shape)."""
        for call in module.calls_to("loads"):
            request = _request_of(call)
            if request is not None:
                names = module.possible_names(request)
                if names is None or REQUEST in names:
                    return True
        return False

    valid = (
        # a local named `request` is not Flask's
        "import json\n\ndef view(request):\n    return json.loads(request.data)\n",
        # `json` rebound to something else in the module
        "import json\nfrom flask import request\njson = object()\n\n"
        "def view():\n    return json.loads(request.data)\n",
        # the program already handles the decode error itself
        "import json\nfrom flask import request\n\ndef view():\n    try:\n"
        "        data = json.loads(request.data)\n    except ValueError:\n"
        "        data = {}\n    return data\n",
        # loading something else
        "import json\nfrom flask import request\n\ndef view():\n"
        "    return json.loads(request.args['q'])\n",
    )
    invalid = (
        Example(
            "import json\nfrom flask import request\n\ndef view():\n"
            "    return json.loads(request.data)\n",
            "from flask import request\n\ndef view():\n"
            "    return request.get_json(force=True)\n",
        ),
        Example(
            "from json import loads\nimport flask as f\n\ndef view():\n"
            "    return loads(f.request.get_data(as_text=True))\n",
            "import flask as f\n\ndef view():\n"
            "    return f.request.get_json(force=True)\n",
        ),
        Example(
            "import simplejson as sj\nfrom flask import request\n\ndef view():\n"
            "    try:\n        x = sj.loads(request.get_data())\n    except KeyError:\n"
            "        x = None\n    return x\n",
            "from flask import request\n\ndef view():\n"
            "    try:\n        x = request.get_json(force=True)\n    except KeyError:\n"
            "        x = None\n    return x\n",
        ),
        Example(
            "import json\nfrom flask import request\n\ndef view():\n"
            "    return json.loads(request.data, object_hook=dict)\n",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if qualified_name(self, node.func) not in JSON_LOADS or not node.args:
            return
        body = node.args[0]
        request = self._request_of(body.value)
        if request is None or body.keyword or body.star:
            return
        if len(node.args) > 1:
            self.report(
                node,
                "parse the body with `request.get_json()`; the extra json.loads arguments "
                "need a custom JSON provider (`app.json`), so this is not rewritten",
            )
            return
        if self.inside_try_catching(DECODE_ERRORS):
            return
        replacement = cst.Call(
            func=cst.Attribute(request, cst.Name("get_json")),
            args=[cst.Arg(cst.Name("True"), keyword=cst.Name("force"), equal=_EQUAL)],
        )
        binding = import_binding(self, node.func)
        self.report(
            node,
            "use `request.get_json(force=True)`: invalid JSON becomes a 400, not a 500",
            fix=Fix(
                {node: replacement},
                remove_unused_imports=(binding,) if binding else (),
            ),
        )

    def _request_of(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        """The `request` expression if `expr` is its raw body, else None."""
        if isinstance(expr, cst.Attribute) and expr.attr.value == "data":
            target = expr.value
        elif (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "get_data"
            and (not expr.args or (len(expr.args) == 1 and _is_as_text_true(expr.args[0])))
        ):
            target = expr.func.value
        else:
            return None
        return target if qualified_name(self, target) == REQUEST else None


def _request_of(call: ast.Call) -> ast.expr | None:
    """Stdlib-ast triage of `_request_of`: the object whose `.data` or `.get_data()` the
    call's first argument reads."""
    body = call.args[0] if call.args else None
    if isinstance(body, ast.Attribute) and body.attr == "data":
        return body.value
    if (
        isinstance(body, ast.Call)
        and isinstance(body.func, ast.Attribute)
        and body.func.attr == "get_data"
    ):
        return body.func.value
    return None


def _is_as_text_true(arg: cst.Arg) -> bool:
    return (
        arg.keyword is not None
        and arg.keyword.value == "as_text"
        and isinstance(arg.value, cst.Name)
        and arg.value.value == "True"
    )


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)
