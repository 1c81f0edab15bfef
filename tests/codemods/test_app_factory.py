"""FLK201 app-factory and FLK203 circular-app-import beyond their examples: messages, fix
levels and positions, entry-point forms, endpoint renames (relative endpoints, computed
ones, login_view, blueprint template folders), refusals, and the converted code run with
real Flask."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flask_fix.codemods.app_factory import AppFactory
from flask_fix.codemods.circular_app_import import CircularAppImport
from flask_fix.rewrite.factory.project_examples import _SINGLE_MODULE, _SINGLE_MODULE_AFTER
from flask_fix.model import ErrorKind, FixLevel
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run
from flask_fix.run.transforms import transform_sources


def convert(sources: dict[str, str], apply: bool = True):
    return transform_sources(AppFactory, {p: textwrap.dedent(t) for p, t in sources.items()}, apply=apply)


def test_summary_finding_position_level_and_message():
    after, findings = convert(_SINGLE_MODULE)
    summary = findings[0]
    assert (summary.code, summary.path, summary.line, summary.column) == ("FLK201", "app.py", 4, 1)
    assert (summary.fix_level, summary.has_fix) == (FixLevel.UNSAFE, True)
    assert summary.message == (
        "module-level app `app`: the app is built in `create_app(config=None)`; 2 routes and "
        "1 handler move to blueprint 'main' (endpoints become 'main.*'); 1 entry point calls "
        "`create_app()`"
    )
    by_path = {f.path: f for f in findings[1:]}
    assert by_path["test_app.py"].message.startswith("imports the module-level app; it now calls")
    assert by_path["templates/base.html"].line == 1
    assert "'index' → 'main.index'" in by_path["templates/base.html"].message


def test_report_mode_gives_one_finding_per_app_and_changes_nothing():
    after, findings = convert(_SINGLE_MODULE, apply=False)
    assert after == _SINGLE_MODULE
    assert [(f.code, f.path, f.has_fix) for f in findings] == [("FLK201", "app.py", True)]


def test_refusal_is_a_report_at_the_app_naming_the_place():
    _, findings = convert(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "views.py": "from app import *\n",
        }
    )
    [finding] = findings
    assert (finding.fix_level, finding.has_fix, finding.line) == (FixLevel.REPORT, False, 3)
    assert "cannot convert this project soundly: `from app import *`" in finding.message
    assert finding.message.endswith("(views.py:1); nothing was changed")


def test_module_import_entry_points_and_imports_in_main_blocks():
    after, _ = convert(
        {
            "app.py": """\
                from flask import Flask

                app = Flask(__name__)
            """,
            "tests/conftest.py": """\
                import app as shop


                def make():
                    return shop.app.test_client()
            """,
            "replay.py": """\
                def replay(app):
                    return app.name


                if __name__ == "__main__":
                    from app import app as shop_app
                    print(replay(shop_app))
            """,
        }
    )
    assert after["tests/conftest.py"] == textwrap.dedent(
        """\
        import app as shop

        app = shop.create_app()


        def make():
            return app.test_client()
        """
    ).replace("app = shop", "flask_app = shop").replace("return app.", "return flask_app.")
    assert after["replay.py"].endswith(
        "    from app import create_app\n    shop_app = create_app()\n    print(replay(shop_app))\n"
    )


def test_main_block_using_the_app_twice_creates_it_once():
    after, _ = convert(
        {
            "app.py": """\
                from flask import Flask

                app = Flask(__name__)

                if __name__ == "__main__":
                    app.debug = True
                    app.run()
            """
        }
    )
    assert after["app.py"].endswith(
        'if __name__ == "__main__":\n    app = create_app()\n    app.debug = True\n    app.run()\n'
    )


def test_endpoint_renames_relative_computed_login_view_and_blueprint_templates():
    after, findings = convert(
        {
            "app.py": """\
                from flask import Flask, request, url_for
                from flask_login import LoginManager

                app = Flask(__name__)
                login_manager = LoginManager()
                login_manager.init_app(app)
                login_manager.login_view = "login"

                from views import bp  # noqa: E402

                app.register_blueprint(bp, url_prefix="/v")


                @app.route("/")
                def index():
                    if request.endpoint in ("index", "other"):
                        return url_for(".login")
                    return url_for(request.args["next"])


                @app.route("/login")
                def login():
                    return url_for("views.page") + url_for(request.endpoint, page=2)
            """,
            "views.py": """\
                from flask import Blueprint, url_for

                bp = Blueprint("views", __name__, template_folder="pages")


                @bp.route("/page")
                def page():
                    return url_for("index") + url_for(".page")
            """,
            "pages/page.html": "{{ url_for('login') }} {{ url_for('.page') }}\n",
            "templates/menu.html": "{% for item in menu %}{{ url_for(item) }}{% endfor %}\n",
        }
    )
    app = after["app.py"]
    assert 'login_manager.login_view = "main.login"' in app
    assert 'request.endpoint in ("main.index", "other")' in app
    assert 'return url_for(".login")' in app  # same blueprint after the move
    assert 'url_for("views.page") + url_for(request.endpoint, page=2)' in app
    assert after["views.py"].endswith('return url_for("main.index") + url_for(".page")\n')
    assert after["pages/page.html"] == "{{ url_for('main.login') }} {{ url_for('.page') }}\n"
    computed = [f for f in findings if not f.has_fix]
    assert [(f.path, f.line, f.column) for f in computed] == [
        ("app.py", 18, 12),
        ("templates/menu.html", 1, 26),
    ]
    assert all("computed endpoint" in f.message for f in computed)
    assert "'index' is now 'main.index'" in computed[0].message
    quoted = (
        "an old name fails with \"BuildError: Could not build url for endpoint 'index'. "
        "Did you mean 'main.index' instead?\""
    )
    assert all(f.message.endswith(quoted) for f in computed), computed[0].message
    assert after["templates/menu.html"] == "{% for item in menu %}{{ url_for(item) }}{% endfor %}\n"


def test_relative_endpoint_in_a_moved_view_of_another_module_becomes_absolute():
    after, _ = convert(
        {
            "pkg/__init__.py": """\
                from flask import Flask

                app = Flask(__name__)

                from pkg import views  # noqa: E402
            """,
            "pkg/views.py": """\
                from flask import url_for

                from pkg import app


                @app.route("/")
                def home():
                    return url_for(".static", filename="a.css") + url_for(".home")
            """,
        }
    )
    assert 'return url_for("static", filename="a.css") + url_for(".home")' in after["pkg/views.py"]


def test_config_parameter_avoids_a_module_named_config_and_app_only_handlers():
    after, _ = convert(
        {
            "app.py": """\
                import config
                from flask import Flask

                app = Flask(__name__)
                app.config.from_object(config)


                @app.shell_context_processor
                def shell():
                    return {}


                @app.cli.command("seed")
                def seed():
                    print(app.name)
            """,
            "config.py": "DEBUG = False\n",
        }
    )
    app = after["app.py"]
    assert "def create_app(test_config=None):" in app
    assert "app.config.from_mapping(test_config)" in app
    assert 'bp = Blueprint("main", __name__, cli_group=None)' in app
    assert "    app.shell_context_processor(shell)\n" in app
    assert "@bp.cli.command(\"seed\")\ndef seed():\n    print(current_app.name)" in app


@pytest.mark.parametrize(
    ("sources", "reason"),
    [
        (
            {
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "setup.py": "from app import app\nfrom auth import bp\napp.register_blueprint(bp)\n",
                "auth.py": "from flask import Blueprint\nbp = Blueprint('auth', __name__)\n",
            },
            "sets the app up at import time (`app.register_blueprint(...)`, FLK204)",
        ),
        (
            {"app.py": "from flask import Flask\napp = Flask(__name__, template_folder=PAGES)\n"},
            "`template_folder=` is not a literal",
        ),
        (
            {
                "app.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                "@app.before_first_request\ndef warm():\n    pass\n"
            },
            "`@app.before_first_request` was removed in Flask 2.3",
        ),
        (
            {
                "app.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                "def setting():\n    return app.config['X']\n\nX = setting()\n"
            },
            "`setting()` runs at import time and uses the app",
        ),
        (
            {"app.py": "from flask import Flask\napp = Flask(__name__)\ndef create_app():\n    pass\n"},
            "`create_app` is already used in this module",
        ),
        (
            {
                "pkg/__init__.py": "from pkg.main import app\n",
                "pkg/main.py": "from flask import Flask\napp = Flask(__name__)\n",
                "run.py": "from pkg import app\napp.run()\n",
            },
            "a re-export",
        ),
    ],
)
def test_refusals(sources, reason):
    after, findings = convert(sources)
    assert after == {p: textwrap.dedent(t) for p, t in sources.items()}
    assert len(findings) == 1 and reason in findings[0].message, findings[0].message


def test_flk203_reports_each_importer_with_how_it_uses_the_app():
    _, findings = transform_sources(
        CircularAppImport,
        {
            "shop/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
            "shop/views.py": "from shop import app\n\n@app.route('/')\ndef index():\n"
            "    app.logger.info('x')\n    return 'x'\n",
            "wsgi.py": "from shop import app as application\n",
        },
    )
    assert [(f.path, f.line, f.column, f.fix_level) for f in findings] == [
        ("shop/views.py", 1, 1, FixLevel.REPORT),
        ("wsgi.py", 1, 1, FixLevel.REPORT),
    ]
    assert findings[0].message.startswith(
        "imports the app object `shop.app` (1 decorator(s) register routes or handlers on it; "
        "1 use(s) inside functions)"
    )


def test_the_converted_module_runs_with_flask(tmp_path: Path):
    """The single-module example, converted, imported and driven with real Flask."""
    after, _ = convert(_SINGLE_MODULE)
    assert after == _SINGLE_MODULE_AFTER
    for path, text in after.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "config.py").write_text("SQLALCHEMY_DATABASE_URI = 'sqlite://'\nGREETING = 'hi'\n")
    script = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, '.')
        import app as module
        first = module.create_app({'TESTING': True})
        class Settings:
            GREETING = 'hello'
        second = module.create_app(Settings)
        assert first is not second and first.testing and not second.testing
        assert first.config['GREETING'] == 'hi' and second.config['GREETING'] == 'hello'
        client = first.test_client()
        assert client.get('/').data == b'home'
        old = client.get('/old')
        assert (old.status_code, old.headers['Location']) == (302, '/')
        assert client.get('/nope').data == b'not here'
        assert sorted(r.endpoint for r in first.url_map.iter_rules()) == ['main.index', 'main.old', 'static']
        assert module.close_connections in first.teardown_appcontext_funcs
        print('ok')
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_the_runner_applies_it_with_unsafe_fixes_only(tmp_path: Path):
    for path, text in _SINGLE_MODULE.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    files = [str(tmp_path / "app.py"), str(tmp_path / "test_app.py")]
    list(run(files, Settings(jobs=1, select=("FLK2",))))
    assert (tmp_path / "app.py").read_text() != _SINGLE_MODULE_AFTER["app.py"]
    results = list(run(files, Settings(jobs=1, select=("FLK201",), unsafe_fixes=True)))
    assert (tmp_path / "app.py").read_text() == _SINGLE_MODULE_AFTER["app.py"]
    assert (tmp_path / "test_app.py").read_text() == _SINGLE_MODULE_AFTER["test_app.py"]
    template = tmp_path / "templates" / "base.html"
    assert template.read_text() == _SINGLE_MODULE_AFTER["templates/base.html"]
    assert any(r.path == str(template) and r.written for r in results)
    again = list(run(files, Settings(jobs=1, select=("FLK2",), unsafe_fixes=True, mode=Mode.DIFF)))
    assert all(not r.diff for r in again)


def test_a_function_running_the_app_creates_its_own():
    after, findings = convert(
        {
            "proxy.py": """\
                import sys
                from flask import Flask

                app = Flask(__name__)


                @app.route("/<path:path>")
                def forward(path):
                    return app.config["TARGET"] + path


                def main():
                    \"\"\"Run the proxy.\"\"\"
                    app.config["TARGET"] = sys.argv[1]
                    app.run(port=8000)


                if __name__ == "__main__":
                    main()
            """
        }
    )
    proxy = after["proxy.py"]
    assert 'return current_app.config["TARGET"] + path' in proxy
    assert '"""Run the proxy."""\n    app = create_app()\n    app.config["TARGET"] = sys.argv[1]' in proxy
    assert proxy.endswith('if __name__ == "__main__":\n    main()\n')
    assert findings[0].message.endswith("1 entry point calls `create_app()`")


def test_setup_functions_called_at_import_time_take_the_app():
    after, _ = convert(
        {
            "app.py": """\
                import logging
                from flask import Flask

                app = Flask(__name__)
                app.config["LEVEL"] = logging.INFO


                def configure_logging():
                    \"\"\"Log at the configured level.\"\"\"
                    app.logger.setLevel(app.config["LEVEL"])


                configure_logging()
            """
        }
    )
    assert after["app.py"] == textwrap.dedent(
        """\
        import logging
        from flask import Flask


        def configure_logging(app):
            \"\"\"Log at the configured level.\"\"\"
            app.logger.setLevel(app.config["LEVEL"])


        def create_app(config=None):
            app = Flask(__name__)
            app.config["LEVEL"] = logging.INFO
            if config is not None:
                if isinstance(config, dict):
                    app.config.from_mapping(config)
                else:
                    app.config.from_object(config)
            configure_logging(app)
            return app
        """
    )


def test_a_setup_function_of_another_module_takes_the_app_and_unused_imports_go():
    after, findings = convert(
        {
            "tasks/__init__.py": """\
                from flask import Flask

                app = Flask(__name__)

                import tasks.views  # noqa: E402
                import tasks.signals  # noqa: E402
                from tasks.plugins import load_plugins  # noqa: E402

                load_plugins()
            """,
            "tasks/views.py": """\
                from tasks import app


                @app.route("/")
                def index():
                    return "tasks"
            """,
            "tasks/signals.py": "from tasks import app\n\nLISTENERS = []\n",
            "tasks/plugins.py": """\
                import jinja2

                from tasks import app


                def load_plugins():
                    app.jinja_loader = jinja2.ChoiceLoader([app.jinja_loader])
            """,
        }
    )
    init = after["tasks/__init__.py"]
    assert "\nload_plugins()" not in init
    assert init.endswith(
        "    app.register_blueprint(tasks.views.bp)\n    load_plugins(app)\n    return app\n"
    )
    assert after["tasks/plugins.py"].endswith(
        "def load_plugins(app):\n    app.jinja_loader = jinja2.ChoiceLoader([app.jinja_loader])\n"
    )
    assert "from tasks import app" not in after["tasks/plugins.py"]
    assert after["tasks/signals.py"] == "LISTENERS = []\n"
    notes = {f.path: f.message for f in findings}
    assert notes["tasks/signals.py"].endswith("the import is removed")


def test_a_module_the_app_imports_must_not_use_the_app_at_import_time():
    _, findings = convert(
        {
            "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n"
            "from shop import hooks  # noqa: E402\n",
            "shop/hooks.py": "from shop import app\n\napp.config['HOOKS'] = True\n",
        }
    )
    [finding] = findings
    assert "the app's module imports this module, which uses the app at import time" in finding.message


def test_a_fixture_importing_the_app_builds_its_own():
    after, findings = convert(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "tests/conftest.py": """\
                import pytest


                @pytest.fixture
                def client():
                    from app import app
                    app.config["TESTING"] = True
                    return app.test_client()
            """,
        }
    )
    assert "    from app import create_app\n    app = create_app()\n    app.config" in after["tests/conftest.py"]
    assert findings[0].message.endswith("1 entry point calls `create_app()`")
    # outside tests such an import is refused: a view would build an app per request
    _, refused = convert(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "helpers.py": "def name():\n    from app import app\n    return app.name\n",
        }
    )
    assert "imports the app inside a function" in refused[0].message


def test_a_star_import_of_a_views_module_that_gets_a_blueprint_is_refused():
    # `from views import *` would bring views' new `bp` into the app's module, over its
    # own `bp`: the factory would register the views blueprint twice and main never
    project = {
        "app.py": """\
            from flask import Flask

            app = Flask(__name__)


            @app.route("/")
            def index():
                return "home"


            from views import *  # noqa: E402, F403
        """,
        "views.py": """\
            from app import app


            @app.route("/about")
            def about():
                return "about"
        """,
    }
    after, findings = convert(project)
    assert after == {p: textwrap.dedent(t) for p, t in project.items()}
    [finding] = findings
    assert (finding.path, finding.line, finding.has_fix) == ("app.py", 3, False)
    assert finding.message.endswith(
        "cannot convert this project soundly: `from views import *` would also import the "
        "blueprint `bp` the rewrite creates there; import the names it uses explicitly first "
        "(line 11); nothing was changed"
    )


def test_without_unsafe_fixes_the_report_comes_from_the_index_alone():
    # the views module's star import makes the full plan refuse; a run that cannot
    # convert anyway (no --unsafe-fixes) does not plan: it reads the app's module only
    # (for suppression comments), not the modules importing it
    from flask_fix.rewrite.base import ProjectContext
    from flask_fix.index.project import index_from_sources

    sources = {
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "views.py": "from app import *\n\n\n@app.route('/')\ndef index():\n    return 'x'\n",
    }
    index = index_from_sources(sources)
    read: list[str] = []

    def reader(path: str) -> bytes:
        read.append(path)
        return sources[path].encode()

    context = ProjectContext(index, reader, lambda folder: [], False, fix_enabled=False)
    [finding] = AppFactory().transform(context).findings
    assert read == ["app.py"]
    assert (finding.path, finding.line, finding.column) == ("app.py", 3, 1)
    assert (finding.fix_level, finding.has_fix) == (FixLevel.UNSAFE, True)
    assert finding.message == (
        "module-level app `app` should be built by an application factory, `create_app()`; "
        "with --unsafe-fixes flask-fix converts the project, or reports why it cannot"
    )
    # --check --unsafe-fixes plans, and says why it would refuse
    _, [finding] = convert(sources, apply=False)
    assert (finding.fix_level, finding.has_fix) == (FixLevel.REPORT, False)
    assert "`from app import *` imports the app's module by star" in finding.message


def test_without_unsafe_fixes_several_apps_in_a_module_are_one_refusal():
    sources = {
        "app.py": "from flask import Flask\n\napi = Flask(__name__)\nweb = Flask(__name__)\n",
    }
    after, findings = transform_sources(AppFactory, sources, apply=False, fix_enabled=False)
    assert after == sources
    assert [(f.line, f.fix_level, f.has_fix) for f in findings] == [(3, FixLevel.REPORT, False)]
    assert findings[0].message == (
        "module-level app `api` should be built by an application factory, but flask-fix "
        "cannot convert this project soundly: several apps in one module: `api` (line 3), "
        "`web` (line 4); nothing was changed"
    )


RELATIVE = {
    "app.py": """\
        from flask import Flask, render_template, url_for

        app = Flask(__name__)


        @app.route("/")
        def index():
            return render_template("page.html")


        @app.errorhandler(404)
        def missing(error):
            return url_for(".index") + " " + url_for(".static", filename="a.css"), 404


        @app.context_processor
        def links():
            return {"home": url_for(".index")}
    """,
    "templates/page.html": (
        "{{ url_for('.static', filename='a.css') }} {{ url_for(\".index\") }} {{ home }}\n"
    ),
}

RELATIVE_SCRIPT = """
import sys
sys.path.insert(0, '.')
import app as module
app = module.create_app() if hasattr(module, 'create_app') else module.app
client = app.test_client()
page, missing = client.get('/'), client.get('/nope')
print(page.status_code, page.data.decode().strip(), '|', missing.status_code, missing.data.decode())
"""


def _serve(tmp_path: Path, project: dict[str, str]) -> str:
    for path, text in project.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(textwrap.dedent(text))
    done = subprocess.run(
        [sys.executable, "-c", RELATIVE_SCRIPT], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_relative_endpoints_outside_the_moved_views_become_absolute(tmp_path: Path):
    # `.x` resolves against the request's blueprint: after the move that is 'main' for
    # the moved views but none on a 404 page, so in handlers and in the app's templates
    # (rendered for any request) it gets the full name, which is right for both
    after, findings = convert(RELATIVE)
    assert 'return url_for("main.index") + " " + url_for("static", filename="a.css"), 404' in after["app.py"]
    assert 'return {"home": url_for("main.index")}' in after["app.py"]
    assert after["templates/page.html"] == (
        "{{ url_for('static', filename='a.css') }} {{ url_for(\"main.index\") }} {{ home }}\n"
    )
    assert all(f.has_fix for f in findings)
    expected = "200 /static/a.css / / | 404 / /static/a.css"
    assert _serve(tmp_path / "before", RELATIVE) == expected
    assert _serve(tmp_path / "after", after) == expected


def test_a_relative_endpoint_another_blueprint_also_has_is_reported_not_renamed():
    project = {
        **RELATIVE,
        "app.py": RELATIVE["app.py"] + textwrap.indent(
            textwrap.dedent(
                """\

                from admin import admin  # noqa: E402

                app.register_blueprint(admin, url_prefix="/admin")
                """
            ),
            "        ",
        ),
        "admin.py": """\
            from flask import Blueprint, render_template

            admin = Blueprint("admin", __name__)


            @admin.route("/")
            def index():
                return render_template("page.html")
        """,
    }
    after, findings = convert(project)
    # the admin pages render page.html too: there `.index` meant 'admin.index'
    assert after["templates/page.html"] == (
        "{{ url_for('static', filename='a.css') }} {{ url_for(\".index\") }} {{ home }}\n"
    )
    assert 'return {"home": url_for(".index")}' in after["app.py"]
    reports = [f for f in findings if not f.has_fix]
    assert [(f.path, f.line, f.column) for f in reports] == [
        ("app.py", 13, 12),
        ("app.py", 18, 21),
        ("templates/page.html", 1, 47),
    ]
    assert reports[-1].message == (
        "`url_for('.index')` resolves against the blueprint of the request: 'main.index' for "
        "the views moved into blueprints and on pages no view serves (404), but a blueprint "
        "of the project has its own 'index'; write the endpoint in full"
    )


MAIN_SETUP = {
    "app.py": """\
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy(app)


        class Note(db.Model):
            id = db.Column(db.Integer, primary_key=True)


        @app.route("/")
        def index():
            return str(db.session.query(Note).count())


        def create_tables():
            with app.app_context():
                db.create_all()
                db.session.add(Note())
                db.session.commit()


        if __name__ == "__main__":
            create_tables()
            app.run(debug=True)
    """,
}


def test_a_setup_function_called_in_the_main_block_takes_the_app():
    after, findings = convert(MAIN_SETUP)
    assert after["app.py"].endswith(
        textwrap.dedent(
            """\
            def create_tables(app):
                with app.app_context():
                    db.create_all()
                    db.session.add(Note())
                    db.session.commit()


            def create_app(config=None):
                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                if config is not None:
                    if isinstance(config, dict):
                        app.config.from_mapping(config)
                    else:
                        app.config.from_object(config)
                db.init_app(app)
                app.register_blueprint(bp)
                return app


            if __name__ == "__main__":
                app = create_app()
                create_tables(app)
                app.run(debug=True)
            """
        )
    )
    assert findings[0].has_fix
    again, _ = convert(after)
    assert again == after


def test_the_converted_main_block_runs_its_setup_on_the_app_it_serves(tmp_path: Path):
    after, _ = convert(MAIN_SETUP)
    (tmp_path / "app.py").write_text(after["app.py"])
    script = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, '.')
        import app as module
        app = module.create_app()
        module.create_tables(app)
        assert app.test_client().get('/').data == b'1'
        print('ok')
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_setup_function_also_called_by_a_view_is_still_refused():
    project = {
        "app.py": MAIN_SETUP["app.py"].replace(
            "            return str(db.session.query(Note).count())",
            "            create_tables()\n            return str(db.session.query(Note).count())",
        )
    }
    after, [finding] = convert(project)
    assert after == {p: textwrap.dedent(t) for p, t in project.items()}
    assert "calls `app.app_context()`, which needs the app object itself" in finding.message


def test_configuration_chosen_in_a_conditional_comes_before_the_config_argument():
    after, _ = convert(
        {
            "app.py": """\
                from flask import Flask

                app = Flask(__name__)

                if app.config["DEBUG"]:
                    app.config.from_object("config.Dev")
                elif app.testing:
                    app.config["X"] = 1
                else:
                    app.config.from_object("config.Prod")
            """
        }
    )
    assert after["app.py"].endswith(
        textwrap.dedent(
            """\
            def create_app(config=None):
                app = Flask(__name__)
                if app.config["DEBUG"]:
                    app.config.from_object("config.Dev")
                elif app.testing:
                    app.config["X"] = 1
                else:
                    app.config.from_object("config.Prod")
                if config is not None:
                    if isinstance(config, dict):
                        app.config.from_mapping(config)
                    else:
                        app.config.from_object(config)
                return app
            """
        )
    )


def test_apps_in_test_code_are_left_alone_wherever_the_project_is(tmp_path: Path):
    """Test folders count from the project root, not from the current folder: a project
    named by an absolute path elsewhere still has its test apps recognised, and a project
    kept inside a folder named `test` is not all tests."""
    project = tmp_path / "test" / "shop"
    files = {
        "pyproject.toml": "[project]\nname = 'shop'\n",
        "shop.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "tests/test_apps/hello.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "test/helpers/conf.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "conftest.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    for path, text in files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    named = [str(project / path) for path in files if path.endswith(".py")]
    results = list(run(named, Settings(jobs=1, select=("FLK201",), mode=Mode.CHECK)))
    found = sorted(
        (Path(f.path).relative_to(project).as_posix(), f.line) for r in results for f in r.findings
    )
    assert found == [("shop.py", 3)]


def test_the_module_header_and_docstring_stay_at_the_top():
    """Only the comment right above `app = Flask(...)` moves with it into the factory;
    the module's header comments and docstring stay where they are."""
    after, _ = convert(
        {
            "app.py": """\
                #!/usr/bin/env python
                # Copyright 2020 The Shop
                \"\"\"The shop.\"\"\"
                # imports
                from flask import Flask
                # the app
                app = Flask(__name__)
            """,
        }
    )
    assert after["app.py"] == textwrap.dedent(
        """\
        #!/usr/bin/env python
        # Copyright 2020 The Shop
        \"\"\"The shop.\"\"\"
        # imports
        from flask import Flask


        def create_app(config=None):
            # the app
            app = Flask(__name__)
            if config is not None:
                if isinstance(config, dict):
                    app.config.from_mapping(config)
                else:
                    app.config.from_object(config)
            return app
        """
    )
    again, findings = convert({"app.py": after["app.py"]})
    assert again == after and findings == []


_APP_WITH_A_ROUTE = "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'x'\n"


@pytest.mark.parametrize(
    ("sources", "where"),
    [
        ({"app.py": _APP_WITH_A_ROUTE, "report.py": "import os\nfrom app import app\nprint 'x'\n"}, "(report.py:2)"),
        ({"app.py": _APP_WITH_A_ROUTE, "cron.py": "import sys, app as site\nprint site.app\n"}, "(cron.py:1)"),
        (
            {"shop/__init__.py": _APP_WITH_A_ROUTE, "shop/old.py": "\nfrom . import app\nprint app\n"},
            "(shop/old.py:2)",
        ),
    ],
)
def test_an_unparsable_module_importing_the_app_module_is_refused(sources, where):
    after, findings = convert(sources)
    assert after == sources
    [finding] = findings
    assert (finding.path, finding.line, finding.fix_level) == (
        next(p for p in sources if "Flask(" in sources[p]), 3, FixLevel.REPORT
    )
    module = "shop" if "shop/old.py" in sources else "app"
    assert finding.message.endswith(
        "this module does not parse, so flask-fix cannot rewrite it, and it imports the "
        f"app's module `{module}`: it would be left using an app that no longer exists; fix "
        f"its syntax first {where}; nothing was changed"
    )


def test_an_unparsable_module_importing_other_modules_does_not_block_the_conversion():
    legacy = "from apple import app\nimport application\nfrom .app import x\nprint 'app'\n"
    after, findings = convert({"app.py": _APP_WITH_A_ROUTE, "legacy.py": legacy})
    assert after["legacy.py"] == legacy
    assert "def create_app(config=None):" in after["app.py"]
    assert findings[0].has_fix


def test_the_runner_passes_unparsable_modules_to_the_factory(tmp_path: Path):
    files = {"app.py": _APP_WITH_A_ROUTE, "report.py": "from app import app\nprint 'x'\n"}
    for path, text in files.items():
        (tmp_path / path).write_text(text)
    named = [str(tmp_path / path) for path in files]
    results = list(run(named, Settings(jobs=1, select=("FLK201",), unsafe_fixes=True)))
    assert (tmp_path / "app.py").read_text() == _APP_WITH_A_ROUTE
    [finding] = [f for r in results for f in r.findings]
    assert finding.message.endswith(f"({tmp_path / 'report.py'}:1); nothing was changed")
    assert [r.error.kind for r in results if r.error] == [ErrorKind.SYNTAX]


_TASKS = {
    "tasks/__init__.py": """\
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy(app)

        import tasks.models
    """,
    "tasks/models.py": """\
        from tasks import db

        class Task(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
}
_TEST_OUTSIDE_A_CONTEXT = """\
    import unittest
    from tasks import app, db
    from tasks.models import Task

    class TasksTest(unittest.TestCase):
        def setUp(self):
            with app.app_context():
                db.create_all()

        def test_empty(self):
            assert Task.query.all() == []
"""


@pytest.mark.parametrize(
    ("extra", "version", "refused_at"),
    [
        ({"tests/test_tasks.py": _TEST_OUTSIDE_A_CONTEXT}, None, ("tests/test_tasks.py", 11, "Task.query")),
        ({"tests/test_tasks.py": _TEST_OUTSIDE_A_CONTEXT}, (2, 5), ("tests/test_tasks.py", 11, "Task.query")),
        ({"db_create.py": "from tasks import db\n\ndb.create_all()\n"}, None, ("db_create.py", 3, "db.create_all")),
        (
            {"setup_db.py": "import tasks\n\nif __name__ == '__main__':\n    tasks.db.session.commit()\n"},
            (1, 0),
            ("setup_db.py", 4, "tasks.db.session"),
        ),
        # 3.x never fell back: such uses fail before the rewrite too
        ({"tests/test_tasks.py": _TEST_OUTSIDE_A_CONTEXT}, (3, 0), None),
        # a fixture pushes the context the tests run in
        (
            {
                "tests/conftest.py": "import pytest\nfrom tasks import app\n\n@pytest.fixture(autouse=True)\n"
                "def context():\n    with app.app_context():\n        yield\n",
                "tests/test_tasks.py": "from tasks.models import Task\n\ndef test_empty():\n"
                "    assert Task.query.all() == []\n",
            },
            None,
            None,
        ),
        # inside functions of a module that is no test: run from views, in a context
        ({"tasks/helpers.py": "from tasks import db\n\ndef save(x):\n    db.session.add(x)\n"}, (2, 5), None),
    ],
)
def test_flask_sqlalchemy_before_3_used_outside_an_app_context_is_refused(extra, version, refused_at):
    sources = {p: textwrap.dedent(t) for p, t in {**_TASKS, **extra}.items()}
    after, findings = transform_sources(AppFactory, sources, flask_sqlalchemy_version=version)
    if refused_at is None:
        assert "db.init_app(app)" in after["tasks/__init__.py"]
        assert findings[0].has_fix
        return
    assert after == sources
    [finding] = findings
    path, line, code = refused_at
    declared = (
        "does not declare which Flask-SQLAlchemy it runs on"
        if version is None
        else f"allows Flask-SQLAlchemy {'.'.join(map(str, version))}"
    )
    assert finding.message.endswith(
        f"`{code}` runs outside an application context, which works only with "
        "Flask-SQLAlchemy before 3.0, through the app given to `db = SQLAlchemy(app)`, and "
        f"the project {declared}; the factory's `init_app` split removes that app: use it "
        "inside `with app.app_context():` (or require Flask-SQLAlchemy>=3.0) first "
        f"({path}:{line}); nothing was changed"
    )


_ONE_ROUTE = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'x'\n"


def test_deployment_files_naming_the_app_are_rewritten_for_the_factory():
    """Gunicorn (20.1+) calls `module:create_app()`, waitress-serve takes `--call`, and
    Flask finds `create_app` in the module by itself; references to other modules (an
    entry module keeping `app = create_app()`) and look-alikes stay as they are."""
    sources = {
        "shop.py": _ONE_ROUTE,
        "wsgi.py": "from shop import app\n",
        "Procfile": "web: gunicorn -w 2 shop:app\nworker: gunicorn wsgi:app\n",
        "Dockerfile": 'FROM python:3.12\nENV FLASK_APP shop:app\nCMD ["gunicorn", "-b", ":8000", "shop:app"]\n',
        "boot.sh": "#!/bin/sh\nexec gunicorn --access-logfile - \\\n    shop:app\n",
        "docker-compose.yml": "services:\n  web:\n    command: waitress-serve --port=8000 shop:app\n",
        ".flaskenv": "FLASK_APP=shop:app\nFLASK_DEBUG=1\n",
        "Makefile": "run:\n\tflask --app shop:app run\nold:\n\techo shop:application bookshop:app\n",
    }
    after, findings = convert(sources)
    assert after["Procfile"] == "web: gunicorn -w 2 'shop:create_app()'\nworker: gunicorn wsgi:app\n"
    assert after["Dockerfile"] == (
        'FROM python:3.12\nENV FLASK_APP shop\nCMD ["gunicorn", "-b", ":8000", "shop:create_app()"]\n'
    )
    assert after["boot.sh"] == "#!/bin/sh\nexec gunicorn --access-logfile - \\\n    'shop:create_app()'\n"
    assert after["docker-compose.yml"] == (
        "services:\n  web:\n    command: waitress-serve --port=8000 --call shop:create_app\n"
    )
    assert after[".flaskenv"] == "FLASK_APP=shop\nFLASK_DEBUG=1\n"
    assert after["Makefile"] == "run:\n\tflask --app shop run\nold:\n\techo shop:application bookshop:app\n"
    assert after["wsgi.py"] == "from shop import create_app\n\napp = create_app()\n"
    noted = {f.path: f for f in findings if f.path in sources and not f.path.endswith(".py")}
    assert noted["Procfile"].line == 1 and noted["Procfile"].has_fix
    assert noted["Procfile"].message == (
        "1 reference to the module-level app rewritten for the application factory: "
        "`shop:app` → `'shop:create_app()'`"
    )
    assert sorted(noted) == [".flaskenv", "Dockerfile", "Makefile", "Procfile", "boot.sh", "docker-compose.yml"]
    again, findings = convert(after)
    assert again == after


@pytest.mark.parametrize(
    ("files", "where", "reason"),
    [
        (
            {"uwsgi.ini": "[uwsgi]\nmodule = shop:app\n"},
            "(uwsgi.ini:2)",
            "`shop:app` names the module-level app, which the conversion removes, and flask-fix "
            "knows no sound rewrite for it here (uWSGI's `module =`, an unknown server): point "
            "it at an entry module that keeps one (a wsgi.py with `from shop import create_app` "
            "and `app = create_app()`) first",
        ),
        (
            {"vercel.json": '{\n  "builds": [\n    {"src": "shop.py", "use": "@vercel/python"}\n  ]\n}\n'},
            "(vercel.json:3)",
            "Vercel's Python build serves the module-level app of `shop.py`, which the "
            "conversion removes: build an entry module that keeps one instead (a wsgi.py with "
            "`app = create_app()`) first",
        ),
        (
            {"Dockerfile": 'CMD ["waitress-serve", "shop:app"]\n'},
            "(Dockerfile:1)",
            "`shop:app` names the module-level app",
        ),
    ],
)
def test_deployment_files_without_a_sound_rewrite_are_refused(files, where, reason):
    sources = {"shop.py": _ONE_ROUTE, **files}
    after, findings = convert(sources)
    assert after == sources
    [finding] = findings
    assert finding.path == "shop.py" and finding.fix_level is FixLevel.REPORT
    assert reason in finding.message
    assert finding.message.endswith(f"{where}; nothing was changed")


def test_an_old_gunicorn_cannot_call_the_factory(tmp_path: Path):
    files = {
        "shop.py": _ONE_ROUTE,
        "Procfile": "web: gunicorn shop:app\n",
        "requirements.txt": "flask\ngunicorn==19.9.0\n",
    }
    for path, text in files.items():
        (tmp_path / path).write_text(text)
    (tmp_path / ".git").mkdir()
    named = [str(tmp_path / "shop.py")]
    results = list(run(named, Settings(jobs=1, select=("FLK201",), unsafe_fixes=True)))
    assert (tmp_path / "Procfile").read_text() == files["Procfile"]
    [finding] = [f for r in results for f in r.findings]
    assert "the project allows a Gunicorn older than 20.1, which cannot call an application factory" in finding.message


def test_an_import_through_a_namespace_package_is_refused():
    """`app/main.py` with no `app/__init__.py` is indexed as `main`; a test importing it
    as `app.main` (pytest's rootdir on sys.path) would not be rewritten."""
    sources = {
        "app/main.py": _ONE_ROUTE,
        "tests/test_main.py": "from app.main import app\n\ndef test_index():\n    assert app.test_client().get('/').status_code == 200\n",
    }
    after, findings = convert(sources)
    assert after == sources
    [finding] = findings
    assert finding.message.endswith(
        "imports the app's module as `app.main`, through a folder without `__init__.py` (a "
        "namespace package), a name flask-fix does not link to `main`; add an `__init__.py` "
        "to that folder first (tests/test_main.py:1); nothing was changed"
    )


def test_a_session_handed_on_at_import_time_is_no_use_of_the_database():
    """`admin.add_view(ModelView(User, db.session))` at import time only passes the
    scoped session on (Flask-Admin's examples); `db.session.add(...)` uses it."""
    from flask_fix.rewrite.legacy_db import uses_outside_context
    from flask_fix.index.project import module_facts

    tree = ast.parse("from app import db\nviews = [db.session]\nprint(db.session)\ndb.session.add(1)\ndb.session()\n")
    reads = module_facts("setup.py", "setup", tree).raw["context"].database
    uses = list(uses_outside_context(reads, "setup", frozenset({"app.db"}), frozenset(), functions_too=False))
    assert uses == [(4, "db.session", "app.db"), (5, "db.session", "app.db")]


_ENTRY_APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


@app.route("/")
def index():
    return "hi"
"""
_MANAGE = '''\
"""python manage.py seed"""
from flask.cli import FlaskGroup
from flask_migrate import Migrate

from app import app, db

migrate = Migrate()
migrate.init_app(app, db)


@app.cli.command("seed")
def seed():
    db.create_all()


if __name__ == "__main__":
    FlaskGroup(create_app=lambda: app)()
'''


def test_a_script_no_module_imports_keeps_its_import_time_setup_on_the_app_it_builds():
    """manage.py sets up only the app of the runs that start from it: it builds that app
    with `create_app()`, and `migrate.init_app(app, db)` and its CLI command apply to it."""
    after, findings = convert({"app.py": _ENTRY_APP, "manage.py": _MANAGE})
    assert after["manage.py"] == _MANAGE.replace(
        "from app import app, db\n", "from app import create_app, db\n\napp = create_app()\n"
    )
    ast.parse(after["manage.py"])
    ast.parse(after["app.py"])
    assert "def create_app(config=None):" in after["app.py"]
    assert findings[0].has_fix and findings[0].code == "FLK201"
    assert [f.path for f in findings[1:]] == ["manage.py"]
    again, findings = convert(after)
    assert again == after and findings == []


_MANAGE_RUNNING_TESTS = _MANAGE.replace(
    "from flask.cli import FlaskGroup\n", "import unittest\n\nfrom flask.cli import FlaskGroup\n"
).replace(
    "\n\nif __name__",
    "\n\n@app.cli.command(\"test\")\ndef test():\n"
    "    unittest.TextTestRunner().run(unittest.TestLoader().discover(\"tests\"))\n\n\nif __name__",
)


def test_a_script_importing_unittest_to_run_the_suite_is_no_test_module():
    """flask-basic-registration's manage.py imports unittest for its `test` command: it
    defines no test, so it is an entry script like any other, not test code (FLK201 had
    refused: "registers routes or handlers on the app and also uses it at import time")."""
    after, findings = convert({"app.py": _ENTRY_APP, "manage.py": _MANAGE_RUNNING_TESTS})
    assert after["manage.py"] == _MANAGE_RUNNING_TESTS.replace(
        "from app import app, db\n", "from app import create_app, db\n\napp = create_app()\n"
    )
    ast.parse(after["manage.py"])
    assert findings[0].has_fix and findings[0].code == "FLK201"
    again, findings = convert(after)
    assert again == after and findings == []
    # a module importing unittest that defines a test case stays test code
    tests_py = _MANAGE_RUNNING_TESTS.replace(
        "\n\nif __name__", "\n\nclass AppTestCase(unittest.TestCase):\n    pass\n\n\nif __name__"
    )
    after, findings = convert({"app.py": _ENTRY_APP, "manage.py": tests_py})
    assert after["manage.py"] == tests_py
    assert "registers routes or handlers on the app and also uses it at import time" in findings[0].message


_FLASK_TESTING_BASE = """\
from flask_testing import TestCase

from app import app, db


class BaseTestCase(TestCase):
    def create_app(self):
        app.config["TESTING"] = True
        return app

    def setUp(self):
        db.create_all()
"""


def test_a_flask_testing_base_case_outside_the_tests_folder_is_test_code():
    """flask-basic-registration keeps its base test case in `project/util.py`: its
    `create_app` method must return an app, which `current_app` (no context yet) is not;
    as test code it builds one with `create_app()`."""
    after, findings = convert({"app.py": _ENTRY_APP, "util.py": _FLASK_TESTING_BASE})
    assert after["util.py"] == _FLASK_TESTING_BASE.replace(
        "from app import app, db\n", "from app import create_app, db\n\napp = create_app()\n"
    )
    ast.parse(after["util.py"])
    again, findings = convert(after)
    assert again == after and findings == []
    # the same module defining no test case is no test code: it builds no app of its own
    helper = _FLASK_TESTING_BASE.replace("class BaseTestCase(TestCase):", "class Helper:")
    after, _ = convert({"app.py": _ENTRY_APP, "util.py": helper})
    assert "app = create_app()" not in after["util.py"]


_CLI_ONLY = '''\
from flask.cli import FlaskGroup

from app import app


@app.cli.command("hello")
def hello():
    print("hi")


if __name__ == "__main__":
    FlaskGroup(create_app=lambda: app)()
'''


def test_a_script_whose_app_serves_its_main_block_and_cli_commands_builds_its_own():
    """FLK803's output for `Manager(app)` (FLK201 meets it a round later, when a fix it
    waited for has run): `lambda: app` in the `__main__` block runs as the script starts,
    it is no function `current_app` could stand in for; with its `@app.cli.command`s the
    script is an entry point building its app, not a views module with a blueprint the
    app's module would import (`FlaskGroup(create_app=lambda:
    current_app._get_current_object())` fails outside a context)."""
    after, findings = convert({"app.py": _ENTRY_APP, "manage.py": _CLI_ONLY})
    assert after["manage.py"] == _CLI_ONLY.replace(
        "from app import app\n", "from app import create_app\n\napp = create_app()\n"
    )
    assert "manage" not in after["app.py"]
    ast.parse(after["manage.py"])
    assert [(f.path, f.code, f.has_fix) for f in findings] == [
        ("app.py", "FLK201", True), ("manage.py", "FLK201", True)
    ]  # fmt: skip
    again, findings = convert(after)
    assert again == after and findings == []
    # the same in a module the app's module imports: a views module's `__main__` lambda
    # is not rewritten to `current_app` either, the module is refused
    sources = {"app.py": _ENTRY_APP + "\nimport manage  # noqa\n", "manage.py": _CLI_ONLY}
    after, findings = convert(sources)
    assert after == sources and not findings[0].has_fix
    assert "uses the app at import time" in findings[0].message


def test_a_script_creating_the_extension_with_the_app_builds_its_own():
    run_py = "from flask_migrate import Migrate\n\nfrom app import app, db\n\nmigrate = Migrate(app, db)\n\nif __name__ == \"__main__\":\n    app.run()\n"
    after, _ = convert({"app.py": _ENTRY_APP, "run.py": run_py})
    assert after["run.py"] == (
        "from flask_migrate import Migrate\n\nfrom app import create_app, db\n\napp = create_app()\n\n"
        "migrate = Migrate(app, db)\n\nif __name__ == \"__main__\":\n    app.run()\n"
    )
    ast.parse(after["run.py"])
    again, _ = convert(after)
    assert again == after


@pytest.mark.parametrize(
    ("importer", "where"),
    [
        ({"tests/test_manage.py": "import manage\n"}, "manage.py:8"),
        ({"tools.py": "def load():\n    from manage import migrate\n    return migrate\n"}, "manage.py:8"),
        ({"tools.py": "import importlib\nm = importlib.import_module('manage')\n"}, "manage.py:8"),
        ({"tools.py": "import runpy\nrunpy.run_path('manage.py')\n"}, "manage.py:8"),
        (
            {
                "shop/__init__.py": "from shop import extensions\n",
                "shop/app.py": _ENTRY_APP,
                "shop/extensions.py": "from flask_migrate import Migrate\n\nfrom shop.app import app, db\n\n"
                "migrate = Migrate()\nmigrate.init_app(app, db)\n",
            },
            "shop/extensions.py:6",
        ),
    ],
)
def test_import_time_setup_in_a_module_something_imports_is_still_refused(importer, where):
    """Imported, the module would set up the one app it builds, not the ones the factory
    makes for the importer (or the package's other users): refused as before."""
    sources = {"app.py": _ENTRY_APP, "manage.py": _MANAGE, **importer}
    if "shop/app.py" in importer:
        sources = importer
    after, findings = convert(sources)
    assert after == {p: textwrap.dedent(t) for p, t in sources.items()}
    [finding] = findings
    assert "sets the app up at import time (`migrate.init_app(app, db)`, FLK204)" in finding.message
    assert f"({where}); nothing was changed" in finding.message, finding.message
