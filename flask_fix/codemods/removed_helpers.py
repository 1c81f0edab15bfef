"""FLK708 removed-helpers."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import APP, CURRENT, LegacyApiRule, aliases, code, import_module
from ..rewrite.names import import_binding, qualified_name, reference

SAFE_JOIN = frozenset({"flask.safe_join", "flask.helpers.safe_join"})
SAFE_JOIN_MODULES = ("flask", "flask.helpers")
SAFE_STR_CMP = "werkzeug.security.safe_str_cmp"
NEEDS = (2, 0)  # werkzeug.utils.safe_join (Werkzeug 2.0, which Flask 2.0 requires), from_file

# Werkzeug 2.1 sub-delims joined the characters url_quote never quoted
SUB_DELIMS = "$!'()*+,;"
# werkzeug.urls names removed in Werkzeug 3.0 (Href: 2.1), and what to use instead
URLS = {
    "url_quote": (
        '`urllib.parse.quote(s, safe="/:' + SUB_DELIMS + '")` quotes str and bytes as'
        ' Werkzeug 2.1-2.3 did (`safe="/:"` for Werkzeug <= 2.0); url_quote also'
        " accepted other values through str()"
    ),
    "url_quote_plus": (
        '`urllib.parse.quote_plus(s, safe="$!\'()*,;")` quotes str and bytes as Werkzeug'
        " 2.1-2.3 did (`quote_plus(s)` for Werkzeug <= 2.0)"
    ),
    "url_unquote": "`urllib.parse.unquote(s)`",
    "url_unquote_plus": (
        "`urllib.parse.unquote_plus(s)` for str (it rejects bytes, which url_unquote_plus took)"
    ),
    "url_parse": (
        "`urllib.parse.urlsplit(url)`: its result has `.hostname` for `.host`,"
        " `._replace()` for `.replace()`, and no `.to_url()` or `.decode_query()`"
    ),
    "url_unparse": "`urllib.parse.urlunsplit(parts)`",
    "url_encode": (
        "`urllib.parse.urlencode(pairs, doseq=True)`: url_encode dropped None values, took"
        " MultiDicts, and quoted with its own safe characters"
    ),
    "url_encode_stream": "`urllib.parse.urlencode(...)` written to the stream",
    "url_decode": (
        "`urllib.parse.parse_qsl(s, keep_blank_values=True)` wrapped in a"
        " `werkzeug.datastructures.MultiDict` (url_decode returned one)"
    ),
    "url_decode_stream": "`urllib.parse.parse_qsl(stream.read().decode())`",
    "url_join": "`urllib.parse.urljoin(base, url)`",
    "url_fix": "no replacement: quote the parts of the URL you build instead",
    "BaseURL": "`urllib.parse.urlsplit()` results",
    "URL": "`urllib.parse.urlsplit()` results",
    "BytesURL": "`urllib.parse.urlsplit()` results",
    "Href": "`flask.url_for` or `werkzeug.routing` (removed in Werkzeug 2.1)",
}
URL_NAMES = {f"werkzeug.urls.{name}": name for name in URLS}
# the triage's view: the names the rule reports when imported from these modules, and
# every qualified name it looks for in uses (by their last component)
_IMPORTED = {
    **{module: frozenset({"safe_join"}) for module in SAFE_JOIN_MODULES},
    "werkzeug.urls": frozenset(URLS),
    "werkzeug.security": frozenset({"safe_str_cmp"}),
}
_QUALIFIED = SAFE_JOIN | {SAFE_STR_CMP} | URL_NAMES.keys()
_LAST_NAMES = frozenset(name.rpartition(".")[2] for name in _QUALIFIED)


class RemovedHelpers(LegacyApiRule):
    """
    What it does:
        Rewrites helpers Flask and Werkzeug removed: `flask.safe_join` to
        `werkzeug.utils.safe_join`, `app.config.from_json(f)` to
        `app.config.from_file(f, load=json.load)`, `werkzeug.security.safe_str_cmp(a, b)`
        to `hmac.compare_digest(a, b)`, `werkzeug.urls.url_unquote(s)` to
        `urllib.parse.unquote(s)`; reports the other `werkzeug.urls` functions
        (`url_quote`, `url_parse`, `url_encode`, ...) with the closest `urllib.parse`
        call and how it differs.

    Why is this bad?:
        Each import fails on current releases: `flask.safe_join` and `Config.from_json`
        were removed in Flask 2.1, `safe_str_cmp` in Werkzeug 2.1, the `werkzeug.urls`
        functions in Werkzeug 3.0 (`ImportError: cannot import name 'url_quote' from
        'werkzeug.urls'`, a classic after an unpinned Werkzeug upgrade).

    Example:
        from flask import safe_join
        from werkzeug.security import safe_str_cmp

        app.config.from_json("settings.json")
        path = safe_join(UPLOADS, name)
        ok = safe_str_cmp(token, expected)

    Use instead:
        import hmac
        import json
        from werkzeug.utils import safe_join

        app.config.from_file("settings.json", load=json.load)
        path = safe_join(UPLOADS, name)
        ok = hmac.compare_digest(token, expected)

    Fix safety:
        Safe: `from_json(f, silent)` to `from_file(f, load=json.load, silent=silent)`, what
        Flask 2.0's own `from_json` did (it loaded with `flask.json.load`, which only
        differed from `json.load` when a custom `app.json_decoder` was set and an app
        context was active); `import json` is added. Needs Flask 2.0: when the project may
        run on an older Flask (`target-flask-version`, else its requirements), only
        reported. Unsafe: `safe_join` (Flask's raised NotFound, a 404, for a path
        leaving the folder; Werkzeug's returns None, so the caller must check; also needs
        Flask 2.0, hence Werkzeug 2.0); `safe_str_cmp` (it encoded str arguments to UTF-8:
        `compare_digest` raises TypeError for a str holding non-ASCII characters or for a
        str compared with bytes, so the rewrite is exact only for bytes, or ASCII str on
        both sides); `url_unquote(s)` (the same result for str and bytes, checked on
        300,000 random mixes of percent escapes and non-ASCII text, but a bytearray
        argument or a str with lone surrogates behaves differently, and bytes need Python
        3.9). Only reported: the other `werkzeug.urls` functions, because none has an
        exact equivalent (the characters `url_quote` leaves alone changed in Werkzeug 2.1;
        `url_parse` returned a richer URL object), `from_json` on an object not proven to
        be an app of the project (a parameter `app`, `self.app`; an object the module
        makes otherwise is not Flask's and is left alone), calls with arguments the
        rewrite does not map (`charset=`, `silent` given twice...), and names bound
        otherwise where the new code would use them.
    """

    code = "FLK708"
    name = "removed-helpers"
    fix_level = FixLevel.UNSAFE
    summary = "Replace removed helpers (`safe_join`, `from_json`, `safe_str_cmp`, `url_*`)."
    # werkzeug.urls names are imported through the module's name (`url_` alone would match
    # every url_for)
    triggers = (
        b"safe_join",
        b"from_json",
        b"safe_str_cmp",
        b"werkzeug.urls",
        b"werkzeug import urls",
    )
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """An import of a removed name, a name or attribute that may resolve to one, or
        a `x.config.from_json(...)` call (`werkzeug.utils.safe_join`, a model's own
        `from_json` and `urllib.parse` are what the trigger text mostly finds)."""
        for node in module.all(ast.ImportFrom):
            if not node.level and node.module in _IMPORTED and any(
                alias.name in _IMPORTED[node.module] for alias in node.names
            ):
                return True
        for node in module.all(ast.Attribute):
            if node.attr in _LAST_NAMES:
                names = module.possible_names(node)
                if names is None or not names.isdisjoint(_QUALIFIED):
                    return True
            elif (
                node.attr == "from_json"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "config"
            ):
                return True
        return False

    valid = (
        "from werkzeug.utils import safe_join\nimport hmac\n\n"
        "path = safe_join('/srv', 'a.txt')\nok = hmac.compare_digest(b'a', b'b')\n",
        # a model with its own from_json classmethod
        "class Post:\n    @classmethod\n    def from_json(cls, data):\n        return cls()\n\n"
        "post = Post.from_json({})\n",
        # the standard library's functions
        "from urllib.parse import quote, urlsplit\n\nparts = urlsplit(quote('/a b'))\n",
        # a config object that is not an app's
        "class Settings:\n    config = None\n\nsettings = Settings()\n"
        "settings.config.from_json('x.json')\nSettings().config.from_json('y.json')\n",
    )
    invalid = (
        Example(
            "from flask import Flask\n\napp = Flask(__name__)\n"
            "app.config.from_json('settings.json')\n"
            "app.config.from_json('local.json', True)\n",
            "import json\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
            "app.config.from_file('settings.json', load=json.load)\n"
            "app.config.from_file('local.json', load=json.load, silent=True)\n",
        ),
        Example(
            "from flask import current_app\n\ndef reload():\n"
            "    current_app.config.from_json(filename='x.json', silent=True)\n",
            "import json\n\nfrom flask import current_app\n\ndef reload():\n"
            "    current_app.config.from_file(filename='x.json', load=json.load, silent=True)\n",
        ),
        # an app the rule cannot prove: reported
        Example(
            "import json\n\ndef configure(app):\n    app.config.from_json('a.json')\n",
            None,
        ),
        # unsafe: not applied by default
        Example(
            "from flask import safe_join, send_file\n\ndef get(name):\n"
            "    return send_file(safe_join('/srv/files', name))\n",
            None,
        ),
        Example(
            "from flask import safe_join, send_file\n\ndef get(name):\n"
            "    return send_file(safe_join('/srv/files', name))\n",
            "from flask import send_file\nfrom werkzeug.utils import safe_join\n\n"
            "def get(name):\n    return send_file(safe_join('/srv/files', name))\n",
            unsafe=True,
        ),
        Example(
            "import flask\n\npath = flask.safe_join('/srv', 'a')\n",
            "from werkzeug.utils import safe_join\n\npath = safe_join('/srv', 'a')\n",
            unsafe=True,
        ),
        Example(
            "from werkzeug.security import safe_str_cmp, check_password_hash\n\n"
            "def check(token, expected):\n    return safe_str_cmp(token, expected)\n",
            "import hmac\n\nfrom werkzeug.security import check_password_hash\n\n"
            "def check(token, expected):\n    return hmac.compare_digest(token, expected)\n",
            unsafe=True,
        ),
        Example(
            "from werkzeug.urls import url_unquote\n\ndef name(raw):\n"
            "    return url_unquote(raw)\n",
            "from urllib.parse import unquote\n\ndef name(raw):\n    return unquote(raw)\n",
            unsafe=True,
        ),
        # no exact equivalent: reported
        Example(
            "from werkzeug.urls import url_parse, url_quote\n\n"
            "def host(url):\n    return url_parse(url).host + url_quote('/a b')\n",
            None,
            unsafe=True,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._werkzeug_names: set[str] = set()  # local names of werkzeug.urls imports
        self._calls: set[int] = set()  # functions of calls reported as a whole

    # imports

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_module(node)
        if module in SAFE_JOIN_MODULES:
            if any(a.evaluated_name == "safe_join" for a in aliases(node)):
                self._safe_join_import(node, module)
        elif module == "werkzeug.urls":
            for alias in aliases(node):
                if alias.evaluated_name in URLS:
                    self._werkzeug_names.add(alias.evaluated_alias or alias.evaluated_name)
                    self.report(
                        alias,
                        f"`werkzeug.urls.{alias.evaluated_name}` was removed in Werkzeug"
                        f" {'2.1' if alias.evaluated_name == 'Href' else '3.0'}: this import"
                        " fails; use the standard library's urllib.parse",
                    )
        elif module == "werkzeug.security":
            for alias in aliases(node):
                if alias.evaluated_name == "safe_str_cmp":
                    self._werkzeug_names.add(alias.evaluated_alias or alias.evaluated_name)
                    self.report(
                        alias,
                        "`werkzeug.security.safe_str_cmp` was removed in Werkzeug 2.1: this"
                        " import fails; use `hmac.compare_digest`",
                    )

    def _safe_join_import(self, node: cst.ImportFrom, module: str) -> None:
        message = (
            f"`{module}.safe_join` was removed in Flask 2.1: import it from"
            " `werkzeug.utils` (unsafe: it returns None for a path leaving the folder where"
            " Flask's raised NotFound, a 404; check the result)"
        )
        why_not = self.too_old_for(NEEDS)
        fix = None if why_not else self.move_names(node, {"safe_join": "werkzeug.utils"})
        if fix is None:
            self.report(node, f"{message} ({why_not or 'not rewritten: shares its line'})")
        else:
            self.report(node, message, fix_level=FixLevel.UNSAFE, fix=fix)

    # uses

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr == "safe_join":
            name = qualified_name(self, node)
            if name in SAFE_JOIN:
                self._safe_join_use(node, name)
        elif attr in URLS:
            name = qualified_name(self, node)
            if name in URL_NAMES:
                self._url_use(node, URL_NAMES[name])

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self._werkzeug_names and id(node) not in self._calls:
            name = qualified_name(self, node)
            if name in URL_NAMES:
                self._url_use(node, URL_NAMES[name])

    def _safe_join_use(self, node: cst.Attribute, name: str) -> None:
        message = (
            f"`{name}` was removed in Flask 2.1: use `werkzeug.utils.safe_join` (unsafe: it"
            " returns None for a path leaving the folder where Flask's raised NotFound)"
        )
        why_not = self.too_old_for(NEEDS)
        found = None if why_not else reference(self, node, "werkzeug.utils", "safe_join")
        if found is None:
            self.report(node, f"{message} ({why_not or 'not rewritten: the name is taken'})")
            return
        expr, imports = found
        binding = import_binding(self, node)
        self.report(
            node,
            message,
            fix_level=FixLevel.UNSAFE,
            fix=Fix(
                {node: expr},
                add_imports=imports,
                remove_unused_imports=(binding,) if binding else (),
            ),
        )

    def _url_use(self, node: cst.CSTNode, name: str) -> None:
        self.report(
            node,
            f"`werkzeug.urls.{name}` was removed in Werkzeug"
            f" {'2.1' if name == 'Href' else '3.0'}: {URLS[name]}",
        )

    # calls: from_json, safe_str_cmp, url_unquote

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if last == "from_json" and isinstance(func, cst.Attribute):
            config = func.value
            if isinstance(config, cst.Attribute) and config.attr.value == "config":
                self.defer(lambda: self._from_json(node, config.value))
        elif last in ("safe_str_cmp", "url_unquote") or last in self._werkzeug_names:
            name = qualified_name(self, func)
            if name == SAFE_STR_CMP:
                self._safe_str_cmp(node)
            elif name == "werkzeug.urls.url_unquote":
                self._calls.add(id(func))
                self._url_unquote(node)

    def _from_json(self, node: cst.Call, owner: cst.BaseExpression) -> None:
        message = (
            "`Config.from_json` was removed in Flask 2.1: use `from_file(filename, load=json.load)`"
        )
        if self.object_kind(owner) not in (APP, CURRENT):
            if self.may_be_flask(owner):
                reason = f"`{code(owner)}` is not known to be an app object of the project"
                self.report(node, f"{message} (not rewritten: {reason})")
            return
        why_not = self.too_old_for(NEEDS)
        args = _from_json_arguments(node)
        if why_not or args is None or not self.name_free_for(node, "json", "json"):
            reason = why_not or (
                "not rewritten: unexpected arguments"
                if args is None
                else "not rewritten: `json` is another name here"
            )
            self.report(node, f"{message} ({reason})")
            return
        filename, silent = args
        load = cst.Arg(
            cst.Attribute(cst.Name("json"), cst.Name("load")),
            keyword=cst.Name("load"),
            equal=_EQUAL,
        )
        new_args = [filename.with_changes(comma=cst.MaybeSentinel.DEFAULT), load]
        if silent is not None:
            new_args.append(
                silent.with_changes(
                    keyword=cst.Name("silent"),
                    equal=_EQUAL if silent.keyword is None else silent.equal,
                    comma=cst.MaybeSentinel.DEFAULT,
                )
            )
        new_args = [
            a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            if k < len(new_args) - 1
            else a
            for k, a in enumerate(new_args)
        ]
        assert isinstance(node.func, cst.Attribute)
        new = node.with_changes(
            func=node.func.with_changes(attr=cst.Name("from_file")), args=new_args
        )
        self.report(
            node,
            f"{message}: `{code(new)}`",
            fix_level=FixLevel.SAFE,
            fix=Fix({node: new}, add_imports=(("json", None, None),)),
        )

    def _safe_str_cmp(self, node: cst.Call) -> None:
        message = (
            "`werkzeug.security.safe_str_cmp` was removed in Werkzeug 2.1: use"
            " `hmac.compare_digest(a, b)` (unsafe: it raises TypeError for a str with"
            " non-ASCII characters or a str compared with bytes, which safe_str_cmp"
            " encoded to UTF-8)"
        )
        if not _positional(node, 2) or not self.name_free_for(node, "hmac", "hmac"):
            self.report(node, f"{message} (not rewritten here)")
            return
        binding = import_binding(self, node.func)
        new = node.with_changes(func=cst.Attribute(cst.Name("hmac"), cst.Name("compare_digest")))
        self.report(
            node,
            message,
            fix_level=FixLevel.UNSAFE,
            fix=Fix(
                {node: new},
                add_imports=(("hmac", None, None),),
                remove_unused_imports=(binding,) if binding else (),
            ),
        )

    def _url_unquote(self, node: cst.Call) -> None:
        message = (
            "`werkzeug.urls.url_unquote` was removed in Werkzeug 3.0: use"
            " `urllib.parse.unquote(s)` (unsafe: the same result for str and bytes, but a"
            " bytearray or a str with lone surrogates behaves differently)"
        )
        found = (
            reference(self, node.func, "urllib.parse", "unquote") if _positional(node, 1) else None
        )
        if found is None:
            self.report(node, f"{message} (not rewritten here)")
            return
        expr, imports = found
        binding = import_binding(self, node.func)
        self.report(
            node,
            message,
            fix_level=FixLevel.UNSAFE,
            fix=Fix(
                {node.func: expr},
                add_imports=imports,
                remove_unused_imports=(binding,) if binding else (),
            ),
        )


def _positional(node: cst.Call, count: int) -> bool:
    return len(node.args) == count and all(a.keyword is None and not a.star for a in node.args)


def _from_json_arguments(node: cst.Call) -> tuple[cst.Arg, cst.Arg | None] | None:
    """(filename, silent or None) of `from_json(filename, silent=False)`, else None."""
    filename = silent = None
    for position, arg in enumerate(node.args):
        if arg.star:
            return None
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword == "filename" or (keyword is None and position == 0):
            if filename is not None:
                return None
            filename = arg
        elif keyword == "silent" or (keyword is None and position == 1):
            if silent is not None:
                return None
            silent = arg
        else:
            return None
    if filename is None:
        return None
    return filename, silent


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)
