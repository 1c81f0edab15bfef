"""What the FLK4 rules share: which expressions are Flask apps, and where configuration
keys are set.

A configuration key is set on an app in these forms (Flask 3.1):

- `app.config["KEY"] = value`;
- `app.config.update(KEY=value)`, `app.config.update({"KEY": value})`, the same with
  `from_mapping`, and `app.config.setdefault("KEY", value)`;
- `app.secret_key = value` (a `ConfigAttribute` of SECRET_KEY), `app.debug = value`
  (the DEBUG key);
- `KEY = value` in the body of a class, or at the top of a module, that the project loads
  with `config.from_object(...)` or `config.from_pyfile(...)`: the ProjectIndex records
  which (`config_objects`, their project base classes included).

Test modules never deploy, and neither does a test configuration: a config class whose
own body sets `TESTING = True` (flasky's `TestingConfig`); rules with `skip_tests` check
neither.

`app` must really be a Flask app: a name whose bindings that may reach the use (names.
reaching_assignments: in the module's code, the last one before it in execution order,
and those a branch, a loop or a `global` may run in between) are all `flask.Flask(...)`
(or a call of a project factory that returns one), an app imported from the module that
creates it, or `flask.current_app`. Anything else (a parameter, a name rebound to
something else, an object of another library with a `config` dict) is not; a name some
of whose reaching bindings make it an app and others not is `AppStatus.MAYBE`.

Apps are decided when the module has been walked (`leave_Module`), so an app created below
the function that uses it still counts. Rules that use this base must call `super()` in
any of the visitor methods below they define, and list `ScopeProvider` (done here).
"""

from __future__ import annotations

import ast
import enum
import os
from collections.abc import Iterator
from dataclasses import dataclass
from textwrap import dedent
from typing import TYPE_CHECKING, ClassVar

import libcst as cst
from libcst.metadata import BaseAssignment, ImportAssignment, QualifiedNameSource, ScopeProvider

from ..index.bindings import absolute_name
from ..index.project import BLUEPRINT_CLASSES, FLASK_CLASSES, ProjectIndex
from ..index.testcode import is_test_path
from .base import Rule
from .names import qualified_names, reaching_assignments

if TYPE_CHECKING:
    from ..index.triage import TriageModule

CURRENT_APP = "flask.current_app"


class AppStatus(enum.Enum):
    """Whether an expression is a Flask app (FlaskConfigRule.app_status)."""

    SURE = "sure"
    MAYBE = "maybe"  # some binding that may reach the use makes it one, another not
    NOT = "not"
# `app.<attribute> = value` that sets a configuration key (flask.sansio.app.App)
ATTRIBUTE_KEYS = {"secret_key": "SECRET_KEY", "debug": "DEBUG"}
CONFIG_SETTERS = ("update", "from_mapping")


def written_values(module: TriageModule, keys: frozenset[str]) -> Iterator[ast.expr]:
    """Stdlib-ast triage: every value the module may write to one of `keys`, in the
    forms above, whatever the owner (`x.config[...]`, any class body): a superset of
    what `FlaskConfigRule` passes to `on_config_write`."""
    for statement in module.all(ast.Assign) + module.all(ast.AnnAssign):
        if statement.value is None:
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if any(_writes_key(target, keys) for target in targets):
            yield statement.value
    for call in module.all(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)):
            continue
        if func.value.attr != "config":
            continue
        if func.attr in CONFIG_SETTERS:
            yield from (k.value for k in call.keywords if k.arg in keys)
            for arg in call.args:
                if isinstance(arg, ast.Dict):
                    yield from (
                        value
                        for key, value in zip(arg.keys, arg.values)
                        if isinstance(key, ast.Constant) and key.value in keys
                    )
        elif func.attr == "setdefault" and len(call.args) == 2:
            key = call.args[0]
            if isinstance(key, ast.Constant) and key.value in keys:
                yield call.args[1]


def _writes_key(target: ast.expr, keys: frozenset[str]) -> bool:
    if isinstance(target, ast.Name):
        return target.id in keys
    if isinstance(target, ast.Attribute):
        return ATTRIBUTE_KEYS.get(target.attr) in keys
    if isinstance(target, ast.Subscript):
        key = target.slice
        return (
            isinstance(target.value, ast.Attribute)
            and target.value.attr == "config"
            and isinstance(key, ast.Constant)
            and key.value in keys
        )
    return False


def testing_config_example(setting: str) -> str:
    """A look-alike for the rules that skip test configurations: `setting` in the body
    of a config class that also sets `TESTING = True`, loaded with `from_object`."""
    return dedent(f"""\
        import os
        from flask import Flask

        class Config:
            SECRET_KEY = os.environ["SECRET_KEY"]

        class TestingConfig(Config):
            TESTING = True
            {setting}

        configs = {{"default": Config, "testing": TestingConfig}}

        def create_app(name="default"):
            app = Flask(__name__)
            app.config.from_object(configs[name])
            return app
    """)


def string_value(node: cst.BaseExpression) -> str | bytes | None:
    """The value of a string or bytes literal (implicit concatenation included)."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value  # None when an f-string is part of it
        return value if isinstance(value, (str, bytes)) else None
    return None


def is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def is_false(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


@dataclass(frozen=True)
class ConfigWrite:
    """One configuration key set to `value`.

    kind: 'item' (`owner.config[KEY] = value`), 'attribute' (`owner.secret_key = value`),
    'keyword' (`owner.config.update(KEY=value)`), 'dict' (`...update({KEY: value})`),
    'setdefault', 'class' (`KEY = value` in the body of class `qualname`), 'module'.
    """

    key: str
    value: cst.BaseExpression
    kind: str
    node: cst.CSTNode  # what a finding points at: the statement, argument or dict entry
    owner: cst.BaseExpression | None = None  # the app expression, for the app forms
    qualname: str | None = None  # the class, for 'class'
    conditional: bool = False  # under an `if`/`try` in its class or module body


class FlaskConfigRule(Rule):
    """A rule about Flask apps and their configuration keys (see the module docstring)."""

    #: configuration keys whose writes `on_config_write` receives
    config_keys: ClassVar[frozenset[str]] = frozenset()
    #: test modules and fixtures (`is_test_path`) are not checked: they never deploy
    skip_tests: ClassVar[bool] = True
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return not (cls.skip_tests and is_test_path(path))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # what encloses the node being visited: ('class', name), ('function', name), ('block',)
        self._frames: list[tuple[str, ...]] = []
        self._assigned: dict[int, cst.BaseExpression] = {}  # Name target -> value
        self._writes: list[ConfigWrite] = []
        self._decorators: dict[int, cst.FunctionDef] = {}  # Param -> its function
        self._testing_classes: set[str] = set()  # qualnames of classes setting TESTING = True
        self._bases: dict[str, list[str]] = {}  # class qualname -> its bases named in this module

    # what the subclasses implement

    def on_config_write(self, write: ConfigWrite) -> None:
        """A key of `config_keys` set on a real app or in a loaded config object."""

    def finish(self) -> None:
        """Called once the module is walked: resolve what was collected."""

    # the traversal

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.skip_tests and is_test_path(self.context.path):
            return
        index = self.context.index
        for write in self._writes:
            if write.kind == "class":
                loaded = (self.context.path, write.qualname) in index.config_objects
                if self.skip_tests and write.qualname in self._testing_classes:
                    continue
            elif write.kind == "module":
                loaded = (self.context.path, "") in index.config_objects
            else:
                loaded = write.owner is not None and self.is_app(write.owner)
            if loaded:
                self.on_config_write(write)
        self.finish()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._frames.append(("class", node.name.value))
        self._bases[self._class_qualname()] = [
            base.value.value for base in node.bases if isinstance(base.value, cst.Name)
        ]

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append(("function", node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()

    def visit_If(self, node: cst.If) -> None:
        self._frames.append(("block",))

    def leave_If(self, original_node: cst.If) -> None:
        self._frames.pop()

    def visit_Try(self, node: cst.Try) -> None:
        self._frames.append(("block",))

    def leave_Try(self, original_node: cst.Try) -> None:
        self._frames.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._note_target(target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._note_target(node.target, node.value, node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (
            self.config_keys
            and isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "config"
        ):
            return
        owner = func.value.value
        method = func.attr.value
        if method in CONFIG_SETTERS:
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in self.config_keys:
                    self._writes.append(
                        ConfigWrite(arg.keyword.value, arg.value, "keyword", arg, owner)
                    )
                elif arg.keyword is None and not arg.star and isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        if isinstance(element, cst.DictElement):
                            key = string_value(element.key)
                            if key in self.config_keys:
                                self._writes.append(
                                    ConfigWrite(key, element.value, "dict", element, owner)
                                )
        elif method == "setdefault" and len(node.args) == 2 and not node.args[0].keyword:
            key = string_value(node.args[0].value)
            if key in self.config_keys and not node.args[1].star:
                self._writes.append(ConfigWrite(key, node.args[1].value, "setdefault", node, owner))

    def _note_target(
        self, target: cst.BaseExpression, value: cst.BaseExpression, statement: cst.CSTNode
    ) -> None:
        if isinstance(target, cst.Name):
            self._assigned[id(target)] = value
            if target.value in self.config_keys:
                self._note_body_key(target.value, value, statement)
            elif target.value == "TESTING" and is_true(value) and self._in_class_body():
                self._testing_classes.add(self._class_qualname())
        elif isinstance(target, cst.Attribute):
            key = ATTRIBUTE_KEYS.get(target.attr.value)
            if key in self.config_keys:
                self._writes.append(ConfigWrite(key, value, "attribute", statement, target.value))
        elif isinstance(target, cst.Subscript):
            config = target.value
            if (
                isinstance(config, cst.Attribute)
                and config.attr.value == "config"
                and len(target.slice) == 1
                and isinstance(target.slice[0].slice, cst.Index)
            ):
                key = string_value(target.slice[0].slice.value)
                if key in self.config_keys:
                    self._writes.append(ConfigWrite(key, value, "item", statement, config.value))

    def _in_class_body(self) -> bool:
        """Directly in a class body: not in a function or under an `if`/`try` there."""
        return bool(self._frames) and self._frames[-1][0] == "class"

    def _class_qualname(self) -> str:
        return ".".join(frame[1] for frame in self._frames if frame[0] == "class")

    def _note_body_key(self, key: str, value: cst.BaseExpression, statement: cst.CSTNode) -> None:
        """`KEY = value` directly in a class body (classes nested in classes count) or at
        module level, possibly under `if`/`try`; not in functions."""
        if any(frame[0] == "function" for frame in self._frames):
            return
        classes = [frame[1] for frame in self._frames if frame[0] == "class"]
        innermost_class = max(
            (i for i, frame in enumerate(self._frames) if frame[0] == "class"), default=-1
        )
        conditional = any(frame[0] == "block" for frame in self._frames[innermost_class + 1 :])
        if classes:
            write = ConfigWrite(
                key, value, "class", statement, qualname=".".join(classes), conditional=conditional
            )
        else:
            write = ConfigWrite(key, value, "module", statement, conditional=conditional)
        self._writes.append(write)

    def testing_heir(self, qualname: str, key: str) -> str | None:
        """A test configuration of this module (a class whose body sets `TESTING = True`)
        that inherits `key` from class `qualname` (directly or through classes of this
        module that do not set it); valid once the module is walked."""
        setting = {w.qualname for w in self._writes if w.kind == "class" and w.key == key}
        for testing in sorted(self._testing_classes):
            seen: set[str] = set()
            todo = [testing]
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                if name == qualname and name != testing:
                    return testing
                if name != testing and name in setting:
                    continue  # the key is set here: what is above is not inherited
                if name == testing and name in setting:
                    break
                todo.extend(b for b in self._bases.get(name, ()) if b in self._bases)
        return None

    # name resolution (valid once the module is walked: in leave_Module and finish)

    @property
    def module_name(self) -> str | None:
        return self.context.index.modules.get(self.context.path)

    def absolute(self, name: str | None) -> str | None:
        """A qualified name with a relative import's dots resolved against this module."""
        if name is None:
            return None
        is_package = os.path.basename(self.context.path) == "__init__.py"
        return absolute_name(name, self.module_name, is_package)

    def imported_name(self, node: cst.BaseExpression) -> str | None:
        """The one qualified name `node` refers to when every binding is an import (or a
        builtin); None for locals and ambiguous names."""
        names = qualified_names(self, node)
        if not names or any(n.source is QualifiedNameSource.LOCAL for n in names):
            return None
        distinct = {self.absolute(n.name) for n in names}
        return distinct.pop() if len(distinct) == 1 else None

    def local_values(self, name: cst.Name) -> list[cst.CSTNode] | None:
        """What each binding of a local name that may reach this use is (names.
        reaching_assignments): the value assigned (`x = value`), or the FunctionDef,
        ClassDef or Param node; None when some such binding is anything else (an import,
        a for target, a tuple unpacking, `global`, a walrus...)."""
        bindings = self._reaching_values(name)
        if not bindings or any(value is None for _, value in bindings):
            return None
        return [value for _, value in bindings if value is not None]

    def _reaching_values(
        self, name: cst.Name
    ) -> list[tuple[BaseAssignment, cst.CSTNode | None]] | None:
        """Each binding that may reach this use of `name`, with what `local_values` says
        of it (None: another kind of binding); None when none does."""
        assignments = reaching_assignments(self, name)
        if not assignments:
            return None
        bindings: list[tuple[BaseAssignment, cst.CSTNode | None]] = []
        for assignment in assignments:
            node = getattr(assignment, "node", None)
            if isinstance(node, cst.Name) and id(node) in self._assigned:
                bindings.append((assignment, self._assigned[id(node)]))
            elif isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Param)):
                bindings.append((assignment, node))
            else:
                bindings.append((assignment, None))
        return bindings

    def _binds_app(self, name: str, assignment: BaseAssignment, value: cst.CSTNode | None) -> bool:
        """Whether one binding of `name` makes it a Flask app."""
        if value is not None:
            return self.is_app_call(value)
        if isinstance(assignment, ImportAssignment):
            imported = {self.absolute(q.name) for q in assignment.get_qualified_names_for(name)}
            return len(imported) == 1 and (
                imported <= {CURRENT_APP} or imported <= self.context.index.app_names
            )
        return False

    def is_global_definition(self, node: cst.CSTNode) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        return scope is not None and scope is scope.globals

    def defined_name(self, func: cst.BaseExpression) -> str | None:
        """The qualified name of what `func` calls: an import, or a function or class
        defined at the top of this module (only binding of its name)."""
        imported = self.imported_name(func)
        if imported is not None:
            return imported
        if isinstance(func, cst.Name):
            values = self.local_values(func)
            if (
                values
                and len(values) == 1
                and isinstance(values[0], (cst.FunctionDef, cst.ClassDef))
                and self.is_global_definition(values[0])
                and self.module_name is not None
            ):
                return f"{self.module_name}.{func.value}"
        return None

    def is_app_call(self, node: cst.CSTNode) -> bool:
        """`Flask(...)` (or a project subclass), or a call of a project factory that
        returns a new app."""
        if not isinstance(node, cst.Call):
            return False
        name = self.defined_name(node.func)
        index = self.context.index
        return name is not None and (
            name in FLASK_CLASSES or name in index.flask_classes or name in index.app_factories
        )

    def is_app(self, node: cst.BaseExpression) -> bool:
        """Whether `node` surely evaluates to a Flask app (see the module docstring)."""
        return self.app_status(node) is AppStatus.SURE

    def app_status(self, node: cst.BaseExpression) -> AppStatus:
        """SURE when `node` evaluates to a Flask app; MAYBE when a name one of whose
        bindings that may reach this use makes it an app and another may not (`app =
        Flask()` then `if x: app = 1`): report, do not rewrite; NOT otherwise."""
        if isinstance(node, cst.Call):
            return AppStatus.SURE if self.is_app_call(node) else AppStatus.NOT
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return AppStatus.NOT
        imported = self.imported_name(node)
        if imported is not None:
            is_app = imported == CURRENT_APP or imported in self.context.index.app_names
            return AppStatus.SURE if is_app else AppStatus.NOT
        if isinstance(node, cst.Name):
            bindings = self._reaching_values(node)
            if not bindings:
                return AppStatus.NOT
            apps = [self._binds_app(node.value, *binding) for binding in bindings]
            if all(apps):
                return AppStatus.SURE
            return AppStatus.MAYBE if any(apps) else AppStatus.NOT
        return AppStatus.NOT

    def is_blueprint(self, node: cst.BaseExpression) -> bool:
        """A name bound only to `flask.Blueprint(...)`, or a project blueprint imported."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return False
        imported = self.imported_name(node)
        if imported is not None:
            return any(
                bp.function is None and f"{bp.module}.{bp.variable}" == imported
                for bp in self.context.index.blueprints
            )
        if isinstance(node, cst.Name):
            values = self.local_values(node)
            return bool(values) and all(
                isinstance(v, cst.Call) and self.defined_name(v.func) in BLUEPRINT_CLASSES
                for v in values
            )
        return False
