"""The README's rule table, generated from the rules' own metadata.

`python -m flask_fix.ruletable README.md` rewrites the table between the markers;
a test fails when the README and the rules disagree.
"""

from __future__ import annotations

import sys

from .codemods import all_rules

BEGIN = "<!-- rule-table:begin -->"
END = "<!-- rule-table:end -->"


def markdown_table() -> str:
    rows = ["| code | name | fix | what it enforces |", "|---|---|---|---|"]
    for rule in all_rules():
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.fix_level.value} | {rule.summary} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown_table()}\n{END}{tail}"


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(with_table(text))
