"""Paths of the project written in code, and the `url_for` calls that build them.

FLK102 (a redirect to a literal path) and FLK105 (an absolute URL built by hand from the
request) read a URL expression into literal text and dynamic pieces (`read_url`), resolve
the path through the project's routes (flask_fix.index.routing), then write url_for's
arguments the same way (`url_for_arguments`, `url_for_call`).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ScopeProvider

from ..index.facts import Route
from ..index.routing import Hole, Resolution, resolve_redirect
from .base import ImportSpec, Rule
from .names import reference

# converters whose to_url converts or checks the value: url_for may raise on a bad one
VALIDATING = ("int", "float", "uuid", "any")
# a printf-style conversion: a mapping key, flags, width and precision all land in group 1
_PERCENT = re.compile(r"%((?:\([^)]*\))?[^a-zA-Z%(]*)([a-zA-Z%])")


# --- resolving and writing url_for's arguments ----------------------------------------


def unresolved_message(resolution: Resolution, advice: str) -> str:
    """The report for a path no route serves, or several may serve."""
    if resolution.status == "none":
        nearest = listing(resolution.candidates) or "no route is close"
        return f"{resolution.reason}; nearest: {nearest}"
    routes = resolution.candidates if len(resolution.candidates) > 1 else []
    suffix = f"; routes: {listing(routes)}" if routes else ""
    return f"{advice}; not rewritten: {resolution.reason}{suffix}"


def url_for_arguments(
    rule: Rule, node: cst.CSTNode, url: Url, resolution: Resolution, function: str
) -> tuple[list[tuple[str, cst.BaseExpression]], list[str]] | str:
    """url_for's keyword values for a unique resolution, and notes on converters that now
    check them; or why it cannot be written (a string)."""
    route = resolution.route
    assert route is not None and route.endpoint is not None
    problem = other_app(rule, route, own_apps(rule, function))
    if problem:
        return problem
    notes = []
    values: list[tuple[str, cst.BaseExpression]] = []
    for key, value in resolution.values.items():
        if not isinstance(value, Hole):
            values.append((key, literal(value, url.quote)))
            continue
        piece = url.holes[value.index]
        converter = resolution.converters.get(key, "")
        expr = piece.expr
        if piece.integer and converter != "int":
            if not is_builtin(rule, node, "int"):
                return "`int` is not the builtin here"
            expr = cst.Call(cst.Name("int"), [cst.Arg(expr)])
        if converter in VALIDATING and not (piece.integer and converter == "int"):
            notes.append(
                f"`{spelled(expr)}` now goes through the route's {converter} converter, "
                "which raises when the URL is built if it rejects the value"
            )
        values.append((key, expr))
    return values, notes


def url_for_call(
    rule: Rule,
    node: cst.CSTNode,
    endpoint: str,
    url: Url,
    values: list[tuple[str, cst.BaseExpression]],
) -> tuple[cst.Call, tuple[ImportSpec, ...] | None]:
    """`url_for('endpoint', key=value, ...)` and the imports it needs; None for the imports
    when `url_for` at `node` is not Flask's (the call is then only for the message)."""
    found = reference(rule, node, "flask", "url_for")
    keywords = [cst.Arg(v, keyword=cst.Name(k), equal=EQUAL) for k, v in values]
    call = cst.Call(
        cst.Name("url_for") if found is None else found[0],
        [cst.Arg(literal(endpoint, url.quote)), *keywords],
    )
    return call, None if found is None else found[1]


def own_apps(rule: Rule, function: str) -> frozenset[str]:
    """The apps serving the view `function` (or a function nested in it) of this
    module, in a project of several apps; empty when it has one, or the view's app
    is not known (a helper that is no view)."""
    routes = rule.context.index.routes
    if len({r.app for r in routes if r.app}) < 2:
        return frozenset()
    path = rule.context.path
    return frozenset(
        r.app
        for r in routes
        if r.app
        and r.view is not None
        and r.view_path == path
        and (function == r.view or function.startswith(r.view + "."))
    )


def resolve_path(rule: Rule, pieces: list[str | Hole], function: str) -> Resolution:
    """The route a path written in `function` lands on: in a project of several apps, a
    view's path is resolved among the routes of its own app."""
    index = rule.context.index
    own = own_apps(rule, function)
    resolution = resolve_redirect(index, pieces, own or None)
    if own and resolution.status == "none":
        # served by another app only? say so (url_for_arguments) rather than list near misses
        anywhere = resolve_redirect(index, pieces)
        if anywhere.status != "none":
            resolution = anywhere
    return resolution


def other_app(rule: Rule, route: Route, own: frozenset[str]) -> str | None:
    """Why url_for may not build `route` from a view of the apps `own`, in a project
    of several apps."""
    routes = rule.context.index.routes
    serving = {r.app for r in routes if (r.url, r.endpoint) == (route.url, route.endpoint)}
    known = {app for app in serving if app}
    if not own or own & serving or not known or None in serving:
        return None
    return (
        f"{route.url} ({route.endpoint}) is served by {', '.join(sorted(known))}, "
        f"not by the app of this view ({', '.join(sorted(own))})"
    )


def is_builtin(rule: Rule, node: cst.CSTNode, name: str) -> bool:
    scope = rule.get_metadata(ScopeProvider, node, None)
    names = scope.get_qualified_names_for(name) if scope is not None else set()
    return {q.name for q in names} == {f"builtins.{name}"}


# --- reading the URL ------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """The expression of a dynamic piece of the URL."""

    expr: cst.BaseExpression
    integer: bool = False  # written by `%d` or `%i`


@dataclass
class Url:
    pieces: list[str | Hole] = field(default_factory=list)
    holes: list[Piece] = field(default_factory=list)
    problem: str | None = None  # why url_for cannot reproduce it
    literal: bool = True  # a plain string, no formatting
    quote: str = ""  # the quote of the first string literal, for the literals written

    def add_text(self, value: str) -> None:
        if self.pieces and isinstance(self.pieces[-1], str):
            self.pieces[-1] += value
        else:
            self.pieces.append(value)

    def add_hole(self, piece: Piece, problem: str | None = None) -> None:
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



def read_url(
    expr: cst.BaseExpression, leading: Callable[[cst.BaseExpression], bool] | None = None
) -> Url | None:
    """The pieces of a URL built by `expr`, or None when it is not built from strings.

    A concatenation must start with a string, or with an expression `leading` accepts
    (FLK105: `request.host_url + 'orders'`), which becomes the first dynamic piece.
    """
    url = Url()
    return url if _read(expr, url, leading) else None


def _read(
    expr: cst.BaseExpression,
    url: Url,
    leading: Callable[[cst.BaseExpression], bool] | None = None,
) -> bool:
    """Append what `expr` writes to `url`; False (nothing appended) for other forms."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return _read_string(expr, url)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        # a string concatenation only when its leftmost operand is a string; any other
        # operand is one piece (`'/p/' + (a + b)` may be a sum)
        if not _read(expr.left, url, leading):
            if url.pieces or leading is None or not leading(expr.left):
                return False
            url.add_hole(Piece(expr.left))
        if not _read(expr.right, url):
            url.add_hole(Piece(expr.right))
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


def _read_string(expr: cst.BaseExpression, url: Url) -> bool:
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
                url.add_hole(Piece(expr), "the f-string's text could not be read")
        elif part.conversion in (None, "s") and not part.format_spec and part.equal is None:
            url.add_hole(Piece(part.expression))
        else:
            url.add_hole(Piece(part.expression), _cannot_format(spelled(part)))
    return True


def _plain_string(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _quote(expr: cst.BaseExpression, url: Url) -> None:
    while isinstance(expr, cst.ConcatenatedString):
        expr = expr.left
    if not url.quote and isinstance(expr, (cst.SimpleString, cst.FormattedString)):
        url.quote = expr.quote[0]


def _read_percent(template: str, values: cst.BaseExpression, url: Url) -> None:
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
        url.add_hole(Piece(expr, match[2] in "di"), None if simple else _cannot_format(match[0]))
    url.add_text(template[position:])


def _read_format(template: str, call: cst.Call, url: Url) -> None:
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
            url.add_hole(Piece(call), _cannot_format(written))
            continue
        key: int | str = int(name) if name.isdigit() else name
        expr = positional[key] if isinstance(key, int) and key < len(positional) else None
        expr = named.get(key) if isinstance(key, str) else expr
        if expr is None:
            url.add_hole(Piece(call), f"`{written}` does not name one of the values")
            continue
        used.add(key)
        plain = not spec and conversion in (None, "s")
        url.add_hole(Piece(expr), None if plain else _cannot_format(written))
    if len(used) < len(positional) + len(named):
        url.problem = url.problem or "`.format` receives values the format does not use"


def _cannot_format(written: str) -> str:
    return f"`{written}` formats its value in a way url_for cannot reproduce"


# --- writing url_for ------------------------------------------------------------------


def literal(value: object, quote: str) -> cst.BaseExpression:
    """A Python literal for a string or a number, strings in the source's quotes."""
    if isinstance(value, str):
        text = repr(value)
        if quote == '"' and text[0] == "'" and '"' not in value:
            text = f'"{text[1:-1]}"'
        return cst.SimpleString(text)
    number = cst.Integer(str(abs(value))) if isinstance(value, int) else cst.Float(repr(abs(value)))
    return cst.UnaryOperation(cst.Minus(), number) if value < 0 else number


def spelled(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


MAX_LISTED = 3


def listing(items: list[str]) -> str:
    """A short list for a message: the first few, then how many more."""
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:MAX_LISTED])
    more = len(unique) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown
