"""Reading a module with Python's own parser, and with LibCST where that one stops.

A source this interpreter's `ast` rejects may still be code for a newer Python, which
LibCST reads (`python2.libcst_reading` tells it from Python 2 code). LibCST's native
parser must never see code Python's parser refused for its depth (too many nested
parentheses, RecursionError, MemoryError): on such input it ends the whole process with
a segmentation fault, so one generated file would stop a run over a thousand.
"""

from __future__ import annotations

import ast

from ..model import TOO_DEEP_ERRORS, TOO_DEEP_MESSAGE, ErrorKind
from .python2 import Reading, libcst_reading, syntax_error_message
from ..sourceio import SourceError

# Python's parser refuses brackets nested deeper than 200 with this SyntaxError
_NESTING_LIMIT = "too many nested parentheses"


def parse_module(source: bytes, path: str) -> ast.Module | None:
    """`source`'s stdlib `ast`, or None for code of a newer Python that only LibCST reads
    (it is fixed; its routes stay unknown). Raises SourceError, with the command's kind,
    message and line, for code neither reads."""
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as exc:
        too_deep = exc.msg == _NESTING_LIMIT
        reading = Reading.UNPARSABLE if too_deep else libcst_reading(source)
        if reading is Reading.NEWER_PYTHON:
            return None
        message = syntax_error_message(exc, reading is Reading.PYTHON2)
        decoding = "encoding" in message or "codec" in message
        kind = ErrorKind.DECODE if decoding else ErrorKind.SYNTAX
        raise SourceError(kind, message, exc.lineno) from None
    except (ValueError, UnicodeDecodeError) as exc:  # e.g. a bad coding cookie
        raise SourceError(ErrorKind.DECODE, str(exc)) from None
    except TOO_DEEP_ERRORS:
        raise SourceError(ErrorKind.SYNTAX, TOO_DEEP_MESSAGE) from None
