"""Naming Python 2 code in syntax errors.

A file that does not parse is reported with Python's own message; when the error is one
Python 2 syntax causes, "(Python 2 code?)" is added. The message alone does not tell:
`except ValueError, e:` (Python 2) and `except ValueError, TypeError:` (Python 3 with the
parentheses forgotten) get the same one, and a backtick, `<>` or `ur''` only gets "invalid
syntax". So each marker checks the text the error points at as well.

Messages are CPython's (3.10 to 3.13 word these the same; 3.10 says "invalid syntax" for
parenthesized parameters, which then gets no hint).
"""

from __future__ import annotations

import enum
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

HINT = " (Python 2 code?)"

# `except ValueError, e:` / `except (A, B), e:` / `except IOError, (errno, text):`: the
# part after the comma is a variable to bind (lower case) or a tuple of them. A class
# after the comma (`except ValueError, TypeError:`) or an `as` is Python 3 missing its
# parentheses.
_EXCEPT_BINDING = re.compile(
    r"\s*except\s+(?:[\w.]+|\([^()]*\))\s*,\s*"
    r"(?:[a-z_]\w*|\(\s*[a-z_]\w*(?:\s*,\s*[a-z_]\w*)*\s*,?\s*\))\s*:"
)
# `raise E, value` / `raise E, value, traceback`
_RAISE_WITH_COMMA = re.compile(r"\s*raise\s+[\w.]+\s*,")
# an octal literal (`0777`, `0644L`); `08` was never valid
_OCTAL_LITERAL = re.compile(r"0[0-7]+[lL]?(?!\w)")
# a long literal: `10L`, `0xFFl` (Python points into its digits)
_LONG_LITERAL = re.compile(r"(?:0[xX][0-9a-fA-F]+|\d+)[lL]")
_WORD = re.compile(r"[\w.]+")
# `ur'...'`: Python 3 has no `ur` prefix; the error points at the string after it
_UR_PREFIX_BEFORE = re.compile(r"(?<!\w)[uU][rR]$")

_PRINT_OR_EXEC = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
)
_TUPLE_PARAMETERS = (
    "Function parameters cannot be parenthesized",
    "Lambda expression parameters cannot be parenthesized",
)


def syntax_error_message(exc: SyntaxError, python2: bool = False) -> str:
    """Python's message for `exc`, naming Python 2 when the error shows its syntax or the
    file is known to be Python 2 code (`python2`)."""
    message = exc.msg or "invalid syntax"
    if python2 or is_python2_syntax(message, exc.text, exc.offset):
        return message + HINT
    return message


def is_python2_syntax(message: str, line: str | None, offset: int | None) -> bool:
    """Whether the error `message` at 1-based `offset` of `line` is Python 2 syntax:
    print and exec statements, `except X, e`, backticks, `<>`, `0777`, `10L`, `ur''`,
    `raise E, value`, tuple parameters."""
    if message.startswith(_PRINT_OR_EXEC) or message.startswith(_TUPLE_PARAMETERS):
        return True
    if line is None:
        return False
    if message == "multiple exception types must be parenthesized":
        return _EXCEPT_BINDING.match(line) is not None
    if offset is None or not 0 < offset <= len(line):
        return False
    before, at = line[: offset - 1], line[offset - 1 :]
    if message.startswith("leading zeros in decimal integer literals"):
        return _OCTAL_LITERAL.match(at) is not None
    if message in ("invalid decimal literal", "invalid hexadecimal literal"):
        return any(
            word.start() < offset <= word.end() and _LONG_LITERAL.fullmatch(word.group())
            for word in _WORD.finditer(line)
        )
    if message == "invalid syntax":
        return (
            at.startswith(("`", "<>"))
            or (at[:1] in ("'", '"') and _UR_PREFIX_BEFORE.search(before) is not None)
            or (at.startswith(",") and _RAISE_WITH_COMMA.fullmatch(line[:offset]) is not None)
        )
    return False



# -- `except X, e:` in a file LibCST parses ------------------------------------------------
#
# Python 3.14 accepts `except A, B:` (PEP 758: a tuple of classes, nothing bound), so
# LibCST parses a Python 2 file whose only Python 2 syntax is `except X, e:`, while this
# interpreter's `ast` rejects it as it rejects code for a newer Python. The two readings
# differ in what the name after the comma is: for Python 3.14 an exception class, which
# must be defined by the time an exception reaches the handler; for Python 2 the variable
# the handler binds. A name that nothing in the file binds and that is no builtin can only
# be the latter.


class Reading(enum.Enum):
    """What a source this interpreter's `ast` rejects is, read by LibCST."""

    UNPARSABLE = "unparsable"  # LibCST rejects it too
    NEWER_PYTHON = "newer"  # code for a newer Python: fixed, its routes unknown
    # Python 2 code whose only Python 2 syntax, `except X, e:`, Python 3.14 accepts with
    # another meaning: an error, as any other Python 2 file
    PYTHON2 = "python2"


def libcst_reading(source: bytes | str) -> Reading:
    """How to take a source this interpreter's `ast` rejects (a run's scan, `fix_code`)."""
    import libcst  # only here: reading a file with `ast` never needs it

    try:
        module = libcst.parse_module(source)
    except Exception:
        return Reading.UNPARSABLE
    return Reading.PYTHON2 if binds_exceptions_as_python2(module) else Reading.NEWER_PYTHON


def binds_exceptions_as_python2(module: cst.Module) -> bool:
    """Whether a handler of `module` is Python 2's `except X, e:` (or `except X, (a, b):`):
    no builtin has the name after the comma and nothing in the file binds it (an
    assignment, import, definition or parameter, in any scope), so read as Python 3.14 the
    handler would raise NameError. After a star import, which may bring an exception
    class, only a name that is not capitalised (not named like a class) counts."""
    targets, bound, star_import = _handler_targets_and_bindings(module)
    return any(
        not any(
            name in bound or name in _builtin_names() or (star_import and name[:1].isupper())
            for name in names
        )
        for names in targets
    )


def _handler_targets_and_bindings(module: cst.Module) -> tuple[list[list[str]], set[str], bool]:
    """The names after the comma of each `except X, e:` handler, every name the file
    binds anywhere, and whether it has a star import."""
    import libcst as cst

    targets: list[list[str]] = []
    bound: set[str] = set()
    star_import = False

    def bind(target: cst.CSTNode | None) -> None:
        if isinstance(target, cst.Name):
            bound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                bind(element.value)
        elif isinstance(target, cst.StarredElement):
            bind(target.value)

    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if isinstance(node, cst.ExceptHandler):
            names = _except_comma_target(node)
            if names is not None:
                targets.append(names)
            if node.name is not None:
                bind(node.name.name)
        elif isinstance(node, cst.AssignTarget):
            bind(node.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            bind(node.target)
        elif isinstance(node, (cst.WithItem, cst.ExceptStarHandler)) and node.asname is not None:
            bind(node.asname.name)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Param)):
            bind(node.name)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            bound.update(item.name.value for item in node.names)
        elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
            bind(node.name)
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            bind(node.rest)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                name = alias.evaluated_alias or alias.evaluated_name.partition(".")[0]
                bound.add(name)
        elif isinstance(node, cst.ImportFrom):
            if isinstance(node.names, cst.ImportStar):
                star_import = True
            else:
                bound.update(alias.evaluated_alias or alias.evaluated_name for alias in node.names)
    return targets, bound, star_import


def _except_comma_target(handler: cst.ExceptHandler) -> list[str] | None:
    """The names after the comma of `except X, e:` / `except X, (a, b):` (two items, no
    parentheses around them, no `as`); None for any other handler."""
    import libcst as cst

    kind = handler.type
    if (
        handler.name is not None
        or not isinstance(kind, cst.Tuple)
        or kind.lpar
        or len(kind.elements) != 2
    ):
        return None
    target = kind.elements[1].value
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple) and target.lpar and target.elements:
        names = [element.value for element in target.elements]
        if all(isinstance(name, cst.Name) for name in names):
            return [name.value for name in names]  # type: ignore[attr-defined]
    return None


@cache
def _builtin_names() -> frozenset[str]:
    import builtins

    return frozenset(dir(builtins))
