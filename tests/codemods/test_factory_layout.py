"""Blank lines where FLK201 removes and adds top-level statements (module_layout.py): the
imports, one blank line (two before a def or class), then the code; the blank lines the
user wrote are never lost. Each shape was seen on a real project (discover-flask, HexoSM)
or is its smallest neighbour; each conversion is checked to parse and to be stable."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest

from flask_fix.codemods.app_factory import AppFactory
from flask_fix.rewrite.module_layout import ModuleBody
from flask_fix.run.transforms import transform_sources

FACTORY_BODY = """\
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
"""


def _convert(sources: dict[str, str]) -> dict[str, str]:
    after, _ = transform_sources(
        AppFactory, {p: textwrap.dedent(t) for p, t in sources.items()}, apply=True
    )
    for text in after.values():
        ast.parse(text)
    again, findings = transform_sources(AppFactory, after, apply=True)
    assert again == after and findings == []
    return after


def _expected(text: str) -> str:
    return textwrap.dedent(text).replace("    <config>\n", FACTORY_BODY)


def test_code_after_a_removed_app_keeps_the_blank_line_below_the_imports():
    # discover-flask: the app and its banner comment go; `bcrypt = Bcrypt(app)` stays, split
    after = _convert(
        {
            "app.py": """\
                from flask import Flask
                from flask_bcrypt import Bcrypt
                import os

                ################
                #### config ####
                ################

                app = Flask(__name__)
                bcrypt = Bcrypt(app)
                app.config.from_object(os.environ['APP_SETTINGS'])


                @bcrypt.user_loader
                def load_user(user_id):
                    return None
            """
        }
    )
    assert after["app.py"] == _expected(
        """\
        from flask import Flask
        from flask_bcrypt import Bcrypt
        import os

        bcrypt = Bcrypt()


        @bcrypt.user_loader
        def load_user(user_id):
            return None


        def create_app(config=None):
            ################
            #### config ####
            ################
            app = Flask(__name__)
            bcrypt.init_app(app)
            app.config.from_object(os.environ['APP_SETTINGS'])
            <config>
            return app
        """
    )


def test_a_def_left_right_below_imports_gets_two_blank_lines():
    # HexoSM: the registrations between the late imports and the first view go
    after = _convert(
        {
            "app.py": """\
                from flask import Flask, send_file

                app = Flask(__name__)
                app.config["SECRET_KEY"] = "x"

                from views import bp

                app.register_blueprint(bp)

                @app.route("/sw.js")
                def retsw():
                    return send_file("sw.js")
            """,
            "views.py": 'from flask import Blueprint\n\nbp = Blueprint("views", __name__)\n',
        }
    )
    assert after["app.py"] == _expected(
        """\
        from flask import Blueprint, Flask, send_file

        main_bp = Blueprint("main", __name__)

        from views import bp


        @main_bp.route("/sw.js")
        def retsw():
            return send_file("sw.js")


        def create_app(config=None):
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "x"
            <config>
            app.register_blueprint(bp)
            app.register_blueprint(main_bp)
            return app
        """
    )


def test_code_written_right_below_the_app_gets_the_app_s_blank_line():
    after = _convert(
        {
            "app.py": """\
                import logging
                from flask import Flask

                app = Flask(__name__)
                app.config["DEBUG"] = True
                log = logging.getLogger(__name__)
            """
        }
    )
    assert after["app.py"] == _expected(
        """\
        import logging
        from flask import Flask

        log = logging.getLogger(__name__)


        def create_app(config=None):
            app = Flask(__name__)
            app.config["DEBUG"] = True
            <config>
            return app
        """
    )


def test_the_blank_lines_the_user_wrote_are_kept():
    after = _convert(
        {
            "app.py": """\
                from flask import Flask


                app = Flask(__name__)



                x = 1
            """
        }
    )
    assert after["app.py"] == _expected(
        """\
        from flask import Flask



        x = 1


        def create_app(config=None):
            app = Flask(__name__)
            <config>
            return app
        """
    )


def test_a_views_module_s_first_view_is_two_blank_lines_below_its_new_blueprint():
    after = _convert(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\nimport views\n",
            "views.py": """\
                from flask import render_template
                from app import app

                @app.route("/")
                def index():
                    return render_template("index.html")
            """,
        }
    )
    assert after["views.py"] == textwrap.dedent(
        """\
        from flask import Blueprint, render_template

        bp = Blueprint("views", __name__)


        @bp.route("/")
        def index():
            return render_template("index.html")
        """
    )


def test_a_module_whose_only_import_was_the_app_gets_current_app_above_its_code():
    after = _convert(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\nimport helpers\n",
            "helpers.py": "from app import app\n\ndef name():\n    return app.name\n",
        }
    )
    assert after["helpers.py"] == (
        "from flask import current_app\n\n\ndef name():\n    return current_app.name\n"
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (  # already right: the code keeps its blank lines below the new statement
            "from app import app\n\n\nif __name__ == '__main__':\n    app.run()\n",
            (
                "from app import create_app\n\napp = create_app()\n\n\n"
                "if __name__ == '__main__':\n    app.run()\n"
            ),
        ),
        (  # a class written one blank line below the imports: two below the new statement
            "import os\nfrom app import app\n\nclass Middleware:\n    pass\n",
            (
                "import os\nfrom app import create_app\n\napp = create_app()\n\n\n"
                "class Middleware:\n    pass\n"
            ),
        ),
        (  # code written right below the imports stays right below the new statement
            "from app import app\nprint(app.name)\n",
            "from app import create_app\n\napp = create_app()\nprint(app.name)\n",
        ),
    ],
)
def test_an_entry_point_s_new_app_statement_sits_between_imports_and_code(entry, expected):
    after = _convert(
        {"app.py": "from flask import Flask\n\napp = Flask(__name__)\n", "run.py": entry}
    )
    assert after["run.py"] == expected


def test_gaps_between_statements_that_stay_neighbours_are_untouched():
    module = cst.parse_module("import os\nx = 1\ny = 2\n\n\n\nz = 3\n")
    body = ModuleBody()
    for statement in module.body:
        body.keep(statement)
    assert module.with_changes(body=body.statements).code == module.code


def test_removing_the_first_statements_leaves_no_blank_lines_on_top():
    module = cst.parse_module("import os\n\n\nx = 1\n")
    body = ModuleBody()
    body.drop(module.body[0])
    body.keep(module.body[1])
    assert module.with_changes(body=body.statements).code == "x = 1\n"


def test_comments_keep_their_place_below_the_blank_lines():
    module = cst.parse_module("import os\napp = 1\n# the view\n\n# really\ndef f():\n    pass\n")
    body = ModuleBody()
    body.keep(module.body[0])
    body.drop(module.body[1])
    body.keep(module.body[2])
    assert module.with_changes(body=body.statements).code == (
        "import os\n\n\n# the view\n\n# really\ndef f():\n    pass\n"
    )
