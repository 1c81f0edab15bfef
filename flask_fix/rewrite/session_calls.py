"""Triage shared by the rules that read method calls on Flask-SQLAlchemy's session
(FLK501 commit-without-rollback, FLK505 changes-never-committed), on the stdlib ast
before LibCST runs."""

from __future__ import annotations

import ast


def may_be_session(receiver: ast.expr) -> bool:
    """Whether `receiver`, the object a method is called on, may be the extension's
    session: a bare name (`session`, `db_session`) or `<x>.session` (`db.session`), but
    not `self.session`/`cls.session`, an object's own session."""
    if isinstance(receiver, ast.Name):
        return True
    return (
        isinstance(receiver, ast.Attribute)
        and receiver.attr == "session"
        and not (isinstance(receiver.value, ast.Name) and receiver.value.id in ("self", "cls"))
    )
