"""FLK710 jinja2-removed-api."""

from __future__ import annotations

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.removed_api import RemovedApiRule, rows_of, top_modules

#: extensions Jinja 2.9 built in; 3.1 removed the names (a string in `extensions=`)
BUILT_IN_EXTENSIONS = {
    old: row for old, row in rows_of("FLK710").items() if old.startswith("jinja2.ext.")
}


class Jinja2RemovedApi(RemovedApiRule):
    """
    What it does:
        Imports `Markup` and `escape` from `markupsafe` instead of `jinja2`, and renames
        the decorators Jinja 3.0 replaced: `contextfilter` and `contextfunction` become
        `pass_context`, `evalcontextfilter`/`evalcontextfunction` become
        `pass_eval_context`, `environmentfilter`/`environmentfunction` become
        `pass_environment`, in the import and in every use. Reports the
        `jinja2.ext.autoescape` and `jinja2.ext.with_` extensions (built in since 2.9:
        drop them from the extension list).

    Why is this bad?:
        Jinja2 3.1 removed them all: `ImportError: cannot import name 'Markup' from
        'jinja2'`, `cannot import name 'contextfilter'`, and loading the extension
        `jinja2.ext.autoescape` fails with `AttributeError`.

    Example:
        from jinja2 import Markup, contextfilter

        @contextfilter
        def shout(context, value):
            return Markup("<b>%s</b>") % value

    Use instead:
        from jinja2 import pass_context
        from markupsafe import Markup

        @pass_context
        def shout(context, value):
            return Markup("<b>%s</b>") % value

    Fix safety:
        Safe for `Markup` and `escape`: Jinja2 re-exported MarkupSafe's own objects and
        every Jinja2 release depends on MarkupSafe. The `pass_*` decorators exist from
        Jinja2 3.0: when the project's requirements allow an older Jinja2, they are only
        reported. A renamed decorator keeps its old name (`pass_context as
        contextfilter`) where its uses cannot all be renamed (a module with `__all__`, a
        package's `__init__.py`, another binding of the name).
    """

    code = "FLK710"
    name = "jinja2-removed-api"
    fix_level = FixLevel.SAFE
    summary = "Use `markupsafe.Markup`/`escape` and the `pass_*` decorators, not Jinja2's removed names."
    triggers = (b"jinja2",)
    # `app.jinja_env.add_extension("jinja2.ext.autoescape")` imports no jinja2
    required_imports = top_modules(rows_of("FLK710")) | {"flask"}

    valid = (
        "from markupsafe import Markup\nfrom jinja2 import pass_context\n\n"
        "@pass_context\ndef f(ctx, v):\n    return Markup(v)\n",
        # a local class named Markup, and jinja2 imported for something else
        "import jinja2\n\nclass Markup(str):\n    pass\n\nenv = jinja2.Environment()\n"
        "x = Markup('a')\n",
        # a project module whose name starts with jinja2
        "from jinja2_helpers import Markup, contextfilter\n",
        "import jinja2\n\nenv = jinja2.Environment(extensions=['jinja2.ext.do'])\n",
    )
    invalid = (
        Example(
            "from jinja2 import Markup, escape\n\nhtml = Markup('<b>%s</b>') % escape('x')\n",
            "from markupsafe import Markup, escape\n\nhtml = Markup('<b>%s</b>') % escape('x')\n",
        ),
        Example(
            "from jinja2 import Environment, Markup\n\nenv = Environment()\n",
            "from jinja2 import Environment\nfrom markupsafe import Markup\n\nenv = Environment()\n",
        ),
        Example(
            "import jinja2\n\nlabel = jinja2.Markup('<b>new</b>')\n",
            "import markupsafe\n\nlabel = markupsafe.Markup('<b>new</b>')\n",
        ),
        Example(
            "from jinja2 import contextfilter, evalcontextfilter\n\n"
            "@contextfilter\ndef a(ctx, v):\n    return v\n\n"
            "@evalcontextfilter\ndef b(ctx, v):\n    return v\n",
            "from jinja2 import pass_context, pass_eval_context\n\n"
            "@pass_context\ndef a(ctx, v):\n    return v\n\n"
            "@pass_eval_context\ndef b(ctx, v):\n    return v\n",
        ),
        Example(
            "import jinja2\n\n@jinja2.environmentfilter\ndef c(env, v):\n    return v\n",
            "import jinja2\n\n@jinja2.pass_environment\ndef c(env, v):\n    return v\n",
        ),
        # a module with __all__ may re-export the old name: it stays bound
        Example(
            "from jinja2 import contextfunction\n\n__all__ = ['contextfunction']\n",
            "from jinja2 import pass_context as contextfunction\n\n__all__ = ['contextfunction']\n",
        ),
        Example(
            "import jinja2\n\nenv = jinja2.Environment(extensions=['jinja2.ext.autoescape'])\n",
            None,
        ),
    )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        row = BUILT_IN_EXTENSIONS.get(node.raw_value)
        if row is not None and node.raw_value.count(".") == 2:
            self.report(node, self.full_message(row, row.note))
