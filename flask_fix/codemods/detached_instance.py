"""FLK506 detached-instance."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from textwrap import dedent

import libcst as cst
from libcst.metadata import GlobalScope, ScopeProvider

from ..index.project import ProjectIndex
from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.contexts import (
    LAUNCH_NAMES,
    BackgroundRule,
    Launch,
    module_name,
    project_name,
    spelled,
    thread_calls,
)
from ..rewrite.names import enclosing_function, only_binding, qualified_name

# query methods that keep a query of the same entity (`User.query.filter_by(...)`)
QUERY_KEEPS = frozenset(
    {"filter", "filter_by", "order_by", "join", "outerjoin", "options", "limit", "offset",
     "distinct", "group_by", "having", "where", "populate_existing", "with_for_update",
     "execution_options", "params", "enable_eagerloads", "autoflush", "select_from",
     "yield_per", "join_from", "outerjoin_from"}
)  # fmt: skip
# query methods giving one instance (Flask-SQLAlchemy's Query adds the *_or_404 ones)
QUERY_ONE = frozenset(
    {"get", "get_or_404", "first", "first_or_404", "one", "one_or_none", "one_or_404"}
)
QUERY_MANY = frozenset({"all"})
# `db.first_or_404(select(User)...)`, `db.session.scalar(select(User))`
STATEMENT_ONE = frozenset({"first_or_404", "one_or_404"})
SESSION_STATEMENT_ONE = frozenset({"scalar"})
# `db.session.execute(select(User)).scalar_one()`
RESULT_ONE = frozenset({"scalar", "scalar_one", "scalar_one_or_none"})
SCALARS_ONE = frozenset({"first", "one", "one_or_none"})
SELECT = frozenset({"sqlalchemy.select", "sqlalchemy.sql.select", "sqlalchemy.future.select",
                    "sqlalchemy.sql.expression.select"})  # fmt: skip
LOGIN_CURRENT_USER = frozenset(
    {"flask_login.current_user", "flask_login.utils.current_user", "flask.ext.login.current_user"}
)
FLASK_SESSION = frozenset({"flask.session", "flask.globals.session"})
RQ_QUEUES = frozenset({"rq.Queue", "rq.queue.Queue"})
RQ_GET_QUEUE = frozenset({"flask_rq.get_queue"})
RQ_METHODS = frozenset({"enqueue", "enqueue_call", "enqueue_in", "enqueue_at"})
# keyword arguments RQ's enqueue keeps for itself (not handed to the function)
RQ_OPTIONS = frozenset(
    {"job_timeout", "timeout", "result_ttl", "ttl", "failure_ttl", "description",
     "depends_on", "job_id", "at_front", "meta", "retry", "on_success", "on_failure",
     "on_stopped", "pipeline", "args", "kwargs", "func"}
)  # fmt: skip
CONTAINER_METHODS = frozenset({"append", "add", "setdefault", "insert"})
DETACHED = (
    '"Parent instance <...> is not bound to a Session; lazy load operation of attribute '
    "'...' cannot proceed\" (DetachedInstanceError)"
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Loaded:
    """What an expression holds: one instance of `model` ('instance'), a list of them
    ('list'), or Flask-Login's `current_user` ('current_user')."""

    kind: str
    model: str  # the model's name as written, or 'current_user'

    def describe(self, expression: cst.CSTNode) -> str:
        text = spelled(expression)
        if len(text) > 60 or "\n" in text:
            text = text[:57].split("\n")[0] + "..."
        if self.kind == "current_user":
            return (
                f"`{text}` (Flask-Login's proxy to the request's user, a model instance "
                "the project's user loader loads)"
            )
        what = f"a `{self.model}` instance" if self.kind == "instance" else (
            f"a list of `{self.model}` instances"
        )
        return f"`{text}` ({what})"


class DetachedInstance(BackgroundRule):
    """
    What it does:
        Finds Flask-SQLAlchemy model instances that leave the database session they were
        loaded in: passed to a `threading.Thread`/`Timer`, an executor's `.submit()` /
        `.map()`, a Celery task's `.delay()`/`.apply_async()`/`.s()`/`.si()` (a task of
        the project, of an app made by `celery.Celery(...)` or a `@shared_task`) or
        RQ's `queue.enqueue()`; stored in a module-level global (assigned
        at module level and read by a function, assigned in a function through `global`,
        or put into a module-level container) or a class attribute (`Cache.user = user`
        in a function, the class defined at module level); or put in Flask's `session`. An instance
        is a value loaded from a model of the project: `User.query...get()` /
        `first()` / `one()` / `first_or_404()` / `get_or_404()` (through `filter_by`,
        `order_by` and the other query methods), `db.session.get(User, ...)`,
        `db.get_or_404(User, ...)`, `db.session.query(User)...first()`,
        `db.session.scalar(select(User)...)`, `db.first_or_404(select(User)...)`, a
        loop variable over `.all()`, a `User(...)` the same function gives to
        `db.session.add()` / `add_all()`, `self` in a method of a model, and
        Flask-Login's `current_user` when the project's user loader returns a model.

    Why is this bad?:
        An instance belongs to the session that loaded it, and Flask-SQLAlchemy removes
        that session when the request's app context ends. In a thread, the instance is
        shared with a session another thread is using (sessions are not thread-safe),
        and once the request ends every lazy load or expired attribute raises
        "Parent instance <User> is not bound to a Session; lazy load operation of
        attribute ... cannot proceed" (DetachedInstanceError). A task queue serializes
        its arguments: Celery's default JSON serializer refuses the object, and a pickle
        gives the worker a detached copy of stale data. A global keeps the instance
        across requests, detached and stale, shared by every thread. Flask's cookie
        session is JSON: storing an instance raises "Object of type User is not JSON
        serializable" when the response is saved; a server-side session pickles it and
        later requests read a detached copy.

    Example:
        @app.post("/users/<int:user_id>/welcome")
        def welcome(user_id):
            user = User.query.get_or_404(user_id)
            send_welcome.delay(user)
            session["user"] = user
            return "queued", 202

    Use instead:
        @app.post("/users/<int:user_id>/welcome")
        def welcome(user_id):
            user = User.query.get_or_404(user_id)
            send_welcome.delay(user.id)  # the task loads it: db.session.get(User, user_id)
            session["user_id"] = user.id
            return "queued", 202

    Fix safety:
        Report only: the receiving code must load the object again by its primary key
        (or `db.session.merge()` it into its own session), which changes its signature.
        Not reported: an attribute of an instance (`user.id`, `user.email`: a value,
        though a relationship attribute would be an instance too), a dict or string
        built from it, anything passed to a thread target that calls `.merge(...)`;
        names that are not the project's (a local `session`, a parameter named `user`,
        a model class from outside the project), a variable bound to anything else in
        the function (even before the query: `user = form.save()` then `user =
        User.query...`), and instances a function creates without adding them to the
        session (`User(...)`). Flask's
        context proxies passed to threads are FLK303's, `db.session` used in a thread
        is FLK502's. Queues are resolved only as `rq.Queue(...)` bound in the module or
        Flask-RQ's `get_queue()`; a queue kept on the app (`app.task_queue`), Flask-RQ2
        jobs, attributes set on `self` or on a class of another module are not
        followed; globals, containers and class attributes count only in a module
        defining views (a script's globals serve no requests). Tasks of an app made by a project
        subclass of `Celery` are left alone: such a class may send instances its own way
        (indico's sends their primary keys and loads them again in the worker).
    """

    code = "FLK506"
    name = "detached-instance"
    fix_level = FixLevel.REPORT
    summary = "Pass a model's primary key to threads, tasks and `session`, not the instance."
    triggers = (b"Thread", b"Timer", b"submit", b".map(", b"delay", b"apply_async", b".s(",
                b".si(", b"enqueue", b"session", b"global", b".query")  # fmt: skip
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A place an instance could go: a call named like a launch, an RQ enqueue or a
        container's `append`, a `global` statement, an item assigned (`session[k] = v`),
        or a module-level assignment of a call's result."""
        if module.all(ast.Global) or thread_calls(module):
            return True
        if any(module.calls(name) for name in (*LAUNCH_NAMES, *RQ_METHODS, *CONTAINER_METHODS)):
            return True
        if any(
            isinstance(target, ast.Subscript)
            for assign in module.all(ast.Assign)
            for target in assign.targets
        ):
            return True
        pending = list(module.tree.body)
        while pending:  # the module's own statements, not function or class bodies
            statement = pending.pop()
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                if isinstance(statement.value, ast.Call):
                    return True
            elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for name in ("body", "orelse", "finalbody"):
                    pending.extend(getattr(statement, name, ()))
                for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
                    pending.extend(part.body)
        return False

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return bool(index.contexts.models)

    valid = (
        # the id goes to the task, the thread, the queue and the session
        _code("""
            import threading
            from celery import Celery
            from flask import Flask, session
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)
            celery = Celery(app.name)

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                email = db.Column(db.String)

            @celery.task
            def send_email(user_id):
                with app.app_context():
                    print(db.session.get(User, user_id).email)

            def audit(app, user_id):
                with app.app_context():
                    print(User.query.get(user_id))

            @app.post("/users/<int:user_id>")
            def welcome(user_id):
                user = User.query.get_or_404(user_id)
                send_email.delay(user.id)
                send_email.apply_async(args=[user.id])
                threading.Thread(target=audit, args=(app, user.id)).start()
                session["user_id"] = user.id
                session["profile"] = {"id": user.id, "email": user.email}
                return "ok"
        """),
        # a local named `session` (not Flask's), a parameter named `user`, a global
        # holding a value built from an instance
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            ADMIN_ID = None

            def remember(user):
                session = {}
                session["user"] = user
                return session

            @app.route("/admin")
            def admin():
                global ADMIN_ID
                session = {}
                session["user"] = User.query.first()
                ADMIN_ID = User.query.first().id
                return str(ADMIN_ID)
        """),
        # the thread target merges the instance into its own session
        _code("""
            import threading
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            def refresh(app, user):
                with app.app_context():
                    user = db.session.merge(user)
                    print(user.id)

            @app.post("/refresh")
            def start():
                user = db.session.get(User, 1)
                threading.Thread(target=refresh, args=(app, user)).start()
                return "ok"
        """),
        # a model that is not Flask-SQLAlchemy's, `.delay` on something not a task
        _code("""
            from flask import Flask, session
            from mylib import Base, scheduler

            app = Flask(__name__)

            class User(Base):
                pass

            @app.route("/")
            def index():
                user = User.query.first()
                scheduler.delay(user)
                session["user"] = user
                return "ok"
        """),
    )
    invalid = (
        # an instance sent to a Celery task, a thread, and put in the session
        Example(
            _code("""
                from threading import Thread
                from celery import Celery
                from flask import Flask, session
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)
                celery = Celery(app.name)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                @celery.task
                def send_email(user):
                    print(user)

                def audit(user):
                    print(user)

                @app.post("/users/<int:user_id>")
                def welcome(user_id):
                    user = User.query.filter_by(id=user_id).first_or_404()
                    send_email.delay(user)
                    Thread(target=audit, args=(user,)).start()
                    session["user"] = user
                    return "ok"
            """)
        ),
        # a module-level global loaded once and read by a view; one set through `global`
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class Setting(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                with app.app_context():
                    DEFAULTS = Setting.query.first()

                CURRENT = None

                @app.route("/settings")
                def settings():
                    global CURRENT
                    CURRENT = db.session.get(Setting, 1)
                    return str(DEFAULTS.id)
            """)
        ),
        # RQ, an executor, and `self` of a model's method handed to a task
        Example(
            _code("""
                from concurrent.futures import ThreadPoolExecutor
                from celery import Celery
                from flask_sqlalchemy import SQLAlchemy
                from redis import Redis
                from rq import Queue

                db = SQLAlchemy()
                celery = Celery(__name__)
                queue = Queue(connection=Redis())
                pool = ThreadPoolExecutor(2)

                @celery.task
                def index_user(user):
                    print(user)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                    def reindex(self):
                        index_user.apply_async(args=[self])

                def notify(users):
                    print(users)

                def nightly():
                    users = User.query.order_by(User.id).all()
                    queue.enqueue(notify, users)
                    for user in users:
                        pool.submit(notify, user)
            """)
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # id(target Name) -> the value assigned / the iterable looped over / None
        self._assigned: dict[int, tuple[str, cst.BaseExpression]] = {}
        # id(first Param of a model's method) -> the model's name
        self._selves: dict[int, str] = {}
        self._queues: set[int] = set()  # id(Name) bound to `rq.Queue(...)`
        self._module_calls: list[cst.Call] = []  # enqueue, container and session calls
        self._stores: list[tuple[cst.CSTNode, cst.BaseExpression, str]] = []  # (target, value, kind)
        self._module_node: cst.Module | None = None
        self._globals: list[set[str]] = []  # names declared `global` per function
        # the names given to `db.session.add()` / `add_all([...])`
        self._session_names: list[cst.Name] = []

    # traversal

    def visit_Module(self, node: cst.Module) -> None:
        self._module_node = node

    def _global_scope(self) -> GlobalScope | None:
        """The module's scope, resolved when first needed (flask_fix.rewrite.base: the
        scope analysis runs only when a rule asks)."""
        scope = self.get_metadata(ScopeProvider, self._module_node, None)
        return scope if isinstance(scope, GlobalScope) else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self._stack[-1] if self._stack else None
        super().visit_FunctionDef(node)
        self._globals.append(set())
        if not isinstance(owner, cst.ClassDef) or len(self._stack) != 2:
            return
        decorators = {qualified_name(self, d.decorator) for d in node.decorators}
        if decorators & {"builtins.staticmethod", "builtins.classmethod"}:
            return
        params = [*node.params.posonly_params, *node.params.params]
        if params and f"{module_name(self)}.{owner.name.value}" in self.context.index.contexts.models:
            self._selves[id(params[0])] = owner.name.value

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self._globals.pop()

    def visit_Global(self, node: cst.Global) -> None:
        if self._globals:
            self._globals[-1].update(n.name.value for n in node.names)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        value = node.value
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Name):
                self._assigned[id(name)] = ("value", value)
                if isinstance(value, cst.Call) and qualified_name(self, value.func) in RQ_QUEUES:
                    self._queues.add(id(name))
                if self._globals and name.value in self._globals[-1]:
                    self._stores.append((name, value, "global"))
                elif not self._stack:
                    self._stores.append((name, value, "module"))
            elif isinstance(name, cst.Subscript):
                self._stores.append((name, value, "item"))
            elif isinstance(name, cst.Attribute) and isinstance(name.value, cst.Name):
                self._stores.append((name, value, "class"))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._assigned[id(node.target)] = ("value", node.value)

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name):
            self._assigned[id(node.target)] = ("loop", node.iter)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("add", "add_all")
            and node.args
            and self._is_db_session(func.value)
        ):
            value = node.args[0].value
            names = _elements(value) if func.attr.value == "add_all" else [value]
            for name in names:
                if isinstance(name, cst.Name):
                    self._session_names.append(name)
        if isinstance(func, cst.Attribute) and (
            func.attr.value in RQ_METHODS or func.attr.value in CONTAINER_METHODS
        ):
            self._module_calls.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)  # the launches: `launched()`
        for call in self._module_calls:
            func = call.func
            assert isinstance(func, cst.Attribute)
            if func.attr.value in RQ_METHODS:
                self._enqueued(call, func)
            else:
                self._added(call, func)
        for target, value, kind in self._stores:
            if kind == "item":
                self._item_stored(target, value)
            elif kind == "class":
                self._class_stored(target, value)
            else:
                self._global_stored(target, value, kind)

    # sinks

    def launched(self, launch: Launch) -> None:
        if launch.kind == "celery" and not self._stock_task(launch.call):
            return
        merges = launch.target is not None and _calls_merge(launch.target)
        passed = list(launch.passed)
        func = launch.call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "map" and launch.kind != "celery":
            # `pool.map(work, User.query.all())`: the iterable's items go to the workers
            passed += [a.value for a in launch.call.args[1:] if a.keyword is None and not a.star
                       and not isinstance(a.value, (cst.List, cst.Tuple))]  # fmt: skip
        for expression in passed:
            for node, loaded in self._loaded_in(expression):
                if merges:
                    continue
                self.report_once(node, _launch_message(launch, node, loaded))

    def _stock_task(self, call: cst.Call) -> bool:
        """A task of a `celery.Celery(...)` app or a `@shared_task` (see
        `ContextIndex.stock_celery_tasks`)."""
        func = call.func
        assert isinstance(func, cst.Attribute)
        task = project_name(self, func.value)
        return task in self.context.index.contexts.stock_celery_tasks

    def _enqueued(self, call: cst.Call, func: cst.Attribute) -> None:
        receiver = func.value
        is_queue = (
            isinstance(receiver, cst.Call) and qualified_name(self, receiver.func) in RQ_GET_QUEUE
        ) or (
            isinstance(receiver, cst.Name)
            and id(getattr(only_binding(self, receiver), "node", None)) in self._queues
        )
        if not is_queue:
            return
        passed: list[cst.BaseExpression] = []
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if func.attr.value == "enqueue_call":  # (func, args, kwargs, ...)
            for value in positional[1:3]:
                passed += _elements(value)
        else:  # enqueue(f, *args), enqueue_in / enqueue_at(when, f, *args)
            passed += positional[1 if func.attr.value == "enqueue" else 2 :]
        for arg in call.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value in ("args", "kwargs"):
                passed += _elements(arg.value)
            elif arg.keyword.value not in RQ_OPTIONS:
                passed.append(arg.value)
        label = f"{spelled(func)}(...)"
        for expression in passed:
            for node, loaded in self._loaded_in(expression):
                self.report_once(
                    node,
                    f"{loaded.describe(node)} is sent to an RQ job (`{label}`), which pickles "
                    "it: the worker gets a copy bound to no session, with the data of the "
                    f"moment it was queued, and its lazy loads raise {DETACHED}; pass "
                    "its primary key and load it again in the job",
                )

    def _added(self, call: cst.Call, func: cst.Attribute) -> None:
        """`CACHE.append(user)`, `session.setdefault("user", user)`."""
        receiver = func.value
        values = [a.value for a in call.args if a.keyword is None and not a.star]
        if func.attr.value == "setdefault" and self._is_flask_session(receiver):
            for node, loaded in self._loaded_in(values[1] if len(values) > 1 else None):
                self.report_once(node, _session_message(node, loaded))
            return
        container = self._module_container(receiver)
        if container is None or enclosing_function(self, call) is None:
            return
        if not self.context.index.has_views(self.context.path):
            return
        for value in values[-1:]:
            for node, loaded in self._loaded_in(value):
                self.report_once(node, _global_message(node, loaded, f"`{container}`"))

    def _item_stored(self, target: cst.Subscript, value: cst.BaseExpression) -> None:
        """`session["user"] = user`, `CACHE[key] = user` (in a function)."""
        if self._is_flask_session(target.value):
            for node, loaded in self._loaded_in(value):
                self.report_once(node, _session_message(node, loaded))
            return
        container = self._module_container(target.value)
        if container is None or enclosing_function(self, target) is None:
            return
        if not self.context.index.has_views(self.context.path):
            return
        for node, loaded in self._loaded_in(value):
            self.report_once(node, _global_message(node, loaded, f"`{container}`"))

    def _class_stored(self, target: cst.Attribute, value: cst.BaseExpression) -> None:
        """`Settings.current = user` in a function, `Settings` a class of this module."""
        owner = target.value
        assert isinstance(owner, cst.Name)
        binding = only_binding(self, owner)
        if (
            not isinstance(getattr(binding, "node", None), cst.ClassDef)
            or not isinstance(binding.scope, GlobalScope)
            or enclosing_function(self, target) is None
            or not self.context.index.has_views(self.context.path)
        ):
            return
        holder = f"the class attribute `{owner.value}.{target.attr.value}`"
        for node, loaded in self._loaded_in(value):
            self.report_once(node, _global_message(node, loaded, holder))

    def _global_stored(self, target: cst.Name, value: cst.BaseExpression, kind: str) -> None:
        scope = self._global_scope()
        if scope is None or not self.context.index.has_views(self.context.path):
            return
        if kind == "module":
            # read later by a function: a view, a helper, anything running after import
            readers = {
                enclosing_function(self, access.node)
                for assignment in scope.assignments[target.value]
                for access in assignment.references
            } - {None}
            if not readers:
                return
            where = f"read by `{sorted(readers)[0]}()`"
        else:
            where = f"assigned through `global` in `{enclosing_function(self, target)}()`"
        for node, loaded in self._loaded_in(value):
            self.report_once(node, _global_message(node, loaded, f"the global `{target.value}`",
                                                   where))  # fmt: skip

    # what a value holds

    def _loaded_in(self, expression: cst.BaseExpression | None) -> list[tuple[cst.CSTNode, Loaded]]:
        """The instances `expression` carries: itself, or elements of a list, tuple, set
        or dict display it is (not attributes, calls on them, or values built from them)."""
        if expression is None:
            return []
        if isinstance(expression, (cst.List, cst.Tuple, cst.Set)):
            return [
                found
                for element in expression.elements
                if isinstance(element, cst.Element)
                for found in self._loaded_in(element.value)
            ]
        if isinstance(expression, cst.Dict):
            return [
                found
                for element in expression.elements
                if isinstance(element, cst.DictElement)
                for found in self._loaded_in(element.value)
            ]
        loaded = self._loaded(expression)
        return [(expression, loaded)] if loaded is not None else []

    def _loaded(self, node: cst.BaseExpression, depth: int = 0) -> Loaded | None:
        if depth > 8:
            return None
        if isinstance(node, cst.Name):
            return self._name(node, depth)
        if isinstance(node, cst.Call):
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "_get_current_object"
                and not node.args
                and self._is_current_user(func.value)
            ):
                return Loaded("current_user", "current_user")
            return self._query_result(node)
        if isinstance(node, cst.Attribute):
            if self._is_current_user(node):
                return Loaded("current_user", "current_user")
            # `Model.query.paginate(...).items`, `db.paginate(select(M)).items`
            if node.attr.value == "items" and isinstance(node.value, cst.Call):
                many = self._paginated(node.value)
                return Loaded("list", many) if many is not None else None
        return None

    def _added_names(self) -> set[tuple[int, str]]:
        """(id(scope), name) of the names given to the session so far."""
        return {
            (id(self.get_metadata(ScopeProvider, name, None)), name.value)
            for name in self._session_names
        }

    def _name(self, name: cst.Name, depth: int) -> Loaded | None:
        if name.value == "current_user" and self._is_current_user(name):
            return Loaded("current_user", "current_user")
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        assignments = list(scope[name.value])
        if not assignments:
            return None
        found: set[Loaded] = set()
        for assignment in assignments:
            node = getattr(assignment, "node", None)
            if isinstance(node, cst.Param) and id(node) in self._selves:
                found.add(Loaded("instance", self._selves[id(node)]))
                continue
            bound = self._assigned.get(id(node))
            if bound is None:
                return None
            how, value = bound
            loaded = self._loaded(value, depth + 1)
            if loaded is None and how == "value" and isinstance(value, cst.Call):
                # `user = User(...)` then `db.session.add(user)`: in the session as well
                model = self._model(value.func)
                if model and (id(assignment.scope), name.value) in self._added_names():
                    loaded = Loaded("instance", model)
            if loaded is None:
                return None
            if how == "loop":
                if loaded.kind != "list":
                    return None
                loaded = Loaded("instance", loaded.model)
            found.add(loaded)
        return found.pop() if len(found) == 1 else None

    def _is_current_user(self, node: cst.CSTNode) -> bool:
        return (
            self.context.index.contexts.login_user_model
            and qualified_name(self, node) in LOGIN_CURRENT_USER
        )

    def _model(self, node: cst.BaseExpression) -> str | None:
        """The name `node` is written as when it names a model of the project."""
        if isinstance(node, (cst.Name, cst.Attribute)):
            if project_name(self, node) in self.context.index.contexts.models:
                return spelled(node)
        return None

    def _is_db(self, node: cst.BaseExpression) -> bool:
        return project_name(self, node) in self.context.index.contexts.sqlalchemy

    def _is_db_session(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value == "session"
            and self._is_db(node.value)
        )

    def _query_result(self, call: cst.Call) -> Loaded | None:
        """An instance or a list of them a call returns: `Query.first()`, `db.session.get()`..."""
        func = call.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        first = call.args[0].value if call.args and call.args[0].keyword is None else None
        # db.session.get(User, 1), db.get_or_404(User, 1)
        if method == "get" and self._is_db_session(func.value) and first is not None:
            model = self._model(first)
            return Loaded("instance", model) if model else None
        if method == "get_or_404" and self._is_db(func.value) and first is not None:
            model = self._model(first)
            return Loaded("instance", model) if model else None
        # db.first_or_404(select(User)), db.session.scalar(select(User))
        if (method in STATEMENT_ONE and self._is_db(func.value)) or (
            method in SESSION_STATEMENT_ONE and self._is_db_session(func.value)
        ):
            model = self._selected(first) if first is not None else None
            return Loaded("instance", model) if model else None
        # db.session.execute(select(User)).scalar_one()
        if method in RESULT_ONE and isinstance(func.value, cst.Call):
            model = self._executed(func.value, "execute")
            return Loaded("instance", model) if model else None
        # db.session.scalars(select(User)).first(), db.session.execute(...).scalars().all()
        if (method in SCALARS_ONE or method in QUERY_MANY) and isinstance(func.value, cst.Call):
            inner = func.value
            model = self._executed(inner, "scalars")
            if model is None and isinstance(inner.func, cst.Attribute) and (
                inner.func.attr.value == "scalars" and isinstance(inner.func.value, cst.Call)
            ):
                model = self._executed(inner.func.value, "execute")
            if model is not None:
                return Loaded("instance" if method in SCALARS_ONE else "list", model)
        # User.query.filter_by(...).first(), db.session.query(User).all()
        if method in QUERY_ONE or method in QUERY_MANY:
            model = self._query(func.value)
            if model is not None:
                return Loaded("instance" if method in QUERY_ONE else "list", model)
        return None

    def _executed(self, call: cst.Call, method: str) -> str | None:
        """The model of `db.session.<method>(select(Model)...)`."""
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == method
            and self._is_db_session(func.value)
            and call.args
            and call.args[0].keyword is None
        ):
            return self._selected(call.args[0].value)
        return None

    def _paginated(self, call: cst.Call) -> str | None:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "paginate":
            return None
        if self._is_db(func.value) and call.args and call.args[0].keyword is None:
            return self._selected(call.args[0].value)
        return self._query(func.value)

    def _query(self, node: cst.BaseExpression) -> str | None:
        """The model of a query: `User.query`, `db.session.query(User)`, and either with
        methods that keep the entity (`filter_by`, `order_by`...)."""
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value in QUERY_KEEPS:
                node = node.func.value
                continue
            if (
                node.func.attr.value == "query"
                and self._is_db_session(node.func.value)
                and len(node.args) == 1
                and node.args[0].keyword is None
            ):
                return self._model(node.args[0].value)
            return None
        if isinstance(node, cst.Attribute) and node.attr.value == "query":
            return self._model(node.value)
        return None

    def _selected(self, node: cst.BaseExpression) -> str | None:
        """The model of `select(Model)` / `db.select(Model)` with entity-keeping methods."""
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value in QUERY_KEEPS:
                node = node.func.value
                continue
            break
        if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].keyword:
            return None
        func = node.func
        is_select = qualified_name(self, func) in SELECT if isinstance(
            func, (cst.Name, cst.Attribute)
        ) else False
        if not is_select and isinstance(func, cst.Attribute) and func.attr.value == "select":
            is_select = self._is_db(func.value)
        return self._model(node.args[0].value) if is_select else None

    # names

    def _is_flask_session(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, (cst.Name, cst.Attribute)) and (
            qualified_name(self, node) in FLASK_SESSION
        )

    def _module_container(self, node: cst.BaseExpression) -> str | None:
        """`CACHE` when `node` is a module-level name bound once to a dict, list or set
        (a display, or `dict()` / `list()` / `set()` / `defaultdict(...)`)."""
        if not isinstance(node, cst.Name):
            return None
        assignment = only_binding(self, node)
        if assignment is None or not isinstance(assignment.scope, GlobalScope):
            return None
        bound = self._assigned.get(id(getattr(assignment, "node", None)))
        if bound is None or bound[0] != "value":
            return None
        value = bound[1]
        if isinstance(value, (cst.Dict, cst.List, cst.Set)):
            return node.value
        if isinstance(value, cst.Call) and qualified_name(self, value.func) in (
            "builtins.dict", "builtins.list", "builtins.set", "collections.defaultdict",
            "collections.OrderedDict",
        ):  # fmt: skip
            return node.value
        return None


def _elements(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        return [e.value for e in node.elements if isinstance(e, cst.DictElement)]
    return []


def _calls_merge(target: cst.CSTNode) -> bool:
    """The thread target calls `<x>.merge(...)`: it attaches what it got to its session."""
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "merge":
                found = True

    target.visit(Finder())
    return found


def _launch_message(launch: Launch, node: cst.CSTNode, loaded: Loaded) -> str:
    what = loaded.describe(node)
    if launch.kind == "celery":
        return (
            f"{what} is sent to the Celery task `{launch.label}`: Celery's default JSON "
            "serializer cannot encode it (kombu's EncodeError), and with pickle the worker "
            "gets a copy bound to no session, with the data of the moment it was sent, "
            f"whose lazy loads raise {DETACHED}; pass its primary key and load it again "
            "in the task"
        )
    if launch.kind == "process":
        return (
            f"{what} is pickled into another process by `{launch.label}`: it arrives bound "
            f"to no session, and its lazy loads raise {DETACHED}; pass its primary key and "
            "load it again there"
        )
    if loaded.kind == "current_user":
        return (
            f"{what} is handed to `{launch.label}`: the proxy is looked up in the thread, "
            "outside this request, where Flask-Login has no user for it; pass "
            "`current_user.id` and load the user again in the thread (inside "
            "`with app.app_context():`)"
        )
    return (
        f"{what} is handed to a background thread (`{launch.label}`): the thread shares "
        "it with the session that loaded it, which is not thread-safe, and once that "
        "session is removed (when the app context ends) its lazy loads raise "
        f"{DETACHED}; pass its "
        "primary key and load it again in the thread (inside `with app.app_context():`), "
        "or `db.session.merge()` it there"
    )


def _session_message(node: cst.CSTNode, loaded: Loaded) -> str:
    return (
        f"{loaded.describe(node)} is put in Flask's `session`: the default cookie session "
        "is JSON and raises \"TypeError: Object of type ... is not JSON serializable\" "
        "when the response is saved (an app JSON provider that turns models into dicts "
        "stores a stale copy in the cookie instead), and a server-side session "
        "(Flask-Session) pickles it, so later requests read a copy bound to no session, "
        f"with stale data, whose lazy loads raise {DETACHED}; store its primary key and "
        "load it per request"
    )


def _global_message(node: cst.CSTNode, loaded: Loaded, holder: str, where: str = "") -> str:
    where = f", {where}" if where else ""
    return (
        f"{loaded.describe(node)} is kept in {holder}{where}: it outlives the session "
        "that loaded it (removed when the app context ends), so later requests share one "
        "object across threads, read stale data, and its lazy loads raise "
        f"{DETACHED}; keep its primary key and load it per request"
    )
