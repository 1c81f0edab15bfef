"""FLK502 session-in-background-thread: what the generic example tests do not cover."""

from __future__ import annotations

import contextvars
import dataclasses
import threading
from textwrap import dedent

from flask_fix import fix_code
from flask_fix.codemods.session_in_background_thread import SessionInBackgroundThread
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(source: str, path: str = "app.py", index=None):
    result = fix_code(source, path=path, select=("FLK502",), index=index)
    assert result.source == source
    return [f for f in result.findings if f.code == "FLK502"]


THREAD = code("""
    import threading
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)

    def count():
        return db.session.execute(db.text("select 1")).scalar()

    def run():
        worker = threading.Thread(target=count)
        worker.start()
        worker.join()
""")


def test_message_and_level():
    [finding] = findings(THREAD)
    assert finding.fix_level is FixLevel.REPORT
    assert (finding.line, finding.column, finding.end_column) == (10, 12, 22)
    assert finding.message == (
        "`db.session` is used in `count`, which runs in a background thread "
        "(`threading.Thread(target=count)`) with no application context; Flask-SQLAlchemy "
        'scopes its session to that context, so this raises "RuntimeError: Working '
        'outside of application context."; push an app context in the thread: '
        "`with app.app_context():` (pass it `current_app._get_current_object()` as `app`)"
    )


def test_the_thread_really_fails_with_flask_sqlalchemy():
    namespace: dict = {"__name__": "threaded"}
    errors: list[BaseException] = []

    def go() -> None:
        exec(compile(THREAD, "threaded.py", "exec"), namespace)  # noqa: S102 (our own example)
        hook = threading.excepthook
        threading.excepthook = lambda args: errors.append(args.exc_value)
        try:
            with namespace["app"].app_context():  # even from inside a context
                namespace["run"]()
        finally:
            threading.excepthook = hook

    contextvars.Context().run(go)
    assert [str(e).splitlines()[0] for e in errors] == ["Working outside of application context."]


PROJECT = {
    "shop/__init__.py": "",
    "shop/ext.py": code("""
        from celery import Celery
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        celery = Celery("shop", broker="redis://")
    """),
    "shop/models.py": code("""
        from .ext import db

        class Order(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """),
    "shop/jobs.py": code("""
        import threading
        from .ext import celery, db
        from .models import Order

        @celery.task
        def expire_orders():
            Order.query.filter_by(id=0).delete()
            db.session.commit()

        def export():
            return [o.id for o in Order.query]

        def start_export():
            threading.Thread(target=export).start()
    """),
}


def test_tasks_and_threads_resolved_across_modules():
    sources = dict(PROJECT)
    index = index_from_sources(sources)
    assert SessionInBackgroundThread.could_fire_in("shop/jobs.py", index)
    found = findings(sources["shop/jobs.py"], path="shop/jobs.py", index=index)
    assert [(f.line, f.column) for f in found] == [(7, 5), (8, 5), (11, 27)]
    assert found[0].message.startswith(
        "`Order.query` is used in the Celery task `expire_orders`, whose Celery app runs "
        "tasks with no application context"
    )


def test_a_worker_module_pushing_an_app_context_silences_tasks_not_threads():
    sources = dict(PROJECT)
    sources["celery_worker.py"] = code("""
        from flask import Flask
        from shop.ext import celery, db

        app = Flask(__name__)
        db.init_app(app)
        app.app_context().push()
    """)
    index = index_from_sources(sources)
    found = findings(sources["shop/jobs.py"], path="shop/jobs.py", index=index)
    assert [f.line for f in found] == [11]


def test_a_celery_subclass_is_not_plain():
    sources = dict(PROJECT)
    sources["shop/ext.py"] = code("""
        from celery import Celery
        from flask_sqlalchemy import SQLAlchemy

        class ContextCelery(Celery):
            pass

        db = SQLAlchemy()
        celery = ContextCelery("shop")
    """)
    index = index_from_sources(sources)
    found = findings(sources["shop/jobs.py"], path="shop/jobs.py", index=index)
    assert [f.line for f in found] == [11]


def test_modules_without_threads_or_tasks_are_triaged_away():
    sources = dict(PROJECT)
    index = index_from_sources(sources)
    assert not SessionInBackgroundThread.could_fire_in("shop/models.py", index)


def test_flask_sqlalchemy_2_with_a_db_created_with_the_app_is_worded_for_it():
    # before 3.0, SQLAlchemy(app) falls back to its app in the thread: no error, but a
    # thread-scoped session nothing removes
    index = dataclasses.replace(
        index_from_sources({"app.py": THREAD}), flask_sqlalchemy_version=(2, 5)
    )
    [finding] = findings(THREAD, index=index)
    assert finding.message == (
        "`db.session` is used in `count`, which runs in a background thread "
        "(`threading.Thread(target=count)`) with no application context; Flask-SQLAlchemy "
        "before 3.0 (which the project's requirements allow) falls back to the app the "
        "`SQLAlchemy` object was created with, but nothing removes the thread's session when "
        "it ends (the app context's teardown does that); from 3.0 on this raises "
        '"RuntimeError: Working outside of application context.", and so does any version '
        "once the object is created without the app and given it with `init_app` (FLK202); "
        "push an app context in the thread: `with app.app_context():` (pass it "
        "`current_app._get_current_object()` as `app`)"
    )


def test_threads_and_executors_imported_under_other_names():
    source = code("""
        from concurrent.futures import ThreadPoolExecutor as Pool
        from threading import Thread as Worker
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        pool = Pool(2)

        def purge():
            db.session.execute(db.text("delete from log"))

        def count():
            return db.session.execute(db.text("select count(*) from log")).scalar()

        def schedule():
            Worker(target=purge).start()
            pool.submit(count)
    """)
    found = findings(source)
    assert [(f.line, f.column) for f in found] == [(9, 5), (12, 12)]
    assert "(`threading.Thread(target=purge)`)" in found[0].message
    assert "(`pool.submit(count)`)" in found[1].message
