"""Unified diffs as `git diff` writes them: hunks as small as git's, placed where git
places them, the enclosing line after each hunk header, and `git apply` accepts them."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from flask_fix.output.textdiff import line_changes, split_lines, unified_diff

HAS_GIT = shutil.which("git") is not None
# git without the user's or the system's configuration (diff.algorithm, colours...)
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

# a module of 217 lines, where blank lines are frequent: difflib's "junk" heuristic
# (files over 200 lines) took them for lines that never match
HELPERS = "".join(f"def helper_{i}():\n    return {i}\n\n\n" for i in range(50))
OLD = (
    "import json\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    + HELPERS
    + '@app.post("/items")\ndef create_item():\n    item = json.loads(request.data)\n\n'
    + '    return json.dumps(item)\n'
)
NEW = OLD.replace("json.loads(request.data)", "request.get_json(force=True)").replace(
    "json.dumps(item)", "jsonify(item)"
)


def test_a_blank_line_between_two_changes_stays_unchanged_in_a_long_file():
    assert len(split_lines(OLD)) > 200
    # what difflib.unified_diff gave: the blank line removed and added again
    churned = "".join(difflib.unified_diff(split_lines(OLD), split_lines(NEW)))
    assert "-    item = json.loads(request.data)\n-\n" in churned
    assert unified_diff(OLD.encode(), NEW.encode(), "app.py") == (
        b"--- a/app.py\n"
        b"+++ b/app.py\n"
        b"@@ -207,6 +207,6 @@ def helper_49():\n"
        b" \n"
        b' @app.post("/items")\n'
        b" def create_item():\n"
        b"-    item = json.loads(request.data)\n"
        b"+    item = request.get_json(force=True)\n"
        b" \n"
        b"-    return json.dumps(item)\n"
        b"+    return jsonify(item)\n"
    )


def test_the_header_shows_the_nearest_line_above_starting_with_a_letter():
    # git's default rule (no .gitattributes): a method's hunk shows its class, whose
    # line starts with a letter; the def is indented
    old = (
        "import os\n\n\nclass Config:\n    DEBUG = False\n\n    def load(self):\n"
        "        a = 1\n        b = 2\n        c = 3\n        return os.environ['X']\n"
    )
    new = old.replace("os.environ['X']", "os.environ.get('X')")
    assert unified_diff(old.encode(), new.encode(), "c.py").splitlines()[2] == (
        b"@@ -8,4 +8,4 @@ class Config:"
    )
    # nothing above the hunk starts with a letter, `_` or `$`: a bare header
    bare = unified_diff(b"x = 1\ny = 2\n", b"x = 1\ny = 3\n", "m.py")
    assert bare.splitlines()[2] == b"@@ -1,2 +1,2 @@"
    # `_` and `$` count; the line is cut to 80 bytes, then stripped of trailing blanks
    long_name = b"_" + b"a" * 78 + b" (x):  \n"
    old = long_name + b"    a\n" * 4 + b"    b\n"
    diff = unified_diff(old, old.replace(b"    b\n", b"    c\n"), "m.py")
    assert diff.splitlines()[2] == b"@@ -3,4 +3,4 @@ _" + b"a" * 78


def test_a_run_of_added_lines_sits_where_git_puts_it():
    # the inserted function could go one blank line up or down; git's indent heuristic
    # keeps the blank lines around it as they were
    old = "def a():\n    pass\n\n\ndef c():\n    pass\n"
    new = "def a():\n    pass\n\n\ndef b():\n    pass\n\n\ndef c():\n    pass\n"
    assert unified_diff(old.encode(), new.encode(), "m.py") == (
        b"--- a/m.py\n+++ b/m.py\n@@ -2,5 +2,9 @@ def a():\n"
        b"     pass\n \n \n+def b():\n+    pass\n+\n+\n def c():\n     pass\n"
    )


def test_line_changes_cover_both_files():
    old = split_lines("a\nb\n\nc\n")
    new = split_lines("a\n\nc\nd\n")
    assert line_changes(old, new) == [
        ("equal", 0, 1, 0, 1),
        ("delete", 1, 2, 1, 1),
        ("equal", 2, 4, 1, 3),
        ("insert", 4, 4, 3, 4),
    ]


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (OLD, NEW),
        ("def a():\n    pass\n\n\ndef c():\n    pass\n",
         "def a():\n    pass\n\n\ndef b():\n    pass\n\n\ndef c():\n    pass\n"),
        ("import os\nimport json\n\napp = 1\n", "import os\n\napp = 1\n"),
        ("x = 1", "x = 2"),
        ("a\nb\n", "a\nb"),
        ("", "a = 1\n"),
        ("a = 1\n", ""),
        ("x\n" * 30 + "y\n", "x\n" * 10 + "z\n" + "x\n" * 20 + "y\n"),
    ],
)  # fmt: skip
def test_the_diff_is_the_one_git_writes_and_git_applies_it(tmp_path: Path, old, new):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "f.py").write_bytes(old.encode())
    (tmp_path / "new" / "f.py").write_bytes(new.encode())
    ours = unified_diff(old.encode(), new.encode(), "f.py")
    gits = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", "old/f.py", "new/f.py"],
        cwd=tmp_path, capture_output=True, env=GIT_ENV,
    ).stdout  # fmt: skip
    # the same hunks, headers included (git's own first lines name its two folders)
    assert ours[ours.index(b"@@"):] == gits[gits.index(b"@@"):]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "old", check=True, env=GIT_ENV)
    subprocess.run(
        ["git", "apply", "-"], cwd=tmp_path / "old", input=ours, check=True, env=GIT_ENV
    )
    assert (tmp_path / "old" / "f.py").read_bytes() == new.encode()
