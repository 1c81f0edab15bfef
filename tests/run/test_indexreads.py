"""flask_fix.run.indexreads: a fix's reads of the ProjectIndex are all noted (through its
methods and caches too), and the digests the cache keys them by are the same in every
process."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flask_fix.run import runner
from flask_fix.index import routing
from flask_fix.run.indexreads import CACHES, FIELD_SOURCES, RecordingIndex, fields_read
from flask_fix.index.project import ProjectIndex, index_from_sources

APP = """\
from flask import Flask, Markup, redirect

app = Flask(__name__)


@app.route("/items")
def items():
    return redirect("/items")


LABEL = Markup("<b>label</b>")
"""


@pytest.fixture
def index() -> ProjectIndex:
    return index_from_sources({"app.py": APP})


def test_fields_read_directly_and_through_methods(index: ProjectIndex):
    recording = RecordingIndex(index)
    assert recording.flask_version is None
    assert recording.is_view("app.py", "items")
    assert fields_read(recording) == {"flask_version", "views"}


def test_a_cache_counts_as_the_fields_it_is_built_from(index: ProjectIndex):
    first = RecordingIndex(index)
    assert routing.resolve_redirect(first, ["/items"]).status == "unique"
    assert "routes" in fields_read(first)
    assert isinstance(index.router[None], routing._Router)  # built, on the index itself
    second = RecordingIndex(index)  # another file's fix, the router already built
    assert routing.resolve_redirect(second, ["/items"]).status == "unique"
    assert "routes" in fields_read(second)
    assert "router" not in fields_read(second)
    third = RecordingIndex(index)
    assert third.has_views("app.py") and third.has_views("app.py")
    assert fields_read(third) == {"views"}


def test_the_fix_phase_fills_caches_and_changes_nothing_else(index: ProjectIndex):
    recording = RecordingIndex(index)
    recording.router = None
    with pytest.raises(AttributeError, match="must not change the index's 'routes'"):
        recording.routes = []
    with pytest.raises(AttributeError, match="reads no 'no_such_field'"):
        recording.no_such_field  # noqa: B018


def test_every_cache_of_the_index_names_what_it_is_built_from():
    caches = {f.name for f in dataclasses.fields(ProjectIndex) if not f.compare}
    assert caches == CACHES == {"router", "_view_paths"}
    assert FIELD_SOURCES["router"] == ("routes",)
    assert FIELD_SOURCES["_view_paths"] == ("views",)


def _fix(path: Path, codes: tuple[str, ...], index: ProjectIndex, monkeypatch):
    for name in ("_worker_rules", "_worker_text_rules", "_worker_index", "_worker_settings"):
        monkeypatch.setattr(runner, name, getattr(runner, name))  # restored afterwards
    runner._init_worker(runner.Settings(mode=runner.Mode.CHECK, jobs=1), index)
    return runner.fix_file((str(path), codes))


def test_each_fix_reports_the_fields_its_rules_read(tmp_path: Path, monkeypatch):
    (tmp_path / "app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    index = index_from_sources({"app.py": APP})
    redirect = _fix(Path("app.py"), ("FLK102",), index, monkeypatch)
    assert [f.code for f in redirect.findings] == ["FLK102"]
    assert "routes" in redirect.index_reads
    markup = _fix(Path("app.py"), ("FLK702",), index, monkeypatch)
    assert [f.code for f in markup.findings] == ["FLK702"]
    assert "routes" not in markup.index_reads
    assert markup.index_reads <= FIELD_SOURCES.keys() - CACHES


DIGESTS = """\
import dataclasses, json, os, sys
from flask_fix.run import runner
from flask_fix.run.cache import IndexDigests
from flask_fix.run.files import files_under
from flask_fix.index.project import ProjectIndex, build_index

os.chdir(sys.argv[1])
runner._init_worker(runner.Settings(), None)
scans = [runner.scan_file(p) for p in files_under(".") if p.endswith(".py")]
index = build_index([s.facts for s in scans if s.facts is not None])
digest = IndexDigests(index)
fields = [f.name for f in dataclasses.fields(ProjectIndex) if f.compare]
print(json.dumps({name: digest(name).hex() for name in fields}))
"""


def test_field_digests_are_the_same_in_every_process():
    """Sets, frozensets and dicts are digested in a canonical order: processes with
    other string hashes (PYTHONHASHSEED) agree."""
    samples = Path(__file__).parents[2] / "samples" / "legacy_pkg"
    outputs = []
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", DIGESTS, str(samples)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert len(set(outputs[0].values())) > 10  # fields really digested, not all empty
