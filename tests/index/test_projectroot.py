"""Files named one by one (pre-commit) are fixed with the whole project's index, and
the pre-commit hooks run flask-fix the way pre-commit does."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from flask_fix.index.projectroot import project_root
from flask_fix.run.selection import index_only_files
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run

ROOT = Path(__file__).parents[2]

APP = textwrap.dedent(
    """\
    from flask import Flask

    app = Flask(__name__)


    @app.route("/login")
    def login():
        return "form"
    """
)
VIEWS = textwrap.dedent(
    """\
    from flask import redirect

    from app import app


    @app.route("/logout")
    def logout():
        return redirect("/login")
    """
)
VIEWS_FIXED = VIEWS.replace("import redirect\n", "import redirect, url_for\n").replace(
    'redirect("/login")', 'redirect(url_for("login"))'
)
VIEWS_DIFF = """\
--- a/views.py
+++ b/views.py
@@ -1,8 +1,8 @@
-from flask import redirect
+from flask import redirect, url_for
 
 from app import app
 
 
 @app.route("/logout")
 def logout():
-    return redirect("/login")
+    return redirect(url_for("login"))
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A project whose route is defined in app.py and redirected to from views.py."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "views.py").write_text(VIEWS)
    return tmp_path


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # only the rule the fixtures are about: other rules must not change these exact outputs
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", "--select", "FLK102", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_project_root_is_the_nearest_marked_folder(tmp_path: Path):
    outer = tmp_path / "outer"
    (outer / "pkg" / "sub").mkdir(parents=True)
    (outer / "setup.cfg").write_text("")
    module = outer / "pkg" / "sub" / "m.py"
    module.write_text("")
    assert project_root(str(module)) == str(outer)
    (outer / "pkg" / ".git").mkdir()  # a nested repository is its own project
    assert project_root(str(module)) == str(outer / "pkg")
    (outer / "pkg" / "sub" / "pyproject.toml").write_text("")
    assert project_root(str(module)) == str(outer / "pkg" / "sub")


def test_index_only_files_are_the_rest_of_the_project(shop: Path, monkeypatch):
    monkeypatch.chdir(shop)
    (shop / "pkg").mkdir()
    (shop / "pkg" / "models.py").write_text("")
    (shop / "node_modules").mkdir()
    (shop / "node_modules" / "skipped.py").write_text("")
    assert index_only_files(["views.py"], ["views.py"]) == ["app.py", "pkg/models.py"]
    assert index_only_files(["./views.py"], ["views.py"], exclude=["pkg/"]) == ["app.py"]
    # folders are walked as they are: no extra files
    assert index_only_files(["."], ["app.py", "pkg/models.py", "views.py"]) == []
    # a named file that discovery dropped (excluded) brings no project in
    assert index_only_files(["views.py"], []) == []


def test_run_indexes_the_extra_files_but_reports_only_the_given_ones(shop: Path, monkeypatch):
    monkeypatch.chdir(shop)
    (shop / "broken.py").write_text("def f(:\n")
    settings = Settings(select=("FLK102",), mode=Mode.DIFF)
    [result] = run(["views.py"], settings, index_files=["app.py", "broken.py", "views.py"])
    assert result.path == "views.py" and result.error is None
    assert result.diff.decode() == VIEWS_DIFF
    # without the rest of the project, the route is unknown: reported, not rewritten
    [alone] = run(["views.py"], settings)
    assert alone.diff is None and [f.code for f in alone.findings] == ["FLK102"]


def test_a_named_file_is_fixed_with_the_whole_project_index(shop: Path):
    (shop / "broken.py").write_text("def f(:\n")  # not named: not reported
    result = flask_fix("--diff", "views.py", cwd=shop)
    assert result.returncode == 1, result.stderr
    assert result.stdout.decode() == VIEWS_DIFF
    err = result.stderr.decode()
    assert err.startswith('views.py:8:12: FLK102 redirect to `url_for("login")`')
    assert err.endswith("\n1 file would be changed, 1 finding found\n")  # broken.py: silent
    # from a sub-folder, with the file named by a relative path
    (shop / "sub").mkdir()
    nested = flask_fix("--diff", "../views.py", cwd=shop / "sub")
    assert nested.returncode == 1, nested.stderr
    # a path outside the current folder is shown absolute
    absolute = str(shop / "views.py")
    assert nested.stdout.decode() == VIEWS_DIFF.replace("/views.py", "/" + absolute)
    assert (shop / "views.py").read_text() == VIEWS


def test_outside_a_project_only_the_named_files_are_indexed(tmp_path: Path):
    if project_root(str(tmp_path / "views.py")) is not None:
        pytest.skip("the temporary folder lies inside a project")
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "views.py").write_text(VIEWS)
    result = flask_fix("--diff", "views.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, b"")  # only reported: no patch
    assert b"views.py:8:12: FLK102 no route of the project serves GET /login" in result.stderr


# -- pre-commit ------------------------------------------------------------------------


def hooks() -> dict[str, dict]:
    with open(ROOT / ".pre-commit-hooks.yaml", encoding="utf-8") as file:
        return {hook["id"]: hook for hook in yaml.safe_load(file)}


def test_the_hooks_are_declared_as_pre_commit_expects():
    declared = hooks()
    assert sorted(declared) == ["flask-fix", "flask-fix-check"]
    for hook in declared.values():
        assert hook["language"] == "python" and hook["types"] == ["python"]
        assert hook["require_serial"] is True
        assert shlex.split(hook["entry"])[0] == "flask-fix"  # the console script
    assert declared["flask-fix"]["entry"] == "flask-fix"
    assert declared["flask-fix-check"]["entry"] == "flask-fix --check"


def run_hook(hook_id: str, files: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """As pre-commit runs a hook: its entry, its args, then the staged files."""
    hook = hooks()[hook_id]
    command = shlex.split(hook["entry"])[1:] + hook.get("args", []) + files
    return flask_fix(*command, cwd=cwd)


def test_the_check_hook_fails_and_writes_nothing(shop: Path):
    result = run_hook("flask-fix-check", ["views.py"], shop)
    assert result.returncode == 1
    assert result.stdout.decode().startswith('views.py:8:12: FLK102 redirect to `url_for("login")`')
    assert (shop / "views.py").read_text() == VIEWS


def test_the_fix_hook_rewrites_the_staged_file_only(shop: Path):
    result = run_hook("flask-fix", ["views.py"], shop)
    assert result.returncode == 1  # files changed: pre-commit shows the hook as failed
    assert result.stdout.decode() == "fixed views.py (FLK102)\n"
    assert (shop / "views.py").read_text() == VIEWS_FIXED
    assert (shop / "app.py").read_text() == APP
    again = run_hook("flask-fix", ["views.py"], shop)
    assert (again.returncode, again.stdout) == (0, b"")


def test_the_readme_ci_snippets_parse_and_name_real_hooks_and_formats():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use in CI")[1].split("\n## ")[0]
    blocks = [yaml.safe_load(b.split("```")[0]) for b in section.split("```yaml\n")[1:]]
    assert len(blocks) == 5
    scanning, review, remote, local, sharded = blocks
    sharded_job = sharded["jobs"]["flask-fix"]
    assert sharded_job["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    assert "--shard ${{ matrix.shard }}/4" in sharded_job["steps"][-1]["run"]
    scanning_runs = [step.get("run", "") for step in scanning["jobs"]["flask-fix"]["steps"]]
    assert "flask-fix --check --output-format sarif . > flask-fix.sarif || [ $? -eq 1 ]" in (
        scanning_runs
    )
    assert "flask-fix --check --output-format github ." in scanning_runs
    assert any(
        "output-format rdjson" in step.get("run", "") for step in review["jobs"]["review"]["steps"]
    )
    [remote_repo] = remote["repos"]
    assert [hook["id"] for hook in remote_repo["hooks"]] == ["flask-fix"]
    assert set(remote_repo["hooks"][0]) == {"id"}
    [local_hook] = local["repos"][0]["hooks"]
    declared = hooks()["flask-fix"]
    for key in ("id", "name", "entry", "types", "require_serial"):
        assert local_hook[key] == declared[key]
