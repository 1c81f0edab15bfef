"""Acceptance of the application-factory rewrite (FLK201/FLK203) on samples/legacy_pkg, a
legacy *package* app: after `flask-fix --unsafe-fixes` its own tests pass, every request
replayed through the test client answers exactly as before, `flask routes` lists the same
URLs and methods, a second run changes nothing, and the `--diff` patch applies with git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "samples" / "legacy_pkg"
PYTHON = sys.executable
FLASK = str(Path(sys.executable).with_name("flask"))


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _copy(tmp_path: Path, name: str = "legacy_pkg") -> Path:
    copy = tmp_path / name
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return copy


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """(the original copy, the converted copy, the run that converted it)."""
    base = tmp_path_factory.mktemp("factory")
    original = _copy(base, "original")
    copy = _copy(base, "converted")
    run = flask_fix("--unsafe-fixes", ".", cwd=copy)
    return original, copy, run


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.pop("PYTHONPATH", None)
    return env


def _replay(folder: Path, make_app: str) -> list[dict]:
    script = textwrap.dedent(
        f"""
        import json, logging, sys
        sys.path.insert(0, '.')
        logging.disable(logging.CRITICAL)
        {make_app}
        from replay import replay
        json.dump(replay(app), sys.stdout)
        """
    )
    done = subprocess.run(
        [PYTHON, "-c", script], cwd=folder, capture_output=True, text=True, env=_clean_env()
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _routes(folder: Path) -> set[tuple[str, str]]:
    done = subprocess.run(
        [FLASK, "--app", "bookshelf", "routes"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=_clean_env(),
    )
    assert done.returncode == 0, done.stderr
    rows = set()
    for line in done.stdout.splitlines()[2:]:
        endpoint, rest = line.split(None, 1)
        methods, rule = rest.rsplit(None, 1) if "  " in rest else (rest, "")
        rows.add((methods.strip(), rule.strip()))
    return rows


def test_the_run_converts_the_package(converted):
    _, copy, run = converted
    assert run.returncode in (0, 1), run.stderr.decode()
    init = (copy / "bookshelf" / "__init__.py").read_text()
    assert "def create_app(config=None):" in init
    assert "app = Flask(__name__)" in init and not init.count("\napp = ")
    views = (copy / "bookshelf" / "views.py").read_text()
    assert "bp = Blueprint('views', __name__, cli_group=None)" in views
    assert "@bp.app_errorhandler(404)" in views and "from bookshelf import app" not in views
    assert "current_app.logger" in views
    assert "from bookshelf import create_app" in (copy / "wsgi.py").read_text()
    nav = (copy / "bookshelf" / "templates" / "nav.html").read_text()
    assert "url_for('views.index')" in nav and "request.endpoint == 'views.index'" in nav
    about = (copy / "bookshelf" / "templates" / "about.html").read_text()
    assert about == (SAMPLE / "bookshelf" / "templates" / "about.html").read_text()


def test_the_apps_own_tests_pass_after_the_rewrite(converted):
    _, copy, _ = converted
    tests = subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=copy,
        capture_output=True,
        env=_clean_env(),
    )
    assert tests.returncode == 0, tests.stdout.decode()[-3000:]


def test_every_request_answers_exactly_as_before(converted):
    original, copy, _ = converted
    before = _replay(original, "from bookshelf import app")
    after = _replay(copy, "from bookshelf import create_app; app = create_app()")
    assert len(before) == len(after) > 20
    for old, new in zip(before, after):
        assert old == new, (old["method"], old["path"])
    # the replay exercises pages, redirects, the error handler and the blueprint
    statuses = {(r["method"], r["path"], r["status"]) for r in before}
    assert {("GET", "/no/such/page", 404), ("POST", "/login", 302), ("GET", "/admin/", 200)} <= statuses


def test_flask_routes_lists_the_same_urls_and_methods(converted):
    original, copy, _ = converted
    before, after = _routes(original), _routes(copy)
    assert before == after
    assert ("GET, POST", "/login") in before and ("POST", "/admin/books") in before


def test_a_second_run_changes_nothing(converted):
    _, copy, _ = converted
    again = flask_fix("--unsafe-fixes", "--diff", ".", cwd=copy)
    assert again.stdout == b"", again.stdout.decode()


def test_the_diff_applies_with_git_and_equals_the_write(converted, tmp_path):
    _, copy, _ = converted
    fresh = _copy(tmp_path)
    diff = flask_fix("--unsafe-fixes", "--diff", ".", cwd=fresh)
    assert diff.returncode == 1, diff.stderr.decode()
    assert b"+++ b/bookshelf/templates/nav.html" in diff.stdout
    subprocess.run(["git", "init", "-q"], cwd=fresh, check=True)
    subprocess.run(["git", "apply", "-"], cwd=fresh, input=diff.stdout, check=True)
    for path in copy.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and ".pytest_cache" not in path.parts:
            assert (fresh / path.relative_to(copy)).read_bytes() == path.read_bytes(), path


def test_without_unsafe_fixes_it_only_reports(tmp_path):
    copy = _copy(tmp_path)
    check = flask_fix("--check", "--select", "FLK2", ".", cwd=copy)
    out = check.stdout.decode()
    assert "bookshelf/__init__.py:13:1: FLK201 module-level app `app`" in out
    assert "[fix: unsafe, use --unsafe-fixes]" in out
    assert "bookshelf/views.py:3:1: FLK203 imports the app object `bookshelf.app`" in out
    write = flask_fix("--select", "FLK201,FLK203", ".", cwd=copy)
    assert write.returncode == 1
    for path in SAMPLE.rglob("*.py"):
        assert (copy / path.relative_to(SAMPLE)).read_bytes() == path.read_bytes()
