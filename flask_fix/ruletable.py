"""What is generated from the rules' own metadata: the README's rule table and
`flask_fix/meta/ruleinfo_data.py`, the copy of every rule's metadata that is read without
loading the rules (flask_fix.meta.ruleinfo).

`python -m flask_fix.ruletable README.md` rewrites the table between the markers and
the data module; a test fails when either and the rules disagree.
"""

from __future__ import annotations

import os
import pprint
import sys

from .codemods import all_rules
from .rewrite.base import ProjectTransform, Rule, RuleDocs, TextRule
from .meta.ruleinfo import PROJECT, PYTHON, TEXT

BEGIN = "<!-- rule-table:begin -->"
END = "<!-- rule-table:end -->"
DATA_PATH = os.path.join(os.path.dirname(__file__), "meta", "ruleinfo_data.py")
DATA_HEADER = '''"""Every rule's metadata, for flask_fix.meta.ruleinfo. Generated from the rule classes
by `python -m flask_fix.ruletable README.md`: do not edit."""

# fmt: off
'''


def markdown_table() -> str:
    rows = ["| code | name | fix | what it enforces |", "|---|---|---|---|"]
    for rule in all_rules():
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.fix_level.value} | {rule.summary} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown_table()}\n{END}{tail}"


def rule_fields(rule: type[RuleDocs]) -> dict[str, object]:
    """What flask_fix.meta.ruleinfo keeps of one rule class."""
    patterns: tuple[str, ...] = ()
    if issubclass(rule, TextRule):
        kind, patterns = TEXT, tuple(rule.file_patterns)
    elif issubclass(rule, Rule):
        kind = PYTHON
        if rule.text_part is not None:
            patterns = tuple(rule.text_part.file_patterns)
    elif issubclass(rule, ProjectTransform):
        kind = PROJECT
    else:
        raise TypeError(f"{rule.__name__} is no kind of rule")
    return {
        "code": rule.code,
        "name": rule.name,
        "kind": kind,
        "fix_level": rule.fix_level.value,
        "summary": rule.summary,
        "doc": rule.documentation(),
        "file_patterns": patterns,
    }


def ruleinfo_source() -> str:
    """The text of `ruleinfo_data.py` for the rules as they are."""
    rules = tuple(rule_fields(rule) for rule in all_rules())
    return f"{DATA_HEADER}RULES = {pprint.pformat(rules, width=96, sort_dicts=False)}\n"


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(with_table(text))
    with open(DATA_PATH, "w", encoding="utf-8") as handle:
        handle.write(ruleinfo_source())
