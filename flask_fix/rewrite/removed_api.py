"""The engine of the removed-API rules (FLK504, FLK709-FLK711, FLK801, FLK802, FLK804,
FLK805, FLK806): it rewrites or reports every use of an old name that the table of removed APIs
(flask_fix/rewrite/removed_apis.py) gives the rule, in every import form:

- `from werkzeug import secure_filename [as f]`: the name is imported from its new module
  (`from werkzeug.utils import secure_filename`); names going to several modules split the
  import; the ones the table does not move stay;
- a renamed name (`TextField` -> `StringField`) is renamed in the import and in every use
  the import binds, or, where a use cannot be proven to be one (a module that may
  re-export it: a package's `__init__.py`, a module with `__all__`; another binding of the
  name), imported under its old name (`from wtforms import StringField as TextField`);
- `import werkzeug` then `werkzeug.secure_filename(...)`, `import werkzeug as wz` then
  `wz.secure_filename`, `from werkzeug.contrib import fixers` then `fixers.ProxyFix`: the
  use becomes the new dotted name (`werkzeug.utils.secure_filename`) with its import, and
  the old import goes once nothing uses it;
- a name replaced by a builtin (`wtforms.compat.text_type` -> `str`) becomes the builtin.

The level follows the table's row: SAFE rows are rewritten whatever the pins say, PINS
rows only when the project's requirements (`ProjectIndex.requirements`) allow no release
older than the one the replacement needs, REPORT rows are reported with the row's note.
Look-alikes are left alone: names are resolved through imports and scopes, so a local
`Markup`, a module `werkzeug_utils` or a parameter named `werkzeug` is never one.

Not a rule itself: it defines no rule code, so the registry skips it.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import BuiltinAssignment, ScopeProvider

from ..index import pins
from ..model import FixLevel
from .base import Fix, ImportSpec
from .legacy_api import LegacyApiRule, aliases, dotted, import_module
from .names import import_binding, qualified_name
from .removed_apis import BY_OLD, MOVED, PINS, RENAMED, REMOVED, REPORT, ROWS, SAFE, Removed

if TYPE_CHECKING:
    from ..index.triage import TriageModule

#: how each package of the table is written in a finding
DISPLAY = {
    "flask": "Flask",
    "werkzeug": "Werkzeug",
    "jinja2": "Jinja2",
    "markupsafe": "MarkupSafe",
    "itsdangerous": "itsdangerous",
    "flask-sqlalchemy": "Flask-SQLAlchemy",
    "sqlalchemy": "SQLAlchemy",
    "flask-wtf": "Flask-WTF",
    "wtforms": "WTForms",
    "wtforms-sqlalchemy": "WTForms-SQLAlchemy",
    "flask-login": "Flask-Login",
    "flask-script": "Flask-Script",
    "flask-migrate": "Flask-Migrate",
    "flask-rq": "Flask-RQ",
    "cachelib": "cachelib",
    "flask-jwt-extended": "Flask-JWT-Extended",
    "flask-caching": "Flask-Caching",
}
#: the rows whose old name is a use the engine reads in imports and attributes
IMPORTABLE = (MOVED, RENAMED, REMOVED)


def release(version: tuple[str, tuple[int, ...]]) -> str:
    """("werkzeug", (1, 0)) -> 'Werkzeug 1.0'."""
    package, number = version
    return f"{DISPLAY.get(package, package)} {pins.describe(number)}"


def rows_of(code: str) -> dict[str, Removed]:
    """The table's rows for rule `code` that name an importable old name."""
    return {row.old: row for row in ROWS if row.rule == code and row.kind in IMPORTABLE}


def furthest(row: Removed, why_not: Callable[[Removed], str | None]) -> Removed:
    """`row` with its replacement followed along the table while each next step may be
    rewritten too (`why_not` gives None): `werkzeug.BaseResponse` ->
    `werkzeug.wrappers.base_response.BaseResponse` -> `werkzeug.wrappers.Response` in
    one run, so that a second run has nothing left to do. A step another rule owns
    (`werkzeug.urls.url_quote`, FLK708's) ends the chain."""
    seen = {row.old}
    current = row
    while current.new is not None and current.new in BY_OLD and current.new not in seen:
        step = BY_OLD[current.new]
        if step.rule != row.rule or step.kind not in IMPORTABLE or why_not(step) is not None:
            break
        seen.add(step.old)
        note = "; ".join(n for n in (current.note, step.note) if n)
        current = dataclasses.replace(current, new=step.new, new_since=step.new_since, note=note)
    return current


def normal(name: str) -> str:
    """`flask.ext.wtf.Form` -> `flask_wtf.Form`: the legacy spelling (FLK701 rewrites it)
    names the same objects, so the table's rows apply to it in the same run."""
    if not name.startswith("flask.ext."):
        return name
    first, _, rest = name.removeprefix("flask.ext.").partition(".")
    return f"flask_{first}" + (f".{rest}" if rest else "")


def removed_message(row: Removed) -> str:
    return f"`{row.old}` was removed in {release(row.removed_in)}"


def replacement_message(row: Removed) -> str:
    """': use `new` (since Package X)', or '' when nothing replaces it."""
    if row.new is None:
        return ""
    new = "`str`" if row.new == "builtins.str" else f"`{row.new}`"
    # a SAFE row's replacement is in every release checked: its version says nothing
    since = (
        f" (there since {release(row.new_since)})"
        if row.new_since and row.level != SAFE
        else ""
    )
    return f": use {new}{since}"


def _importable_module(module: str) -> bool:
    """Whether `module` names a module (`werkzeug.utils`), not a class
    (`werkzeug.datastructures.Authorization` for `Authorization.from_header`)."""
    return all(part.islower() or part == part.lower() for part in module.split("."))


def _commas(names: list[cst.ImportAlias], last_comma) -> list[cst.ImportAlias]:
    """`names` as an import list: a comma after each but the last, which gets `last_comma`
    (a trailing comma of a parenthesized list, or none)."""
    out = []
    for k, alias in enumerate(names):
        if k == len(names) - 1:
            out.append(alias.with_changes(comma=last_comma))
        elif isinstance(alias.comma, cst.MaybeSentinel):
            out.append(alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
        else:
            out.append(alias)
    return out


def _alias(name: str, asname: str | None, like: cst.ImportAlias | None = None) -> cst.ImportAlias:
    new_as = cst.AsName(cst.Name(asname)) if asname else None
    if like is not None:
        if like.asname is not None and new_as is not None:
            new_as = like.asname.with_changes(name=cst.Name(asname))
        return like.with_changes(name=cst.Name(name), asname=new_as)
    return cst.ImportAlias(name=cst.Name(name), asname=new_as)


#: rule code -> (its rows' old names, the last part of each)
_TRIAGE_ROWS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


class RemovedApiRule(LegacyApiRule):
    """A rule over the table's rows for its `code` (see the module docstring)."""

    @classmethod
    def table_could_fire(cls, module: TriageModule) -> bool:
        """Stdlib-ast triage of the table's rows: False only when nothing in the module can
        name one of the rule's rows in the ways the rule reads them: a from-import of a
        row (`from werkzeug import secure_filename`) or from a module that is one or lies
        under one (`from wtforms.ext.csrf import SecureForm`, `*` too), an `import` of a
        row (`import itsdangerous.jws`), or an attribute named as a row's last part,
        whatever it is read on (`werkzeug.secure_filename`, `fixers.ProxyFix`). A rule
        reporting more than its rows (a call, a string) adds its own check."""
        if cls.code not in _TRIAGE_ROWS:
            rows = rows_of(cls.code)
            _TRIAGE_ROWS[cls.code] = (
                frozenset(rows), frozenset(old.rpartition(".")[2] for old in rows)
            )
        rows, last = _TRIAGE_ROWS[cls.code]
        for node in module.all(ast.ImportFrom):
            if node.level or not node.module:
                continue  # relative: never a row's module (import_module gives None)
            known = normal(node.module)
            parts = known.split(".")
            if any(".".join(parts[:end]) in rows for end in range(1, len(parts) + 1)):
                return True
            if any(f"{known}.{alias.name}" in rows for alias in node.names):
                return True
        for node in module.all(ast.Import):
            if any(alias.name in rows for alias in node.names):
                return True
        for node in module.all(ast.Attribute):
            if node.attr in last:
                names = module.possible_names(node)
                if names is None or any(normal(name) in rows for name in names):
                    return True
        return False

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rows = rows_of(self.code)
        self._last = {old.rpartition(".")[2] for old in self._rows}
        self._blocks = 0  # indented blocks around the current statement
        self._reexports = self.context.path.endswith("__init__.py")
        # `import a.b.c` (no `as`): its alias, the `a.b.c` chains that read it, and the
        # uses of it being rewritten (with their new module)
        self._dotted_imports: dict[str, cst.ImportAlias] = {}
        self._chains: dict[str, list[cst.Attribute]] = {}
        self._through: dict[str, list[tuple[cst.Attribute, str]]] = {}
        self._import_names: set[int] = set()
        # while a use is rewritten past the project's pins (an unsafe fix, see `upgrade`):
        # the requirement it needs, added to the finding of every fix reported meanwhile
        self._upgrade: str | None = None

    # where we are

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                        targets = (
                            [t.target for t in small.targets]
                            if isinstance(small, cst.Assign)
                            else [small.target]
                        )
                        if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
                            self._reexports = True

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self._blocks -= 1

    # levels

    def why_not(self, row: Removed) -> str | None:
        """Why `row` is only reported here, or None when it may be rewritten."""
        if row.level == REPORT or row.new is None:
            return row.note or "no replacement"
        if not _importable_module(row.new.rpartition(".")[0]):
            return "not rewritten: " + (row.note or f"call `{row.new}` instead")
        return self.pins_reason(row)

    def report(self, node, message, *, fix_level=None, fix=None) -> None:
        if self._upgrade is not None and fix is not None:
            message, fix_level = f"{message}; {self._upgrade}", FixLevel.UNSAFE
        super().report(node, message, fix_level=fix_level, fix=fix)

    def only_pins(self, row: Removed) -> bool:
        """Whether the project's pins are all that keep `row` from being rewritten."""
        return self.why_not(row) is not None and self.why_not(row) == self.pins_reason(row)

    def why_not_unsafe(self, row: Removed) -> str | None:
        """`why_not`, with the pins no obstacle: what an unsafe fix may still rewrite."""
        return None if self.only_pins(row) else self.why_not(row)

    def upgrade(self, row: Removed) -> str:
        """What a finding says of a rewrite the pins do not allow, made an unsafe fix: the
        requirement to raise with it (`needs Flask-Login>=0.3`)."""
        assert row.new_since is not None
        package, since = row.new_since
        lowest = self.context.index.requirements.get(package) or (0,)
        allowed = _oldest_allowed(package, lowest)
        return (
            f"needs {DISPLAY.get(package, package)}>={pins.describe(since)} and the project's"
            f" requirements allow {allowed}: an unsafe fix, raise the requirement with it"
        )

    def pins_reason(self, row: Removed) -> str | None:
        """Why a PINS row is only reported (the project may run on a release older than
        the replacement), or None."""
        if row.level == PINS and row.new_since is not None:
            package, since = row.new_since
            lowest = self.context.index.requirements.get(package)
            if not pins.at_least(lowest, since):
                assert lowest is not None
                return (
                    f"not rewritten: `{row.new}` needs {release(row.new_since)} and the"
                    f" project may run on {_oldest_allowed(package, lowest)} (its"
                    " requirements); upgrade first"
                )
        return None

    def full_message(self, row: Removed, reason: str | None = None) -> str:
        message = removed_message(row) + replacement_message(row)
        if reason:
            message += f"; {reason}"
        elif row.note and row.level != REPORT:
            message += f" ({row.note})"
        later = BY_OLD.get(row.new or "")
        if reason is None and later is not None:
            # the replacement went too, later: this step still helps the releases between
            message += f"; `{later.old}` was removed in {release(later.removed_in)} too"
        return message

    # from-imports

    def module_row(self, module: str) -> Removed | None:
        """The row of `module` or of a package above it when the table says the whole
        module is gone (`itsdangerous.jws`, `wtforms.ext.csrf`)."""
        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            row = self._rows.get(".".join(parts[:end]))
            if row is not None and row.kind == REMOVED:
                return row
        return None

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_module(node)
        if module is None:
            return
        known = normal(module)
        whole = self.module_row(known)
        if isinstance(node.names, cst.ImportStar):
            if whole is not None:
                self.report(node, self.full_message(whole, self.why_not(whole) or None))
            return
        rewritable: list[tuple[cst.ImportAlias, Removed]] = []
        upgrades: list[tuple[cst.ImportAlias, Removed]] = []
        for alias in node.names:
            row = self._rows.get(f"{known}.{alias.evaluated_name}") or whole
            if row is None:
                continue
            reason = self.why_not(row)
            if reason is None:
                rewritable.append((alias, furthest(row, self.why_not)))
            elif self.only_pins(row):
                upgrades.append((alias, furthest(row, self.why_not_unsafe)))
            else:
                self.report(alias, self.full_message(row, reason))
        if rewritable:
            # the names the pins allow; the others are reported, and rewritten (unsafe) by
            # the next round, once this import holds only them
            for alias, row in upgrades:
                self.report(alias, self.full_message(row, self.pins_reason(row)))
            self._rewrite_import(node, module, rewritable)
        elif upgrades:
            # the releases the rewrites need, the newest of each package
            self._upgrade = "; ".join(dict.fromkeys(self.upgrade(row) for _, row in upgrades))
            try:
                self._rewrite_import(node, module, upgrades)
            finally:
                self._upgrade = None

    def _rewrite_import(
        self, node: cst.ImportFrom, module: str, moves: list[tuple[cst.ImportAlias, Removed]]
    ) -> None:
        messages = [self.full_message(row) for _, row in moves]
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        edited: dict[int, cst.ImportAlias] = {}  # aliases changed in place
        leaving: set[int] = set()  # aliases that go to another module
        groups: dict[str, list[ImportSpec]] = {}
        dropped: list[ImportSpec] = []  # replaced by a builtin: removed once unused
        for alias, row in moves:
            assert row.new is not None
            new_module, _, new_name = row.new.rpartition(".")
            old_name = alias.evaluated_name
            asname = alias.evaluated_alias
            local = asname or old_name
            if new_module == "builtins":
                renamed = self.rename_uses(node, local, new_name, builtin=True)
                if renamed is None:
                    self.report(
                        alias,
                        self.full_message(row, f"not rewritten: `{new_name}` is another name here"),
                    )
                    messages.remove(self.full_message(row))
                    continue
                replacements.update(renamed)
                dropped.append((module, old_name, asname))
                continue
            if new_name != old_name and asname is None:
                renamed = self.rename_uses(node, local, new_name)
                if renamed is None:
                    asname = old_name  # `from wtforms import StringField as TextField`
                else:
                    replacements.update(renamed)
            if new_module == module:
                edited[id(alias)] = _alias(new_name, asname, alias)
            else:
                leaving.add(id(alias))
                groups.setdefault(new_module, []).append((new_module, new_name, asname))
        if not messages:
            return
        names = list(aliases(node))
        staying = [edited.get(id(a), a) for a in names if id(a) not in leaving]
        last_comma = names[-1].comma
        added: list[ImportSpec] = []
        if not groups:
            if edited:
                replacements[node] = node.with_changes(names=_commas(staying, last_comma))
        elif not staying:
            first, *rest = groups
            if not rest:
                # one new module for every name: the module is renamed in place
                moved = [
                    _alias(new, asname, a)
                    for a, (_, new, asname) in zip(
                        [a for a in names if id(a) in leaving], groups[first]
                    )
                ]
                replacements[node] = node.with_changes(
                    module=dotted(first), names=_commas(moved, last_comma)
                )
            else:
                replacements[node] = import_from_specs(first, groups[first]).with_changes(
                    semicolon=node.semicolon
                )
                added = [spec for module_ in rest for spec in groups[module_]]
        else:
            replacements[node] = node.with_changes(names=_commas(staying, last_comma))
            added = [spec for specs in groups.values() for spec in specs]
        fix = self._placed(node, replacements, added, dropped)
        if fix is None:
            self.report(node, "; ".join(messages) + " (not rewritten: the line holds other statements)")
        else:
            self.report(node, "; ".join(messages), fix=fix)

    def _placed(
        self,
        node: cst.ImportFrom,
        replacements: dict[cst.CSTNode, cst.CSTNode],
        added: list[ImportSpec],
        dropped: list[ImportSpec],
    ) -> Fix | None:
        """The fix, with the added imports at the top of the module when `node` is at the
        top level of it, else on the lines after `node` (in a function, a `try`, an `if`):
        None when `node` shares its line with other statements there."""
        if not added or self._blocks == 0:
            return Fix(replacements, add_imports=tuple(added), remove_unused_imports=tuple(dropped))
        line = self._line
        if line is None or len(line.body) != 1 or line.body[0] is not node:
            return None
        new_node = replacements.pop(node, node)
        by_module: dict[str, list[ImportSpec]] = {}
        for spec in added:
            by_module.setdefault(spec[0], []).append(spec)
        new_lines = [
            cst.SimpleStatementLine([import_from_specs(module, specs)])
            for module, specs in by_module.items()
        ]
        replacements[line] = cst.FlattenSentinel(
            [line.with_changes(body=[new_node]), *new_lines]
        )
        return Fix(replacements, remove_unused_imports=tuple(dropped))

    def rename_uses(
        self, node: cst.CSTNode, local: str, new: str, *, builtin: bool = False
    ) -> dict[cst.CSTNode, cst.CSTNode] | None:
        """Replacements renaming every use of `local`, which `node` (an import) binds, to
        `new`; None when that cannot be proven right: the module may re-export the name, the
        name has other bindings in the scope, a use is not a plain name (a string
        annotation), or `new` means something else where a use is (for a builtin: anything
        but the builtin)."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None or (self._reexports and self._blocks == 0):
            return None
        assignments = list(scope.assignments[local])
        if len(assignments) != 1 or getattr(assignments[0], "node", None) is not node:
            return None
        if not self._free(scope, new, builtin):
            return None
        found: dict[cst.CSTNode, cst.CSTNode] = {}
        for access in assignments[0].references:
            use = access.node
            if not isinstance(use, cst.Name) or not self._free(access.scope, new, builtin):
                return None
            found[use] = cst.Name(new)
        return found

    @staticmethod
    def _free(scope, name: str, builtin: bool) -> bool:
        bound = list(scope[name])
        if builtin:
            return all(isinstance(a, BuiltinAssignment) for a in bound)
        return not bound

    # attribute uses: `werkzeug.secure_filename`, `fixers.ProxyFix`

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._dotted_imports and isinstance(node.value, (cst.Name, cst.Attribute)):
            full = get_full_name_for_node(node)
            if full in self._dotted_imports and id(node) not in self._import_names:
                self._chains.setdefault(full, []).append(node)
        if node.attr.value not in self._last:
            return
        old = qualified_name(self, node)
        row = self._rows.get(normal(old or ""))
        if row is None:
            return
        reason = self.why_not(row)
        if reason is not None and not self.only_pins(row):
            self.report(node, self.full_message(row, reason))
            return
        if reason is None:
            row = furthest(row, self.why_not)
        else:
            row = furthest(row, self.why_not_unsafe)
            self._upgrade = self.upgrade(row)
        try:
            self._rewrite_use(node, old, row)
        finally:
            self._upgrade = None

    def _rewrite_use(self, node: cst.Attribute, old: str | None, row: Removed) -> None:
        assert row.new is not None
        new_module, _, new_name = row.new.rpartition(".")
        binding = import_binding(self, node)
        remove = (binding,) if binding else ()
        if new_module == "builtins":
            scope = self.get_metadata(ScopeProvider, node, None)
            if scope is None or not self._free(scope, new_name, True):
                self.report(node, self.full_message(row, f"not rewritten: `{new_name}` is another name here"))
                return
            self.report(
                node,
                self.full_message(row),
                fix=Fix({node: cst.Name(new_name)}, remove_unused_imports=remove),
            )
            return
        if new_module == (old or "").rpartition(".")[0]:
            # renamed in the same module: `fields.TextField` -> `fields.StringField`
            self.report(
                node, self.full_message(row), fix=Fix({node.attr: cst.Name(new_name)})
            )
            return
        top = row.new.partition(".")[0]
        if not self.top_free(node, top):
            self.report(node, self.full_message(row, f"not rewritten: `{top}` is another name here"))
            return
        if binding is not None and binding[1] is None and binding[2] is None and "." in binding[0]:
            # `import werkzeug.contrib.fixers`: the import itself must change, once every
            # use of it is known (it also binds `werkzeug`, so it is never unused)
            self._through.setdefault(binding[0], []).append((node, new_module))
            upgrade = self._upgrade
            self.defer(lambda: self._through_dotted_import(node, row, binding[0], upgrade))
            return
        self.report(
            node,
            self.full_message(row),
            fix=Fix(
                {node: dotted(row.new)},
                add_imports=((new_module, None, None),),
                remove_unused_imports=remove,
            ),
        )

    def _through_dotted_import(
        self, node: cst.Attribute, row: Removed, module: str, upgrade: str | None = None
    ) -> None:
        """`module.name` read through `import module` (dotted): the import is renamed to the
        new module when each use of `module` in this file is a use being rewritten to the
        same new module; reported otherwise. `upgrade`: an unsafe fix (`upgrade()`)."""
        self._upgrade = upgrade
        try:
            self._through_dotted(node, row, module)
        finally:
            self._upgrade = None

    def _through_dotted(self, node: cst.Attribute, row: Removed, module: str) -> None:
        assert row.new is not None
        new_module = row.new.rpartition(".")[0]
        uses = self._through.get(module, [])
        rewritten = {id(use.value) for use, _ in uses}
        statement = self._dotted_imports.get(module)
        if (
            statement is None
            or {new for _, new in uses} != {new_module}
            or any(id(chain) not in rewritten for chain in self._chains.get(module, []))
        ):
            self.report(
                node,
                self.full_message(row, f"not rewritten: `import {module}` is used otherwise here"),
            )
            return
        alias = statement
        self.report(
            node,
            self.full_message(row),
            fix=Fix({node: dotted(row.new), alias: alias.with_changes(name=dotted(new_module))}),
        )

    def top_free(self, at: cst.CSTNode, top: str) -> bool:
        """Whether `top` at `at` is unbound or bound only by `import top[.sub]` (no `as`):
        then `top.sub.name` with `import top.sub` means the package."""
        scope = self.get_metadata(ScopeProvider, at, None)
        if scope is None:
            return False
        for assignment in scope[top]:
            statement = getattr(assignment, "node", None)
            if not isinstance(statement, cst.Import):
                return False
            if not any(
                a.asname is None and a.evaluated_name.partition(".")[0] == top
                for a in statement.names
            ):
                return False
        return True

    # plain imports of a removed module: `import itsdangerous.jws`

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if alias.asname is None and "." in alias.evaluated_name:
                self._dotted_imports[alias.evaluated_name] = alias
                self._import_names.add(id(alias.name))
            row = self._rows.get(alias.evaluated_name)
            if row is not None and row.kind == REMOVED:
                self.report(alias, self.full_message(row, self.why_not(row)))


def import_from_specs(module: str, specs: Iterable[ImportSpec]) -> cst.ImportFrom:
    """`from module import a, b as c`."""
    names = [_alias(name, asname) for _, name, asname in specs if name is not None]
    return cst.ImportFrom(module=dotted(module), names=_commas(names, cst.MaybeSentinel.DEFAULT))


def top_modules(rows: Mapping[str, Removed]) -> frozenset[str]:
    """The top-level modules the rows' old names live in (what a module must import);
    `flask` too for an extension's (`from flask.ext.wtf import Form`)."""
    tops = {old.partition(".")[0] for old in rows}
    if any(top.startswith("flask_") for top in tops):
        tops.add("flask")
    return frozenset(tops)


def _oldest_allowed(package: str, lowest: tuple[int, ...]) -> str:
    """The oldest release of `package` the requirements allow, as findings name it
    (`Flask-Login 0.2.11`; `an older Flask-Login` when they give no lower bound)."""
    if not any(lowest):
        return f"an older {DISPLAY.get(package, package)}"
    return release((package, lowest))
