"""The removed-API engine (flask_fix/rewrite/removed_api.py) over the whole table: every
row a rule may rewrite is rewritten exactly, in the `from` form and the attribute form, the
output parses and a second run changes nothing; the new names the rewrites write import on
the releases installed here; pins decide PINS rows; renames fall back to an alias where
a use cannot be renamed."""

from __future__ import annotations

import ast
import importlib

import pytest

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel
from flask_fix.rewrite.removed_api import furthest, rows_of
from flask_fix.rewrite.removed_apis import LATEST, PACKAGES, PINS, REPORT, SAFE, final
from flask_fix.run.runner import Mode, Settings
from flask_fix.run.start import run as run_project

CODES = ("FLK504", "FLK709", "FLK710", "FLK711", "FLK801")


def _why_not(row):
    """As the engine decides with no requirements declared."""
    if row.level == REPORT or row.new is None:
        return "report"
    module = row.new.rpartition(".")[0]
    return None if module == module.lower() else "a classmethod"  # Authorization.from_header


def _rewritable(code: str):
    for old, row in sorted(rows_of(code).items()):
        if _why_not(row) is None:
            # the rewrite writes the end of the chain of rewritable replacements
            yield pytest.param(code, furthest(row, _why_not), id=old)


ROWS = [p for code in CODES for p in _rewritable(code)]


def fixed(source: str, code: str, **options):
    result = fix_code(source, path="mod.py", select=(code,), **options)
    ast.parse(result.source)
    again = fix_code(result.source, path="mod.py", select=(code,), **options)
    assert again.source == result.source
    return result


def test_the_table_gives_each_rule_rows():
    assert all(rows_of(code) for code in CODES)
    assert len(ROWS) > 150  # Werkzeug's top-level names alone are 150


@pytest.mark.parametrize(("code", "row"), ROWS)
def test_every_rewritable_row_is_rewritten_in_the_from_form(code, row):
    old_module, _, old_name = row.old.rpartition(".")
    new_module, _, new_name = row.new.rpartition(".")
    source = f"from {old_module} import {old_name}\n\nvalue = {old_name}\n"
    result = fixed(source, code)
    if new_module == "builtins":
        expected = f"value = {new_name}\n"
    else:
        expected = f"from {new_module} import {new_name}\n\nvalue = {new_name}\n"
    assert result.source == expected
    [finding] = result.findings
    assert finding.fix_level is FixLevel.SAFE
    assert f"`{row.old}` was removed in " in finding.message


@pytest.mark.parametrize(("code", "row"), ROWS)
def test_every_rewritable_row_is_rewritten_in_the_attribute_form(code, row):
    old_module, _, old_name = row.old.rpartition(".")
    top = old_module.partition(".")[0]
    new_module, _, new_name = row.new.rpartition(".")
    importing = f"import {old_module}" if old_module != top else f"import {top}"
    source = f"{importing}\n\nvalue = {row.old}\n"
    result = fixed(source, code)
    [finding] = result.findings
    assert finding.fix_level is FixLevel.SAFE
    if new_module == "builtins":
        assert result.source.endswith(f"value = {new_name}\n")
    elif new_module == old_module:
        assert result.source == f"{importing}\n\nvalue = {old_module}.{new_name}\n"
    else:
        assert result.source.endswith(f"\nvalue = {row.new}\n")
        assert f"import {new_module}\n" in result.source
        if old_module != top:  # `import werkzeug.contrib.fixers` goes
            assert f"import {old_module}\n" not in result.source


#: rows whose replacement is still there on the releases the test extras install
INSTALLED = {"werkzeug", "jinja2", "markupsafe", "flask-sqlalchemy", "sqlalchemy", "flask"}


@pytest.mark.parametrize(
    ("code", "row"),
    [
        p
        for p in ROWS
        if p.values[1].new_since is None
        or p.values[1].new_since[0] in INSTALLED
    ],
)
def test_the_rewritten_name_imports_on_todays_release(code, row):
    """Where the replacement was not itself removed later, it exists on today's release
    (the installed one is the table's LATEST of its package)."""
    new_module, _, new_name = row.new.rpartition(".")
    last = final(row.old)
    if last.new != row.new:
        pytest.skip(f"{row.new} was removed later too (-> {last.new}): the next step is reported")
    package = PACKAGES.get(new_module.partition(".")[0])
    if package in LATEST:
        from importlib.metadata import version

        installed = tuple(int(p) for p in version(package).split(".")[:2])
        if installed != LATEST[package][:2]:
            pytest.skip(f"{package} {installed} installed, the table names {LATEST[package]}")
    module = importlib.import_module(new_module)
    assert hasattr(module, new_name)


# --- levels ---------------------------------------------------------------------------

PROXY = "from werkzeug.contrib.fixers import ProxyFix\n\nwrap = ProxyFix\n"


@pytest.mark.parametrize(
    ("requirements", "rewritten"),
    [
        ({}, True),  # nothing declared: a current Werkzeug
        ({"werkzeug": None}, True),  # named without a bound
        ({"werkzeug": (0, 15)}, True),
        ({"werkzeug": (0, 14, 1)}, False),
        ({"werkzeug": (0,)}, False),  # only an upper bound
    ],
)
def test_a_pins_row_follows_the_requirements(requirements, rewritten):
    """Pins allowing a release older than the replacement: an unsafe fix naming the
    requirement to raise (the code migrates with --unsafe-fixes, never by default)."""
    result = fixed(PROXY, "FLK709", requirements=requirements)
    [finding] = result.findings
    assert (result.source != PROXY) is rewritten
    if not rewritten:
        assert finding.fix_level is FixLevel.UNSAFE
        assert "; needs Werkzeug>=0.15 and the project's requirements allow" in finding.message
        assert finding.message.endswith("an unsafe fix, raise the requirement with it")
        unsafe = fixed(PROXY, "FLK709", requirements=requirements, unsafe=True)
        expected = "from werkzeug.middleware.proxy_fix import ProxyFix\n\nwrap = ProxyFix\n"
        assert unsafe.source == expected
        again = fixed(expected, "FLK709", requirements=requirements, unsafe=True)
        assert (again.source, again.findings) == (expected, [])
    else:
        assert finding.fix_level is FixLevel.SAFE


def test_a_pins_row_beside_a_safe_one_waits_for_the_next_round():
    """One import holding a name the pins allow and one they do not: the first is
    rewritten safely, the second reported, then rewritten (unsafe) once alone."""
    source = "from werkzeug import secure_filename\nfrom werkzeug.contrib.fixers import ProxyFix\n"
    pins = {"werkzeug": (0, 14)}
    result = fixed(source, "FLK709", requirements=pins)
    assert result.source == source.replace("from werkzeug import", "from werkzeug.utils import")
    assert [f.fix_level for f in result.findings] == [FixLevel.SAFE, FixLevel.UNSAFE]
    assert fixed(source, "FLK709", requirements=pins, unsafe=True).source == (
        "from werkzeug.utils import secure_filename\n"
        "from werkzeug.middleware.proxy_fix import ProxyFix\n"
    )


def test_a_safe_row_is_rewritten_whatever_the_pins():
    source = "from werkzeug import secure_filename\n"
    result = fixed(source, "FLK709", requirements={"werkzeug": (0, 14)})
    assert result.source == "from werkzeug.utils import secure_filename\n"


def test_through_the_runner_the_requirements_are_read(tmp_path):
    (tmp_path / "requirements.txt").write_text("Flask==1.0.2\nWerkzeug==0.14.1\n")
    (tmp_path / "app.py").write_text(PROXY)
    settings = Settings(select=("FLK709",), mode=Mode.CHECK)
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    [finding] = result.findings
    assert finding.fix_level is FixLevel.UNSAFE
    assert "needs Werkzeug>=0.15 and the project's requirements allow Werkzeug 0.14.1" in finding.message
    (tmp_path / "requirements.txt").write_text("Flask==1.1.4\nWerkzeug>=0.16\n")
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    assert [f.fix_level for f in result.findings] == [FixLevel.SAFE]


@pytest.mark.parametrize(
    ("flask", "werkzeug", "level"),
    [
        # Flask 1.0.x requires Werkzeug>=0.14 (its wheel's metadata): 0.15's middleware
        # is past what it allows
        ("Flask==1.0.2", None, FixLevel.UNSAFE),
        ("Flask>=1.0,<1.1", None, FixLevel.UNSAFE),
        ("Flask==0.12.5", None, FixLevel.UNSAFE),
        ("Flask==0.10.1", None, FixLevel.UNSAFE),  # older than the table: any Werkzeug
        # Flask 1.1 requires Werkzeug>=0.15
        ("Flask==1.1.4", None, FixLevel.SAFE),
        ("Flask", None, FixLevel.SAFE),  # no bound: a current Flask
        # a Werkzeug the project declares wins over what its Flask implies
        ("Flask==1.0.2", "Werkzeug>=0.15", FixLevel.SAFE),
        ("Flask==1.1.4", "Werkzeug==0.14.1", FixLevel.UNSAFE),
    ],
)
def test_an_undeclared_werkzeug_is_the_one_flask_requires(tmp_path, flask, werkzeug, level):
    (tmp_path / "requirements.txt").write_text("\n".join(filter(None, (flask, werkzeug))) + "\n")
    (tmp_path / "app.py").write_text(PROXY)
    settings = Settings(select=("FLK709",), mode=Mode.CHECK)
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    assert [f.fix_level for f in result.findings] == [level]


def test_target_flask_version_implies_its_werkzeug(tmp_path):
    (tmp_path / "app.py").write_text(PROXY)
    settings = Settings(select=("FLK709",), mode=Mode.CHECK, target_flask_version="1.0")
    (tmp_path / "requirements.txt").write_text("Flask\n")
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    assert [f.fix_level for f in result.findings] == [FixLevel.UNSAFE]


def test_report_rows_quote_the_tables_note():
    source = "from werkzeug.contrib.cache import SimpleCache, RedisCache\n"
    result = fixed(source, "FLK709")
    assert result.source == source
    assert [f.fix_level for f in result.findings] == [FixLevel.REPORT] * 2
    assert all("a new requirement: cachelib" in f.message for f in result.findings)


# --- import forms -----------------------------------------------------------------------


def test_names_staying_in_the_import_keep_it():
    source = "from werkzeug import secure_filename, __version__\n"
    assert fixed(source, "FLK709").source == (
        "from werkzeug import __version__\nfrom werkzeug.utils import secure_filename\n"
    )


def test_a_parenthesized_import_keeps_its_layout():
    source = "from werkzeug import (\n    secure_filename,\n    cached_property,\n)\n"
    assert fixed(source, "FLK709").source == (
        "from werkzeug.utils import (\n    secure_filename,\n    cached_property,\n)\n"
    )


def test_a_nested_import_sharing_its_line_is_only_reported():
    source = "def f():\n    from werkzeug import secure_filename, FileStorage; x = 1\n"
    result = fixed(source, "FLK709")
    assert result.source == source
    [finding] = result.findings
    assert "the line holds other statements" in finding.message


def test_an_aliased_module_is_followed():
    source = "import werkzeug as wz\n\nname = wz.secure_filename('a b')\n"
    assert fixed(source, "FLK709").source == (
        "import werkzeug.utils\n\nname = werkzeug.utils.secure_filename('a b')\n"
    )


def test_a_module_imported_from_its_package_is_followed():
    source = "from werkzeug.contrib import fixers\n\nwrap = fixers.ProxyFix\n"
    assert fixed(source, "FLK709").source == (
        "import werkzeug.middleware.proxy_fix\n\nwrap = werkzeug.middleware.proxy_fix.ProxyFix\n"
    )


def test_a_dotted_import_used_otherwise_is_only_reported():
    source = (
        "import werkzeug.contrib.fixers\n\n"
        "a = werkzeug.contrib.fixers.ProxyFix\nb = werkzeug.contrib.fixers.Other\n"
    )
    result = fixed(source, "FLK709")
    assert result.source == source
    [finding] = result.findings
    assert "is used otherwise here" in finding.message


def test_werkzeug_bound_to_something_else_is_only_reported():
    source = "import werkzeug as wz\n\nwerkzeug = None\nname = wz.secure_filename('a')\n"
    result = fixed(source, "FLK709")
    assert result.source == source
    assert "`werkzeug` is another name here" in result.findings[0].message


# --- renames ----------------------------------------------------------------------------


def test_a_rename_follows_every_use_in_every_scope():
    source = (
        "from wtforms import TextField\n\n"
        "class F:\n    a = TextField('a')\n\n"
        "def make():\n    return TextField('b')\n"
    )
    assert fixed(source, "FLK801").source == source.replace("TextField", "StringField")


@pytest.mark.parametrize(
    "source",
    [
        # the new name means something else somewhere a use is
        "from wtforms import TextField\n\ndef f(StringField):\n    return TextField('a')\n",
        "from wtforms import TextField\n\nStringField = None\nx = TextField('a')\n",
        # two bindings of the old name
        "try:\n    from wtforms import TextField\nexcept ImportError:\n    TextField = None\n",
        # a module that may re-export it
        "from wtforms import TextField\n\n__all__ = ['TextField']\n",
    ],
)
def test_a_rename_that_cannot_follow_every_use_keeps_the_old_local_name(source):
    result = fixed(source, "FLK801")
    assert "from wtforms import StringField as TextField" in result.source
    assert result.source.replace("StringField as TextField", "TextField") == source


def test_a_package_init_keeps_the_old_local_name():
    source = "from wtforms import TextField\n\nfield = TextField('a')\n"
    result = fix_code(source, path="pkg/__init__.py", select=("FLK801",))
    assert result.source == (
        "from wtforms import StringField as TextField\n\nfield = TextField('a')\n"
    )


def test_a_builtin_replacement_shadowed_is_only_reported():
    source = "from wtforms.compat import text_type\n\nstr = None\nx = text_type(1)\n"
    result = fixed(source, "FLK801")
    assert result.source == source
    assert "`str` is another name here" in result.findings[0].message


def test_levels_of_the_rows_used_here_are_the_tables():
    levels = {row.level for code in CODES for row in rows_of(code).values()}
    assert levels == {SAFE, PINS, REPORT}


def test_the_index_knows_login_methods_of_project_classes():
    index = index_from_sources(
        {
            "models.py": "class User:\n    def is_active(self):\n        return True\n\n"
            "    @property\n    def is_anonymous(self):\n        return False\n",
        }
    )
    assert index.login_methods == frozenset({"is_active"})


# --- triage ---------------------------------------------------------------------------

TABLE_TRIAGED = ("FLK709", "FLK711")


def _could_fire(code: str, source: str) -> bool:
    from flask_fix.codemods import select_rules
    from flask_fix.index.triage import TriageModule

    (rule,) = [r for r in select_rules((code,), ()) if r.code == code and hasattr(r, "table_could_fire")]
    return rule.module_could_fire(TriageModule.from_tree(source.encode(), ast.parse(source)))


def _forms(old: str) -> list[str]:
    """The ways the engine reads a use of `old`: from-import, attribute after a plain
    import of its module and of its top package, and `import old` (removed modules)."""
    module, _, name = old.rpartition(".")
    top = old.partition(".")[0]
    return [
        f"from {module} import {name}\n",
        f"from {module} import {name} as renamed\n",
        f"import {module}\n\n{module}.{name}\n",
        f"import {top} as t\n\nt{old[len(top):]}\n",
        f"import {old}\n",
        f"from {old} import *\n",
        f"from {old} import anything\n",
    ]


@pytest.mark.parametrize(
    ("code", "old"), [(code, old) for code in TABLE_TRIAGED for old in sorted(rows_of(code))]
)
def test_the_triage_lets_every_row_through_in_the_forms_the_rule_reports(code, old):
    """The stdlib-ast triage (RemovedApiRule.table_could_fire) never turns away a module
    the rule reports in: each row's forms the rule reads, whichever it reports there."""
    for source in _forms(old):
        try:
            ast.parse(source)
        except SyntaxError:  # `builtins`-like rows spelled with calls: not importable forms
            continue
        found = fix_code(source, path="mod.py", select=(code,)).findings
        if found:
            assert _could_fire(code, source), source


@pytest.mark.parametrize(
    ("code", "source"),
    [
        ("FLK709", "from werkzeug.utils import secure_filename\n\nsecure_filename('a')\n"),
        ("FLK709", "import werkzeug\n\nprint(werkzeug.__version__)\n"),
        ("FLK709", "from werkzeug.exceptions import NotFound\nfrom . import secure_filename\n"),
        ("FLK711", "from itsdangerous import URLSafeTimedSerializer\n"),
    ],
)
def test_the_triage_turns_away_modules_naming_no_row(code, source):
    assert not fix_code(source, path="mod.py", select=(code,)).findings
    assert not _could_fire(code, source)

