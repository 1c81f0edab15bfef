"""The README stays true: its rule table is the rules' own metadata, and CI runs its
test command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from flask_fix.ruletable import markdown_table, with_table

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()


def test_rule_table_is_generated_from_the_rules():
    assert with_table(README) == README, "run: python -m flask_fix.ruletable README.md"
    assert markdown_table() in README


def _block(marker: str) -> str:
    section = README.split(f"<!-- {marker}:begin -->")[1].split(f"<!-- {marker}:end -->")[0]
    return section.split("```sh\n")[1].split("```")[0].strip()


def test_the_two_commands_a_new_user_runs():
    run = _block("run-command")
    assert "pip install ." in run and "flask-fix --diff samples/" in run
    test = _block("test-command")
    assert "pip install -e '.[test]'" in test and "pytest" in test


def test_ci_extracts_the_readme_test_command():
    """.ci/run reads the command out of the README, so the two cannot drift apart."""
    extracted = subprocess.run(
        ["bash", "-c", "sed -n '/<!-- test-command:begin -->/,/<!-- test-command:end -->/p' "
         "README.md | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d'"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert extracted == _block("test-command")
    assert "test-command:begin" in (ROOT / ".ci" / "run").read_text()


def test_every_option_of_the_command_is_in_the_use_block():
    from flask_fix.cli import main

    block = README.split("## Use\n")[1].split("```")[1]
    options = {
        name
        for param in main.params
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--") and name not in ("--help", "--version")
    }
    missing = sorted(o for o in options if o not in block)
    assert missing == []
