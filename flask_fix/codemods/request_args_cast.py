"""FLK103 request-args-cast."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.names import qualified_name
from ..rewrite.try_handlers import TryAwareRule, surely_inside_try_catching

CASTS = {"builtins.int": int, "builtins.float": float}
COLLECTIONS = ("args", "form", "values")
REQUEST = "flask.request"
# What the cast can raise, by form; a `try` catching one of them already handles bad input.
BAD_VALUE = ("ValueError", "Exception", "BaseException")
# int(None) for a missing key, or int(<any default>) for a default that is not a literal
NONE_OR_ANY = BAD_VALUE + ("TypeError",)
# request.args['k'] raises BadRequestKeyError(BadRequest, KeyError) for a missing key
MISSING_KEY = BAD_VALUE + (
    "KeyError",
    "LookupError",
    "werkzeug.exceptions.BadRequestKeyError",
    "werkzeug.exceptions.BadRequest",
    "werkzeug.exceptions.HTTPException",
)

_IMPORT = "from flask import request\n\n"


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


class RequestArgsCast(TryAwareRule):
    """
    What it does:
        Finds `int(...)`/`float(...)` casts of a value read from `request.args`,
        `request.form` or `request.values` (`.get('k', d)`, `.get('k') or d`, `.get('k')`,
        `['k']`) and rewrites them to `request.args.get('k', default=d, type=int)`. Also
        spells out `request.args.get('k', d, int)` as `.get('k', default=d, type=int)`.

    Why is this bad?:
        `int(request.args.get('page', 1))` raises ValueError when a client sends
        `?page=abc`: a 500 Internal Server Error for a client's mistake. With `type=int`,
        Werkzeug converts the value itself and returns the default when it cannot.

    Example:
        page = int(request.args.get('page', '1'))
        per_page = int(request.args.get('per_page') or 20)

    Use instead:
        page = request.args.get('page', default=1, type=int)
        per_page = request.args.get('per_page', default=20, type=int)

    Fix safety:
        Intended, for a literal default: a malformed value now gives the default instead
        of a 500; valid and missing values give what they gave before. Werkzeug returns the
        default unconverted, so it is written as the target type (`'20'` becomes `20`,
        `1` becomes `1.0` for `float`); a default already of that type is kept as written
        (`0x10`). A literal with no such value (`'1.5'` for `int`, `True`, `None`, bytes,
        `'nan'`) is only reported. With `.get('k') or d` an empty value gave `d` before and
        still does (`int('')` fails, so `type=` falls back to the default). With
        `request.values`, a malformed query value falls through to a form value of the same
        name before the default (CombinedMultiDict.get tries each source in turn).
        Unsafe: a default that is not a literal (`PER_PAGE`, `config.PER_PAGE`) is kept as
        the expression, returned unconverted, so it may not be of the target type; after
        `or` it was evaluated only for a missing or empty value, now on every call.
        `int(request.args.get('k'))` and `int(request.args['k'])` become
        `.get('k', type=int)`: a missing or malformed value gives None instead of a 500
        (or a 400 for a missing `['k']`).
        Safe: `.get('k', d, int)` to `.get('k', default=d, type=int)`, the same call.
        No finding at all: a cast in the body of a `try` whose handler catches what the cast
        raised: ValueError, Exception, BaseException or a bare `except:`; also TypeError
        (`int(None)`) when there is no default or one that is not a number or numeric
        string; also KeyError, LookupError and Werkzeug's BadRequestKeyError, BadRequest
        and HTTPException for `['k']` (Werkzeug raises BadRequestKeyError, a subclass of
        all of them). Also left alone: a base argument (`int(x, 16)`), a `.get()` that
        already has a type or arguments the rule does not know, names that do not resolve
        to Flask's `request` and the builtin `int`/`float`, and `request.headers` and
        `request.cookies`: they have the same `.get(type=)`, but RULES.md names args, form
        and values only.
    """

    code = "FLK103"
    name = "request-args-cast"
    fix_level = FixLevel.INTENDED
    summary = "Convert request values with `.get(key, default=..., type=int)`, not `int(...)`."
    triggers = (b".args", b".form", b".values")
    called_names = frozenset({"int", "float", "get"})
    required_imports = frozenset({"flask"})
    required_words = (b"request",)  # the rule reads Flask's `request` object
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        if isinstance(call.func, ast.Attribute):  # `.get(key, default, type)`
            return len(call.args) >= 3 and _is_request_data(call.func.value)
        # int(x.args.get(...)), int(x.args[...]), int(x.args.get(...) or d)
        value = call.args[0] if call.args else None
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[0]
        if isinstance(value, ast.Subscript):
            return _is_request_data(value.value)
        return (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "get"
            and _is_request_data(value.func.value)
        )

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A `.get(key, default, type)` call, or a cast not surely inside a `try` that
        handles a bad value (which the rule leaves alone, whatever the cast's shape)."""
        if any(cls.call_could_fire(call) for call in module.calls("get")):
            return True
        return any(
            cls.call_could_fire(call)
            and not surely_inside_try_catching(module, call, BAD_VALUE)
            for name in ("int", "float")
            for call in module.calls_to(name)
        )

    valid = (
        # a Django-style helper: the parameter named `request` is not Flask's
        "def page_of(request):\n    return int(request.args.get('page', 1))\n",
        # `request` rebound at module level
        _IMPORT + "request = object()\n\ndef view():\n"
        "    return int(request.args.get('page', 1))\n",
        # casting something else; headers are outside the rule
        "import os\nfrom flask import request\n\ndef view():\n"
        "    return int(os.environ.get('PAGE', 1)) + int(request.headers.get('X-Page', 1))\n",
        # a base argument
        _IMPORT + "def view():\n    return int(request.args.get('mask', '0'), 16)\n",
        # the program handles bad input itself
        _IMPORT + "def view():\n    try:\n        page = int(request.args.get('page', 1))\n"
        "    except ValueError:\n        page = 1\n    return str(page)\n",
        _IMPORT + "def view():\n    try:\n        page = int(request.args['page'])\n"
        "    except KeyError:\n        page = 1\n    return str(page)\n",
        _IMPORT + "def view():\n    try:\n        page = int(request.args.get('page'))\n"
        "    except TypeError:\n        page = 1\n    return str(page)\n",
        # `int` is the module's own
        _IMPORT + "def int(value):\n    return value\n\ndef view():\n"
        "    return int(request.args.get('page', 1))\n",
        # already right, or a type already given, or arguments the rule does not know
        _IMPORT + "def view():\n    a = request.args.get('page', default=1, type=int)\n"
        "    b = int(request.args.get('page', 1, type=int))\n"
        "    c = int(request.args.get('page', 1, **extra))\n    return a, b, c\n",
    )
    invalid = (
        Example(
            _IMPORT + "def view():\n    page = int(request.args.get('page', 1))\n",
            _IMPORT + "def view():\n    page = request.args.get('page', default=1, type=int)\n",
        ),
        Example(
            _IMPORT + "def view():\n    return int(request.args.get('per_page', '20'))\n",
            _IMPORT + "def view():\n"
            "    return request.args.get('per_page', default=20, type=int)\n",
        ),
        Example(
            _IMPORT + "def view():\n    a = float(request.args.get('lat', '0'))\n"
            "    b = float(request.form.get('lng', default=1))\n"
            "    c = int(request.values.get('n', -1))\n",
            _IMPORT + "def view():\n    a = request.args.get('lat', default=0.0, type=float)\n"
            "    b = request.form.get('lng', default=1.0, type=float)\n"
            "    c = request.values.get('n', default=-1, type=int)\n",
        ),
        Example(
            _IMPORT + "def view(key):\n    return int(request.args.get(key) or 10)\n",
            _IMPORT + "def view(key):\n    return request.args.get(key, default=10, type=int)\n",
        ),
        # a `try` that only catches KeyError: .get() never raised it
        Example(
            _IMPORT + "def view():\n    try:\n        n = int(request.form.get('n', '3'))\n"
            "    except KeyError:\n        n = 0\n",
            _IMPORT + "def view():\n    try:\n"
            "        n = request.form.get('n', default=3, type=int)\n    except KeyError:\n"
            "        n = 0\n",
        ),
        Example(
            "import flask\nfrom flask import request as req\n\ndef view():\n"
            "    return int(flask.request.args.get('a', 1)) + int(req.args.get('b', 2))\n",
            "import flask\nfrom flask import request as req\n\ndef view():\n"
            "    return flask.request.args.get('a', default=1, type=int)"
            " + req.args.get('b', default=2, type=int)\n",
        ),
        # safe: positional type to keywords
        Example(
            _IMPORT + "def view():\n    return request.args.get('page', 1, int)\n",
            _IMPORT + "def view():\n    return request.args.get('page', default=1, type=int)\n",
        ),
        # report only: no value of the target type to write as the default
        Example(
            _IMPORT + "def view():\n    a = int(request.args.get('a', '1.5'))\n"
            "    b = int(request.args.get('b', True))\n    c = int(request.args.get('c', None))\n"
            "    d = int(request.args.get('d', b'1'))\n"
            "    e = float(request.args.get('e', 'nan'))\n",
        ),
        # unsafe: the default is not a literal; not applied without --unsafe-fixes
        Example(
            _IMPORT + "PER_PAGE = 20\n\ndef view():\n"
            "    return int(request.args.get('per_page', PER_PAGE))\n",
        ),
        Example(
            _IMPORT + "PER_PAGE = 20\n\ndef view():\n"
            "    return int(request.args.get('per_page', PER_PAGE))\n",
            _IMPORT + "PER_PAGE = 20\n\ndef view():\n"
            "    return request.args.get('per_page', default=PER_PAGE, type=int)\n",
            unsafe=True,
        ),
        Example(
            _IMPORT + "import config\n\ndef view():\n"
            "    a = int(request.args.get('a') or config.PER_PAGE)\n"
            "    b = float(request.args.get('b') or SCALE)\n",
            _IMPORT + "import config\n\ndef view():\n"
            "    a = request.args.get('a', default=config.PER_PAGE, type=int)\n"
            "    b = request.args.get('b', default=SCALE, type=float)\n",
            unsafe=True,
        ),
        # unsafe: no default, so a missing or bad value gives None
        Example(
            _IMPORT + "def view():\n    a = int(request.args.get('a'))\n"
            "    b = float(request.form['b'])\n",
            _IMPORT + "def view():\n    a = request.args.get('a', type=int)\n"
            "    b = request.form.get('b', type=float)\n",
            unsafe=True,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self._collection(node.func) is not None and _positional(node.args, 3):
            self._keyword_form(node)
            return
        cast = CASTS.get(qualified_name(self, node.func) or "")
        if cast is None or not _positional(node.args, 1):
            return
        found = self._lookup(node.args[0].value)
        if found is None:
            return
        collection, key, default, get = found
        cast_name = _code(node.func)
        value = None if default is None else _converted(default, cast)
        if isinstance(value, cst.CSTNode):
            raises = BAD_VALUE
        else:  # no default, a non-literal one, or one that int()/float() rejects
            raises = MISSING_KEY if get is None else NONE_OR_ANY
        if self.inside_try_catching(raises):
            return
        if value is False:
            self.report(
                node,
                f"use `{_code(collection)}.get(..., default=<{cast_name}>, type={cast_name})`:"
                f" the default `{_code(default)}` is not a number or string that converts"
                f" to {cast_name}, so this is only reported",
            )
            return
        level, why = FixLevel.UNSAFE, "a malformed value gives the default instead of a 500"
        if value is not None:
            level = FixLevel.INTENDED
        elif default is not None:
            why += f"; unsafe: `{_code(default)}` is returned as is, not converted to {cast_name}"
        else:
            why = "unsafe: a missing or malformed value then gives None instead of a " + (
                "500" if get is not None else "400 (missing) or 500 (malformed)"
            )
        keywords = {} if default is None else {"default": default if value is None else value}
        keywords["type"] = node.func.deep_clone()
        if get is None:
            get = cst.Call(cst.Attribute(collection, cst.Name("get")), [key])
        new = _keyword_call(get, keywords)
        self.report(node, f"use `{_code(new)}`: {why}", fix_level=level, fix=Fix({node: new}))

    def _keyword_form(self, node: cst.Call) -> None:
        _, default, type_ = node.args
        new = _keyword_call(node, {"default": default.value, "type": type_.value})
        self.report(
            node,
            f"use `{_code(new)}`: keywords say which argument is the default and which the type",
            fix_level=FixLevel.SAFE,
            fix=Fix({node: new}),
        )

    def _collection(self, func: cst.BaseExpression) -> cst.BaseExpression | None:
        """`request.args` (form, values) if `func` is its `.get`, else None."""
        if not (isinstance(func, cst.Attribute) and func.attr.value == "get"):
            return None
        return self._request_collection(func.value)

    def _request_collection(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        if (
            isinstance(expr, cst.Attribute)
            and expr.attr.value in COLLECTIONS
            and qualified_name(self, expr.value) == REQUEST
        ):
            return expr
        return None

    def _lookup(self, expr: cst.BaseExpression):
        """(collection, key Arg, default expression or None, the `.get` call or None for
        `['k']`) if `expr` reads one request value in a form the rule rewrites."""
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            inner = self._lookup(expr.left)
            if inner is None or inner[2] is not None or inner[3] is None:
                return None
            return inner[0], inner[1], expr.right, inner[3]
        if isinstance(expr, cst.Subscript):
            collection = self._request_collection(expr.value)
            if collection is None or len(expr.slice) != 1:
                return None
            index = expr.slice[0].slice
            if not isinstance(index, cst.Index) or index.star is not None:
                return None
            return collection, cst.Arg(index.value), None, None
        if not isinstance(expr, cst.Call):
            return None
        collection = self._collection(expr.func)
        if collection is None or not _positional(expr.args[:1], 1):
            return None
        key, rest = expr.args[0], expr.args[1:]
        if len(rest) > 1 or any(a.star for a in rest):
            return None
        default = None
        if rest:
            if rest[0].keyword is not None and rest[0].keyword.value != "default":
                return None
            default = rest[0].value
        return collection, key, default, expr


def _positional(args, count: int) -> bool:
    return len(args) == count and all(a.keyword is None and not a.star for a in args)


def _converted(default: cst.BaseExpression, cast: type) -> cst.BaseExpression | None | bool:
    """`default` as a literal of type `cast`; None if it is not a literal; False if it is
    one with no value of that type that `repr` writes back exactly."""
    try:
        value = ast.literal_eval(_code(default).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if type(value) is cast:
        return default
    if type(value) not in (int, float, str):
        return False
    try:
        text = repr(cast(value))
        if ast.literal_eval(text) != cast(value):  # nan, inf
            return False
    except (ValueError, OverflowError, SyntaxError):
        return False
    return cst.parse_expression(text)


def _keyword_call(call: cst.Call, keywords: dict[str, cst.BaseExpression]) -> cst.Call:
    """`call` (`.get(key[, default[, type]])`) with the arguments after the key named by
    `keywords`, in order, and the missing ones appended. Existing arguments keep their
    layout and comments; a call written one argument per line stays so."""
    names = list(keywords)
    args = [call.args[0]] + [
        arg.with_changes(
            keyword=cst.Name(name),
            equal=_EQUAL if arg.keyword is None else arg.equal,
            value=keywords[name],
        )
        for name, arg in zip(names, call.args[1:])
    ]
    rest = names[len(args) - 1 :]
    if not rest:
        return call.with_changes(args=args)
    breaks = [
        a.comma.whitespace_after
        for a in call.args[:-1]
        if isinstance(a.comma.whitespace_after, cst.ParenthesizedWhitespace)
    ]

    def comma() -> cst.Comma | cst.MaybeSentinel:
        if not breaks:
            return cst.MaybeSentinel.DEFAULT
        # a line break with the arguments' indentation, without any comment
        return cst.Comma(
            whitespace_after=breaks[0].with_changes(
                first_line=cst.TrailingWhitespace(), empty_lines=()
            )
        )

    last = args[-1]
    trailing = isinstance(last.comma, cst.Comma)
    tail = last.comma.whitespace_after if trailing else last.whitespace_after_arg
    if breaks and isinstance(tail, cst.ParenthesizedWhitespace):
        # one argument per line: the last one keeps its comment, the new ones follow it
        # and the line break before `)` (and a trailing comma) moves after them
        after_last = cst.Comma(whitespace_after=tail.with_changes(last_line=breaks[0].last_line))
        closing = tail.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
        end = (cst.Comma(whitespace_after=closing), None) if trailing else (None, closing)
    else:
        after_last, end = comma(), (None, None if trailing else tail)
    if not trailing:
        last = last.with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
    args[-1] = last.with_changes(comma=after_last)
    args += [
        cst.Arg(keywords[name], keyword=cst.Name(name), equal=_EQUAL, comma=comma())
        for name in rest
    ]
    args[-1] = args[-1].with_changes(
        comma=cst.MaybeSentinel.DEFAULT if end[0] is None else end[0],
        whitespace_after_arg=cst.SimpleWhitespace("") if end[1] is None else end[1],
    )
    return call.with_changes(args=args)


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


def _is_request_data(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("args", "form", "values")
