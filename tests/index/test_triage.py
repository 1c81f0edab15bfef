"""The stdlib-ast triage decides which files LibCST sees; it may only skip sure misses."""

from __future__ import annotations

import ast
import sys

import pytest

from flask_fix.api import fix_code
from flask_fix.codemods import rule_by_code
from flask_fix.index.project import index_from_sources
from flask_fix.index.triage import TriageModule, rules_for_module, rules_for_source


IMPORTS = "import json\nfrom flask import redirect, request\n"


def triaged(source: str, *codes: str, imports: str = IMPORTS) -> list[str]:
    source = imports + source
    rules = [rule_by_code(c) for c in codes]
    module = TriageModule.from_tree(source.encode(), ast.parse(source))
    return [r.code for r in rules_for_module(module, rules)]


def found_by_rule(source: str, code: str, path: str = "app.py") -> list[str]:
    """What the rule itself finds, without any triage: where the triage says no, this
    must be empty."""
    return [f.code for f in fix_code(source, path=path, select=(code,), unsafe=True).findings]


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ("from flask import request\n", ["FLK103"]),
        ("import flask.globals as g\n", ["FLK103"]),
        ("def view():\n    from flask import request\n", ["FLK103"]),  # anywhere counts
        ("from .compat import request\n", []),  # the rule would not resolve it either
        ("from django.http import request\n", []),
    ],
)
def test_rules_need_their_module_imported(imports, expected):
    assert triaged("n = int(request.args['n'])\n", "FLK103", imports=imports) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = json.loads(request.data)", ["FLK104"]),
        ("import flask\nx = json.loads(flask.request.get_data(as_text=True))", ["FLK104"]),
        ("from json import loads as parse\nx = parse(request.data)", ["FLK104"]),
        ("x = json.loads(payload)", []),  # not the request body
        ("x = json.loads(response.data)", []),  # a test client's response
        ("def check(request):\n    return json.loads(request.data)", ["FLK104"]),  # shadowed
        ("x = json.dumps(request.data)", []),  # trigger text, but no loads call
        ("x = 'loads of text'", []),
    ],
)
def test_loads_calls_on_the_request_body(source, expected):
    assert triaged(source, "FLK104") == expected
    if not expected:
        assert found_by_rule(IMPORTS + source, "FLK104") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n = int(request.args.get('n', 1))", ["FLK103"]),
        ("n = float(request.form['n'])", ["FLK103"]),
        ("n = int(request.values.get('n') or 2)", ["FLK103"]),
        ("n = request.args.get('n', 1, int)", ["FLK103"]),
        ("n = request.args.get('n', type=int)", []),  # already right
        ("n = int(x.args.get('n'))", ["FLK103"]),  # shape only: resolution is LibCST's
        ("n = int(sum(counts.values()))", []),
        ("n = int(request.args)", []),
        ("n = int(count)\nflag = request.args", []),
    ],
)
def test_casts_of_request_data(source, expected):
    assert triaged(source, "FLK103") == expected


def test_a_rule_about_views_skips_modules_without_views():
    rule = rule_by_code("FLK101")
    index = index_from_sources(
        {
            "views.py": "from flask import Flask\napp = Flask(__name__)\n"
            "@app.route('/')\ndef home(): ...\n",
            "helpers.py": "import json\ndef dump(x): return json.dumps(x)\n",
        }
    )
    assert rule.could_fire_in("views.py", index)
    assert not rule.could_fire_in("helpers.py", index)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("r = redirect('/login')", ["FLK102"]),
        ("r = redirect(location='/login', code=301)", ["FLK102"]),
        ("r = redirect(f'/u/{uid}')", ["FLK102"]),
        ("r = redirect('/u/%d' % uid)", ["FLK102"]),
        ("r = redirect('/u/' + str(uid) + '/edit')", ["FLK102"]),
        ("r = redirect('/u/{}'.format(uid))", ["FLK102"]),
        ("r = redirect('https://example.com/')", []),
        ("r = redirect('//cdn.example.com/x')", []),
        ("r = redirect(url_for('login'))", []),
        ("r = redirect(next_url)", []),
        ("r = redirect(f'{base}/login')", []),
    ],
)
def test_redirects_to_literal_paths(source, expected):
    assert triaged(source, "FLK102") == expected


DB = "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("try:\n    db.session.commit()\nexcept Exception:\n    pass\n", ["FLK501"]),
        # abort() and sys.exit() raise when surely Flask's and the standard library's
        ("try:\n    db.session.commit()\nexcept Exception:\n    abort(409)\n", ["FLK501"]),
        ("from flask import abort\ntry:\n    db.session.commit()\nexcept Exception:\n"
         "    abort(409)\n", []),
        ("import sys\ntry:\n    db.session.commit()\nexcept Exception:\n    sys.exit(1)\n",
         []),
        ("try:\n    db.session.commit()\nexcept Exception:\n    exit(1)\n", []),  # builtin
        # ...not when the name may be something else somewhere
        ("from flask import abort\ntry:\n    db.session.commit()\nexcept Exception:\n"
         "    abort(409)\ndef f(abort):\n    pass\n", ["FLK501"]),
        ("def f():\n    from flask import abort\ntry:\n    db.session.commit()\n"
         "except Exception:\n    abort(409)\n", ["FLK501"]),  # not bound at module scope
        ("from flask import abort\nfrom werkzeug.exceptions import abort\ntry:\n"
         "    db.session.commit()\nexcept Exception:\n    abort(409)\n", ["FLK501"]),  # ambiguous
        ("from flask import abort\nfrom myapp.errors import abort\ntry:\n"
         "    db.session.commit()\nexcept Exception:\n    abort(409)\n", ["FLK501"]),
        # handlers that cannot catch what a commit raises
        ("try:\n    db.session.commit()\nexcept ValueError:\n    pass\n", []),
        ("from sqlalchemy.orm.exc import NoResultFound\ntry:\n    db.session.commit()\n"
         "except (NoResultFound, KeyError):\n    pass\n", []),
        ("from sqlalchemy.orm.exc import StaleDataError\ntry:\n    db.session.commit()\n"
         "except (StaleDataError, KeyError):\n    pass\n", ["FLK501"]),
        ("import sqlalchemy as sa\ntry:\n    db.session.commit()\n"
         "except sa.exc.SQLAlchemyError:\n    pass\n", ["FLK501"]),
        ("from errors import Failure\ntry:\n    db.session.commit()\n"
         "except Failure:\n    pass\n", []),  # fmt: skip
        ("Failure = Exception\ntry:\n    db.session.commit()\n"
         "except Failure:\n    pass\n", []),  # a local: the rule resolves imports only
        ("try:\n    db.session.commit()\nexcept:\n    pass\n", ["FLK501"]),
        ("from errors import *\ntry:\n    db.session.commit()\n"
         "except Failure:\n    pass\n", ["FLK501"]),
        # a raise inside a nested function is not the handler's own
        (
            "try:\n    db.session.commit()\nexcept Exception:\n"
            "    def later():\n        raise\n",
            ["FLK501"],
        ),
        ("db.session.commit()\n", []),  # no try
        ("try:\n    db.session.commit()\nexcept Exception:\n    raise\n", []),
        ("try:\n    db.session.commit()\nexcept Exception:\n    db.session.rollback()\n", []),
        ("try:\n    db.session.add(x)\nexcept Exception:\n    pass\nelse:\n"
         "    db.session.commit()\n", []),  # fmt: skip
    ],
)
def test_commits_in_a_try_that_may_swallow_their_error(source, expected):
    assert triaged(source, "FLK501", imports=DB) == expected
    if not expected:
        assert found_by_rule(DB + source, "FLK501") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask import Markup\n", ["FLK702"]),
        ("import flask as f\nx = f.escape('<')\n", ["FLK702"]),
        ("import flask\nfrom markupsafe import Markup\n", []),  # the right import already
        ("import flask\nimport html\nx = html.escape('<')\n", []),
    ],
)
def test_names_flask_no_longer_exports(source, expected):
    assert triaged(source, "FLK702", imports="") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app.config['SECRET_KEY'] = 'dev'", ["FLK402"]),
        ("app.config.update(SECRET_KEY=os.environ.get('KEY', 'dev'))", ["FLK402"]),
        ("class Config:\n    SECRET_KEY = os.getenv('KEY') or 'dev'", ["FLK402"]),
        ("app.config.setdefault('SECRET_KEY', b'x')", ["FLK402"]),
        ("app.secret_key = os.environ['SECRET_KEY']", []),
        ("app.config.from_mapping({'SECRET_KEY': os.environ.get('KEY')})", []),
        ("app.config['SECRET_KEY'] = ''", []),
        ("print('SECRET_KEY is read from the environment')", []),
    ],
)
def test_secret_keys_that_may_be_literals(source, expected):
    assert triaged(source, "FLK402", imports="import os\n") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app.run(debug=True)", ["FLK401"]),
        ("app.debug = True", ["FLK401"]),
        ("app.config.update({'DEBUG': True})", ["FLK401"]),
        ("app.run(debug=False)", []),
        ("DEBUG = os.environ.get('DEBUG') == '1'", []),
    ],
)
def test_debug_set_to_true(source, expected):
    assert triaged(source, "FLK401", imports="import os\n") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("r = send_file(f, cache_timeout=0)", ["FLK703"]),
        ("r = send_from_directory('static', filename=name)", ["FLK703"]),
        ("r = send_from_directory('static', name)", []),
    ],
)
def test_send_file_old_keywords(source, expected):
    imports = "from flask import send_file, send_from_directory\n"
    assert triaged(source, "FLK703", imports=imports) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask.ext.sqlalchemy import SQLAlchemy\n", ["FLK701"]),
        ("import flask.ext.login\n", ["FLK701"]),
        ("import flask\ndb = flask.ext.sqlalchemy.SQLAlchemy()\n", ["FLK701"]),
        ("import flask\n# flask.ext was removed\nfrom . import ext\n", []),
    ],
)
def test_flask_ext_imports(source, expected):
    assert triaged(source, "FLK701", imports="") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app.run()", ["FLK601"]),
        # the rule reports a run in a function only when this module calls it at import
        ("def main():\n    app.run()", []),
        ("if __name__ == '__main__':\n    app.run(host='0.0.0.0')", ["FLK601"]),
        ("if '__main__' == __name__:\n    app.run('::', 80)", ["FLK601"]),
        ("if __name__ == '__main__':\n    app.run(debug=True, port=8000)", []),
        ("if __name__ == '__main__':\n    pass\nelse:\n    app.run()", ["FLK601"]),
        # in a function: only when it may be called at import, or given such an option
        ("def main():\n    app.run()\nmain()", ["FLK601"]),
        ("def main():\n    app.run(threaded=True)", ["FLK601"]),
        ("def main():\n    app.run(host='0.0.0.0')\nif __name__ == '__main__':\n    main()",
         ["FLK601"]),
        ("def test_run():\n    app.run()", []),
        ("def test_run(host, port):\n    app.run(host, port, debug=True)", []),
        ("def main():\n    app.run()\nif __name__ == '__main__':\n    main()", []),
        ("class Task:\n    def __call__(self, *args):\n        return self.run(*args)", []),
        ("import subprocess\nif __name__ == '__main__':\n    subprocess.run(['ls'])", []),
    ],
)
def test_dev_server_runs_outside_the_main_guard(source, expected):
    imports = "from flask import Flask\napp = Flask(__name__)\n"
    assert triaged(source, "FLK601", imports=imports) == expected
    if not expected:
        assert found_by_rule(imports + source, "FLK601") == []


EXTENSION_IMPORTS = (
    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n"
    "from flask_wtf.csrf import CSRFProtect\napp = Flask(__name__)\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("db = SQLAlchemy(app)", True),
        ("db: SQLAlchemy = SQLAlchemy(app=app)", True),
        ("CSRFProtect(app)", True),  # a bare statement at module level
        ("if app.debug:\n    db = SQLAlchemy(app)", True),
        ("try:\n    db = SQLAlchemy(app)\nexcept ImportError:\n    db = None", True),
        ("with open('x') as f:\n    db = SQLAlchemy(app)", True),
        ("if __name__ == '__main__':\n    db = SQLAlchemy(app)", True),
        ("def setup():\n    global db\n    db = SQLAlchemy(app)", True),
        ("class C:\n    def setup(self):\n        global db\n        db = SQLAlchemy(app)", True),
        ("def test_db():\n    db = SQLAlchemy(app)\n    return db", False),  # a local object
        ("def test_csrf():\n    CSRFProtect(app)", False),
        ("class Holder:\n    db = SQLAlchemy(app)", False),  # a class attribute
        ("a = b = SQLAlchemy(app)", False),  # two names: not a shape FLK202 splits
        ("dbs = [SQLAlchemy(app)]", False),
        ("db = SQLAlchemy(*[app])", False),  # the app argument is not a name
        ("db = SQLAlchemy(session_options=options_of(app))", False),
        ("db = SQLAlchemy()", False),
    ],
)
def test_extensions_made_with_the_app_only_where_the_object_outlives_the_setup(
    source, expected
):
    # FLK202 splits (and FLK204 reports) a construction only when the extension object
    # is a module global (or a bare module-level statement); the index knows which
    # modules have one
    index = index_from_sources({"app.py": EXTENSION_IMPORTS + source + "\n"})
    assert rule_by_code("FLK202").could_fire_in("app.py", index) is expected
    if not expected:
        assert found_by_rule(EXTENSION_IMPORTS + source + "\n", "FLK202") == []
    # never in a function or a `__main__` block for FLK204: not run on import
    import_time = expected and "def " not in source and "__main__" not in source
    assert rule_by_code("FLK204").could_fire_in("app.py", index) is import_time


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask import safe_join\n", ["FLK708"]),
        ("from flask.helpers import safe_join as join\n", ["FLK708"]),
        ("import flask\np = flask.safe_join('/srv', name)\n", ["FLK708"]),
        ("from flask import helpers\np = helpers.safe_join('/srv', name)\n", ["FLK708"]),
        ("from werkzeug.urls import url_quote\n", ["FLK708"]),
        ("from werkzeug import urls\nq = urls.url_encode(d)\n", ["FLK708"]),
        ("import werkzeug.security\nok = werkzeug.security.safe_str_cmp(a, b)\n", ["FLK708"]),
        ("app.config.from_json('settings.json')\n", ["FLK708"]),
        # the names' current homes, and look-alikes
        ("from werkzeug.utils import safe_join\np = safe_join('/srv', name)\n", []),
        ("import werkzeug.utils\np = werkzeug.utils.safe_join('/srv', name)\n", []),
        ("from urllib.parse import quote\nq = quote('werkzeug.urls')\n", []),
        ("post = Post.from_json(data)\n", []),  # a model's own classmethod
        ("def f(storage):\n    return storage.safe_join('a', 'b')\n", []),
        ("from werkzeug.urls import iri_to_uri\n", []),  # still in Werkzeug 3
    ],
)
def test_removed_helpers(source, expected):
    assert triaged(source, "FLK708", imports="") == expected
    if not expected:
        assert found_by_rule(source, "FLK708") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\nmode = os.environ.get('FLASK_ENV')\n", ["FLK707"]),
        ("import os\nif 'FLASK_ENV' in os.environ:\n    pass\n", ["FLK707"]),
        ("import os\nos.environ['FLASK_ENV'] = 'development'\n", ["FLK707"]),
        ("from flask import current_app\nif current_app.env == 'development':\n    pass\n",
         ["FLK707"]),
        ("from flask import Flask\napp = Flask(__name__)\nprint(app.env)\n", ["FLK707"]),
        ("from myapp import app\nprint(app.env)\n", ["FLK707"]),
        ("from flask import Flask\napp = Flask(__name__)\nenv = app.config.get('ENV')\n",
         ["FLK707"]),
        ("class Config:\n    DEBUG = True\n    ENV = 'development'\n", ["FLK707"]),
        # the trigger text in strings and comments, and other objects' `.env`
        ("# values come from .env files\nTIP = 'There are .env files present. '\n", []),
        ("import os\nPATH = 'FLASK_ENV_FILE'\nx = os.environ.get('FLASK_ENV_FILE')\n", []),
        ("class Site:\n    def setup(self):\n        return self.env == 'prod'\n", []),
        ("settings = {'ENV': 'prod'}\nvalue = settings['ENV']\n", []),
        ("ENV = 'prod'\n", []),  # module level: no config class
    ],
)
def test_app_env(source, expected):
    assert triaged(source, "FLK707", imports="") == expected
    if not expected:
        assert found_by_rule(source, "FLK707") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@app.before_first_request\ndef setup():\n    pass\n", ["FLK705"]),
        ("@bp.before_app_first_request\ndef setup():\n    pass\n", ["FLK705"]),
        ("app.before_first_request(setup)\n", ["FLK705"]),
        ("app._got_first_request = False\n", []),
        ("def test_no_setup_after_first_request(app):\n    pass\n", []),
        ("NOTE = 'before_first_request was removed in Flask 2.3'\n", []),
    ],
)
def test_before_first_request(source, expected):
    imports = (
        "from flask import Blueprint, Flask\napp = Flask(__name__)\n"
        "bp = Blueprint('b', __name__)\n"
    )
    assert triaged(source, "FLK705", imports=imports) == expected
    if not expected:
        assert found_by_rule(imports + source, "FLK705") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask.json import JSONEncoder\n", ["FLK704"]),
        ("import flask\nclass E(flask.json.JSONEncoder):\n    pass\n", ["FLK704"]),
        ("from flask import Flask\napp = Flask(__name__)\napp.json_encoder = E\n", ["FLK704"]),
        ("from myapp import app\napp.json_encoder = E\n", ["FLK704"]),
        ("JSON_SORT_KEYS = False\n", ["FLK704"]),
        ("class Config:\n    JSONIFY_PRETTYPRINT_REGULAR = True\n", ["FLK704"]),
        ("class App(Flask):\n    json_encoder = E\n", ["FLK704"]),
        ("app.config['JSON_AS_ASCII'] = False\n", ["FLK704"]),
        ("app.config.update(JSON_SORT_KEYS=False)\n", ["FLK704"]),
        ("app.config.update({'JSON_SORT_KEYS': False})\n", ["FLK704"]),
        ("mimetype = config.get('JSONIFY_MIMETYPE')\n", ["FLK704"]),
        # the standard library's encoder, a project's own, the keys in text
        ("import json\nclass E(json.JSONEncoder):\n    pass\n", []),
        ("from json import JSONEncoder\nclass E(JSONEncoder):\n    pass\n", []),
        ("from .utils import JSONEncoder\nx = JSONEncoder().encode(1)\n", []),
        ("def dumps(self, obj):\n    return self.json_encoder().encode(obj)\n", []),
        ("HELP = 'set JSON_SORT_KEYS in your config'\n", []),
        ("settings = {}\nsettings['JSON_SORT_KEYS_DOC'] = 'x'\n", []),
    ],
)
def test_removed_json_api(source, expected):
    assert triaged(source, "FLK704", imports="") == expected
    if not expected:
        assert found_by_rule(source, "FLK704") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app.config['SESSION_COOKIE_SECURE'] = False\n", ["FLK404"]),
        ("class Config:\n    REMEMBER_COOKIE_HTTPONLY = False\n", ["FLK404"]),
        ("app.config.update(SESSION_COOKIE_HTTPONLY=False)\n", ["FLK404"]),
        ("def view():\n    r = make_response('x')\n    r.set_cookie('k', 'v')\n    return r\n",
         ["FLK404"]),
        ("@app.after_request\ndef hook(response):\n    response.set_cookie('k', 'v', secure=True)\n"
         "    return response\n", ["FLK404"]),
        # both flags given, values that are not False, definitions and forwarding
        ("def view():\n    r = make_response('x')\n"
         "    r.set_cookie('k', 'v', secure=True, httponly=True)\n    return r\n", []),
        ("app.config['SESSION_COOKIE_SECURE'] = os.environ.get('HTTPS') == '1'\n", []),
        ("DEFAULTS = {'SESSION_COOKIE_SECURE': False}\n", []),  # not a config write
        ("class Response:\n    def set_cookie(self, key, value=''):\n        pass\n", []),
        ("def forward(response, *args, **kwargs):\n    response.set_cookie(*args, **kwargs)\n",
         []),
        ("def view(self):\n    self.response.set_cookie('k', 'v')\n", []),
    ],
)
def test_insecure_cookies(source, expected):
    imports = "import os\nfrom flask import Flask, make_response\napp = Flask(__name__)\n"
    assert triaged(source, "FLK404", imports=imports) == expected
    if not expected:
        assert found_by_rule(imports + source, "FLK404") == []


BACKGROUND = (
    "import threading\nfrom flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"
    "def work():\n    db.session.commit()\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("threading.Thread(target=work).start()\n", ["FLK502"]),
        ("from threading import Timer as Later\nLater(5, work).start()\n", ["FLK502"]),
        ("from concurrent.futures import ThreadPoolExecutor\n"
         "with ThreadPoolExecutor() as pool:\n    pool.submit(work)\n", ["FLK502"]),
        ("from celery import Celery\ncelery = Celery()\n@celery.task\ndef job():\n"
         "    db.session.commit()\n", ["FLK502"]),
        # threading imported for a lock, or a test module waiting on events
        ("lock = threading.Lock()\ndef locked():\n    with lock:\n        work()\n", []),
        ("def test_submitting_a_flag(client):\n    assert client.post('/').status_code == 200\n",
         []),
        ("import pytest\n@pytest.mark.parametrize('n', [1])\ndef test_n(n):\n"
         "    db.session.commit()\n", []),  # a decorated function that is no task
    ],
)
def test_database_work_in_background_threads(source, expected):
    assert triaged(BACKGROUND + source, "FLK502", imports="") == expected
    if not expected:
        assert found_by_rule(BACKGROUND + source, "FLK502") == []


VIEW = "from flask import Flask, make_response\napp = Flask(__name__)\n@app.route('/')\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def index():\n    return json.dumps({})\n", ["FLK101"]),
        ("def index():\n    return json.dumps({}), 201\n", ["FLK101"]),
        ("def index():\n    return make_response(json.dumps({}), 201)\n", ["FLK101"]),
        ("def index():\n    return make_response((json.dumps({}), 201))\n", ["FLK101"]),
        ("def index():\n    body = json.dumps({})\n    return body\n", []),
        ("def index():\n    return str(len(json.dumps({})))\n", []),
        ("def index():\n    return {'raw': json.dumps({})}\n", []),
    ],
)
def test_views_returning_json_dumps(source, expected):
    assert triaged(VIEW + source, "FLK101", imports="import json\n") == expected
    if not expected:
        assert found_by_rule("import json\n" + VIEW + source, "FLK101") == []


def test_calls_of_a_name_imported_under_another_name():
    # the rules resolve imports: `to_json` is json.dumps
    source = "from json import dumps as to_json\n" + VIEW + "def index():\n    return to_json({})\n"
    assert triaged(source, "FLK101", imports="") == ["FLK101"]
    assert found_by_rule(source, "FLK101") == ["FLK101"]



# a PEP 701 f-string (Python 3.12): the stdlib ast of 3.11 cannot parse the module
NEWER = "label = f'{', '.join(names)}'\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask import request\nn = int(request.args['n'])\n", ["FLK103"]),
        ("import os, flask\nn = int(flask.request.args['n'])\n", ["FLK103"]),
        ("import os, \\\n    flask\nn = int(flask.request.args['n'])\n", ["FLK103"]),
        ("from flask import request as r\nn = int(r.args['n'])\n", ["FLK103"]),
        # dict.values() and Flask imported for something else: the rule reads `request`
        ("from flask import current_app\npks = list(columns.values())\n", []),
        # no import of flask itself (a relative module, a word in a comment)
        ("from .flask import request\nn = int(request.args['n'])\n", []),
        ("# flask request\nn = int(request.args['n'])\n", []),
    ],
)
def test_modules_only_libcst_parses_are_triaged_from_their_bytes(source, expected):
    source = NEWER + source
    with pytest.raises(SyntaxError):
        compile_for_this_python(source)
    rules = [rule_by_code("FLK103")]
    assert [r.code for r in rules_for_source(source.encode(), rules)] == expected


def compile_for_this_python(source: str) -> None:
    if sys.version_info >= (3, 12):
        pytest.skip("needs syntax newer than the interpreter")
    ast.parse(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("try:\n    n = int(request.args['n'])\nexcept (ValueError, KeyError):\n    n = 0\n", []),
        ("def view():\n    try:\n        n = int(request.form.get('n'))\n"
         "    except ValueError:\n        abort(400)\n", []),
        ("try:\n    n = float(request.args.get('n', 1))\nexcept:\n    n = 0\n", []),
        # handlers that may not catch it, or a try the cast does not run in
        ("try:\n    n = int(request.args['n'])\nexcept KeyError:\n    n = 0\n", ["FLK103"]),
        ("try:\n    n = int(request.args['n'])\nexcept BadInput:\n    n = 0\n", ["FLK103"]),
        ("try:\n    def later():\n        return int(request.args['n'])\n"
         "except ValueError:\n    pass\n", ["FLK103"]),  # runs later, outside the try
        ("try:\n    pass\nexcept ValueError:\n    n = int(request.args['n'])\n", ["FLK103"]),
        ("try:\n    n = int(request.args['n'])\nexcept ValueError:\n    n = 0\n"
         "m = int(request.args['m'])\n", ["FLK103"]),
        ("try:\n    n = request.args.get('n', 1, int)\nexcept ValueError:\n    n = 0\n",
         ["FLK103"]),  # the keyword form is rewritten anyway
    ],
)
def test_casts_the_program_already_guards(source, expected):
    assert triaged(source, "FLK103") == expected
    if not expected:
        assert found_by_rule(IMPORTS + "from flask import abort\n" + source, "FLK103") == []


PROXY_THREAD = (
    "from flask import current_app\n"
    "def send(app):\n    print(app)\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from threading import Thread as T\n"
         "def view():\n    T(target=send, args=(current_app,)).start()\n", ["FLK303"]),
        ("from threading import Timer as Later\n"
         "def view():\n    Later(1.0, send, args=(current_app,)).start()\n", ["FLK303"]),
        ("import threading as th\n"
         "def view():\n    th.Thread(target=send, args=(current_app,)).start()\n", ["FLK303"]),
        # a class of the module named Thread; a parameter named threading; another
        # library's Thread; a bare submit()
        ("class Thread:\n    def __init__(self, target, args):\n        pass\n"
         "def view():\n    Thread(target=send, args=(current_app,))\n", []),
        ("def view(threading):\n    threading.Thread(target=send, args=(current_app,)).start()\n",
         []),
        ("from mylib import Thread as Job\n"
         "def view():\n    Job(target=send, args=(current_app,))\n", []),
        ("from mylib import submit\ndef view():\n    submit(send, current_app)\n", []),
    ],
)  # fmt: skip
def test_threads_resolved_through_imports_for_proxies(source, expected):
    assert triaged(PROXY_THREAD + source, "FLK303", imports="") == expected
    assert found_by_rule(PROXY_THREAD + source, "FLK303") == expected


def test_a_star_import_may_bind_thread():
    # the triage cannot tell what `*` binds, so it lets the module through (the rule, which
    # resolves only explicit imports, then finds nothing)
    source = PROXY_THREAD + (
        "from threading import *\ndef view():\n    Thread(target=send, args=(current_app,)).start()\n"
    )
    assert triaged(source, "FLK303", imports="") == ["FLK303"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from threading import Thread as T\nT(target=work).start()\n", ["FLK502"]),
        ("from concurrent.futures import ThreadPoolExecutor as Pool\n"
         "with Pool() as pool:\n    pool.submit(work)\n", ["FLK502"]),
        ("import concurrent.futures\n"
         "with concurrent.futures.ThreadPoolExecutor() as pool:\n    pool.submit(work)\n",
         ["FLK502"]),
        ("class Thread:\n    def __init__(self, target):\n        pass\nThread(target=work)\n", []),
        ("class Pool:\n    def submit(self, fn):\n        pass\n"
         "class ThreadPoolExecutor(Pool):\n    pass\n"
         "ThreadPoolExecutor().submit(work)\n", []),
    ],
)  # fmt: skip
def test_threads_resolved_through_imports_for_sessions(source, expected):
    source = BACKGROUND.replace("import threading\n", "") + source
    assert triaged(source, "FLK502", imports="") == expected
    assert found_by_rule(source, "FLK502") == expected


# FLK202/FLK204 report only calls whose app is a name bound to an app of the project
# (ExtensionTracking.app_ref): the index leaves out what the scan knows is something else
APP_MODULE = "from flask import Flask\n\napp = Flask(__name__)\n"
FACTORY_MODULE = "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n"


@pytest.mark.parametrize(
    ("source", "flk202", "flk204"),
    [
        # not an app: a blueprint made here or imported (CTFd's `Api(api)`), a function
        # (flaskbb's `Limiter(get_remote_address)`), what another call made, a module
        ("from flask import Blueprint\nfrom flask_restx import Api\n\n"
         "api = Blueprint('api', __name__)\nrest = Api(api)\n", False, False),
        ("from flask_restx import Api\nfrom views import bp\n\nrest = Api(bp)\n", False, False),
        ("from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\n"
         "limiter = Limiter(get_remote_address)\n", False, False),
        ("from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\n"
         "limiter = Limiter(key_func=get_remote_address)\n", False, False),
        ("from flask_allows import And, Or\n\nIsAdmin = And(1, 2)\nCanBan = Or(IsAdmin)\n",
         False, False),
        ("from flask_cors import CORS\nimport app\n\ncors = CORS(app)\n", False, False),
        ("from flask import Blueprint\n\nbp = Blueprint('a', __name__)\n"
         "child = Blueprint('b', __name__)\nbp.register_blueprint(child)\n", False, False),
        ("from flask_restx import Api\nfrom views import bp\n\nrest = Api()\n"
         "rest.init_app(bp)\n", False, False),
        ("from flask import current_app\nfrom flask_login import LoginManager\n\n"
         "login = LoginManager()\nlogin.init_app(current_app)\n", False, False),
        ("from flask_login import LoginManager\n\nlogin = LoginManager()\n"
         "login.init_app(make_app())\n", False, False),  # not a name: the rule needs one
        # an app, or perhaps one: sent
        ("from flask_sqlalchemy import SQLAlchemy\nfrom app import app\n\ndb = SQLAlchemy(app)\n",
         True, True),
        ("from flask_migrate import Migrate\nfrom factory import create_app\n"
         "from models import db\n\napp = create_app()\nmigrate = Migrate(app, db)\n", True, True),
        ("from flask_login import LoginManager\nfrom app import app\n\nlogin = LoginManager()\n"
         "login.init_app(app)\n", False, True),
        ("from flask import Blueprint\nfrom app import app\n\nbp = Blueprint('a', __name__)\n"
         "app.register_blueprint(bp)\n", False, True),
        # bound in an enclosing scope: the scan cannot tell which binding the call sees
        ("from flask_sqlalchemy import SQLAlchemy\nfrom views import bp\n\n\ndef setup():\n"
         "    global db\n    db = SQLAlchemy(bp)\n", True, False),
        # a blueprint rebound to an app further down is an app for neither rule, but sent
        ("from flask_sqlalchemy import SQLAlchemy\nfrom app import app\n\ndb = SQLAlchemy(app)\n"
         "app = 1\n", True, True),
    ],
)
def test_extension_triage_sends_only_calls_whose_app_may_be_one(source, flk202, flk204):
    sources = {"app.py": APP_MODULE, "factory.py": FACTORY_MODULE, "views.py": "bp = 1\n",
               "models.py": "db = 1\n", "main.py": source}
    index = index_from_sources(sources)
    assert rule_by_code("FLK202").could_fire_in("main.py", index) is flk202
    assert rule_by_code("FLK204").could_fire_in("main.py", index) is flk204
    for code, sent in (("FLK202", flk202), ("FLK204", flk204)):
        if not sent:  # the rule itself finds nothing there
            found = fix_code(source, path="main.py", select=(code,), index=index, unsafe=True)
            assert found.findings == []


FSA = "from flask_sqlalchemy import SQLAlchemy\n\nfrom .models import Note, Post\n\ndb = SQLAlchemy()\n\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a models module: `db.Model` is no row of the table (`flask_sqlalchemy.Model`)
        ("class Post(db.Model):\n    id = db.Column(db.Integer)\n", []),
        ("def page(n):\n    return Post.query.paginate(page=n, per_page=20)\n", []),
        ("def page(n, *rest):\n    return Post.query.paginate(n, *rest)\n", []),
        # a method of the object's own (`self.paginate`): not a query's
        ("class Table:\n    def page(self, n):\n        return self.paginate(n, 20)\n", []),
        # what the rule reports: rows, settings, Binary, positional paginate
        ("import flask_sqlalchemy as fsa\n\nclass Post(fsa.Model):\n    pass\n", ["FLK504"]),
        ("from flask_sqlalchemy import get_debug_queries\n", ["FLK504"]),
        ("class Upload(db.Model):\n    data = db.Column(db.Binary)\n", ["FLK504"]),
        ("SQLALCHEMY_POOL_SIZE = 10\n", ["FLK504"]),
        ("def page(n):\n    return Post.query.paginate(n, 20, False)\n", ["FLK504"]),
        ("def page(n):\n    return Post.query.filter_by(a=1).order_by(Post.id).paginate(n, 20)\n",
         ["FLK504"]),
        ("def page(n):\n    return db.session.query(Post).paginate(n, 20)\n", ["FLK504"]),
        # a receiver that may be a Flask-SQLAlchemy query in this project: reported
        ("def page(n):\n    return Note.select().paginate(n, 20)\n", ["FLK504"]),
        ("def f(q):\n    return q.paginate(1, 20)\n", ["FLK504"]),
    ],
)  # fmt: skip
def test_flask_sqlalchemy_3_api(source, expected):
    source = FSA + source
    assert triaged(source, "FLK504", imports="") == expected
    assert found_by_rule(source, "FLK504") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # an attribute named like a row, read on what no import binds to werkzeug
        ("from .storage import files\nname = files.secure_filename(upload)\n", []),
        # a parameter named werkzeug: the triage does not look at scopes (the rule does)
        ("def save(werkzeug):\n    return werkzeug.secure_filename('a')\n", ["FLK709"]),
        ("import werkzeug as wz\nname = wz.secure_filename(upload)\n", ["FLK709"]),
        ("import werkzeug.contrib.fixers\n"
         "app.wsgi_app = werkzeug.contrib.fixers.ProxyFix(app.wsgi_app)\n", ["FLK709"]),
    ],
)  # fmt: skip
def test_removed_api_attributes_resolved_through_imports(source, expected):
    assert triaged(source, "FLK709", imports="import werkzeug.utils\n") == expected
    if not expected:
        assert found_by_rule("import werkzeug.utils\n" + source, "FLK709") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the properties read as properties; a call on another object; a class of the
        # project defining its own method
        ("ok = current_user.is_authenticated\n", []),
        ("def check(account):\n    return account.is_active()\n", []),
        ("class Account:\n    def is_active(self):\n        return True\n", []),
        ("class User(UserMixin):\n    @property\n    def is_active(self):\n        return True\n",
         []),
        # what the rule rewrites
        ("def home():\n    return current_user.is_authenticated()\n", ["FLK802"]),
        ("import flask_login as fl\nok = fl.current_user.is_anonymous()\n", ["FLK802"]),
        ("class User(UserMixin):\n    def greet(self):\n        return self.is_active()\n",
         ["FLK802"]),
        ("class User(UserMixin):\n    def is_active(self):\n        return True\n", ["FLK802"]),
    ],
)  # fmt: skip
def test_login_properties_called(source, expected):
    source = "from flask_login import UserMixin, current_user\n\n" + source
    assert triaged(source, "FLK802", imports="") == expected
    assert found_by_rule(source, "FLK802") == expected
