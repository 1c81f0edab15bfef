"""FLK401 debug-true: what the generic example tests do not cover.

Messages and levels, apps imported from other modules and made by factories (through the
real project index), argument layouts, test modules, and what `app.run()` does under real
Flask once `debug=True` is gone.
"""

from __future__ import annotations

from textwrap import dedent

import pytest
from flask import Flask

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(sources: dict[str, str], path: str, unsafe: bool = False):
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK401",), index=index, unsafe=unsafe)


def test_finding_fields():
    source = code("""
        from flask import Flask

        app = Flask(__name__)
        app.run(port=5000, debug=True)
    """)
    result = run({"app.py": source}, "app.py")
    [finding] = result.findings
    assert (finding.code, finding.name) == ("FLK401", "debug-true")
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (4, 1, 4, 31)
    assert finding.fix_level is FixLevel.INTENDED
    assert "FLASK_DEBUG=1" in finding.message and "interactive debugger" in finding.message
    assert result.source.endswith("app.run(port=5000)\n")


def test_app_imported_from_the_module_creating_it():
    sources = {
        "myapp/__init__.py": "from .web import app\n",
        "myapp/web.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "run.py": "from myapp import app\n\napp.run(debug=True)\n",
        "other.py": "import myapp.web\n\nmyapp.web.app.run(debug=True)\n",
    }
    assert run(sources, "run.py").source == "from myapp import app\n\napp.run()\n"
    assert run(sources, "other.py").source == "import myapp.web\n\nmyapp.web.app.run()\n"


def test_factory_in_another_module_reexported():
    sources = {
        "pkg/__init__.py": "from .factory import create_app\n",
        "pkg/factory.py": code("""
            from flask import Flask

            def create_app(config=None):
                app = Flask(__name__)
                app.config.from_object(config)
                return app
        """),
        "wsgi.py": code("""
            from pkg import create_app

            app = create_app()

            if __name__ == "__main__":
                app.run(host="127.0.0.1", debug=True)
        """),
    }
    result = run(sources, "wsgi.py")
    assert 'app.run(host="127.0.0.1")\n' in result.source


def test_flask_subclass_made_by_a_factory():
    sources = {
        "core.py": code("""
            from flask import Flask

            class MyFlask(Flask):
                pass

            def create_app():
                app = MyFlask(__name__)
                with app.app_context():
                    return app
        """),
        "serve.py": "from core import create_app\n\napp = create_app()\napp.run(debug=True)\n",
    }
    assert run(sources, "serve.py").source.endswith("app.run()\n")


def test_functions_that_do_not_return_an_app_are_not_factories():
    sources = {
        "setup.py": code("""
            from flask import Flask

            def configure():
                app = Flask(__name__)
                app.config["X"] = 1

            def server():
                return Server()
        """),
        "run.py": code("""
            from setup import configure, server

            app = configure()
            app.run(debug=True)
            srv = server()
            srv.run(debug=True)
        """),
    }
    result = run(sources, "run.py")
    assert result.findings == [] and result.source == sources["run.py"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("app.run(debug=True)", "app.run()"),
        ("app.run(debug = True)", "app.run()"),
        ("app.run(\n    debug=True\n)", "app.run()"),
        ("app.run(\n    debug=True,\n)", "app.run()"),
        ("app.run(debug=True, port=1)", "app.run(port=1)"),
        ("app.run(\n    port=1,\n    debug=True\n)", "app.run(\n    port=1\n)"),
        ("app.run(\n    debug=True,\n    port=1,\n)", "app.run(\n    port=1,\n)"),
        ("app.run('0.0.0.0', 80, debug=True, use_reloader=False)",
         "app.run('0.0.0.0', 80, use_reloader=False)"),
    ],
)  # fmt: skip
def test_argument_layouts(before, after):
    head = "from flask import Flask\n\napp = Flask(__name__)\n"
    result = run({"app.py": head + before + "\n"}, "app.py")
    assert result.source == head + after + "\n"


def test_positional_debug_and_other_values_are_left_alone():
    source = code("""
        from flask import Flask

        app = Flask(__name__)
        app.run("127.0.0.1", 5000, True)
        app.run(debug=1)
        app.run(debug=False)
    """)
    assert run({"app.py": source}, "app.py").findings == []


def test_config_module_loaded_by_from_pyfile_and_from_object_string():
    sources = {
        "site/app.py": code("""
            from flask import Flask

            app = Flask(__name__)
            app.config.from_pyfile("settings.py")
            app.config.from_object("site.config.DevConfig")
        """),
        "site/__init__.py": "",
        "site/settings.py": "DEBUG = True\n",
        "site/config.py": code("""
            class Base:
                DEBUG = True

            class DevConfig(Base):
                pass

            class Unused:
                DEBUG = True
        """),
    }
    [finding] = run(sources, "site/settings.py").findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.startswith("`DEBUG = True` in a config module")
    [finding] = run(sources, "site/config.py").findings
    assert finding.line == 2 and "config class" in finding.message


def test_test_modules_are_skipped():
    source = "from flask import Flask\n\napp = Flask(__name__)\napp.debug = True\n"
    for path in ("tests/test_app.py", "test_cli.py", "pkg/conftest.py", "testing/app.py"):
        assert run({path: source}, path).findings == []
    assert run({"pkg/app.py": source}, "pkg/app.py").findings


def _served_with(monkeypatch, call, env: dict[str, str]):
    """What Flask passes Werkzeug's run_simple when `call(app)` runs the server."""
    import werkzeug.serving

    seen = {}

    def fake_run_simple(host, port, application, **options):
        seen.update(options, debug=application.debug)

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = Flask(__name__)
    call(app)
    return seen


def test_behaviour_under_flask(monkeypatch):
    before = lambda app: app.run(debug=True, load_dotenv=False)
    after = lambda app: app.run(load_dotenv=False)
    # before: the debugger and reloader run whatever the environment says
    for env in ({}, {"FLASK_DEBUG": "0"}):
        options = _served_with(monkeypatch, before, env)
        assert options["use_debugger"] and options["use_reloader"] and options["debug"]
    # after: FLASK_DEBUG decides, and debug mode is off when it is unset
    options = _served_with(monkeypatch, after, {})
    assert not options["use_debugger"] and not options["debug"]
    options = _served_with(monkeypatch, after, {"FLASK_DEBUG": "0"})
    assert not options["use_debugger"]
    options = _served_with(monkeypatch, after, {"FLASK_DEBUG": "1"})
    assert options["use_debugger"] and options["use_reloader"] and options["debug"]
