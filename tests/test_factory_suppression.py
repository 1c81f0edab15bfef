"""The app-factory transform (FLK201, with FLK203's findings) honours what the user turned
off: `# noqa: FLK201` / `# flask-fix: ignore[FLK201]` on the app's line, `# flask-fix:
skip-file`, and `per-file-ignores`. A suppressed app is neither reported nor converted;
a rewrite that would have to change a place the user turned the rule off in is refused,
with the reason, and changes nothing (converting the rest would break the project)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from flask_fix.codemods.app_factory import AppFactory
from flask_fix.codemods.circular_app_import import CircularAppImport
from flask_fix.config import PerFileIgnores
from flask_fix.model import FixLevel
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run
from flask_fix.run.transforms import transform_sources

APP = """\
from flask import Flask, redirect, url_for

app = Flask(__name__)


@app.route("/")
def index():
    return "home"


import views  # noqa: F401, E402
"""

VIEWS = """\
from flask import redirect, url_for

from app import app


@app.route("/go")
def go():
    return redirect(url_for("index"))
"""

TEST = """\
from app import app


def test_index():
    assert app.test_client().get("/").status_code == 200
"""

PROJECT = {"app.py": APP, "views.py": VIEWS, "test_app.py": TEST}


def convert(sources, *, apply=True, ignored=None):
    def ignored_in(path: str) -> tuple[str, ...]:
        return ignored.get(path, ())

    sources = {p: textwrap.dedent(t) for p, t in sources.items()}
    return transform_sources(
        AppFactory,
        sources,
        apply=apply,
        ignored_in=None if ignored is None else ignored_in,
    )


def with_app_line(line: str) -> dict[str, str]:
    return {**PROJECT, "app.py": APP.replace("app = Flask(__name__)\n", line + "\n")}


def refusal(findings) -> tuple[str, int, str]:
    [finding] = findings
    assert (finding.code, finding.fix_level, finding.has_fix) == (
        "FLK201",
        FixLevel.REPORT,
        False,
    )
    prefix = (
        "module-level app `app` should be built by an application factory, but flask-fix "
        "cannot convert this project soundly: "
    )
    assert finding.message.startswith(prefix)
    assert finding.message.endswith("; nothing was changed")
    return (
        finding.path,
        finding.line,
        finding.message[len(prefix) : -len("; nothing was changed")],
    )


def test_the_project_converts_when_nothing_is_suppressed():
    # the baseline the tests below depart from (`# noqa: F401, E402` names other codes)
    after, findings = convert(PROJECT)
    assert {p for p in PROJECT if after[p] != PROJECT[p]} == {
        "app.py",
        "views.py",
        "test_app.py",
    }
    assert [(f.code, f.path) for f in findings] == [
        ("FLK201", "app.py"),
        ("FLK201", "test_app.py"),
        ("FLK203", "views.py"),
    ]
    assert after["views.py"] == (
        "from flask import Blueprint, redirect, url_for\n"
        "\n"
        'bp = Blueprint("views", __name__)\n'
        "\n"
        "\n"
        '@bp.route("/go")\n'
        "def go():\n"
        '    return redirect(url_for("main.index"))\n'
    )


def test_noqa_on_the_app_line_leaves_the_project_alone_and_silent():
    for comment in (
        "# noqa: FLK201",
        "# noqa",
        "# noqa: E501,FLK2",
        "# flask-fix: ignore[FLK201]",
    ):
        project = with_app_line(f"app = Flask(__name__)  {comment}")
        for apply in (True, False):
            after, findings = convert(project, apply=apply)
            assert (after, findings) == (project, []), comment


def test_noqa_on_the_last_line_of_a_multi_line_app():
    project = with_app_line("app = Flask(\n    __name__,\n)  # noqa: FLK201")
    assert convert(project) == (project, [])


def test_a_comment_naming_other_codes_does_not_suppress_the_factory():
    project = with_app_line("app = Flask(__name__)  # noqa: FLK402")
    after, findings = convert(project)
    assert (
        "def create_app(config=None):\n    app = Flask(__name__)  # noqa: FLK402\n"
        in after["app.py"]
    )
    assert findings[0].code == "FLK201" and findings[0].has_fix


def test_noqa_in_a_string_is_no_comment():
    project = with_app_line('app = Flask(__name__, static_url_path="/s#noqa")')
    after, _ = convert(project)
    assert "def create_app" in after["app.py"]


def test_skip_file_in_the_apps_module():
    project = {**PROJECT, "app.py": "# flask-fix: skip-file\n" + APP}
    assert convert(project) == (project, [])


def test_per_file_ignores_on_the_apps_module():
    for codes in (("FLK201",), ("FLK2",), ("FLK",)):
        assert convert(PROJECT, ignored={"app.py": codes}) == (PROJECT, [])
    # another rule ignored there changes nothing for the factory
    after, _ = convert(PROJECT, ignored={"app.py": ("FLK402",)})
    assert "def create_app" in after["app.py"]


def test_per_file_ignores_on_a_module_the_rewrite_must_change_refuses():
    after, findings = convert(PROJECT, ignored={"views.py": ("FLK203",)})
    assert after == PROJECT
    assert refusal(findings) == (
        "app.py",
        3,
        (
            "FLK203 is turned off in this file (per-file-ignores or `# flask-fix: skip-file`), "
            "but the rewrite must change it (views.py:1)"
        ),
    )
    after, findings = convert(PROJECT, ignored={"test_app.py": ("FLK201",)})
    assert after == PROJECT
    assert refusal(findings)[2].endswith("but the rewrite must change it (test_app.py:1)")


def test_skip_file_on_an_entry_point_the_rewrite_must_change_refuses():
    project = {**PROJECT, "test_app.py": "# flask-fix: skip-file\n" + TEST}
    after, findings = convert(project)
    assert after == project
    assert refusal(findings)[2] == (
        "FLK201 is turned off in this file (per-file-ignores or `# flask-fix: skip-file`), "
        "but the rewrite must change it (test_app.py:1)"
    )


def test_noqa_on_an_importers_line_refuses():
    views = VIEWS.replace("from app import app\n", "from app import app  # noqa: FLK203\n")
    project = {**PROJECT, "views.py": views}
    after, findings = convert(project)
    assert after == project
    assert refusal(findings) == (
        "app.py",
        3,
        "a suppression comment turns FLK203 off on a line the rewrite must change (views.py:3)",
    )


def test_noqa_on_a_renamed_endpoint_refuses():
    views = VIEWS.replace('url_for("index"))', 'url_for("index"))  # noqa: FLK201')
    project = {**PROJECT, "views.py": views}
    after, findings = convert(project)
    assert after == project
    assert refusal(findings)[2] == (
        "a suppression comment turns FLK201 off on a line the rewrite must change (views.py:8)"
    )


def test_report_only_findings_on_suppressed_lines_are_dropped():
    # FLK203 on its own only reports the importing modules
    views = VIEWS.replace("from app import app\n", "from app import app  # noqa: FLK203\n")
    sources = {**PROJECT, "views.py": views}
    _, findings = transform_sources(CircularAppImport, sources)
    assert [(f.code, f.path) for f in findings] == [("FLK203", "test_app.py")]
    _, findings = transform_sources(
        CircularAppImport,
        PROJECT,
        ignored_in=lambda p: ("FLK2",) if p == "test_app.py" else (),
    )
    assert [(f.code, f.path) for f in findings] == [("FLK203", "views.py")]


def _run(folder: Path, ignores=(), **settings) -> list:
    per_file = PerFileIgnores(str(folder), tuple(ignores)) if ignores else None
    settings = Settings(select=("FLK2",), per_file_ignores=per_file, **settings)
    files = sorted(str(p) for p in folder.rglob("*.py"))
    return list(run(files, settings))


def test_a_run_honours_per_file_ignores_and_noqa(tmp_path: Path, monkeypatch):
    for path, text in PROJECT.items():
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    before = {p: (tmp_path / p).read_text() for p in PROJECT}
    results = _run(tmp_path, [("app.py", ("FLK201",))], unsafe_fixes=True)
    assert {p: (tmp_path / p).read_text() for p in PROJECT} == before
    # FLK203 still reports the importers: the user turned off FLK201 only
    found = sorted((Path(f.path).name, f.code) for r in results for f in r.findings)
    assert found == [("test_app.py", "FLK203"), ("views.py", "FLK203")]
    results = _run(tmp_path, [("views.py", ("FLK203",))], unsafe_fixes=True)
    assert {p: (tmp_path / p).read_text() for p in PROJECT} == before
    messages = [f.message for r in results for f in r.findings if f.code == "FLK201"]
    assert len(messages) == 1 and "FLK203 is turned off in this file" in messages[0]
    # and with nothing turned off the same run converts it
    _run(tmp_path, unsafe_fixes=True)
    assert "def create_app" in (tmp_path / "app.py").read_text()


def test_a_check_run_drops_suppressed_findings(tmp_path: Path, monkeypatch):
    project = with_app_line("app = Flask(__name__)  # noqa: FLK201")
    for path, text in project.items():
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    results = _run(tmp_path, mode=Mode.CHECK)
    found = sorted((Path(f.path).name, f.code) for r in results for f in r.findings)
    assert found == [("test_app.py", "FLK203"), ("views.py", "FLK203")]
