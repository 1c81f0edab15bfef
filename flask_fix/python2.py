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

import re

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


def syntax_error_message(exc: SyntaxError) -> str:
    """Python's message for `exc`, naming Python 2 when the error shows its syntax."""
    message = exc.msg or "invalid syntax"
    if is_python2_syntax(message, exc.text, exc.offset):
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
