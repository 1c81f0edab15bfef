"""`--list-rules` lists the whole catalogue and `--explain` prints every rule's five
sections, through the click command itself (in process: one subprocess per code would
cost more than the rest of this file)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flask_fix.cli import main
from flask_fix.codemods import all_rules
from flask_fix.rewrite.base import DOC_SECTIONS

#: every code of the catalogue (RULES.md): a rule missing from the registry fails here
CATALOGUE = [
    *("FLK101", "FLK102", "FLK103", "FLK104", "FLK105"),
    *("FLK201", "FLK202", "FLK203", "FLK204"),
    *("FLK301", "FLK302", "FLK303", "FLK304", "FLK305"),
    *("FLK401", "FLK402", "FLK403", "FLK404"),
    *("FLK501", "FLK502", "FLK503", "FLK504", "FLK505", "FLK506"),
    *("FLK601", "FLK602", "FLK603"),
    *("FLK701", "FLK702", "FLK703", "FLK704", "FLK705", "FLK706", "FLK707", "FLK708"),
    *("FLK709", "FLK710", "FLK711", "FLK712"),
    *("FLK801", "FLK802", "FLK803", "FLK804", "FLK805", "FLK806"),
]
RULES = all_rules()


def test_the_registry_holds_the_whole_catalogue():
    assert sorted(rule.code for rule in RULES) == CATALOGUE


def test_list_rules_names_every_rule_once():
    result = CliRunner().invoke(main, ["--list-rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:3] for line in lines] == [
        [rule.code, rule.name, rule.fix_level.value] for rule in RULES
    ]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_explain_prints_the_five_sections(rule):
    result = CliRunner().invoke(main, ["--explain", rule.code.lower()])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(f"{rule.code} {rule.name} (fix: {rule.fix_level.value})\n")
    # each heading once, in order, each followed by text of its own
    positions = [text.index(f"\n{section}:\n") for section in DOC_SECTIONS]
    assert positions == sorted(positions)
    assert all(text.count(f"\n{section}:\n") == 1 for section in DOC_SECTIONS)
    for section, body in rule.doc_sections().items():
        assert body.strip(), section
        assert body.splitlines()[0].strip() in text
