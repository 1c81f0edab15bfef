"""The table of removed APIs (flask_fix/rewrite/removed_apis.py) is well-formed, and its
checker finds each kind of defect. The facts themselves are checked against the releases by
bench/check_removed_apis.py (not run here: it needs the package index)."""

from __future__ import annotations

import dataclasses

import pytest

from flask_fix.rewrite import removed_apis as apis
from flask_fix.rewrite.removed_apis import (
    MOVED,
    PINS,
    RENAMED,
    REMOVED,
    REPORT,
    ROWS,
    SAFE,
    Removed,
    final,
    problems,
)


def test_the_table_is_well_formed():
    assert problems(ROWS) == []
    assert len({row.old for row in ROWS}) == len(ROWS) == len(apis.BY_OLD)


def test_every_rule_of_the_migration_is_covered():
    rules = {row.rule for row in ROWS}
    assert {"FLK504", "FLK702", "FLK708", "FLK709", "FLK710", "FLK711"} <= rules
    assert {"FLK801", "FLK802", "FLK803"} <= rules


def test_the_sample_apps_removed_names_have_rows():
    """Each name samples/legacy_blog uses that today's releases removed."""
    for old in (
        "werkzeug.secure_filename",
        "jinja2.Markup",
        "jinja2.escape",
        "flask_wtf.Form",
        "wtforms.TextField",
        "wtforms.validators.Required",
        "flask_login.UserMixin.is_authenticated()",
        "flask_login.UserMixin.is_active()",
        "flask_sqlalchemy.BaseQuery.paginate(page, per_page, error_out)",
        "flask_script.Manager",
        "flask_migrate.MigrateCommand",
    ):
        assert old in apis.BY_OLD, old


def test_facts_the_rules_rely_on():
    assert apis.BY_OLD["werkzeug.secure_filename"].removed_in == ("werkzeug", (1, 0))
    assert apis.BY_OLD["werkzeug.secure_filename"].new == "werkzeug.utils.secure_filename"
    proxy = apis.BY_OLD["werkzeug.contrib.fixers.ProxyFix"]
    assert (proxy.new, proxy.new_since) == (
        "werkzeug.middleware.proxy_fix.ProxyFix",
        ("werkzeug", (0, 15)),
    )
    assert apis.BY_OLD["jinja2.contextfilter"].new_since == ("jinja2", (3, 0))
    assert apis.BY_OLD["jinja2.Markup"].level == SAFE
    jws = apis.BY_OLD["itsdangerous.TimedJSONWebSignatureSerializer"]
    assert (jws.removed_in, jws.new, jws.level) == (("itsdangerous", (2, 1)), None, REPORT)
    assert apis.BY_OLD["flask_wtf.Form"].new_since == ("flask-wtf", (0, 13))


def test_final_follows_a_chain_of_removals():
    quote = final("werkzeug.url_quote")
    assert quote.new == "urllib.parse.quote"
    assert quote.kind == RENAMED
    assert quote.level == REPORT  # the safe move, then a report: the careful one wins
    assert quote.removed_in == ("werkzeug", (1, 0))
    assert "top-level" in quote.note and "quote(s" in quote.note
    escape = final("werkzeug.escape")
    assert (escape.new, escape.kind, escape.new_since) == (
        "markupsafe.escape",
        MOVED,
        ("markupsafe", (1, 1, 1)),
    )
    gone = final("werkzeug.url_fix")
    assert (gone.new, gone.kind) == (None, REMOVED)
    assert final("werkzeug.secure_filename") == apis.BY_OLD["werkzeug.secure_filename"]
    assert final("werkzeug.utils.secure_filename") is None


GOOD = Removed("FLK709", "werkzeug.a", "werkzeug.b.a", MOVED, ("werkzeug", (1, 0)),
               ("werkzeug", (0, 15)), PINS)  # fmt: skip


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"rule": "FLK9"}, "rule"),
        ({"kind": "moved"}, "kind"),
        ({"level": "safe-ish"}, "level"),
        ({"removed_in": ("werkzeug", ())}, "removed_in"),
        ({"removed_in": ("Werkzeug", (1, 0))}, "removed_in"),
        ({"new": "werkzeug.a"}, "replaced by itself"),
        ({"kind": REMOVED}, "removed, yet replaced"),
        ({"new": None, "new_since": None}, "to nothing"),
        ({"new": None, "new_since": None, "kind": REMOVED}, "only be reported"),
        ({"new_since": None}, "new_since must be given"),
        ({"new": "urllib.parse.a"}, "new_since must be given"),
        ({"new": "werkzeug.b.c"}, "a move keeps the name"),
        ({"new": "werkzeug.a.x", "kind": RENAMED, "new_since": ("werkzeug", (0, 15))}, None),
        ({"new": "werkzeug.b.a", "kind": RENAMED}, "a rename changes the name"),
        ({"new_since": ("flask", (0, 15))}, "not werkzeug.b.a's package"),
        ({"new_since": ("werkzeug", (1, 1))}, "after the removal"),
        ({"level": SAFE}, "safe, yet"),
        ({"new_since": ("werkzeug", apis.OLDEST_CHECKED["werkzeug"])}, "needs pins, yet"),
    ],
)
def test_each_defect_is_found(changes, problem):
    row = dataclasses.replace(GOOD, **changes)
    found = problems([row])
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def test_duplicates_and_cycles_are_found():
    assert problems([GOOD, GOOD]) == ["werkzeug.a: two rows"]
    back = dataclasses.replace(
        GOOD, old="werkzeug.b.a", new="werkzeug.a", kind=MOVED, new_since=("werkzeug", (0, 15))
    )
    assert any("a cycle" in p for p in problems([GOOD, back]))
