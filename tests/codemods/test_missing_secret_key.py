"""FLK403 missing-secret-key: the project-level fact (every way a key may be set), the
finding's message and place, and Flask's own error for the code it reports."""

from __future__ import annotations

from textwrap import dedent

import pytest
from flask import Flask, flash, session

from flask_fix import fix_code
from flask_fix.codemods.missing_secret_key import FLASK_ERROR
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
VIEWS = dedent("""
    from flask import flash, session
    from flask_login import login_user

    def login(user):
        login_user(user)
        session["user_id"] = user.id
        session.pop("next", None)
        flash("welcome")
""").lstrip("\n")


def run(sources: dict[str, str], path: str):
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK403",), index=index)


def test_first_write_of_each_module_with_a_count():
    result = run({"app.py": APP, "views.py": VIEWS}, "views.py")
    [finding] = result.findings
    assert (finding.code, finding.name) == ("FLK403", "missing-secret-key")
    assert (finding.line, finding.column) == (5, 5)  # login_user(user)
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message == (
        "no secret key is set anywhere in the project, so `login_user()` (it writes the "
        f'session) fails with "{FLASK_ERROR}"; set `SECRET_KEY` from the environment when '
        "creating the app (3 more session writes in this module)"
    )
    assert result.source == VIEWS


@pytest.mark.parametrize(
    "setting",
    [
        'app.secret_key = "x"',
        'app.config["SECRET_KEY"] = load()',
        "app.config.update(SECRET_KEY=load())",
        "app.config.update(settings)",
        "app.config.update(**settings)",
        'app.config.from_mapping({"SECRET_KEY": load()})',
        "app.config.setdefault(name, value)",
        "app.config[name] = value",
        'app.config.from_object("settings")',
        'app.config.from_pyfile("settings.cfg")',
        'app.config.from_envvar("SETTINGS")',
        "app.config.from_prefixed_env()",
        'app.config.from_file("config.toml", load=tomllib.load)',
        "app.session_interface = RedisSessionInterface()",
        "class Settings:\n    SECRET_KEY = load()",
        "import flask_session",
    ],
)
def test_any_way_of_setting_a_key_silences_the_rule(setting):
    sources = {"app.py": APP, "views.py": VIEWS, "settings.py": setting + "\n"}
    assert index_from_sources(sources).secret_key_may_be_set is True
    assert run(sources, "views.py").findings == []


@pytest.mark.parametrize(
    "setting",
    [
        'app.config["TESTING"] = True',
        'app.config.update(TESTING=True, SERVER_NAME="x")',
        'app.config.setdefault("TESTING", True)',
        "options = {}\noptions.update(extra)",
        "secret_key = 'a local variable of a script'",
        'print(app.config["SECRET_KEY"])',
    ],
)
def test_what_does_not_set_a_key(setting):
    sources = {"app.py": APP, "views.py": VIEWS, "settings.py": setting + "\n"}
    assert index_from_sources(sources).secret_key_may_be_set is False
    assert len(run(sources, "views.py").findings) == 1


def test_no_app_in_the_project():
    assert run({"views.py": VIEWS}, "views.py").findings == []


@pytest.mark.parametrize(
    "write",
    [
        'session["a"] = 1',
        'session["n"] = session.get("n", 0) + 1',
        'del session["a"], session["b"]',
        "session.update(a=1)",
        "session.setdefault('a', 1)",
        "session.popitem()",
        "session.clear()",
        "session.permanent = True",
        "flash('saved', 'info')",
    ],
)
def test_each_write_fails_under_flask_without_a_key(write):
    """The rule's writes are exactly those Flask refuses without a key."""
    source = "from flask import Flask, flash, session\n\napp = Flask(__name__)\n\n"
    source += f"def view():\n    {write}\n"
    assert len(run({"app.py": source}, "app.py").findings) == 1
    app = Flask(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError) as caught:
        exec(write, {"session": session, "flash": flash})
    assert str(caught.value) == FLASK_ERROR.removeprefix("RuntimeError: ")


def test_augmented_assignment_is_a_write():
    source = "from flask import Flask, session\n\napp = Flask(__name__)\n\n"
    source += "def view():\n    session['n'] += 1\n"
    [finding] = run({"app.py": source}, "app.py").findings
    assert finding.line == 6


def test_reading_works_without_a_key():
    app = Flask(__name__)
    with app.test_request_context():
        assert session.get("a") is None and "a" not in session
        session.modified = True  # an attribute, not a session write
    source = APP + "from flask import session\n\ndef view():\n"
    source += "    session.modified = True\n    return session.get('a'), dict(session)\n"
    assert run({"app.py": source}, "app.py").findings == []
