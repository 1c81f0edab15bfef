"""Renaming endpoints after views move into a blueprint (FLK201): `index` -> `main.index`.

In Python: the endpoint of `flask.url_for('index', ...)` (positional or `endpoint=`),
`request.endpoint == 'index'` (and `!=`, `in (...)`), and Flask-Login's
`login_manager.login_view = 'index'`, each only as a plain string literal naming a moved
endpoint exactly. In Jinja templates: the same inside `{{ ... }}` and `{% ... %}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import libcst as cst

from ..nodes import walk
from .support import ModuleView, replace_nodes, string_value, with_string

URL_FOR = frozenset({"flask.url_for", "flask.helpers.url_for"})
REQUEST = frozenset({"flask.request", "flask.globals.request"})


@dataclass
class Renamed:
    """What a rename pass changed (1-based line and column of each change)."""

    text: bytes
    changes: list[tuple[int, int, str, str]] = field(default_factory=list)  # line, col, old, new
    # url_for calls whose endpoint is not a literal: they may name a moved view
    computed: list[tuple[int, int]] = field(default_factory=list)
    # `url_for('.x')` left as written because `x` has several meanings (line, column, '.x')
    ambiguous: list[tuple[int, int, str]] = field(default_factory=list)


def rename_in_python(
    path: str,
    source: bytes,
    endpoints: Mapping[str, str],
    relative: Mapping[str, str] | None = None,
    relative_targets: Mapping[str, str | None] | None = None,
) -> Renamed:
    """Rename endpoints in one module. `relative` maps the names of views that moved
    from the app into a blueprint to that blueprint's name: inside them, `url_for('.x')`
    (the app's `x` before the move) gets the name `x` has now, unless that is in the
    same blueprint. Elsewhere `url_for('.x')` resolves against whatever blueprint the
    request has (none for an unrouted request, e.g. a 404 page): `relative_targets`
    gives the full name to write instead (None: ambiguous, left as is and reported)."""
    view = ModuleView(path, source)
    replacements: dict[cst.CSTNode, cst.CSTNode] = {}
    result = Renamed(source)
    relative = relative or {}
    moved_functions = _functions_by_node(view, relative)

    def rename(node: cst.BaseExpression, new_value: str) -> None:
        assert isinstance(node, cst.SimpleString)
        replacements[node] = with_string(node, new_value)
        result.changes.append(
            (view.line(node), view.column(node), string_value(node) or "", new_value)
        )

    for node in walk(view.module):
        if isinstance(node, cst.Call) and view.qualified(node.func) in URL_FOR:
            argument = _endpoint_argument(node)
            if argument is None:
                continue
            value = string_value(argument.value)
            if value is None or not isinstance(argument.value, cst.SimpleString):
                literal = isinstance(argument.value, (cst.SimpleString, cst.ConcatenatedString))
                # `url_for(request.endpoint, ...)` names the current view, whatever its name
                if not literal and not _is_request_endpoint(view, argument.value):
                    result.computed.append((view.line(node), view.column(node)))
                continue
            if value in endpoints:
                rename(argument.value, endpoints[value])
            elif value.startswith(".") and "." not in value[1:]:
                blueprint = moved_functions.get(id(node))
                if blueprint is not None:
                    target = endpoints.get(value[1:], value[1:])
                    if not target.startswith(blueprint + "."):
                        rename(argument.value, target)
                elif relative_targets is not None and value[1:] in relative_targets:
                    target = relative_targets[value[1:]]
                    if target is None:
                        result.ambiguous.append((view.line(node), view.column(node), value))
                    else:
                        rename(argument.value, target)
        elif isinstance(node, cst.Comparison):
            for string in _endpoint_comparisons(view, node):
                value = string_value(string)
                if value in endpoints:
                    rename(string, endpoints[value])
        elif isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            if (
                isinstance(target, cst.Attribute)
                and target.attr.value == "login_view"
                and isinstance(node.value, cst.SimpleString)
                and string_value(node.value) in endpoints
            ):
                rename(node.value, endpoints[string_value(node.value)])
    if replacements:
        result.text = replace_nodes(view.module, replacements).bytes
    return result


def _functions_by_node(view: ModuleView, relative: Mapping[str, str]) -> dict[int, str]:
    """url_for calls inside top-level functions named in `relative` -> their blueprint."""
    found: dict[int, str] = {}
    for statement in view.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in relative:
            for node in walk(statement.body):
                if isinstance(node, cst.Call):
                    found[id(node)] = relative[statement.name.value]
    return found


def _endpoint_argument(call: cst.Call) -> cst.Arg | None:
    for position, argument in enumerate(call.args):
        if argument.star:
            return None
        if argument.keyword is None and position == 0:
            return argument
        if argument.keyword is not None and argument.keyword.value == "endpoint":
            return argument
    return None


def _endpoint_comparisons(view: ModuleView, node: cst.Comparison) -> list[cst.SimpleString]:
    """The string literals compared with `request.endpoint` in `node`."""
    operands = [node.left, *(c.comparator for c in node.comparisons)]
    found: list[cst.SimpleString] = []
    for position, target in enumerate(node.comparisons):
        left, right = operands[position], operands[position + 1]
        operator = target.operator
        for endpoint_side, other in ((left, right), (right, left)):
            if not _is_request_endpoint(view, endpoint_side):
                continue
            if isinstance(operator, (cst.Equal, cst.NotEqual)) and isinstance(
                other, cst.SimpleString
            ):
                found.append(other)
            elif (
                isinstance(operator, (cst.In, cst.NotIn))
                and endpoint_side is left
                and isinstance(other, (cst.Tuple, cst.List, cst.Set))
            ):
                found.extend(
                    e.value for e in other.elements if isinstance(e.value, cst.SimpleString)
                )
    return found


def _is_request_endpoint(view: ModuleView, node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "endpoint"
        and view.qualified(node.value) in REQUEST
    )


# --- Jinja templates -------------------------------------------------------------------

_JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_URL_FOR = re.compile(r"""(\burl_for\(\s*)(['"])([^'"\\]+)\2""")
_COMPARE = re.compile(
    r"""(\brequest\.endpoint\s*(?:==|!=)\s*)(['"])([^'"\\]+)\2"""
    r"""|(['"])([^'"\\]+)\4(\s*(?:==|!=)\s*request\.endpoint\b)"""
)
_IN = re.compile(r"""(\brequest\.endpoint\s+(?:not\s+)?in\s*)([\[(][^\])]*[\])])""")
_STRING = re.compile(r"""(['"])([^'"\\]+)\1""")
# url_for whose endpoint is not a string literal (a variable, an expression)
_COMPUTED = re.compile(r"""\burl_for\(\s*(?!['"\s)]|request\.endpoint\b)""")


def computed_in_template(text: str) -> list[tuple[int, int]]:
    """(line, column) of each `url_for(<not a literal>...)` inside Jinja expressions."""
    found = []
    for block in _JINJA_BLOCK.finditer(text):
        for match in _COMPUTED.finditer(block.group(0)):
            absolute = block.start() + match.start()
            line = text.count("\n", 0, absolute) + 1
            found.append((line, absolute - (text.rfind("\n", 0, absolute) + 1) + 1))
    return found


def rename_in_template(
    text: str,
    endpoints: Mapping[str, str],
    relative_targets: Mapping[str, str | None] | None = None,
) -> tuple[str, list[tuple[int, int, str, str]], list[tuple[int, int, str]]]:
    """The template with endpoint names renamed inside Jinja expressions and statements,
    the changes made (line, column, old, new), and the relative endpoints left as they
    are because they are ambiguous (line, column, '.x'). `relative_targets`: as for
    `rename_in_python`, for `url_for('.x')` (a template has no blueprint of its own: it
    resolves against the request's)."""
    changes: list[tuple[int, int, str, str]] = []
    ambiguous: list[tuple[int, int, str]] = []
    pieces: list[str] = []
    last = 0
    for block in _JINJA_BLOCK.finditer(text):
        pieces.append(text[last : block.start()])
        offset = block.start()
        renamed = _rename_block(
            block.group(0), endpoints, relative_targets or {}, text, offset, changes, ambiguous
        )
        pieces.append(renamed)
        last = block.end()
    pieces.append(text[last:])
    return "".join(pieces), changes, ambiguous


def _rename_block(
    block: str,
    endpoints: Mapping[str, str],
    relative_targets: Mapping[str, str | None],
    text: str,
    offset: int,
    changes: list,
    ambiguous: list,
) -> str:
    def position_of(position: int) -> tuple[int, int]:
        absolute = offset + position
        line = text.count("\n", 0, absolute) + 1
        return line, absolute - (text.rfind("\n", 0, absolute) + 1) + 1

    def note(position: int, old: str, new: str) -> None:
        changes.append((*position_of(position), old, new))

    def url_for(match: re.Match) -> str:
        name = match.group(3)
        new = endpoints.get(name)
        if name.startswith(".") and name[1:] in relative_targets:
            new = relative_targets[name[1:]]
            if new is None:
                ambiguous.append((*position_of(match.start(1)), name))  # at `url_for`
                return match.group(0)
        if new is None:
            return match.group(0)
        note(match.start(3) - 1, name, new)
        quote = match.group(2)
        return f"{match.group(1)}{quote}{new}{quote}"

    def compare(match: re.Match) -> str:
        if match.group(1) is not None:
            name, quote = match.group(3), match.group(2)
            if name not in endpoints:
                return match.group(0)
            note(match.start(3) - 1, name, endpoints[name])
            return f"{match.group(1)}{quote}{endpoints[name]}{quote}"
        name, quote = match.group(5), match.group(4)
        if name not in endpoints:
            return match.group(0)
        note(match.start(5) - 1, name, endpoints[name])
        return f"{quote}{endpoints[name]}{quote}{match.group(6)}"

    def within(match: re.Match) -> str:
        start = match.start(2)

        def element(inner: re.Match) -> str:
            name, quote = inner.group(2), inner.group(1)
            if name not in endpoints:
                return inner.group(0)
            note(start + inner.start(2) - 1, name, endpoints[name])
            return f"{quote}{endpoints[name]}{quote}"

        return match.group(1) + _STRING.sub(element, match.group(2))

    block = _URL_FOR.sub(url_for, block)
    block = _COMPARE.sub(compare, block)
    return _IN.sub(within, block)
