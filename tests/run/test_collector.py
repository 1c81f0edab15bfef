"""A run tunes Python's cyclic garbage collector (flask_fix.run.runner: fewer collections,
the parent's objects frozen before workers fork) and gives it back as it found it."""

from __future__ import annotations

import gc

import pytest

from flask_fix.run import runner
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run

APP = """\
import json
from flask import Flask

app = Flask(__name__)

@app.route("/items")
def items():
    return json.dumps([1, 2])
"""


@pytest.fixture
def project(tmp_path):
    paths = []
    for number in range(3):
        path = tmp_path / f"app{number}.py"
        path.write_text(APP)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_restores_the_collector(project, jobs, monkeypatch):
    monkeypatch.setattr(runner, "SCAN_SERIAL_BELOW", 1)  # a pool even for three files
    seen = []
    scan_file = runner.scan_file

    def watched(path):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return scan_file(path)

    if jobs == 1:  # scanned in this process (a pool's workers could not pickle `watched`)
        monkeypatch.setattr(runner, "scan_file", watched)
    threshold = gc.get_threshold()
    results = list(run(project, Settings(mode=Mode.CHECK, jobs=jobs, select=("FLK101",))))
    assert sorted(f.code for r in results for f in r.findings) == ["FLK101"] * 3
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
    if jobs == 1:  # with the run's collector settings, the rules loaded before frozen
        assert seen == [(runner.COLLECT_AFTER_ALLOCATIONS, True)] * 3


def test_an_abandoned_run_restores_the_collector(project):
    threshold = gc.get_threshold()
    results = run(project, Settings(mode=Mode.CHECK, jobs=1, select=("FLK101",)))
    next(results)
    assert gc.get_threshold()[0] == runner.COLLECT_AFTER_ALLOCATIONS
    results.close()
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
