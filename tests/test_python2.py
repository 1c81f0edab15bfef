"""Which syntax errors are named as Python 2 code: each marker, and look-alikes."""

from __future__ import annotations

import ast
import sys

import pytest

from flask_fix.engine import SourceFailure, fix_source
from flask_fix.model import ErrorKind
from flask_fix.project import ProjectIndex
from flask_fix.python2 import syntax_error_message

# Python 3.14 accepts `except A, B:` without parentheses (PEP 758)
needs_except_comma_error = pytest.mark.skipif(
    sys.version_info >= (3, 14), reason="`except A, B:` parses on 3.14"
)


def message_for(source: str) -> str:
    with pytest.raises(SyntaxError) as error:
        ast.parse(source)
    return syntax_error_message(error.value)


PYTHON2 = [
    pytest.param("print 'hello'\n", id="print-statement"),
    pytest.param("def f():\n    print name\n", id="print-statement-in-function"),
    pytest.param("exec 'x = 1'\n", id="exec-statement"),
    pytest.param("exec code in namespace\n", id="exec-in"),
    pytest.param(
        "try:\n    pass\nexcept ValueError, e:\n    pass\n",
        id="except-comma-name",
        marks=needs_except_comma_error,
    ),
    pytest.param(
        "try:\n    pass\nexcept (KeyError, ValueError), err:\n    pass\n",
        id="except-tuple-comma-name",
        marks=needs_except_comma_error,
    ),
    pytest.param(
        "try:\n    pass\nexcept IOError, (errno, strerror):\n    pass\n",
        id="except-comma-unpacking",
        marks=needs_except_comma_error,
    ),
    pytest.param("x = `y`\n", id="backticks"),
    pytest.param("if a <> b:\n    pass\n", id="not-equal-diamond"),
    pytest.param("os.chmod(path, 0755)\n", id="octal-literal"),
    pytest.param("mode = 0644L\n", id="octal-long-literal"),
    pytest.param("n = 10L\n", id="long-literal"),
    pytest.param("mask = 0xFFl\n", id="hex-long-literal"),
    pytest.param("pattern = ur'\\d+'\n", id="ur-prefix"),
    pytest.param('pattern = UR"\\d+"\n', id="ur-prefix-upper"),
    pytest.param("raise ValueError, 'bad value'\n", id="raise-comma"),
    pytest.param("raise E, V, T\n", id="raise-three"),
]


@pytest.mark.parametrize("source", PYTHON2)
def test_python2_syntax_is_named(source: str):
    assert message_for(source).endswith(" (Python 2 code?)")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="3.10 says only 'invalid syntax'")
@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "def f(a, (b, c)):\n    pass\n",
            "Function parameters cannot be parenthesized",
        ),
        (
            "f = lambda (a, b): a\n",
            "Lambda expression parameters cannot be parenthesized",
        ),
    ],
)
def test_tuple_parameters_are_named(source: str, message: str):
    assert message_for(source) == message + " (Python 2 code?)"


def test_the_hint_follows_python_s_own_message():
    assert message_for("print 'hello'\n") == (
        "Missing parentheses in call to 'print'. Did you mean print(...)? (Python 2 code?)"
    )
    assert message_for("x = `y`\n") == "invalid syntax (Python 2 code?)"


LOOK_ALIKES = [
    # Python 3 with the parentheses forgotten: a class after the comma, or an `as`
    pytest.param(
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
        "multiple exception types must be parenthesized",
        id="except-two-classes",
        marks=needs_except_comma_error,
    ),
    pytest.param(
        "try:\n    pass\nexcept ValueError, TypeError as e:\n    pass\n",
        "multiple exception types must be parenthesized",
        id="except-two-classes-as",
        marks=needs_except_comma_error,
    ),
    pytest.param(  # found in flask-todolist
        "try:\n    pass\nexcept AttributeError, IntegrityError, ValueError:\n    pass\n",
        "multiple exception types must be parenthesized",
        id="except-three-classes",
        marks=needs_except_comma_error,
    ),
    pytest.param(
        "try:\n    pass\nexcept ValueError, requests.HTTPError:\n    pass\n",
        "multiple exception types must be parenthesized",
        id="except-dotted-class",
        marks=needs_except_comma_error,
    ),
    pytest.param(
        "try:\n    pass\nexcept* ValueError, e:\n    pass\n",
        "multiple exception types must be parenthesized",
        id="except-star",
        marks=pytest.mark.skipif(
            sys.version_info < (3, 11) or sys.version_info >= (3, 14),
            reason="3.10 has no except*; 3.14 accepts it",
        ),
    ),
    # `08` was never an octal literal
    pytest.param(
        "day = 08\n",
        "leading zeros in decimal integer literals are not permitted;"
        " use an 0o prefix for octal integers",
        id="leading-zero-not-octal",
    ),
    pytest.param("x = 3rd\n", "invalid decimal literal", id="digit-then-letters"),
    pytest.param("x = 10Lines\n", "invalid decimal literal", id="l-starts-a-word"),
    # a backtick or `<>` in a string, with the error elsewhere on the line
    pytest.param("x = '`' + '<>' y\n", "invalid syntax", id="in-strings"),
    pytest.param("x = fr 'a'\n", "invalid syntax", id="other-prefix-word"),
    pytest.param("if x\n    pass\n", "expected ':'", id="missing-colon"),
    pytest.param("foo(a b)\n", "invalid syntax. Perhaps you forgot a comma?", id="comma"),
    pytest.param("return, x\n", "invalid syntax", id="comma-not-after-raise"),
    pytest.param(
        "if x:\n\tpass\n        pass\n",
        "inconsistent use of tabs and spaces in indentation",
        id="tabs",
    ),
]


@pytest.mark.parametrize(("source", "message"), LOOK_ALIKES)
def test_other_syntax_errors_get_no_hint(source: str, message: str):
    assert message_for(source) == message


def test_engine_reports_python_s_diagnosis_for_what_libcst_rejects():
    # LibCST's own message is "expected one of ..." at a wrong line for this
    with pytest.raises(SourceFailure) as failure:
        fix_source(b"x = 1\nif a <> b:\n    pass\n", "m.py", [], ProjectIndex())
    assert failure.value.kind is ErrorKind.SYNTAX
    assert (failure.value.message, failure.value.line) == (
        "invalid syntax (Python 2 code?)",
        2,
    )
