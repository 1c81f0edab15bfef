"""FLK601 beyond its examples: messages, several modules, one rule over two kinds of
files (registry, selection, the command line), scripts resolved through the index."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flask_fix import fix_code
from flask_fix.codemods import _owner_of_part, all_rules, select_rules, text_rules
from flask_fix.rewrite.base import Rule, TextRule
from flask_fix.codemods.dev_server_in_production import DevServerCommand, DevServerInProduction
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources

WERKZEUG = (
    'Werkzeug warns: "This is a development server. Do not use it in a production '
    'deployment. Use a production WSGI server instead."'
)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_python_message_and_position():
    source = "from flask import Flask\n\napp = Flask(__name__)\napp.run(host='0.0.0.0')\n"
    [finding] = fix_code(source, select=("FLK601",)).findings
    assert finding.fix_level is FixLevel.REPORT
    assert (finding.line, finding.column, finding.end_column) == (4, 1, 24)
    assert finding.message == (
        "`app.run(host='0.0.0.0')` runs at import time, outside `if __name__ == "
        "'__main__':`, so whatever imports this module (Gunicorn, `flask run`, a test) "
        "starts the development server; `host='0.0.0.0'` opens the development server to "
        "other machines: use a production WSGI server (Gunicorn, uWSGI or Waitress); " + WERKZEUG
    )


FACTORY_PACKAGE = {
    "shop/__init__.py": dedent(
        """
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            return app


        app = create_app()
        """
    ),
}


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from shop import app\napp.run()\n", True),
        ("from shop import create_app\napp = create_app()\napp.run()\n", True),
        ("import shop\nshop.app.run()\n", False),  # an attribute: not resolved
        ("from shop import app\nif __name__ == '__main__':\n    app.run()\n", False),
        ("from shop import create_app as make\nmake().run(threaded=True)\n", True),
    ],
)
def test_apps_from_other_modules(source, found):
    index = index_from_sources({**FACTORY_PACKAGE, "run.py": source})
    findings = fix_code(source, path="run.py", select=("FLK601",), index=index).findings
    assert bool(findings) is found


def test_one_rule_for_python_and_deployment_files():
    assert [r.code for r in all_rules()].count("FLK601") == 1
    assert DevServerInProduction in all_rules()
    assert DevServerCommand not in all_rules()
    assert text_rules(select_rules(("FLK601",))) == (DevServerCommand,)
    assert text_rules(select_rules(("FLK6",))) == (DevServerCommand,)
    assert DevServerCommand not in text_rules(select_rules((), ("FLK601",)))
    assert (DevServerCommand.code, DevServerCommand.name) == ("FLK601", "dev-server-in-production")


def test_only_a_rule_and_its_text_part_share_a_code():
    class Part(TextRule):
        code, name = "FLK999", "x"

    class Owner(Rule):
        code, name = "FLK999", "x"
        text_part = Part

    class Stranger(TextRule):
        code, name = "FLK999", "x"

    assert _owner_of_part(Part, Owner) is Owner
    assert _owner_of_part(Owner, Part) is Owner
    with pytest.raises(RuntimeError, match="two rules claim FLK999"):
        _owner_of_part(Owner, Stranger)


SERVING_APP = (
    "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run()\n"
)


def check(filename: str, text: str, project: dict[str, str]) -> list[int]:
    index = index_from_sources(project)
    return [f.line for f in DevServerCommand(index).check(filename, text)]


@pytest.mark.parametrize(
    ("filename", "command", "found"),
    [
        ("Procfile", "web: python app.py", True),
        ("Procfile", "web: python3 -u ./app.py --port 8000", True),
        ("deploy/Procfile", "web: python ../app.py", True),
        ("Procfile", "web: python /srv/app.py", True),  # by its trailing components
        ("Procfile", "web: python other.py", False),  # not a module of the project
        ("Procfile", "web: python worker.py", False),  # no app.run()
        ("Procfile", "web: python -m app", True),
        ("Procfile", "web: python -m pkg", True),  # the package's __main__
        ("Procfile", "web: python -c 'import app'", False),
        ("Procfile", "web: python manage.py runserver", True),  # Flask-Script
        ("Procfile", "worker: python manage.py run_worker", False),
    ],
)
def test_python_scripts_resolved_through_the_index(filename, command, found):
    project = {
        "app.py": SERVING_APP,
        "worker.py": "import time\ntime.sleep(1)\n",
        "pkg/__init__.py": "",
        "pkg/__main__.py": "from app import app\napp.run(port=8000)\n",
        "manage.py": "from flask_script import Manager\nfrom app import app\n"
        "manager = Manager(app)\nif __name__ == '__main__':\n    manager.run()\n",
    }
    assert check(filename, command + "\n", project) == ([1] if found else [])


FLASK_GROUP_HEAD = "import click\nfrom flask.cli import FlaskGroup\nfrom app import app\n"
FLASK_GROUP_MAIN = "if __name__ == '__main__':\n    cli()\n"


@pytest.mark.parametrize(
    ("manage", "found"),
    [
        # as FLK803 writes it, from Manager(app) and from Manager(create_app)
        (FLASK_GROUP_HEAD + "if __name__ == '__main__':\n    FlaskGroup(create_app=lambda: app)()\n", True),
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n" + FLASK_GROUP_MAIN, True),
        # FlaskGroup's first parameter is add_default_commands: an app there is true
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(app)\n" + FLASK_GROUP_MAIN, True),
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(False, create_app=lambda: app)\n" + FLASK_GROUP_MAIN, False),
        (FLASK_GROUP_HEAD + "@click.group(cls=FlaskGroup, create_app=lambda: app)\n"
         "def cli():\n    pass\n" + FLASK_GROUP_MAIN, True),
        ("import flask.cli\nfrom app import app\ncli = flask.cli.FlaskGroup(create_app=lambda: app)\n"
         "cli.main()\n", True),
        # a command of the group's own named run, on another command name: Flask's still
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n"
         "@cli.command('serve')\ndef run():\n    pass\n" + FLASK_GROUP_MAIN, True),
        # look-alikes: no Flask `run` behind `python manage.py run`
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app, add_default_commands=False)\n"
         + FLASK_GROUP_MAIN, False),
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n"
         "@cli.command()\ndef run():\n    pass\n" + FLASK_GROUP_MAIN, False),
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n"
         "@cli.command('run')\ndef start_worker():\n    pass\n" + FLASK_GROUP_MAIN, False),
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n"
         "cli.add_command(worker, 'run')\n" + FLASK_GROUP_MAIN, False),
        (FLASK_GROUP_HEAD + "@click.group()\ndef cli():\n    pass\n"
         "@cli.command()\ndef run():\n    pass\n" + FLASK_GROUP_MAIN, False),  # plain click
        (FLASK_GROUP_HEAD + "cli = FlaskGroup(create_app=lambda: app)\n", False),  # never run
        (FLASK_GROUP_HEAD + "def main():\n    FlaskGroup(create_app=lambda: app)()\n", False),
        ("from app import app\nclass FlaskGroup:\n    pass\ncli = FlaskGroup()\n"
         + FLASK_GROUP_MAIN, False),
    ],
)
def test_python_manage_py_run_through_a_flask_group(manage, found):
    project = {"app.py": "from flask import Flask\napp = Flask(__name__)\n", "manage.py": manage}
    assert check("Procfile", "web: python manage.py run --host 0.0.0.0\n", project) == (
        [1] if found else []
    )
    # another command of the script is not the server
    assert check("Procfile", "release: python manage.py db upgrade\n", project) == []


def test_text_messages():
    [finding] = DevServerCommand().check("Procfile", "web: exec flask run -p $PORT\n")
    assert (finding.line, finding.column, finding.end_column) == (1, 11, 29)
    assert finding.message == (
        "`flask run` starts Flask's development server: use a production WSGI server "
        "(Gunicorn, uWSGI or Waitress), e.g. `gunicorn 'module:create_app()'`; " + WERKZEUG
    )
    index = index_from_sources({"app.py": SERVING_APP})
    [finding] = DevServerCommand(index).check("Procfile", "web: python app.py\n")
    assert finding.message.startswith(
        "`python app.py` starts Flask's development server (app.py calls `app.run()`)"
    )


@pytest.mark.parametrize(
    "path",
    [
        "docker-compose.dev.yml",
        "compose.local.yaml",
        "Procfile.dev",
        "Dockerfile.development",
        "scripts/run-dev.sh",
        ".devcontainer/post-create.sh",
        "tests/e2e/Dockerfile",
        "examples/simple/Procfile",
    ],
)
def test_files_meant_for_development_are_skipped(path):
    text = "web: flask run\n" if "Procfile" in path else "CMD flask run\n"
    if path.endswith((".yml", ".yaml")):
        text = "services:\n  web:\n    command: flask run\n"
    elif path.endswith(".sh"):
        text = "flask run\n"
    assert DevServerCommand().check(path, text) == []
    # the same file under a plain name deploys
    plain = {"yml": "docker-compose.yml", "yaml": "compose.yaml", "sh": "start.sh"}.get(
        path.rpartition(".")[2], "Procfile" if "Procfile" in path else "Dockerfile"
    )
    assert DevServerCommand().check(plain, text)


def test_development_settings_matter_only_where_files_may_be_for_development():
    # a compose file or script that sets debug mode is a development setup
    compose = "services:\n  web:\n    command: flask run\n    environment:\n      FLASK_DEBUG: 1\n"
    assert DevServerCommand().check("docker-compose.yml", compose) == []
    assert DevServerCommand().check("start.sh", "flask run --reload\n") == []
    # a Procfile or a Dockerfile deploys: the debugger makes it worse, not better
    assert DevServerCommand().check("Procfile", "web: flask run --debug\n")
    assert DevServerCommand().check("Dockerfile", "FROM x\nCMD flask run --debug\n")


def test_dockerfile_stages():
    text = dedent(
        """
        FROM python:3.12 AS dev
        CMD ["flask", "run", "--debug"]

        FROM python:3.12 AS production
        CMD flask run
        CMD ["gunicorn", "app:app"]
        """
    )
    # the dev stage is skipped; in the other, the last CMD wins
    assert DevServerCommand().check("Dockerfile", text) == []


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        text=True,
        timeout=300,
    )


def test_command_line_runs_both_parts(tmp_path: Path):
    (tmp_path / "app.py").write_text(SERVING_APP.replace("app.run()", "app.run(host='0.0.0.0')"))
    (tmp_path / "Procfile").write_text("web: python app.py\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nCMD flask run\n")
    (tmp_path / "boot.sh").write_text("#!/bin/sh\nexec gunicorn app:app\n")
    result = flask_fix("--check", "--select", "FLK601", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = sorted(line.split(" FLK601 ")[0] for line in result.stdout.splitlines())
    assert lines == ["Dockerfile:2:5:", "Procfile:1:6:", "app.py:4:5:"]
    ignored = flask_fix("--check", "--select", "FLK6", "--ignore", "FLK601", ".", cwd=tmp_path)
    assert "FLK601" not in ignored.stdout
    listed = flask_fix("--list-rules", cwd=tmp_path)
    assert listed.stdout.count("FLK601") == 1
    explained = flask_fix("--explain", "FLK601", cwd=tmp_path)
    assert "Procfile" in explained.stdout and "Fix safety" in explained.stdout


def test_python_manage_py_run_after_flk803_converted_manage_py(tmp_path: Path):
    """FLK803 turns a Flask-Script manage.py into a FlaskGroup and the Procfile's
    `runserver` into `run`: FLK601 reports the Procfile before the rewrite and after it."""
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (tmp_path / "manage.py").write_text(
        "from flask_script import Manager\n\nfrom app import app\n\nmanager = Manager(app)\n\n\n"
        "@manager.command\ndef hello():\n    print('hi')\n\n\n"
        "if __name__ == '__main__':\n    manager.run()\n"
    )
    (tmp_path / "Procfile").write_text("web: python manage.py runserver\n")
    (tmp_path / "requirements.txt").write_text("flask-script\n")

    def flk601() -> list[str]:
        result = flask_fix("--check", "--no-cache", "--select", "FLK601", ".", cwd=tmp_path)
        return [line.split(": use")[0] for line in result.stdout.splitlines() if "FLK601" in line]

    assert flk601() == [
        "Procfile:1:6: FLK601 `python manage.py runserver` starts Flask's development server "
        "(Flask-Script's `runserver` calls `app.run()`)"
    ]
    written = flask_fix("--no-cache", "--unsafe-fixes", "--select", "FLK803", ".", cwd=tmp_path)
    assert written.returncode in (0, 1), written.stderr
    assert (tmp_path / "Procfile").read_text() == "web: python manage.py run\n"
    assert "FlaskGroup(create_app=lambda: app)()" in (tmp_path / "manage.py").read_text()
    assert flk601() == [
        "Procfile:1:6: FLK601 `python manage.py run` starts Flask's development server "
        "(manage.py runs a `FlaskGroup`, whose `run` is `flask run`)"
    ]
