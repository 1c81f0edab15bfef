"""FLK501 beyond its examples: messages, several modules, triage, and a real session."""

from __future__ import annotations

import ast
import textwrap

from flask_fix import check_paths, fix_code
from flask_fix.codemods.commit_without_rollback import CommitWithoutRollback
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


SWALLOWING_VIEW = dedent(
    """
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.exc import IntegrityError

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        name = db.Column(db.String(40), unique=True)


    @app.post("/users/<name>")
    def add_user(name):
        db.session.add(User(name=name))
        try:
            db.session.commit()
        except IntegrityError:
            pass
        return str(db.session.query(User).count())
    """
)


def test_message_level_and_position():
    result = fix_code(SWALLOWING_VIEW, select=("FLK501",))
    [finding] = result.findings
    assert finding.fix_level is FixLevel.INTENDED
    assert (finding.line, finding.column, finding.end_column) == (19, 9, 28)
    assert finding.message.startswith(
        "`db.session.commit()` can fail, and `except IntegrityError:` carries on without "
        "`db.session.rollback()`: the session stays in the failed transaction"
    )
    assert (
        "PendingRollbackError: \"This Session's transaction has been rolled back due to a "
        "previous exception during flush." in finding.message
    )
    assert "        db.session.rollback()\n        pass\n" in result.source


def test_the_rollback_lets_the_request_use_the_session_again():
    """The same view before and after the fix, on a real Flask-SQLAlchemy session."""
    fixed = fix_code(SWALLOWING_VIEW, select=("FLK501",)).source
    assert fixed != SWALLOWING_VIEW

    def second_insert(source: str, module_name: str):
        namespace = {"__name__": module_name}
        exec(compile(source, f"{module_name}.py", "exec"), namespace)
        app, db = namespace["app"], namespace["db"]
        with app.app_context():
            db.create_all()
        client = app.test_client()
        assert client.post("/users/ada").text == "1"
        return client.post("/users/ada")  # the unique name fails at commit

    before = second_insert(SWALLOWING_VIEW, "flk501_before")
    assert before.status_code == 500  # PendingRollbackError in the count query
    after = second_insert(fixed, "flk501_after")
    assert (after.status_code, after.text) == (200, "1")


PACKAGE = {
    "shop/__init__.py": dedent(
        """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """
    ),
    "shop/models.py": dedent(
        """
        from . import db

        session = db.session
        """
    ),
    "shop/ext.py": dedent(
        """
        from flask_sqlalchemy import SQLAlchemy


        class ShopAlchemy(SQLAlchemy):
            pass
        """
    ),
    "shop/audit.py": dedent(
        """
        from .ext import ShopAlchemy

        audit_db = ShopAlchemy()
        """
    ),
    "shop/cache.py": dedent(
        """
        class Redis:
            pass

        db = Redis()
        """
    ),
}

VIEWS = dedent(
    """
    import shop.models
    from shop import models
    from .audit import audit_db
    from .models import session


    def save():
        try:
            session.commit()
        except Exception:
            return False
        try:
            models.db.session.commit()
        except Exception:
            return False
        try:
            audit_db.session.commit()
        except Exception:
            return False
        return True
    """
)


def test_instances_aliases_and_subclasses_across_modules():
    index = index_from_sources({**PACKAGE, "shop/views.py": VIEWS})
    result = fix_code(VIEWS, path="shop/views.py", select=("FLK501",), index=index)
    assert len(result.findings) == 3
    assert result.source == VIEWS.replace(
        "    except Exception:\n        return False\n    try:\n        models",
        "    except Exception:\n        session.rollback()\n        return False\n"
        "    try:\n        models",
    ).replace(
        "    except Exception:\n        return False\n    try:\n        audit_db",
        "    except Exception:\n        models.db.session.rollback()\n        return False\n"
        "    try:\n        audit_db",
    ).replace(
        "    except Exception:\n        return False\n    return True",
        "    except Exception:\n        audit_db.session.rollback()\n        return False\n"
        "    return True",
    )


def test_a_db_that_is_not_flask_sqlalchemy_is_left_alone():
    source = dedent(
        """
        from .cache import db


        def save():
            try:
                db.session.commit()
            except Exception:
                pass
        """
    )
    index = index_from_sources({**PACKAGE, "shop/views.py": source})
    assert fix_code(source, path="shop/views.py", select=("FLK501",), index=index).findings == []
    assert not CommitWithoutRollback.could_fire_in("shop/views.py", index)


def test_triage():
    index = index_from_sources({**PACKAGE, "shop/views.py": VIEWS, "shop/other.py": "x = 1\n"})
    assert CommitWithoutRollback.could_fire_in("shop/views.py", index)
    assert CommitWithoutRollback.could_fire_in("shop/models.py", index)
    assert not CommitWithoutRollback.could_fire_in("shop/other.py", index)

    def call(code: str) -> ast.Call:
        return ast.parse(code).body[0].value  # type: ignore[attr-defined,return-value]

    assert CommitWithoutRollback.call_could_fire(call("db.session.commit()"))
    assert CommitWithoutRollback.call_could_fire(call("models.db.session.commit()"))
    assert CommitWithoutRollback.call_could_fire(call("session.commit()"))
    assert not CommitWithoutRollback.call_could_fire(call("self.session.commit()"))
    assert not CommitWithoutRollback.call_could_fire(call("repo.commit('msg')"))


def test_one_finding_per_handler_even_with_several_commits():
    source = dedent(
        """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        def save(a, b):
            try:
                db.session.add(a)
                db.session.commit()
                db.session.add(b)
                db.session.commit()
            except Exception:
                return False
            return True
        """
    )
    result = fix_code(source, select=("FLK501",))
    [finding] = result.findings
    assert finding.line == 9
    assert result.source.count("db.session.rollback()") == 1


def test_a_db_read_through_a_dotted_import_reaches_the_rule(tmp_path, monkeypatch):
    # `import shop.models` binds `shop` only: the triage (ProjectIndex.sqlalchemy_users)
    # used to skip the module, so the rule never saw the commit
    files = {
        "setup.cfg": "",
        "shop/__init__.py": "",
        "shop/models.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "jobs.py": dedent(
            """
            import shop.models


            def save():
                try:
                    shop.models.db.session.commit()
                except Exception:
                    pass
            """
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    report = check_paths(["."], select=("FLK501",), jobs=1)
    assert [(f.path, f.line, f.column) for f in report.findings] == [("jobs.py", 6, 9)]
    [edit] = report.findings[0].edits
    assert (edit.line, edit.content) == (8, "        shop.models.db.session.rollback()\n")
