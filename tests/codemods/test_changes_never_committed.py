"""FLK505 changes-never-committed: commits followed into the project's functions across
modules, commits at the request's end, and what stays silent."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import check_paths, fix_code
from flask_fix.model import FixLevel

MODELS = dedent("""
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Note(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        text = db.Column(db.String)
""").lstrip("\n")

APP = dedent("""
    from flask import Flask

    from shop.models import db
    from shop.views import bp

    app = Flask(__name__)
    db.init_app(app)
    app.register_blueprint(bp)
""").lstrip("\n")


def run(tmp_path, monkeypatch, files: dict[str, str]):
    project = {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/app.py": APP, **files}
    for name, text in project.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"))
    monkeypatch.chdir(tmp_path)
    report = check_paths(["."], select=("FLK505",), jobs=1)
    assert report.errors == []
    return [(f.path, f.line) for f in report.findings], report.findings


def views(body: str, imports: str = "") -> str:
    return (
        "from flask import Blueprint, request\n\nfrom shop.models import Note, db\n"
        + imports
        + "\nbp = Blueprint('notes', __name__)\n\n\n@bp.post('/notes')\ndef add_note():\n"
        + body
    )


def line_of(source: str, text: str = "db.session.add(") -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


ADD = "    note = Note(text=request.form['text'])\n    db.session.add(note)\n"


def test_a_view_that_adds_and_never_commits_is_reported(tmp_path, monkeypatch):
    found, findings = run(
        tmp_path, monkeypatch,
        {"shop/views.py": views(ADD + "    db.session.add(Note(text='copy'))\n"
                                "    db.session.flush()\n    return '', 201\n")},
    )  # fmt: skip
    assert found == [("shop/views.py", 11)]
    [finding] = findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.startswith(
        "the view `add_note()` adds through `db.session` (`db.session.add(...)`, and 1 more "
        "change) and nothing commits it"
    )
    assert "rolled back" in finding.message


def test_a_commit_in_a_helper_of_another_module_counts(tmp_path, monkeypatch):
    services = """
        from shop.models import db


        def save(obj):
            db.session.add(obj)
            db.session.commit()
    """
    body = ADD + "    save(note)\n    return '', 201\n"
    found, _ = run(
        tmp_path, monkeypatch,
        {"shop/services.py": services,
         "shop/views.py": views(body, "from shop.services import save\n")},
    )  # fmt: skip
    assert found == []


def test_commits_are_followed_through_several_calls_and_module_imports(tmp_path, monkeypatch):
    files = {
        "shop/store.py": "from shop.models import db\n\n\ndef finish():\n    db.session.commit()\n",
        "shop/services.py": "from . import store\n\n\ndef record(note):\n    store.finish()\n",
        "shop/views.py": views(ADD + "    services.record(note)\n    return '', 201\n",
                               "from shop import services\n"),
    }  # fmt: skip
    assert run(tmp_path, monkeypatch, files)[0] == []
    # the same chain, but the last function only flushes: reported
    files["shop/store.py"] = files["shop/store.py"].replace("commit()", "flush()")
    expected = [("shop/views.py", line_of(files["shop/views.py"]))]
    assert run(tmp_path, monkeypatch, files)[0] == expected


def test_a_module_the_scan_cannot_parse_silences_the_project(tmp_path, monkeypatch):
    # Python 2: what `save` does is unknown, it may commit
    files = {
        "shop/legacy.py": "def save(obj):\n    print 'saving'\n",
        "shop/views.py": views(ADD + "    save(note)\n    return '', 201\n",
                               "from shop.legacy import save\n"),
    }  # fmt: skip
    project = {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/app.py": APP, **files}
    for name, text in project.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    report = check_paths(["."], select=("FLK505",), jobs=1)
    assert [e.path for e in report.errors] == ["shop/legacy.py"]
    assert report.findings == []


def test_a_helper_that_does_not_commit_leaves_the_view_reported(tmp_path, monkeypatch):
    services = "def log(note):\n    print(note)\n"
    source = views(ADD + "    log(note)\n    return '', 201\n", "from shop.services import log\n")
    found, _ = run(tmp_path, monkeypatch, {"shop/services.py": services, "shop/views.py": source})
    assert found == [("shop/views.py", line_of(source))]


@pytest.mark.parametrize(
    ("models_extra", "call"),
    [
        # a model method that commits, called on an instance
        ("    def save(self):\n        db.session.add(self)\n        db.session.commit()\n",
         "    note.save()\n"),
        # a classmethod through the class
        ("    @classmethod\n    def create(cls, **kw):\n        db.session.add(cls(**kw))\n"
         "        db.session.commit()\n", "    Note.create(text='x')\n"),
    ],
)  # fmt: skip
def test_a_project_method_that_commits_counts(tmp_path, monkeypatch, models_extra, call):
    files = {
        "shop/models.py": MODELS + "\n" + models_extra,
        "shop/views.py": views(ADD + call + "    return '', 201\n"),
    }
    assert run(tmp_path, monkeypatch, files)[0] == []


def test_a_decorator_whose_wrapper_commits_counts(tmp_path, monkeypatch):
    decorators = """
        import functools

        from shop.models import db


        def transactional(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                result = view(*args, **kwargs)
                db.session.commit()
                return result
            return wrapper
    """
    source = views(ADD + "    return '', 201\n", "from shop.decorators import transactional\n")
    source = source.replace("def add_note", "@transactional\ndef add_note")
    files = {"shop/decorators.py": decorators, "shop/views.py": source}
    assert run(tmp_path, monkeypatch, files)[0] == []


def test_a_session_begin_block_counts(tmp_path, monkeypatch):
    body = "    with db.session.begin():\n" + ADD.replace("    ", "        ") + "    return ''\n"
    assert run(tmp_path, monkeypatch, {"shop/views.py": views(body)})[0] == []


@pytest.mark.parametrize(
    "handler",
    [
        "@bp.after_app_request\ndef commit(response):\n    db.session.commit()\n    return response\n",
        "def finish(exc):\n    if exc is None:\n        db.session.commit()\n\n\n"
        "bp.teardown_app_request(finish)\n",
    ],
)
def test_a_request_end_handler_that_commits_silences_the_project(tmp_path, monkeypatch, handler):
    source = views(ADD + "    return '', 201\n") + "\n\n" + handler
    assert run(tmp_path, monkeypatch, {"shop/views.py": source})[0] == []


def test_a_request_end_handler_that_does_not_commit_changes_nothing(tmp_path, monkeypatch):
    handler = "@bp.after_app_request\ndef log(response):\n    print(response)\n    return response\n"
    source = views(ADD + "    return '', 201\n") + "\n\n" + handler
    assert run(tmp_path, monkeypatch, {"shop/views.py": source})[0] == [("shop/views.py", 11)]


@pytest.mark.parametrize(
    ("requirement", "reported"),
    [
        (None, False),  # nothing declared: the setting is trusted
        ("flask-sqlalchemy==2.5.1\n", False),
        ("flask-sqlalchemy>=3.0,<3.1\n", False),  # 3.0 still reads it (deprecated)
        ("flask-sqlalchemy>=3.1\n", True),  # removed: ignored
    ],
)
def test_commit_on_teardown_counts_while_flask_sqlalchemy_reads_it(
    tmp_path, monkeypatch, requirement, reported
):
    files = {
        "shop/config.py": "class Config:\n    SQLALCHEMY_COMMIT_ON_TEARDOWN = True\n",
        "shop/views.py": views(ADD + "    return '', 201\n"),
    }
    if requirement is not None:
        files["requirements.txt"] = requirement
    found, findings = run(tmp_path, monkeypatch, files)
    assert found == ([("shop/views.py", 11)] if reported else [])
    if reported:
        assert "`SQLALCHEMY_COMMIT_ON_TEARDOWN`, set in shop/config.py:2, is ignored" in (
            findings[0].message
        )


def test_commit_on_teardown_set_false_is_no_commit(tmp_path, monkeypatch):
    files = {
        "shop/config.py": "SETTINGS = {'SQLALCHEMY_COMMIT_ON_TEARDOWN': False}\n",
        "shop/views.py": views(ADD + "    return '', 201\n"),
    }
    assert run(tmp_path, monkeypatch, files)[0] == [("shop/views.py", 11)]


@pytest.mark.parametrize(
    "source",
    [
        # a module-level alias of the session
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        "db = SQLAlchemy(app)\nsession = db.session\n\n\n@app.route('/x', methods=['POST'])\n"
        "def x():\n    session.delete(object())\n    return ''\n",
        # `db.session()`: the scoped session's current session
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        "db = SQLAlchemy(app)\n\n\n@app.route('/x', methods=['POST'])\n"
        "def x():\n    db.session().merge(object())\n    return ''\n",
    ],
)
def test_other_spellings_of_the_session_are_reported(source):
    [finding] = fix_code(source, select=("FLK505",)).findings
    assert finding.code == "FLK505"


@pytest.mark.parametrize(
    "source",
    [
        # a plain SQLAlchemy session: its lifetime is the program's
        "from flask import Flask\nfrom sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import scoped_session, sessionmaker\n\napp = Flask(__name__)\n"
        "db_session = scoped_session(sessionmaker(bind=create_engine('sqlite://')))\n\n\n"
        "@app.route('/x', methods=['POST'])\ndef x():\n    db_session.add(object())\n"
        "    return ''\n",
        # a parameter named db
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/x', methods=['POST'])\ndef x(db=None):\n    db.session.add(object())\n"
        "    return ''\n",
        # the add in a function nested in the view: not the view's own change
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        "db = SQLAlchemy(app)\n\n\n@app.route('/x', methods=['POST'])\ndef x():\n"
        "    def later():\n        db.session.add(object())\n    return ''\n",
    ],
)
def test_look_alikes_are_silent(source):
    assert fix_code(source, select=("FLK505",)).findings == []
