"""FLK712 blueprint-setup-after-registration: flask-realworld's shape, across modules."""

from __future__ import annotations

from flask_fix.model import FixLevel
from flask_fix.run.runner import Mode, Settings
from flask_fix.run.start import run as run_project

VIEWS = (
    "from flask import Blueprint\n\n"
    "blueprint = Blueprint('user', __name__)\n\n\n"
    "@blueprint.route('/api/user')\ndef get_user():\n    return 'me'\n"
)
APP = (
    "from flask import Flask\nfrom flask_cors import CORS\n\n"
    "from conduit import user\n\ncors = CORS()\n\n\n"
    "def create_app():\n    app = Flask(__name__)\n    register_blueprints(app)\n"
    "    return app\n\n\n"
    "def register_blueprints(app):\n"
    "    cors.init_app(user.views.blueprint, origins='*')\n"
    "    user.views.blueprint.after_request(lambda response: response)\n"
    "    app.register_blueprint(user.views.blueprint)\n"
)


def project(tmp_path, app: str) -> list[str]:
    files = {
        "conduit/__init__.py": "",
        "conduit/user/__init__.py": "from . import views  # noqa\n",
        "conduit/user/views.py": VIEWS,
        "conduit/app.py": app,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return [str(tmp_path / name) for name in sorted(files)]


def findings(files: list[str]):
    settings = Settings(select=("FLK712",), mode=Mode.CHECK)
    return [f for r in run_project(files, settings) for f in r.findings if f.code == "FLK712"]


def test_setting_up_an_imported_blueprint_in_the_registering_function_is_reported(tmp_path):
    found = findings(project(tmp_path, APP))
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.column, f.fix_level) for f in found] == [
        ("app.py", 16, 5, FixLevel.REPORT), ("app.py", 17, 5, FixLevel.REPORT),
    ]  # fmt: skip
    assert found[0].message == (
        "an extension's `init_app` sets up the blueprint `user.views.blueprint` each time"
        " this function runs, and it registers blueprints: from Flask 2.3 the second app"
        " (each test's create_app()) raises AssertionError (`The setup method ... can no"
        " longer be called on the blueprint`, a warning in 2.2); set the blueprint up once"
        " where it is defined, or on the app (`init_app(app)`)"
    )
    assert found[1].message.startswith("`after_request` sets up the blueprint")
    assert (tmp_path / "conduit/app.py").read_text() == APP


def test_look_alikes_stay_silent(tmp_path):
    for app in (
        # on the app, not the blueprint
        APP.replace("cors.init_app(user.views.blueprint, origins='*')", "cors.init_app(app)")
        .replace("    user.views.blueprint.after_request(lambda response: response)\n", ""),
        # a function that sets the blueprint up but registers nothing (run once at import)
        APP.replace("    app.register_blueprint(user.views.blueprint)\n", "    return None\n"),
    ):
        assert findings(project(tmp_path, app)) == [], app
