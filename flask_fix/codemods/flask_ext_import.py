"""FLK701 flask-ext-import."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import LegacyApiRule, dotted, import_module
from ..rewrite.names import import_binding, qualified_name

EXT = "flask.ext"
REMOVED = "`flask.ext` was removed in Flask 1.0"


def _new_module(old: str) -> str:
    """`flask.ext.login.utils` -> `flask_login.utils`."""
    first, _, rest = old.removeprefix(EXT + ".").partition(".")
    return f"flask_{first}" + (f".{rest}" if rest else "")


class FlaskExtImport(LegacyApiRule):
    """
    What it does:
        Rewrites the `flask.ext.foo` spelling of extension imports to the extension's own
        package, `flask_foo`, in every form: `from flask.ext.foo import X`,
        `from flask.ext import foo`, `import flask.ext.foo` (and its uses
        `flask.ext.foo.X`), `import flask.ext.foo as f`.

    Why is this bad?:
        `flask.ext` was a redirecting import hook, deprecated in Flask 0.11 and removed in
        1.0: on any current Flask the module fails with
        `ModuleNotFoundError: No module named 'flask.ext'`.

    Example:
        from flask.ext.sqlalchemy import SQLAlchemy
        from flask.ext import login
        import flask.ext.bcrypt

        bcrypt = flask.ext.bcrypt.Bcrypt()

    Use instead:
        from flask_sqlalchemy import SQLAlchemy
        import flask_login as login
        import flask_bcrypt

        bcrypt = flask_bcrypt.Bcrypt()

    Fix safety:
        Safe: `flask.ext.foo` was only ever a second name for the module `flask_foo` (the
        hook also tried the pre-2011 `flaskext.foo` layout, which no maintained extension
        ships any more). `from flask.ext import foo` becomes `import flask_foo as foo`, so
        the same local name is bound. `import flask.ext.foo` also bound the name `flask`:
        if the module uses `flask` otherwise, `import flask` is added. Only reported:
        `import flask.ext`, `from flask import ext` and `from flask.ext import *`, which
        name no extension.
    """

    code = "FLK701"
    name = "flask-ext-import"
    fix_level = FixLevel.SAFE
    summary = "Import extensions as `flask_foo`, not `flask.ext.foo`."
    triggers = (b"flask.ext", b"import ext")
    required_imports = frozenset({"flask"})

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """`flask.ext` imported (`from flask.ext.x import y`, `import flask.ext.x`,
        `from flask import ext`) or read as an attribute of `flask`."""
        return (
            any(
                node.module and not node.level and node.module.split(".")[:2] == ["flask", "ext"]
                for node in module.all(ast.ImportFrom)
            )
            or any(
                alias.name.split(".")[:2] == ["flask", "ext"]
                for node in module.all(ast.Import)
                for alias in node.names
            )
            or module.may_use("flask", frozenset({"ext"}))
        )
    METADATA_DEPENDENCIES = (ScopeProvider,)

    valid = (
        # the extension's own package, already
        "from flask_sqlalchemy import SQLAlchemy\nimport flask_login\n\n"
        "db = SQLAlchemy()\nuser = flask_login.current_user\n",
        # an attribute named `ext` on something that is not Flask
        "import flask\n\nclass Plugins:\n    ext = None\n\nplugins = Plugins()\n"
        "value = plugins.ext\n",
        # a local variable named `flask`
        "def load(flask):\n    return flask.ext.login\n",
        # a package of the project whose name merely ends in `flask`
        "from myflask.ext.login import LoginManager\nimport flask\n",
    )
    invalid = (
        Example(
            "from flask.ext.sqlalchemy import SQLAlchemy\n"
            "from flask.ext.login import LoginManager, current_user as user\n",
            "from flask_sqlalchemy import SQLAlchemy\n"
            "from flask_login import LoginManager, current_user as user\n",
        ),
        Example(
            "from flask.ext import login, sqlalchemy as sa\n\ndb = sa.SQLAlchemy()\n",
            "import flask_login as login, flask_sqlalchemy as sa\n\ndb = sa.SQLAlchemy()\n",
        ),
        Example(
            "import flask.ext.login\n\nmanager = flask.ext.login.LoginManager()\n",
            "import flask_login\n\nmanager = flask_login.LoginManager()\n",
        ),
        # `import flask.ext.x` also bound `flask`, which the module still uses
        Example(
            "import flask.ext.login\n\nmanager = flask.ext.login.LoginManager()\n"
            "request = flask.request\n",
            "import flask\nimport flask_login\n\nmanager = flask_login.LoginManager()\n"
            "request = flask.request\n",
        ),
        Example(
            "import flask.ext.script as script\nfrom flask.ext.testing.utils import X\n",
            "import flask_script as script\nfrom flask_testing.utils import X\n",
        ),
        # only an attribute use: the extension's package is imported
        Example(
            "import flask\n\ndef user():\n    return flask.ext.login.current_user\n",
            "import flask_login\n\ndef user():\n    return flask_login.current_user\n",
        ),
        # `from flask import ext` fails; its only use is rewritten, so it goes
        Example(
            "from flask import ext\n\nlogin = ext.login\n",
            "import flask_login\n\nlogin = flask_login\n",
        ),
        # names no extension: reported
        Example("import flask.ext\n\nprint(flask.ext)\n", None),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ext_uses: set[int] = set()  # nodes of `flask.ext.foo` chains being rewritten

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_module(node)
        if module is None:
            return
        if module.startswith(EXT + "."):
            new = _new_module(module)
            assert node.module is not None
            self.report(
                node,
                f"{REMOVED}: import from `{new}`",
                fix=Fix({node.module: dotted(new)}),
            )
        elif module == EXT:
            if isinstance(node.names, cst.ImportStar):
                self.report(node, f"{REMOVED}: import each extension from its `flask_*` package")
                return
            names = []
            for alias in node.names:
                local = alias.evaluated_alias or alias.evaluated_name
                names.append(
                    cst.ImportAlias(
                        name=dotted(_new_module(f"{EXT}.{alias.evaluated_name}")),
                        asname=cst.AsName(cst.Name(local)),
                        comma=alias.comma,
                    )
                )
            replacement = cst.Import(names=names, semicolon=node.semicolon)
            self.report(
                node,
                f"{REMOVED}: `{code_of(replacement)}`",
                fix=Fix({node: replacement}),
            )
        elif module == "flask" and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if alias.evaluated_name == "ext":
                    self.report(
                        alias,
                        f"{REMOVED}: import each extension from its `flask_*` package "
                        "(`flask.ext.login` is `flask_login`)",
                    )

    def visit_Import(self, node: cst.Import) -> None:
        changed = False
        names = []
        binds_flask = False
        for alias in node.names:
            name = alias.evaluated_name
            if name == EXT:
                self.report(alias, f"{REMOVED}: import each extension from its `flask_*` package")
            if name.startswith(EXT + "."):
                alias = alias.with_changes(name=dotted(_new_module(name)))
                changed = True
                binds_flask = binds_flask or alias.asname is None
            names.append(alias)
        if not changed:
            return
        replacement = node.with_changes(names=names)
        if binds_flask:
            self.defer(lambda: self._report_import(node, replacement))
        else:
            self._report_import(node, replacement)

    def _report_import(self, node: cst.Import, replacement: cst.Import) -> None:
        # `import flask.ext.foo` bound `flask` too: keep that binding if it is used
        # other than through `flask.ext.*` (those uses are rewritten)
        add = (("flask", None, None),) if self._flask_still_used(node) else ()
        self.report(
            node,
            f"{REMOVED}: `{code_of(replacement)}`",
            fix=Fix({node: replacement}, add_imports=add),
        )

    def _flask_still_used(self, node: cst.Import) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return True
        for assignment in scope.assignments["flask"]:
            if getattr(assignment, "node", None) is node:
                for reference in assignment.references:
                    if id(reference.node) not in self._ext_uses:
                        return True
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = qualified_name(self, node)
        if name != f"{EXT}.{node.attr.value}":
            return
        base = node.value
        chain = [node]
        while isinstance(base, cst.Attribute):
            chain.append(base)
            base = base.value
        chain.append(base)
        self._ext_uses.update(id(n) for n in chain)
        new = _new_module(name)
        binding = import_binding(self, node)
        if not self.name_free_for(node, new, new):
            self.report(node, f"{REMOVED}: use `{new}` (the name is taken here, so not rewritten)")
            return
        self.report(
            node,
            f"{REMOVED}: use `{new}`",
            fix=Fix(
                {node: cst.Name(new)},
                add_imports=((new, None, None),),
                remove_unused_imports=(binding,) if binding else (),
            ),
        )


def code_of(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
