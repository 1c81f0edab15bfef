"""FLK707 app-env."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ClassScope, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.legacy_api import APP, CURRENT, LegacyApiRule, code
from ..rewrite.names import qualified_name

ENV_VAR = "FLASK_ENV"
# reading FLASK_ENV through these: os.environ['FLASK_ENV'], os.getenv('FLASK_ENV')...
ENVIRON = frozenset({"os.environ"})
ENV_FUNCTIONS = frozenset({"os.getenv", "os.putenv", "os.unsetenv"})
ENVIRON_METHODS = ("get", "setdefault", "pop", "__getitem__")
CONFIG_METHODS = ("get", "setdefault", "pop", "update", "from_mapping")
# other keys a Flask config class sets: a class setting one of them and `ENV` is one
CONFIG_KEYS = frozenset({"DEBUG", "TESTING", "SECRET_KEY", "SERVER_NAME", "PROPAGATE_EXCEPTIONS"})
ADVICE = "use `app.debug` (set with `flask run --debug` or FLASK_DEBUG) or a setting of your own"
REMOVED = "removed in Flask 2.3"


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _constant(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _is_config(node: ast.expr) -> bool:
    """`x.config`: the rule reads the `ENV` key only on an app's config."""
    return isinstance(node, ast.Attribute) and node.attr == "config"


class AppEnv(LegacyApiRule):
    """
    What it does:
        Reports what Flask 2.3 removed of the "environment": `app.env` (also
        `current_app.env`), the `ENV` config key (`app.config['ENV']`, `config.get('ENV')`,
        `ENV = ...` in a config class) and the `FLASK_ENV` environment variable read or set
        from Python (`os.environ['FLASK_ENV']`, `os.getenv('FLASK_ENV')`,
        `os.environ.get(...)`).

    Why is this bad?:
        Flask 2.3 dropped the notion of an environment: `app.env` raises AttributeError,
        `app.config['ENV']` raises KeyError, and `FLASK_ENV=development` no longer enables
        the debugger and reloader: the app silently runs without debug mode. The one
        switch left is debug mode.

    Example:
        if app.env == "development":
            app.config["SQLALCHEMY_ECHO"] = True

    Use instead:
        if app.debug:
            app.config["SQLALCHEMY_ECHO"] = True

    Fix safety:
        Report only: `ENV` and debug mode were separate settings (`FLASK_ENV=production`
        with `FLASK_DEBUG=1` was possible), and code may rely on values other than
        development and production ("staging"), so the replacement, `app.debug` or a
        setting of the project's own, is a choice for a person. A class attribute `ENV` is
        reported only in a class that also sets another Flask config key (`DEBUG`,
        `TESTING`, `SECRET_KEY`...); `.env` only on an app object of the project or
        `current_app`.
    """

    code = "FLK707"
    name = "app-env"
    fix_level = FixLevel.REPORT
    summary = "Use debug mode, not the removed `app.env` / `ENV` / `FLASK_ENV`."
    # `.env` as an attribute (not `.environ`, in every settings module), `ENV` as a key
    triggers = (
        b"FLASK_ENV",
        b"'ENV'",
        b'"ENV"',
        b"ENV =",
        b"ENV=",
        *(b".env" + end for end in (b" ", b")", b"\n", b"\r", b",", b"]", b":", b"=", b"}")),
    )
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """The shapes the rule reports, on the stdlib ast (the trigger text mostly finds
        `.env` files named in strings and comments): `FLASK_ENV` given to a call, as a
        key or tested with `in`; `ENV` as a config key; `ENV = ...` with a class around;
        `.env` read on a name or attribute that may be an app."""
        for call in module.all(ast.Call):
            first = _constant(call.args[0]) if call.args else None
            if first == ENV_VAR:
                return True
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in CONFIG_METHODS
                and _is_config(func.value)
                and (first == "ENV" or any(k.arg == "ENV" for k in call.keywords))
            ):
                return True
        for subscript in module.all(ast.Subscript):
            key = _constant(subscript.slice)
            if key == ENV_VAR or (key == "ENV" and _is_config(subscript.value)):
                return True
        for compare in module.all(ast.Compare):
            if _constant(compare.left) == ENV_VAR:
                return True
        if module.all(ast.ClassDef) and any(
            isinstance(target, ast.Name) and target.id == "ENV"
            for assign in module.all(ast.Assign)
            for target in assign.targets
        ):
            return True
        # an app made here (`app = Flask(...)`), or one of the project's, or current_app,
        # through an import
        makes_app = bool(module.calls("Flask"))
        for attribute in module.all(ast.Attribute):
            if attribute.attr == "env" and isinstance(attribute.value, (ast.Name, ast.Attribute)):
                names = module.possible_names(attribute.value)
                if makes_app or names is None or any(
                    not name.startswith("builtins.") for name in names
                ):
                    return True
        return False

    valid = (
        "from flask import Flask\n\napp = Flask(__name__)\nif app.debug:\n    print('debug')\n",
        # environment variables of the project's own
        "import os\n\nenv = os.environ.get('APP_ENV', 'production')\nstage = os.getenv('ENV')\n",
        # `.env` on something that is not the app
        "import jinja2\n\ntemplates = jinja2.Environment()\nclass Site:\n    env = None\n\n"
        "site = Site()\nsite.env = 'x'\n",
        # a settings class that is not a Flask config
        "class Deploy:\n    ENV = 'prod'\n    REGION = 'eu'\n",
        # a dictionary that is not a config
        "settings = {'ENV': 'prod'}\nvalue = settings['ENV']\n",
        "HELP = 'FLASK_ENV is gone, use FLASK_DEBUG'\n",
    )
    invalid = (
        Example(
            "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n"
            "if app.env == 'development' or os.environ.get('FLASK_ENV') == 'development':\n"
            "    app.config['SQLALCHEMY_ECHO'] = True\n"
        ),
        Example(
            "import os\nfrom flask import current_app\n\ndef is_dev():\n"
            "    return current_app.config['ENV'] == 'development'\n\n"
            "os.environ['FLASK_ENV'] = 'development'\nmode = os.getenv('FLASK_ENV')\n"
        ),
        Example(
            "class Config:\n    SECRET_KEY = 'x'\n\nclass DevelopmentConfig(Config):\n"
            "    DEBUG = True\n    ENV = 'development'\n"
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # per class being read: the names its body assigns, and its `ENV` targets
        self._class_keys: list[set[str]] = []
        self._class_env: list[list[cst.Name]] = []
        self._config_classes: set[str] = set()  # names of this module's config classes

    # app.env

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "env":
            self.defer(lambda: self._env_attribute(node))

    def _env_attribute(self, node: cst.Attribute) -> None:
        if self.object_kind(node.value) in (APP, CURRENT):
            self.report(node, f"`{code(node)}` was {REMOVED} (AttributeError); {ADVICE}")

    # app.config['ENV'], os.environ['FLASK_ENV']

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        key = _string(node.slice[0].slice.value)
        if key == "ENV":
            self.defer(lambda: self._config_env(node, node.value))
        elif key == ENV_VAR and qualified_name(self, node.value) in ENVIRON:
            self._env_var(node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        first = _string(node.args[0].value) if node.args and not node.args[0].keyword else None
        if first == ENV_VAR:
            if qualified_name(self, func) in ENV_FUNCTIONS or (
                isinstance(func, cst.Attribute)
                and func.attr.value in ENVIRON_METHODS
                and qualified_name(self, func.value) in ENVIRON
            ):
                self._env_var(node)
        elif isinstance(func, cst.Attribute) and func.attr.value in CONFIG_METHODS:
            keys = [first] if first == "ENV" else []
            keys += [a.keyword.value for a in node.args if a.keyword is not None]
            if "ENV" in keys:
                config = func.value
                self.defer(lambda: self._config_env(node, config))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # 'FLASK_ENV' in os.environ
        if _string(node.left) == ENV_VAR and any(
            isinstance(c.operator, (cst.In, cst.NotIn))
            and qualified_name(self, c.comparator) in ENVIRON
            for c in node.comparisons
        ):
            self._env_var(node)

    def _env_var(self, node: cst.CSTNode) -> None:
        self.report(
            node,
            "Flask ignores the FLASK_ENV environment variable since 2.3: `FLASK_ENV="
            "development` no longer turns on debug mode; use FLASK_DEBUG (`flask run"
            " --debug`)",
        )

    def _config_env(self, node: cst.CSTNode, config: cst.BaseExpression) -> None:
        if not (isinstance(config, cst.Attribute) and config.attr.value == "config"):
            return
        if self.object_kind(config.value) not in (APP, CURRENT):
            return
        self.report(node, f"the `ENV` config key was {REMOVED} (KeyError on read); {ADVICE}")

    # ENV = ... in a config class

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_keys.append(set())
        self._class_env.append([])

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        keys, env = self._class_keys.pop(), self._class_env.pop()
        if env and (keys & CONFIG_KEYS or self._inherits_config(original_node)):
            for target in env:
                self.report(
                    target,
                    f"the `ENV` config key was {REMOVED}: Flask ignores it; {ADVICE}",
                )
        if env or keys & CONFIG_KEYS:
            self._config_classes.add(original_node.name.value)

    def _inherits_config(self, node: cst.ClassDef) -> bool:
        return any(
            isinstance(base.value, cst.Name) and base.value.value in self._config_classes
            for base in node.bases
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if not self._class_keys:
            return
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Name) and isinstance(
                self.get_metadata(ScopeProvider, name, None), ClassScope
            ):
                self._class_keys[-1].add(name.value)
                if name.value == "ENV":
                    self._class_env[-1].append(name)
