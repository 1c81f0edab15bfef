"""The plumbing of project transforms in a run (flask_fix/run/transforms.py): new texts replace
the sources for the per-file phase, the index is rebuilt, templates are written or diffed
by the runner, findings join their files' results, a broken rewrite changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_fix.run import transforms
from flask_fix.rewrite.base import (
    ProjectContext,
    ProjectFinding,
    ProjectTransform,
    TransformResult,
)
from flask_fix.model import FixLevel
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run

APP = """\
import json
from flask import Flask, request

app = Flask(__name__)


@app.post("/items")
def create_item():
    item = json.loads(request.data)
    return {"name": item["name"]}
"""


class Rename(ProjectTransform):
    """Renames the view `create_item` to `add_item` and the word in the template.

    What it does:
        x
    Why is this bad?:
        x
    Example:
        x
    Use instead:
        x
    Fix safety:
        x
    """

    code = "FLK999"
    name = "rename"
    fix_level = FixLevel.UNSAFE
    summary = "test"
    seen_endpoints: list = []

    def transform(self, context: ProjectContext) -> TransformResult:
        Rename.seen_endpoints.append(sorted(r.endpoint for r in context.index.routes))
        app = next(p for p in context.index.modules if p.endswith("app.py"))
        template = next(p for p in context.files_under(str(Path(app).parent / "templates")))
        result = TransformResult()
        if b"create_item" not in context.read(app):
            return result  # nothing left to rename (the run's next round)
        result.findings.append(
            ProjectFinding(self.code, self.name, app, 8, 1, "rename the view", self.fix_level, True)
        )
        result.findings.append(
            ProjectFinding(self.code, self.name, template, 1, 1, "and here", self.fix_level, True)
        )
        if context.apply:
            result.new_texts[app] = context.read(app).replace(b"create_item", b"add_item")
            result.new_texts[template] = context.read(template).replace(b"create", b"add")
        return result


class Broken(Rename):
    code = "FLK998"

    def transform(self, context: ProjectContext) -> TransformResult:
        result = super().transform(context)
        if context.apply:
            app = next(iter(result.new_texts))
            result.new_texts[app] += b"def (:\n"
        return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "items.html").write_text("{{ url_for('create_item') }}\n")
    return tmp_path


def _run(project: Path, monkeypatch, transform, **settings) -> list:
    monkeypatch.setattr(transforms, "selected", lambda select, ignore: (transform,))
    Rename.seen_endpoints = []
    files = [str(project / "app.py")]
    return list(run(files, Settings(jobs=1, select=("FLK104",), **settings)))


def test_new_texts_go_through_the_per_file_rules_and_templates_are_written(project, monkeypatch):
    results = _run(project, monkeypatch, Rename, unsafe_fixes=True)
    app = (project / "app.py").read_text()
    # the transform's rename and FLK104's rewrite of the same file
    assert "def add_item():" in app and "request.get_json(force=True)" in app
    assert (project / "templates" / "items.html").read_text() == "{{ url_for('add_item') }}\n"
    by_path = {Path(r.path).name: r for r in results}
    assert by_path["app.py"].written and by_path["items.html"].written
    assert [f.code for f in by_path["app.py"].fixed] == ["FLK999", "FLK104"]
    assert [f.code for f in by_path["items.html"].fixed] == ["FLK999"]
    assert by_path["app.py"].remaining == []


def test_the_index_is_rebuilt_for_later_transforms_and_rules(project, monkeypatch):
    monkeypatch.setattr(transforms, "selected", lambda select, ignore: (Rename, Rename))
    Rename.seen_endpoints = []
    list(run([str(project / "app.py")], Settings(jobs=1, select=("FLK104",), unsafe_fixes=True)))
    # then the run's second round (FLK104 changed app.py, which they read): the same index
    assert Rename.seen_endpoints == [["create_item", "static"], ["add_item", "static"]] + [
        ["add_item", "static"]
    ] * 2


def test_without_unsafe_fixes_only_findings(project, monkeypatch):
    results = _run(project, monkeypatch, Rename)
    assert "def create_item():" in (project / "app.py").read_text()
    assert "create_item" in (project / "templates" / "items.html").read_text()
    app = next(r for r in results if r.path.endswith("app.py"))
    assert [(f.code, f.fix_level, f.has_fix) for f in app.remaining] == [
        ("FLK999", FixLevel.UNSAFE, True)
    ]
    assert [f.code for f in app.fixed] == ["FLK104"]


def test_diff_mode_writes_nothing_and_diffs_against_the_disk(project, monkeypatch):
    results = _run(project, monkeypatch, Rename, unsafe_fixes=True, mode=Mode.DIFF)
    assert (project / "app.py").read_text() == APP
    diffs = {Path(r.path).name: r.diff.decode() for r in results if r.diff}
    assert "-def create_item():\n" in diffs["app.py"] and "+def add_item():\n" in diffs["app.py"]
    assert "+    item = request.get_json(force=True)\n" in diffs["app.py"]
    assert "+{{ url_for('add_item') }}" in diffs["items.html"]


def test_check_mode_applies_nothing(project, monkeypatch):
    results = _run(project, monkeypatch, Rename, unsafe_fixes=True, mode=Mode.CHECK)
    assert (project / "app.py").read_text() == APP
    assert all(not r.diff and not r.written for r in results)
    assert any(f.code == "FLK999" for r in results for f in r.findings)


def test_a_rewrite_that_does_not_compile_changes_nothing(project, monkeypatch):
    results = _run(project, monkeypatch, Broken, unsafe_fixes=True)
    assert "def create_item():" in (project / "app.py").read_text()
    assert "create_item" in (project / "templates" / "items.html").read_text()
    errors = [r.error for r in results if r.error]
    assert len(errors) == 1 and "does not compile" in errors[0].message


def test_a_per_file_failure_on_a_rewritten_file_still_writes_the_rewrite(project, monkeypatch):
    # the runner imports the engine when it fixes a file (a replayed run never loads it)
    import flask_fix.run.engine as engine_module

    def broken(*args, **kwargs):
        raise RuntimeError("a rule's bug")

    monkeypatch.setattr(engine_module, "fix_source", broken)
    results = _run(project, monkeypatch, Rename, unsafe_fixes=True)
    app = next(r for r in results if r.path.endswith("app.py"))
    assert app.error is not None and "a rule's bug" in app.error.message
    # the other files of the project depend on the rewrite: it is written all the same
    assert "def add_item():" in (project / "app.py").read_text()
    assert "add_item" in (project / "templates" / "items.html").read_text()


def test_files_named_one_by_one_only_report_on_those_files(project, monkeypatch):
    monkeypatch.setattr(transforms, "selected", lambda select, ignore: (Rename,))
    (project / "other.py").write_text("x = 1\n")
    files = [str(project / "other.py")]
    results = list(
        run(files, Settings(jobs=1, select=("FLK104",), unsafe_fixes=True), index_files=[str(project / "app.py")])
    )
    assert "def create_item():" in (project / "app.py").read_text()
    assert [r.path for r in results if r.findings] == []


class Strays(Rename):
    """Renames in the project, and also reports on and rewrites a file of no project
    of the run (a transform searching too far: FLK803 once read a sibling fixture's
    Procfile.dev, and the run stopped with a KeyError in runner._next_rounds)."""

    code = "FLK997"
    outside = ""

    def transform(self, context: ProjectContext) -> TransformResult:
        result = super().transform(context)
        result.findings.append(
            ProjectFinding(self.code, self.name, Strays.outside, 1, 1, "there", self.fix_level, True)
        )
        if context.apply:
            result.new_texts[Strays.outside] = b"web: gunicorn app:create_app()\n"
        return result


@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"]], ids=["fix", "check", "diff"])
def test_a_transform_naming_a_file_of_no_project_of_the_run_is_an_internal_error(
    tmp_path, monkeypatch, mode
):
    """One internal-error line naming the file, exit 2; the transform changes nothing
    (it is at fault: none of its texts is kept), the rest of the run goes on."""
    from click.testing import CliRunner

    from flask_fix.cli import main

    (tmp_path / "proj" / "templates").mkdir(parents=True)
    (tmp_path / "proj" / "requirements.txt").write_text("flask\n")
    (tmp_path / "proj" / "app.py").write_text(APP)
    (tmp_path / "proj" / "templates" / "items.html").write_text("{{ url_for('create_item') }}\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "requirements.txt").write_text("flask\n")
    (tmp_path / "other" / "Procfile").write_text("web: gunicorn app:app\n")
    monkeypatch.chdir(tmp_path / "proj")
    Strays.outside = "../other/Procfile"
    monkeypatch.setattr(transforms, "selected", lambda select, ignore: (Strays,))
    result = CliRunner().invoke(
        main, ["-j", "1", "--no-cache", "--unsafe-fixes", "--select", "FLK104", *mode, "."]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    errors = [line for line in result.output.splitlines() if "internal-error" in line]
    assert errors == [
        "app.py: internal-error: FLK997: names ../other/Procfile, a file of no project of "
        "this run (a project transform's bug); nothing changed"
    ], result.output
    assert result.exit_code in (2, 3)
    assert (tmp_path / "other" / "Procfile").read_text() == "web: gunicorn app:app\n"
    assert "create_item" in (tmp_path / "proj" / "templates" / "items.html").read_text()
    # the per-file rules still ran
    assert "FLK104" in result.stdout or "+    item = request.get_json(force=True)" in result.stdout
    assert "Traceback" not in result.output


def test_the_runner_still_reports_a_result_of_no_project_without_a_traceback(tmp_path, monkeypatch):
    """The runner's own guard (runner._next_rounds), should a result of no project of the
    run reach it all the same: here run_transforms is not told the project's files."""
    from click.testing import CliRunner

    from flask_fix.cli import main

    (tmp_path / "proj" / "templates").mkdir(parents=True)
    (tmp_path / "proj" / "requirements.txt").write_text("flask\n")
    (tmp_path / "proj" / "app.py").write_text(APP)
    (tmp_path / "proj" / "templates" / "items.html").write_text("{{ url_for('create_item') }}\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "requirements.txt").write_text("flask\n")
    (tmp_path / "other" / "Procfile").write_text("web: gunicorn app:app\n")
    monkeypatch.chdir(tmp_path / "proj")
    Strays.outside = "../other/Procfile"
    monkeypatch.setattr(transforms, "selected", lambda select, ignore: (Strays,))
    real = transforms.run_transforms
    monkeypatch.setattr(
        transforms, "run_transforms", lambda *args, inside=None, **kwargs: real(*args, **kwargs)
    )
    result = CliRunner().invoke(
        main, ["-j", "1", "--no-cache", "--unsafe-fixes", "--select", "FLK104", "--check", "."]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert [line for line in result.output.splitlines() if "internal-error" in line] == [
        "../other/Procfile: internal-error: a result for a file of no project of this run; "
        "nothing changed"
    ], result.output
    assert result.exit_code == 3


SINGLE_APP = (
    'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\n'
    'def index():\n    return "hi"\n'
)


def test_json_check_shows_the_edits_of_an_unsafe_transform_without_applying(tmp_path, monkeypatch):
    # as a per-file rule's unsafe finding does (FLK103): ruff lists the fix of every fixable
    # finding with its applicability
    from flask_fix.api import check_paths

    (tmp_path / "app.py").write_text(SINGLE_APP)
    monkeypatch.chdir(tmp_path)
    safe = check_paths(["."], select=["FLK201"], unsafe=False)
    unsafe = check_paths(["."], select=["FLK201"], unsafe=True)
    ((shown,), (applied,)) = safe.findings, unsafe.findings
    assert (shown.code, shown.line, shown.fix_level, shown.has_fix) == (
        "FLK201", 3, FixLevel.UNSAFE, True
    )
    assert shown.message.startswith("module-level app `app` should be built by an application")
    assert shown.edits == applied.edits
    assert [(e.line, e.column, e.end_line, e.end_column) for e in shown.edits] == [
        (1, 19, 1, 19), (3, 1, 3, 13), (6, 2, 6, 4), (9, 1, 9, 1)
    ]  # fmt: skip
    assert (tmp_path / "app.py").read_text() == SINGLE_APP
    assert safe.exit_code == unsafe.exit_code == 1


def test_a_report_only_transform_finding_has_no_edits(tmp_path, monkeypatch):
    from flask_fix.api import check_paths

    (tmp_path / "app.py").write_text(SINGLE_APP.replace("Flask(__name__)", "Flask(__name__)\napp2 = Flask('x')"))
    monkeypatch.chdir(tmp_path)
    (found,) = check_paths(["."], select=["FLK201"], unsafe=False).findings
    assert (found.fix_level, found.edits) == (FixLevel.REPORT, None)


def test_files_named_one_by_one_show_the_same_edits_as_the_whole_run(tmp_path, monkeypatch):
    """Named one by one (or a shard) the factory only reports, never writes a file not
    named; its finding shows the edits all the same, those of the run over the folder."""
    from flask_fix.api import check_paths

    (tmp_path / "app.py").write_text(SINGLE_APP)
    (tmp_path / "util.py").write_text("def helper():\n    return 1\n")
    (tmp_path / "requirements.txt").write_text("flask\n")  # the project util.py is read for
    monkeypatch.chdir(tmp_path)
    for unsafe in (False, True):
        (whole,) = check_paths(["."], select=["FLK201"], unsafe=unsafe).findings
        (named,) = check_paths(["app.py"], select=["FLK201"], unsafe=unsafe).findings
        assert named.edits and named.edits == whole.edits
    assert (tmp_path / "app.py").read_text() == SINGLE_APP
