"""Which syntax errors are named as Python 2 code: each marker, and look-alikes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from flask_fix.run.engine import SourceFailure, fix_source
from flask_fix.model import ErrorKind
from flask_fix.index.project import ProjectIndex
from flask_fix.run.python2 import binds_exceptions_as_python2, syntax_error_message

ROOT = Path(__file__).parents[2]

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


# -- `except X, e:` that LibCST parses (Python 3.14's `except A, B:`, PEP 758) ------------

HANDLER = "try:\n    load()\nexcept {}:\n    {}\n"

PYTHON2_HANDLERS = [
    pytest.param(HANDLER.format("ValueError, e", "log(e.message)"), id="attribute-of-the-binding"),
    pytest.param(HANDLER.format("ValueError, e", "pass"), id="bound-and-unused"),
    pytest.param(HANDLER.format("(KeyError, ValueError), err", "raise err"), id="tuple-then-name"),
    pytest.param(HANDLER.format("IOError, (errno, strerror)", "pass"), id="unpacking"),
    pytest.param(
        "def f():\n    try:\n        load()\n    except Exception, exc:\n        return str(exc)\n",
        id="in-a-function",
    ),
    pytest.param(  # a star import may bring a class, but not one named `e`
        "from errors import *\n" + HANDLER.format("ValueError, e", "pass"), id="star-import-lower"
    ),
    pytest.param(  # one handler of several is enough
        "from errors import Bad\n"
        + HANDLER.format("ValueError, Bad", "pass")
        + HANDLER.format("KeyError, e", "pass"),
        id="second-handler",
    ),
]

PYTHON314_HANDLERS = [
    pytest.param(HANDLER.format("ValueError, TypeError", "pass"), id="builtin-classes"),
    pytest.param(
        "from errors import Bad\n" + HANDLER.format("ValueError, Bad", "raise Bad('x')"),
        id="imported-class",
    ),
    pytest.param(
        "def f():\n    try:\n        load()\n    except ValueError, LocalError:\n        pass\n\n\n"
        "class LocalError(Exception):\n    pass\n",
        id="class-defined-later",
    ),
    pytest.param(  # an exception class kept in a variable
        "errors = (KeyError,)\n" + HANDLER.format("ValueError, errors", "pass"), id="assigned"
    ),
    pytest.param(
        "def f(failure):\n    try:\n        load()\n    except ValueError, failure:\n        pass\n",
        id="parameter",
    ),
    pytest.param(
        "from errors import *\n" + HANDLER.format("ValueError, Bad", "pass"),
        id="star-import-capitalised",
    ),
    pytest.param(HANDLER.format("A, B, c", "pass"), id="three-items-were-never-python2"),
]


@pytest.mark.parametrize("source", PYTHON2_HANDLERS)
def test_an_except_comma_binding_nothing_else_defines_is_python2(source: str):
    assert binds_exceptions_as_python2(cst.parse_module(source))


@pytest.mark.parametrize("source", PYTHON314_HANDLERS)
def test_an_except_comma_naming_a_defined_class_is_python_3_14(source: str):
    assert not binds_exceptions_as_python2(cst.parse_module(source))


def test_handlers_with_parentheses_or_as_are_no_evidence():
    for source in (
        HANDLER.format("(ValueError, e)", "pass"),
        HANDLER.format("ValueError as e", "pass"),
        HANDLER.format("(ValueError, KeyError) as e", "pass"),
    ):
        assert not binds_exceptions_as_python2(cst.parse_module(source))


FLASK_EXT_IMPORT = "from flask.ext.login import current_user\n\n\n"
PYTHON2_FILE = FLASK_EXT_IMPORT + (
    "def user():\n    try:\n        return current_user.name\n"
    "    except AttributeError, e:\n        return str(e)\n"
)
PYTHON314_FILE = FLASK_EXT_IMPORT + (
    "def user():\n    try:\n        return current_user.name\n"
    "    except AttributeError, LookupError:\n        return None\n"
)


@needs_except_comma_error
def test_a_python2_file_libcst_parses_is_an_error_and_left_untouched(tmp_path):
    (tmp_path / "legacy.py").write_text(PYTHON2_FILE)
    (tmp_path / "modern.py").write_text(PYTHON314_FILE)
    result = subprocess.run(
        [sys.executable, "-m", "flask_fix", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 3, result.stderr  # modern.py fixed (1), legacy.py an error (2)
    assert (
        "legacy.py:7: syntax-error: multiple exception types must be parenthesized (Python 2 code?)"
        in result.stderr.splitlines()
    )
    assert (tmp_path / "legacy.py").read_text() == PYTHON2_FILE
    # the Python 3.14 file is still read as code for a newer Python and fixed (FLK701)
    assert (tmp_path / "modern.py").read_text() == PYTHON314_FILE.replace(
        "from flask.ext.login import", "from flask_login import"
    )


@needs_except_comma_error
def test_a_python2_file_is_named_even_where_python_s_message_cannot_tell():
    # `except Exception, Failure:`: capitalised like a class, yet defined nowhere
    source = FLASK_EXT_IMPORT + HANDLER.format("Exception, Failure", "pass")
    with pytest.raises(SyntaxError) as error:
        ast.parse(source)
    assert syntax_error_message(error.value) == "multiple exception types must be parenthesized"
    assert binds_exceptions_as_python2(cst.parse_module(source))
    assert syntax_error_message(error.value, python2=True) == (
        "multiple exception types must be parenthesized (Python 2 code?)"
    )
