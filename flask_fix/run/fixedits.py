"""Each finding's edits: its fix alone, applied to the file as it was read.

The edits of a finding are `textdiff.edits_between(code, code with that fix alone)`, as
`engine.apply_fixes(module, [fix])` gives it. Computed that way, every finding paid a
whole-module transform, LibCST's RemoveImportsVisitor (scope analysis of the whole fixed
module, seconds on a large file) and a whole-file codegen and diff. Here the same fixed
text comes cheaper, for every finding of one pass:

- one codegen of the module as read gives each top-level statement's code and the chain
  of nodes down to each node a fix replaces;
- the replacements are applied by a transform that descends only along those chains
  (the rest of the tree is kept as it is, as the whole-module transform keeps its code);
- an import a fix frees is kept, without running RemoveImportsVisitor, when the scope
  analysis of the module as read (the rules' own, or computed once per file) shows a use
  of it outside the nodes the fix replaces, and nothing the fix removes or adds binds
  its name; otherwise RemoveImportsVisitor runs on the fixed module as before;
- the fixed module's code is its unchanged top-level statements' code, reused, and the
  changed ones' generated alone (a top-level statement's code does not depend on what
  surrounds it);
- `edits_between` diffs only the lines between the common head and tail.

The fixed text is exactly the one `apply_fixes` gives (tests/run/test_fixedits.py compares
them), so the edits are the ones a whole-file diff gives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import ImportAssignment, MetadataWrapper, ScopeProvider
from libcst.metadata.scope_provider import _gen_dotted_names

from ..model import Edit
from ..output.textdiff import edits_between
from ..rewrite.base import Fix, ImportSpec
from ..rewrite.imports import update_imports


class FixEdits:
    """The edits of each fix found in one pass over `module` (the rules' traversal ran
    through `wrapper`, whose metadata is reused)."""

    def __init__(
        self,
        module: cst.Module,
        wrapper: MetadataWrapper | None,
        fixes: Iterable[Fix],
        first_party: frozenset[str] = frozenset(),
    ) -> None:
        self.module = module
        self.wrapper = wrapper
        self.first_party = first_party
        replaced = {id(old) for fix in fixes for old in fix.replacements}
        state = _TrackingState(module, replaced)
        module._codegen(state)
        self.code = "".join(state.tokens)
        self._statement_code = state.statement_code  # id -> (statement, code)
        self._chains = state.chains  # id of a replaced node -> its ancestors' ids
        self._imports = state.imports
        self._scopes: object | None = None

    def edits(self, fix: Fix) -> tuple[Edit, ...]:
        return edits_between(self.code, self.fixed_code(fix))

    def fixed_code(self, fix: Fix) -> str:
        """The code of the module with `fix` alone applied: `apply_fixes(module, [fix])`."""
        module = self._replaced(fix)
        remove: Sequence[ImportSpec] = fix.remove_unused_imports
        if remove and self._frees_nothing(fix):
            remove = ()
        module = update_imports(module, fix.add_imports, remove, self.first_party)
        return self._code_of(module)

    # -- the replacements, along the chains down to the replaced nodes -----------------

    def _replaced(self, fix: Fix) -> cst.Module:
        replacements = {id(old): new for old, new in fix.replacements.items()}
        path: set[int] = set()
        for key in replacements:
            chain = self._chains.get(key)
            if chain is None:  # not a node of this module: the whole transform, as before
                return self.module.visit(_Replacer(replacements, None))
            path.update(chain)
        replacer = _Replacer(replacements, path)
        module = self.module.visit(replacer)
        if replacer.seen != len(replacements):
            # a node the codegen reached other than through its parent: the whole transform
            module = self.module.visit(_Replacer(replacements, None))
        return module

    # -- code ----------------------------------------------------------------------------

    def _code_of(self, module: cst.Module) -> str:
        if not module.has_trailing_newline:
            return module.code  # the last newline is taken off the tokens: not spliced here
        parts = [module.code_for_node(line) for line in module.header]
        for statement in module.body:
            known = self._statement_code.get(id(statement))
            if known is not None and known[0] is statement:
                parts.append(known[1])
            else:
                parts.append(module.code_for_node(statement))
        parts.extend(module.code_for_node(line) for line in module.footer)
        code = "".join(parts)
        return code or module.default_newline

    # -- imports a fix frees -------------------------------------------------------------

    def _frees_nothing(self, fix: Fix) -> bool:
        """True when RemoveImportsVisitor would remove none of the imports `fix` frees from
        the fixed module: each import it could remove is still used outside the nodes the
        fix replaces, by a use that still finds it (nothing replaced or added binds the
        name). False when unsure: the visitor then runs on the fixed module."""
        names = {
            part
            for spec in fix.remove_unused_imports
            for name in (spec[0], spec[1], spec[2])
            if name
            for part in name.split(".")
        }
        replaced = list(fix.replacements)
        added = [node for new in fix.replacements.values() for node in _nodes_of(new)]
        if _bound_names(replaced + added) & names:
            return False
        inside = {id(node) for root in replaced for node in _walk(root)}
        scopes = self._scope_map()
        if scopes is None:
            return False
        for alias, statement in self._candidates(fix.remove_unused_imports):
            if id(alias) in inside or id(statement) in inside:
                return False
            scope = scopes.get(statement)
            if scope is None:
                continue  # GatherUnusedImportsVisitor never calls it unused
            if not _used_outside(scope, alias, inside):
                return False
        return True

    def _scope_map(self):
        if self._scopes is None:
            if self.wrapper is None:
                return None
            self._scopes = self.wrapper.resolve(ScopeProvider)
        return self._scopes

    def _candidates(
        self, specs: Sequence[ImportSpec]
    ) -> Iterator[tuple[cst.ImportAlias, cst.Import | cst.ImportFrom]]:
        """Every import alias the visitor could remove for `specs` (and some it would not:
        the module and alias of a `from` import are not compared)."""
        modules = {mod for mod, obj, _ in specs if obj is None}
        objects = {obj for _, obj, _ in specs if obj is not None}
        for statement in self._imports:
            if isinstance(statement.names, cst.ImportStar):
                continue
            wanted = modules if isinstance(statement, cst.Import) else objects
            for alias in statement.names:
                if alias.evaluated_name in wanted:
                    yield alias, statement


def _used_outside(scope, alias: cst.ImportAlias, inside: set[int]) -> bool:
    """GatherUnusedImportsVisitor.is_in_use, counting only the uses outside `inside`."""
    target = alias.asname.name if alias.asname is not None else alias.name
    for name, _ in _gen_dotted_names(target):  # type: ignore[arg-type]
        for assignment in scope[name]:
            if isinstance(assignment, ImportAssignment) and any(
                id(access.node) not in inside for access in assignment.references
            ):
                return True
    return False


class _Replacer(cst.CSTTransformer):
    """Swap nodes by identity; where fixes nest, the outer one wins (as engine's). With a
    `path` (the ids of the replaced nodes and their ancestors) it descends nowhere else."""

    def __init__(self, replacements: dict[int, object], path: set[int] | None):
        super().__init__()
        self.replacements = replacements
        self.path = path
        self.seen = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        return self.path is None or id(node) in self.path

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        new = self.replacements.get(id(original_node))
        if new is None:
            return updated_node
        self.seen += 1
        return new


class _TrackingState(CodegenState):
    """A plain codegen that also records each top-level statement's code, the ancestors
    of the wanted nodes and every import statement."""

    def __init__(self, module: cst.Module, wanted: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.body = {id(statement) for statement in module.body}
        self.stack: list[int] = []
        self.starts: list[int] = []
        self.chains: dict[int, list[int]] = {}
        self.statement_code: dict[int, tuple[cst.CSTNode, str]] = {}
        self.imports: list[cst.Import | cst.ImportFrom] = []

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        self.stack.append(key)
        if len(self.stack) == 2 and key in self.body:
            self.starts.append(len(self.tokens))
        if key in self.wanted:
            self.chains[key] = list(self.stack)
        if node.__class__ is cst.Import or node.__class__ is cst.ImportFrom:
            self.imports.append(node)  # type: ignore[arg-type]

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = self.stack.pop()
        if len(self.stack) == 1 and key in self.body:
            start = self.starts.pop()
            self.statement_code[key] = (node, "".join(self.tokens[start:]))


# -- walking subtrees ------------------------------------------------------------------

_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    names = _FIELDS.get(node.__class__)
    if names is None:
        names = _FIELDS[node.__class__] = tuple(f.name for f in dataclasses.fields(node))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def _walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_children(node))


def _nodes_of(new: object) -> list[cst.CSTNode]:
    """The nodes a replacement puts in (none for a removal)."""
    if isinstance(new, cst.CSTNode):
        return [new]
    if isinstance(new, cst.FlattenSentinel):
        return [node for node in new.nodes if isinstance(node, cst.CSTNode)]
    return []


def _binding_fields() -> dict[type, tuple[str, ...]]:
    fields: dict[str, tuple[str, ...]] = {
        "AssignTarget": ("target",),
        "AnnAssign": ("target",),
        "AugAssign": ("target",),
        "NamedExpr": ("target",),
        "For": ("target",),
        "CompFor": ("target",),
        "AsName": ("name",),
        "FunctionDef": ("name",),
        "ClassDef": ("name",),
        "Global": ("names",),
        "Nonlocal": ("names",),
        "Del": ("target",),
        "ImportAlias": ("name",),
        "Param": ("name",),
        "MatchAs": ("name",),
        "MatchStar": ("name",),
        "MatchMapping": ("rest",),
        "TypeAlias": ("name",),
        "TypeVar": ("name",),
        "TypeVarTuple": ("name",),
        "ParamSpec": ("name",),
    }
    return {getattr(cst, name): f for name, f in fields.items() if hasattr(cst, name)}


_BINDING_FIELDS = _binding_fields()


def _bound_names(roots: Iterable[cst.CSTNode]) -> set[str]:
    """Every name written where a name may be bound, in or under `roots` (more than are
    bound: the whole target `a.b` counts `a` and `b`)."""
    names: set[str] = set()
    for root in roots:
        for node in _walk(root):
            fields = _BINDING_FIELDS.get(node.__class__)
            if fields is None:
                continue
            for field in fields:
                value = getattr(node, field)
                items = value if isinstance(value, (tuple, list)) else (value,)
                for item in items:
                    if isinstance(item, cst.CSTNode):
                        names.update(n.value for n in _walk(item) if isinstance(n, cst.Name))
    return names
