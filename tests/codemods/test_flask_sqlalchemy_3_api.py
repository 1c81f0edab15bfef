"""FLK504 flask-sqlalchemy-3-api: what the generic example tests do not cover."""

from __future__ import annotations

import ast

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel

DB = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"


def run(source: str, **options):
    result = fix_code(source, path="models.py", select=("FLK504",), **options)
    ast.parse(result.source)
    again = fix_code(result.source, path="models.py", select=("FLK504",), **options)
    assert again.source == result.source
    return result


def test_four_positional_arguments_and_a_session_query():
    source = DB + "\ndef f(n):\n    return db.session.query(User).filter_by(a=1).paginate(n, 10, True, 50)\n"
    assert run(source).source == source.replace(
        "paginate(n, 10, True, 50)", "paginate(page=n, per_page=10, error_out=True, max_per_page=50)"
    )


def test_an_argument_given_twice_is_only_reported():
    source = DB + "\nclass User(db.Model):\n    pass\n\ndef f(n):\n    return User.query.paginate(n, page=2)\n"
    result = run(source)
    assert result.source == source
    assert "given twice" in result.findings[0].message


def test_a_relationship_or_a_star_call_is_not_provably_a_query():
    """A dynamic relationship (`user.posts`) or a query a function returned (api-pycon2014's
    paginate decorator: `query = f(...)`, then `query.paginate(page, per_page)`, its suite's
    next failure on today's releases) may be Flask-SQLAlchemy's: reported, not rewritten; a
    star call is left alone."""
    source = DB + (
        "\ndef f(user, args):\n    return user.posts.paginate(1, 20), User.query.paginate(*args)\n"
        "\n\ndef g(view, page, per_page):\n    query = view()\n    return query.paginate(page, per_page)\n"
    )
    result = run(source)
    assert result.source == source
    assert [(f.line, f.fix_level, f.message) for f in result.findings] == [
        (6, FixLevel.REPORT, "`paginate()` takes keyword arguments only from Flask-SQLAlchemy 3.0: "
         "pass `page=`, `per_page=`, if `user.posts` is a Flask-SQLAlchemy query, as it may be in "
         "this project; not rewritten: it is not provably one"),
        (11, FixLevel.REPORT, "`paginate()` takes keyword arguments only from Flask-SQLAlchemy 3.0: "
         "pass `page=`, `per_page=`, if `query` is a Flask-SQLAlchemy query, as it may be in "
         "this project; not rewritten: it is not provably one"),
    ]


def test_paginate_look_alikes_are_not_reported():
    """A project without Flask-SQLAlchemy; Flask-SQLAlchemy 3's own `db.paginate(select)`
    (microblog, flaskbb); a class's own `self.paginate(page, limit)` (flask-bones)."""
    sources = [
        "def g(query, page):\n    return query.paginate(page, 20)\n",
        DB + "\ndef g(page):\n    return db.paginate(db.select(User), page=page)\n",
        DB + "\nclass T:\n    def h(self, s):\n        return self.db.paginate(s, page=1)\n\n"
        "    def k(self):\n        self.paginate(1, 20)\n",
    ]
    for source in sources:
        result = run(source)
        assert (result.source, result.findings) == (source, []), source


def test_binary_on_a_db_imported_from_another_module():
    models = "from app import db\n\nclass Upload(db.Model):\n    data = db.Column(db.Binary)\n"
    index = index_from_sources({"app.py": DB, "models.py": models})
    result = fix_code(models, path="models.py", select=("FLK504",), index=index)
    assert result.source == models.replace("db.Binary", "db.LargeBinary")


def test_settings_are_reported_where_set():
    source = "def configure(app):\n    app.config.update(SQLALCHEMY_COMMIT_ON_TEARDOWN=True)\n"
    [finding] = run(source).findings
    assert finding.message.startswith("`SQLALCHEMY_COMMIT_ON_TEARDOWN` is ignored from Flask-SQLAlchemy 3.")
