"""Property tests: flask-fix never raises, its output parses, and a second run is a no-op.

Two sources of programs:
  - hypothesmith: arbitrary Python from the grammar and from LibCST's node types, alone
    and behind a Flask preamble (so the rules resolve real Flask names in odd code);
  - our own strategies: Flask-like modules composed from snippets of real-world code
    (rewrites the rules must make, and look-alikes they must leave alone), where each
    snippet also says what its code must look like afterwards.

Every example runs through `fix_code` with every rule (the engine's whole per-file
pipeline) and, for the Flask-like modules, with and without unsafe fixes. Settings are
derandomized with no example database, so CI sees the same examples on every run.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from flask_fix import fix_code
from flask_fix.codemods import all_rules, project_transforms
from flask_fix.run.engine import SourceFailure
from flask_fix.model import ErrorKind
from flask_fix.run.transforms import transform_sources

BOUNDED = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # the snippets are small already; shrinking a slow example can take minutes
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_fix_is_sound(source: str, *, unsafe: bool) -> str:
    """Fix `source` with every rule; the output parses, names no new undefined global,
    and fixing it again changes nothing. Returns the output."""
    result = fix_code(source, unsafe=unsafe)
    fixed = result.source
    tree = ast.parse(fixed)
    assert undefined_names(tree) <= undefined_names(ast.parse(source)), fixed
    again = fix_code(fixed, unsafe=unsafe)
    assert again.source == fixed
    return fixed


def undefined_names(tree: ast.Module) -> set[str]:
    """Names read somewhere but bound nowhere in the module (nor builtins): a fix that
    adds `jsonify(...)` without its import, or drops an import still in use, grows it."""
    bound = set(dir(builtins))
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
    return read - bound


# -- generated programs (hypothesmith) -------------------------------------------------

FLASK_PREAMBLE = """\
import json
import flask
from flask import Flask, redirect, request, jsonify, Markup, _app_ctx_stack
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)
"""


def check_generated(source: str, unsafe: bool) -> None:
    try:
        libcst.parse_module(source)
    except (libcst.ParserSyntaxError, ValueError):
        # hypothesmith's grammar is Python's: LibCST may lag a version behind, and
        # refuses some odd whitespace (an indent of form feeds) with a ValueError
        with pytest.raises(SourceFailure) as failure:
            fix_code(source, unsafe=unsafe)
        assert failure.value.kind is ErrorKind.SYNTAX
        return
    assert_fix_is_sound(source, unsafe=unsafe)


@settings(BOUNDED, max_examples=20)
@given(source=hypothesmith.from_grammar(), unsafe=st.booleans())
def test_programs_from_the_grammar(source, unsafe):
    check_generated(source, unsafe)


@settings(BOUNDED, max_examples=20)
@given(source=hypothesmith.from_node(), unsafe=st.booleans())
def test_programs_from_libcst_nodes(source, unsafe):
    check_generated(source, unsafe)


@settings(BOUNDED, max_examples=20)
@given(source=hypothesmith.from_node(), unsafe=st.booleans())
def test_programs_behind_a_flask_preamble(source, unsafe):
    check_generated(FLASK_PREAMBLE + source, unsafe)


# -- Flask-like modules from our own strategies ----------------------------------------


@dataclass(frozen=True)
class Style:
    """How the module imports Flask and JSON; snippets are written in its spelling."""

    flask_import: str  # the import line for Flask's names ({names}: the ones used)
    flask: str  # prefix of Flask names: "" or "f."
    json_import: str
    dumps: str
    loads: str | None  # None: not the stdlib's loads, FLK104 does not apply
    json_name: str  # the local name a look-alike shadows


STYLES = [
    Style("from flask import {names}", "", "import json", "json.dumps", "json.loads", "json"),
    Style("import flask as f", "f.", "import json", "json.dumps", "json.loads", "json"),
    Style("from flask import {names}", "", "import simplejson as json", "json.dumps", None, "json"),
    Style(
        "from flask import {names}", "", "from json import dumps, loads", "dumps", "loads", "dumps"
    ),
    Style("import flask as f", "f.", "import json as js", "js.dumps", "js.loads", "js"),
]

UNCHANGED = object()  # the snippet's code must come out byte-identical


@dataclass(frozen=True)
class Snippet:
    code: str  # module-level code, functions included
    after: object = UNCHANGED  # the code after the fix: str, UNCHANGED, or None (any)
    unsafe_only: bool = False
    flask_names: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()  # other import lines
    setup: tuple[str, ...] = ()  # module-level lines right after the app
    last: bool = False  # goes at the end (the `__main__` block)
    elsewhere: tuple[str, ...] = ()  # lines the fixed module must hold (its imports)

    def expected(self, unsafe: bool) -> object:
        if self.unsafe_only and not unsafe:
            return UNCHANGED
        return self.after


def _view(route: str, name: str, body: str, methods: str = "") -> str:
    return f'@app.route("{route}"{methods})\ndef {name}():\n{body}'


PAYLOADS = st.sampled_from(['{"k": 1}', "[1, 2, 3]", '{"users": [], "n": 0}', "items"])


@st.composite
def json_dumps_view(draw, style: Style, n: int) -> Snippet:
    payload = draw(PAYLOADS)
    status = draw(st.sampled_from(["", ", 201", ", 404, {'X-A': '1'}"]))
    assign = "    items = []\n" if payload == "items" else ""
    before = _view(
        f"/api_{n}", f"api_{n}", f"{assign}    return {style.dumps}({payload}){status}\n"
    )
    after = _view(
        f"/api_{n}", f"api_{n}", f"{assign}    return {style.flask}jsonify({payload}){status}\n"
    )
    return Snippet(before, after)


@st.composite
def literal_redirect(draw, style: Style, n: int) -> Snippet:
    slash = draw(st.sampled_from(["", "/"]))
    target = _view(f"/target_{n}{slash}", f"target_{n}", '    return "target"\n')
    go = _view(f"/go_{n}", f"go_{n}", f'    return {style.flask}redirect("/target_{n}{slash}")\n')
    fixed = _view(
        f"/go_{n}",
        f"go_{n}",
        f'    return {style.flask}redirect({style.flask}url_for("target_{n}"))\n',
    )
    return Snippet(f"{target}\n\n{go}", f"{target}\n\n{fixed}", flask_names=("redirect",))


@st.composite
def request_args_cast(draw, style: Style, n: int) -> Snippet:
    cast = draw(st.sampled_from(["int", "float"]))
    source = draw(st.sampled_from(["args", "form", "values"]))
    key = draw(st.sampled_from(["page", "per_page", "limit"]))
    default = draw(st.integers(min_value=0, max_value=500))
    quoted = draw(st.booleans())
    literal = f'"{default}"' if quoted else str(default)
    typed = str(float(default)) if cast == "float" else str(default)
    request = f"{style.flask}request"
    before = _view(
        f"/list_{n}",
        f"list_{n}",
        f'    value = {cast}({request}.{source}.get("{key}", {literal}))\n    return str(value)\n',
    )
    after = _view(
        f"/list_{n}",
        f"list_{n}",
        f'    value = {request}.{source}.get("{key}", default={typed}, type={cast})\n'
        "    return str(value)\n",
    )
    return Snippet(before, after, flask_names=("request",))


@st.composite
def json_loads_request(draw, style: Style, n: int) -> Snippet:
    read = draw(st.sampled_from(["data", "get_data()", "get_data(as_text=True)"]))
    request = f"{style.flask}request"
    before = _view(
        f"/body_{n}",
        f"body_{n}",
        f"    data = {style.loads or style.json_name + '.loads'}({request}.{read})\n"
        "    return str(data)\n",
        ', methods=["POST"]',
    )
    if style.loads is None:
        return Snippet(before, None, flask_names=("request",))
    after = _view(
        f"/body_{n}",
        f"body_{n}",
        f"    data = {request}.get_json(force=True)\n    return str(data)\n",
        ', methods=["POST"]',
    )
    return Snippet(before, after, flask_names=("request",))


@st.composite
def commit_without_rollback(draw, style: Style, n: int) -> Snippet:
    handler = draw(st.sampled_from(["except Exception:", "except:", "except IntegrityError:"]))
    body = draw(st.sampled_from(["pass", "return False", 'print("failed")']))
    before = (
        f"def save_{n}(item):\n    db.session.add(item)\n    try:\n        db.session.commit()\n"
        f"    {handler}\n        {body}\n"
    )
    after = before.replace(f"    {handler}\n", f"    {handler}\n        db.session.rollback()\n")
    return Snippet(
        before,
        after,
        imports=(
            "from flask_sqlalchemy import SQLAlchemy",
            "from sqlalchemy.exc import IntegrityError",
        ),
        setup=("db = SQLAlchemy(app)",),
    )


EXTENSIONS = [
    ("login_manager", "LoginManager", "from flask_login import LoginManager"),
    ("csrf", "CSRFProtect", "from flask_wtf.csrf import CSRFProtect"),
    ("bcrypt", "Bcrypt", "from flask_bcrypt import Bcrypt"),
    ("moment", "Moment", "from flask_moment import Moment"),
]


@st.composite
def extension_on_global_app(draw, style: Style, n: int) -> Snippet:
    name, cls, line = draw(st.sampled_from(EXTENSIONS))
    before = f"{name}_{n} = {cls}(app)\n"
    after = f"{name}_{n} = {cls}()\n{name}_{n}.init_app(app)\n"
    return Snippet(before, after, imports=(line,))


@st.composite
def hardcoded_secret_key(draw, style: Style, n: int) -> Snippet:
    secret = draw(st.sampled_from(["dev", "secret", "kT9#mQ2$vL8@xR4!pW6^zN1&cY7*bH3%"]))
    form = draw(st.sampled_from(['app.config["SECRET_KEY"] = {}', "app.secret_key = {}"]))
    before = form.format(f'"{secret}"') + "\n"
    after = form.format('os.environ["SECRET_KEY"]') + "\n"
    return Snippet(before, after, unsafe_only=True)


@st.composite
def debug_true(draw, style: Style, n: int) -> Snippet:
    args = draw(
        st.sampled_from(["debug=True", 'host="0.0.0.0", debug=True', "debug=True, port=8000"])
    )
    before = f'if __name__ == "__main__":\n    app.run({args})\n'
    kept = ", ".join(a for a in args.split(", ") if a != "debug=True")
    return Snippet(before, f'if __name__ == "__main__":\n    app.run({kept})\n', last=True)


def removed_markup_import(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    code = f'html_{n} = Markup("<b>%s</b>") % escape("x")\n'
    return st.just(
        Snippet(
            code,
            code,
            imports=("from flask import Markup, escape",),
            elsewhere=("from markupsafe import Markup, escape\n",),
        )
    )


def removed_ctx_stack(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    code = f"def top_{n}():\n    return _app_ctx_stack.top\n"
    return st.just(Snippet(code, UNCHANGED, imports=("from flask import _app_ctx_stack",)))


# look-alikes: code that resembles a pattern but must stay byte-identical


def helper_that_is_not_a_view(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    return st.just(Snippet(f"def helper_{n}(data):\n    return {style.dumps}(data)\n"))


def shadowed_json_in_view(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    call = style.dumps if style.json_name != "dumps" else "dumps"
    body = f"    {style.json_name} = make_encoder()\n    return {call}({{'k': 1}})\n"
    return st.just(Snippet(_view(f"/shadow_{n}", f"shadow_{n}", body)))


def local_named_request(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    body = '    request = make_params()\n    return str(int(request.args.get("page", 1)))\n'
    return st.just(Snippet(_view(f"/local_{n}", f"local_{n}", body)))


@st.composite
def cast_inside_value_error_handler(draw, style: Style, n: int) -> Snippet:
    handler = draw(st.sampled_from(["ValueError", "(TypeError, ValueError)", "Exception"]))
    body = (
        f'    try:\n        page = int({style.flask}request.args.get("page", 1))\n'
        f"    except {handler}:\n        page = 1\n    return str(page)\n"
    )
    return Snippet(_view(f"/guarded_{n}", f"guarded_{n}", body), flask_names=("request",))


@st.composite
def redirect_to_unknown_or_external(draw, style: Style, n: int) -> Snippet:
    url = draw(st.sampled_from([f"/nowhere_{n}", f"https://example.com/{n}", f"//cdn/{n}"]))
    body = f'    return {style.flask}redirect("{url}")\n'
    return Snippet(_view(f"/away_{n}", f"away_{n}", body), flask_names=("redirect",))


@st.composite
def dumps_with_reported_kwargs(draw, style: Style, n: int) -> Snippet:
    kwarg = draw(st.sampled_from(["indent=2", "default=str", "ensure_ascii=False"]))
    body = f"    return {style.dumps}({{'k': 1}}, {kwarg})\n"
    return Snippet(_view(f"/pretty_{n}", f"pretty_{n}", body))


def commit_with_rollback(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    code = (
        f"def store_{n}(item):\n    try:\n        db.session.commit()\n    except Exception:\n"
        "        db.session.rollback()\n        raise\n"
    )
    return st.just(
        Snippet(
            code,
            imports=("from flask_sqlalchemy import SQLAlchemy",),
            setup=("db = SQLAlchemy(app)",),
        )
    )


def secret_key_from_environment(style: Style, n: int) -> st.SearchStrategy[Snippet]:
    return st.just(Snippet('app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")\n'))


SNIPPETS = [
    json_dumps_view,
    literal_redirect,
    request_args_cast,
    json_loads_request,
    commit_without_rollback,
    extension_on_global_app,
    hardcoded_secret_key,
    debug_true,
    removed_markup_import,
    removed_ctx_stack,
    helper_that_is_not_a_view,
    shadowed_json_in_view,
    local_named_request,
    cast_inside_value_error_handler,
    redirect_to_unknown_or_external,
    dumps_with_reported_kwargs,
    commit_with_rollback,
    secret_key_from_environment,
]


@st.composite
def flask_modules(draw) -> tuple[str, list[Snippet]]:
    """A module: imports, a global app, then snippets (each with its own names)."""
    style = draw(st.sampled_from(STYLES))
    # a prefix of a shuffle gives every kind its turn; a few repeats on top
    kinds = draw(st.permutations(SNIPPETS))[: draw(st.integers(1, 7))]
    kinds += draw(st.lists(st.sampled_from(SNIPPETS), max_size=2))
    snippets = [draw(kind(style, n)) for n, kind in enumerate(kinds)]
    for kind in kinds:
        event(kind.__name__)
    if sum(s.last for s in snippets) > 1:  # one __main__ block
        first = next(i for i, s in enumerate(snippets) if s.last)
        snippets = [s for i, s in enumerate(snippets) if not s.last or i == first]
    snippets.sort(key=lambda s: s.last)

    names = sorted({"Flask", *(n for s in snippets for n in s.flask_names)})
    imports = ["import os", style.json_import, style.flask_import.format(names=", ".join(names))]
    imports += [line for s in snippets for line in s.imports]
    setup = [line for s in snippets for line in s.setup]
    parts = [
        "\n".join(dict.fromkeys(imports)),
        f"app = {style.flask}Flask(__name__)\n"
        + "".join(f"{line}\n" for line in dict.fromkeys(setup)),
        *(s.code for s in snippets),
    ]
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts), snippets


@settings(BOUNDED, max_examples=40)
@given(module=flask_modules(), unsafe=st.booleans())
def test_flask_like_modules(module, unsafe):
    source, snippets = module
    fixed = assert_fix_is_sound(source, unsafe=unsafe)
    for snippet in snippets:
        expected = snippet.expected(unsafe)
        if expected is UNCHANGED:
            assert snippet.code in fixed, f"look-alike changed:\n{snippet.code}\n---\n{fixed}"
        elif expected is not None:
            assert expected in fixed, f"expected:\n{expected}\n---\n{fixed}"
        for line in snippet.elsewhere:
            assert line in fixed, f"expected:\n{line}\n---\n{fixed}"


APP_FACTORY = next(t for t in project_transforms(all_rules()) if t.code == "FLK201")
ENTRY_POINT = 'from app import app\n\nif __name__ == "__main__":\n    app.run()\n'


@settings(BOUNDED, max_examples=15)
@given(module=flask_modules(), with_entry_point=st.booleans())
def test_flask_like_projects_through_the_app_factory(module, with_entry_point):
    """The cross-module rewrite (FLK201, which fix_code does not run) on the same modules
    as a project, then every per-file rule: nothing raises, every file parses, and a
    second pass of both changes nothing."""
    sources = {"app.py": module[0]}
    if with_entry_point:
        sources["wsgi.py"] = ENTRY_POINT
    after, _ = transform_sources(APP_FACTORY, sources, apply=True)
    event("factory built" if "def create_app(" in after["app.py"] else "factory refused")
    fixed = {path: assert_fix_is_sound(text, unsafe=True) for path, text in after.items()}
    again, _ = transform_sources(APP_FACTORY, fixed, apply=True)
    assert again == fixed
