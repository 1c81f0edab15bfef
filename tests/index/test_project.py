"""The ProjectIndex: module names, per-module facts, and routes linked across modules."""

from __future__ import annotations

import ast
import importlib
import pickle
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from flask_fix.index.project import (
    ProjectIndex,
    build_index,
    index_from_sources,
    module_facts,
    module_name_for,
)
from flask_fix.index.facts import AppObject, ImportedName


def index_of(sources: dict[str, str]) -> ProjectIndex:
    return index_from_sources({path: dedent(text) for path, text in sources.items()})


def routes(index: ProjectIndex) -> list[tuple]:
    """(url, endpoint, methods) in registration order, the static route left out."""
    return [
        (r.url, r.endpoint, tuple(sorted(r.methods)))
        for r in sorted(index.routes, key=lambda r: r.order)
        if r.endpoint is None or not r.endpoint.endswith("static")
    ]


def write_tree(root, files: dict[str, str]) -> list[str]:
    paths = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
        paths.append(str(path))
    return paths


# --- module names ---------------------------------------------------------------------


def test_module_name_walks_up_packages(tmp_path):
    paths = write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/mod.py": "",
            "scripts/app.py": "",
        },
    )
    assert [module_name_for(p) for p in paths] == ["pkg", "pkg.sub", "pkg.sub.mod", "app"]


def test_module_name_stops_at_a_folder_without_init(tmp_path):
    (path,) = write_tree(tmp_path, {"src/pkg/__init__.py": ""})
    write_tree(tmp_path, {"src/pkg/views.py": ""})
    assert module_name_for(path) == "pkg"
    assert module_name_for(str(tmp_path / "src/pkg/views.py")) == "pkg.views"


def test_index_from_disk_tree(tmp_path):
    files = {
        "pkg/__init__.py": """
            from flask import Flask
            app = Flask(__name__)
            from .admin import bp
            app.register_blueprint(bp)
        """,
        "pkg/admin.py": """
            from flask import Blueprint
            bp = Blueprint("admin", __name__, url_prefix="/admin")
            @bp.route("/users")
            def users(): ...
        """,
    }
    paths = write_tree(tmp_path, files)
    facts = [module_facts(p, module_name_for(p), ast.parse(Path(p).read_text())) for p in paths]
    index = build_index(facts)
    assert index.modules == {paths[0]: "pkg", paths[1]: "pkg.admin"}
    assert routes(index) == [("/admin/users", "admin.users", ("GET",))]
    assert index.routes[-1].view_path == paths[1]


# --- imports --------------------------------------------------------------------------


def test_relative_imports_resolve_against_the_package():
    source = """
        import os.path
        import flask as f
        from . import views
        from .models import User as U
        from ..shared import helpers
        from ... import too_far
    """
    package = module_facts("pkg/sub/__init__.py", "pkg.sub", ast.parse(dedent(source)))
    module = module_facts("pkg/sub/mod.py", "pkg.sub.mod", ast.parse(dedent(source)))
    assert package.imports == [
        ImportedName("os", "os", None),
        ImportedName("f", "flask", None),
        ImportedName("views", "pkg.sub", "views"),
        ImportedName("U", "pkg.sub.models", "User"),
        ImportedName("helpers", "pkg.shared", "helpers"),
    ]
    assert module.imports == package.imports


def test_relative_import_in_a_top_level_module_is_not_resolved():
    facts = module_facts("app.py", "app", ast.parse("from .views import bp\n"))
    assert facts.imports == []


def test_imports_inside_functions_are_not_module_imports():
    facts = module_facts("m.py", "m", ast.parse("def f():\n    from app import app\n"))
    assert facts.imports == []


# --- apps -----------------------------------------------------------------------------


def test_single_module_app():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)

        @app.route("/")
        def index(): ...

        @app.route("/user/<int:id>", methods=["get", "POST"], endpoint="profile")
        def user(id): ...
        """
        }
    )
    assert index.apps == [AppObject("app.py", "app", "app", 3)]
    assert [(r.url, r.endpoint, r.methods, r.view, r.app) for r in index.routes] == [
        ("/static/<path:filename>", "static", frozenset({"GET"}), None, "app.app"),
        ("/", "index", frozenset({"GET"}), "index", "app.app"),
        ("/user/<int:id>", "profile", frozenset({"GET", "POST"}), "user", "app.app"),
    ]
    assert index.views == frozenset({("app.py", "index"), ("app.py", "user")})
    assert index.is_view("app.py", "user")
    assert all(r.certain for r in index.routes)


def test_import_flask_as_alias():
    index = index_of(
        {
            "app.py": """
        import flask as f
        app = f.Flask(__name__)
        bp = f.Blueprint("b", __name__)
        @app.get("/x")
        def x(): ...
        """
        }
    )
    assert [a.variable for a in index.apps] == ["app"]
    assert [b.variable for b in index.blueprints] == ["bp"]
    assert routes(index) == [("/x", "x", ("GET",))]


def test_a_class_named_flask_is_not_flask():
    index = index_of(
        {
            "app.py": """
        class Flask:
            def __init__(self, name): ...
            def route(self, rule): return lambda f: f
        app = Flask(__name__)
        @app.route("/")
        def index(): ...
        """,
            "other.py": """
        from mylib import Flask
        app = Flask(__name__)
        """,
            "shadow.py": """
        from flask import Flask
        Flask = object
        app = Flask()
        """,
        }
    )
    assert index.apps == []
    assert index.views == frozenset()


def test_flask_shadowed_by_a_parameter_inside_a_function():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        def make(Flask):
            app = Flask(__name__)
        """
        }
    )
    assert index.factory_apps == []


def test_factory_app_routes_and_registrations():
    index = index_of(
        {
            "pkg/__init__.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__, static_folder=None)
            from .views import bp
            app.register_blueprint(bp, url_prefix="/v")

            @app.route("/health")
            def health(): ...
            return app
        """,
            "pkg/views.py": """
        from flask import Blueprint
        bp = Blueprint("views", __name__)
        @bp.route("/")
        def home(): ...
        """,
        }
    )
    assert index.apps == []
    assert index.factory_apps == [
        AppObject("pkg/__init__.py", "pkg", "app", 5, "create_app", static_folder=None,
                  static_url_path=None)
    ]  # fmt: skip
    assert [(r.url, r.endpoint, r.app, r.certain) for r in index.routes] == [
        ("/health", "health", "pkg.create_app.<locals>.app", True),
        ("/v/", "views.home", "pkg.create_app.<locals>.app", True),
    ]
    assert index.views == frozenset(
        {("pkg/__init__.py", "create_app.<locals>.health"), ("pkg/views.py", "home")}
    )


# --- blueprints -----------------------------------------------------------------------

PACKAGE = {
    "__init__.py": """
        from flask import Flask
        app = Flask(__name__)
        from . import views
        from .admin import admin, api
        app.register_blueprint(admin)
        app.register_blueprint(api, url_prefix="/api/v2")
        app.register_blueprint(api, url_prefix="/api/v1", name="api_v1")
    """,
    "views.py": """
        from . import app

        @app.route("/")
        def index(): ...

        @app.route("/about/")
        def about(): ...
    """,
    "admin.py": """
        from flask import Blueprint
        PREFIX = "/admin/"
        admin = Blueprint("admin", __name__, url_prefix=PREFIX)
        api = Blueprint(name="api", import_name=__name__, url_prefix="/ignored")
        users = Blueprint("users", __name__, url_prefix="/users")
        admin.register_blueprint(users)

        @admin.route("/")
        def dashboard(): ...

        @users.route("/<int:id>")
        def show(id): ...

        @api.route("")
        def root(): ...

        @api.route("/items/")
        def items(): ...
    """,
}


def package_index(name: str) -> ProjectIndex:
    return index_from_sources({f"{name}/{file}": dedent(text) for file, text in PACKAGE.items()})


def test_package_blueprints_prefixes_and_names():
    index = package_index("pkg")
    assert routes(index) == [
        ("/", "index", ("GET",)),
        ("/about/", "about", ("GET",)),
        ("/admin/", "admin.dashboard", ("GET",)),
        ("/admin/users/<int:id>", "admin.users.show", ("GET",)),
        ("/api/v2", "api.root", ("GET",)),
        ("/api/v2/items/", "api.items", ("GET",)),
        ("/api/v1", "api_v1.root", ("GET",)),
        ("/api/v1/items/", "api_v1.items", ("GET",)),
    ]
    assert [r.blueprint for r in index.routes if r.view == "show"] == ["admin.users"]
    assert {b.variable: (b.name, b.url_prefix) for b in index.blueprints} == {
        "admin": ("admin", "/admin/"),
        "api": ("api", "/ignored"),
        "users": ("users", "/users"),
    }
    assert index.app_importers == {"pkg/views.py": [ImportedName("app", "pkg", "app")]}


@pytest.fixture
def importable(tmp_path, monkeypatch):
    """Write a package under tmp_path and import it (our own test code) to ask Flask."""
    imported = []

    def load(name: str, files: dict[str, str]):
        write_tree(tmp_path, {f"{name}/{file}": text for file, text in files.items()})
        imported.append(name)
        return importlib.import_module(name)

    monkeypatch.syspath_prepend(str(tmp_path))
    yield load
    for name in list(sys.modules):
        if name.split(".")[0] in imported:
            del sys.modules[name]


def flask_rules(app) -> list[tuple]:
    return [
        (rule.rule, rule.endpoint, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"})))
        for rule in app.url_map.iter_rules()
    ]


def index_rules(index: ProjectIndex) -> list[tuple]:
    return [
        (r.url, r.endpoint, tuple(sorted(r.methods)))
        for r in sorted(index.routes, key=lambda r: r.order)
    ]


def test_package_urls_agree_with_flask(importable):
    module = importable("ffx_package", PACKAGE)
    assert index_rules(package_index("ffx_package")) == flask_rules(module.app)


EDGE_CASES = {
    "__init__.py": """
        import os
        from flask import Flask, Blueprint
        from flask.views import MethodView, View

        BASE = os.path.dirname(__file__)
        app = Flask(__name__, static_folder=os.path.join(BASE, "public"))

        outer = Blueprint("outer", __name__, url_prefix="/o/")
        inner = Blueprint("inner", __name__)
        leaf = Blueprint("leaf", __name__, url_prefix="leaf", static_folder="files")
        inner.register_blueprint(leaf, url_prefix="/l/")
        outer.register_blueprint(inner, url_prefix="i")
        outer.register_blueprint(inner, name="again")

        @leaf.get("")
        def leaf_index(): ...

        @inner.post("/save")
        @inner.route("/save/<path:rest>", methods=("GET", "PUT"))
        def save(rest=None): ...

        class Base(MethodView):
            def get(self): ...

        class Items(Base):
            def delete(self): ...

        class Plain(View):
            methods = ["POST"]
            def dispatch_request(self): ...

        def listing(): ...

        app.add_url_rule("/items", view_func=Items.as_view("items"))
        app.add_url_rule("/plain", "plain", Plain.as_view("ignored"))
        app.add_url_rule(rule="/list", view_func=listing, strict_slashes=False)
        app.register_blueprint(outer)
    """,
}


def test_nested_blueprints_and_class_views_agree_with_flask(importable):
    module = importable("ffx_edges", EDGE_CASES)
    index = index_from_sources({f"ffx_edges/{f}": dedent(t) for f, t in EDGE_CASES.items()})
    assert index_rules(index) == flask_rules(module.app)
    assert ("/o/i/l/files/<path:filename>", "outer.inner.leaf.static") in {
        (r.url, r.endpoint) for r in index.routes
    }


def test_stacked_decorators_register_bottom_up():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/a")
        @app.route("/b")
        @login_required
        @app.route("/c")
        def view(): ...
        """
        }
    )
    assert [r.url for r in index.routes if r.view == "view"] == ["/c", "/b", "/a"]
    assert [r.order for r in index.routes] == [0, 1, 2, 3]


def test_get_and_post_shortcuts_imply_methods():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)
        @app.get("/g")
        def g(): ...
        @app.post("/p")
        def p(): ...
        @app.put("/u")
        def u(): ...
        @app.patch("/a")
        def a(): ...
        @app.delete("/d")
        def d(): ...
        """
        }
    )
    assert routes(index) == [
        ("/g", "g", ("GET",)),
        ("/p", "p", ("POST",)),
        ("/u", "u", ("PUT",)),
        ("/a", "a", ("PATCH",)),
        ("/d", "d", ("DELETE",)),
    ]


def test_add_url_rule_forms():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        from views import show as display, UserAPI
        app = Flask(__name__)
        def index(): ...
        app.add_url_rule("/", "home", index)
        app.add_url_rule("/index", view_func=index)
        app.add_url_rule("/show", view_func=display, methods=["POST"])
        app.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))
        app.add_url_rule("/later", endpoint="later")
        app.add_url_rule("/lambda", view_func=lambda: "")
        """,
            "views.py": """
        from flask.views import MethodView
        def show(): ...
        class UserAPI(MethodView):
            def get(self, id): ...
            def put(self, id): ...
        """,
        }
    )
    assert [(r.url, r.endpoint, r.methods, r.view, r.view_path) for r in index.routes[1:]] == [
        ("/", "home", frozenset({"GET"}), "index", "app.py"),
        ("/index", "index", frozenset({"GET"}), "index", "app.py"),
        ("/show", "show", frozenset({"POST"}), "show", "views.py"),
        ("/users/<int:id>", "user", frozenset({"GET", "PUT"}), "UserAPI", "views.py"),
        ("/later", "later", frozenset({"GET"}), None, None),
        ("/lambda", None, frozenset({"GET"}), None, None),
    ]
    assert index.views == frozenset(
        {
            ("app.py", "index"),
            ("views.py", "show"),
            ("views.py", "UserAPI.get"),
            ("views.py", "UserAPI.put"),
        }
    )


def test_method_view_methods_are_views_only_for_view_classes():
    index = index_of(
        {
            "api.py": """
        from flask import views
        import flask.views

        class Base(views.MethodView):
            def get(self): ...
        class Child(Base):
            def post(self): ...
            def helper(self): ...
        class Templated(flask.views.View):
            def dispatch_request(self): ...
        class NotAView:
            def get(self): ...
        class Other(dict):
            def get(self): ...
        """
        }
    )
    assert index.views == frozenset(
        {
            ("api.py", "Base.get"),
            ("api.py", "Child.post"),
            ("api.py", "Templated.dispatch_request"),
        }
    )


def test_nested_function_views_use_libcst_qualified_names():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)
        def register():
            @app.route("/inner")
            def inner(): ...
        class Holder:
            @app.route("/method")
            def method(self): ...
        """
        }
    )
    assert index.views == frozenset(
        {("app.py", "register.<locals>.inner"), ("app.py", "Holder.method")}
    )


# --- what cannot be known -------------------------------------------------------------


def test_blueprint_never_registered_is_uncertain():
    index = index_of(
        {
            "bp.py": """
        from flask import Blueprint
        bp = Blueprint("bp", __name__, url_prefix="/bp")
        @bp.route("/x")
        def x(): ...
        """
        }
    )
    assert [(r.url, r.endpoint, r.certain, r.app) for r in index.routes] == [
        ("/bp/x", "bp.x", False, None)
    ]
    assert index.views == frozenset({("bp.py", "x")})


def test_unknown_prefixes_and_names():
    index = index_of(
        {
            "app.py": """
        import os
        from flask import Flask, Blueprint
        app = Flask(__name__)
        a = Blueprint("a", __name__, url_prefix=os.environ["PREFIX"])
        b = Blueprint(get_name(), __name__)
        c = Blueprint("c", __name__)
        @a.route("/x")
        def x(): ...
        @b.route("/y")
        def y(): ...
        @c.route("/z")
        def z(): ...
        app.register_blueprint(a)
        app.register_blueprint(b, url_prefix="/b")
        app.register_blueprint(c, url_prefix=settings.PREFIX, name=settings.NAME)
        """
        }
    )
    assert [(r.rule, r.url, r.endpoint, r.certain) for r in index.routes[1:]] == [
        ("/x", None, "a.x", True),
        ("/y", "/b/y", None, True),
        ("/z", None, None, True),
    ]


def test_constant_prefixes_are_evaluated():
    index = index_of(
        {
            "app.py": """
        from flask import Flask, Blueprint
        VERSION = "v1"
        API = f"/api/{VERSION}"
        app = Flask(__name__)
        bp = Blueprint("api", __name__, url_prefix=API + "/")
        @bp.route(f"/items")
        def items(): ...
        app.register_blueprint(bp)
        """
        }
    )
    assert routes(index) == [("/api/v1/items", "api.items", ("GET",))]


def test_registration_on_a_parameter_is_uncertain():
    index = index_of(
        {
            "pkg/__init__.py": """
        from .views import bp
        def init_app(app):
            app.register_blueprint(bp, url_prefix="/p")
        """,
            "pkg/views.py": """
        from flask import Blueprint
        bp = Blueprint("views", __name__)
        @bp.route("/x")
        def x(): ...
        """,
        }
    )
    assert [(r.url, r.endpoint, r.certain) for r in index.routes] == [("/p/x", "views.x", False)]


def test_routes_on_unknown_targets_are_kept_uncertain_but_are_not_views():
    index = index_of(
        {
            "views.py": """
        def init(app):
            @app.route("/x")
            def x(): ...
            app.add_url_rule("/y", "y")
        @router.get("/z")
        def z(): ...
        @cache.get(key)
        def w(): ...
        """
        }
    )
    assert [(r.rule, r.url, r.endpoint, r.certain) for r in index.routes] == [
        ("/x", None, None, False),
        ("/y", None, None, False),
        ("/z", None, None, False),
    ]
    assert index.views == frozenset()


def test_options_we_do_not_model_make_routes_uncertain():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/a", subdomain="api")
        def a(): ...
        @app.route("/b", methods=METHODS)
        def b(): ...
        @app.route("/c", **options)
        def c(): ...
        @app.route("/d", defaults={"page": 1}, strict_slashes=False)
        def d(): ...
        """
        }
    )
    assert [(r.url, r.certain, r.has_defaults, r.strict_slashes) for r in index.routes[1:]] == [
        ("/a", False, False, True),
        ("/b", False, False, True),
        ("/c", False, False, True),
        ("/d", True, True, False),
    ]
    assert index.routes[2].methods == frozenset()


def test_static_routes():
    index = index_of(
        {
            "a.py": """
        from flask import Flask
        app = Flask(__name__, static_url_path="/assets/")
        """,
            "b.py": """
        from flask import Flask
        app = Flask(__name__, static_folder=None)
        """,
            "c.py": """
        from flask import Flask
        app = Flask(__name__, static_folder=folder())
        """,
        }
    )
    assert [(r.url, r.endpoint, r.app) for r in index.routes] == [
        ("/assets/<path:filename>", "static", "a.app"),
        (None, "static", "c.app"),
    ]


# --- who imports the app --------------------------------------------------------------


def test_app_importers():
    index = index_of(
        {
            "app.py": """
        from flask import Flask
        app = Flask(__name__)
        """,
            "pkg/__init__.py": """
        from flask import Flask
        application = Flask(__name__)
        app = application
        """,
            "a.py": "from app import app\n",
            "b.py": "from pkg import app as the_app\n",
            "c.py": "import app\napp.app.config['X'] = 1\n",
            "d.py": "import app\nprint(app.Flask)\n",
            "e.py": "from app import Flask\n",
            "f.py": "def f():\n    from app import app\n",
        }
    )
    assert index.app_importers == {
        "a.py": [ImportedName("app", "app", "app")],
        "b.py": [ImportedName("the_app", "pkg", "app")],
        "c.py": [ImportedName("app", "app", None)],
    }


def test_same_module_name_in_two_folders_resolves_to_the_nearest():
    index = index_of(
        {
            "one/app.py": """
        from flask import Flask
        app = Flask(__name__)
        """,
            "one/views.py": """
        from app import app
        @app.route("/one")
        def one(): ...
        """,
            "two/app.py": """
        from flask import Flask
        app = Flask(__name__, static_folder=None)
        """,
            "two/views.py": """
        from app import app
        @app.route("/two")
        def two(): ...
        """,
        }
    )
    assert {(r.url, r.path) for r in index.routes if r.endpoint != "static"} == {
        ("/one", "one/views.py"),
        ("/two", "two/views.py"),
    }
    assert {r.path for r in index.routes if r.endpoint == "static"} == {"one/app.py"}
    assert {r.view_path for r in index.routes if r.url == "/two"} == {"two/views.py"}


def test_facts_and_index_pickle():
    index = package_index("pkg")
    facts = module_facts("m.py", "m", ast.parse(dedent(PACKAGE["admin.py"])))
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert pickle.loads(pickle.dumps(index)) == index


# --- modules using a Flask-SQLAlchemy object (FLK501's triage) ------------------------------

DB_MODULE = "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"
COMMIT = "\n\ndef save():\n    {db}.session.commit()\n"


PACKAGE_DB = {"pkg/__init__.py": "from .models import db\n", "pkg/models.py": DB_MODULE}
PLAIN_PACKAGE = {"pkg/__init__.py": "", "pkg/models.py": DB_MODULE}


@pytest.mark.parametrize(
    ("sources", "users"),
    [
        ({"app.py": DB_MODULE, "views.py": "from app import db" + COMMIT.format(db="db")},
         {"app.py", "views.py"}),
        ({"app.py": DB_MODULE, "views.py": "from app import db as database" + COMMIT.format(db="database")},
         {"app.py", "views.py"}),
        ({"app.py": DB_MODULE, "views.py": "import app" + COMMIT.format(db="app.db")},
         {"app.py", "views.py"}),
        ({"app.py": DB_MODULE, "views.py": "import app as a" + COMMIT.format(db="a.db")},
         {"app.py", "views.py"}),
        # a package re-exporting it (`from .models import db` in its __init__)
        ({**PACKAGE_DB, "views.py": "from pkg import db" + COMMIT.format(db="db")},
         {"pkg/__init__.py", "pkg/models.py", "views.py"}),
        ({**PACKAGE_DB, "views.py": "import pkg" + COMMIT.format(db="pkg.db")},
         {"pkg/__init__.py", "pkg/models.py", "views.py"}),
        ({**PLAIN_PACKAGE, "views.py": "from pkg import models" + COMMIT.format(db="models.db")},
         {"pkg/models.py", "views.py"}),
        # `import pkg.models` binds only `pkg`: the db is read through the dotted name
        ({**PLAIN_PACKAGE, "views.py": "import pkg.models" + COMMIT.format(db="pkg.models.db")},
         {"pkg/models.py", "views.py"}),
        ({"app.py": DB_MODULE + "session = db.session\n",
          "views.py": "import app\n\n\ndef save():\n    app.session.commit()\n"},
         {"app.py", "views.py"}),
    ],
)  # fmt: skip
def test_sqlalchemy_users_follow_every_import_shape(sources, users):
    assert index_of(sources).sqlalchemy_users == users


def test_a_module_importing_another_db_is_no_sqlalchemy_user():
    index = index_of(
        {
            "app.py": DB_MODULE,
            "cache.py": "class Redis:\n    pass\n\ndb = Redis()\n",
            "views.py": "from cache import db" + COMMIT.format(db="db"),
            "scripts.py": "import cache" + COMMIT.format(db="cache.db"),
        }
    )
    assert index.sqlalchemy_names == {"app.db"}
    assert index.sqlalchemy_users == {"app.py"}


# --- star imports ----------------------------------------------------------------------

STAR_DB = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"
MODEL = "from app import db\n\n\nclass {name}(db.Model):\n    pass\n"


def test_star_reexports_of_a_models_package():
    # flask-base's app/models/__init__.py: `from .user import *` then the views import
    # `from app.models import User`
    index = index_of(
        {
            "app/__init__.py": STAR_DB,
            "app/models/__init__.py": "from .user import *  # noqa\nfrom .misc import *\n",
            "app/models/user.py": MODEL.format(name="User") + MODEL.format(name="_Hidden")[19:],
            "app/models/misc.py": "__all__ = ['Page']\n" + MODEL.format(name="Page")
            + MODEL.format(name="Other")[19:],
        }
    )
    assert sorted(index.contexts.models) == [
        "app.models.Page",
        "app.models.User",
        "app.models.misc.Other",
        "app.models.misc.Page",
        "app.models.user.User",
        "app.models.user._Hidden",
    ]
    # without `__all__` a star import binds what the module imported too
    assert index.sqlalchemy_names == {
        "app.db", "app.models.db", "app.models.user.db", "app.models.misc.db"
    }  # fmt: skip


def test_star_imports_nested_later_wins_and_own_bindings_win():
    index = index_of(
        {
            "app/__init__.py": STAR_DB,
            "app/base.py": MODEL.format(name="Base") + "\nclass Shadowed(db.Model):\n    pass\n",
            "app/users.py": "from .base import *\n" + MODEL.format(name="User")[19:],
            "app/other.py": "class User:\n    pass\n",
            # `__all__` built in two literal steps is read; the later star import wins
            "app/models.py": "from .other import *\nfrom .users import *\n"
            "from .plain import Shadowed\n",
            "app/plain.py": "class Shadowed:\n    pass\n",
            "app/listed.py": "from .base import *\n__all__ = ['Base']\n__all__ += ('Shadowed',)\n",
            "app/reexport.py": "from .listed import *\n",
        }
    )
    models = index.contexts.models
    assert {"app.models.User", "app.models.Base", "app.users.Base"} <= models
    assert "app.models.Shadowed" not in models  # bound by the module itself
    assert {"app.reexport.Base", "app.reexport.Shadowed"} <= models


@pytest.mark.parametrize(
    "init",
    [
        "from .user import *\n__all__ = names()\n",  # `__all__` not a literal: public names
        "from .user import *\n__all__ = ['User']\n__all__ += more\n",
    ],
)
def test_an_unreadable_all_falls_back_to_the_public_names(init):
    index = index_of(
        {
            "app/__init__.py": STAR_DB,
            "app/user.py": MODEL.format(name="User"),
            "app/models.py": "from .reexport import *\n",
            "app/reexport.py": init,
        }
    )
    assert {"app.models.User", "app.reexport.User"} <= index.contexts.models


def test_star_import_look_alikes():
    index = index_of(
        {
            "app/__init__.py": STAR_DB,
            "app/user.py": MODEL.format(name="User") + "__all__ = ['db']\n",
            "app/models.py": "from .user import *\n",  # `__all__` leaves User out
            "app/cycle_a.py": "from .cycle_b import *\nclass A:\n    pass\n",
            "app/cycle_b.py": "from .cycle_a import *\n",
            "app/external.py": "from flask_sqlalchemy import *\nfrom .missing import *\n",
        }
    )
    assert index.contexts.models == {"app.user.User"}
    assert index.sqlalchemy_names == {"app.db", "app.user.db", "app.models.db"}
    facts = module_facts("app/cycle_a.py", "app.cycle_a", ast.parse("from .cycle_b import *\n"))
    assert facts.star_imports == ["app.cycle_b"]
