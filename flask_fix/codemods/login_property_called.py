"""FLK802 login-property-called."""

from __future__ import annotations

import ast
import fnmatch
import os
import re

import libcst as cst
import libcst.matchers as m
from libcst.metadata import ScopeProvider

from ..index import pins
from ..index.project import ProjectIndex
from ..model import FixLevel
from ..rewrite.base import Example, Fix, ProjectContext, ProjectExample, ProjectFinding
from ..rewrite.base import ProjectTransform, TransformResult
from ..rewrite.names import qualified_name
from ..rewrite.removed_api import RemovedApiRule, release
from ..rewrite.removed_apis import BY_OLD

PROPERTIES = ("is_authenticated", "is_active", "is_anonymous")
ROWS = {name: BY_OLD[f"flask_login.UserMixin.{name}()"] for name in PROPERTIES}
CURRENT_USER = frozenset(
    {"flask_login.current_user", "flask_login.utils.current_user", "flask.ext.login.current_user"}
)
USER_MIXINS = frozenset(
    {
        "flask_login.UserMixin",
        "flask_login.mixins.UserMixin",
        "flask_login.AnonymousUserMixin",
        "flask_login.mixins.AnonymousUserMixin",
        "flask.ext.login.UserMixin",
        "flask.ext.login.AnonymousUserMixin",
    }
)
#: `current_user.is_authenticated()` inside a Jinja expression or statement (not
#: `g.current_user...` or `my_current_user...`: another object)
TEMPLATE_CALL = re.compile(
    r"(?<![\w.])current_user\.(is_authenticated|is_active|is_anonymous)\(\s*\)"
)
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TEMPLATE_PATTERNS = ("*.html", "*.htm", "*.jinja", "*.jinja2", "*.j2")


def _message(name: str) -> str:
    row = ROWS[name]
    return (
        f"`{name}` is a property since {release(row.new_since)}: calling it fails"
        f" (`TypeError: 'bool' object is not callable`); drop the `()`"
    )


def template_calls(text: str, own: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, attribute) of each `current_user.<property>()` inside `{{ }}` or
    `{% %}` of a template's `text`, but those of a method a class of the project
    defines (`own`): that call is the project's method."""
    found = []
    for block in JINJA_BLOCK.finditer(text):
        for call in TEMPLATE_CALL.finditer(block.group()):
            if call.group(1) not in own:
                found.append((block.start() + call.start(), block.start() + call.end(), call.group(1)))
    return found


def template_paths(context: ProjectContext) -> list[str]:
    """Every template file (TEMPLATE_PATTERNS) in a `templates/` folder beside a module of
    the project (where Flask and its blueprints look by default), each once. Only those
    folders are listed: the cache replays a run when none of them changed."""
    folders = sorted({os.path.join(os.path.dirname(path), "templates") for path in context.index.modules})
    paths: dict[str, None] = {}
    for folder in folders:
        for path in context.files_under(folder):
            if any(fnmatch.fnmatchcase(os.path.basename(path), p) for p in TEMPLATE_PATTERNS):
                paths[os.path.normpath(path)] = None
    return list(paths)


class LoginPropertyInTemplates(ProjectTransform):
    """FLK802's part in Jinja templates: `current_user.is_authenticated()` there becomes
    `current_user.is_authenticated`, as in Python (unsafe when the project's
    requirements allow Flask-Login 0.2, like the Python rewrite)."""

    code = "FLK802"
    name = "login-property-called"
    fix_level = FixLevel.SAFE
    summary = "Read `current_user.is_authenticated` as a property (Flask-Login 0.3)."
    examples = (
        ProjectExample(
            {
                "app.py": "import flask_login\n",
                "templates/base.html": "<nav>\n  {% if current_user.is_authenticated() %}\n"
                "    {{ current_user.name }}\n  {%- endif %}{{ current_user.is_anonymous( ) }}\n</nav>\n",
            },
            {
                "app.py": "import flask_login\n",
                "templates/base.html": "<nav>\n  {% if current_user.is_authenticated %}\n"
                "    {{ current_user.name }}\n  {%- endif %}{{ current_user.is_anonymous }}\n</nav>\n",
            },
            unsafe=False,
        ),
    )
    valid = (
        {"app.py": "import flask_login\n",
         "templates/base.html": "{% if current_user.is_authenticated %}hi{% endif %}\n"},
        # outside Jinja's delimiters (and in a Jinja comment) it is only text
        {"app.py": "import flask_login\n",
         "templates/help.html": "<p>Call current_user.is_authenticated() in Python.</p>\n"
         "{# current_user.is_active() #}\n"},
        # another object: the template's own variable, `g.current_user`
        {"app.py": "import flask_login\n",
         "templates/users.html": "{% if user.is_authenticated() %}{{ g.current_user.is_active() }}"
         "{{ my_current_user.is_active() }}{% endif %}\n"},
        # the project's user class defines the method: the call is that method's
        {"models.py": "class User:\n    def is_authenticated(self):\n        return True\n",
         "templates/base.html": "{% if current_user.is_authenticated() %}hi{% endif %}\n"},
    )  # fmt: skip

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return bool(index.modules)

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        own = context.index.login_methods
        for path in template_paths(context):
            if context.suppressed(self.code, path, None):
                continue
            try:
                text = context.read(path).decode("utf-8", "surrogateescape")
            except OSError:
                continue
            if "current_user." not in text:
                continue
            calls = template_calls(text, own)
            if not calls:
                continue
            row = ROWS[calls[0][2]]
            upgrade = _template_upgrade(context, row)
            level = FixLevel.SAFE if upgrade is None else FixLevel.UNSAFE
            for start, end, name in calls:
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                message = _message(name) + f": `current_user.{name}`"
                if upgrade is not None:
                    message += f"; {upgrade}"
                result.findings.append(
                    ProjectFinding(
                        self.code, self.name, path, line, column, message, level,
                        has_fix=True, end_line=line, end_column=column + end - start,
                    )
                )  # fmt: skip
            if context.apply and (level is FixLevel.SAFE or context.unsafe_fixes):
                new, last = [], 0
                for start, end, name in calls:
                    new.append(text[last:start] + f"current_user.{name}")
                    last = end
                new.append(text[last:])
                result.new_texts[path] = "".join(new).encode("utf-8", "surrogateescape")
        return result


def _template_upgrade(context: ProjectContext, row) -> str | None:
    """The Python rule's `upgrade` sentence when the project's requirements allow a
    Flask-Login older than the property (0.2), else None."""
    assert row.new_since is not None
    package, since = row.new_since
    lowest = context.index.requirements.get(package)
    if pins.at_least(lowest, since):
        return None
    assert lowest is not None
    allowed = "an older Flask-Login" if not any(lowest) else release((package, lowest))
    return (
        f"needs Flask-Login>={pins.describe(since)} and the project's requirements allow"
        f" {allowed}: an unsafe fix, raise the requirement with it"
    )


class LoginPropertyCalled(RemovedApiRule):
    """
    What it does:
        Drops the call from `current_user.is_authenticated()`, `is_active()` and
        `is_anonymous()` where `current_user` is Flask-Login's, and from
        `self.is_authenticated()` in a class deriving from Flask-Login's `UserMixin`.
        Does the same in Jinja templates (inside `{{ }}` and `{% %}`, on `current_user`
        only). A `UserMixin` subclass that still defines one of them as a plain method
        gets `@property` with --unsafe-fixes.

    Why is this bad?:
        Flask-Login 0.3 made the three attributes properties: on today's releases the
        call raises `TypeError: 'bool' object is not callable`. A class of the project
        that defines `def is_active(self)` the pre-0.3 way is read as a property by
        Flask-Login itself (`login_user` checks `user.is_active`): the bound method is
        always true, so an inactive user logs in.

    Example:
        from flask_login import current_user

        def greeting():
            if current_user.is_authenticated():
                return "hello " + current_user.name

    Use instead:
        from flask_login import current_user

        def greeting():
            if current_user.is_authenticated:
                return "hello " + current_user.name

    Fix safety:
        Safe on Flask-Login 0.3 and later, where the attribute is a bool. When the
        project's requirements allow Flask-Login 0.2 (where it is a method, and the
        attribute alone is always true), the rewrite is an unsafe fix whose finding names
        the requirement to raise with it (`needs Flask-Login>=0.3`): --unsafe-fixes
        migrates the code, the requirement is the user's to raise. Only rewritten where
        the object is provably Flask-Login's user: `current_user` imported from
        flask_login (and no class of the project defines the attribute as a plain
        method: then the call is that method's), or `self` in a `UserMixin` subclass that
        does not define it. A call on any other object (`user.is_active()`, a template's
        `user.is_authenticated()`, `g.current_user`) is left alone. Making the pre-0.3
        method a `@property` is always unsafe: calls of it in other modules must drop
        their `()` (it is only reported while its own module still calls it).
    """

    code = "FLK802"
    name = "login-property-called"
    fix_level = FixLevel.SAFE
    summary = "Read `current_user.is_authenticated` as a property (Flask-Login 0.3)."
    triggers = (b"is_authenticated", b"is_active", b"is_anonymous")
    required_imports = frozenset({"flask_login", "flask"})
    project_part = LoginPropertyInTemplates
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """What the rule reads (the trigger text mostly finds the properties read as
        properties): `x.is_active()` with no argument on `self` or on what may be
        Flask-Login's `current_user`, or a class whose base may be `UserMixin` defining
        one of the three as a plain method."""
        for name in PROPERTIES:
            for call in module.calls(name):
                func = call.func
                if call.args or call.keywords or not isinstance(func, ast.Attribute):
                    continue
                if isinstance(func.value, ast.Name) and func.value.id == "self":
                    return True
                if _may_be(module, func.value, CURRENT_USER):
                    return True
        return any(
            any(
                isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                and s.name in PROPERTIES
                and not s.decorator_list
                for s in node.body
            )
            and any(_may_be(module, base, USER_MIXINS) for base in node.bases)
            for node in module.all(ast.ClassDef)
        )

    valid = (
        "from flask_login import current_user\n\nok = current_user.is_authenticated\n",
        # a class of the project with its own method: not Flask-Login's user
        "import flask_login\n\nclass Account:\n    def is_active(self):\n        return True\n\n"
        "def check(account):\n    return account.is_active()\n",
        # current_user of another package
        "from myauth import current_user\nimport flask_login\n\n"
        "x = current_user.is_authenticated()\n",
        # a UserMixin subclass that defines the property itself
        "from flask_login import UserMixin\n\nclass User(UserMixin):\n    @property\n"
        "    def is_active(self):\n        return self.active\n\n"
        "    def ok(self):\n        return self.is_active\n",
    )
    invalid = (
        Example(
            "from flask_login import current_user\n\n"
            "def greeting():\n    if current_user.is_authenticated():\n"
            "        return 'hello'\n    return current_user.is_anonymous()\n",
            "from flask_login import current_user\n\n"
            "def greeting():\n    if current_user.is_authenticated:\n"
            "        return 'hello'\n    return current_user.is_anonymous\n",
        ),
        Example(
            "from flask.ext.login import current_user\n\nok = current_user.is_active()\n",
            "from flask.ext.login import current_user\n\nok = current_user.is_active\n",
        ),
        Example(
            "import flask_login\n\nok = flask_login.current_user.is_active()\n",
            "import flask_login\n\nok = flask_login.current_user.is_active\n",
        ),
        Example(
            "from flask_login import UserMixin\n\nclass User(UserMixin):\n"
            "    def label(self):\n        return 'in' if self.is_authenticated() else 'out'\n",
            "from flask_login import UserMixin\n\nclass User(UserMixin):\n"
            "    def label(self):\n        return 'in' if self.is_authenticated else 'out'\n",
        ),
        # the pre-0.3 method: reported
        Example(
            "from flask_login import UserMixin\n\nclass User(UserMixin):\n"
            "    def is_active(self):\n        return self.active\n",
            None,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._classes: list[tuple[bool, frozenset[str]]] = []  # (is a UserMixin, defines)
        self._functions = 0

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        # the attributes this module calls (`x.is_active()`): a method it still calls so
        # is not made a property here
        self._called = {
            call.func.attr.value
            for call in m.findall(node, m.Call(func=m.Attribute(), args=()))
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        }

    def _as_property(self, statement: cst.FunctionDef) -> Fix | None:
        """`@property` on the pre-0.3 method, unless this module still calls it or its
        signature is more than `(self)`."""
        name = statement.name.value
        params = statement.params
        if (
            name in self._called
            or len(params.params) != 1
            or params.star_arg is not cst.MaybeSentinel.DEFAULT
            or params.kwonly_params
            or params.star_kwarg is not None
            or params.posonly_params
        ):
            return None
        decorator = cst.Decorator(decorator=cst.Name("property"))
        return Fix({statement: statement.with_changes(decorators=(decorator,))})

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        mixin = any(qualified_name(self, base.value) in USER_MIXINS for base in node.bases)
        defines = frozenset(
            s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)
        ) if isinstance(node.body, cst.IndentedBlock) else frozenset()
        self._classes.append((mixin, defines))
        if isinstance(node.body, cst.IndentedBlock):
            for statement in node.body.body:
                if (
                    isinstance(statement, cst.FunctionDef)
                    and statement.name.value in PROPERTIES
                    and not statement.decorators
                    and mixin
                ):
                    name = statement.name.value
                    message = (
                        f"`{name}` is a method here; Flask-Login reads it as a property since"
                        f" {release(ROWS[name].new_since)} (`if not user.{name}` is then"
                        f" never true): make it a `@property` and drop the `()` where it"
                        f" is called"
                    )
                    fix = self._as_property(statement)
                    if fix is None:
                        self.report(statement.name, message)
                        continue
                    # other modules' `user.is_active()` calls cannot all be seen: unsafe
                    message += "; made a `@property` (calls of it in other modules must drop the `()`)"
                    if self.pins_reason(ROWS[name]) is not None:
                        message += f"; {self.upgrade(ROWS[name])}"
                    self.report(statement.name, message, fix=fix, fix_level=FixLevel.UNSAFE)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions -= 1

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if node.args or not isinstance(func, cst.Attribute) or func.attr.value not in PROPERTIES:
            return
        name = func.attr.value
        if not self._is_login_user(func.value, name):
            return
        if self.pins_reason(ROWS[name]) is not None:
            # the pins allow Flask-Login 0.2: with --unsafe-fixes, migrate past them
            self.report(
                node,
                f"{_message(name)}; {self.upgrade(ROWS[name])}",
                fix=Fix({node: func}),
                fix_level=FixLevel.UNSAFE,
            )
            return
        self.report(node, _message(name), fix=Fix({node: func}))

    def _is_login_user(self, receiver: cst.BaseExpression, name: str) -> bool:
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            # a method (directly in the class body) of a UserMixin subclass that does not
            # define the attribute itself
            if not self._classes or self._functions != 1:
                return False
            mixin, defines = self._classes[-1]
            return mixin and name not in defines and name not in self.context.index.login_methods
        return (
            qualified_name(self, receiver) in CURRENT_USER
            and name not in self.context.index.login_methods
        )


def _may_be(module, expr: ast.expr, qualified: frozenset[str]) -> bool:
    """Stdlib-ast triage: whether the rule may resolve `expr` to one of `qualified`."""
    names = module.possible_names(expr)
    return names is None or not names.isdisjoint(qualified)
