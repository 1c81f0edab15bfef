"""Bad input never crashes a run or corrupts a file: each gets one clear line naming the
file, the exit code of the contract, and every other file is still processed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

GOOD = (
    "import json\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.post("/items")\ndef create_item():\n    item = json.loads(request.data)\n'
    '    return {"name": item["name"]}\n'
)
GOOD_FIXED = GOOD.replace("import json\n", "").replace(
    "json.loads(request.data)", "request.get_json(force=True)"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# name, content, the kind of error it must give (None: processed normally), line
BAD_FILES = [
    ("syntax.py", b"def f(:\n    pass\n", "syntax-error", 1),
    ("python2.py", b"import os\nprint 'hello'\n", "syntax-error", 2),
    ("template.py", b"from {{ cookiecutter.package }} import app\n", "syntax-error", 1),
    ("binary.py", b"\x7fELF\x02\x01\x01\x00\x00\x00garbage", "decode-error", None),
    ("undecodable.py", b"x = '\xff\xfe'\n", "decode-error", 1),
    ("bad_cookie.py", b"# -*- coding: no-such-codec -*-\nx = 1\n", "decode-error", None),
    # Python's parser gives up on these with MemoryError and RecursionError
    ("deep_minus.py", b"x = " + b"-" * 100_000 + b"1\n", "syntax-error", None),
    ("deep_attribute.py", b"x = " + b"a." * 100_000 + b"b\n", "syntax-error", None),
    ("deep_brackets.py", b"x = " + b"(" * 100_000 + b"1" + b")" * 100_000, "syntax-error", 1),
    ("deep_for_the_index.py", b"x = " + b"-" * 1000 + b"1\n", "syntax-error", None),
]


@pytest.mark.parametrize(("name", "content", "kind", "line"), BAD_FILES)
def test_a_bad_file_among_good_ones(tmp_path: Path, name, content, kind, line):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / name).write_bytes(content)
    result = run(".", cwd=tmp_path)
    assert result.returncode == 3  # a change was made (1) and a file failed (2)
    where = f"{name}:{line}" if line else name
    errors = [l for l in result.stderr.decode().splitlines() if l.startswith(f"{where}: {kind}:")]
    assert len(errors) == 1, result.stderr.decode()
    assert (tmp_path / "good.py").read_text() == GOOD_FIXED
    assert (tmp_path / name).read_bytes() == content


def test_python2_is_named_as_such(tmp_path: Path):
    (tmp_path / "old.py").write_bytes(b"print 'hello'\n")
    result = run(".", cwd=tmp_path)
    assert result.returncode == 2
    assert b"(Python 2 code?)" in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.py", b""),
        ("bom.py", b"\xef\xbb\xbf" + GOOD.encode()),
        ("crlf.py", GOOD.replace("\n", "\r\n").encode()),
        ("tabs.py", GOOD.replace("    ", "\t").encode()),
        ("latin1.py", b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + GOOD.encode()),
    ],
)
def test_odd_but_valid_files_keep_their_bytes(tmp_path: Path, name, content):
    (tmp_path / name).write_bytes(content)
    result = run(".", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr.decode()
    new = (tmp_path / name).read_bytes()
    if not content:
        assert new == b""
        return
    # the fix happened, and everything else (BOM, line endings, tabs, encoding) stayed
    assert b"request.get_json(force=True)" in new
    expected = content.replace(b"import json\r\n", b"").replace(b"import json\n", b"")
    expected = expected.replace(b"json.loads(request.data)", b"request.get_json(force=True)")
    assert new == expected


def test_missing_and_unreadable_paths(tmp_path: Path):
    (tmp_path / "good.py").write_text(GOOD)
    os.symlink(tmp_path / "nowhere.py", tmp_path / "dangling.py")
    result = run("good.py", "missing.py", "dangling.py", cwd=tmp_path)
    assert result.returncode == 3
    err = result.stderr.decode()
    assert "missing.py: read-error:" in err
    assert "dangling.py: read-error:" in err
    assert (tmp_path / "good.py").read_text() == GOOD_FIXED


def test_a_symlink_loop_is_not_followed(tmp_path: Path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text(GOOD)
    os.symlink(tmp_path, tmp_path / "pkg" / "loop")
    result = run(".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    assert (tmp_path / "pkg" / "good.py").read_text() == GOOD_FIXED


def test_a_large_generated_file(tmp_path: Path):
    lines = "".join(f"CONSTANT_{i} = {i}\n" for i in range(120_000))  # about 2.5 MB
    (tmp_path / "generated.py").write_text(lines)
    (tmp_path / "good.py").write_text(GOOD)
    result = run(".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    assert (tmp_path / "generated.py").read_text() == lines
    assert (tmp_path / "good.py").read_text() == GOOD_FIXED


def run_stdin(source: bytes, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", "-"],
        cwd=cwd,
        input=source,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_stdin_reads_code_as_a_file_is_read(tmp_path: Path):
    """Code of a newer Python (a PEP 701 f-string, which 3.11's ast rejects) is fixed as
    a file would be; code nested too deeply and Python 2 code get the files' messages."""
    newer = GOOD + 'label = f"{GOOD["name"]}"\n'
    result = run_stdin(newer.encode(), tmp_path)
    assert (result.returncode, result.stdout.decode()) == (
        1,
        GOOD_FIXED + 'label = f"{GOOD["name"]}"\n',
    ), result.stderr.decode()
    deep = b"x = " + b"-" * 100_000 + b"1\n"
    result = run_stdin(deep, tmp_path)
    assert result.returncode == 2
    assert result.stdout == deep
    assert result.stderr.decode().splitlines() == ["-: syntax-error: too deeply nested to parse"]
    result = run_stdin(b"print 'hello'\n", tmp_path)
    assert result.returncode == 2
    assert "-:1: syntax-error:" in result.stderr.decode()
    assert "(Python 2 code?)" in result.stderr.decode()
