"""A worker process killed in the middle of a run (SIGKILL: out of memory, a crash in a
native parser) ends the run: exit 2, the files it did not finish named, the others'
results reported, no file half-written. The subprocess's timeout is the failure: a hang
fails the test instead of hanging the suite."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
HANG = 120  # far beyond what a run over these files needs; reaching it means a hang

ORIGINAL = (
    "import json\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.post("/items")\ndef create_item():\n    item = json.loads(request.data)\n'
    '    return {"name": item["name"]}\n'
)
FIXED = ORIGINAL.replace("import json\n", "").replace(
    "json.loads(request.data)", "request.get_json(force=True)"
)
FILES = 60  # enough for both phases to use the pool (flask_fix.run.runner.SCAN_SERIAL_BELOW)
VICTIM = "m030.py"

# flask-fix, with its workers made to SIGKILL themselves on one file: at the start of
# its scan or fix, or in its write, after the temporary file is written and before the
# rename. The pool forks, so the workers run these patched functions.
DRIVER = """
import os, signal, sys
from flask_fix.run import runner

phase, victim, moment = sys.argv[1:4]
del sys.argv[1:4]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def kill_on_replace(source, target):
    die()

def hooked(function):
    def run(item):
        path = item if phase == "scan" else item[0]
        if path.endswith(victim):
            if moment == "write":
                os.replace = kill_on_replace
            else:
                die()
        return function(item)
    return run

name = "scan_file" if phase == "scan" else "fix_file"
setattr(runner, name, hooked(getattr(runner, name)))
from flask_fix.cli import main
main()
"""


def run_killing(folder: Path, phase: str, moment: str, *options: str, cache: bool = False):
    for i in range(FILES):
        (folder / f"m{i:03}.py").write_text(ORIGINAL)
    driver = folder.parent / "driver.py"
    driver.write_text(DRIVER)
    return subprocess.run(
        [sys.executable, str(driver), phase, VICTIM, moment, "--select", "FLK104", "-j", "2",
         *([] if cache else ["--no-cache"]), *options, "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=HANG,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def unfinished_lines(stderr: str) -> dict[str, str]:
    found = re.findall(r"^(m\d+\.py): internal-error: not finished: (.*)$", stderr, re.M)
    return dict(found)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def test_a_worker_killed_while_fixing_ends_a_check(project: Path):
    run = run_killing(project, "fix", "start", "--check")
    assert run.returncode == 2, run.stderr[-2000:]
    unfinished = unfinished_lines(run.stderr)
    assert re.fullmatch(
        r"its worker process \(pid \d+\) was killed by SIGKILL while fixing it; "
        r"nothing was written",
        unfinished.pop(VICTIM),
    )
    for message in unfinished.values():
        assert re.fullmatch(
            r"the run stopped when a worker process \(pid \d+\) was killed by SIGKILL; "
            r"nothing was written",
            message,
        )
    # every other file has its finding or is named unfinished; those handed out before
    # the victim were finished, but for the one the other worker held (which one depends
    # on how fast each worker went: m028 or m029 on a loaded machine)
    reported = set(re.findall(r"^(m\d+\.py):9:\d+: FLK104 ", run.stdout, re.M))
    names = {f"m{i:03}.py" for i in range(FILES)} - {VICTIM}
    assert reported | set(unfinished) == names
    assert not reported & set(unfinished)
    assert len({f"m{i:03}.py" for i in range(30)} - reported) <= 1
    assert "m059.py" in unfinished
    last = run.stderr.splitlines()[-1]
    assert re.fullmatch(
        rf"flask-fix: error: the run stopped: a worker process \(pid \d+\) was killed by "
        rf"SIGKILL; {len(unfinished) + 1} files not finished, each named above",
        last,
    )
    assert all(p.read_text() == ORIGINAL for p in project.glob("m*.py"))


def test_a_worker_killed_while_writing_leaves_no_file_half_written(project: Path):
    run = run_killing(project, "fix", "write")
    assert run.returncode == 2, run.stderr[-2000:]
    unfinished = unfinished_lines(run.stderr)
    assert re.fullmatch(
        r"its worker process \(pid \d+\) was killed by SIGKILL while fixing it; "
        r"the file is either untouched or fully fixed",
        unfinished[VICTIM],
    )
    # killed between writing its temporary file and the rename: as it was, and the
    # temporary file removed
    assert (project / VICTIM).read_text() == ORIGINAL
    assert [p.name for p in project.iterdir() if "flask-fix" in p.name] == []
    written = set(re.findall(r"^fixed (m\d+\.py) \(FLK104\)$", run.stdout, re.M))
    assert len({f"m{i:03}.py" for i in range(30)} - written) <= 1  # as above
    assert written | set(unfinished) == {f"m{i:03}.py" for i in range(FILES)}
    assert "m059.py" in unfinished
    for path in project.glob("m*.py"):
        text = path.read_text()
        if path.name in written:
            assert text == FIXED
        elif unfinished[path.name].endswith("nothing was written"):  # never started
            assert text == ORIGINAL
        else:  # the other worker's file when it was stopped, or the victim
            assert text in (ORIGINAL, FIXED)
    assert unfinished["m059.py"].endswith("; nothing was written")


def test_a_worker_killed_while_scanning_stops_the_run_before_any_fix(project: Path):
    run = run_killing(project, "scan", "start", "--output-format", "json")
    assert run.returncode == 2, run.stderr[-2000:]
    document = json.loads(run.stdout)
    assert document["findings"] == []
    errors = {e["path"]: e["message"] for e in document["errors"]}
    # no file was checked: each is named, and the chunk of 3 files (60 files, 2 workers)
    # the dead worker held is blamed
    assert len(document["errors"]) == FILES
    assert set(errors) == {f"m{i:03}.py" for i in range(FILES)}
    blamed = [path for path, message in errors.items() if "its worker process" in message]
    assert VICTIM in blamed and len(blamed) == 3
    assert re.fullmatch(
        r"not finished: its worker process \(pid \d+\) was killed by SIGKILL while "
        r"scanning it or a file scanned with it; nothing was written",
        errors[VICTIM],
    )
    assert re.fullmatch(
        r"not finished: the run stopped when a worker process \(pid \d+\) was killed by "
        r"SIGKILL while scanning, before any file was fixed; nothing was written",
        errors["m059.py"],
    )
    assert all(p.read_text() == ORIGINAL for p in project.glob("m*.py"))
    assert "flask-fix: error: the run stopped: " in run.stderr


def test_a_stopped_run_leaves_nothing_in_the_cache_for_the_files_it_did_not_finish(
    project: Path,
):
    killed = run_killing(project, "fix", "start", "--check", cache=True)
    assert killed.returncode == 2, killed.stderr[-2000:]
    again = subprocess.run(
        [sys.executable, "-m", "flask_fix", "--select", "FLK104", "-j", "2", "--check", "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=HANG,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert again.returncode == 1, again.stderr[-2000:]
    assert "not finished" not in again.stderr
    assert len(re.findall(r"^m\d+\.py:9:\d+: FLK104 ", again.stdout, re.M)) == FILES
