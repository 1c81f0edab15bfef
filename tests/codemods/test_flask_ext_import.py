"""FLK701 flask-ext-import: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str):
    return fix_code(source, path="app.py", select=("FLK701",))


def test_finding_fields():
    result = run("import os\nfrom flask.ext.sqlalchemy import SQLAlchemy\n")
    [finding] = result.findings
    assert (finding.code, finding.name) == ("FLK701", "flask-ext-import")
    assert (finding.line, finding.column, finding.end_line) == (2, 1, 2)
    assert finding.fix_level is FixLevel.SAFE
    assert finding.message == (
        "`flask.ext` was removed in Flask 1.0: import from `flask_sqlalchemy`"
    )


def test_the_rewrite_imports_on_current_flask():
    before = code("""
        from flask.ext.sqlalchemy import SQLAlchemy
        from flask.ext import sqlalchemy as fsa
        import flask.ext.sqlalchemy

        db = SQLAlchemy()
        same = fsa.SQLAlchemy is flask.ext.sqlalchemy.SQLAlchemy
    """)
    with pytest.raises(ModuleNotFoundError, match="flask.ext"):
        exec(compile(before, "app.py", "exec"), {})
    after = run(before).source
    namespace: dict = {}
    exec(compile(after, "app.py", "exec"), namespace)
    import flask_sqlalchemy

    assert namespace["SQLAlchemy"] is flask_sqlalchemy.SQLAlchemy
    assert namespace["same"] is True


def test_plain_import_flask_is_not_duplicated():
    source = code("""
        import flask
        import flask.ext.login

        manager = flask.ext.login.LoginManager()
        req = flask.request
    """)
    assert run(source).source == code("""
        import flask
        import flask_login

        manager = flask_login.LoginManager()
        req = flask.request
    """)


def test_star_import_and_bare_ext_are_reported():
    result = run("from flask.ext import *\nimport flask.ext\n")
    assert result.source == "from flask.ext import *\nimport flask.ext\n"
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (1, FixLevel.REPORT),
        (2, FixLevel.REPORT),
    ]


def test_extension_name_taken_by_another_binding_is_reported():
    source = code("""
        import flask

        flask_login = None

        def user():
            return flask.ext.login.current_user
    """)
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "the name is taken here" in finding.message


def test_parenthesized_multi_line_import_keeps_its_layout():
    source = code("""
        from flask.ext.login import (
            LoginManager,  # the manager
            current_user,
        )
    """)
    assert run(source).source == source.replace("flask.ext.login", "flask_login")


def test_relative_import_is_not_flask():
    source = "from .flask.ext.login import x\nimport flask\n"
    assert run(source).source == source
    assert run(source).findings == []
