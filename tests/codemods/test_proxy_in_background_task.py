"""FLK303 proxy-in-background-task: what the generic example tests do not cover."""

from __future__ import annotations

import contextvars
import threading
from textwrap import dedent

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str, path: str = "app.py", index=None):
    return fix_code(source, path=path, select=("FLK303",), index=index)


THREAD = code("""
    import threading
    from flask import Flask, current_app

    app = Flask(__name__)
    app.config["GREETING"] = "hello"
    results = []

    def greet(app):
        with app.app_context():
            results.append(current_app.config["GREETING"])

    @app.route("/")
    def index():
        worker = threading.Thread(target=greet, args=(current_app,))
        worker.start()
        worker.join()
        return results[-1] if results else "nothing"
""")


def test_fix_level_message_and_position():
    result = run(THREAD)
    [finding] = result.findings
    assert finding.fix_level is FixLevel.INTENDED
    assert (finding.line, finding.column, finding.end_column) == (14, 51, 62)
    assert finding.message == (
        "`current_app` passed to a background thread (`threading.Thread(target=greet)`) is "
        "a proxy to this thread's application context: used in the new thread it raises "
        '"RuntimeError: Working outside of application context."; pass '
        "`current_app._get_current_object()` (the app itself) and push "
        "`with app.app_context():` in the thread"
    )
    assert "args=(current_app._get_current_object(),)" in result.source
    assert result.remaining == []


def _serve(source: str) -> str:
    """Import the module and answer GET / with a test client, in a fresh context."""
    namespace: dict = {"__name__": "served"}

    def go() -> str:
        exec(compile(source, "served.py", "exec"), namespace)  # noqa: S102 (our own example)
        errors: list[BaseException] = []
        hook = threading.excepthook
        threading.excepthook = lambda args: errors.append(args.exc_value)
        try:
            body = namespace["app"].test_client().get("/").get_data(as_text=True)
        finally:
            threading.excepthook = hook
        return f"{body} / {type(errors[0]).__name__}: {errors[0]}" if errors else body

    return contextvars.Context().run(go)


def test_the_rewrite_makes_the_thread_work_with_real_flask():
    before = _serve(THREAD)
    assert before.startswith("nothing / RuntimeError: Working outside of application context.")
    assert _serve(run(THREAD).source) == "hello"


def test_not_rewritten_at_import_time():
    source = code("""
        import threading
        from flask import current_app

        def work(app):
            pass

        threading.Thread(target=work, args=(current_app,)).start()
    """)
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.endswith("(not rewritten at import time)")


def test_process_pool_is_reported_not_rewritten():
    source = code("""
        from concurrent.futures import ProcessPoolExecutor
        from flask import current_app

        def work(app):
            pass

        def view():
            with ProcessPoolExecutor() as pool:
                pool.submit(work, current_app)
    """)
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.message.startswith(
        "`current_app` is sent to another process (`pool.submit(work, ...)`)"
    )


def test_process_pool_targets_are_not_walked():
    source = code("""
        from concurrent.futures import ProcessPoolExecutor
        from flask import current_app

        def work():
            return current_app.name

        def view():
            with ProcessPoolExecutor() as pool:
                pool.submit(work)
    """)
    assert run(source).findings == []


def test_request_used_in_a_target_inside_an_app_context():
    source = code("""
        import threading
        from flask import request

        def work(app):
            with app.app_context():
                print(request.path)

        def view(app):
            threading.Thread(target=work, args=(app,)).start()
    """)
    [finding] = run(source).findings
    assert finding.line == 6
    assert "(its application context carries no request)" in finding.message
    assert "`@copy_current_request_context`" in finding.message


def test_a_target_launched_twice_is_reported_once():
    source = code("""
        import threading
        from flask import g

        def work():
            print(g.user)

        def view():
            threading.Thread(target=work).start()
            threading.Timer(1.0, work).start()
    """)
    assert [f.line for f in run(source).findings] == [5]


def test_target_rebound_is_not_followed():
    source = code("""
        import threading
        from flask import current_app

        def work():
            print(current_app.name)

        work = wrap(work)

        def view():
            threading.Thread(target=work).start()
    """)
    assert run(source).findings == []


def test_celery_task_in_another_module():
    sources = {
        "shop/__init__.py": "",
        "shop/worker.py": code("""
            from celery import Celery

            celery = Celery("shop")
        """),
        "shop/tasks.py": code("""
            from .worker import celery

            @celery.task(bind=True)
            def notify(self, who):
                print(who)
        """),
        "shop/views.py": code("""
            from flask import Blueprint, session
            from . import tasks

            bp = Blueprint("shop", __name__)

            @bp.route("/")
            def index():
                tasks.notify.delay(session)
                tasks.notify.s(session["user"])
                return "ok"
        """),
    }
    index = index_from_sources(sources)
    result = run(sources["shop/views.py"], path="shop/views.py", index=index)
    [finding] = result.findings
    assert finding.line == 8
    assert finding.message.startswith(
        "`session` is sent to a Celery task (`tasks.notify.delay(...)`)"
    )


def test_flask_sqlalchemy_uses_in_a_target_are_not_this_rule_s():
    # `db.session` / `db.create_all()` in a thread are FLK502's (or nobody's) business
    source = code("""
        import threading
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy(app)

        def setup():
            db.create_all()
            db.session.commit()

        @app.route("/")
        def index():
            threading.Thread(target=setup).start()
            return ""
    """)
    result = run(source)
    assert result.source == source
    assert [f.code for f in result.findings] == []
