"""FLK706 ctx-stack: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

from flask_fix import fix_code
from flask_fix.model import FixLevel


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(source: str):
    result = fix_code(source, path="ext.py", select=("FLK706",))
    assert result.source == source  # report only
    assert {f.fix_level for f in result.findings} <= {FixLevel.REPORT}
    return [(f.line, f.column, f.message) for f in result.findings]


def test_each_use_gets_its_own_advice():
    source = code("""
        from flask import _app_ctx_stack, _request_ctx_stack

        def teardown(exception):
            ctx = _app_ctx_stack.top
            if hasattr(ctx, "db"):
                ctx.db.close()
            user = _request_ctx_stack.top.user
            app = _app_ctx_stack.top.app
            _request_ctx_stack.push(None)
    """)
    found = findings(source)
    assert [(line, column) for line, column, _ in found] == [
        (1, 19), (1, 35), (4, 11), (7, 12), (8, 11), (9, 5),
    ]  # fmt: skip
    messages = [message for _, _, message in found]
    assert messages[0] == (
        "`flask._app_ctx_stack` was removed in Flask 3.0 (deprecated since 2.2): this import"
        " fails; use `g`, `current_app`, `request` or `flask.globals.app_ctx` /"
        " `request_ctx`"
    )
    assert messages[2] == (
        "`_app_ctx_stack.top`: `_app_ctx_stack` was removed in Flask 3.0 (deprecated since"
        " 2.2); store data on `g`; test for a context with `has_app_context()`; the context"
        " object is `flask.globals.app_ctx` (Flask >= 2.2)"
    )
    assert "`flask.globals.request_ctx` (Flask >= 2.2): `request_ctx.user`" in messages[3]
    assert messages[4].endswith(
        "use `current_app` (`current_app._get_current_object()` for the object itself)"
    )
    assert "`_request_ctx_stack`:" in messages[5]


def test_redash_style_local_import_and_top_app():
    source = code("""
        def create(group):
            from flask.globals import _app_ctx_stack

            app = _app_ctx_stack.top.app
            return app
    """)
    assert [(line, column) for line, column, _ in findings(source)] == [(2, 31), (4, 11)]


def test_unrelated_names_are_not_reported():
    source = code("""
        import flask
        from werkzeug.local import LocalStack

        _app_ctx_stack = LocalStack()
        top = _app_ctx_stack.top
        g = flask.g
    """)
    assert findings(source) == []
