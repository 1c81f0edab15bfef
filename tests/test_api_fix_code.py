"""`fix_code`'s bad input: every way the code cannot be processed raises SourceFailure
with the kind, message and line the command reports for such a file."""

from __future__ import annotations

import ast
import sys

import pytest

from flask_fix import fix_code
from flask_fix.run.engine import SourceFailure
from flask_fix.model import ErrorKind

VIEW = (
    "import json\n"
    "from flask import Flask\n"
    "\n"
    "app = Flask(__name__)\n"
    "\n"
    "\n"
    "@app.route('/items')\n"
    "def items():\n"
    "    return json.dumps([1, 2])\n"
)


def failure_of(source: str) -> SourceFailure:
    with pytest.raises(SourceFailure) as raised:
        fix_code(source, path="app.py", select=("FLK101",))
    return raised.value


def test_a_syntax_error_names_its_line():
    failure = failure_of("import json\n\ndef items(:\n    return json.dumps([])\n")
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.SYNTAX,
        "invalid syntax",
        3,
    )


def test_python_2_code_is_named_as_such():
    failure = failure_of('import json\n\nprint "items"\n')
    assert failure.kind is ErrorKind.SYNTAX
    assert failure.message == (
        "Missing parentheses in call to 'print'. Did you mean print(...)? (Python 2 code?)"
    )
    assert failure.line == 3


def test_bad_indentation_is_a_syntax_error():
    failure = failure_of("x = 1\n\tif x:\n")
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.SYNTAX,
        "unexpected indent",
        2,
    )


def test_code_nested_too_deeply_for_the_index():
    """Python's parser reads 1,000 unary minus signs, and the index's walk runs out of
    stack: the message the command gives for such a file."""
    failure = failure_of("x = " + "-" * 1000 + "1\n")
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.SYNTAX,
        "too deeply nested to parse",
        None,
    )


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        # LibCST's parser would end the process on these (a segmentation fault): it must
        # never see what Python's parser refused for its depth
        ("x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n", "too many nested parentheses", 1),
        ("x = " + "-" * 100_000 + "1\n", "too deeply nested to parse", None),
        ("x = " + "a." * 100_000 + "b\n", "too deeply nested to parse", None),
        # 400 brackets: LibCST would read them, but Python refuses, and so does a run
        ("x = " + "[" * 400 + "]" * 400 + "\n", "too many nested parentheses", 1),
    ],
)
def test_code_too_deep_for_pythons_parser(source: str, message: str, line: int | None):
    failure = failure_of(source)
    assert (failure.kind, failure.message, failure.line) == (ErrorKind.SYNTAX, message, line)


def test_undecodable_bytes_carried_as_surrogate_escapes():
    source = b'import json\nname = "caf\xe9"\n'.decode("utf-8", "surrogateescape")
    failure = failure_of(source)
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.DECODE,
        "cannot decode as utf-8: invalid byte 0xe9",
        2,
    )


def test_bytes_the_coding_cookie_does_not_allow():
    failure = failure_of('# -*- coding: ascii -*-\nname = "café"\n')
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.DECODE,
        "cannot decode as ascii: invalid byte 0xc3",
        2,
    )


def test_an_unknown_coding_cookie():
    failure = failure_of("# -*- coding: klingon -*-\nx = 1\n")
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.DECODE,
        "bad coding declaration: unknown encoding: klingon",
        None,
    )


def test_a_null_byte():
    failure = failure_of("x = 1\x00\n")
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.DECODE,
        "binary file, not Python source",
        None,
    )


def test_latin_1_bytes_a_cookie_allows_come_back_as_they_went():
    """Surrogate escapes the cookie's encoding decodes are code: fixed, and returned
    with the same escapes."""
    source = ("# -*- coding: latin-1 -*-\n" + VIEW + "name = 'caf\udce9'\n")
    result = fix_code(source, path="app.py", select=("FLK101",))
    expected = source.replace("json.dumps([1, 2])", "jsonify([1, 2])").replace(
        "import json\nfrom flask import Flask\n", "from flask import Flask, jsonify\n"
    )
    assert result.source == expected
    assert [(f.code, f.line) for f in result.findings] == [("FLK101", 10)]
    again = fix_code(result.source, path="app.py", select=("FLK101",))
    assert again.source == result.source
    assert again.findings == []


def test_code_only_libcst_parses_is_fixed_unindexed():
    """Syntax newer than this interpreter's `ast` (PEP 701 quotes in an f-string, valid
    from Python 3.12) is fixed as a run over files fixes it, not refused."""
    newer = "from flask import Markup\n\nlabel = Markup(f\"{'a' + \"b\"}\")\n"
    try:
        ast.parse(newer)
        pytest.skip("this interpreter's ast reads PEP 701 f-strings")
    except SyntaxError:
        pass
    result = fix_code(newer, path="app.py", select=("FLK702",))
    assert result.source == newer.replace("from flask import", "from markupsafe import")
    assert [(f.code, f.line) for f in result.findings] == [("FLK702", 1)]


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="`except A, B:` parses on 3.14")
def test_python_2_code_that_libcst_reads_as_python_3_14_is_named_as_such():
    """`except X, e:` with `e` defined nowhere: Python 2, not Python 3.14's `except A, B:`
    (tests/run/test_python2.py), as in a run."""
    source = "try:\n    import json\nexcept ImportError, e:\n    json = None\n"
    failure = failure_of(source)
    assert (failure.kind, failure.message, failure.line) == (
        ErrorKind.SYNTAX,
        "multiple exception types must be parenthesized (Python 2 code?)",
        3,
    )
