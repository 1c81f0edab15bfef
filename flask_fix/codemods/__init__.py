"""The rule registry: every Rule subclass defined in a module of this package.

Adding a rule means adding a module; nothing else needs to know about it (but for
`python -m flask_fix.ruletable README.md`, which regenerates the copy of every rule's
metadata that flask_fix.meta.ruleinfo reads without loading the rules).

Importing this package loads nothing: the rules (and LibCST with them) load on the
first call that needs them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import TYPE_CHECKING

from ..meta.ruleinfo import unknown_codes

if TYPE_CHECKING:
    from ..rewrite.base import ProjectTransform, Rule, RuleDocs, TextRule

__all__ = [
    "all_rules", "project_transforms", "python_rules", "rule_by_code", "select_rules",
    "text_rules", "unknown_codes",
]  # fmt: skip


@lru_cache(maxsize=None)
def all_rules() -> tuple[type[RuleDocs], ...]:
    """Every rule, Python (`Rule`) and text (`TextRule`), in code order."""
    from ..rewrite.base import RuleDocs

    found: dict[str, type[RuleDocs]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, RuleDocs)
                and value.__module__ == module.__name__
                and getattr(value, "code", None)
            ):
                if value.code in found:
                    value = _owner_of_part(found[value.code], value)
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def _owner_of_part(one: type[RuleDocs], other: type[RuleDocs]) -> type[RuleDocs]:
    """Two classes may claim one code only as a Rule and its `text_part` or `project_part`
    (same name)."""
    from ..rewrite.base import Rule

    for owner, part in ((one, other), (other, one)):
        if (
            issubclass(owner, Rule)
            and part in (owner.text_part, owner.project_part)
            and part.name == owner.name
        ):
            return owner
    raise RuntimeError(f"two rules claim {one.code}")


def rule_by_code(code: str) -> type[RuleDocs] | None:
    return next((r for r in all_rules() if r.code == code.upper()), None)


def select_rules(
    select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> tuple[type[RuleDocs], ...]:
    """Rules whose code starts with one of `select` (all when empty) and none of `ignore`."""

    def matches(code: str, prefixes: tuple[str, ...]) -> bool:
        return any(code.startswith(p.upper()) for p in prefixes)

    return tuple(
        r
        for r in all_rules()
        if (not select or matches(r.code, select)) and not matches(r.code, ignore)
    )


def python_rules(rules: tuple[type[RuleDocs], ...]) -> tuple[type[Rule], ...]:
    from ..rewrite.base import Rule

    return tuple(r for r in rules if issubclass(r, Rule))


def project_transforms(rules: tuple[type[RuleDocs], ...]) -> tuple[type[ProjectTransform], ...]:
    """The project transforms among `rules`, and the project parts of the Python rules."""
    from ..rewrite.base import ProjectTransform, Rule

    return tuple(
        r.project_part if issubclass(r, Rule) and r.project_part is not None else r
        for r in rules
        if issubclass(r, ProjectTransform) or (issubclass(r, Rule) and r.project_part is not None)
    )


def text_rules(rules: tuple[type[RuleDocs], ...]) -> tuple[type[TextRule], ...]:
    """The text rules among `rules`, and the text parts of the Python rules among them."""
    from ..rewrite.base import Rule, TextRule

    return tuple(
        r.text_part if issubclass(r, Rule) and r.text_part is not None else r
        for r in rules
        if issubclass(r, TextRule) or (issubclass(r, Rule) and r.text_part is not None)
    )
