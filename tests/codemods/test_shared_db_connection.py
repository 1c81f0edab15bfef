"""FLK305 shared-db-connection: where the finding goes, what it names, and what stays silent."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel

APP = dedent("""
    {imports}
    from flask import Flask

    app = Flask(__name__)
    {connection}

    def helper():
        return {name}.execute("SELECT 1").fetchone()

    @app.route("/")
    def index():
        return str(helper())
""").lstrip("\n")


def findings(source: str):
    result = fix_code(source, select=("FLK305",))
    assert result.source == source  # report only
    return result.findings


@pytest.mark.parametrize(
    ("imports", "connection", "connector"),
    [
        ("import sqlite3", 'conn = sqlite3.connect("app.db")', "sqlite3.connect"),
        ("import sqlite3 as s", 'conn = s.connect("app.db")', "sqlite3.connect"),
        ("from sqlite3 import connect", 'conn = connect("app.db")', "sqlite3.connect"),
        ("import psycopg2", 'conn = psycopg2.connect("dbname=app")', "psycopg2.connect"),
        ("import MySQLdb", 'conn = MySQLdb.connect(host="db")', "MySQLdb.connect"),
        ("import mysql.connector", "conn = mysql.connector.connect()", "mysql.connector.connect"),
    ],
)
def test_a_driver_connection_a_view_reaches_is_reported(imports, connection, connector):
    [finding] = findings(APP.format(imports=imports, connection=connection, name="conn"))
    assert (finding.code, finding.line, finding.column) == ("FLK305", 5, 1)
    assert finding.fix_level is FixLevel.REPORT
    assert f"by `{connector}()`" in finding.message
    assert "used during requests by `helper()`" in finding.message
    assert "teardown_appcontext" in finding.message
    assert ("SQLite objects created in a thread" in finding.message) == connector.startswith(
        "sqlite3"
    )


def test_a_cursor_of_the_connection_counts():
    source = APP.format(
        imports="import sqlite3",
        connection='conn = sqlite3.connect("app.db")\ncur = conn.cursor()',
        name="cur",
    )
    [finding] = findings(source)
    assert finding.line == 5


@pytest.mark.parametrize(
    ("imports", "connection"),
    [
        # a function of the project named connect
        ("def connect(path):\n    return open(path)", 'conn = connect("app.db")'),
        # not a DB-API driver
        ("import socket", 'conn = socket.create_connection(("db", 5432))'),
        # bound twice: which one a view sees is unknown
        ("import sqlite3", 'conn = sqlite3.connect("a.db")\nconn = sqlite3.connect("b.db")'),
    ],
)
def test_look_alikes_are_silent(imports, connection):
    assert findings(APP.format(imports=imports, connection=connection, name="conn")) == []


def test_no_view_reaches_it():
    source = dedent("""
        import sqlite3
        from flask import Flask

        app = Flask(__name__)
        conn = sqlite3.connect("app.db")

        def main():
            conn.execute("CREATE TABLE t (x)")

        @app.route("/")
        def index():
            return "ok"
    """).lstrip("\n")
    assert findings(source) == []


def test_a_connection_inside_a_view_or_a_factory_is_silent():
    source = dedent("""
        import sqlite3
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            conn = sqlite3.connect("app.db")

            @app.route("/")
            def index():
                return str(conn.execute("SELECT 1").fetchone())

            return app
    """).lstrip("\n")
    # made once per app, in the factory: still shared, but not at import time; not ours
    assert findings(source) == []
