"""What a run loads: the command's answers that need no parsing (--list-rules, --explain,
a configuration error, a run the cache replays) load neither LibCST nor the rules (a
replay not even the index or the run's pipeline: flask_fix.run.start), and
the copy of the rules' metadata they read instead (flask_fix.meta.ruleinfo) is the rules'."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flask_fix import codemods, ruletable
from flask_fix.meta import ruleinfo

#: run the command in a fresh interpreter, then list the modules it must not have loaded
PROBE = textwrap.dedent(
    """\
    import sys
    from flask_fix.cli import main
    try:
        main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
    # every rule module imports rewrite.base (a rule is a LibCST visitor); a replay needs
    # neither the pipeline (runner), the index, the requirements' parser nor a pool
    heavy = [m for m in sys.modules
             if m.partition(".")[0] in ("libcst", "packaging", "multiprocessing")
             or m in ("flask_fix.rewrite.base", "flask_fix.run.engine", "flask_fix.run.transforms",
                      "flask_fix.api", "flask_fix.run.runner", "flask_fix.index.project",
                      "flask_fix.index.pins", "flask_fix.output.interactive")]
    print("loaded:", *sorted(heavy), file=sys.stderr)
    sys.exit(code)
    """
)
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


def probe(*arguments: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, the heavy modules loaded) of `flask-fix ARGUMENTS`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, cwd=cwd
    )
    loaded = done.stderr.rpartition("loaded:")[2].strip()
    return done.returncode, done.stdout, loaded


def test_the_generated_metadata_is_the_rules():
    source = Path(ruletable.DATA_PATH).read_text(encoding="utf-8")
    assert source == ruletable.ruleinfo_source(), "run: python -m flask_fix.ruletable README.md"


def test_every_rule_reads_the_same_through_its_metadata():
    classes = codemods.all_rules()
    infos = ruleinfo.all_rules()
    assert [info.code for info in infos] == [rule.code for rule in classes]
    for info, rule in zip(infos, classes):
        assert (info.name, info.fix_level, info.summary) == (rule.name, rule.fix_level, rule.summary)
        assert info.documentation() == rule.documentation()
        assert info.doc_sections() == rule.doc_sections()
    assert [r.code for r in ruleinfo.select_rules(("FLK1",), ("FLK102",))] == [
        r.code for r in codemods.select_rules(("FLK1",), ("FLK102",))
    ]


def test_the_kinds_and_file_patterns_are_the_rules():
    by_code = {info.code: info for info in ruleinfo.all_rules()}
    python = {r.code for r in codemods.python_rules(codemods.all_rules())}
    transforms = {r.code for r in codemods.project_transforms(codemods.all_rules())}
    # a Python rule's project part (FLK802's templates) keeps the rule's kind
    parts = {r.code for r in codemods.python_rules(codemods.all_rules()) if r.project_part}
    assert {c for c, info in by_code.items() if info.kind == ruleinfo.PYTHON} == python
    assert {c for c, info in by_code.items() if info.kind == ruleinfo.PROJECT} == transforms - parts
    patterns = {r.code: r.file_patterns for r in codemods.text_rules(codemods.all_rules())}
    assert {c: info.file_patterns for c, info in by_code.items() if info.file_patterns} == patterns


@pytest.mark.parametrize(
    "arguments",
    [("--list-rules",), ("--explain", "FLK102"), ("--select", "FLK999", ".")],
    ids=["list-rules", "explain", "unknown-code"],
)
def test_answers_without_parsing_load_no_rule(arguments):
    code, output, loaded = probe(*arguments)
    assert code in (0, 2)
    assert loaded == ""


def test_a_bad_configuration_loads_no_rule(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.flask-fix]\nselect = ["FLK999"]\n')
    code, _, loaded = probe("--check", ".", cwd=tmp_path)
    assert code == 2
    assert loaded == ""


def test_a_replayed_run_loads_no_rule_and_prints_the_same(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "pyproject.toml").write_text("[tool.flask-fix]\n")
    arguments = ("--check", "--output-format", "json", "--cache-dir", str(tmp_path / "c"), ".")
    first_code, first_output, first_loaded = probe(*arguments, cwd=tmp_path)
    assert "libcst" in first_loaded.split()  # the first run parsed app.py
    code, output, loaded = probe(*arguments, cwd=tmp_path)
    assert (code, output) == (first_code, first_output) == (1, first_output)
    assert '"code": "FLK101"' in output
    assert loaded == ""
