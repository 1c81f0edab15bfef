"""FLK805 flask-caching-2-api."""

from __future__ import annotations

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import import_module
from ..rewrite.removed_api import RemovedApiRule, release
from ..rewrite.removed_apis import BY_OLD, CACHE_TYPES, Removed

#: the lowercase CACHE_TYPE values Flask-Caching 2.5 removed, with their rows
ROWS: dict[str, Removed] = {
    old: BY_OLD[f"CACHE_TYPE='{old}'"] for old in (*CACHE_TYPES, "gaememcached", "uwsgi")
}


def _string(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no prefix, no implicit concatenation)."""
    if isinstance(node, cst.SimpleString) and node.prefix == "":
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class FlaskCaching2Api(RemovedApiRule):
    """
    What it does:
        Rewrites a lowercase Flask-Caching backend name given as `CACHE_TYPE` to its
        class: `"simple"` becomes `"SimpleCache"`, `"redis"` `"RedisCache"`,
        `"filesystem"` `"FileSystemCache"`, `"null"` `"NullCache"`, ... (`"uwsgi"` becomes
        `"flask_caching.contrib.uwsgicache.UWSGICache"`). Where the setting is written as a
        string literal: `CACHE_TYPE = "simple"` in a config class or module,
        `app.config["CACHE_TYPE"] = "simple"`, `{"CACHE_TYPE": "simple"}` (a
        `Cache(config=...)`), `config.update(CACHE_TYPE="simple")`. Only in a project whose
        requirements name Flask-Caching, or in a module importing `flask_caching`.

    Why is this bad?:
        Flask-Caching 2.5 removed the lowercase names (deprecated since 1.10): `init_app`
        fails with `ImportStringError: import_string() failed for
        'flask_caching.backends.simple'`, so the app does not start.

    Example:
        class Config:
            CACHE_TYPE = "simple"

    Use instead:
        class Config:
            CACHE_TYPE = "SimpleCache"

    Fix safety:
        The class names work from Flask-Caching 1.10 (the lowercase names were functions
        calling the same class's `factory`): safe when the project's requirements allow
        no older release, an unsafe fix otherwise whose finding names the requirement to
        raise (`needs Flask-Caching>=1.10`; before 1.10 the class would be called as the
        factory and fail). A value read from the environment or built at run time is left
        alone.
    """

    code = "FLK805"
    name = "flask-caching-2-api"
    fix_level = FixLevel.SAFE
    summary = (
        "Name Flask-Caching backends by class: `CACHE_TYPE = \"SimpleCache\"`, not `\"simple\"`."
    )
    triggers = (b"CACHE_TYPE",)

    valid = (
        "import flask_caching\n\nclass Config:\n    CACHE_TYPE = 'SimpleCache'\n",
        # another package's setting of the same name, in a module without Flask-Caching
        # and no requirements naming it
        "class Config:\n    CACHE_TYPE = 'simple'\n",
        # not a lowercase backend name
        "import flask_caching\n\nCACHE_TYPE = 'myapp.cache.factory'\n",
        # another key's value
        "import flask_caching\n\nconfig = {'CACHE_TYPE': 'SimpleCache', 'OTHER': 'simple'}\n",
    )
    invalid = (
        Example(
            "from flask_caching import Cache\n\nclass Config:\n    CACHE_TYPE = 'simple'\n\n"
            "cache = Cache(config={\"CACHE_TYPE\": \"redis\"})\n",
            "from flask_caching import Cache\n\nclass Config:\n    CACHE_TYPE = 'SimpleCache'\n\n"
            "cache = Cache(config={\"CACHE_TYPE\": \"RedisCache\"})\n",
        ),
        Example(
            "import flask_caching\n\ndef configure(app):\n"
            "    app.config['CACHE_TYPE'] = 'filesystem'\n"
            "    app.config.update(CACHE_TYPE='null')\n",
            "import flask_caching\n\ndef configure(app):\n"
            "    app.config['CACHE_TYPE'] = 'FileSystemCache'\n"
            "    app.config.update(CACHE_TYPE='NullCache')\n",
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._caching = "flask-caching" in self.context.index.requirements

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        # the module's top-level imports, wherever they are (a setting may come first)
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.ImportFrom):
                    module = import_module(small) or ""
                elif isinstance(small, cst.Import):
                    module = " ".join(a.evaluated_name for a in small.names)
                else:
                    continue
                if any(m.partition(".")[0] == "flask_caching" for m in module.split()):
                    self._caching = True

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Name) and name.value == "CACHE_TYPE":
                self._value(node.value)
            elif isinstance(name, cst.Subscript) and len(name.slice) == 1:
                index = name.slice[0].slice
                if isinstance(index, cst.Index) and _string(index.value) == "CACHE_TYPE":
                    self._value(node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if _string(node.key) == "CACHE_TYPE":
            self._value(node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "CACHE_TYPE":
            self._value(node.value)

    def _value(self, value: cst.BaseExpression) -> None:
        old = _string(value)
        if old not in ROWS or not self._caching:
            return
        assert isinstance(value, cst.SimpleString)
        row = ROWS[old]
        assert row.new is not None and row.new_since is not None
        new = row.new.partition("=")[2].strip("'")
        quote = value.quote
        message = (
            f"the Flask-Caching backend name `{old}` was removed in {release(row.removed_in)}"
            f" (`ImportStringError`): use `{new}` (there since {release(row.new_since)})"
        )
        fix = Fix({value: value.with_changes(value=f"{quote}{new}{quote}")})
        if self.pins_reason(row) is None:
            self.report(value, message, fix=fix)
        else:
            message = f"{message}; {self.upgrade(row)}"
            self.report(value, message, fix=fix, fix_level=FixLevel.UNSAFE)
