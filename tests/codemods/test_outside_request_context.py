"""FLK302 outside-request-context: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import pytest
from import_time import error_at_import

from flask_fix import fix_code
from flask_fix.codemods.outside_request_context import OutsideRequestContext
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(source: str, path: str = "app.py", index=None):
    result = fix_code(source, path=path, select=("FLK302",), index=index)
    assert result.source == source
    return [f for f in result.findings if f.code == "FLK302"]


def test_message_quotes_flask():
    [finding] = findings("from flask import request\nQ = request.args\n")
    assert finding.fix_level is FixLevel.REPORT
    assert (finding.line, finding.column) == (2, 5)
    assert finding.message == (
        "`request` is used at import time, outside any request context, where Flask raises "
        '"RuntimeError: Working outside of request context."; read it inside a view (or '
        "under `with app.test_request_context():` in scripts and tests)"
    )


def test_app_context_names_are_not_this_rules():
    assert findings("from flask import current_app, url_for\nX = current_app.name\n") == []


def test_key_in_session_and_session_items():
    source = code("""
        from flask import session

        if "user" in session:
            del session["user"]
    """)
    assert [f.line for f in findings(source)] == [3, 4]


def test_generator_bodies_run_later_but_their_first_iterable_now():
    source = code("""
        from flask import request

        lazy = (request.args[k] for k in ("a", "b"))
        eager = [k for k in request.args]
    """)
    assert [(f.line, f.column) for f in findings(source)] == [(4, 21)]


def test_a_module_imported_inside_an_app_context_still_lacks_a_request():
    sources = {
        "shop/__init__.py": code("""
            from flask import Flask

            def create_app():
                app = Flask(__name__)
                with app.app_context():
                    from . import hooks
                return app
        """),
        "shop/hooks.py": "from flask import request\nAGENT = request.user_agent\n",
    }
    index = index_from_sources(sources)
    assert OutsideRequestContext.could_fire_in("shop/hooks.py", index)
    [finding] = findings(sources["shop/hooks.py"], path="shop/hooks.py", index=index)
    assert "(an application context carries no request)" in finding.message


def test_a_module_imported_inside_a_test_request_context_is_fine():
    sources = {
        "shop/__init__.py": code("""
            from flask import Flask

            app = Flask(__name__)
            with app.test_request_context():
                from . import hooks
        """),
        "shop/hooks.py": "from flask import request\nAGENT = request.user_agent\n",
    }
    index = index_from_sources(sources)
    assert not OutsideRequestContext.could_fire_in("shop/hooks.py", index)
    assert findings(sources["shop/hooks.py"], path="shop/hooks.py", index=index) == []


@pytest.mark.parametrize("example", OutsideRequestContext.invalid, ids=lambda e: e.before[:30])
def test_every_invalid_example_really_fails_at_import(example):
    assert error_at_import(example.before) == "RuntimeError: Working outside of request context."


@pytest.mark.parametrize("source", OutsideRequestContext.valid, ids=lambda s: s[:30])
def test_every_valid_example_really_imports(source):
    assert error_at_import(source) in (None, "skipped")
