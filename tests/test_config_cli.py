"""Configuration and suppression through the real command (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

VIEW = textwrap.dedent(
    """\
    import json
    from flask import Flask

    app = Flask(__name__)


    @app.route("/a")
    def a():
        return json.dumps({"a": 1})
    """
)
VIEW_FIXED = (
    VIEW.replace("import json\n", "")
    .replace("from flask import Flask\n", "from flask import Flask, jsonify\n")
    .replace("json.dumps(", "jsonify(")
)
FLK101 = (
    "FLK101 return `jsonify(...)` instead of `json.dumps(...)`: the response's Content-Type "
    "becomes application/json [fix: intended]"
)
# FLK103 rewrites this only as unsafe (no default: a missing value gives None)
CAST = "from flask import request\n\n\ndef view():\n    return int(request.args.get('a'))\n"
CAST_FIXED = CAST.replace("int(request.args.get('a'))", "request.args.get('a', type=int)")


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "app" / "views.py", VIEW)
    write(tmp_path / "tests" / "test_views.py", VIEW)
    return tmp_path


def test_per_file_ignores_stop_both_the_finding_and_the_fix(project: Path):
    write(
        project / "pyproject.toml", '[tool.flask-fix]\nper-file-ignores = {"tests/*" = ["FLK1"]}\n'
    )
    check = flask_fix("--check", "--select", "FLK101", ".", cwd=project)
    assert (check.returncode, check.stdout) == (1, f"app/views.py:9:12: {FLK101}\n")

    write_run = flask_fix("--select", "FLK101", ".", cwd=project)
    assert write_run.returncode == 1, write_run.stderr
    assert write_run.stdout == "fixed app/views.py (FLK101)\n"
    assert (project / "app" / "views.py").read_text() == VIEW_FIXED
    assert (project / "tests" / "test_views.py").read_text() == VIEW


def test_run_from_a_subfolder_finds_the_configuration_above(project: Path):
    write(
        project / "pyproject.toml",
        "[tool.flask-fix]\n"
        'select = ["FLK101"]\n'
        'per-file-ignores = {"app/views.py" = ["FLK101"]}\n'
        'exclude = ["app/generated.py"]\n',
    )
    write(project / "app" / "other.py", VIEW)
    write(project / "app" / "generated.py", VIEW)
    # globs are relative to the configuration's folder, not to the current one
    result = flask_fix("--check", ".", cwd=project / "app")
    assert result.returncode == 1, result.stderr
    assert result.stdout == f"other.py:9:12: {FLK101}\n"
    top = flask_fix("--check", ".", cwd=project)
    assert top.stdout == f"app/other.py:9:12: {FLK101}\ntests/test_views.py:9:12: {FLK101}\n"


def test_explicit_config_file_replaces_discovery(project: Path):
    write(project / "pyproject.toml", '[tool.flask-fix]\nselect = ["FLK1"]\nignore = ["FLK101"]\n')
    write(project / "ci" / "flask-fix.toml", 'select = ["FLK101"]\n')
    found = flask_fix("--check", ".", cwd=project)
    assert (found.returncode, found.stdout) == (0, "")
    explicit = flask_fix("--check", "--config", "ci/flask-fix.toml", ".", cwd=project)
    assert explicit.stdout == f"app/views.py:9:12: {FLK101}\ntests/test_views.py:9:12: {FLK101}\n"


def test_the_command_line_overrides_the_file(tmp_path: Path):
    write(tmp_path / "app.py", VIEW)
    write(tmp_path / "cast.py", CAST)
    write(
        tmp_path / "pyproject.toml",
        '[tool.flask-fix]\nselect = ["FLK1"]\nignore = ["FLK101"]\nunsafe-fixes = true\n',
    )
    # --select replaces the file's selection, its ignore included
    selected = flask_fix("--check", "--select", "FLK101", ".", cwd=tmp_path)
    assert selected.stdout == f"app.py:9:12: {FLK101}\n"
    # --ignore adds to the file's ignore
    ignored = flask_fix("--check", "--ignore", "FLK103", ".", cwd=tmp_path)
    assert (ignored.returncode, ignored.stdout) == (0, "")
    # the file turns unsafe fixes on; --no-unsafe-fixes turns them off again
    off = flask_fix("--diff", "--select", "FLK103", "--no-unsafe-fixes", ".", cwd=tmp_path)
    assert (off.returncode, off.stdout) == (0, "")  # --diff: no patch, exit 0
    assert "[fix: unsafe, use --unsafe-fixes]" in off.stderr
    on = flask_fix("--select", "FLK103", ".", cwd=tmp_path)
    assert on.stdout == "fixed cast.py (FLK103)\n"
    assert (tmp_path / "cast.py").read_text() == CAST_FIXED


@pytest.mark.parametrize(
    "table, message",
    [
        (
            'selct = ["FLK1"]',
            "selct: unknown key (known keys: select, ignore, unsafe-fixes, exclude, "
            "extend-exclude, per-file-ignores, target-flask-version)",
        ),
        ("unsafe-fixes = 1", "unsafe-fixes: expected true or false, got an integer"),
        ('ignore = ["FLK1", "FLK000"]', "ignore: unknown rule code or prefix: FLK000"),
    ],
)
def test_configuration_errors_exit_2_with_one_line(project: Path, table: str, message: str):
    write(project / "pyproject.toml", f"[tool.flask-fix]\n{table}\n")
    result = flask_fix("--check", ".", cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"flask-fix: error: pyproject.toml: [tool.flask-fix] {message}\n"


def test_a_missing_explicit_config_file_exits_2(project: Path):
    result = flask_fix("--config", "nope.toml", ".", cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "flask-fix: error: nope.toml: cannot read: No such file or directory\n"
    assert (project / "app" / "views.py").read_text() == VIEW


SUPPRESSED = textwrap.dedent(
    """\
    import json
    from flask import Flask

    app = Flask(__name__)


    @app.route("/a")
    def a():
        return json.dumps({"a": 1})  # noqa: E501, FLK101


    @app.route("/b")
    def b():
        return json.dumps({"b": 2})
    """
)


def test_a_suppressed_fix_is_not_applied_while_its_sibling_is(tmp_path: Path):
    write(tmp_path / "views.py", SUPPRESSED)
    check = flask_fix("--check", "--select", "FLK101", ".", cwd=tmp_path)
    assert check.stdout == f"views.py:14:12: {FLK101}\n"
    diff = flask_fix("--diff", "--select", "FLK101", ".", cwd=tmp_path)
    assert diff.stdout == (
        "--- a/views.py\n"
        "+++ b/views.py\n"
        "@@ -1,5 +1,5 @@\n"
        " import json\n"
        "-from flask import Flask\n"
        "+from flask import Flask, jsonify\n"
        " \n"
        " app = Flask(__name__)\n"
        " \n"
        "@@ -11,4 +11,4 @@ def a():\n"
        " \n"
        ' @app.route("/b")\n'
        " def b():\n"
        '-    return json.dumps({"b": 2})\n'
        '+    return jsonify({"b": 2})\n'
    )


def test_skip_file_files_are_neither_reported_nor_fixed_but_stay_indexed(tmp_path: Path):
    write(tmp_path / "views.py", "# flask-fix: skip-file\n" + VIEW)
    # its route still counts: FLK102 turns the redirect to /a into url_for("a")
    write(
        tmp_path / "go.py",
        "from flask import redirect\n\n\ndef go():\n    return redirect('/a')\n",
    )
    result = flask_fix("--select", "FLK1", ".", cwd=tmp_path)
    assert result.stdout == "fixed go.py (FLK102)\n", result.stderr
    assert (tmp_path / "views.py").read_text() == "# flask-fix: skip-file\n" + VIEW
    assert (tmp_path / "go.py").read_text() == (
        "from flask import redirect, url_for\n\n\ndef go():\n    return redirect(url_for('a'))\n"
    )


def test_suppression_comments_apply_to_standard_input(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "flask_fix", "--select", "FLK101", "-"],
        cwd=tmp_path,
        input=SUPPRESSED,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == SUPPRESSED.replace(
        "from flask import Flask\n", "from flask import Flask, jsonify\n"
    ).replace('json.dumps({"b": 2})', 'jsonify({"b": 2})')
