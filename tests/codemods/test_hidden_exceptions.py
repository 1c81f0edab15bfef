"""FLK602 hidden-exceptions: which catch-all handlers hide errors, checked against Flask
itself: a handler for Exception takes the error before Flask logs it or sends
got_request_exception; a 500 handler runs after both."""

from __future__ import annotations

import logging
from textwrap import dedent

import pytest
from flask import Flask, got_request_exception

from flask_fix import fix_code
from flask_fix.model import FixLevel

HANDLER = dedent("""
    import logging
    import sentry_sdk
    from flask import Flask, current_app, jsonify
    from werkzeug.exceptions import HTTPException
    from .errors import render_error

    app = Flask(__name__)
    log = logging.getLogger(__name__)

    @app.errorhandler({caught})
    def handle(error):
        {body}
        return jsonify(error="internal"), 500
""").lstrip("\n")


def findings(source: str):
    result = fix_code(source, path="pkg/app.py", select=("FLK602",))
    assert result.source == source
    return result.findings


@pytest.mark.parametrize("caught", ["Exception", "BaseException"])
@pytest.mark.parametrize(
    "body",
    [
        "pass",
        "code = getattr(error, 'code', 500)",
        "message = str(error).strip()",
        "if isinstance(error, HTTPException):\n        return error",
    ],
)
def test_a_catch_all_handler_that_stays_silent_is_reported(caught, body):
    [finding] = findings(HANDLER.format(caught=caught, body=body))
    assert (finding.code, finding.line, finding.column) == ("FLK602", 10, 1)
    assert finding.fix_level is FixLevel.REPORT
    assert "`handle()` handles every exception (`app.errorhandler`)" in finding.message


@pytest.mark.parametrize(
    "body",
    [
        "current_app.logger.exception('unhandled')",
        "log.error('failed: %s', error, exc_info=error)",
        "logging.exception(error)",
        "sentry_sdk.capture_exception(error)",
        "print(error)",
        "raise",
        "return render_error(error)",  # a project function: it may log
    ],
)
def test_a_handler_that_logs_reports_or_raises_is_silent(body):
    assert findings(HANDLER.format(caught="Exception", body=body)) == []


@pytest.mark.parametrize("caught", ["500", "ValueError", "HTTPException"])
def test_handlers_for_narrower_errors_are_silent(caught):
    assert findings(HANDLER.format(caught=caught, body="pass")) == []


def test_flask_logs_before_a_500_handler_but_not_before_a_catch_all_one(caplog):
    """The fact the rule rests on, on the installed Flask."""
    signalled = []

    def note(sender, **extra):
        signalled.append(sender)

    def make(catch_all: bool) -> Flask:
        app = Flask(__name__)

        @app.route("/")
        def boom():
            raise RuntimeError("boom")

        app.register_error_handler(
            Exception if catch_all else 500, lambda error: ("sorry", 500)
        )
        got_request_exception.connect(note, app, weak=False)
        return app

    for catch_all, logged in ((False, True), (True, False)):
        signalled.clear()
        caplog.clear()
        app = make(catch_all)
        with caplog.at_level(logging.ERROR):
            assert app.test_client().get("/").status_code == 500
        assert bool(signalled) is logged
        assert any("Exception on /" in r.getMessage() for r in caplog.records) is logged


ERRORS_MODULE = dedent("""
    from flask import jsonify, render_template
    from werkzeug.exceptions import HTTPException

    from .tracking import notify_team


    def handle_error(error):
        if isinstance(error, HTTPException):
            return error
        return render_template("error.html", message=str(error)), 500


    def logged(error):
        current_app.logger.exception("unhandled")
        return jsonify(error="internal"), 500


    def raised(error):
        raise error


    def reported(error):
        notify_team(error)
        return "error", 500


    def printed(error):
        print(error)
        return "error", 500


    def two_parameters(error, extra):
        return "error", 500
""")


@pytest.mark.parametrize(
    ("registration", "expected"),
    [
        ("app.register_error_handler(Exception, handle_error)",
         [(8, "`handle_error()` handles every exception (`app.register_error_handler`)")]),
        ("app.register_error_handler(Exception, errors.handle_error)",
         [(8, "`errors.handle_error()` handles every exception (`app.register_error_handler`)")]),
        ("app.errorhandler(BaseException)(handle_error)",
         [(8, "`handle_error()` handles every exception (`app.errorhandler`)")]),
        ("app.register_error_handler(Exception, reexported)",
         [(8, "`reexported()` handles every exception (`app.register_error_handler`)")]),
        # look-alikes: handlers that log, report, raise or print; not a catch-all; not
        # the app; not a function of the project
        ("app.register_error_handler(Exception, logged)", []),
        ("app.register_error_handler(Exception, raised)", []),
        ("app.register_error_handler(Exception, reported)", []),
        ("app.register_error_handler(Exception, printed)", []),
        ("app.register_error_handler(Exception, two_parameters)", []),
        ("app.register_error_handler(500, handle_error)", []),
        ("app.register_error_handler(ValueError, handle_error)", []),
        ("api.register_error_handler(Exception, handle_error)", []),
        ("app.register_error_handler(Exception, abort)", []),
    ],
)  # fmt: skip
def test_a_handler_of_another_module(registration, expected):
    from flask_fix.index.project import index_from_sources

    app = dedent("""
        from flask import Flask, abort
        from . import errors
        from .errors import handle_error, logged, raised, reported, printed, two_parameters
        from .reexports import handle_error as reexported
        app = Flask(__name__)
        api = object()
        {registration}
    """).format(registration=registration)
    sources = {
        "pkg/__init__.py": "",
        "pkg/errors.py": ERRORS_MODULE,
        "pkg/tracking.py": "def notify_team(error):\n    print(error)\n",
        "pkg/reexports.py": "from .errors import *\n",
        "pkg/app.py": app,
    }
    index = index_from_sources(sources)
    assert "pkg.errors.handle_error" in index.quiet_functions
    result = fix_code(app, select=("FLK602",), index=index, path="pkg/app.py")
    assert result.source == app
    assert [(f.line, f.message.split(" without ")[0]) for f in result.findings] == expected
