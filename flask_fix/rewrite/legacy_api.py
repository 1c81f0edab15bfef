"""Shared by the FLK7 rules (removed Flask and Werkzeug APIs): which expressions are Flask
application or blueprint objects, the project's Flask pin, and moving imported names from
one module to another.

Not a rule itself: it defines no rule code, so the registry skips it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import Assignment, GlobalScope, QualifiedNameSource, ScopeProvider

from ..index import pins
from .base import Fix, ImportSpec, Rule
from .names import qualified_name, reaching_assignments

FLASK_CLASSES = frozenset({"flask.Flask", "flask.app.Flask"})
BLUEPRINT_CLASSES = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
CURRENT_APP = frozenset({"flask.current_app", "flask.globals.current_app"})

APP, BLUEPRINT, CURRENT = "app", "blueprint", "current_app"


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def dotted(name: str) -> cst.Name | cst.Attribute:
    """`a.b.c` as an expression (or an import's module)."""
    first, *rest = name.split(".")
    node: cst.Name | cst.Attribute = cst.Name(first)
    for part in rest:
        node = cst.Attribute(node, cst.Name(part))
    return node


class LegacyApiRule(Rule):
    """A rule that knows which names are Flask apps and blueprints, and the Flask pin.

    A name is an app when every binding it can have is `name = Flask(...)` in this module,
    or an import of a module-level app of the project (`from myapp import app`);
    `current_app` counts as one too (kind CURRENT). Bindings are only all known once the
    module has been read: checks that need `object_kind` are queued with `defer()` and run
    when the traversal leaves the module.
    """

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._created: dict[int, str] = {}  # id(Name target) -> APP or BLUEPRINT
        self._deferred: list[Callable[[], None]] = []
        self._line: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node

    # bindings

    def visit_Assign(self, node: cst.Assign) -> None:
        kind = self._creates(node.value)
        if kind is not None:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._created[id(target.target)] = kind

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        kind = self._creates(node.value) if node.value is not None else None
        if kind is not None and isinstance(node.target, cst.Name):
            self._created[id(node.target)] = kind

    def _creates(self, value: cst.BaseExpression) -> str | None:
        if not isinstance(value, cst.Call):
            return None
        func = value.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if last not in ("Flask", "Blueprint"):
            return None
        name = qualified_name(self, func)
        if name in FLASK_CLASSES:
            return APP
        if name in BLUEPRINT_CLASSES:
            return BLUEPRINT
        return None

    def defer(self, check: Callable[[], None]) -> None:
        self._deferred.append(check)

    def leave_Module(self, original_node: cst.Module) -> None:
        for check in self._deferred:
            check()
        self._deferred.clear()

    def object_kind(self, expr: cst.BaseExpression) -> str | None:
        """APP, BLUEPRINT or CURRENT when `expr` surely is one; None otherwise.
        Only reliable once the whole module has been visited (use `defer`)."""
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return None
        scope = self.get_metadata(ScopeProvider, expr, None)
        if scope is None:
            return None
        names = scope.get_qualified_names_for(expr)
        if not names:
            return None
        if isinstance(expr, cst.Name) and all(n.source is QualifiedNameSource.LOCAL for n in names):
            assignments = reaching_assignments(self, expr)
            if not assignments or any(type(a) is not Assignment for a in assignments):
                return None  # also bound by an import, a parameter, a def...
            kinds = {self._created.get(id(a.node)) for a in assignments}
            return kinds.pop() if len(kinds) == 1 else None
        if any(n.source is QualifiedNameSource.LOCAL for n in names) or len(names) != 1:
            return None
        name = self.absolute(next(iter(names)).name)
        if name in CURRENT_APP:
            return CURRENT
        index = self.context.index
        if any(app.qualified_name == name for app in index.apps):
            return APP
        if any(
            bp.function is None and f"{bp.module}.{bp.variable}" == name for bp in index.blueprints
        ):
            return BLUEPRINT
        return None

    def may_be_flask(self, expr: cst.BaseExpression) -> bool:
        """Whether `expr` may be a Flask object, for findings that only report: a known app
        or blueprint or `current_app`, an attribute (`self.app`), or a name one of whose
        bindings is `Flask(...)`/`Blueprint(...)` (`app = Flask(); app = wrap(app)`), an
        import (an app the index cannot see, say of a Flask subclass) or a parameter
        (`def init_app(app)`). False for objects the module makes otherwise, and calls."""
        if self.object_kind(expr) is not None or isinstance(expr, cst.Attribute):
            return True
        scope = self.get_metadata(ScopeProvider, expr, None)
        if scope is None or not isinstance(expr, cst.Name):
            return False
        for assignment in scope[expr.value]:
            node = getattr(assignment, "node", None)
            if id(node) in self._created or isinstance(
                node, (cst.Import, cst.ImportFrom, cst.Param)
            ):
                return True
        return False

    def absolute(self, name: str) -> str:
        """A qualified name from a relative import (`.app.app`) made absolute."""
        if not name.startswith("."):
            return name
        level = len(name) - len(name.lstrip("."))
        module = self.context.index.modules.get(self.context.path, "")
        package = module if self.context.path.endswith("__init__.py") else module.rpartition(".")[0]
        parts = package.split(".") if package else []
        if level - 1 > len(parts):
            return name
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, name.lstrip(".")])

    # the project's Flask

    def too_old_for(self, needed: tuple[int, ...]) -> str | None:
        """Why a rewrite needing Flask `needed` is only reported, or None when the project's
        requirements (or `target-flask-version`) allow no older Flask, or do not say."""
        return pins.older_than(self.context.index.flask_version, needed)

    def at_module_level(self, node: cst.CSTNode) -> bool:
        return isinstance(self.get_metadata(ScopeProvider, node, None), GlobalScope)

    def move_names(self, node: cst.ImportFrom, moves: Mapping[str, str]) -> Fix | None:
        """A fix importing the names of `node` that `moves` lists (`name -> module`, one
        module) from their new module instead; None when `node` imports none of them, or
        shares its line with other statements inside a block.

        All names moved: the module is renamed in place. Some: they leave `node`, and a
        module-level import joins (or adds) `from module import ...` at the top, a nested
        one (in a function, a `try`...) gets the new import on the next line.
        """
        moved, specs = moved_names(node, moves)
        if not moved:
            return None
        target = moves[moved[0].evaluated_name]
        if len(moved) == len(aliases(node)):
            assert node.module is not None
            return Fix({node.module: dotted(target)})
        kept = without_aliases(node, moved)
        if self.at_module_level(node):
            return Fix({node: kept}, add_imports=tuple(specs))
        line = self._line
        if line is None or len(line.body) != 1 or line.body[0] is not node:
            return None
        new_line = cst.SimpleStatementLine([import_from(target, specs)])
        return Fix({line: cst.FlattenSentinel([line.with_changes(body=[kept]), new_line])})

    def name_free_for(self, at: cst.CSTNode, name: str, module: str) -> bool:
        """Whether `name` at `at` is unbound or already `import module` (so that a rewrite
        may write `name.attr` and add `import module`)."""
        scope = self.get_metadata(ScopeProvider, at, None)
        if scope is None:
            return False
        if not scope[name]:
            return True
        names = scope.get_qualified_names_for(name)
        return bool(names) and all(
            n.name == module and n.source is QualifiedNameSource.IMPORT for n in names
        )


def import_module(node: cst.ImportFrom) -> str | None:
    """The absolute module of a from-import; None for relative ones."""
    if node.relative or node.module is None:
        return None
    return get_full_name_for_node(node.module)


def aliases(node: cst.ImportFrom) -> Sequence[cst.ImportAlias]:
    return () if isinstance(node.names, cst.ImportStar) else node.names


def without_aliases(node: cst.ImportFrom, removed: Iterable[cst.ImportAlias]) -> cst.ImportFrom:
    """`node` without the aliases in `removed` (at least one must stay); the separators
    and a trailing comma of a parenthesized list are kept as written."""
    gone = {id(a) for a in removed}
    names = list(aliases(node))
    kept = [a for a in names if id(a) not in gone]
    last_comma = names[-1].comma
    if kept[-1] is not names[-1]:
        kept[-1] = kept[-1].with_changes(comma=last_comma)
    return node.with_changes(names=kept)


def moved_names(
    node: cst.ImportFrom, moves: Mapping[str, str]
) -> tuple[list[cst.ImportAlias], list[ImportSpec]]:
    """The aliases of `node` that `moves` sends elsewhere (`name -> new module`), and the
    imports that bind the same local names from there."""
    moved = [a for a in aliases(node) if a.evaluated_name in moves]
    specs: list[ImportSpec] = [
        (moves[a.evaluated_name], a.evaluated_name, a.evaluated_alias) for a in moved
    ]
    return moved, specs


def import_from(module: str, specs: Sequence[ImportSpec]) -> cst.ImportFrom:
    """`from module import a, b as c` for specs of that module."""
    names = []
    for k, (_, name, asname) in enumerate(specs):
        assert name is not None
        names.append(
            cst.ImportAlias(
                name=cst.Name(name),
                asname=cst.AsName(cst.Name(asname)) if asname else None,
                comma=cst.MaybeSentinel.DEFAULT
                if k == len(specs) - 1
                else cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
            )
        )
    return cst.ImportFrom(module=dotted(module), names=names)
