"""Every project transform's own examples (FLK201, FLK203), as its module holds them,
become these tests, like the per-file rules' (tests/codemods/test_rule_examples.py): the
exact project afterwards, the transform reports, a second run changes nothing, valid
projects stay untouched without findings."""

from __future__ import annotations

import pytest

from flask_fix.codemods import all_rules, project_transforms
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources
from flask_fix.run.transforms import transform_sources

TRANSFORMS = project_transforms(all_rules())

EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-example-{n}")
    for rule in TRANSFORMS
    for n, example in enumerate(rule.examples)
]
VALID = [
    pytest.param(rule, project, id=f"{rule.code}-valid-{n}")
    for rule in TRANSFORMS
    for n, project in enumerate(rule.valid)
]


def _applies(rule, unsafe: bool) -> bool:
    return rule.fix_level.applies(unsafe)


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example_is_transformed_exactly(rule, example):
    before = dict(example.before)
    after, findings = transform_sources(rule, before, apply=_applies(rule, example.unsafe))
    expected = before if example.after is None else dict(example.after)
    assert after == expected
    assert [f for f in findings if f.code == rule.code], "the transform reported nothing"
    if example.after is None:
        assert all(not (f.has_fix and _applies(rule, example.unsafe)) for f in findings)
    again, _ = transform_sources(rule, after, apply=_applies(rule, example.unsafe))
    assert again == after


@pytest.mark.parametrize(("rule", "project"), VALID)
def test_valid_project_is_untouched(rule, project):
    after, findings = transform_sources(rule, dict(project), apply=True)
    assert after == dict(project)
    assert [f for f in findings if f.code == rule.code] == []


@pytest.mark.parametrize("rule", TRANSFORMS, ids=[r.code for r in TRANSFORMS])
def test_transform_has_examples_and_triage(rule):
    assert rule.examples and rule.valid
    for example in rule.examples:
        index = index_from_sources({p: t for p, t in example.before.items() if p.endswith(".py")})
        assert rule.could_fire(index)
    assert rule.fix_level in (FixLevel.UNSAFE, FixLevel.REPORT, FixLevel.SAFE, FixLevel.INTENDED)
