"""The command-line contract of DESIGN.md, run as a user would (a real subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LOADS_VIEW = textwrap.dedent(
    """\
    import json
    from flask import Flask, request

    app = Flask(__name__)


    @app.post("/items")
    def create_item():
        item = json.loads(request.data)
        return {"name": item["name"]}
    """
)
LOADS_FIXED = LOADS_VIEW.replace("import json\n", "").replace(
    "json.loads(request.data)", "request.get_json(force=True)"
)
LOADS_ONLY_REPORTED = textwrap.dedent(
    """\
    import json
    from flask import request


    def parse():
        return json.loads(request.data, parse_float=str)
    """
)


def flask_fix(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(LOADS_VIEW)
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_diff_applies_with_git_and_matches_the_write(project: Path):
    diff = flask_fix("--diff", ".", cwd=project)
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout.startswith(b"--- a/app.py\n+++ b/app.py\n")
    assert (project / "app.py").read_text() == LOADS_VIEW  # --diff writes nothing

    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        applied = subprocess.run(
            ["git", "apply", "--check", "-"], cwd=project, input=diff.stdout, capture_output=True
        )
        assert applied.returncode == 0, applied.stderr

    # (FLK201 would also report the module-level app: not what this test is about)
    write = flask_fix("--ignore", "FLK201", ".", cwd=project)
    assert write.returncode == 1
    assert (project / "app.py").read_text() == LOADS_FIXED
    assert b"fixed app.py (FLK104)" in write.stdout
    assert b"1 file fixed, 0 findings left" in write.stderr

    again = flask_fix("--diff", "--ignore", "FLK201", ".", cwd=project)
    assert (again.returncode, again.stdout) == (0, b"")


def test_check_lists_findings_and_writes_nothing(project: Path):
    (project / "report.py").write_text(LOADS_ONLY_REPORTED)
    result = flask_fix("--check", ".", cwd=project)
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "app.py:9:12: FLK104 " in out and "[fix: intended]" in out
    assert "report.py:6:12: FLK104 " in out
    assert "+++ b/" not in out  # the patch is --diff's job
    assert (project / "app.py").read_text() == LOADS_VIEW


def test_diff_exits_1_only_when_it_prints_a_patch(tmp_path: Path):
    """As ruff's --diff: a finding no fix covers is listed, but only a patch makes it 1."""
    (tmp_path / "report.py").write_text(LOADS_ONLY_REPORTED)
    diff = flask_fix("--diff", ".", cwd=tmp_path)
    assert (diff.returncode, diff.stdout) == (0, b"")
    assert b"report.py:6:12: FLK104 " in diff.stderr
    assert flask_fix("--check", ".", cwd=tmp_path).returncode == 1
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    assert flask_fix("--diff", ".", cwd=tmp_path).returncode == 2
    (tmp_path / "app.py").write_text(LOADS_VIEW)
    both = flask_fix("--diff", "--ignore", "FLK201", ".", cwd=tmp_path)
    assert both.returncode == 3 and both.stdout.startswith(b"--- a/app.py\n")


def test_syntax_error_among_good_files(project: Path):
    (project / "broken.py").write_text("def f(:\n    pass\n")
    (project / "legacy.py").write_text('print "hello"\n')
    result = flask_fix(".", cwd=project)
    assert result.returncode == 3  # changes made (1) and errors (2)
    assert (project / "app.py").read_text() == LOADS_FIXED
    err = result.stderr.decode()
    assert "broken.py:1: syntax-error:" in err
    assert "legacy.py:1: syntax-error:" in err and "(Python 2 code?)" in err
    assert "2 files skipped: syntax error" in err


def test_only_bad_files_exit_2(tmp_path: Path):
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02garbage")
    result = flask_fix(".", "missing.py", cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "broken.py:1: syntax-error" in err
    assert "binary.py: decode-error" in err
    assert "missing.py" in err


def test_stdin_to_stdout(tmp_path: Path):
    result = flask_fix("-", cwd=tmp_path, stdin=LOADS_VIEW.encode())
    assert result.returncode == 1
    assert result.stdout.decode() == LOADS_FIXED


def test_select_and_ignore(project: Path):
    ignored = flask_fix("--check", "--ignore", "FLK104,FLK201", ".", cwd=project)
    assert (ignored.returncode, ignored.stdout) == (0, b"")
    selected = flask_fix("--check", "--select", "FLK1", ".", cwd=project)
    assert selected.returncode == 1 and b"FLK104" in selected.stdout
    unknown = flask_fix("--check", "--select", "FLK999", ".", cwd=project)
    assert unknown.returncode == 2
    assert b"unknown rule code or prefix: FLK999" in unknown.stderr


def test_json_output_contract(project: Path):
    (project / "broken.py").write_text("def f(:\n")
    result = flask_fix("--check", "--ignore", "FLK201", "--output-format", "json", ".", cwd=project)
    assert result.returncode == 3
    document = json.loads(result.stdout)
    assert set(document) == {"version", "files_checked", "findings", "errors"}
    assert document["files_checked"] == 3
    [finding] = document["findings"]
    assert finding == {
        "code": "FLK104",
        "name": "json-loads-request",
        "message": finding["message"],
        "path": "app.py",
        "line": 9,
        "column": 12,
        "end_line": 9,
        "end_column": 36,
        "fix_level": "intended",
        "fix": {
            "edits": [
                {"line": 1, "column": 1, "end_line": 2, "end_column": 1, "content": ""},
                {
                    "line": 9,
                    "column": 12,
                    "end_line": 9,
                    "end_column": 35,
                    # the ")" both sides end with is left out of the edit
                    "content": "request.get_json(force=True",
                },
            ]
        },
    }
    [error] = document["errors"]
    assert error == {
        "path": "broken.py",
        "kind": "syntax-error",
        "message": error["message"],
        "line": 1,
    }


def test_list_rules_and_explain(tmp_path: Path):
    listing = flask_fix("--list-rules", cwd=tmp_path)
    assert listing.returncode == 0
    assert b"FLK104  json-loads-request" in listing.stdout
    explain = flask_fix("--explain", "flk104", cwd=tmp_path)
    assert explain.returncode == 0
    for section in (b"What it does:", b"Why is this bad?:", b"Fix safety:"):
        assert section in explain.stdout
    assert flask_fix("--explain", "FLK000", cwd=tmp_path).returncode == 2


def test_encoding_line_endings_and_mode_are_kept(tmp_path: Path):
    crlf = LOADS_VIEW.replace("\n", "\r\n").encode()
    (tmp_path / "crlf.py").write_bytes(crlf)
    latin = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + LOADS_VIEW).encode("latin-1")
    (tmp_path / "latin.py").write_bytes(latin)
    os.chmod(tmp_path / "latin.py", 0o755)
    result = flask_fix(".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "crlf.py").read_bytes() == LOADS_FIXED.replace("\n", "\r\n").encode()
    assert (tmp_path / "latin.py").read_bytes() == (
        "# -*- coding: latin-1 -*-\n# caf\xe9\n" + LOADS_FIXED
    ).encode("latin-1")
    assert (tmp_path / "latin.py").stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crlf.py", "latin.py"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="needs syntax newer than the interpreter")
def test_code_newer_than_the_interpreter_is_still_fixed(tmp_path: Path):
    # PEP 701 (Python 3.12) f-string: `ast` on 3.11 rejects it, LibCST parses it
    newer = LOADS_VIEW + "\nlabel = f'{', '.join(['a', 'b'])}'\n"
    (tmp_path / "newer.py").write_text(newer)
    result = flask_fix(".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "newer.py").read_text() == (
        LOADS_FIXED + "\nlabel = f'{', '.join(['a', 'b'])}'\n"
    )
