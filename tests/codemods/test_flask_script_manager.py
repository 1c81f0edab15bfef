"""FLK803 beyond its own examples: option keywords, refusals, look-alikes, and the
`python manage.py runserver` calls in the project's files."""

from __future__ import annotations

import ast

from flask_fix.codemods.flask_script_manager import FlaskScriptManager
from flask_fix.rewrite.flask_script import convert_manager_module
from flask_fix.run.transforms import transform_sources

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
HEAD = "from flask_script import Manager\n\nfrom app import app\n\nmanager = Manager(app)\n\n\n"
MAIN = "\n\nif __name__ == '__main__':\n    manager.run()\n"


def run(project: dict[str, str]):
    after, findings = transform_sources(FlaskScriptManager, project)
    for path, text in after.items():
        if path.endswith(".py"):
            ast.parse(text)
    again, _ = transform_sources(FlaskScriptManager, after)
    assert again == after
    return after, [f for f in findings if f.code == "FLK803"]


def test_option_keywords():
    source = HEAD + (
        "@manager.option('-v', '--verbose', action='store_true')\n"
        "@manager.option('-q', '--quiet', dest='loud', action='store_false')\n"
        "@manager.option('-k', '--kind', choices=['a', 'b'], metavar='KIND')\n"
        "@manager.option('path', default='.')\n"
        "def scan(verbose, loud, kind, path):\n    pass\n"
    ) + MAIN
    after, findings = run({"app.py": APP, "manage.py": source})
    assert after["manage.py"] == (
        "import click\nfrom flask.cli import FlaskGroup\n\nfrom app import app\n\n\n"
        "@app.cli.command('scan')\n"
        "@click.option('-v', '--verbose', is_flag=True)\n"
        "@click.option('-q', '--quiet', 'loud', is_flag=True, flag_value=False, default=True)\n"
        "@click.option('-k', '--kind', metavar='KIND', type=click.Choice(['a', 'b']))\n"
        "@click.argument('path', default='.', required=False)\n"
        "def scan(verbose, loud, kind, path):\n    pass\n"
        "\n\nif __name__ == '__main__':\n    FlaskGroup(create_app=lambda: app)()\n"
    )
    assert [f.has_fix for f in findings] == [True]


def test_function_called_by_a_test_stays_plain():
    source = HEAD + "@manager.command\ndef seed(count=3):\n    pass\n" + MAIN
    after, _ = run({
        "app.py": APP, "manage.py": source,
        "tests/test_manage.py": "import manage\n\n\ndef test_seed():\n    manage.seed(count=1)\n",
    })  # fmt: skip
    assert "\n\ndef seed(count=3):\n    pass\n\n\n" in after["manage.py"]
    assert "app.cli.command('seed')(click.option('-c', '--count', default=3)(seed))\n" in after["manage.py"]


def test_unconvertible_uses_are_reported_and_nothing_changes():
    cases = [
        ("from flask_script import Manager, prompt_bool\n\nfrom app import app\n\n"
         "manager = Manager(app)\n", "prompt_bool", 1),
        (HEAD + "manager.add_option('-c', '--config', dest='config')\n", "manager", 8),
        (HEAD + "@manager.option('-n', nargs='+')\ndef f(n):\n    pass\n", "nargs", 8),
        (HEAD + "@manager.option('-t', type=parse_date)\ndef f(t):\n    pass\n", "type=", 8),
        (HEAD + "@manager.command\ndef f(force=True):\n    pass\n", "force=True", 9),
    ]  # fmt: skip
    for source, named, line in cases:
        project = {"app.py": APP, "manage.py": source + MAIN, "Procfile": "web: python manage.py runserver\n"}
        after, findings = run(project)
        assert after == project, source
        assert findings and not any(f.has_fix for f in findings), source
        assert named in findings[0].message and findings[0].line == line, findings[0]


def test_lookalikes_are_untouched():
    # a Manager of another library; a manager that is a local object
    for source in (
        "from flask_migrate import Manager\n\nfrom app import app\n\nmanager = Manager(app)\n",
        "from app import app\n\n\nclass Manager:\n    pass\n\n\nmanager = Manager(app)\n",
    ):
        project = {"app.py": APP, "manage.py": source + MAIN, "README.md": "python manage.py runserver\n"}
        after, findings = run(project)
        assert after == project and findings == []


def test_runserver_options_and_other_commands_in_docs():
    source = HEAD + "@manager.command\ndef hello():\n    pass\n" + MAIN
    docs = (
        "python manage.py runserver -d -r --threaded -p 8000\n"
        "python manage.py runserver --passthrough-errors\n"
        "python manage.py db upgrade\npython other.py runserver\n"
    )
    after, findings = run({
        "app.py": APP, "manage.py": source, "docs/usage.rst": docs,
        # a honcho Procfile may have any name; a tool folder is not read
        "Local": "web: python -u manage.py runserver\n",
        "node_modules/x/README.md": "python manage.py runserver\n",
    })  # fmt: skip
    assert after["Local"] == "web: python -u manage.py run\n"
    assert after["node_modules/x/README.md"] == "python manage.py runserver\n"
    assert after["docs/usage.rst"] == (
        "python manage.py run --debugger --reload --with-threads -p 8000\n"
        "python manage.py run --passthrough-errors\n"
        "python manage.py db upgrade\npython other.py runserver\n"
    )
    reported = [f for f in findings if not f.has_fix]
    assert [(f.path, f.line) for f in reported] == [("docs/usage.rst", 2)]


def test_convert_keeps_other_main_statements():
    source = HEAD + "@manager.command\ndef hello():\n    pass\n\n\nif __name__ == '__main__':\n" \
        "    import os\n    os.environ['X'] = '1'\n    manager.run()\n"
    conversion = convert_manager_module(source)
    assert conversion.text is not None and conversion.text.endswith(
        "    import os\n    os.environ['X'] = '1'\n    FlaskGroup(create_app=lambda: app)()\n"
    )


def test_returned_exit_status_becomes_sys_exit():
    source = (
        "import os\nimport unittest\n\nfrom flask_script import Manager\n\nfrom app import app\n\n"
        "manager = Manager(app)\n\n\n"
        "@manager.command\ndef test():\n    result = unittest.TextTestRunner().run(None)\n"
        "    if result.wasSuccessful():\n        return 0\n    return result.errors\n\n\n"
        "@manager.command\ndef lint():\n    with open('x') as f:\n        return 1\n"
    ) + MAIN
    after, findings = run({"app.py": APP, "manage.py": source})
    assert after["manage.py"] == (
        "import os\nimport sys\nimport unittest\n\nfrom flask.cli import FlaskGroup\n\n"
        "from app import app\n\n\n"
        "@app.cli.command('test')\ndef test():\n    result = unittest.TextTestRunner().run(None)\n"
        "    if result.wasSuccessful():\n        sys.exit(0)\n    sys.exit(result.errors or 0)\n\n\n"
        "@app.cli.command('lint')\ndef lint():\n    with open('x') as f:\n        return 1\n"
        "\n\nif __name__ == '__main__':\n    FlaskGroup(create_app=lambda: app)()\n"
    )
    notes = [f for f in findings if not f.has_fix]
    assert [(f.line, "`lint` returns a value" in f.message) for f in notes] == [(22, True)]


def test_files_of_another_project_below_the_same_repository_are_left_alone(tmp_path, monkeypatch):
    """A run on one project of a repository (its own requirements.txt, the repository's
    .git above) searches that project for `manage.py runserver`, as the runner groups
    files by project: a sibling fixture's Procfile is neither read as this project's
    nor rewritten (it was, and the run stopped with a KeyError in the runner)."""
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    app = tmp_path / "samples" / "blog"
    app.mkdir(parents=True)
    (app / "requirements.txt").write_text("Flask-Script==2.0.6\n")
    (app / "app.py").write_text(APP)
    (app / "manage.py").write_text(HEAD + "@manager.command\ndef seed():\n    pass\n" + MAIN)
    (app / "Procfile").write_text("web: python manage.py runserver\n")
    other = tmp_path / "tests" / "fixture"
    other.mkdir(parents=True)
    (other / "requirements.txt").write_text("flask\n")
    (other / "Procfile.dev").write_text("web: python manage.py runserver\n")
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "flask_fix", "--diff", "--unsafe-fixes", "--no-cache", "--select", "FLK803", "samples/"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    changed = [line for line in done.stdout.splitlines() if line.startswith("+++ ")]
    assert changed == ["+++ b/samples/blog/Procfile", "+++ b/samples/blog/manage.py"]
    assert (other / "Procfile.dev").read_text() == "web: python manage.py runserver\n"


MANAGE = HEAD + "@manager.command\ndef seed():\n    pass\n" + MAIN


def test_an_unused_import_of_flask_script_in_another_module_is_deleted():
    """flask-user-starter's app/__init__.py keeps an unused `from flask_script import
    Manager` beside its manage.py: the import fails on Flask 2.0+ as well (its suite did
    not collect), and nothing uses it, so it goes, as does its unused `MigrateCommand`
    (Flask-Migrate 3.0 removed it; the next failure there); a module that still uses what it
    imports is named, never rewritten."""
    init = (
        "from flask import Flask\n# the CLI\nfrom flask_script import Manager\n"
        "import os, flask_script.commands as commands\n"
        "from flask_migrate import Migrate, MigrateCommand\n\napp = Flask(__name__)\n"
        "migrate = Migrate(app)\n"
    )
    tools = "import flask_script\n\n\ndef make(app):\n    return flask_script.Manager(app)\n"
    lookalike = "# flask_script is gone\nfrom flask import Flask\nfrom cli.db import MigrateCommand\n"
    project = {"app.py": init, "tools.py": tools, "notes.py": lookalike, "manage.py": MANAGE}
    after, findings = run(project)
    assert after["app.py"] == (
        "from flask import Flask\nimport os\nfrom flask_migrate import Migrate\n\n"
        "app = Flask(__name__)\nmigrate = Migrate(app)\n"
    )
    assert after["tools.py"] == tools and after["notes.py"] == lookalike
    others = [(f.path, f.line, f.column, f.has_fix, f.message.rpartition(": ")[2])
              for f in findings if f.path != "manage.py"]  # fmt: skip
    assert others == [
        ("app.py", 3, 1, True, "the import is deleted"),
        ("app.py", 4, 1, True, "the import is deleted"),
        ("app.py", 5, 1, True, "the import is deleted"),
        ("tools.py", 1, 1, False, "move that to Flask's CLI (click) by hand"),
    ]
    # without --unsafe-fixes: named, the file left as it is
    kept, reported = transform_sources(FlaskScriptManager, project, apply=False)
    assert kept == project
    assert [(f.path, f.has_fix) for f in reported if f.path == "app.py"] == [("app.py", True)] * 3


def test_an_import_of_flask_script_something_else_needs_stays():
    """Look-alikes: the names imported from this module by another one (by name, with a
    star, as an attribute), listed in `__all__`, or imported inside a block beside an
    unused one: named, nothing deleted."""
    unused = "from flask import Flask\nfrom flask_script import Manager\n\napp = Flask(__name__)\n"
    cases = [
        ({"cli.py": "from app import Manager\n"}, unused, "cli.py imports `Manager`"),
        ({"cli.py": "from app import *\n"}, unused, "cli.py imports `Manager`"),
        ({"cli.py": "import app\n\nm = app.Manager(app.app)\n"}, unused, "cli.py imports"),
        ({}, unused + "__all__ = ['app', 'Manager']\n", "re-exports `Manager` (`__all__`)"),
        ({}, unused.replace("from flask_script import Manager\n", "try:\n"
                            "    from flask_script import Manager\nexcept ImportError:\n"
                            "    Manager = None\n"), "still uses `Manager`"),
        ({}, unused.replace("flask_script import Manager", "flask_migrate import MigrateCommand")
         + "COMMANDS = {'db': MigrateCommand}\n", "still uses `MigrateCommand`"),
        ({}, unused + "\n\ndef cli():\n    from flask_script import Manager\n",
         "delete the import"),
    ]  # fmt: skip
    for extra, source, said in cases:
        project = {"app.py": source, "manage.py": MANAGE, **extra}
        after, findings = run(project)
        assert after["app.py"] == source, source
        named = [f for f in findings if f.path == "app.py"]
        assert named and not any(f.has_fix for f in named), source
        assert said in named[-1].message, (said, named[-1].message)
