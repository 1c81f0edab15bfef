"""FLK502 session-in-background-thread."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example
from ..rewrite.contexts import (
    APP_CONTEXT_ERROR,
    NONE,
    THREAD_EXECUTORS,
    BackgroundRule,
    ContextWalker,
    Launch,
    Use,
    legacy_database_outcome,
    may_call,
    module_name,
    thread_calls,
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class SessionInBackgroundThread(BackgroundRule):
    """
    What it does:
        Finds Flask-SQLAlchemy's `db.session` used, or `Model.query` read, in code that
        runs with no application context: the target of a `threading.Thread`, a
        `threading.Timer` or a `ThreadPoolExecutor`'s `.submit()` / `.map()` in this
        module (a function, a nested function, a `self.method`, a lambda), and Celery
        task functions whose Celery app runs tasks without one.

    Why is this bad?:
        Flask-SQLAlchemy 3 scopes the session (and so every `Model.query`) to the
        application context. A new thread or a bare Celery worker has none, so the first
        query raises "RuntimeError: Working outside of application context." — and
        before 3.0 it silently used a session that nobody removed.

    Example:
        def import_rows(rows):
            for row in rows:
                db.session.add(Item(**row))
            db.session.commit()

        @app.post("/import")
        def start_import():
            Thread(target=import_rows, args=(request.get_json(),)).start()
            return "started", 202

    Use instead:
        def import_rows(app, rows):
            with app.app_context():
                for row in rows:
                    db.session.add(Item(**row))
                db.session.commit()

        @app.post("/import")
        def start_import():
            app = current_app._get_current_object()
            Thread(target=import_rows, args=(app, request.get_json())).start()
            return "started", 202

    Fix safety:
        Report only: the thread needs the app object to push a context, which changes
        how it is started. Uses inside `with app.app_context():` (or a request context)
        in the target are fine, and so is a target that runs with a copy of the caller's
        contexts (`@copy_current_request_context`, `contextvars.copy_context().run`). A
        target or task carrying a decorator we do not know (other than `staticmethod`,
        `classmethod`, the task decorator) is not walked: it may push a context. `db`
        must be a Flask-SQLAlchemy object created in the project and `Model` a class
        deriving from its `db.Model`, resolved through imports. A Celery task is
        reported only when its decorator belongs to a plain `celery.Celery(...)` object
        created at module level in the project with no `task_cls=`, the decorator passes
        no `base=`, no code of the project assigns a `Task` or `task_cls` attribute (the
        `ContextTask` recipe), and no code pushes an application context outside a
        `with` (a worker module doing `app.app_context().push()`); `@shared_task`
        functions are not reported, their app being unknown. Thread targets that use
        `current_app` are FLK303's. Only the target or task itself is walked, not the
        functions it calls. When the project's requirements allow Flask-SQLAlchemy
        older than 3.0, the message says what that version does: a `db` created with
        the app (`SQLAlchemy(app)`) falls back to it (no error, but a session nothing
        removes), one given its app with `init_app` raises "No application found".
    """

    code = "FLK502"
    name = "session-in-background-thread"
    fix_level = FixLevel.REPORT
    summary = "Push an app context before using `db.session` in a thread or task."
    triggers = (b".session", b".query")

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A thread started here (`threading.Thread`/`Timer` under any name it is
        imported as, `submit`/`map` with a thread pool made here), or a function
        decorated `@x.task` / `@x.task(...)` (the index's plain Celery tasks): a module
        that only imports `threading`, or calls a class of its own named `Thread`, has
        nothing for the rule."""
        functions = (*module.all(ast.FunctionDef), *module.all(ast.AsyncFunctionDef))
        if any(_is_task_decorator(d) for f in functions for d in f.decorator_list):
            return True

        return bool(
            thread_calls(module)
            or (
                any(
                    may_call(module, call, THREAD_EXECUTORS)
                    for call in module.calls_to("ThreadPoolExecutor")
                )
                and (module.calls("submit") or module.calls("map"))
            )
        )

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return path in index.contexts.background

    valid = (
        # the thread pushes an app context around its database work
        _code("""
            import threading
            from flask import Flask, current_app
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            def purge(app):
                with app.app_context():
                    db.session.execute(db.text("delete from log"))
                    db.session.commit()

            @app.post("/purge")
            def start_purge():
                threading.Thread(target=purge, args=(current_app._get_current_object(),)).start()
                return "ok"
        """),
        # the Celery app's task class pushes the context (Flask's Celery guide)
        _code("""
            from celery import Celery, Task
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class FlaskTask(Task):
                def __call__(self, *args, **kwargs):
                    with app.app_context():
                        return self.run(*args, **kwargs)

            celery = Celery(app.name, task_cls=FlaskTask)

            @celery.task
            def purge():
                db.session.execute(db.text("delete from log"))
        """),
        # the ContextTask recipe: the task class is swapped after creation
        _code("""
            from celery import Celery
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)
            celery = Celery(app.name)

            class ContextTask(celery.Task):
                def __call__(self, *args, **kwargs):
                    with app.app_context():
                        return self.run(*args, **kwargs)

            celery.Task = ContextTask

            @celery.task
            def purge():
                db.session.execute(db.text("delete from log"))
        """),
        # a worker module pushing an app context for good; shared_task; base=
        _code("""
            from celery import Celery, shared_task
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)
            celery = Celery(app.name)
            app.app_context().push()

            @celery.task
            def purge():
                db.session.execute(db.text("delete from log"))

            @shared_task
            def count():
                return db.session.execute(db.text("select 1")).scalar()
        """),
        # the project's own decorator may push a context around the thread or the task
        _code("""
            import threading
            from celery import Celery
            from flask_sqlalchemy import SQLAlchemy
            from myapp.utils import with_app_context

            db = SQLAlchemy()
            celery = Celery(__name__)

            @with_app_context
            def purge():
                db.session.execute(db.text("delete from log"))

            @celery.task
            @with_app_context
            def purge_task():
                db.session.execute(db.text("delete from log"))

            threading.Thread(target=purge).start()
        """),
        # a plain SQLAlchemy session (not Flask-SQLAlchemy) in a thread
        _code("""
            import threading
            from sqlalchemy.orm import sessionmaker
            from mylib import engine

            Session = sessionmaker(bind=engine)
            db = Session()

            def work():
                db.session.add(object())

            threading.Thread(target=work).start()
        """),
        # a class of the module named Thread, and a parameter named `threading`
        _code("""
            import threading
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            class Thread:
                def __init__(self, target):
                    self.target = target

            def purge():
                db.session.execute(db.text("delete from log"))

            def schedule(threading):
                Thread(target=purge)
                threading.Thread(target=purge).start()
        """),
        # database work in a view, not in a thread; a thread target that does none
        _code("""
            import threading
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            def ping():
                print("pong")

            @app.route("/")
            def index():
                threading.Thread(target=ping).start()
                return str(db.session.execute(db.text("select 1")).scalar())
        """),
    )
    invalid = (
        # a thread target using the session
        Example(
            _code("""
                from threading import Thread
                from flask import Flask, request
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class Item(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                def import_rows(rows):
                    for row in rows:
                        db.session.add(Item(**row))
                    db.session.commit()

                @app.post("/import")
                def start_import():
                    Thread(target=import_rows, args=(request.get_json(),)).start()
                    return "started", 202
            """)
        ),
        # Model.query in an executor target and in a method run by a thread
        Example(
            _code("""
                import threading
                from concurrent.futures import ThreadPoolExecutor
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()
                pool = ThreadPoolExecutor(2)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                def count_users():
                    return User.query.count()

                class Report:
                    def start(self):
                        pool.submit(count_users)
                        threading.Thread(target=self.build).start()

                    def build(self):
                        return User.query.all()
            """)
        ),
        # Timer and the executor class imported under other names
        Example(
            _code("""
                from concurrent.futures import ThreadPoolExecutor as Pool
                from threading import Timer as Later
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()
                pool = Pool(2)

                def purge():
                    db.session.execute(db.text("delete from log"))

                def count():
                    return db.session.execute(db.text("select count(*) from log")).scalar()

                def schedule():
                    Later(60.0, purge).start()
                    pool.submit(count)
            """)
        ),
        # a task of a plain Celery app
        Example(
            _code("""
                from celery import Celery
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)
                celery = Celery(app.name, broker="redis://")

                class Log(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                @celery.task(bind=True)
                def purge(self):
                    Log.query.delete()
                    db.session.commit()
            """)
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        at_module_level = not self._stack
        super().visit_FunctionDef(node)
        if not at_module_level:
            return
        contexts = self.context.index.contexts
        if f"{module_name(self)}.{node.name.value}" not in contexts.plain_tasks:
            return
        if len(node.decorators) > 1:
            return  # a decorator we do not know may push a context
        walker = ContextWalker(self)
        walker.suite(node.body, NONE)
        for use in walker.uses:
            if use.kind == "database" and use.outside:
                self.report_once(use.node, _task_message(node.name.value, use))

    def launched(self, launch: Launch) -> None:
        if launch.kind != "thread" or launch.copies_context:
            return
        for use in self.target_uses(launch):
            if use.kind == "database" and use.outside:
                self.report_once(use.node, _thread_message(launch, use))


def _is_task_decorator(decorator: ast.expr) -> bool:
    """`@x.task` or `@x.task(...)`, as `contextfacts` records a Celery task."""
    expression = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(expression, ast.Attribute) and expression.attr == "task"


def _spelled(use: Use) -> str:
    return cst.Module([]).code_for_node(use.node)


def _outcome(use: Use) -> str:
    """The failure, for the Flask-SQLAlchemy the project allows."""
    return legacy_database_outcome(use, thread=True) or (
        "Flask-SQLAlchemy scopes its session to that context, so this raises "
        f'"RuntimeError: {APP_CONTEXT_ERROR}"'
    )


def _thread_message(launch: Launch, use: Use) -> str:
    target = f"`{launch.target_name}`" if launch.target_name else "the lambda"
    return (
        f"`{_spelled(use)}` is used in {target}, which runs in a background thread "
        f"(`{launch.label}`) with no application context; {_outcome(use)}; "
        "push an app context in the thread: `with app.app_context():` (pass it "
        "`current_app._get_current_object()` as `app`)"
    )


def _task_message(task: str, use: Use) -> str:
    return (
        f"`{_spelled(use)}` is used in the Celery task `{task}`, whose Celery app runs "
        f"tasks with no application context; {_outcome(use)}; push one in the "
        "task (`with app.app_context():`) or give the Celery app a task class that does "
        "(`Celery(app.name, task_cls=FlaskTask)`, as in Flask's Celery guide)"
    )
