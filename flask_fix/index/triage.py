"""Cheap stdlib-`ast` triage: could any selected rule fire in this module at all?

LibCST parsing plus scope analysis costs far more than `ast.parse`, so the scan phase,
which already holds each module's `ast` tree for the index, decides which files the fix
phase needs to see. A rule declares the names it needs called (`Rule.called_names`: the
last component of the called expression, `dumps` for `json.dumps(...)`, or a name it is
imported under, `to_json` after `from json import dumps as to_json`) and may look
closer at each such call (`Rule.call_could_fire`, on the stdlib `ast.Call`), and the
modules one of which must be imported for its names to resolve at all
(`Rule.required_imports`: `flask` for `flask.request`); last, `Rule.module_could_fire`
may look at the whole module (its nodes by type: the `try` statements, the imports).
A module failing these is never given to LibCST for that rule. The checks must only
ever say "no" where the rule surely finds nothing (the example tests hold every rule to
that).

The triage walks nothing itself: the index scanner hands over every node of the tree it
walked, by node class (`project.scan_module`).
"""

from __future__ import annotations

import ast
import re
from functools import cached_property
from typing import ClassVar, Protocol, Sequence, TypeVar

from .bindings import dotted, import_bindings, possible_names
from .facts import NodesByType
from .project import scan_module

Node = TypeVar("Node", bound=ast.AST)


class TriageRule(Protocol):
    """What the triage reads of a rule (flask_fix.rewrite.base.Rule declares each): the
    index layer sees rules through this, never imports them."""

    triggers: ClassVar[tuple[bytes, ...]]
    called_names: ClassVar[frozenset[str]]
    required_imports: ClassVar[frozenset[str]]
    required_words: ClassVar[tuple[bytes, ...]]

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool: ...

    @classmethod
    def module_could_fire(cls, module: TriageModule) -> bool: ...


AnyRule = TypeVar("AnyRule", bound=TriageRule)


class TriageModule:
    """One module as the triage sees it: its bytes and its nodes by class."""

    def __init__(self, source: bytes, nodes: NodesByType) -> None:
        self.source = source
        self.nodes = nodes

    @classmethod
    def from_tree(cls, source: bytes, tree: ast.Module) -> TriageModule:
        """The module as the scan phase sees it, for callers that did not scan it."""
        return cls(source, scan_module("module.py", "module", tree)[1])

    def all(self, node_class: type[Node]) -> list[Node]:
        """Every node of exactly this class (`ast.Try`, `ast.Call`, ...): complete for
        statements and expressions but `ast.Name`, which the scanner reads in place like
        `alias`, `arg` and `arguments` nodes."""
        return self.nodes.get(node_class, [])  # type: ignore[return-value]

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Top-level modules imported anywhere in the module (`flask` for
        `import flask.json`, `from flask.json import x`); relative imports do not count."""
        found = {a.name.partition(".")[0] for i in self.all(ast.Import) for a in i.names}
        found.update(
            i.module.partition(".")[0] for i in self.all(ast.ImportFrom) if i.module and not i.level
        )
        return frozenset(found)

    def may_use(self, module: str, names: frozenset[str]) -> bool:
        """Could the module use one of `names` from `module` (a top-level package)?
        `from module[.sub] import name`, or an attribute `.name` read through a name an
        `import module[...]` binds (`flask.Markup`, `f.Markup` after `import flask as f`)."""
        if any(
            node.module
            and not node.level
            and node.module.partition(".")[0] == module
            and any(alias.name in names for alias in node.names)
            for node in self.all(ast.ImportFrom)
        ):
            return True
        bound = {
            alias.asname or alias.name.partition(".")[0]
            for node in self.all(ast.Import)
            for alias in node.names
            if alias.name.partition(".")[0] == module
        }
        for node in self.all(ast.Attribute):
            if node.attr in names:
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in bound:
                    return True
        return False

    @cached_property
    def _bindings(self) -> tuple[dict[str, set[str]], set[str], frozenset[str], bool]:
        """(local name -> what the imports binding it import, names bound otherwise, names
        imported at module scope, whether a `from x import *` occurs): one walk, made only
        for the modules a rule asks about names."""
        imported: dict[str, set[str]] = {}
        other: set[str] = set()
        star = False
        for node in ast.walk(self.tree):
            kind = node.__class__
            if kind is ast.Name:
                if node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                    other.add(node.id)  # type: ignore[attr-defined]
            elif kind is ast.Import or kind is ast.ImportFrom:
                for local, target in import_bindings(node):  # type: ignore[arg-type]
                    if local == "*":
                        star = True
                    else:
                        imported.setdefault(local, set()).add(target)
            elif kind is ast.arg:
                other.add(node.arg)  # type: ignore[attr-defined]
            elif kind in _NAMED_NODES:
                name = getattr(node, "name", None)
                if name is not None:
                    other.add(name)
            elif kind is ast.MatchMapping and node.rest is not None:  # type: ignore[attr-defined]
                other.add(node.rest)  # type: ignore[attr-defined]
        at_module_scope = frozenset(
            local
            for statement in _module_scope_statements(self.tree)
            if statement.__class__ is ast.Import or statement.__class__ is ast.ImportFrom
            for local, _ in import_bindings(statement)  # type: ignore[arg-type]
        )
        return imported, other, at_module_scope, star

    @property
    def tree(self) -> ast.Module:
        (tree,) = self.all(ast.Module)
        return tree

    def possible_names(self, expr: ast.expr) -> frozenset[str] | None:
        """Every qualified name a rule resolving names through imports and scopes
        (`rewrite.names.qualified_name`) may find for `expr`, a name or dotted
        attribute, wherever it is used in the module (`bindings.possible_names`)."""
        imported, _, _, star = self._bindings
        return possible_names(expr, imported, star)

    def sure_name(self, expr: ast.expr) -> str | None:
        """The one qualified name such a rule surely finds for `expr` wherever it is used:
        its first name is bound only by imports that agree, one of them at module scope
        (so that every scope sees it), or by nothing at all (a builtin); else None."""
        parts = dotted(expr)
        if parts is None:
            return None
        imported, other, at_module_scope, star = self._bindings
        root, rest = parts[0], "".join(f".{part}" for part in parts[1:])
        if root in other:
            return None
        targets = imported.get(root)
        if targets is None:
            return None if star else f"builtins.{root}{rest}"
        if len(targets) != 1 or root not in at_module_scope:
            return None
        return f"{next(iter(targets))}{rest}"

    @cached_property
    def calls_by_name(self) -> dict[str, list[ast.Call]]:
        """Calls by the last component of what they call (`dumps` for `json.dumps()`)."""
        calls: dict[str, list[ast.Call]] = {}
        for call in self.all(ast.Call):
            name = _called_name(call.func)
            if name is not None:
                calls.setdefault(name, []).append(call)
        return calls

    def calls(self, name: str) -> list[ast.Call]:
        return self.calls_by_name.get(name, [])

    @cached_property
    def _renamed_imports(self) -> dict[str, list[str]]:
        """Imported name -> the other local names it is bound to (`from json import dumps
        as to_json`: dumps -> [to_json])."""
        renamed: dict[str, list[str]] = {}
        for node in self.all(ast.ImportFrom):
            for alias in node.names:
                if alias.asname and alias.asname != alias.name:
                    renamed.setdefault(alias.name, []).append(alias.asname)
        return renamed

    def calls_to(self, name: str) -> list[ast.Call]:
        """`calls(name)`, and the calls of a name imported under another name (`to_json()`
        after `from json import dumps as to_json`): the rules resolve imports."""
        found = self.calls(name)
        for local in self._renamed_imports.get(name, ()):
            found = found + self.calls(local)
        return found


_NAMED_NODES = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
    ast.MatchStar,
)  # fmt: skip


def _module_scope_statements(tree: ast.Module) -> list[ast.stmt]:
    """The statements run in the module's own scope: outside functions and classes."""
    found = []
    pending = list(tree.body)
    while pending:
        statement = pending.pop()
        found.append(statement)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            pending.extend(getattr(statement, name, ()))
        for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            pending.extend(part.body)
    return found


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _text_could_fire(rule: type[AnyRule], source: bytes) -> bool:
    return any(t in source for t in rule.triggers) and all(
        word in source for word in rule.required_words
    )


def rules_for_source(source: bytes, rules: Sequence[type[AnyRule]]) -> list[type[AnyRule]]:
    """The triage of a module this Python's `ast` cannot parse but LibCST can (newer
    syntax: PEP 701 f-strings on 3.11), from its bytes alone: trigger text, the rule's
    required words, and an import statement naming one of its required modules. Each is
    a necessary condition, so text in strings and comments can only let a rule through.
    (LibCST parses such a module once in the scan phase, to tell it from a broken one;
    its tree is not kept: it would be pickled to the parent and parsed again anyway.)"""
    joined = None
    found = []
    for rule in rules:
        if not _text_could_fire(rule, source):
            continue
        if rule.required_imports:
            if joined is None:  # `import a, \` + newline + `flask`: one logical line
                joined = source.replace(b"\\\r\n", b" ").replace(b"\\\n", b" ")
            if not any(_may_import(joined, module) for module in rule.required_imports):
                continue
        found.append(rule)
    return found


def _may_import(source: bytes, module: str) -> bool:
    """Whether `source` may hold `import module[...]` or `from module[...] import`:
    an `import` followed on its line by the module's name, or `from` right before it."""
    name = re.escape(module.encode())
    pattern = rb"\bfrom\s+" + name + rb"\b|\bimport\s[^\n]*\b" + name + rb"\b"
    return re.search(pattern, source) is not None


def rules_for_module(
    module: TriageModule, rules: Sequence[type[AnyRule]]
) -> list[type[AnyRule]]:
    """The rules worth running on this module: trigger text and required words present,
    a module they need imported, a call made that the rule's `call_could_fire` accepts,
    and `module_could_fire`."""
    source = module.source
    return [
        rule
        for rule in rules
        if _text_could_fire(rule, source)
        and (not rule.required_imports or rule.required_imports & module.imported_modules)
        and (
            not rule.called_names
            or any(
                rule.call_could_fire(call)
                for name in rule.called_names
                for call in module.calls_to(name)
            )
        )
        and rule.module_could_fire(module)
    ]
