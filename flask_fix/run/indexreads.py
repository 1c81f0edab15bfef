"""Which parts of the ProjectIndex one file's fix read.

The fix phase's result for a file depends on the file, the settings and the index; of the
index, only on the fields the rules (and the engine) actually read while fixing it. The
worker hands them a `RecordingIndex` instead of the index: every field read through it
is noted, and the cache (flask_fix.run.cache) keys the file's result by those fields'
digests. The result is then reused while they are unchanged, whatever else the index
says: a route added in one module re-fixes the files whose rules looked at the routes,
not every file.

This is sound by construction: a fix is a deterministic function of its inputs, so
while the fields it read are unchanged it reads the same fields, in the same order, and
computes the same result. Two kinds of reads need care, and get it here:

- the index's methods run on the recording index, so what they read is noted too;
- the caches the index keeps (compare=False fields, such as the compiled router) are
  derived from other fields, which their field metadata names (`derived_from`): reading
  a cache counts as reading those, even when another file's fix built it.
"""

from __future__ import annotations

import dataclasses
import inspect
import types

from ..index.project import ProjectIndex


def _sources() -> dict[str, tuple[str, ...]]:
    """Each field of ProjectIndex -> the fields a read of it depends on."""
    sources = {}
    for field in dataclasses.fields(ProjectIndex):
        if field.compare:
            sources[field.name] = (field.name,)
        elif "derived_from" in field.metadata:  # a cache, computed from those fields
            sources[field.name] = tuple(field.metadata["derived_from"])
        else:
            raise TypeError(f"ProjectIndex.{field.name}: a cache must name its derived_from")
    return sources


#: field -> the fields reading it depends on
FIELD_SOURCES = _sources()
#: the fields that are caches, which the fix phase may fill in
CACHES = frozenset(f.name for f in dataclasses.fields(ProjectIndex) if not f.compare)


class RecordingIndex:
    """A ProjectIndex, read-only but for its caches, noting which fields are read."""

    __slots__ = ("_index", "_read")

    def __init__(self, index: ProjectIndex) -> None:
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_read", set())

    def __getattr__(self, name: str) -> object:
        index = object.__getattribute__(self, "_index")
        sources = FIELD_SOURCES.get(name)
        if sources is not None:
            object.__getattribute__(self, "_read").update(sources)
            return getattr(index, name)
        member = inspect.getattr_static(type(index), name, None)
        if isinstance(member, types.FunctionType):
            return types.MethodType(member, self)  # its own reads are noted as well
        if isinstance(member, property):
            return member.__get__(self)
        if isinstance(member, (staticmethod, classmethod)):
            return getattr(index, name)  # reads nothing of this index
        raise AttributeError(f"the fix phase reads no {name!r} of the index")

    def __setattr__(self, name: str, value: object) -> None:
        if name not in CACHES:
            raise AttributeError(f"the fix phase must not change the index's {name!r}")
        setattr(object.__getattribute__(self, "_index"), name, value)


def fields_read(index: RecordingIndex) -> frozenset[str]:
    """The fields of the index read through `index` so far (caches as their sources)."""
    return frozenset(object.__getattribute__(index, "_read"))
