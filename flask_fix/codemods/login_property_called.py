"""FLK802 login-property-called."""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix, TextExample, TextFinding, TextRule
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
#: `current_user.is_authenticated()` inside a Jinja expression or statement
TEMPLATE_CALL = re.compile(r"\bcurrent_user\.(is_authenticated|is_active|is_anonymous)\(\s*\)")
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _message(name: str) -> str:
    row = ROWS[name]
    return (
        f"`{name}` is a property since {release(row.new_since)}: calling it fails"
        f" (`TypeError: 'bool' object is not callable`); drop the `()`"
    )


class LoginPropertyInTemplate(TextRule):
    """FLK802's part in Jinja templates: `current_user.is_authenticated()` there."""

    code = "FLK802"
    name = "login-property-called"
    summary = "Read `current_user.is_authenticated` as a property (Flask-Login 0.3)."
    file_patterns = ("*.html", "*.htm", "*.jinja", "*.jinja2", "*.j2")
    examples = (
        TextExample(
            "base.html",
            "<nav>\n  {% if current_user.is_authenticated() %}\n"
            "    {{ current_user.name }}\n  {% endif %}\n</nav>\n",
            (2,),
        ),
        TextExample("base.html", "{% if current_user.is_authenticated %}hi{% endif %}\n"),
        # outside Jinja's delimiters it is only text
        TextExample("help.html", "<p>Call current_user.is_authenticated() in Python.</p>\n"),
        # the project's user class defines the method: the call is that method's
        TextExample(
            "base.html",
            "{% if current_user.is_authenticated() %}hi{% endif %}\n",
            project=(
                ("models.py", "class User:\n    def is_authenticated(self):\n        return True\n"),
            ),
        ),
    )

    # a class of the project defining the method makes the call its own (ProjectIndex)
    needs_index = True

    def check(self, path: str, text: str) -> list[TextFinding]:
        found = []
        own = self.index.login_methods if self.index is not None else frozenset()
        for block in JINJA_BLOCK.finditer(text):
            for call in TEMPLATE_CALL.finditer(block.group()):
                if call.group(1) in own:
                    continue
                start = block.start() + call.start()
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                found.append(
                    TextFinding(
                        line,
                        column,
                        column + len(call.group()),
                        _message(call.group(1))
                        + f": `current_user.{call.group(1)}` (templates are not rewritten)",
                    )
                )
        return found


class LoginPropertyCalled(RemovedApiRule):
    """
    What it does:
        Drops the call from `current_user.is_authenticated()`, `is_active()` and
        `is_anonymous()` where `current_user` is Flask-Login's, and from
        `self.is_authenticated()` in a class deriving from Flask-Login's `UserMixin`.
        Reports the same calls in Jinja templates, and a `UserMixin` subclass that still
        defines one of them as a plain method.

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
        attribute alone is always true), the call is only reported. Only rewritten where
        the object is provably Flask-Login's user: `current_user` imported from
        flask_login (and no class of the project defines the attribute as a plain
        method: then the call is that method's), or `self` in a `UserMixin` subclass that
        does not define it. A call on any other object (`user.is_active()`) is left
        alone. Templates are only reported.
    """

    code = "FLK802"
    name = "login-property-called"
    fix_level = FixLevel.SAFE
    summary = "Read `current_user.is_authenticated` as a property (Flask-Login 0.3)."
    triggers = (b"is_authenticated", b"is_active", b"is_anonymous")
    required_imports = frozenset({"flask_login", "flask"})
    text_part = LoginPropertyInTemplate
    METADATA_DEPENDENCIES = (ScopeProvider,)

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
                    self.report(
                        statement.name,
                        f"`{name}` is a method here; Flask-Login reads it as a property since"
                        f" {release(ROWS[name].new_since)} (`if not user.{name}` is then"
                        f" never true): make it a `@property` and drop the `()` where it"
                        f" is called",
                    )

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
        reason = self.pins_reason(ROWS[name])
        if reason is not None:
            self.report(node, f"{_message(name)}; {reason}")
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
