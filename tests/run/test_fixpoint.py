"""One run gives the final result (flask_fix/run/fixpoint.py): project transforms and file
fixes run again on the fixed text until nothing changes; every mode shows that result,
a second run is empty, a file that does not settle is reported. And the fix levels hold
for `python app.py`: run as `__main__` (with Flask.run stubbed) the module still works
after the rewrite wherever it worked before (issue 13)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_fix.run import fixpoint, runner
from flask_fix.cli import main
from flask_fix.run.settings import Mode, Settings
from flask_fix.run.start import run


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# (a) a Flask 1 app: FLK705 must go first, then FLK201 can build the factory
BEFORE_FIRST_REQUEST = code("""
    from flask import Flask

    app = Flask(__name__)
    CACHE = {}


    @app.before_first_request
    def warm():
        CACHE["ready"] = True


    @app.route("/")
    def index():
        return "ok"


    if __name__ == "__main__":
        app.run()
""")
BEFORE_FIRST_REQUEST_FIXED = code("""
    from flask import Blueprint, Flask

    bp = Blueprint("main", __name__)
    CACHE = {}


    def warm():
        CACHE["ready"] = True


    @bp.route("/")
    def index():
        return "ok"


    def create_app(config=None):
        app = Flask(__name__)
        if config is not None:
            if isinstance(config, dict):
                app.config.from_mapping(config)
            else:
                app.config.from_object(config)
        with app.app_context():
            warm()
        app.register_blueprint(bp)
        return app


    if __name__ == "__main__":
        create_app().run()
""")

# (b) Flask-SQLAlchemy 2.x allowed and `db.create_all()` in the __main__ block, outside a
# context: neither FLK202 nor FLK201 may split the constructor
MAIN_CREATE_ALL = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)


    @app.route("/")
    def index():
        return str(User.query.count())


    if __name__ == "__main__":
        db.create_all()
        app.run()
""")
# the same through a function the __main__ block calls
MAIN_CALLS_INIT_DB = MAIN_CREATE_ALL.replace(
    "if __name__", "def init_db():\n    db.create_all()\n\n\nif __name__"
).replace("        db.create_all()\n        app.run()", "    init_db()\n    app.run()").replace(
    "    db.create_all()\n    app.run()", "    init_db()\n    app.run()"
)
# the database used inside a context in the __main__ block: works on every release
MAIN_IN_CONTEXT = MAIN_CREATE_ALL.replace(
    "    db.create_all()\n    app.run()",
    "    with app.app_context():\n        db.create_all()\n        print(User.query.count())\n    app.run()",
)


def project(tmp_path: Path, source: str, requirements: str | None = None) -> Path:
    (tmp_path / "app.py").write_text(source)
    if requirements is not None:
        (tmp_path / "requirements.txt").write_text(requirements)
    return tmp_path


def cli(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-j", "1", "--no-cache", *args, str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_a_flask_1_app_with_before_first_request_becomes_a_factory_in_one_run(tmp_path):
    folder = project(tmp_path, BEFORE_FIRST_REQUEST, "flask<2\n")
    # --check shows both fixes, FLK201's where the app is
    status, out = cli(folder, "--unsafe-fixes", "--check", "--output-format", "json")
    findings = json.loads(out)["findings"]
    assert [(f["code"], f["line"], f["fix_level"]) for f in findings] == [
        ("FLK201", 3, "unsafe"), ("FLK705", 7, "unsafe")
    ]  # fmt: skip
    assert status == 1
    # the edits are the file's whole change, on the file as read, on its first fix
    assert findings[0]["fix"]["edits"] and findings[1]["fix"]["edits"] == []
    assert _apply(BEFORE_FIRST_REQUEST, findings[0]["fix"]["edits"]) == BEFORE_FIRST_REQUEST_FIXED
    # --diff: the final patch
    status, patch = cli(folder, "--unsafe-fixes", "--diff")
    assert status == 1 and "+def create_app(config=None):" in patch
    assert "-@app.before_first_request" in patch
    assert (folder / "app.py").read_text() == BEFORE_FIRST_REQUEST
    # in place: the final text, then nothing more
    results = list(run([str(folder / "app.py")], Settings(jobs=1, unsafe_fixes=True)))
    assert (folder / "app.py").read_text() == BEFORE_FIRST_REQUEST_FIXED
    ast.parse(BEFORE_FIRST_REQUEST_FIXED)
    [result] = results
    assert result.written and sorted(f.code for f in result.fixed) == ["FLK201", "FLK705"]
    assert result.remaining == []
    assert cli(folder, "--unsafe-fixes", "--diff") == (0, "")
    assert cli(folder, "--unsafe-fixes", "--check") == (0, "")


def _apply(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for e in sorted(edits, key=lambda e: (e["line"], e["column"]), reverse=True):
        start = offsets[e["line"] - 1] + e["column"] - 1
        end = offsets[e["end_line"] - 1] + e["end_column"] - 1
        text = text[:start] + e["content"] + text[end:]
    return text


@pytest.mark.parametrize("source", [MAIN_CREATE_ALL, MAIN_CALLS_INIT_DB], ids=["main", "init_db"])
@pytest.mark.parametrize("unsafe", [False, True], ids=["default", "unsafe"])
def test_flask_sqlalchemy_2_allowed_and_a_use_in_main_nothing_is_split(tmp_path, source, unsafe):
    folder = project(tmp_path, source, "flask-sqlalchemy>=2.4\n")
    flags = ["--unsafe-fixes"] if unsafe else []
    status, out = cli(folder, *flags, "--check", "--output-format", "json")
    by_code = {f["code"]: f for f in json.loads(out)["findings"]}
    assert by_code["FLK202"]["fix_level"] == "report"
    assert "outside an application context" in by_code["FLK202"]["message"]
    if unsafe:
        assert "cannot convert this project soundly" in by_code["FLK201"]["message"]
    list(run([str(folder / "app.py")], Settings(jobs=1, unsafe_fixes=unsafe)))
    assert (folder / "app.py").read_text() == source
    assert cli(folder, *flags, "--diff") == (0, "")


RUN_AS_MAIN = """
import runpy, sys
import flask
ran = []
flask.Flask.run = lambda self, *args, **kwargs: ran.append(self.name)
runpy.run_path(sys.argv[1], run_name="__main__")
assert ran, "the app never ran"
"""


def run_as_main(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUN_AS_MAIN, str(folder / "app.py")],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


CASES = {
    # works on the installed Flask-SQLAlchemy 3: a context in the __main__ block
    "in-context": MAIN_IN_CONTEXT,
    # a plain app with a route: always works
    "plain": code("""
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "ok"


        if __name__ == "__main__":
            app.run(debug=False)
    """),
    # these fail before any rewrite on Flask-SQLAlchemy 3 (the installed one): a db
    # used outside a context; nothing to keep working, still checked that a run settles
    "main": MAIN_CREATE_ALL,
    "init_db": MAIN_CALLS_INIT_DB,
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("requirements", [None, "flask-sqlalchemy>=2.4\n", "flask-sqlalchemy>=3.0\n"])
@pytest.mark.parametrize("unsafe", [False, True], ids=["default", "unsafe"])
def test_python_app_py_works_after_the_run_wherever_it_worked_before(
    tmp_path, case, requirements, unsafe
):
    folder = project(tmp_path, CASES[case], requirements)
    before = run_as_main(folder)
    list(run([str(folder / "app.py")], Settings(jobs=1, unsafe_fixes=unsafe)))
    after_text = (folder / "app.py").read_text()
    ast.parse(after_text)
    if before.returncode == 0:
        after = run_as_main(folder)
        assert after.returncode == 0, (after_text, after.stderr[-2000:])
    flags = ["--unsafe-fixes"] if unsafe else []
    assert cli(folder, *flags, "--diff") == (0, "")


def test_a_file_that_does_not_settle_is_reported_not_a_crash(tmp_path, monkeypatch):
    folder = project(tmp_path, BEFORE_FIRST_REQUEST)
    real = runner.fix_file
    counter = iter(range(1000))

    def never_settles(work):
        result = real(work)
        text = result.new_source or (work[2] if len(work) > 2 else (folder / "app.py").read_bytes())
        result.source = result.source or (folder / "app.py").read_bytes()
        result.new_source = text + f"X{next(counter)} = 1\n".encode()
        result.changed = True
        return result

    monkeypatch.setattr(runner, "fix_file", never_settles)
    # each round's text is new, and its triage... forced to ask for another round
    monkeypatch.setattr(fixpoint, "_rescan", lambda changed, rounds: (False, set(changed)))
    results = list(run([str(folder / "app.py")], Settings(jobs=1, mode=Mode.CHECK)))
    [result] = [r for r in results if r.path.endswith("app.py")]
    assert result.error is not None and "did not settle after 8 rounds" in result.error.message
    assert next(counter) == fixpoint.MAX_ROUNDS


JSON_VIEW = code("""
    import json
    from flask import Flask, request

    app = Flask(__name__)


    @app.post("/items")
    def create_item():
        item = json.loads(request.data)
        return {"name": item["name"]}
""")


def test_a_worker_death_ends_the_run_with_no_other_round(tmp_path, monkeypatch):
    """A round in which a worker died is the run's last: the unfinished files are named
    and nothing, the dead worker's file included, is handed out again. (Another round
    ran before: FLK104 dropping `import json` changes the index, which asks for one; a
    file written in the first round was then reported "nothing was written", or lost.)"""
    from flask_fix.run.pool import Lost

    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(JSON_VIEW)
    real = runner._mapped
    calls = []

    def dying_on_b(func, items, *args, lost=None, **kwargs):
        if func is runner.fix_file:
            calls.append(sorted(Path(item[0]).name for item in items))
        if func is not runner.fix_file:
            yield from real(func, items, *args, lost=lost, **kwargs)
            return
        # b.py's worker "dies" before it writes anything
        alive = [item for item in items if not item[0].endswith("b.py")]
        yield from real(func, alive, *args, lost=lost, **kwargs)
        for item in items:
            if item[0].endswith("b.py"):
                yield lost(item, "a worker process (pid 1) was killed by SIGKILL", Lost.HELD)

    monkeypatch.setattr(runner, "_mapped", dying_on_b)
    paths = [str(tmp_path / "a.py"), str(tmp_path / "b.py")]
    settings = Settings(jobs=1, mode=Mode.FIX, select=("FLK104",))
    results = {Path(r.path).name: r for r in run(paths, settings)}
    assert calls == [["a.py", "b.py"]]  # one round: not a second over the unfinished b.py
    assert results["a.py"].written and results["a.py"].error is None
    assert results["b.py"].unfinished is not None
    assert "was killed by SIGKILL while fixing it" in results["b.py"].error.message
    assert "import json" not in (tmp_path / "a.py").read_text()
    assert (tmp_path / "b.py").read_text() == JSON_VIEW


def test_in_a_folder_of_projects_each_goes_to_its_fixpoint_as_alone(tmp_path, monkeypatch):
    """Each project's rounds use its own index, pins and transforms: two Flask 1 apps
    whose modules are both `app` become factories, a Flask-SQLAlchemy 2.x project keeps
    its constructor; the folder run finds and writes what each project's run alone does."""
    import os
    import shutil

    names = ("one", "two", "sql")
    folder = tmp_path / "all"
    for name in names:
        (folder / name).mkdir(parents=True)
    project(folder / "one", BEFORE_FIRST_REQUEST, "flask<2\n")
    project(folder / "two", BEFORE_FIRST_REQUEST.replace("ready", "warm"), "flask<2\n")
    project(folder / "sql", MAIN_CREATE_ALL, "flask-sqlalchemy>=2.4\n")
    alone = tmp_path / "alone"
    shutil.copytree(folder, alone)

    def findings(path: Path) -> list[tuple]:
        monkeypatch.chdir(path)
        status, out = cli(Path("."), "--unsafe-fixes", "--check", "--output-format", "json")
        assert status == 1
        return [
            (os.path.relpath(path / f["path"], folder if path.is_relative_to(folder) else alone),
             f["line"], f["code"], f["fix_level"], json.dumps(f["fix"]))
            for f in json.loads(out)["findings"]
        ]  # fmt: skip

    together = sorted(findings(folder))
    assert together == sorted(f for name in names for f in findings(alone / name))
    assert [(f[0], f[2]) for f in together if f[0].startswith("one")] == [
        ("one/app.py", "FLK201"), ("one/app.py", "FLK705")
    ]  # fmt: skip
    for name in names:
        monkeypatch.chdir(alone / name)
        assert cli(Path("."), "--unsafe-fixes")[0] in (0, 1)
    monkeypatch.chdir(folder)
    assert cli(Path("."), "--unsafe-fixes")[0] in (0, 1)
    for name in names:
        assert (folder / name / "app.py").read_text() == (alone / name / "app.py").read_text()
    assert (folder / "one" / "app.py").read_text() == BEFORE_FIRST_REQUEST_FIXED
    assert "def create_app(" in (folder / "two" / "app.py").read_text()
    assert (folder / "sql" / "app.py").read_text() == MAIN_CREATE_ALL
    # nothing more to change (the sql project's FLK202 stays, report-only)
    assert cli(Path("."), "--unsafe-fixes", "--diff") == (0, "")


def test_two_findings_of_a_rule_on_one_line_stay_two_after_another_round():
    """`from jinja2 import Markup, contextfilter`: FLK710 fixes Markup and reports
    contextfilter; a later round sees contextfilter alone, which is the same finding
    (by its message), and Markup's finding, fixed, stays."""
    from flask_fix.model import FileResult, Finding, FixLevel

    def finding(column: int, message: str, level: FixLevel) -> Finding:
        return Finding(
            "FLK710", "removed", message, "h.py", 3, column, 3, column + 5, level,
            has_fix=level is not FixLevel.REPORT,
        )  # fmt: skip

    markup = finding(20, "Markup moved", FixLevel.SAFE)
    context = finding(28, "contextfilter removed", FixLevel.REPORT)
    earlier = FileResult("h.py", findings=[markup, context], fixed=[markup], remaining=[context])
    again = finding(1, "contextfilter removed", FixLevel.REPORT)
    later = FileResult("h.py", findings=[again], remaining=[again])
    merged = fixpoint._merge(earlier, later, None, shifted=True)
    assert [(f.column, f.message) for f in merged.findings] == [
        (20, "Markup moved"), (28, "contextfilter removed")
    ]  # fmt: skip
    assert merged.fixed == [markup] and [f.column for f in merged.remaining] == [1]



def test_a_finding_on_a_line_a_fix_rewrote_is_not_taken_for_that_fix():
    """`from jinja2 import Markup, contextfilter` (tests/fixtures/catalogue/legacy): FLK710
    fixes Markup and refuses contextfilter in the first round; the second round, on the
    rewritten import, offers contextfilter's fix (unsafe), shown at the line's start,
    where Markup's was. It is contextfilter's finding, with its new word; Markup's fix
    stays (--check listed contextfilter twice and Markup not at all)."""
    from flask_fix.model import FileResult, Finding, FixLevel

    def finding(column: int, message: str, level: FixLevel) -> Finding:
        return Finding(
            "FLK710", "removed", message, "h.py", 3, column, 3, column + 5, level,
            has_fix=level is not FixLevel.REPORT,
        )  # fmt: skip

    markup = finding(1, "Markup moved", FixLevel.SAFE)
    refused = finding(28, "contextfilter removed; not rewritten", FixLevel.REPORT)
    earlier = FileResult(
        "h.py", findings=[markup, refused], fixed=[markup], remaining=[refused]
    )  # fmt: skip
    offered = finding(1, "contextfilter removed; an unsafe fix", FixLevel.UNSAFE)
    later = FileResult("h.py", findings=[offered], remaining=[offered])
    merged = fixpoint._merge(earlier, later, None, shifted=True)
    assert [(f.column, f.message) for f in merged.findings] == [
        (1, "Markup moved"), (28, "contextfilter removed; an unsafe fix")
    ]  # fmt: skip
    assert merged.fixed == [markup] and merged.remaining == [offered]

MANAGE_WITH_SERVER = code("""
    from flask_script import Manager, Server

    from app import app

    manager = Manager(app)
    manager.add_command("runserver", Server(host="0.0.0.0", passthrough_errors=True))


    @manager.command
    def hello():
        print("hi")


    if __name__ == "__main__":
        manager.run()
""")
SERVER_NOTE = "`Server(passthrough_errors=True)` is not carried over"


def test_a_note_on_a_transforms_own_rewrite_survives_a_second_round(tmp_path):
    """FLK803 converts manage.py in the first round and notes the `Server` setting it
    drops; FLK705 then FLK201 take a second round, in which FLK803 runs again on the
    converted manage.py and finds nothing. The note is left after the fixes: --check and
    the write run both list it, once, where it was."""
    app = BEFORE_FIRST_REQUEST.replace('\n\nif __name__ == "__main__":\n    app.run()\n', "")
    folder = project(tmp_path, app, "flask<2\nflask-script\n")
    (folder / "manage.py").write_text(MANAGE_WITH_SERVER)

    def notes(out: str) -> list[tuple]:
        return [
            (Path(f["path"]).name, f["line"], f["column"], f["fix_level"])
            for f in json.loads(out)["findings"] if SERVER_NOTE in f["message"]
        ]  # fmt: skip

    where = [("manage.py", 6, 57, "report")]
    status, out = cli(folder, "--unsafe-fixes", "--check", "--output-format", "json")
    assert status == 1 and notes(out) == where
    assert {f["code"] for f in json.loads(out)["findings"]} >= {"FLK201", "FLK705", "FLK803"}
    status, out = cli(folder, "--unsafe-fixes", "--output-format", "json")
    assert notes(out) == where
    assert "FlaskGroup" in (folder / "manage.py").read_text()
    assert "def create_app(" in (folder / "app.py").read_text()
    assert cli(folder, "--unsafe-fixes", "--diff") == (0, "")


def test_which_earlier_notes_a_later_round_keeps():
    """Kept: a note a transform attached to its own rewrite of the file (one of
    `notes`), which the later round does not report. Replaced: the same note reported
    again (once). Dropped, from the findings too: a report-only finding the later round
    does not make again, though its rule fixed something else in the file (a refusal
    another step's rewrite lifted: FLK202 splits `LoginManager(app)`, refuses
    `SQLAlchemy(app)`, which FLK201 later moves into `create_app()`). A fix applied
    stays."""
    import dataclasses

    from flask_fix.model import FileResult, Finding, FixLevel

    def finding(code: str, line: int, message: str, level: FixLevel) -> Finding:
        return Finding(
            code, "x", message, "m.py", line, 1, line, 5, level, has_fix=level is not FixLevel.REPORT,
        )  # fmt: skip

    fix = finding("FLK803", 5, "converted", FixLevel.UNSAFE)
    note = finding("FLK803", 6, "Server(x=1) not carried over", FixLevel.REPORT)
    refusal = finding("FLK201", 3, "cannot convert", FixLevel.REPORT)
    split = finding("FLK202", 8, "LoginManager(app) split", FixLevel.SAFE)
    kept_whole = finding("FLK202", 7, "SQLAlchemy(app) not split", FixLevel.REPORT)
    notes = {("m.py", "FLK803", "Server(x=1) not carried over")}
    earlier = FileResult(
        "m.py", findings=[refusal, fix, note, kept_whole, split], fixed=[fix, split],
        remaining=[refusal, note, kept_whole],
    )  # fmt: skip
    later = FileResult("m.py")
    merged = fixpoint._merge(earlier, later, None, shifted=True, notes=notes)
    assert merged.remaining == [note]
    assert merged.findings == [fix, note, split]
    assert merged.fixed == [fix, split]
    # not one of the notes: gone
    assert fixpoint._merge(earlier, later, None, shifted=True).remaining == []
    # reported again (its finding shown on the file as read, where the note was; left
    # on the rewritten text): once, the later one
    again = finding("FLK803", 2, "Server(x=1) not carried over", FixLevel.REPORT)
    shown = dataclasses.replace(again, line=6, end_line=6)
    later = FileResult("m.py", findings=[shown], remaining=[again])
    merged = fixpoint._merge(earlier, later, None, shifted=True, notes=notes)
    assert merged.remaining == [again] and merged.findings == [fix, shown, split]
    # a later round that speaks for the transforms alone keeps the file rules' findings
    other = finding("FLK705", 8, "removed", FixLevel.REPORT)
    earlier.remaining.append(other)
    earlier.findings.append(other)
    merged = fixpoint._merge(
        earlier, FileResult("m.py"), frozenset({"FLK201", "FLK803"}), shifted=True, notes=notes
    )
    assert merged.remaining == [note, kept_whole, other]
    assert merged.findings == [fix, note, kept_whole, split, other]
    # one that speaks for the file rules alone (the transforms did not run) keeps theirs
    merged = fixpoint._merge(
        earlier, FileResult("m.py"), None, shifted=True, but=frozenset({"FLK201", "FLK803"})
    )
    assert merged.remaining == [refusal, note] and merged.findings == [refusal, fix, note, split]


def test_a_report_whose_line_a_later_step_moved_is_the_earlier_one():
    """The secret key's finding, first on `app.config[...]` at module level, then on the
    same line inside `create_app()`: one finding, where it was. Two fixes with one
    message stay two."""
    import dataclasses

    from flask_fix.model import Edit, FileResult, Finding, FixLevel

    def finding(line: int, level: FixLevel, code: str = "FLK402") -> Finding:
        return Finding(
            code, "x", "guessable key", "m.py", line, 5, line, 9, level,
            has_fix=level is not FixLevel.REPORT,
        )  # fmt: skip

    first, moved = finding(19, FixLevel.REPORT), finding(160, FixLevel.REPORT)
    merged = fixpoint._merge(
        FileResult("m.py", findings=[first], remaining=[first]),
        FileResult("m.py", findings=[moved], remaining=[moved]), None, shifted=True,
    )  # fmt: skip
    assert [f.line for f in merged.findings] == [19] and merged.remaining == [moved]
    # an unsafe fix not applied (no --unsafe-fixes) is one too, its edits kept
    edits = (Edit(19, 5, 19, 9, "x"),)
    first = dataclasses.replace(finding(19, FixLevel.UNSAFE), edits=edits)
    # (its edits found on the changed text are not on the file as read)
    moved = dataclasses.replace(finding(160, FixLevel.UNSAFE), edits=(Edit(160, 5, 160, 9, "x"),))
    merged = fixpoint._merge(
        FileResult("m.py", findings=[first], remaining=[first]),
        FileResult("m.py", findings=[moved], remaining=[moved]), None, shifted=True,
    )  # fmt: skip
    assert [(f.line, f.edits) for f in merged.findings] == [(19, edits)]
    one, two = finding(3, FixLevel.SAFE, "FLK802"), finding(40, FixLevel.SAFE, "FLK802")
    merged = fixpoint._merge(
        FileResult("m.py", findings=[one], fixed=[one]),
        FileResult("m.py", findings=[two], fixed=[two]), None, shifted=True,
    )  # fmt: skip
    assert merged.findings == [one, two] and merged.fixed == [one, two]


BLOG = Path(__file__).parents[2] / "samples" / "legacy_blog"


def _left(out: str) -> list[tuple]:
    """(file, rule, message) of every finding of a JSON output, positions aside."""
    return sorted((f["path"], f["code"], f["message"]) for f in json.loads(out)["findings"])


def test_what_the_write_run_leaves_is_what_a_check_of_the_written_tree_finds(tmp_path, monkeypatch):
    """samples/legacy_blog takes three rounds: FLK803 converts manage.py, then FLK201
    builds the factory, which moves `db = SQLAlchemy(app)` into `create_app()` (FLK202
    had refused to split it in the first round: Flask-SQLAlchemy 2.x and a use outside a
    context). The first round's refusal is not left over: the findings the write run
    leaves are the ones a check of the written tree lists, and --check on the tree as
    read lists each finding once (the secret key's on its line), no refusal of a split
    the run makes."""
    import shutil

    shutil.copytree(BLOG, tmp_path / "blog")
    monkeypatch.chdir(tmp_path / "blog")
    here = Path(".")
    status, out = cli(here, "--unsafe-fixes", "--check", "--output-format", "json")
    checked = [(f["path"], f["line"], f["code"]) for f in json.loads(out)["findings"]]
    assert status == 1
    assert [f for f in checked if f[0] == "notebook.py" and f[2] in ("FLK202", "FLK402")] == [
        ("notebook.py", 19, "FLK402"), ("notebook.py", 27, "FLK202")
    ]  # fmt: skip
    status, out = cli(here, "--unsafe-fixes", "--output-format", "json")
    left = _left(out)
    assert not [f for f in left if f[1] == "FLK202"]
    # the note FLK803 attached to its rewrite of manage.py is not found on its output
    note = [f for f in left if "Flask-Script made it the exit status" in f[2]]
    assert [f[:2] for f in note] == [("manage.py", "FLK803")]
    status, out = cli(here, "--unsafe-fixes", "--check", "--output-format", "json")
    assert _left(out) == [f for f in left if f not in note]
    assert cli(here, "--unsafe-fixes", "--diff") == (0, "")


MANAGE_APP = code("""
    from flask_script import Manager

    from app import app

    manager = Manager(app)


    @manager.command
    def hello():
        print("hi")


    if __name__ == "__main__":
        manager.run()
""")
MANAGE_APP_FIXED = code("""
    from flask.cli import FlaskGroup

    from app import create_app

    app = create_app()


    @app.cli.command('hello')
    def hello():
        print("hi")


    if __name__ == "__main__":
        FlaskGroup(create_app=lambda: app)()
""")


@pytest.mark.parametrize("waits", [True, False], ids=["two-rounds", "one-round"])
def test_flask_script_and_the_factory_give_one_script_whichever_round_converts_the_app(
    tmp_path, waits
):
    """FLK803 converts manage.py (`Manager(app)`) in the first round. When the app
    waits for FLK705 (`before_first_request`), FLK201 converts it in the second round,
    on FLK803's output: manage.py is the same entry script as when both run in one round
    (`app = create_app()`, its CLI command on that app), not a views module whose
    `FlaskGroup(create_app=lambda: current_app._get_current_object())` fails outside a
    context. `python manage.py hello` runs."""
    app = BEFORE_FIRST_REQUEST.replace('\n\nif __name__ == "__main__":\n    app.run()\n', "")
    if not waits:
        app = app.replace("@app.before_first_request\n", "")
    folder = project(tmp_path, app, "flask<2\nflask-script\n")
    (folder / "manage.py").write_text(MANAGE_APP)
    status, out = cli(folder, "--unsafe-fixes")
    assert status == 1 and "fixed" in out and "FLK203" not in out
    assert (folder / "manage.py").read_text() == MANAGE_APP_FIXED
    written = (folder / "app.py").read_text()
    assert "def create_app(" in written and "manage" not in written
    ast.parse(written)
    ran = subprocess.run(
        [sys.executable, "manage.py", "hello"], cwd=folder, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert (ran.returncode, ran.stdout) == (0, "hi\n"), ran.stderr[-2000:]
    assert cli(folder, "--unsafe-fixes", "--diff") == (0, "")
