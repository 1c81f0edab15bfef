"""What every rule declares, readable without loading the rules.

The rule modules (`flask_fix/codemods/`) are the single source of every rule's metadata,
but loading them loads LibCST (a rule is a LibCST visitor), a quarter of a second before
anything else happens. Whatever a run needs before it parses a file with LibCST, or
when it never does (`--list-rules`, `--explain`, a configuration error, a run the cache
replays, the SARIF rule list), reads this copy instead: `ruleinfo_data.py`, generated
from the rule classes by `python -m flask_fix.ruletable README.md` (with the README's
rule table); a test fails when it and the classes disagree.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

from ..model import FixLevel

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")

#: kinds of rules: over Python modules (a LibCST visitor), over other files (text), or
#: over the whole project (a cross-module transform run between the two phases)
PYTHON, TEXT, PROJECT = "python", "text", "project"


@dataclass(frozen=True)
class RuleInfo:
    """One rule's metadata; the same names and methods as the rule class's (RuleDocs)."""

    code: str
    name: str
    kind: str  # PYTHON, TEXT or PROJECT
    fix_level: FixLevel
    summary: str
    doc: str  # the class docstring, dedented and stripped
    #: fnmatch patterns of the other files it reads (a text rule, or a Python rule's
    #: `text_part`); empty when it reads only Python modules
    file_patterns: tuple[str, ...] = ()

    def documentation(self) -> str:
        return self.doc

    def doc_sections(self) -> dict[str, str]:
        return doc_sections(self.doc)


def doc_sections(documentation: str) -> dict[str, str]:
    """A rule's documentation split into its named sections (DOC_SECTIONS), each a line
    of its own ending in a colon."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in documentation.splitlines():
        heading = line.strip().rstrip(":")
        if line.strip().endswith(":") and heading in DOC_SECTIONS:
            current = sections.setdefault(heading, [])
        elif current is not None:
            current.append(line)
    return {k: textwrap.dedent("\n".join(v)).strip() for k, v in sections.items()}


@lru_cache(maxsize=None)
def all_rules() -> tuple[RuleInfo, ...]:
    """Every rule, in code order (as `flask_fix.codemods.all_rules` lists the classes)."""
    from .ruleinfo_data import RULES

    return tuple(
        RuleInfo(**{**fields, "fix_level": FixLevel(fields["fix_level"])})  # type: ignore[arg-type]
        for fields in RULES
    )


def rule_by_code(code: str) -> RuleInfo | None:
    return next((r for r in all_rules() if r.code == code.upper()), None)


def select_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> tuple[RuleInfo, ...]:
    """Rules whose code starts with one of `select` (all when empty) and none of `ignore`."""

    def matches(code: str, prefixes: tuple[str, ...]) -> bool:
        return any(code.startswith(p.upper()) for p in prefixes)

    return tuple(
        r
        for r in all_rules()
        if (not select or matches(r.code, select)) and not matches(r.code, ignore)
    )


def unknown_codes(codes: tuple[str, ...]) -> list[str]:
    """Codes or prefixes that name no rule (a clear error beats a silent no-op)."""
    known = [r.code for r in all_rules()]
    return [c for c in codes if not any(k.startswith(c.upper()) for k in known)]


def documentation_of(cls: type) -> str:
    """A rule class's documentation as RuleInfo keeps it (its dedented docstring)."""
    return textwrap.dedent(cls.__doc__ or "").strip()
