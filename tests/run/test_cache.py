"""The run cache (flask_fix.run.cache): cached runs give exactly the results of uncached ones,
skip the work they can, and notice every change that matters."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_fix.run import cache as cache_module
from flask_fix.run import runner
from flask_fix.run import fixpoint
from flask_fix.cli import main

SAMPLES = Path(__file__).parents[2] / "samples"

APP = textwrap.dedent(
    """\
    import json
    from flask import Flask

    app = Flask(__name__)


    @app.route("/items")
    def items():
        return json.dumps([])
    """
)
VIEWS = textwrap.dedent(
    """\
    from flask import redirect
    from shop.app import app


    @app.route("/go")
    def go():
        return redirect("/items")
    """
)


class Counted:
    """Which files the scan and fix phases really worked on (runs with -j 1 stay in
    this process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scanned: list[str] = []
        self.fixed: list[str] = []
        # fixed again by the run's later rounds (flask_fix.run.fixpoint), which the cache
        # does not keep: each of them carries the text the run has changed
        self.refixed: list[str] = []
        self._later = False
        scan, fix, settle = runner.scan_file, runner.fix_file, fixpoint.settle

        def counting_scan(path):
            self.scanned.append(path)
            return scan(path)

        def counting_fix(work):
            (self.refixed if self._later else self.fixed).append(work[0])
            return fix(work)

        def counting_settle(first, rounds):
            fix_round = rounds.fix

            def later_round(items, index):
                self._later = True
                return fix_round(items, index)

            rounds.fix = later_round
            try:
                return settle(first, rounds)
            finally:
                self._later = False

        monkeypatch.setattr(runner, "scan_file", counting_scan)
        monkeypatch.setattr(runner, "fix_file", counting_fix)
        monkeypatch.setattr(fixpoint, "settle", counting_settle)

    def reset(self) -> None:
        self.scanned.clear()
        self.fixed.clear()
        self.refixed.clear()


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    (project / "shop").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    (project / "shop" / "__init__.py").write_text("")
    (project / "shop" / "app.py").write_text(APP)
    (project / "shop" / "views.py").write_text(VIEWS)
    (project / "shop" / "util.py").write_text("def helper():\n    return 1\n")
    _age(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FLASK_FIX_CACHE_DIR", str(tmp_path / "cache"))
    return project


def _age(project: Path) -> None:
    """Files written long ago: their size and time are trusted, as in a real checkout
    (files written within the last seconds are always read again, see RACY_SECONDS)."""
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def _edit(path: Path, text: str) -> None:
    """Change a file as an editor would, its time moving forward."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["-j", "1", "--output-format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def uncached(*args: str) -> tuple[int, dict]:
    return run("--no-cache", *args)


def test_a_second_run_replays_the_first_without_scanning_or_fixing(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    counted = Counted(monkeypatch)
    first = run("--check", ".")
    assert sorted(counted.scanned) == [
        "shop/__init__.py", "shop/app.py", "shop/util.py", "shop/views.py"
    ]  # fmt: skip
    assert sorted(counted.fixed) == ["shop/app.py", "shop/views.py"]
    counted.reset()
    second = run("--check", ".")
    assert (counted.scanned, counted.fixed) == ([], [])
    assert second == first == uncached("--check", ".")
    codes = [(f["path"], f["code"], f["fix"] is not None) for f in first[1]["findings"]]
    assert ("shop/views.py", "FLK102", True) in codes


def test_an_edit_inside_a_function_rescans_and_refixes_only_that_file(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(shop / "shop" / "app.py", APP.replace("return json.dumps([])", "return json.dumps([1])"))
    after = run("--check", ".")
    assert counted.scanned == ["shop/app.py"]
    assert counted.fixed == ["shop/app.py"]  # views.py: same content, same index facts
    assert after == uncached("--check", ".")
    (dumps,) = [f for f in after[1]["findings"] if f["code"] == "FLK101"]
    assert (dumps["line"], dumps["column"]) == (9, 12)


def test_a_route_changed_in_another_module_refixes_the_modules_that_depend_on_it(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    before = run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(shop / "shop" / "app.py", APP.replace('"/items"', '"/things"'))
    after = run("--check", ".")
    assert counted.scanned == ["shop/app.py"]
    assert sorted(counted.fixed) == ["shop/app.py", "shop/views.py"]
    assert after == uncached("--check", ".")

    def redirect_finding(output: dict) -> tuple:
        (found,) = [f for f in output[1]["findings"] if f["code"] == "FLK102"]
        return found["path"], found["fix_level"], found["fix"] is not None

    assert redirect_finding(before) == ("shop/views.py", "intended", True)
    assert redirect_finding(after) == ("shop/views.py", "report", False)


MARKUP = textwrap.dedent(
    """\
    # labels shown in the shop
    from flask import Markup


    class Label(Markup):
        pass


    LABEL = Markup("<b>shop</b>")
    """
)


def _with_markup_module(shop: Path) -> Path:
    """A module FLK702 fixes, holding nothing the index links (no app, route, view);
    its own facts hold the line of its class."""
    module = shop / "shop" / "markup.py"
    module.write_text(MARKUP)
    _age(shop)
    return module


def test_a_line_added_above_a_module_without_flask_facts_refixes_only_it(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    """Its facts' lines move, and nothing of the linked index changes."""
    markup = _with_markup_module(shop)
    run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(markup, '"""Labels."""\n' + MARKUP)
    after = run("--check", ".")
    assert counted.scanned == ["shop/markup.py"]
    assert counted.fixed == ["shop/markup.py"]
    assert after == uncached("--check", ".")
    labels = [f for f in after[1]["findings"] if f["code"] == "FLK702"]
    assert [(f["path"], f["line"]) for f in labels] == [("shop/markup.py", 3)]
    assert labels[0]["message"].startswith("`Markup` was removed from flask in Flask 3.0")


def test_a_comment_edited_refixes_only_that_file(shop: Path, monkeypatch: pytest.MonkeyPatch):
    markup = _with_markup_module(shop)
    app = shop / "shop" / "app.py"
    app.write_text("# the shop's app\n" + APP)
    _age(shop)
    run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(app, "# the application of the shop\n" + APP)
    after = run("--check", ".")
    assert counted.scanned == ["shop/app.py"]
    assert counted.fixed == ["shop/app.py"]  # its routes' lines and URLs are the same
    assert after == uncached("--check", ".")
    _edit(markup, MARKUP.replace("# labels shown in the shop", "# the shop's labels"))
    counted.reset()
    assert run("--check", ".") == after
    assert counted.fixed == ["shop/markup.py"]


def test_a_route_changed_refixes_the_files_that_read_routes_and_no_other(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    """views.py's FLK102 reads the routes, markup.py's FLK702 does not."""
    _with_markup_module(shop)
    run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(shop / "shop" / "app.py", APP.replace('"/items"', '"/things"'))
    after = run("--check", ".")
    assert sorted(counted.fixed) == ["shop/app.py", "shop/views.py"]
    assert after == uncached("--check", ".")
    (redirect,) = [f for f in after[1]["findings"] if f["code"] == "FLK102"]
    assert (redirect["path"], redirect["fix"]) == ("shop/views.py", None)  # /items is gone


def test_a_line_added_above_the_routes_refixes_the_files_that_read_them(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    """A route's line is part of the index (FLK102 names where a route is declared)."""
    _with_markup_module(shop)
    run("--check", ".")
    counted = Counted(monkeypatch)
    _edit(shop / "shop" / "app.py", '"""The app."""\n' + APP)
    after = run("--check", ".")
    assert sorted(counted.fixed) == ["shop/app.py", "shop/views.py"]
    assert after == uncached("--check", ".")


def test_a_new_module_invalidates_what_the_index_says(shop: Path, monkeypatch: pytest.MonkeyPatch):
    run("--check", ".")
    other = shop / "shop" / "other.py"
    other.write_text(
        'from shop.app import app\n\n\n@app.route("/items")\ndef also_items():\n    return ""\n'
    )
    counted = Counted(monkeypatch)
    after = run("--check", ".")
    assert counted.scanned == ["shop/other.py"]
    assert after == uncached("--check", ".")
    messages = [f["message"] for f in after[1]["findings"] if f["code"] == "FLK102"]
    assert len(messages) == 1 and "routes" in messages[0]  # now ambiguous: two routes


def test_selection_and_configuration_changes_are_other_runs(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    run("--check", ".")
    counted = Counted(monkeypatch)
    selected = run("--check", "--select", "FLK101", ".")
    assert len(counted.scanned) == 4  # another selection: nothing recorded for it yet
    assert selected == uncached("--check", "--select", "FLK101", ".")
    assert {f["code"] for f in selected[1]["findings"]} == {"FLK101"}
    counted.reset()
    (shop / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\n\n[tool.flask-fix]\nignore = ['FLK102']\n"
    )
    configured = run("--check", ".")
    assert counted.scanned  # the selection changed through the file
    assert configured == uncached("--check", ".")
    assert "FLK102" not in {f["code"] for f in configured[1]["findings"]}
    assert "FLK101" in {f["code"] for f in configured[1]["findings"]}


def test_modes_and_fix_settings_do_not_share_results(shop: Path):
    check = run("--check", ".")
    diff = run("--diff", ".")
    assert diff == uncached("--diff", ".")
    unsafe = run("--check", "--unsafe-fixes", ".")
    assert unsafe == uncached("--check", "--unsafe-fixes", ".")
    assert check == run("--check", ".")
    plain = CliRunner().invoke(main, ["-j", "1", "--diff", "."])
    assert plain.stdout == CliRunner().invoke(main, ["-j", "1", "--no-cache", "--diff", "."]).stdout
    assert "+    return jsonify([])" in plain.stdout


def test_another_tool_version_does_not_reuse_results(shop: Path, monkeypatch: pytest.MonkeyPatch):
    run("--check", ".")
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    counted = Counted(monkeypatch)
    assert run("--check", ".") == uncached("--check", ".")
    assert len(counted.scanned) == 8  # the cached run and the uncached one both scan


def test_another_libcst_version_does_not_reuse_results(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    """The fixes are LibCST's output: after LibCST is upgraded, nothing recorded with the
    old one is replayed or reused."""
    first = run("--check", ".")
    monkeypatch.setattr(cache_module, "_libcst_version", lambda: "0.0.1")
    counted = Counted(monkeypatch)
    assert run("--check", ".") == first
    assert sorted(counted.scanned) == [
        "shop/__init__.py", "shop/app.py", "shop/util.py", "shop/views.py"
    ]  # fmt: skip
    assert sorted(counted.fixed) == ["shop/app.py", "shop/views.py"]


def test_the_libcst_version_is_the_installed_one():
    from importlib import metadata

    assert cache_module._libcst_version() == metadata.version("libcst")


SEND = textwrap.dedent(
    """\
    from flask import Flask, send_from_directory

    app = Flask(__name__)


    @app.route("/files/<name>")
    def files(name):
        return send_from_directory("static", name, cache_timeout=0)
    """
)


def test_a_replay_follows_the_requirements_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A replayed run reads no requirement (the key holds the requirement files by name
    and content, and what they include): editing an included file, adding a requirements
    file or a project root is another run, with the results an uncached run gives."""
    project = tmp_path / "project"
    (project / "deps").mkdir(parents=True)
    (project / "app.py").write_text(SEND)
    (project / "requirements.txt").write_text("-r deps/base.txt\n")
    (project / "deps" / "base.txt").write_text("Flask==1.1.2\n")
    _age(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FLASK_FIX_CACHE_DIR", str(tmp_path / "cache"))

    def flk703() -> tuple[list[bool], list[str]]:
        """Whether each FLK703 finding has a fix, and the files the cached run fixed."""
        counted.reset()
        result = run("--check", ".")
        fixed = list(counted.fixed)
        assert result == uncached("--check", ".")
        return [f["fix"] is not None for f in result[1]["findings"] if f["code"] == "FLK703"], fixed

    counted = Counted(monkeypatch)
    assert flk703() == ([False], ["app.py"])  # Flask 1.1.2 allowed: reported, not rewritten
    assert flk703() == ([False], [])  # replayed
    _edit(project / "deps" / "base.txt", "Flask>=2.2\n")
    assert flk703() == ([True], ["app.py"])
    (project / "requirements-dev.txt").write_text("flask==1.0\n")
    assert flk703() == ([False], ["app.py"])
    (project / "requirements-dev.txt").unlink()
    assert flk703() == ([True], ["app.py"])
    from flask_fix.index import pins

    expected = run("--check", ".")
    monkeypatch.setattr(pins, "requirements_of", None)  # a replay does not read them
    assert run("--check", ".") == expected


def test_writing_fixes_then_running_again(shop: Path):
    code, _ = run(".")
    assert code == 1
    assert "jsonify([])" in (shop / "shop" / "app.py").read_text()
    assert run(".") == uncached(".")
    assert run("--check", ".") == uncached("--check", ".")


def test_an_unchanged_run_writes_nothing(shop: Path, tmp_path: Path):
    run("--check", ".")
    run("--check", ".")

    def stamps() -> dict:
        files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
        return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}

    before = stamps()
    assert len(before) == 6  # CACHEDIR.TAG, .gitignore and the four layers
    run("--check", ".")
    assert stamps() == before


def test_a_file_rewritten_within_the_same_clock_tick_is_read_again(shop: Path):
    app = shop / "shop" / "app.py"
    app.write_text(APP)  # just written: too recent for its time to be trusted
    before = run("--check", ".")
    stat = app.stat()
    app.write_text(APP.replace("json.dumps([])", "json.loads([])"))  # same size, same time
    os.utime(app, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = run("--check", ".")
    assert after == uncached("--check", ".")
    assert [f["code"] for f in before[1]["findings"]].count("FLK101") == 1
    assert [f["code"] for f in after[1]["findings"]].count("FLK101") == 0


def test_a_corrupt_cache_is_a_miss(shop: Path, tmp_path: Path):
    first = run("--check", ".")
    layers = list((tmp_path / "cache").rglob("*.pickle"))
    assert {p.name for p in layers} == {
        "files.pickle",
        "scans.pickle",
        "fixes.pickle",
        "runs.pickle",
    }
    for path in layers:
        path.write_bytes(path.read_bytes()[:40])
    assert run("--check", ".") == first
    for path in layers:
        path.write_bytes(b"not a pickle")
    assert run("--check", ".") == first


class Payload:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_a_foreign_pickle_in_the_cache_is_never_run(shop: Path, tmp_path: Path):
    first = run("--check", ".")
    for path in (tmp_path / "cache").rglob("*.pickle"):
        path.write_bytes(pickle.dumps({"shop/app.py": Payload()}))
    assert run("--check", ".") == first
    assert not (shop / "pwned").exists()


def test_the_cache_folder_in_the_project_root(shop: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("FLASK_FIX_CACHE_DIR")
    monkeypatch.chdir(shop / "shop")
    run("--check", "views.py")
    folder = shop / ".flask_fix_cache"
    assert (folder / ".gitignore").read_text() == "# Created by flask-fix automatically.\n*\n"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    assert not (shop / "shop" / ".flask_fix_cache").exists()


def test_cache_dir_option_and_no_cache(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("FLASK_FIX_CACHE_DIR")
    run("--check", "--no-cache", ".")
    assert not (shop / ".flask_fix_cache").exists()
    run("--check", "--cache-dir", str(tmp_path / "elsewhere"), ".")
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").exists()
    assert not (shop / ".flask_fix_cache").exists()


def test_a_project_with_a_cross_module_rewrite_cached_and_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = tmp_path / "legacy_pkg"
    shutil.copytree(SAMPLES / "legacy_pkg", project, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "pyproject.toml").write_text("[project]\nname = 'bookshelf'\n")
    _age(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FLASK_FIX_CACHE_DIR", str(tmp_path / "cache"))
    for args in (("--check", "--unsafe-fixes"), ("--diff", "--unsafe-fixes"), ("--check",)):
        cold, warm = run(*args, "."), run(*args, ".")
        assert cold == warm == uncached(*args, ".")
    codes = {f["code"] for f in cold[1]["findings"]}
    assert {"FLK201", "FLK203"} <= codes
    # the factory rewrite renames endpoints in the templates it reads and lists
    templates = project / "bookshelf" / "templates"

    def patch() -> str:
        cached = CliRunner().invoke(main, ["-j", "1", "--diff", "--unsafe-fixes", "."]).stdout
        fresh = CliRunner().invoke(main, ["-j", "1", "--no-cache", "--diff", "--unsafe-fixes", "."])
        assert cached == fresh.stdout
        return cached

    patch()
    _edit(
        templates / "about.html",
        (templates / "about.html").read_text() + "{{ url_for('index') }}\n",
    )
    assert "+{{ url_for('views.index') }}" in patch()
    (templates / "new.html").write_text("<a href=\"{{ url_for('index') }}\">x</a>\n")
    assert "+<a href=\"{{ url_for('views.index') }}\">x</a>" in patch()


def test_an_unwritable_cache_folder_only_costs_speed(shop: Path, tmp_path: Path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be\n")
    first = run("--check", "--cache-dir", str(blocked), ".")
    assert first == uncached("--check", ".")
    assert blocked.read_text() == "a file where the cache folder would be\n"


def test_concurrent_runs_share_one_cache(shop: Path, tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    command = [sys.executable, "-m", "flask_fix", "--check", "--output-format", "json", "."]
    expected = uncached("--check", ".")[1]
    for _ in range(2):
        processes = [
            subprocess.Popen(command, cwd=shop, env=env, stdout=subprocess.PIPE) for _ in range(3)
        ]
        outputs = [json.loads(p.communicate()[0]) for p in processes]
        assert outputs == [expected] * 3
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # no temporary file left behind


# --- pruning the folders of other settings and tool versions ----------------------------

HOUR = 3600.0


def _settings_folders(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_dir())


def _old_folder(cache: Path, name: str, idle: float) -> Path:
    """The folder of other settings, last used `idle` seconds ago."""
    folder = cache / name
    folder.mkdir(parents=True)
    (folder / "files.pickle").write_bytes(pickle.dumps({}))
    when = cache_module.time.time() - idle
    os.utime(folder, (when, when))
    return folder


def test_folders_unused_for_a_week_are_pruned(shop: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    stale = _old_folder(cache, "a" * 32, 8 * 24 * HOUR)
    recent = _old_folder(cache, "b" * 32, 2 * 24 * HOUR)
    keep = [cache / "user-file", cache / "0123"]  # not ours: never touched
    keep[0].write_text("x")
    keep[1].mkdir()
    run("--check", ".")
    current = [p for p in _settings_folders(cache) if p not in (recent, keep[1])]
    assert len(current) == 1 and current[0].name != stale.name
    assert not stale.exists() and recent.exists() and all(p.exists() for p in keep)
    assert (current[0] / "fixes.pickle").exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".trash-")]


def test_beyond_eight_folders_the_least_recently_used_go_unless_just_used(
    shop: Path, tmp_path: Path
):
    cache = tmp_path / "cache"
    # nine other folders: idle 2 h, 3 h, ... 10 h; and one used half an hour ago
    idle = {f"{n:032x}": (n + 1) * HOUR for n in range(1, 10)}
    for name, seconds in idle.items():
        _old_folder(cache, name, seconds)
    in_use = _old_folder(cache, "f" * 32, 0.5 * HOUR)
    run("--check", ".")
    # kept: this run's folder, the one in use and the six most recently used others
    survivors = {p.name for p in _settings_folders(cache)} - {"f" * 32}
    assert in_use.exists()
    assert sorted(n for n in survivors if n in idle) == sorted(idle)[:6]
    assert len(survivors) == 7  # six others and this run's own


def test_a_replayed_run_marks_its_folder_used(shop: Path, tmp_path: Path):
    run("--check", ".")
    [folder] = _settings_folders(tmp_path / "cache")
    long_ago = cache_module.time.time() - 30 * 24 * HOUR
    os.utime(folder, (long_ago, long_ago))
    _, document = run("--check", ".")  # replayed: nothing is written
    assert folder.stat().st_mtime > long_ago + 29 * 24 * HOUR
    assert document["findings"]


def test_a_folder_pruned_under_a_running_run_is_only_a_miss(shop: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    run("--check", ".")
    [folder] = _settings_folders(cache)
    reading = cache_module.RunCache(str(cache), scan_key=None, run_key=None)
    reading.layer_folder = str(folder)  # a run of these settings, its layers loaded
    for name in ("files", "scans", "fixes", "runs"):
        reading._layer(name)
    cache_module._remove(str(folder), cache_module.time.time())  # another run prunes it
    assert not folder.exists()
    reading._changed("fixes")
    reading.save()  # the folder comes back with what this run knew
    assert (folder / "fixes.pickle").exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".trash-")]
    # and a run reading it now finds a complete cache or a miss, never an error
    _, document = run("--check", ".")
    assert document == uncached("--check", ".")[1]


def test_temporary_files_of_killed_runs_are_removed(shop: Path, tmp_path: Path):
    run("--check", ".")
    [folder] = _settings_folders(tmp_path / "cache")
    old, fresh = folder / ".tmp-old.pickle", folder / ".tmp-fresh.pickle"
    old.write_bytes(b"partial")
    fresh.write_bytes(b"being written")
    long_ago = cache_module.time.time() - 2 * HOUR
    os.utime(old, (long_ago, long_ago))
    cache_module.prune(str(tmp_path / "cache"), str(folder))
    assert not old.exists() and fresh.exists()


def test_database_uses_outside_a_context_are_read_from_cached_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """FLK202 weighs where a Flask-SQLAlchemy 2.x `db` is used outside an app context
    (legacy_db): the uses come from each module's facts, so a replayed run finds them
    without scanning, and an edit to the using module changes the verdict."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'tasks'\n")
    (project / "app.py").write_text(
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
        "app = Flask(__name__)\ndb = SQLAlchemy(app)\n"
    )
    (project / "setup_db.py").write_text("from app import db\n\ndb.create_all()\n")
    _age(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FLASK_FIX_CACHE_DIR", str(tmp_path / "cache"))
    counted = Counted(monkeypatch)

    first = run("--check", "--select", "FLK202", ".")
    [finding] = first[1]["findings"]
    assert (finding["path"], finding["fix_level"]) == ("app.py", "report")
    assert "`db.create_all` runs outside an application context (setup_db.py:3)" in finding["message"]
    counted.reset()
    assert run("--check", "--select", "FLK202", ".") == first
    assert counted.scanned == []

    _edit(project / "setup_db.py", "from app import app, db\n\nwith app.app_context():\n    db.create_all()\n")
    third = run("--check", "--select", "FLK202", ".")
    assert counted.scanned == ["setup_db.py"]
    assert [f["fix_level"] for f in third[1]["findings"]] == ["safe"]
    assert third == uncached("--check", "--select", "FLK202", ".")


def test_a_line_moved_in_a_module_using_the_database_refixes_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The reads legacy_db links are kept out of the fields the rules read (not in
    `contexts`): their lines move with every edit above them."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'tasks'\n")
    (project / "app.py").write_text(
        "import threading\nfrom flask import Flask, current_app\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
        "app = Flask(__name__)\ndb = SQLAlchemy()\n\n\ndef warm():\n    current_app.logger.info('x')\n\n\n"
        "@app.route('/')\ndef index():\n    threading.Thread(target=warm).start()\n    return 'ok'\n"
    )
    setup_db = project / "setup_db.py"
    setup_db.write_text("from app import db\n\ndb.create_all()\n")
    _age(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FLASK_FIX_CACHE_DIR", str(tmp_path / "cache"))
    counted = Counted(monkeypatch)
    first = run("--check", ".")
    assert "app.py" in counted.fixed
    assert ("app.py", "FLK303") in [(f["path"], f["code"]) for f in first[1]["findings"]]
    counted.reset()
    _edit(setup_db, "# create the tables\nfrom app import db\n\ndb.create_all()\n")
    after = run("--check", ".")
    assert counted.scanned == ["setup_db.py"]
    assert "app.py" not in counted.fixed
    assert after == uncached("--check", ".")


def test_the_tool_fingerprint_covers_every_module_of_the_package(tmp_path, monkeypatch):
    """A rule changed in a development checkout (no version bump) must not reuse what the
    old code recorded: the fingerprint reads the whole flask_fix package, sub-folders
    included, not only the cache module's own folder."""
    import flask_fix

    assert Path(cache_module._PACKAGE) == Path(flask_fix.__file__).parent
    package = tmp_path / "flask_fix"
    for relative in ("__init__.py", "version.py", "run/cache.py", "codemods/rule.py"):
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text(f"# {relative}\n")
    monkeypatch.setattr(cache_module, "_PACKAGE", str(package))
    fingerprints = {cache_module._tool_fingerprint()}
    for relative in ("version.py", "codemods/rule.py", "run/cache.py"):
        with open(package / relative, "a") as file:
            file.write("x = 1\n")
        fingerprints.add(cache_module._tool_fingerprint())
    assert len(fingerprints) == 4
    (package / "run" / "__pycache__").mkdir()
    (package / "run" / "__pycache__" / "cache.py").write_text("ignored\n")
    assert cache_module._tool_fingerprint() in fingerprints


def test_a_cache_folder_inside_the_project_does_not_stop_the_replay(
    shop: Path, monkeypatch: pytest.MonkeyPatch
):
    """--cache-dir inside the project: the factory's rewrite lists the project's files
    (deployment files), a dependency of the run, and the cache folder, written after that
    listing, is none of them (it holds CACHEDIR.TAG). The second run replays."""
    monkeypatch.delenv("FLASK_FIX_CACHE_DIR")
    first = run("--check", "--unsafe-fixes", "--cache-dir", "cache", ".")
    assert any(f["code"] == "FLK201" for f in first[1]["findings"])
    counted = Counted(monkeypatch)
    second = run("--check", "--unsafe-fixes", "--cache-dir", "cache", ".")
    assert (counted.scanned, counted.fixed) == ([], [])
    assert second == first
