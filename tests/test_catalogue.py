"""The whole catalogue on small projects of our own (tests/fixtures/catalogue/), through the
real command line: every rule of the registry fires at least once, `--check` reports exactly
the findings listed here, and writing (with and without --unsafe-fixes) produces exactly the
files under tests/expected/catalogue/, which parse and which a second run leaves alone.

The projects, each run on its own (FLK403 and the Flask pin are project-wide facts):

- notes: a module-level app with a views module importing it, a Procfile (FLK1xx, FLK201-203,
  FLK401, FLK402, FLK601; FLK105 in views.py); --unsafe-fixes turns it into an application factory;
- inventory: a package that already has a factory, pinned to Flask 2.0 (FLK204, FLK3xx,
  FLK4xx, FLK5xx, FLK601 in a Dockerfile, FLK7xx: the pin keeps FLK704 report-only); its
  restocking views (FLK505) add and only flush, with the look-alikes: a view whose helper
  in another module commits, a helper that adds and is no view, a local named `db`;
- guestbook: writes the session and flashes, with no secret key anywhere (FLK403);
- ledger: an app factory and two blueprints (FLK305, FLK602), with their look-alikes: a
  connection opened per request inside `get_db()`, one only a script's `__main__` block
  opens, a catch-all handler that logs, a 500 handler that only renders a template; its
  Procfile runs Gunicorn with static/ served by nothing else (FLK603), while inventory's
  Dockerfile.prod puts nginx in front of Gunicorn (FLK603's look-alike);
- accounts: `db = SQLAlchemy(app)` pinned to Flask-SQLAlchemy 2.4 and a test switching the
  database URI afterwards (FLK503); its tests use the db inside `app.app_context()`, so
  --unsafe-fixes converts it to a factory (FLK304 is in inventory's tests);
- legacy: helpers of a blog written for Werkzeug 0.15, Jinja2 2.11, Flask-SQLAlchemy 2.4,
  Flask-WTF 0.14, Flask-Login 0.4, Flask-JWT-Extended 3.25 and Flask-Caching 1.4 (its
  requirements' lower bounds), using what today's releases removed (FLK504,
  FLK709-FLK711, FLK801, FLK802, FLK804, FLK805): the bounds make the `pass_context`,
  `get_recorded_queries`, `@jwt_required(optional=True)` and `"SimpleCache"` rewrites
  unsafe (they need Jinja2 3.0, Flask-SQLAlchemy 3.0, Flask-JWT-Extended 4.0 and
  Flask-Caching 1.10: written only with --unsafe-fixes); its API blueprint is set up by
  the function that registers it (FLK712), and `lookalikes.py`
  (a local `Markup`, an `is_active()` method of another class) stays silent; its
  Flask-Script `manage.py` (a factory's Manager, an `@manager.option` command) and the
  `runserver` of its Procfile.dev go to Flask's CLI with --unsafe-fixes (FLK803);
- mailer: a factory with Flask-SQLAlchemy 3 and Celery set up as Flask's guide does: a
  view sends a loaded `User` to a task and puts it in `session` (FLK506), while its
  look-alike passes `user.id` to the task, which loads the user again.

Each holds look-alikes that must not be reported (an external redirect, a `request`
parameter, `debug=` from the environment, a thread that pushes its own app context, a
commit whose handler rolls back, names from markupsafe, a `run(debug=True)` that is not
Flask's, a test configuration with DEBUG, a literal key and an insecure cookie...): the exact finding lists prove them silent.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flask_fix.codemods import all_rules

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"
EXPECTED = Path(__file__).parent / "expected" / "catalogue"

#: (code, path, line) of every finding `--check` reports, per project, in report order
FINDINGS = {
    "notes": [
        ("FLK601", "Procfile", 1),
        ("FLK201", "app.py", 8),
        ("FLK402", "app.py", 9),
        ("FLK202", "app.py", 11),
        ("FLK103", "app.py", 26),
        ("FLK101", "app.py", 28),
        ("FLK104", "app.py", 33),
        ("FLK102", "app.py", 37),
        ("FLK401", "app.py", 59),
        ("FLK203", "views.py", 3),
        ("FLK102", "views.py", 13),
        ("FLK105", "views.py", 19),
    ],
    "inventory": [
        ("FLK601", "Dockerfile", 5),
        ("FLK204", "run.py", 5),
        ("FLK401", "run.py", 8),
        ("FLK601", "run.py", 8),
        ("FLK704", "stock/__init__.py", 14),
        ("FLK708", "stock/__init__.py", 15),
        ("FLK705", "stock/__init__.py", 22),
        ("FLK402", "stock/config.py", 5),
        ("FLK404", "stock/config.py", 7),
        ("FLK707", "stock/config.py", 8),
        ("FLK505", "stock/restock.py", 15),
        ("FLK301", "stock/settings.py", 5),
        ("FLK301", "stock/settings.py", 9),
        ("FLK302", "stock/settings.py", 12),
        ("FLK706", "stock/tasks.py", 3),
        ("FLK502", "stock/tasks.py", 9),
        ("FLK303", "stock/tasks.py", 23),
        ("FLK706", "stock/tasks.py", 27),
        ("FLK702", "stock/views.py", 3),
        ("FLK708", "stock/views.py", 3),
        ("FLK701", "stock/views.py", 4),
        ("FLK708", "stock/views.py", 6),
        ("FLK501", "stock/views.py", 31),
        ("FLK703", "stock/views.py", 51),
        ("FLK404", "stock/views.py", 62),
        ("FLK708", "stock/views.py", 67),
        ("FLK304", "tests/test_stock.py", 10),
    ],
    "guestbook": [
        ("FLK403", "guestbook.py", 15),
    ],
    "ledger": [
        ("FLK603", "Procfile", 2),
        ("FLK305", "entries.py", 10),
        ("FLK602", "ledger.py", 15),
    ],
    "accounts": [
        ("FLK201", "accounts.py", 6),
        ("FLK202", "accounts.py", 8),
        ("FLK203", "tests/test_accounts.py", 3),
        ("FLK503", "tests/test_accounts.py", 8),
    ],
    "legacy": [
        ("FLK803", "Procfile.dev", 1),
        ("FLK804", "blog/api.py", 9),
        ("FLK805", "blog/api.py", 13),
        ("FLK804", "blog/api.py", 17),
        ("FLK804", "blog/api.py", 23),
        ("FLK712", "blog/api.py", 29),
        ("FLK801", "blog/forms.py", 1),
        ("FLK801", "blog/forms.py", 2),
        ("FLK801", "blog/forms.py", 3),
        ("FLK801", "blog/forms.py", 7),
        ("FLK710", "blog/helpers.py", 3),
        ("FLK710", "blog/helpers.py", 3),
        ("FLK709", "blog/helpers.py", 4),
        ("FLK709", "blog/helpers.py", 5),
        ("FLK709", "blog/helpers.py", 6),
        # what FLK709's fix (werkzeug.url_quote -> werkzeug.urls.url_quote) leads to
        ("FLK708", "blog/helpers.py", 17),
        ("FLK709", "blog/helpers.py", 17),
        ("FLK802", "blog/helpers.py", 26),
        ("FLK504", "blog/models.py", 2),
        ("FLK711", "blog/models.py", 3),
        ("FLK504", "blog/models.py", 10),
        ("FLK802", "blog/models.py", 16),
        ("FLK504", "blog/models.py", 20),
        ("FLK806", "blog/tasks.py", 1),
        ("FLK802", "blog/templates/base.html", 2),
        ("FLK803", "manage.py", 10),
    ],
    "mailer": [
        ("FLK506", "mailer/views.py", 21),
        ("FLK506", "mailer/views.py", 22),
    ],
}
PROJECTS = sorted(FINDINGS)
#: the write modes and their extra arguments; tests/expected/catalogue/<mode>/<project>/
#: holds every file the mode changes, as it must be afterwards
MODES = {"default": (), "unsafe": ("--unsafe-fixes",)}


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def copy_project(name: str, tmp_path: Path) -> Path:
    """A copy outside this repository: its pyproject.toml and .git must not count as the
    project's configuration or root."""
    copy = tmp_path / name
    shutil.copytree(FIXTURES / name, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_every_rule_of_the_registry_has_a_finding_in_the_fixtures():
    reported = {code for findings in FINDINGS.values() for code, _, _ in findings}
    assert {rule.code for rule in all_rules()} <= reported


@pytest.mark.parametrize("project", PROJECTS)
def test_check_reports_exactly_the_listed_findings(project, tmp_path):
    copy = copy_project(project, tmp_path)
    before = tree(copy)
    result = flask_fix("--check", "--output-format", "json", ".", cwd=copy)
    assert result.returncode == 1, result.stderr.decode()
    document = json.loads(result.stdout)
    assert document["errors"] == []
    found = [(f["code"], f["path"], f["line"]) for f in document["findings"]]
    assert found == FINDINGS[project]
    assert tree(copy) == before  # --check writes nothing


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("project", PROJECTS)
def test_write_produces_exactly_the_expected_files(project, mode, tmp_path):
    copy = copy_project(project, tmp_path)
    result = flask_fix(*MODES[mode], ".", cwd=copy)
    # report-only findings remain in every project
    assert result.returncode == 1, result.stderr.decode()

    expected = tree(FIXTURES / project)
    expected.update(tree(EXPECTED / mode / project) if (EXPECTED / mode / project).exists() else {})
    written = tree(copy)
    assert sorted(written) == sorted(expected)
    for path, content in expected.items():
        assert written[path].decode() == content.decode(), path
    for path, content in written.items():
        if path.endswith(".py"):
            ast.parse(content, path)

    again = flask_fix("--diff", *MODES[mode], ".", cwd=copy)
    assert again.stdout == b"", again.stdout.decode()
    assert tree(copy) == written


def test_expected_files_are_all_rewrites_of_fixture_files():
    """Every golden file stands for a fixture file the write changes (none is stale)."""
    for mode in MODES:
        for project in PROJECTS:
            golden = EXPECTED / mode / project
            for path, content in (tree(golden) if golden.exists() else {}).items():
                original = FIXTURES / project / path
                assert original.is_file(), f"{mode}/{project}/{path}"
                assert original.read_bytes() != content, f"{mode}/{project}/{path}"
