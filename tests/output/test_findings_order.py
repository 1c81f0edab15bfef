"""Findings come in path order, then line and column, in every output: those of the
fix phase, of the project transforms (FLK201/FLK203 on files no worker fixes) and of the
text rules (FLK601) alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_fix import check_paths
from flask_fix.cli import main

BLOG = """\
import json

from app import app


@app.route("/posts")
def posts():
    return json.dumps([])
"""

#: (path, line, code), in the order every output lists them
ORDER = [
    ("app.py", 3, "FLK201"),  # the project transform's, on a file no rule fixes
    ("blog.py", 3, "FLK203"),  # the transform's, joined with the fix phase's below
    ("blog.py", 8, "FLK101"),
    ("run.sh", 1, "FLK601"),  # a text rule's, checked before the fix phase
    ("tasks.py", 1, "FLK203"),  # the transform's, on a file no rule fixes
    ("views.py", 3, "FLK203"),
    ("views.py", 8, "FLK101"),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (tmp_path / "blog.py").write_text(BLOG)
    (tmp_path / "run.sh").write_text("flask run --host=0.0.0.0\n")
    (tmp_path / "tasks.py").write_text("from app import app\n\n\ndef job():\n    return app.name\n")
    (tmp_path / "views.py").write_text(BLOG.replace("posts", "items"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["--check", "--no-cache", *args, "."])
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_findings_in_path_then_line_order(project: Path, jobs: str):
    findings = json.loads(_cli("-j", jobs, "--output-format", "json"))["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in findings] == ORDER


def test_text_findings_in_the_same_order(project: Path):
    lines = _cli("-j", "1").splitlines()
    where = [tuple(line.split(" ")[:2]) for line in lines]
    assert where == [(f"{path}:{line}:{1 if line != 8 else 12}:", code) for path, line, code in ORDER]


def test_github_annotations_in_the_same_order(project: Path):
    lines = _cli("-j", "1", "--output-format", "github").splitlines()
    assert [line.split(",")[0] for line in lines] == [f"::warning file={p}" for p, _, _ in ORDER]


def test_check_paths_in_the_same_order(project: Path):
    report = check_paths(["."], jobs=1)
    assert [(f.path, f.line, f.code) for f in report.findings] == ORDER


def test_a_cached_run_keeps_the_order(project: Path, tmp_path: Path):
    """Replayed whole, and with one file changed (its result fresh, the others cached)."""
    cache = ["--cache-dir", str(tmp_path / "cache")]
    for _ in range(2):
        findings = json.loads(_cli("-j", "1", "--output-format", "json", *cache))["findings"]
        assert [(f["path"], f["line"], f["code"]) for f in findings] == ORDER
    (project / "blog.py").write_text(BLOG.replace("[]", "[1]"))
    findings = json.loads(_cli("-j", "1", "--output-format", "json", *cache))["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in findings] == ORDER
