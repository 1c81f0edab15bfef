"""Every rule's own examples, as data in its module, become these tests (Fixit's idea).

An invalid example must produce exactly its `after` text (or stay unchanged when `after`
is None), the output must parse, a second run must change nothing, and the rule must have
reported at least one finding. A valid example must stay byte-identical with no finding,
even with unsafe fixes enabled.
"""

from __future__ import annotations

import ast
import re

import pytest

from flask_fix import fix_code
from flask_fix.codemods import all_rules, python_rules, text_rules
from flask_fix.rewrite.base import DOC_SECTIONS
from flask_fix.index.project import index_from_sources
from flask_fix.index.triage import TriageModule, rules_for_module

RULES = python_rules(all_rules())
TEXT_RULES = text_rules(all_rules())

INVALID = [
    pytest.param(rule, example, id=f"{rule.code}-invalid-{n}")
    for rule in RULES
    for n, example in enumerate(rule.invalid)
]
VALID = [
    pytest.param(rule, source, id=f"{rule.code}-valid-{n}")
    for rule in RULES
    for n, source in enumerate(rule.valid)
]


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_fixed_exactly(rule, example):
    result = fix_code(example.before, select=(rule.code,), unsafe=example.unsafe)
    expected = example.before if example.after is None else example.after
    assert result.source == expected
    ast.parse(result.source)
    assert [f for f in result.findings if f.code == rule.code], "the rule reported nothing"
    again = fix_code(result.source, select=(rule.code,), unsafe=example.unsafe)
    assert again.source == result.source


@pytest.mark.parametrize(("rule", "source"), VALID)
def test_valid_example_is_untouched(rule, source):
    result = fix_code(source, select=(rule.code,), unsafe=True)
    assert result.source == source
    assert [f for f in result.findings if f.code == rule.code] == []


TEXT_EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-text-{n}")
    for rule in TEXT_RULES
    for n, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), TEXT_EXAMPLES)
def test_text_rule_examples(rule, example):
    index = index_from_sources(dict(example.project)) if example.project else None
    found = rule(index).check(example.filename, example.text)
    assert tuple(f.line for f in found) == example.lines


@pytest.mark.parametrize("rule", all_rules(), ids=[r.code for r in all_rules()])
def test_every_rule_is_documented(rule):
    assert re.fullmatch(r"FLK\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary
    assert list(rule.doc_sections()) == list(DOC_SECTIONS)
    assert all(rule.doc_sections().values())


@pytest.mark.parametrize("rule", TEXT_RULES, ids=[r.code for r in TEXT_RULES])
def test_text_rule_has_examples_both_ways(rule):
    assert rule.file_patterns
    assert any(e.lines for e in rule.examples) and any(not e.lines for e in rule.examples)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples_and_triage(rule):
    assert rule.triggers
    assert rule.valid and rule.invalid
    # the triage must let every example through, or the rule could never fire on it
    for example in rule.invalid:
        source = example.before.encode()
        assert rules_for_module(TriageModule.from_tree(source, ast.parse(source)), [rule]) == [rule]
        index = index_from_sources({"<string>": example.before})
        assert rule.could_fire_in("<string>", index)
