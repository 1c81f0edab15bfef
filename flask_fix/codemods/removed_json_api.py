"""FLK704 removed-json-api."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ClassScope, GlobalScope, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import APP, CURRENT, LegacyApiRule, aliases, code, import_module
from ..rewrite.names import qualified_name

CLASSES = frozenset({"flask.json.JSONEncoder", "flask.json.JSONDecoder"})
ATTRIBUTES = ("json_encoder", "json_decoder")
FLASK_BASES = frozenset(
    {"flask.Flask", "flask.app.Flask", "flask.Blueprint", "flask.blueprints.Blueprint"}
)
# config key -> app.json attribute, and whether the value is negated
KEYS = {
    "JSON_SORT_KEYS": ("sort_keys", False),
    "JSON_AS_ASCII": ("ensure_ascii", False),
    "JSONIFY_MIMETYPE": ("mimetype", False),
    "JSONIFY_PRETTYPRINT_REGULAR": ("compact", True),
}
CONFIG_CALLS = ("update", "from_mapping", "setdefault", "get", "pop")
NEEDS = (2, 2)  # app.json (a JSONProvider) appeared in Flask 2.2

PROVIDER = (
    "subclass `flask.json.provider.DefaultJSONProvider` (override its `default` or"
    " `dumps`/`loads`) and set `app.json = MyProvider(app)` (Flask >= 2.2)"
)

_IMPORT = "from flask import Flask\n\napp = Flask(__name__)\n"


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_config(node: cst.BaseExpression) -> bool:
    """`<x>.config` or a name `config`: what Flask config objects are called."""
    return (isinstance(node, cst.Attribute) and node.attr.value == "config") or (
        isinstance(node, cst.Name) and node.value == "config"
    )


def _ast_is_config(node: ast.expr) -> bool:
    """`_is_config` on the stdlib ast."""
    return (isinstance(node, ast.Attribute) and node.attr == "config") or (
        isinstance(node, ast.Name) and node.id == "config"
    )


def _ast_string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _ast_reads_json(node: ast.expr) -> bool:
    """`<x>.json` or `<x>.get_json()` without arguments (what may be `request`'s)."""
    if isinstance(node, ast.Call):
        return (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_json"
            and not node.args
            and not node.keywords
        )
    return isinstance(node, ast.Attribute) and node.attr == "json"


class RemovedJsonApi(LegacyApiRule):
    """
    What it does:
        Finds the JSON customisation points Flask 2.3 removed: `flask.json.JSONEncoder`
        and `JSONDecoder`, `app.json_encoder` / `app.json_decoder` (also on blueprints and
        as class attributes of a Flask subclass), and the config keys `JSON_SORT_KEYS`,
        `JSON_AS_ASCII`, `JSONIFY_MIMETYPE` and `JSONIFY_PRETTYPRINT_REGULAR`. Rewrites
        `app.config['JSON_SORT_KEYS'] = False` to `app.json.sort_keys = False` (and
        `ensure_ascii`, `mimetype`, `compact`), the one-attribute equivalents on the app's
        JSON provider.

    Why is this bad?:
        Importing the classes fails on Flask >= 2.3 (`ImportError`). Worse, the other two
        fail silently: Flask 2.3 no longer reads `app.json_encoder` or the four config
        keys, so the line stays and does nothing: keys get sorted again, non-ASCII text
        is escaped again, and custom types stop serializing. And a view (or a
        `before_request`) that tells a request without JSON by `request.json` being None
        stops seeing one from Werkzeug 2.1.

    Example:
        app.config["JSON_SORT_KEYS"] = False
        app.config["JSONIFY_PRETTYPRINT_REGULAR"] = True
        app.json_encoder = MyEncoder

    Use instead:
        app.json.sort_keys = False
        app.json.compact = False
        app.json = MyProvider(app)  # a DefaultJSONProvider subclass

    Fix safety:
        Intended: the config line becomes the provider attribute Flask 2.2 introduced for
        it, restoring on Flask >= 2.3 what the line was written for. Rewritten: a literal
        assigned alone through `<app>.config[...]`, where `<app>` is an app object of the
        project (module level or in a factory) or `current_app`: `True`/`False` for
        `JSON_SORT_KEYS`, `JSON_AS_ASCII` and `JSONIFY_PRETTYPRINT_REGULAR`, a string for
        `JSONIFY_MIMETYPE`. `JSONIFY_PRETTYPRINT_REGULAR` is written negated as `compact`
        (`True` becomes `compact = False`), as Flask 2.2's own compatibility code mapped
        it; on Flask <= 2.1 `False` still pretty-printed in debug mode, `compact = True`
        does not. `app.json` exists from Flask 2.2 on: when the project may run on an older
        Flask (`target-flask-version`, else its requirements), the line is only reported.
        Only reported: the keys set in config classes or modules, through `update()` /
        `from_mapping()`, on an object not known to be the app, or to a value that is not
        a literal; reads of the keys (KeyError on Flask >= 2.3); the encoder and decoder
        classes and attributes (a custom JSON provider replaces them: its `default`
        method is what `JSONEncoder.default` was); a test of `request.json` or
        `request.get_json()` for None (`if request.json is None:`, `if not
        request.json:`), which Werkzeug 2.1 made unreachable for a request that is not
        JSON (`get_json` raises instead of returning None): the person chooses between
        Werkzeug's 415 and the app's own answer.
    """

    code = "FLK704"
    name = "removed-json-api"
    fix_level = FixLevel.INTENDED
    summary = "Configure JSON through `app.json`, not removed encoders and `JSON_*` keys."
    triggers = (
        b"JSONEncoder",
        b"JSONDecoder",
        b"json_encoder",
        b"json_decoder",
        b"JSON_SORT_KEYS",
        b"JSON_AS_ASCII",
        b"JSONIFY_",
        b"json",  # `request.json is None`
    )
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """The shapes the rule reports, on the stdlib ast (the trigger text mostly finds
        the standard library's `json.JSONEncoder` and projects' own encoders)."""
        for compare in module.all(ast.Compare):
            if _ast_reads_json(compare.left) and any(
                isinstance(c, ast.Constant) and c.value is None for c in compare.comparators
            ):
                return True
        for unary in module.all(ast.UnaryOp):
            if isinstance(unary.op, ast.Not) and _ast_reads_json(unary.operand):
                return True
        for node in module.all(ast.ImportFrom):
            if not node.level and node.module in ("flask.json", "flask"):
                if any(f"{node.module}.{a.name}" in CLASSES for a in node.names):
                    return True
        makes_flask_objects = bool(module.calls("Flask") or module.calls("Blueprint"))
        for node in module.all(ast.Attribute):
            if node.attr in ("JSONEncoder", "JSONDecoder"):
                names = module.possible_names(node)
                if names is None or not names.isdisjoint(CLASSES):
                    return True
            elif node.attr in ATTRIBUTES and isinstance(node.value, (ast.Name, ast.Attribute)):
                names = module.possible_names(node.value)
                if makes_flask_objects or names is None or any(
                    not name.startswith("builtins.") for name in names
                ):
                    return True
        has_classes = bool(module.all(ast.ClassDef))
        for statement in (*module.all(ast.Assign), *module.all(ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and (
                    target.id in KEYS or (target.id in ATTRIBUTES and has_classes)
                ):
                    return True
        for subscript in module.all(ast.Subscript):
            if _ast_is_config(subscript.value) and _ast_string(subscript.slice) in KEYS:
                return True
        for call in module.all(ast.Call):
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in CONFIG_CALLS
                and _ast_is_config(func.value)
                and (
                    any(k.arg in KEYS for k in call.keywords)
                    or any(
                        _ast_string(arg) in KEYS
                        or (
                            isinstance(arg, ast.Dict)
                            and any(_ast_string(k) in KEYS for k in arg.keys if k is not None)
                        )
                        for arg in call.args
                    )
                )
            ):
                return True
        return False

    valid = (
        _IMPORT + "app.json.sort_keys = False\napp.json.ensure_ascii = False\n",
        # the standard library's encoder is not Flask's
        "import json\n\nclass Encoder(json.JSONEncoder):\n    pass\n",
        "from json import JSONEncoder\n\nclass Encoder(JSONEncoder):\n    pass\n",
        # a serializer of the project with its own json_encoder attribute
        "class Serializer:\n    json_encoder = None\n\ns = Serializer()\ns.json_encoder = dict\n",
        # a dictionary key that merely shares the name (not a config object)
        "settings = {}\nsettings['JSON_SORT_KEYS_DOC'] = 'x'\n",
        # the key mentioned in text
        "HELP = 'set JSON_SORT_KEYS in your config'\n",
    )
    invalid = (
        Example(
            _IMPORT + "app.config['JSON_SORT_KEYS'] = False\n"
            "app.config['JSON_AS_ASCII'] = False  # keep accents\n",
            _IMPORT + "app.json.sort_keys = False\napp.json.ensure_ascii = False  # keep accents\n",
        ),
        Example(
            _IMPORT + "app.config['JSONIFY_PRETTYPRINT_REGULAR'] = True\n"
            "app.config[\"JSONIFY_MIMETYPE\"] = 'application/vnd.api+json'\n",
            _IMPORT + "app.json.compact = False\napp.json.mimetype = 'application/vnd.api+json'\n",
        ),
        # in an application factory, and through current_app
        Example(
            "from flask import Flask, current_app\n\ndef create_app():\n"
            "    app = Flask(__name__)\n    app.config['JSON_SORT_KEYS'] = False\n"
            "    return app\n\ndef tweak():\n"
            "    current_app.config['JSONIFY_PRETTYPRINT_REGULAR'] = False\n",
            "from flask import Flask, current_app\n\ndef create_app():\n"
            "    app = Flask(__name__)\n    app.json.sort_keys = False\n"
            "    return app\n\ndef tweak():\n    current_app.json.compact = True\n",
        ),
        # report only: a removed class, a removed attribute, a config class, update()
        Example(
            "from flask import Flask\nfrom flask.json import JSONEncoder\n\n"
            "class Encoder(JSONEncoder):\n    pass\n\n"
            "app = Flask(__name__)\napp.json_encoder = Encoder\n"
            "app.config.update(JSON_AS_ASCII=False)\n\n"
            "class Config:\n    JSON_SORT_KEYS = False\n",
        ),
        Example(
            "import flask\n\nclass Encoder(flask.json.JSONEncoder):\n    pass\n\n"
            "class App(flask.Flask):\n    json_encoder = Encoder\n",
        ),
        # not a literal: reported
        Example(_IMPORT + "import os\n\napp.config['JSON_AS_ASCII'] = os.environ.get('A')\n"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._flask_subclasses: set[int] = set()
        self._handled: set[int] = set()  # config subscripts already looked at

    # imports and attribute uses of the classes

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_module(node)
        if module not in ("flask.json", "flask"):
            return
        for alias in aliases(node):
            name = f"{module}.{alias.evaluated_name}"
            if name in CLASSES:
                self._class_removed(alias, name)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr in ("JSONEncoder", "JSONDecoder"):
            name = qualified_name(self, node)
            if name in CLASSES:
                self._class_removed(node, name)
        elif attr in ATTRIBUTES:
            self.defer(lambda: self._attribute(node))

    def _class_removed(self, node: cst.CSTNode, name: str) -> None:
        self.report(node, f"`{name}` was removed in Flask 2.3 (ImportError): {PROVIDER}")

    def _attribute(self, node: cst.Attribute) -> None:
        if self.object_kind(node.value) is None:
            return
        self.report(
            node,
            f"`{code(node)}` was removed in Flask 2.3: setting it does nothing, reading it"
            f" fails; {PROVIDER}",
        )

    # `request.json is None`: Werkzeug 2.1 stopped returning None

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        if (
            isinstance(target.operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual))
            and isinstance(target.comparator, cst.Name)
            and target.comparator.value == "None"
        ):
            self._json_tested(node, node.left)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._json_tested(node, node.expression)

    def _json_tested(self, node: cst.CSTNode, read: cst.BaseExpression) -> None:
        if isinstance(read, cst.Call):
            if read.args or not isinstance(read.func, cst.Attribute):
                return
            if qualified_name(self, read.func) != "flask.request.get_json":
                return
        elif not (
            isinstance(read, cst.Attribute) and qualified_name(self, read) == "flask.request.json"
        ):
            return
        self.report(
            node,
            f"`{code(node)}` looks for a request that is not JSON, for which "
            f"`{code(read)}` returned None up to Werkzeug 2.0; from 2.1 it raises before the "
            "test runs (400 Bad Request, from 2.3 415 Unsupported Media Type), so this "
            "branch no longer answers such a request: test `request.is_json` first (or read "
            "`request.get_json(silent=True)`, which also makes malformed JSON None), and "
            "choose the status the client gets",
        )

    # class attributes of a Flask subclass, config classes, config modules

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(qualified_name(self, base.value) in FLASK_BASES for base in node.bases):
            self._flask_subclasses.add(id(node))

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        for target in node.targets:
            self._assigned(node, target.target, node.value, len(node.targets) == 1)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None:
            self._assigned(node, node.target, node.value, True)

    def _assigned(
        self, statement: cst.CSTNode, target: cst.BaseExpression, value, single: bool
    ) -> None:
        if isinstance(target, cst.Name):
            scope = self.get_metadata(ScopeProvider, target, None)
            if target.value in KEYS and isinstance(scope, (ClassScope, GlobalScope)):
                self.report(
                    target,
                    f"Flask 2.3 ignores the config key `{target.value}`: set"
                    f" `app.json.{KEYS[target.value][0]}` on the app instead"
                    + (" (negated)" if KEYS[target.value][1] else ""),
                )
            elif (
                target.value in ATTRIBUTES
                and isinstance(scope, ClassScope)
                and id(scope.node) in self._flask_subclasses
            ):
                self.report(
                    target,
                    f"Flask 2.3 ignores the class attribute `{target.value}`: set"
                    " `json_provider_class` to a DefaultJSONProvider subclass",
                )
        elif isinstance(target, cst.Subscript):
            key = self._config_key(target)
            if key is not None:
                self._handled.add(id(target))
                self.defer(lambda: self._config_assignment(target, key, value, single))

    def _config_key(self, node: cst.Subscript) -> str | None:
        """'JSON_SORT_KEYS' for `<x>.config['JSON_SORT_KEYS']` (or `config[...]`)."""
        if not _is_config(node.value):
            return None
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = _string(node.slice[0].slice.value)
        return key if key in KEYS else None

    def _config_assignment(
        self, target: cst.Subscript, key: str, value: cst.BaseExpression, single: bool
    ) -> None:
        attribute, negated = KEYS[key]
        message = f"Flask 2.3 ignores the config key `{key}`: set `app.json.{attribute}`"
        config = target.value
        owner = config.value if isinstance(config, cst.Attribute) else None
        if owner is None or self.object_kind(owner) not in (APP, CURRENT):
            self.report(target, message + " on the app instead")
            return
        new_value = self._literal(value, key)
        if new_value is None or not single:
            self.report(
                target,
                f"{message} (not rewritten: only a literal value assigned alone is)",
            )
            return
        why_not = self.too_old_for(NEEDS)
        if why_not:
            self.report(target, f"{message} ({why_not})")
            return
        new_target = cst.Attribute(cst.Attribute(owner, cst.Name("json")), cst.Name(attribute))
        replacements = {target: new_target}
        if negated:
            replacements[value] = new_value
        shown = f"{code(new_target)} = {code(new_value)}"
        self.report(target, f"{message}: `{shown}`", fix=Fix(replacements))

    def _literal(self, value: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
        """The provider attribute's value for a literal config value, else None."""
        if key == "JSONIFY_MIMETYPE":
            return value if _string(value) is not None else None
        if not (isinstance(value, cst.Name) and value.value in ("True", "False")):
            return None
        if qualified_name(self, value) not in ("builtins.True", "builtins.False", None):
            return None
        if KEYS[key][1]:
            return cst.Name("False" if value.value == "True" else "True")
        return value

    # other ways to set or read the keys

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if id(node) in self._handled:
            return
        key = self._config_key(node)
        if key is not None:
            self.report(
                node,
                f"Flask 2.3 no longer has the config key `{key}` (KeyError): use"
                f" `app.json.{KEYS[key][0]}`",
            )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in CONFIG_CALLS
            and _is_config(func.value)
        ):
            return
        for arg in node.args:
            keys = []
            if arg.keyword is not None and arg.keyword.value in KEYS:
                keys.append(arg.keyword.value)
            elif isinstance(arg.value, cst.Dict):
                keys += [
                    k
                    for element in arg.value.elements
                    if isinstance(element, cst.DictElement) and (k := _string(element.key)) in KEYS
                ]
            elif arg.keyword is None and (k := _string(arg.value)) in KEYS:
                keys.append(k)
            for key in keys:
                self.report(
                    arg,
                    f"Flask 2.3 ignores the config key `{key}`: set"
                    f" `app.json.{KEYS[key][0]}` on the app instead"
                    + (" (negated)" if KEYS[key][1] else ""),
                )
