"""FLK303 proxy-in-background-task."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.contexts import (
    APP,
    APP_CONTEXT_ERROR,
    EXECUTOR_METHODS,
    LAUNCH_NAMES,
    PROXIES,
    REQUEST_CONTEXT_ERROR,
    TASK_METHODS,
    BackgroundRule,
    Launch,
    Use,
    thread_calls,
)
from ..rewrite.names import qualified_name

PROXY_WORDS = frozenset(PROXIES.values())


def _word(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class ProxyInBackgroundTask(BackgroundRule):
    """
    What it does:
        Finds Flask's context proxies (`current_app`, `request`, `session`, `g`) handed
        to code that runs elsewhere: passed as arguments to `threading.Thread(target=...,
        args=..., kwargs=...)`, `threading.Timer(interval, function, args=...)`, an
        executor's `.submit(fn, ...)` / `.map(fn, ...)` (a
        `concurrent.futures.ThreadPoolExecutor` or `ProcessPoolExecutor` created in the
        module), a Celery task's `.delay(...)`, `.apply_async(args, kwargs)`, `.s(...)`
        or `.si(...)`, or through `functools.partial(fn, ...)` as the target. Also finds
        thread targets of this module (a function, a nested function, a `self.method` of
        the same class, a lambda) that use these proxies, or call `url_for`,
        `render_template*`, `jsonify` or `flash`, outside a context they push themselves.

    Why is this bad?:
        The proxies point at the context of the thread that is handling the request.
        A new thread, an executor's worker or a Celery worker has no context, so the
        first use raises "RuntimeError: Working outside of application context." (or
        "... of request context."), usually in a log nobody reads. Celery arguments are
        serialized: a proxy cannot be sent at all.

    Example:
        def send_async(app, msg):
            with app.app_context():
                mail.send(msg)

        @app.route("/signup", methods=["POST"])
        def signup():
            Thread(target=send_async, args=(current_app, make_msg())).start()
            return "ok"

    Use instead:
        @app.route("/signup", methods=["POST"])
        def signup():
            Thread(
                target=send_async, args=(current_app._get_current_object(), make_msg())
            ).start()
            return "ok"

    Fix safety:
        Intended: `current_app` passed to a thread of this process (Thread, Timer,
        ThreadPoolExecutor) becomes `current_app._get_current_object()`, the application
        object itself, which the thread can use and push a context with; the thread now
        gets the app instead of a proxy that fails there. Everything else is reported:
        `request`, `session` and `g` (pass the values the thread needs, or decorate the
        target with `@copy_current_request_context`); any proxy sent to another process
        (ProcessPoolExecutor, Celery), where even the app cannot be sent; `current_app`
        passed at import time (resolving it there would raise); thread targets using the
        proxies (push `with app.app_context():` in the thread).
        Not reported: a target that runs with a copy of the caller's contexts (decorated
        with `@copy_current_request_context`, wrapped in `copy_current_request_context(fn)`
        at the call, or started through `contextvars.copy_context().run`); the body of a
        target carrying a decorator other than `staticmethod`/`classmethod` (the
        project's own decorator may push a context); uses inside `with app.app_context():` (app
        names) or `with app.test_request_context():` in the target, names that are not
        Flask's (a parameter called `request`), receivers that are not a resolved
        executor or Celery task. `db.session` and `Model.query` in thread targets are
        FLK502's. Choices where the catalogue is silent: only the target itself is
        walked, not the functions it calls; executors stored on `self` are not resolved.
    """

    code = "FLK303"
    name = "proxy-in-background-task"
    fix_level = FixLevel.INTENDED
    summary = "Do not hand Flask's context proxies to threads or tasks."
    triggers = (b"Thread", b"Timer", b"submit", b".map(", b"delay", b"apply_async", b".s(",
                b".si(")  # fmt: skip
    called_names = LAUNCH_NAMES
    required_imports = frozenset({"flask"})

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        if isinstance(call.func, ast.Name):
            # `Thread`, `Timer`, or a name one of them is imported as (module_could_fire
            # resolves it); a bare `submit()` or `delay()` launches nothing
            return call.func.id not in EXECUTOR_METHODS | TASK_METHODS
        func = call.func
        if not isinstance(func, ast.Attribute):
            return False
        if func.attr in ("Thread", "Timer") or func.attr in EXECUTOR_METHODS:
            return bool(call.args or call.keywords)  # the target is walked too
        # a task call can only fire on a proxy passed in its arguments
        values = [*call.args, *(k.value for k in call.keywords)]
        for value in list(values):
            if isinstance(value, (ast.Tuple, ast.List)):
                values += value.elts
            elif isinstance(value, ast.Dict):
                values += value.values
        return any(_word(v) in PROXY_WORDS for v in values)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A launch `call_could_fire` accepts, where a call of `Thread` or `Timer` counts
        only when it may be threading's (under any name it is imported as)."""
        threads = set(map(id, thread_calls(module)))
        for name in LAUNCH_NAMES:
            for call in module.calls_to(name):
                if name in ("Thread", "Timer"):
                    if id(call) in threads and cls.call_could_fire(call):
                        return True
                elif isinstance(call.func, ast.Attribute) and cls.call_could_fire(call):
                    return True
        return False

    valid = (
        # the app object itself is passed, and the thread pushes its own context
        _code("""
            from threading import Thread
            from flask import Flask, current_app

            app = Flask(__name__)

            def send_async(app, message):
                with app.app_context():
                    current_app.logger.info("sending %s", message)

            @app.post("/signup")
            def signup():
                app = current_app._get_current_object()
                Thread(target=send_async, args=(app, "welcome")).start()
                return "ok"
        """),
        # the target runs with a copy of the request context
        _code("""
            import threading
            from flask import Flask, copy_current_request_context, request

            app = Flask(__name__)

            @app.post("/upload")
            def upload():
                @copy_current_request_context
                def audit(req):
                    print(request.path, req.method)

                threading.Thread(target=audit, args=(request,)).start()
                return "ok"
        """),
        # a parameter named `request` and a target using nothing Flask-bound
        _code("""
            import threading

            def log(line):
                print(line)

            def handle(request):
                threading.Thread(target=log, args=(request,)).start()
        """),
        # a class named Thread that is not threading's, a pool that is not an executor
        _code("""
            from flask import Flask, current_app
            from mylib import pool

            app = Flask(__name__)

            class Thread:
                def __init__(self, target, args=()):
                    self.target, self.args = target, args

            @app.route("/")
            def index():
                Thread(target=print, args=(current_app,))
                pool.submit(print, current_app)
                return "ok"
        """),
        # a parameter named `threading`, and another library's class imported as a
        # thread-like name: neither is threading's Thread
        _code("""
            from flask import current_app
            from mylib import Thread as Job

            def log(app):
                print(app)

            def start(threading):
                threading.Thread(target=log, args=(current_app,)).start()
                Job(target=log, args=(current_app,))
        """),
        # the thread runs with a copy of this context: wrapped at the call, or run in a
        # copied contextvars context
        _code("""
            import contextvars
            import threading
            from concurrent.futures import ThreadPoolExecutor
            from flask import Flask, copy_current_request_context, current_app, request

            app = Flask(__name__)
            pool = ThreadPoolExecutor()

            def audit(req):
                print(req.path, current_app.name)

            @app.route("/")
            def index():
                pool.submit(copy_current_request_context(audit), request)
                threading.Thread(
                    target=contextvars.copy_context().run, args=(audit, request)
                ).start()
                return "ok"
        """),
        # a target decorated with the project's own decorator, which may push a context
        _code("""
            import threading
            from flask import Flask, current_app
            from myapp.utils import with_app_context

            app = Flask(__name__)

            @with_app_context
            def warm_cache():
                current_app.logger.info("warming")

            @app.route("/")
            def index():
                threading.Thread(target=warm_cache).start()
                return "ok"
        """),
        # `.delay()` on something that is not a Celery task
        _code("""
            from flask import Flask, request
            from mylib import scheduler

            app = Flask(__name__)

            @app.route("/")
            def index():
                scheduler.delay(request)
                return "ok"
        """),
    )
    invalid = (
        # current_app passed to a thread: the real app object is passed instead
        Example(
            _code("""
                from threading import Thread
                from flask import Flask, current_app

                app = Flask(__name__)

                def send_async(app, message):
                    with app.app_context():
                        print(message)

                @app.post("/signup")
                def signup():
                    Thread(target=send_async, args=(current_app, "welcome")).start()
                    return "ok"
            """),
            _code("""
                from threading import Thread
                from flask import Flask, current_app

                app = Flask(__name__)

                def send_async(app, message):
                    with app.app_context():
                        print(message)

                @app.post("/signup")
                def signup():
                    Thread(target=send_async, args=(current_app._get_current_object(), "welcome")).start()
                    return "ok"
            """),
        ),
        # Thread imported under another name: names are resolved, not spelled
        Example(
            _code("""
                from threading import Thread as Worker
                from flask import current_app

                def send(app, message):
                    with app.app_context():
                        print(message)

                def signup():
                    Worker(target=send, args=(current_app, "welcome")).start()
            """),
            _code("""
                from threading import Thread as Worker
                from flask import current_app

                def send(app, message):
                    with app.app_context():
                        print(message)

                def signup():
                    Worker(target=send, args=(current_app._get_current_object(), "welcome")).start()
            """),
        ),
        # Timer and a thread-pool executor, through `import flask`
        Example(
            _code("""
                import threading
                from concurrent.futures import ThreadPoolExecutor
                import flask

                def warm(app):
                    with app.app_context():
                        pass

                def view():
                    threading.Timer(5.0, warm, args=[flask.current_app]).start()
                    with ThreadPoolExecutor() as pool:
                        pool.submit(warm, flask.current_app)
            """),
            _code("""
                import threading
                from concurrent.futures import ThreadPoolExecutor
                import flask

                def warm(app):
                    with app.app_context():
                        pass

                def view():
                    threading.Timer(5.0, warm, args=[flask.current_app._get_current_object()]).start()
                    with ThreadPoolExecutor() as pool:
                        pool.submit(warm, flask.current_app._get_current_object())
            """),
        ),
        # a thread target using current_app with no context of its own
        Example(
            _code("""
                import threading
                from flask import Flask, current_app

                app = Flask(__name__)

                def rebuild_index():
                    current_app.logger.info("rebuilding")

                @app.post("/reindex")
                def reindex():
                    threading.Thread(target=rebuild_index).start()
                    return "started"
            """)
        ),
        # request passed to an executor, session through functools.partial, g in a method
        Example(
            _code("""
                import functools
                import threading
                from concurrent.futures import ThreadPoolExecutor
                from flask import g, request, session

                executor = ThreadPoolExecutor(4)

                def audit(req):
                    print(req)

                class Exporter:
                    def start(self):
                        executor.submit(audit, request)
                        threading.Thread(target=functools.partial(audit, session)).start()
                        threading.Thread(target=self.run).start()

                    def run(self):
                        print(g.user)
            """)
        ),
        # sent to a Celery task: reported, never rewritten (it is serialized)
        Example(
            _code("""
                from celery import Celery
                from flask import Flask, current_app, request

                app = Flask(__name__)
                celery = Celery(__name__)

                @celery.task
                def record(source, path):
                    print(source, path)

                @app.route("/")
                def index():
                    record.delay(current_app, request)
                    record.apply_async(args=(current_app, "/"))
                    return "ok"
            """)
        ),
        # a lambda target
        Example(
            _code("""
                import threading
                from flask import current_app

                def view():
                    threading.Thread(target=lambda: current_app.logger.info("x")).start()
            """)
        ),
    )

    def launched(self, launch: Launch) -> None:
        if launch.copies_context:
            return
        for expression in launch.passed:
            if isinstance(expression, (cst.Name, cst.Attribute)):
                proxy = PROXIES.get(qualified_name(self, expression) or "")
                if proxy is not None:
                    self._passed(launch, expression, proxy)
        if launch.kind == "thread":
            for use in self.target_uses(launch):
                if use.kind in ("proxy", "function") and use.outside:
                    self.report_once(use.node, _target_message(launch, use))

    def _passed(self, launch: Launch, expression: cst.BaseExpression, proxy: str) -> None:
        if launch.kind != "thread":
            where = "a Celery task" if launch.kind == "celery" else "another process"
            self.report_once(
                expression,
                f"`{proxy}` is sent to {where} (`{launch.label}`): arguments are serialized "
                "and run in a worker that has no context, so even the proxy's object cannot "
                f"go there; pass plain values (ids, strings) and, in the worker, create the "
                "app and push `with app.app_context():`",
            )
            return
        if proxy == "current_app":
            advice = (
                f"`current_app` passed to a background thread (`{launch.label}`) is a proxy "
                "to this thread's application context: used in the new thread it raises "
                f'"RuntimeError: {APP_CONTEXT_ERROR}"; pass `current_app._get_current_object()`'
                " (the app itself) and push `with app.app_context():` in the thread"
            )
            if launch.import_time:
                self.report_once(expression, advice + " (not rewritten at import time)")
                return
            replacement = cst.Call(func=cst.Attribute(expression, cst.Name("_get_current_object")))
            self.report_once(expression, advice, fix=Fix({expression: replacement}))
            return
        error = APP_CONTEXT_ERROR if proxy == "g" else REQUEST_CONTEXT_ERROR
        values = (
            "the values stored on `g`"
            if proxy == "g"
            else "the values the thread needs (`request.get_json()`, `request.args.to_dict()`)"
        )
        self.report_once(
            expression,
            f"`{proxy}` passed to a background thread (`{launch.label}`) is a proxy to this "
            f'thread\'s context: used in the new thread it raises "RuntimeError: {error}"; '
            f"pass {values}, or decorate the target with `@copy_current_request_context`",
        )


def _target_message(launch: Launch, use: Use) -> str:
    target = f"`{launch.target_name}`" if launch.target_name else "the lambda"
    name = f"{use.name}()" if use.kind == "function" else use.name
    verb = "called" if use.kind == "function" else "used"
    if use.needs == APP:
        return (
            f"`{name}` is {verb} in {target}, which runs in a background thread "
            f'(`{launch.label}`) with no application context: Flask raises "RuntimeError: '
            f'{APP_CONTEXT_ERROR}"; push an app context in the thread: `with '
            "app.app_context():` (pass it `current_app._get_current_object()` as `app`)"
        )
    inside = " (its application context carries no request)" if use.state == APP else ""
    return (
        f"`{name}` is {verb} in {target}, which runs in a background thread "
        f'(`{launch.label}`) with no request context{inside}: Flask raises "RuntimeError: '
        f'{REQUEST_CONTEXT_ERROR}"; pass the values the thread needs as arguments, or '
        "decorate the target with `@copy_current_request_context`"
    )
