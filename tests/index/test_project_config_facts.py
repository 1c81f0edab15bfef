"""ProjectIndex facts for the FLK4 rules: apps made by factories, Flask subclasses, config
objects loaded by from_object/from_pyfile, and whether a secret key may be set."""

from __future__ import annotations

from textwrap import dedent

from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def test_apps_factories_and_subclasses():
    index = index_from_sources(
        {
            "pkg/__init__.py": "from .factory import create_app, Site\n",
            "pkg/factory.py": code("""
                from flask import Flask

                class Site(Flask):
                    pass

                def create_app():
                    app = Flask(__name__)
                    return app

                def make_site():
                    return Site(__name__)

                def configure():
                    app = Flask(__name__)
            """),
            "wsgi.py": code("""
                from pkg import create_app
                from pkg.factory import make_site

                application = create_app()
                site = make_site()
                other = len([])
            """),
        }
    )
    # every name a factory can be imported under (a module's imports re-export)
    assert index.app_factories == {
        "pkg.factory.create_app",
        "pkg.factory.make_site",
        "pkg.create_app",
        "wsgi.create_app",
        "wsgi.make_site",
    }
    assert index.flask_classes == {"pkg.factory.Site", "pkg.Site"}
    assert index.app_names == {"wsgi.application", "wsgi.site"}


def test_config_objects():
    index = index_from_sources(
        {
            "config.py": code("""
                class Base:
                    pass

                class Dev(Base):
                    pass

                class Prod(Base):
                    pass

                class Unused:
                    pass

                configs = {"dev": Dev, "prod": Prod}
            """),
            "site/__init__.py": "",
            "site/settings.py": "DEBUG = False\n",
            "site/local.py": "DEBUG = True\n",
            "site/app.py": code("""
                from flask import Flask
                from config import configs

                def create_app(name, config=None):
                    app = Flask(__name__)
                    app.config.from_object(configs[name])
                    app.config.from_object("site.settings")
                    app.config.from_object(config)  # a parameter: not followed
                    app.config.from_pyfile("local.py")
                    app.config.from_pyfile("missing.cfg")
                    return app
            """),
        }
    )
    assert index.config_objects == {
        ("config.py", "Dev"),
        ("config.py", "Prod"),
        ("config.py", "Base"),
        ("site/settings.py", ""),
        ("site/local.py", ""),
    }


def test_from_object_name_is_the_module_itself():
    index = index_from_sources(
        {"app.py": 'from flask import Flask\nSECRET_KEY = "x"\napp = Flask(__name__)\n'
         "app.config.from_object(__name__)\n"}
    )  # fmt: skip
    assert index.config_objects == {("app.py", "")}


def test_secret_key_may_be_set():
    assert index_from_sources({"a.py": "x = 1\n"}).secret_key_may_be_set is False
    assert index_from_sources({"a.py": "SECRET_KEY = None\n"}).secret_key_may_be_set is True
    assert (
        index_from_sources({"a.py": "from flask_session import Session\n"}).secret_key_may_be_set
        is True
    )
