"""Issue 12 on samples/legacy_blog: one `flask-fix --unsafe-fixes` run, then the sample's
own suite on today's releases (the ones `pip install -e '.[test]'` installs: Flask 3,
Flask-SQLAlchemy 3, Flask-WTF 1, WTForms 3, Flask-Login 0.6).

The suite runs in a subprocess with this interpreter, in a copy under tmp_path. One run
makes every test pass and the suite never writes the app's database file: FLK201 builds
the factory, FLK503 moves the test's `SQLALCHEMY_DATABASE_URI` into
`create_app(config={...})`. With manage.py too: FLK803 makes it a FlaskGroup script whose
`migrate.init_app(app, db)` sets the app up at import time; no module imports manage.py,
so FLK201 makes it build its own app (`app = create_app()`) for that setup, and FLK204
stays as a report there. Without manage.py the result is the same.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BLOG = ROOT / "samples" / "legacy_blog"
TESTS = (
    "test_disabled_account_cannot_log_in", "test_form_requires_a_title",
    "test_index_pages_by_twenty", "test_login_and_menu", "test_only_the_author_deletes",
    "test_reset_token", "test_uses_the_test_database", "test_write_with_attachment",
    "test_writing_needs_a_login", "test_wrong_password",
)  # fmt: skip

for module in ("flask_login", "flask_wtf", "wtforms", "flask_sqlalchemy"):
    pytest.importorskip(module, reason="the test extra installs today's releases")


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def suite(copy: Path, collected: bool = True) -> dict[str, str]:
    """Each test of the sample's suite -> 'passed' / 'failed', run here in a subprocess
    (`collected` False: the output when the suite does not even import)."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-W", "ignore",
         "tests"],
        cwd=copy, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SECRET_KEY")},
    )  # fmt: skip
    outcome = {}
    for line in run.stdout.splitlines():
        found = re.match(r"(PASSED|FAILED|ERROR) \S+::BlogTestCase::(\w+)", line)
        if found:
            outcome[found[2]] = found[1].lower()
    if not collected:
        return {"output": run.stdout + run.stderr}
    assert outcome, run.stdout + run.stderr
    return outcome


def _fixed(tmp_path_factory, *without: str) -> tuple[Path, subprocess.CompletedProcess]:
    copy = tmp_path_factory.mktemp("today") / "legacy_blog"
    shutil.copytree(BLOG, copy, ignore=shutil.ignore_patterns("__pycache__", "*.db", *without))
    return copy, flask_fix("--unsafe-fixes", ".", cwd=copy)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    return _fixed(tmp_path_factory)


@pytest.fixture(scope="module")
def fixed_without_manage(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    return _fixed(tmp_path_factory, "manage.py")


def test_the_unfixed_sample_fails_on_todays_releases(tmp_path):
    copy = tmp_path / "legacy_blog"
    shutil.copytree(BLOG, copy, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    output = suite(copy, collected=False)["output"]
    # before the run, the suite does not import: notebook.py's first removed API stops it
    assert "cannot import name 'Markup' from 'jinja2'" in output
    assert "1 error" in output


def test_one_run_migrates_and_a_second_changes_nothing(fixed):
    copy, run = fixed
    assert run.returncode == 1, run.stderr  # report-only findings are left (FLK204, FLK402)
    assert "Traceback" not in run.stderr
    # past the pins (Flask-Login==0.2.11): unsafe fixes naming the requirement to raise
    notebook = (copy / "notebook.py").read_text()
    assert "    @property\n    def is_active(self):" in notebook
    assert "if current_user.is_authenticated:" in notebook
    for template in ("base.html", "post.html"):
        text = (copy / "templates" / template).read_text()
        assert "is_authenticated()" not in text and "current_user.is_authenticated" in text
    assert re.search(r"^fixed templates/base.html \(.*FLK802", run.stdout, re.M)
    again = flask_fix("--unsafe-fixes", "--diff", ".", cwd=copy)
    assert "--- a/" not in again.stdout
    assert "0 files would be changed" in again.stderr + again.stdout


def test_manage_py_builds_its_own_app_for_its_setup(fixed):
    copy, run = fixed
    manage = (copy / "manage.py").read_text()
    assert "from notebook import Post, User, create_app, db\n\napp = create_app()\n\n" in manage
    assert "migrate = Migrate()\nmigrate.init_app(app, db)\n" in manage
    assert "    FlaskGroup(create_app=lambda: app)()\n" in manage
    ast.parse(manage)
    assert "def create_app(config=None):" in (copy / "notebook.py").read_text()
    assert re.search(r"^fixed notebook.py \(FLK201,", run.stdout, re.M)
    assert not re.search(r": FLK201 ", run.stdout)  # no refusal reported
    assert re.search(r"manage.py:\d+:\d+: FLK204 `migrate.init_app\(app\)` runs at import time on the app this module builds", run.stdout)


def test_todays_releases_pass_every_test_on_the_test_database(fixed):
    copy, _ = fixed
    outcome = suite(copy)
    assert outcome == {test: "passed" for test in TESTS}
    tests = (copy / "tests" / "test_blog.py").read_text()
    assert "app = create_app(config={\"SQLALCHEMY_DATABASE_URI\": 'sqlite://'})" in tests
    # test_uses_the_test_database passed: the suite ran on sqlite://, never on blog.db
    assert not (copy / "blog.db").exists()


def test_without_flask_script_one_run_passes_every_test(fixed_without_manage):
    copy, run = fixed_without_manage
    assert "Traceback" not in run.stderr
    tests = (copy / "tests" / "test_blog.py").read_text()
    assert "app = create_app(config={\"SQLALCHEMY_DATABASE_URI\": 'sqlite://'})" in tests
    assert "app.config['SQLALCHEMY_DATABASE_URI']" not in tests
    again = flask_fix("--unsafe-fixes", "--diff", ".", cwd=copy)
    assert "--- a/" not in again.stdout
    assert "0 files would be changed" in again.stderr + again.stdout
    outcome = suite(copy)
    assert outcome == {test: "passed" for test in TESTS}
    # test_uses_the_test_database passed: the suite ran on sqlite://, never on blog.db
    assert not (copy / "blog.db").exists()
