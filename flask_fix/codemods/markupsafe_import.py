"""FLK702 markupsafe-import."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import LegacyApiRule, aliases, import_module
from ..rewrite.names import import_binding, qualified_name

NAMES = ("Markup", "escape")
MOVES = {name: "markupsafe" for name in NAMES}
# the names are re-exported by the flask package only (never by a submodule)
FLASK_NAMES = {f"flask.{name}": name for name in NAMES}


class MarkupsafeImport(LegacyApiRule):
    """
    What it does:
        Imports `Markup` and `escape` from `markupsafe` instead of `flask`:
        `from flask import Markup, escape, url_for` keeps `url_for` from flask and gets
        `from markupsafe import Markup, escape`; `flask.Markup(...)` after `import flask`
        becomes `markupsafe.Markup(...)` with `import markupsafe`.

    Why is this bad?:
        Flask only re-exported the two names from MarkupSafe (Jinja's dependency). They
        were deprecated in Flask 2.3 and removed in 3.0:
        `ImportError: cannot import name 'Markup' from 'flask'`.

    Example:
        from flask import Markup, escape, url_for
        import flask

        link = Markup('<a href="{}">{}</a>').format(url_for("index"), escape(name))
        label = flask.Markup("<b>new</b>")

    Use instead:
        from flask import url_for
        from markupsafe import Markup, escape
        import flask
        import markupsafe

        link = Markup('<a href="{}">{}</a>').format(url_for("index"), escape(name))
        label = markupsafe.Markup("<b>new</b>")

    Fix safety:
        Safe: `flask.Markup` and `flask.escape` were MarkupSafe's own objects (through
        Jinja2 before Flask 2.0), and MarkupSafe is installed with every Flask release, so
        no version pin matters. An import naming only these two is renamed in place; a
        mixed module-level import keeps the other names and the moved ones join an existing
        `from markupsafe import ...` (else a new one after the imports); a mixed import in
        a function or a `try` gets the new import on the next line. `import flask` is
        removed when nothing else uses it. Only reported: `flask.Markup` where the name
        `markupsafe` is bound to something else, and a mixed import sharing its line with
        other statements inside a block.
    """

    code = "FLK702"
    name = "markupsafe-import"
    fix_level = FixLevel.SAFE
    summary = "Import `Markup` and `escape` from `markupsafe`, not `flask`."
    # `escape` as a name, not inside `autoescape`
    triggers = (b"Markup", b" escape", b".escape", b",escape", b"(escape", b"\tescape")
    required_imports = frozenset({"flask"})

    @classmethod
    def module_could_fire(cls, module) -> bool:
        return module.may_use("flask", frozenset(NAMES))
    METADATA_DEPENDENCIES = (ScopeProvider,)

    valid = (
        "from markupsafe import Markup, escape\nfrom flask import url_for\n\n"
        "link = Markup('<b>{}</b>').format(escape('x'))\n",
        # a module of the project that happens to be called flask_utils
        "from flask_utils import Markup\nimport flask\n",
        # html.escape and re.escape are not Flask's
        "import html\nimport re\nimport flask\n\nsafe = html.escape('<b>') + re.escape('a.b')\n",
        # `flask` is a parameter here, not the package
        "def render(flask):\n    return flask.Markup('<b>x</b>')\n",
    )
    invalid = (
        Example(
            "from flask import Markup, escape\n\nhtml = Markup('<b>%s</b>') % escape('x')\n",
            "from markupsafe import Markup, escape\n\nhtml = Markup('<b>%s</b>') % escape('x')\n",
        ),
        Example(
            "from flask import Flask, Markup, escape as e, url_for\n\napp = Flask(__name__)\n",
            "from flask import Flask, url_for\nfrom markupsafe import Markup\n"
            "from markupsafe import escape as e\n\napp = Flask(__name__)\n",
        ),
        # joins an existing markupsafe import
        Example(
            "from flask import escape, url_for\nfrom markupsafe import Markup\n",
            "from flask import url_for\nfrom markupsafe import Markup, escape\n",
        ),
        Example(
            "import flask\n\nlabel = flask.Markup('<b>new</b>')\n",
            "import markupsafe\n\nlabel = markupsafe.Markup('<b>new</b>')\n",
        ),
        Example(
            "import flask as fl\n\napp = fl.Flask(__name__)\nsafe = fl.escape('<i>')\n",
            "import flask as fl\nimport markupsafe\n\napp = fl.Flask(__name__)\n"
            "safe = markupsafe.escape('<i>')\n",
        ),
        # inside a function the new import goes on the next line
        Example(
            "def page():\n    from flask import Markup, render_template\n"
            "    return render_template('p.html', x=Markup('<b>x</b>'))\n",
            "def page():\n    from flask import render_template\n"
            "    from markupsafe import Markup\n"
            "    return render_template('p.html', x=Markup('<b>x</b>'))\n",
        ),
        Example(
            "try:\n    from flask import Markup\nexcept ImportError:\n"
            "    from jinja2 import Markup\n",
            "try:\n    from markupsafe import Markup\nexcept ImportError:\n"
            "    from jinja2 import Markup\n",
        ),
        # `markupsafe` means something else here: reported
        Example(
            "import flask\n\nmarkupsafe = None\nlabel = flask.Markup('<b>x</b>')\n",
            None,
        ),
    )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if import_module(node) != "flask":
            return
        names = [a.evaluated_name for a in aliases(node) if a.evaluated_name in MOVES]
        if not names:
            return
        unique = list(dict.fromkeys(names))
        listed = " and ".join(f"`{n}`" for n in unique)
        verb = "was" if len(unique) == 1 else "were"
        message = f"{listed} {verb} removed from flask in Flask 3.0: import from `markupsafe`"
        fix = self.move_names(node, MOVES)
        if fix is None:
            self.report(node, message + " (not rewritten: the line holds other statements)")
        else:
            self.report(node, message, fix=fix)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value not in NAMES:
            return
        name = FLASK_NAMES.get(qualified_name(self, node) or "")
        if name is None:
            return
        message = f"`flask.{name}` was removed in Flask 3.0: use `markupsafe.{name}`"
        if not self.name_free_for(node, "markupsafe", "markupsafe"):
            self.report(node, message + " (not rewritten: `markupsafe` is another name here)")
            return
        binding = import_binding(self, node)
        self.report(
            node,
            message,
            fix=Fix(
                {node: cst.Attribute(cst.Name("markupsafe"), cst.Name(name))},
                add_imports=(("markupsafe", None, None),),
                remove_unused_imports=(binding,) if binding else (),
            ),
        )
