"""FLK506 detached-instance: which values are instances, where they must not go, and the
look-alikes that stay silent."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel

HEADER = dedent("""
    import threading
    from celery import Celery
    from flask import Flask, session
    from flask_login import LoginManager, current_user
    from flask_sqlalchemy import SQLAlchemy
    from flask_rq import get_queue
    from sqlalchemy import select

    app = Flask(__name__)
    db = SQLAlchemy(app)
    celery = Celery(app.name)
    login = LoginManager(app)

    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)

    @celery.task
    def send(user):
        print(user)

    @app.route("/<int:user_id>")
    def view(user_id):
""").lstrip("\n")


def findings(body: str, header: str = HEADER):
    source = header + "    " + dedent(body).replace("\n", "\n    ").rstrip() + "\n    return 'ok'\n"
    result = fix_code(source, select=("FLK506",))
    assert result.source == source  # report only
    return result.findings


@pytest.mark.parametrize(
    "value",
    [
        "User.query.get(user_id)",
        "User.query.get_or_404(user_id)",
        "User.query.filter_by(id=user_id).first()",
        "User.query.filter(User.id == user_id).order_by(User.id).one()",
        "User.query.filter_by(id=user_id).first_or_404()",
        "db.session.get(User, user_id)",
        "db.get_or_404(User, user_id)",
        "db.session.query(User).filter_by(id=user_id).one_or_none()",
        "db.session.scalar(select(User).where(User.id == user_id))",
        "db.first_or_404(db.select(User).filter_by(id=user_id))",
        "db.session.execute(select(User)).scalar_one()",
        "db.session.scalars(select(User)).first()",
    ],
)
def test_every_way_of_loading_an_instance(value):
    [finding] = findings(f"user = {value}\nsend.delay(user)")
    assert finding.code == "FLK506"
    assert finding.fix_level is FixLevel.REPORT
    assert "`user` (a `User` instance) is sent to the Celery task `send.delay(...)`" in (
        finding.message
    )
    assert "DetachedInstanceError" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        "send.delay(user)",
        "send.delay(user=user)",
        "send.apply_async(args=[user])",
        "send.apply_async(kwargs={'user': user})",
        "send.s(user)",
        "threading.Thread(target=print, args=(user,)).start()",
        "threading.Timer(5.0, print, args=[user]).start()",
        "get_queue().enqueue(print, user)",
        "get_queue().enqueue(print, recipient=user)",
        "session['user'] = user",
        "session.setdefault('user', user)",
    ],
)
def test_every_place_an_instance_must_not_go(statement):
    [finding] = findings(f"user = User.query.get(user_id)\n{statement}")
    assert finding.message.startswith("`user` (a `User` instance) is ")


@pytest.mark.parametrize(
    "statement",
    [
        "send.delay(user.id)",  # the id
        "send.apply_async(args=[user.id])",
        "send.delay({'id': user.id})",  # a dict built from it
        "send.delay(str(user))",
        "threading.Thread(target=print, args=(user.id,)).start()",
        "session['user_id'] = user.id",
        "get_queue().enqueue(print, user.id, job_timeout=user)",  # an RQ option
        "print(user)",  # not a sink
        "g = {}\ng['user'] = user",  # a local dict
    ],
)
def test_values_built_from_the_instance_are_silent(statement):
    assert findings(f"user = User.query.get(user_id)\n{statement}") == []


@pytest.mark.parametrize(
    "body",
    [
        # a local named session
        "session = {}\nsession['user'] = User.query.get(user_id)",
        # a name bound to something else on some path
        "user = User.query.get(user_id)\nif not user:\n    user = None\nsend.delay(user)",
        # a count, a column, a query not run
        "send.delay(User.query.count())\nsend.delay(User.query.filter_by(id=1))",
        "send.delay(db.session.query(User.id).first())",
        # a created object is not loaded from a session
        "send.delay(User(id=1))",
        # a query whose entity changed
        "send.delay(User.query.with_entities(User.id).first())",
        # per request: g, not a class or a global
        "from flask import g\ng.user = User.query.get(user_id)",
    ],
)
def test_look_alikes_are_silent(body):
    assert findings(body) == []


def test_a_created_instance_counts_once_added_to_the_session():
    added = "user = User(id=user_id)\ndb.session.add(user)\ndb.session.commit()\nsend.delay(user)"
    [finding] = findings(added)
    assert finding.message.startswith("`user` (a `User` instance) is sent to the Celery task")
    assert len(findings(added.replace("db.session.add(user)", "db.session.add_all([user])"))) == 1
    # not added: a plain object (the look-alikes test has `send.delay(User(id=1))`)
    assert findings(added.replace("db.session.add(user)", "print(user)")) == []


def test_an_executor_mapping_over_instances():
    header = HEADER.replace(
        "import threading\n", "import threading\nfrom concurrent.futures import ThreadPoolExecutor\n"
    )
    body = "with ThreadPoolExecutor() as pool:\n    pool.map(print, User.query.all())"
    [finding] = findings(body, header)
    assert finding.message.startswith("`User.query.all()` (a list of `User` instances) is handed")


def test_loop_over_all_and_a_list():
    found = findings("users = User.query.all()\nsend.delay(users)\nfor u in users:\n    send.delay(u)")
    assert [f.message.split(" is ")[0] for f in found] == [
        "`users` (a list of `User` instances)",
        "`u` (a `User` instance)",
    ]


def test_a_thread_target_that_merges_is_silent():
    header = HEADER.replace(
        "@celery.task", "def work(user):\n    user = db.session.merge(user)\n\n@celery.task"
    )
    body = "user = User.query.get(user_id)\nthreading.Thread(target=work, args=(user,)).start()"
    assert findings(body, header) == []
    assert len(findings(body.replace("target=work", "target=print"), header)) == 1


def test_a_model_of_another_module_and_a_task_of_another_module():
    sources = {
        "shop/__init__.py": "",
        "shop/models.py": dedent("""
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            class Order(db.Model):
                id = db.Column(db.Integer, primary_key=True)
        """),
        "shop/tasks.py": dedent("""
            from celery import Celery

            celery = Celery(__name__)

            @celery.task
            def ship(order):
                print(order)
        """),
        "shop/views.py": dedent("""
            from flask import Blueprint
            from .models import Order
            from .tasks import ship

            bp = Blueprint("shop", __name__)

            @bp.route("/<int:order_id>")
            def view(order_id):
                ship.delay(Order.query.get_or_404(order_id))
                ship.delay(order_id)
                return "ok"
        """),
    }
    index = index_from_sources(sources)
    result = fix_code(sources["shop/views.py"], select=("FLK506",), index=index,
                      path="shop/views.py")  # fmt: skip
    assert [(f.line, f.message.split(" is ")[0]) for f in result.findings] == [
        (10, "`Order.query.get_or_404(order_id)` (a `Order` instance)")
    ]


LOADER = dedent("""
    from flask_login import LoginManager
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()
    login = LoginManager()

    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)

    @login.user_loader
    def load_user(user_id):
        return {loads}
""")
VIEW = dedent("""
    import threading
    from flask import Blueprint, session
    from flask_login import current_user

    bp = Blueprint("b", __name__)

    @bp.route("/")
    def view():
        threading.Thread(target=print, args=(current_user._get_current_object(),)).start()
        session["user"] = current_user
        session["id"] = current_user.id
        return "ok"
""")


@pytest.mark.parametrize(
    ("loads", "expected"),
    [
        ("User.query.get(int(user_id))", [10, 11]),
        ("db.session.get(User, int(user_id))", [10, 11]),
        # a loader that returns something else: current_user is not a model instance
        ("{'id': user_id}", []),
    ],
)
def test_current_user_counts_when_the_user_loader_returns_a_model(loads, expected):
    sources = {"models.py": LOADER.format(loads=loads), "views.py": VIEW}
    index = index_from_sources(sources)
    assert index.contexts.login_user_model == bool(expected)
    result = fix_code(VIEW, select=("FLK506",), index=index, path="views.py")
    assert [f.line for f in result.findings] == expected
    for finding in result.findings:
        assert "Flask-Login's proxy to the request's user" in finding.message


GLOBALS = dedent("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)
    CACHE = {}
    SEEN = []

    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)

    with app.app_context():
        ADMIN = User.query.first()
        NOBODY_READS = User.query.first()
        ADMIN_ID = User.query.first().id

    class Current:
        user = None

    @app.route("/<int:user_id>")
    def view(user_id):
        Current.user = User.query.get(user_id)
        CACHE[user_id] = User.query.get(user_id)
        SEEN.append(db.session.get(User, user_id))
        local = {}
        local[user_id] = User.query.get(user_id)
        return str(ADMIN.id + ADMIN_ID + len(local))
""").lstrip("\n")


def test_globals_and_module_level_containers():
    result = fix_code(GLOBALS, select=("FLK506",))
    assert [(f.line, f.message.split(" is kept in ")[1].split(":")[0]) for f in result.findings] == [
        (13, "the global `ADMIN`, read by `view()`"),
        (22, "the class attribute `Current.user`"),
        (23, "`CACHE`"),
        (24, "`SEEN`"),
    ]


def test_globals_in_a_module_without_views_are_silent():
    script = GLOBALS.replace('@app.route("/<int:user_id>")\n', "")
    assert fix_code(script, select=("FLK506",)).findings == []


def test_a_task_of_a_project_subclass_of_celery_is_silent():
    """Such a class may send instances its own way (indico's sends their primary keys)."""
    header = HEADER.replace(
        "celery = Celery(app.name)",
        "class OwnCelery(Celery):\n    pass\n\ncelery = OwnCelery(app.name)",
    )
    body = "user = User.query.get(user_id)\nsend.delay(user)"
    assert findings(body, header) == []
    assert len(findings(body)) == 1


def test_a_model_reexported_by_a_star_import():
    # flask-base: app/models/__init__.py does `from .user import *`
    sources = {
        "app/__init__.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "app/models/__init__.py": "from .user import *  # noqa\n",
        "app/models/user.py": dedent("""
            from .. import db

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
        """),
        "app/views.py": dedent("""
            from flask import Blueprint
            from flask_rq import get_queue
            from app.models import User

            bp = Blueprint("main", __name__)

            @bp.route("/<int:user_id>")
            def view(user_id):
                user = User.query.get(user_id)
                get_queue().enqueue(print, user=user)
                get_queue().enqueue(print, user_id=user.id)
                return "ok"
        """),
    }
    index = index_from_sources(sources)
    result = fix_code(sources["app/views.py"], select=("FLK506",), index=index,
                      path="app/views.py")  # fmt: skip
    assert [(f.line, f.column, f.code) for f in result.findings] == [(11, 37, "FLK506")]
    # the same module without the star import: `User` is no model of the project
    sources["app/models/__init__.py"] = ""
    index = index_from_sources(sources)
    result = fix_code(sources["app/views.py"], select=("FLK506",), index=index,
                      path="app/views.py")  # fmt: skip
    assert result.findings == []
