"""The FLK201/FLK203 examples: small projects as data (path -> text), turned into tests
like every rule's (tests/run/test_project_transforms.py). Kept apart from the rule modules
for their size."""

from __future__ import annotations

from ..base import ProjectExample

# --- FLK201 ---------------------------------------------------------------------------

_SINGLE_MODULE = {
    "app.py": '''\
from flask import Flask, redirect, url_for
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config.from_object("config")
db = SQLAlchemy()
db.init_app(app)


@app.route("/")
def index():
    return "home"


@app.route("/old")
def old():
    app.logger.info("old page")
    return redirect(url_for("index"))


@app.errorhandler(404)
def not_found(error):
    return "not here", 404


@app.teardown_appcontext
def close_connections(exception=None):
    db.session.remove()


with app.app_context():
    db.create_all()

if __name__ == "__main__":
    app.run()
''',
    "test_app.py": '''\
from app import app


def test_index():
    assert app.test_client().get("/").data == b"home"
''',
    "templates/base.html": '''\
<a href="{{ url_for('index') }}"{% if request.endpoint == 'index' %} class="here"{% endif %}>Home</a>
''',
}
_SINGLE_MODULE_AFTER = {
    "app.py": '''\
from flask import Blueprint, Flask, current_app, redirect, url_for
from flask_sqlalchemy import SQLAlchemy

bp = Blueprint("main", __name__)
db = SQLAlchemy()


@bp.route("/")
def index():
    return "home"


@bp.route("/old")
def old():
    current_app.logger.info("old page")
    return redirect(url_for("main.index"))


@bp.app_errorhandler(404)
def not_found(error):
    return "not here", 404


def close_connections(exception=None):
    db.session.remove()


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_object("config")
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
    db.init_app(app)
    app.register_blueprint(bp)
    app.teardown_appcontext(close_connections)
    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run()
''',
    "test_app.py": '''\
from app import create_app

app = create_app()


def test_index():
    assert app.test_client().get("/").data == b"home"
''',
    "templates/base.html": '''\
<a href="{{ url_for('main.index') }}"{% if request.endpoint == 'main.index' %} class="here"{% endif %}>Home</a>
''',
}

_PACKAGE = {
    "blog/__init__.py": '''\
from flask import Flask

app = Flask(__name__)
app.config["POSTS_PER_PAGE"] = 10

from blog import views  # noqa: E402
''',
    "blog/views.py": '''\
from flask import render_template

from blog import app


@app.route("/")
def index():
    return render_template("index.html", per_page=app.config["POSTS_PER_PAGE"])


@app.before_request
def remember():
    pass
''',
    "blog/templates/index.html": '''\
<a href="{{ url_for('index') }}">Home</a>
''',
    "wsgi.py": '''\
from blog import app
''',
}
_PACKAGE_AFTER = {
    "blog/__init__.py": '''\
from flask import Flask

from blog import views  # noqa: E402


def create_app(config=None):
    app = Flask(__name__)
    app.config["POSTS_PER_PAGE"] = 10
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
    app.register_blueprint(views.bp)
    return app
''',
    "blog/views.py": '''\
from flask import Blueprint, current_app, render_template

bp = Blueprint("views", __name__)


@bp.route("/")
def index():
    return render_template("index.html", per_page=current_app.config["POSTS_PER_PAGE"])


@bp.before_app_request
def remember():
    pass
''',
    "blog/templates/index.html": '''\
<a href="{{ url_for('views.index') }}">Home</a>
''',
    "wsgi.py": '''\
from blog import create_app

app = create_app()
''',
}

# extensions given the app: FLK202's split, `init_app` at the same point of the factory
_EXTENSIONS = {
    "app.py": '''\
from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)
migrate = Migrate(app, db)
login_manager = LoginManager(app)
login_manager.login_view = "login"


@app.route("/login")
def login():
    return "log in"
''',
}
_EXTENSIONS_AFTER = {
    "app.py": '''\
from flask import Blueprint, Flask
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

bp = Blueprint("main", __name__)
db = SQLAlchemy()
migrate = Migrate()
login_manager = LoginManager()
login_manager.login_view = "main.login"


@bp.route("/login")
def login():
    return "log in"


def create_app(config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    app.register_blueprint(bp)
    return app
''',
}

_REPORTED = {
    "app.py": '''\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "home"
''',
}

APP_FACTORY_EXAMPLES: tuple[ProjectExample, ...] = (
    ProjectExample(_SINGLE_MODULE, _SINGLE_MODULE_AFTER),
    ProjectExample(_PACKAGE, _PACKAGE_AFTER),
    ProjectExample(_EXTENSIONS, _EXTENSIONS_AFTER),
    # without --unsafe-fixes: reported only
    ProjectExample(_REPORTED, None, unsafe=False),
    # too irregular: reported with the reason, nothing changed
    ProjectExample(  # several apps in one module
        {"app.py": "from flask import Flask\n\napp = Flask(__name__)\nadmin = Flask('admin')\n"}
    ),
    ProjectExample(  # created in a conditional
        {
            "app.py": "import os\nfrom flask import Flask\n\nif os.environ.get('LEGACY'):\n"
            "    app = Flask(__name__)\nelse:\n    app = Flask('legacy')\n"
        }
    ),
    ProjectExample(  # a star import of the app's module
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "views.py": "from app import *\n\n\n@app.route('/')\ndef index():\n    return 'x'\n",
        }
    ),
    ProjectExample(  # routes registered in a loop
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef page(name):\n"
            "    return lambda: name\n\n\nfor name in ('a', 'b'):\n"
            "    app.add_url_rule('/' + name, name, page(name))\n"
        }
    ),
    ProjectExample(  # a value computed from the app at import time, used elsewhere
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n"
            "PER_PAGE = app.config.get('PER_PAGE', 10)\n\n\n@app.route('/')\ndef index():\n"
            "    return str(PER_PAGE)\n"
        }
    ),
    ProjectExample(  # a helper that needs the app object itself
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef init_db():\n"
            "    with app.app_context():\n        pass\n"
        }
    ),
    ProjectExample(  # the app imported inside a function
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "tasks.py": "def work():\n    from app import app\n    return app.name\n",
        }
    ),
)

APP_FACTORY_VALID: tuple[dict[str, str], ...] = (
    # already a factory
    {
        "app.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        "    return app\n",
        "wsgi.py": "from app import create_app\n\napp = create_app()\n",
    },
    # an app in a test module is test scaffolding, not the application
    {
        "tests/test_cli.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/')\ndef index():\n    return 'x'\n",
    },
    # a local class named Flask is not flask's
    {
        "app.py": "class Flask:\n    def __init__(self, name):\n        self.name = name\n\n\n"
        "app = Flask(__name__)\n"
    },
)

# --- FLK203 ---------------------------------------------------------------------------

CIRCULAR_IMPORT_EXAMPLES: tuple[ProjectExample, ...] = (
    ProjectExample(
        {
            "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n"
            "from shop import views  # noqa: E402\n",
            "shop/views.py": "from shop import app\n\n\n@app.route('/')\ndef index():\n"
            "    app.logger.info('index')\n    return 'shop'\n",
        },
        None,
    ),
    ProjectExample(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "jobs.py": "import app\n\n\ndef debug_mode():\n    return app.app.debug\n",
        },
        None,
    ),
)

CIRCULAR_IMPORT_VALID: tuple[dict[str, str], ...] = (
    # importing the database, not the app
    {
        "shop/__init__.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
        "app = Flask(__name__)\ndb = SQLAlchemy(app)\n",
        "shop/models.py": "from shop import db\n\n\nclass Item(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n",
    },
    # importing a factory
    {
        "shop/__init__.py": "from flask import Flask\n\n\ndef create_app():\n"
        "    return Flask(__name__)\n",
        "wsgi.py": "from shop import create_app\n\napp = create_app()\n",
    },
)
