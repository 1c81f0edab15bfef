"""Compact the per-module facts the parent keeps for every module of the project.

A module's facts reach the parent unpickled from a worker, each with its own copy of
every string (the same `flask.Flask`, package and module names, paths) and its own empty
lists and sets (most modules declare no route, class view or app). The parent keeps one
ModuleFacts per module for the cross-module rules, so that cost grows with the tree.
`FactsCompactor.compact` walks one module's facts as it arrives and
  - makes equal strings one object, through a table kept for the whole run;
  - replaces an empty list with `()` and an empty set with one shared empty frozenset.
In the parent the facts are only read once the scan has built them: reading, iterating
and `in` behave the same, and a write to a shared empty container raises instead of
reaching other modules. Empty dicts are kept (there is no immutable empty dict to share).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

EMPTY_FROZENSET: frozenset = frozenset()
# values kept as they are, without a look inside
_ATOMS = frozenset({int, bool, float, type(None)})


class FactsCompactor:
    """Compacts fact objects in place (see the module docstring); one per run."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        # dataclass -> its field names; None for a class kept as it is (an enum, ast node)
        self._fields: dict[type, tuple[str, ...] | None] = {}
        self.compact = self._compactor()

    def _compactor(self) -> Callable[[Any], Any]:
        # one closure: the walk runs for every module the parent receives, and local names
        # are the cheapest lookups Python has
        shared_string = self.strings.setdefault
        fields_of = self._fields
        set_field = object.__setattr__

        def compact(value: Any) -> Any:
            """`value` compacted: a container or fact object is changed in place when it
            can be, and what to keep in its place is returned."""
            cls = value.__class__
            if cls is str:
                return shared_string(value, value)
            if cls in _ATOMS:
                return value
            if cls is list:
                if not value:
                    return ()
                value[:] = [compact(item) for item in value]
                return value
            if cls is tuple:
                return tuple([compact(item) for item in value]) if value else ()
            if cls is set:
                return {compact(item) for item in value} if value else EMPTY_FROZENSET
            if cls is frozenset:
                return frozenset([compact(item) for item in value]) if value else EMPTY_FROZENSET
            if cls is dict:
                if value:
                    items = [(shared_string(k, k) if k.__class__ is str else compact(k),
                              compact(v)) for k, v in value.items()]  # fmt: skip
                    value.clear()
                    value.update(items)
                return value
            names = fields_of.get(cls, ())
            if names == ():
                names = fields_of[cls] = _field_names(cls)
            if names is None:
                return value
            for name in names:
                old = getattr(value, name)
                new = compact(old)
                if new is not old:
                    # object.__setattr__: frozen dataclasses too (not shared with anyone yet)
                    set_field(value, name, new)
            return value

        return compact


def _field_names(cls: type) -> tuple[str, ...] | None:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None
