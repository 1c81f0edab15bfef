"""FLK305 shared-db-connection."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import GlobalScope, ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Rule
from ..rewrite.module_layout import is_main_test
from ..rewrite.names import enclosing_function, qualified_name

#: DB-API `connect()` functions: each call opens one connection
CONNECTORS = frozenset(
    {
        "sqlite3.connect",
        "sqlite3.dbapi2.connect",
        "psycopg2.connect",
        "psycopg.connect",
        "psycopg.Connection.connect",
        "pymysql.connect",
        "pymysql.Connect",
        "pymysql.connections.Connection",
        "MySQLdb.connect",
        "MySQLdb.Connect",
        "mysql.connector.connect",
        "cx_Oracle.connect",
        "oracledb.connect",
        "pyodbc.connect",
        "pymssql.connect",
    }
)
DRIVERS = frozenset(name.split(".")[0] for name in CONNECTORS)
# methods of a connection that return an object bound to it (a module-level cursor)
CURSOR_METHODS = frozenset({"cursor"})
SQLITE_THREADS = (
    'SQLite refuses it from another thread: "SQLite objects created in a thread can only be '
    'used in that same thread."'
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class SharedDbConnection(Rule):
    """
    What it does:
        Finds a database connection opened at import time, at module level (outside
        `if __name__ == '__main__':`), by a DB-API driver's `connect()` (`sqlite3`,
        `psycopg2`, `psycopg`, `pymysql`, `MySQLdb`, `mysql.connector`, `cx_Oracle`,
        `oracledb`, `pyodbc`, `pymssql`, however imported), and used by a view: by a
        function the project routes to, or by a function of the same module a view calls
        (followed call by call). A module-level cursor of that connection counts as the
        connection.

    Why is this bad?:
        The module is imported once per worker process, so every request of every thread
        shares one connection, and its one transaction: one request's uncommitted writes
        are visible to the others, a rollback undoes them all, and a failed statement
        leaves the connection unusable for everyone until the process restarts. Drivers
        are not safe to share between threads (psycopg2 serialises them, MySQLdb and
        PyMySQL corrupt the protocol), and SQLite refuses it from another thread:
        "SQLite objects created in a thread can only be used in that same thread." A
        connection the server closes when idle is never reopened.

    Example:
        db = sqlite3.connect("app.db")

        @app.route("/notes")
        def notes():
            return {"notes": db.execute("SELECT text FROM notes").fetchall()}

    Use instead:
        def get_db():
            if "db" not in g:
                g.db = sqlite3.connect(current_app.config["DATABASE"])
            return g.db

        @app.teardown_appcontext
        def close_db(exception):
            db = g.pop("db", None)
            if db is not None:
                db.close()

        @app.route("/notes")
        def notes():
            return {"notes": get_db().execute("SELECT text FROM notes").fetchall()}

    Fix safety:
        Report only: where the connection's settings come from and when it is closed
        are the program's to decide (Flask's tutorial opens it in `g` and closes it in
        `teardown_appcontext`; a pool such as SQLAlchemy's is the other way). Not
        reported: a connection opened inside a function (`get_db()`), or under the
        `__main__` guard; one used only by functions no view reaches (a script's
        `main()`, a CLI command); a name bound more than once (`conn = None` then
        assigned again), since which connection a view sees is not known. Uses through
        another module (`from db import conn` in the views' module) are not followed.
    """

    code = "FLK305"
    name = "shared-db-connection"
    fix_level = FixLevel.REPORT
    summary = "Open a database connection per request in `g`, not once at import time."
    triggers = (b"connect(", b"Connect(", b"Connection(")
    called_names = frozenset({"connect", "Connect", "Connection"})
    required_imports = DRIVERS
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return index.has_views(path)

    valid = (
        # Flask's tutorial: one connection per request, in g
        _code("""
            import sqlite3
            from flask import Flask, g

            app = Flask(__name__)

            def get_db():
                if "db" not in g:
                    g.db = sqlite3.connect("app.db")
                return g.db

            @app.route("/")
            def index():
                return str(get_db().execute("SELECT 1").fetchone())
        """),
        # a script: the connection exists only when run directly
        _code("""
            import sqlite3
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def index():
                return "ok"

            if __name__ == "__main__":
                conn = sqlite3.connect("app.db")
                conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
        """),
        # module level, but only a CLI-like function uses it, never a view
        _code("""
            import sqlite3
            from flask import Flask

            app = Flask(__name__)
            conn = sqlite3.connect("app.db")

            def init_db():
                conn.execute("CREATE TABLE t (x)")

            @app.route("/")
            def index():
                return "ok"
        """),
        # a project function named connect: not a driver's
        _code("""
            from flask import Flask

            app = Flask(__name__)

            def connect(path):
                return {"path": path}

            conn = connect("app.db")

            @app.route("/")
            def index():
                return conn["path"]
        """),
        # a local parameter shadows the module-level connection
        _code("""
            import sqlite3
            from flask import Flask

            app = Flask(__name__)
            conn = sqlite3.connect("app.db")

            def query(conn):
                return conn.execute("SELECT 1").fetchone()

            @app.route("/")
            def index():
                return str(query(sqlite3.connect("other.db")))
        """),
    )
    invalid = (
        Example(
            _code("""
                import sqlite3 as s
                from flask import Flask

                app = Flask(__name__)
                conn = s.connect("app.db", check_same_thread=False)

                @app.route("/")
                def index():
                    return str(conn.execute("SELECT 1").fetchone())
            """)
        ),
        # a module-level cursor, used by a helper a view calls
        Example(
            _code("""
                from flask import Flask
                from pymysql import connect

                app = Flask(__name__)
                db = connect(host="db", user="app")
                cursor = db.cursor()

                def fetch(sql):
                    cursor.execute(sql)
                    return cursor.fetchall()

                @app.get("/users")
                def users():
                    return {"users": fetch("SELECT name FROM users")}
            """)
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # module-level name -> (the assignment, the connector's qualified name)
        self._connections: dict[str, tuple[cst.Assign, str]] = {}
        self._cursors: dict[str, tuple[cst.Assign, str]] = {}  # name -> (assign, connection)
        self._main_guards = 0
        self._depth = 0  # functions and classes entered
        # module function -> names of module functions it calls
        self._calls: dict[str, set[str]] = {}
        self._global_scope: GlobalScope | None = None

    def visit_Module(self, node: cst.Module) -> None:
        scope = self.get_metadata(ScopeProvider, node, None)
        self._global_scope = scope if isinstance(scope, GlobalScope) else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    def visit_If(self, node: cst.If) -> None:
        self._main_guards += is_main_test(node.test)

    def leave_If(self, original_node: cst.If) -> None:
        self._main_guards -= is_main_test(original_node.test)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._depth or self._main_guards or len(node.targets) != 1:
            return
        target = node.targets[0].target
        value = node.value
        if not isinstance(target, cst.Name) or not isinstance(value, cst.Call):
            return
        func = value.func
        if isinstance(func, (cst.Name, cst.Attribute)):
            connector = qualified_name(self, func)
            if connector in CONNECTORS:
                self._connections[target.value] = (node, connector)
                return
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in CURSOR_METHODS
            and isinstance(func.value, cst.Name)
            and func.value.value in self._connections
            and self._bound_once(func.value.value)
        ):
            self._cursors[target.value] = (node, func.value.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Name) or self._global_scope is None:
            return
        function = enclosing_function(self, node)
        if function is None:
            return
        scope = self.get_metadata(ScopeProvider, node.func, None)
        if scope is None:
            return
        bindings = list(scope[node.func.value])
        if len(bindings) == 1 and isinstance(getattr(bindings[0], "node", None), cst.FunctionDef) and (
            bindings[0].scope is self._global_scope
        ):
            self._calls.setdefault(function, set()).add(node.func.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not (self._connections and self._global_scope is not None):
            return
        reached = self._reached_from_views()
        for name, (assign, connector) in self._connections.items():
            if not self._bound_once(name):
                continue
            users = self._users(name, reached)
            for cursor, (_, of) in self._cursors.items():
                if of == name and self._bound_once(cursor):
                    users |= self._users(cursor, reached)
            if not users:
                continue
            shown = ", ".join(f"`{u}()`" for u in sorted(users)[:3])
            more = f" and {len(users) - 3} more" if len(users) > 3 else ""
            sqlite = ""
            if connector.startswith("sqlite3."):
                sqlite = (
                    "; `check_same_thread=False` only turns off SQLite's check that it is "
                    "not shared between threads"
                    if _passes_false(assign.value, "check_same_thread")
                    else f"; {SQLITE_THREADS}"
                )
            self.report(
                assign,
                f"`{name}` is a database connection opened once, at import time, by "
                f"`{connector}()`, and used during requests by {shown}{more}: every request "
                f"and thread of the worker shares it and its transaction{sqlite}; open a "
                "connection per request in `g` (a `get_db()` helper) and close it in "
                "`teardown_appcontext`, as Flask's tutorial does",
            )

    # helpers

    def _bound_once(self, name: str) -> bool:
        scope = self._global_scope
        return scope is not None and len(list(scope.assignments[name])) == 1

    def _accesses(self, name: str) -> list:
        """Every read of the module-level `name`, in this scope or a nested one."""
        scope = self._global_scope
        assert scope is not None
        return [a for assignment in scope.assignments[name] for a in assignment.references]

    def _users(self, name: str, reached: set[str]) -> set[str]:
        """The functions reached from views that read the module-level `name`."""
        users = set()
        for access in self._accesses(name):
            function = enclosing_function(self, access.node)
            if function is not None and function in reached:
                users.add(function)
        return users

    def _reached_from_views(self) -> set[str]:
        index = self.context.index
        path = self.context.path
        functions = set(self._calls) | {f for called in self._calls.values() for f in called}
        views = {f for f in functions if index.is_view(path, f)}
        # views that call nothing of the module are not in _calls: ask for every access
        views |= self._views_among_accessors()
        reached = set(views)
        todo = list(views)
        while todo:
            for callee in self._calls.get(todo.pop(), ()):
                if callee not in reached:
                    reached.add(callee)
                    todo.append(callee)
        return reached

    def _views_among_accessors(self) -> set[str]:
        index = self.context.index
        found = set()
        for name in (*self._connections, *self._cursors):
            for access in self._accesses(name):
                function = enclosing_function(self, access.node)
                if function is not None and index.is_view(self.context.path, function):
                    found.add(function)
        return found


def _passes_false(call: cst.BaseExpression, keyword: str) -> bool:
    return isinstance(call, cst.Call) and any(
        a.keyword is not None
        and a.keyword.value == keyword
        and isinstance(a.value, cst.Name)
        and a.value.value == "False"
        for a in call.args
    )
