"""Every rule's metadata, for flask_fix.meta.ruleinfo. Generated from the rule classes
by `python -m flask_fix.ruletable README.md`: do not edit."""

# fmt: off
RULES = ({'code': 'FLK101',
  'name': 'json-dumps-response',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Return JSON from views with `jsonify()`, not `json.dumps()`.',
  'doc': 'What it does:\n'
         '    Finds views that return `json.dumps(x)` (also `simplejson.dumps`,\n'
         '    `flask.json.dumps`, `from json import dumps` and aliases) on its own, as the '
         'body\n'
         '    of a `(body, status)`, `(body, status, headers)` or `(body, headers)` tuple, or '
         'as\n'
         '    the first argument of `make_response(...)`, and rewrites the call to '
         '`jsonify(x)`.\n'
         '\n'
         'Why is this bad?:\n'
         '    A string returned from a view is sent as `text/html; charset=utf-8`, so '
         'clients,\n'
         '    browsers and API tools do not see JSON. `jsonify` builds a response with the\n'
         "    `application/json` Content-Type and encodes what the app's JSON provider knows\n"
         '    (dates, decimals, UUIDs, dataclasses).\n'
         '\n'
         'Example:\n'
         '    @app.route("/users")\n'
         '    def users():\n'
         '        return json.dumps({"users": names}), 200\n'
         '\n'
         'Use instead:\n'
         '    @app.route("/users")\n'
         '    def users():\n'
         '        return jsonify({"users": names}), 200\n'
         '\n'
         'Fix safety:\n'
         "    Intended: the response's Content-Type becomes `application/json`; the body is "
         'the\n'
         '    same JSON value, written compact with sorted keys and a trailing newline '
         '(indented\n'
         '    in debug mode). `sort_keys=` and `separators=` are dropped: they only changed '
         'the\n'
         '    layout. Calls with `indent=`, `default=`, `cls=`, `ensure_ascii=`, any other\n'
         '    argument, or `*args`/`**kwargs` are only reported: jsonify cannot take them '
         'over.\n'
         "    Where `jsonify` is bound to something other than Flask's, the finding is "
         'reported\n'
         '    and nothing is rewritten. The import is reused when present (`from flask import\n'
         '    jsonify`, or `f.jsonify` through `import flask as f`), otherwise added; the '
         'json\n'
         '    import is removed once unused.\n'
         '    Choices where the catalogue is silent: `flask.json.dumps` counts as a '
         '`json.dumps`;\n'
         '    `json.dumps(obj=x)` becomes `jsonify(x)`; only a `return` of the view itself '
         'counts\n'
         '    (not one in a function nested inside it), and only `flask.make_response`; a '
         'dict\n'
         '    whose keys mix types (`{1: "a", "b": 2}`) cannot be sorted, so jsonify raises\n'
         '    TypeError where json.dumps without `sort_keys` did not.',
  'file_patterns': ()},
 {'code': 'FLK102',
  'name': 'literal-redirect',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Redirect with `url_for()`, not a literal path.',
  'doc': 'What it does:\n'
         "    Finds `redirect()` calls (Flask's or Werkzeug's) inside functions whose target "
         'is a\n'
         "    path of the project written in code: a string literal, an f-string, `'%s' % x`,\n"
         "    `'/a/' + x`, or `'/a/{}'.format(x)`. When exactly one route serves it, the path\n"
         "    becomes `url_for('endpoint', **arguments)`: the rule's variables (literal values "
         'as\n'
         '    literals, dynamic pieces as the expressions written), then the query '
         'parameters,\n'
         '    then `_anchor` for a fragment. Other arguments (`code=301`) stay as written.\n'
         '\n'
         'Why is this bad?:\n'
         "    A hand-written path silently breaks when a route's URL changes, ignores the "
         'mount\n'
         '    point (SCRIPT_NAME) an app is deployed under, and costs a second redirect when '
         'it\n'
         "    misses the rule's trailing slash. `url_for` builds the URL from the route "
         'itself.\n'
         '    A path no route serves is a 404 waiting for the user.\n'
         '\n'
         'Example:\n'
         '    @app.route("/products/<int:product_id>")\n'
         '    def show_product(product_id): ...\n'
         '\n'
         '    @app.post("/products")\n'
         '    def create_product():\n'
         '        product = save(request.form)\n'
         '        return redirect(f"/products/{product.id}")\n'
         '\n'
         'Use instead:\n'
         '    @app.post("/products")\n'
         '    def create_product():\n'
         '        product = save(request.form)\n'
         '        return redirect(url_for("show_product", product_id=product.id))\n'
         '\n'
         'Fix safety:\n'
         "    Intended: the Location header now carries the app's mount point (SCRIPT_NAME) "
         'and\n'
         "    the rule's canonical form: its trailing slash (`/about` becomes `/about/` "
         'instead\n'
         '    of a second redirect), numbers without leading zeros, `?flag` written `?flag=`.\n'
         '    A dynamic piece is now quoted by its converter, so a `/`, `?` or `#` inside it '
         'stays\n'
         "    in the variable instead of changing the URL's structure. A piece bound to an "
         '`int`,\n'
         '    `float`, `uuid` or `any` converter goes through it when the URL is built: a '
         'value the\n'
         '    converter rejects now raises there instead of redirecting to a URL that 404s, '
         'and\n'
         '    one it converts (`2` for a float, `5` for `int(fixed_digits=3)`) now reaches '
         'the\n'
         '    route; the finding says so, except for `%d` and `%i`, which already wrote an\n'
         '    integer as the int converter does (bound to another converter, such a piece is\n'
         '    passed as `int(x)`).\n'
         '    Reported, not rewritten: a path no route serves (with the nearest routes), one\n'
         '    several routes may serve, query values or fragments that url_for would encode\n'
         '    differently or that are built at run time, conversions and format specs other '
         'than\n'
         '    `!s` (`{x!r}`, `{x:03d}`, `%05d`, `%(key)s`), `.format` fields reading '
         'attributes or\n'
         '    items, values unpacked with `*`, and places where `url_for` or `int` is not the '
         'one\n'
         '    expected.\n'
         '    Choices where the catalogue is silent: endpoints are always written in full\n'
         "    (`'admin.users'`); dynamic pieces are passed exactly as written (`str(pid)` "
         'stays);\n'
         '    only a redirect evaluated inside a function is rewritten (url_for needs a '
         'request or\n'
         '    app context; module level, class bodies, decorators and defaults are left '
         'alone); a\n'
         '    URL that does not start with `/` (external, relative, or starting with a '
         'dynamic\n'
         '    piece) and an expression that is not one of the forms above (`request.referrer '
         'or\n'
         "    '/'`, a variable, a conditional) give no finding; in `'/p/' + (a + b)` the\n"
         "    parenthesized sum is one piece. In a project with several apps, a view's "
         'redirect\n'
         '    is resolved among the routes its own app serves (and those whose app is '
         'unknown):\n'
         "    `/cart` in one app's view is that app's `/cart`, whatever another app serves; a\n"
         '    URL only another app serves is reported. A function that is no view resolves\n'
         "    among all the project's routes.",
  'file_patterns': ()},
 {'code': 'FLK103',
  'name': 'request-args-cast',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Convert request values with `.get(key, default=..., type=int)`, not `int(...)`.',
  'doc': 'What it does:\n'
         '    Finds `int(...)`/`float(...)` casts of a value read from `request.args`,\n'
         "    `request.form` or `request.values` (`.get('k', d)`, `.get('k') or d`, "
         "`.get('k')`,\n"
         "    `['k']`) and rewrites them to `request.args.get('k', default=d, type=int)`. "
         'Also\n'
         "    spells out `request.args.get('k', d, int)` as `.get('k', default=d, type=int)`.\n"
         '\n'
         'Why is this bad?:\n'
         "    `int(request.args.get('page', 1))` raises ValueError when a client sends\n"
         "    `?page=abc`: a 500 Internal Server Error for a client's mistake. With "
         '`type=int`,\n'
         '    Werkzeug converts the value itself and returns the default when it cannot.\n'
         '\n'
         'Example:\n'
         "    page = int(request.args.get('page', '1'))\n"
         "    per_page = int(request.args.get('per_page') or 20)\n"
         '\n'
         'Use instead:\n'
         "    page = request.args.get('page', default=1, type=int)\n"
         "    per_page = request.args.get('per_page', default=20, type=int)\n"
         '\n'
         'Fix safety:\n'
         '    Intended, for a literal default: a malformed value now gives the default '
         'instead\n'
         '    of a 500; valid and missing values give what they gave before. Werkzeug returns '
         'the\n'
         "    default unconverted, so it is written as the target type (`'20'` becomes `20`,\n"
         '    `1` becomes `1.0` for `float`); a default already of that type is kept as '
         'written\n'
         "    (`0x10`). A literal with no such value (`'1.5'` for `int`, `True`, `None`, "
         'bytes,\n'
         "    `'nan'`) is only reported. With `.get('k') or d` an empty value gave `d` before "
         'and\n'
         "    still does (`int('')` fails, so `type=` falls back to the default). With\n"
         '    `request.values`, a malformed query value falls through to a form value of the '
         'same\n'
         '    name before the default (CombinedMultiDict.get tries each source in turn).\n'
         '    Unsafe: a default that is not a literal (`PER_PAGE`, `config.PER_PAGE`) is kept '
         'as\n'
         '    the expression, returned unconverted, so it may not be of the target type; '
         'after\n'
         '    `or` it was evaluated only for a missing or empty value, now on every call.\n'
         "    `int(request.args.get('k'))` and `int(request.args['k'])` become\n"
         "    `.get('k', type=int)`: a missing or malformed value gives None instead of a 500\n"
         "    (or a 400 for a missing `['k']`).\n"
         "    Safe: `.get('k', d, int)` to `.get('k', default=d, type=int)`, the same call.\n"
         '    No finding at all: a cast in the body of a `try` whose handler catches what the '
         'cast\n'
         '    raised: ValueError, Exception, BaseException or a bare `except:`; also '
         'TypeError\n'
         '    (`int(None)`) when there is no default or one that is not a number or numeric\n'
         "    string; also KeyError, LookupError and Werkzeug's BadRequestKeyError, "
         'BadRequest\n'
         "    and HTTPException for `['k']` (Werkzeug raises BadRequestKeyError, a subclass "
         'of\n'
         '    all of them). Also left alone: a base argument (`int(x, 16)`), a `.get()` that\n'
         '    already has a type or arguments the rule does not know, names that do not '
         'resolve\n'
         "    to Flask's `request` and the builtin `int`/`float`, and `request.headers` and\n"
         '    `request.cookies`: they have the same `.get(type=)`, but RULES.md names args, '
         'form\n'
         '    and values only.',
  'file_patterns': ()},
 {'code': 'FLK104',
  'name': 'json-loads-request',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Parse request bodies with `request.get_json()`, not `json.loads`.',
  'doc': 'What it does:\n'
         '    Finds `json.loads(request.data)`, `json.loads(request.get_data())` and\n'
         '    `json.loads(request.get_data(as_text=True))` and rewrites them to\n'
         '    `request.get_json(force=True)`.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask already parses the request body: `request.get_json()` caches the result '
         'and\n'
         "    turns invalid JSON into a 400 Bad Request. Decoding by hand turns a client's "
         'mistake\n'
         '    into a 500 Internal Server Error.\n'
         '\n'
         'Example:\n'
         '    data = json.loads(request.data)\n'
         '\n'
         'Use instead:\n'
         '    data = request.get_json(force=True)\n'
         '\n'
         'Fix safety:\n'
         '    Intended: invalid or empty JSON now gives 400 instead of 500; valid bodies give '
         'the\n'
         '    same value. `force=True` keeps accepting bodies whatever their Content-Type '
         '(without\n'
         '    it Flask answers 415 when the Content-Type is not JSON). Calls with extra '
         'arguments\n'
         '    (`object_hook=`, `parse_float=`...) are only reported. A call inside a `try` '
         'whose\n'
         '    handler catches `ValueError` (or `Exception`, or everything) is left alone: the\n'
         '    program already handles bad input, and the 400 would bypass that handler.',
  'file_patterns': ()},
 {'code': 'FLK105',
  'name': 'hand-built-external-url',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Build absolute URLs with `url_for(..., _external=True)`, not from '
             '`request.host_url`.',
  'doc': 'What it does:\n'
         "    Finds absolute URLs built by hand from Flask's request inside functions:\n"
         "    `request.host_url + 'orders/1'`, `request.url_root + ...`, f-strings, `%` and\n"
         '    `.format` that start with `request.host_url` or `request.url_root`, and\n'
         "    `'https://' + request.host + '/orders'` (a literal scheme, or `request.scheme`,\n"
         '    then `://`, then `request.host`). When exactly one route serves the path, as in\n'
         '    FLK102 (the same route resolution, query parameters and dynamic pieces), the\n'
         "    expression becomes `url_for('endpoint', **arguments, _external=True)`.\n"
         '\n'
         'Why is this bad?:\n'
         '    The path is written twice, in the route and in the string, and silently breaks\n'
         "    when the route's URL changes. `request.host_url` leaves out the mount point\n"
         '    (SCRIPT_NAME) of an app deployed under a prefix, and a hard-coded `http://` '
         'gives\n'
         '    plain-HTTP links on an HTTPS site. `url_for(..., _external=True)` builds the '
         'whole\n'
         '    URL from the route and the request.\n'
         '\n'
         'Example:\n'
         '    @app.route("/orders/<int:order_id>")\n'
         '    def order(order_id): ...\n'
         '\n'
         '    @app.post("/orders")\n'
         '    def create_order():\n'
         '        order = save(request.form)\n'
         '        send_mail(order.email, request.host_url + "orders/" + str(order.id))\n'
         '\n'
         'Use instead:\n'
         '    @app.post("/orders")\n'
         '    def create_order():\n'
         '        order = save(request.form)\n'
         '        send_mail(order.email, url_for("order", order_id=str(order.id), '
         '_external=True))\n'
         '\n'
         'Fix safety:\n'
         "    Intended: the URL may change. Its scheme is the request's (or, outside a "
         'request,\n'
         "    PREFERRED_URL_SCHEME), so `'http://' + request.host + ...` becomes `https://` on "
         'an\n'
         "    HTTPS request and `'https://' + ...` becomes `http://` behind a proxy that\n"
         '    terminates TLS unless the app trusts X-Forwarded-Proto (ProxyFix); the finding '
         'says\n'
         "    so. The host is SERVER_NAME's when it is set. From `request.host_url`, the URL "
         'now\n'
         "    carries the app's mount point (SCRIPT_NAME): the hand-built one pointed outside "
         'an\n'
         '    app deployed under a prefix. Everything FLK102 changes changes here too: the '
         "rule's\n"
         '    trailing slash, numbers without leading zeros, `?flag` written `?flag=`, '
         'dynamic\n'
         '    pieces quoted and checked by their converter (the finding says so for int, '
         'float,\n'
         '    uuid and any).\n'
         '    Reported, not rewritten: a path no route serves (with the nearest routes), one\n'
         "    several routes may serve, `request.host_url + '/orders'` (the URL's path starts "
         'with\n'
         '    `//`, since host_url ends with `/`), and every case FLK102 reports (query values '
         'or\n'
         '    fragments url_for would encode differently, format specs, values unpacked with\n'
         '    `*`, a `url_for` or `int` that is not the one expected, a route of another '
         'app).\n'
         '    Choices where the catalogue is silent: only expressions evaluated inside a '
         'function\n'
         '    are rewritten (url_for needs a context); the base alone (`request.host_url`), a\n'
         '    base followed by a variable (`request.host_url + path`), `request.host` with no\n'
         '    scheme before it, and a base that is not at the start (`\'<a href="\' +\n'
         "    request.host_url + ...`) give no finding; `request` must be Flask's (a "
         'parameter\n'
         '    named `request` is not).',
  'file_patterns': ()},
 {'code': 'FLK201',
  'name': 'app-factory',
  'kind': 'project',
  'fix_level': 'unsafe',
  'summary': 'Build the app in a `create_app()` factory, not at import time.',
  'doc': 'What it does:\n'
         '    Turns a module-level `app = Flask(__name__)` into an application factory,\n'
         '    `create_app(config=None)`, across the whole project:\n'
         '\n'
         "    - the app's construction and everything that uses it at import time\n"
         '      (configuration, `ext.init_app(app)`, `register_blueprint`, middleware, '
         'logging,\n'
         '      Jinja settings, `with app.app_context(): db.create_all()`) move, in order, '
         'into\n'
         '      `create_app()`, which applies a `config` mapping (`from_mapping`) or object\n'
         "      (`from_object`) passed in, after the module's own configuration;\n"
         '    - `db = SQLAlchemy(app)` stays at module level as `db = SQLAlchemy()`, and\n'
         "      `db.init_app(app)` runs in the factory at the same point (FLK202's split). "
         'When\n'
         '      the project may run Flask-SQLAlchemy before 3.0 (its requirements allow it, '
         'or\n'
         '      declare none), whose constructor kept the app as a fallback outside an\n'
         '      application context, the conversion is refused, naming the place, if a script '
         'or\n'
         "      a module's import-time code (`db.create_all()`), or a test (`Task.query` in a "
         'test\n'
         '      function), uses the database outside `with app.app_context():` (tests run '
         'inside\n'
         '      a context pushed with `.push()` or by a fixture yielding inside one are '
         'fine);\n'
         "    - the module's routes and handlers join a blueprint `main` registered by the\n"
         '      factory, with the blueprint equivalents of app decorators (`errorhandler` →\n'
         '      `app_errorhandler`, `before_request` → `before_app_request`, '
         '`context_processor`\n'
         '      → `app_context_processor`, `template_filter` → `app_template_filter`,\n'
         '      `app.cli.command` → `bp.cli.command` with `cli_group=None`, ...);\n'
         '      `teardown_appcontext` and `shell_context_processor` are registered in the '
         'factory;\n'
         '    - `app` inside functions becomes `current_app`; modules importing the app for\n'
         '      their views get a blueprint of their own (FLK203);\n'
         "    - endpoint names follow: `url_for('index')` becomes `url_for('main.index')` in\n"
         "      every module and in the Jinja templates of the app's template folders, as do\n"
         "      `request.endpoint == 'index'` and `login_manager.login_view = 'login'`; a\n"
         "      relative `url_for('.index')` resolves against the request's blueprint, so\n"
         "      outside the moved views (handlers, helpers, the app's templates: they also "
         'run\n'
         '      for 404 pages, which have none) it gets the full name, `main.index` '
         '(`.static`\n'
         '      becomes `static`), and is reported instead when a blueprint of the project\n'
         '      has an `index` of its own;\n'
         "    - entry points keep working: `if __name__ == '__main__': app.run()` becomes\n"
         '      `create_app().run()`; wsgi.py, run.py, manage.py and test modules importing '
         'the\n'
         '      app get `from pkg import create_app` and `app = create_app()` (a test fixture\n'
         '      importing it inside its body builds its own there), and a function running '
         'the\n'
         '      app (`def main(): ... app.run()`) starts with `app = create_app()`. A script '
         'no\n'
         '      module of the project imports (a manage.py) that sets the app up at import\n'
         '      time (`migrate.init_app(app, db)`, `@app.cli.command`) keeps that setup on '
         'the\n'
         '      app it now builds, the one app it ever set up; imported by any module (tests\n'
         "      included), the conversion is refused there (FLK204), as the factory's other\n"
         '      apps would lack the setup;\n'
         "    - deployment files naming the app's module and variable (`module:app`, the "
         'module\n'
         '      in full or by its last parts) call the factory: `gunicorn app:app` in a\n'
         "      Procfile, a Dockerfile's `CMD`/`ENTRYPOINT`, a shell script, a compose file,\n"
         "      `app.yaml` or a Makefile becomes `gunicorn 'app:create_app()'` (Gunicorn 20.1\n"
         '      and later call a factory written as a call; quoted for the shell, unquoted\n'
         '      inside JSON), `waitress-serve app:app` becomes `waitress-serve --call\n'
         '      app:create_app`, and `FLASK_APP=app:app` or `flask --app app:app` become\n'
         '      `app` (Flask finds `create_app` itself). Where no such spelling exists\n'
         "      (uWSGI's `module = app:app`, a `vercel.json` whose Python build serves the\n"
         "      app's file, waitress in a Dockerfile's exec form, a server flask-fix does not\n"
         '      know, a Gunicorn older than 20.1 allowed by the requirements) the conversion\n'
         '      is refused, naming the file and line: point it at an entry module that keeps\n'
         '      a module-level app (a wsgi.py with `app = create_app()`, which the conversion\n'
         '      keeps working) first. References to other modules (`gunicorn wsgi:app`) are\n'
         '      left as they are;\n'
         '    - a function that sets the app up and is called at import time (`def\n'
         "      init_logging(): app.logger...` then `init_logging()`, in the app's module or\n"
         '      imported from another) takes the app as a parameter: the factory calls\n'
         '      `init_logging(app)` at that point. Called in the `__main__` block instead\n'
         '      (`create_tables()` before `app.run()`), it is called there with the app that\n'
         '      block now creates (`app = create_app()`, `create_tables(app)`).\n'
         '\n'
         "    Findings on the modules that import the app carry FLK203's code. Apps created "
         'in\n'
         '    test code are test scaffolding that tests load by their module-level name (like\n'
         "    Flask's own `tests/test_apps`), so they are left alone and not reported: test "
         'code\n'
         '    is `test*.py`, `*_test.py`, `*_tests.py`, `conftest.py`, any module under a\n'
         '    `tests` or `test` folder of the project (counted from the project root, the\n'
         '    folder holding pyproject.toml, setup.py, setup.cfg or .git), and modules\n'
         '    importing unittest or pytest.\n'
         '\n'
         '    A project too irregular to convert soundly (several apps in one module, an app\n'
         "    created in a conditional, a star import of the app's module, routes registered "
         'in\n'
         '    loops, a value computed from the app at import time and used elsewhere, a '
         'module\n'
         '    of the project that does not parse, such as Python 2 code, and imports the '
         "app's\n"
         '    module, ...) is reported with the exact reason, and nothing is changed. '
         '`--check\n'
         '    --unsafe-fixes` reports, once per app, what the rewrite would do or why it '
         'cannot.\n'
         '    Without `--unsafe-fixes` each app is reported from the project index alone,\n'
         "    without planning the rewrite (which parses the app's module and every module\n"
         '    importing it): the reasons it may refuse show with `--unsafe-fixes`.\n'
         '\n'
         'Why is this bad?:\n'
         '    An app created at import time exists once per process, with the configuration\n'
         '    it had when first imported: tests cannot create an app with their own settings,\n'
         '    modules that import it form import cycles, and extensions are bound to it for\n'
         "    good. Flask's documentation recommends the application factory pattern.\n"
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '    app.config.from_object("config")\n'
         '    db = SQLAlchemy(app)\n'
         '\n'
         '    @app.route("/")\n'
         '    def index():\n'
         '        return render_template("index.html")\n'
         '\n'
         'Use instead:\n'
         '    db = SQLAlchemy()\n'
         '    bp = Blueprint("main", __name__)\n'
         '\n'
         '    @bp.route("/")\n'
         '    def index():\n'
         '        return render_template("index.html")\n'
         '\n'
         '    def create_app(config=None):\n'
         '        app = Flask(__name__)\n'
         '        app.config.from_object("config")\n'
         '        if config is not None:\n'
         '            if isinstance(config, dict):\n'
         '                app.config.from_mapping(config)\n'
         '            else:\n'
         '                app.config.from_object(config)\n'
         '        db.init_app(app)\n'
         '        app.register_blueprint(bp)\n'
         '        return app\n'
         '\n'
         'Fix safety:\n'
         '    Unsafe: the import surface changes (`from app import app` no longer works;\n'
         '    every module of the project that did it is rewritten), endpoint names gain the\n'
         "    blueprint's prefix (`url_for('index')` anywhere outside the project, or built "
         'from\n'
         '    a variable, breaks with "BuildError: Could not build url for endpoint '
         "'index'.\n"
         '    Did you mean \'main.index\' instead?"), and each entry point creates its own '
         'app\n'
         '    (state kept on one app object is not shared between a test module and another).\n'
         '    Code that ran at import time now runs when `create_app()` is called, in the '
         'same\n'
         '    order. URLs, methods, responses and redirects stay the same. A computed '
         'endpoint\n'
         '    (`url_for(name)`) is reported.\n'
         '\n'
         "    Choices: the app module's blueprint is named `main` (`site` or `pages` when "
         'taken),\n'
         "    a views module's after the module (`views`); its variable is `bp` when free. "
         'The\n'
         "    `config` argument is applied right after the module's first run of "
         'configuration\n'
         '    statements (so later `init_app` calls see it): a `dict` with `from_mapping`,\n'
         '    anything else with `from_object`; the parameter is `test_config` when the '
         'module\n'
         '    already uses a global named `config`. `create_app` is placed before the '
         '`__main__`\n'
         '    block (at the end otherwise).',
  'file_patterns': ()},
 {'code': 'FLK202',
  'name': 'extension-init-app',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Create Flask extensions without the app and call `ext.init_app(app)`.',
  'doc': 'What it does:\n'
         '    Finds Flask extensions constructed with the app object, `db = SQLAlchemy(app)`,\n'
         '    and splits them into `db = SQLAlchemy()` followed, on the next line, by\n'
         '    `db.init_app(app)`. The argument must be an app object of the project: created '
         'by\n'
         '    `Flask(...)` in the module, imported from the module that creates it, or '
         'returned\n'
         "    by the project's factory (`app = create_app()`).\n"
         '\n'
         'Why is this bad?:\n'
         '    An extension given the app in its constructor is bound to that one app object, '
         'so\n'
         '    the app must exist when the module defining the extension is imported: models '
         'and\n'
         '    views then import the app module, and the project cannot build its apps in an\n'
         '    application factory (one app per test, per configuration). `ext.init_app(app)` '
         'is\n'
         "    Flask's documented extension pattern: the extension object is created once, "
         'with\n'
         '    no app, and initialised on each app the factory builds.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
         '    db = SQLAlchemy(app)\n'
         '    migrate = Migrate(app, db)\n'
         '\n'
         'Use instead:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
         '    db = SQLAlchemy()\n'
         '    db.init_app(app)\n'
         '    migrate = Migrate()\n'
         '    migrate.init_app(app, db)\n'
         '\n'
         'Fix safety:\n'
         '    Safe: `init_app` runs at the same point of setup, so the configuration set '
         'before\n'
         '    it is read exactly as before (Flask-SQLAlchemy reads its database URI there). '
         'The\n'
         '    rewrite is made only for extensions whose constructor flask-fix has read (the\n'
         '    versions are named in `flask_fix/rewrite/extensions.py`): SQLAlchemy, Migrate,\n'
         '    LoginManager, Mail, CSRFProtect, CORS, Bcrypt, Moment, Babel, Cache, Limiter,\n'
         '    Marshmallow, JWTManager, Bootstrap, DebugToolbarExtension, Session, Principal,\n'
         '    SeaSurf, Talisman, SocketIO, PyMongo, FlaskRedis and RQ, and for classes of the\n'
         '    project whose `__init__(self, app=None)` ends with `if app is not None:\n'
         '    self.init_app(app)` and uses the app nowhere else. Options go where each\n'
         "    extension's constructor sent them: `Migrate(app, db, directory=d)` becomes\n"
         '    `Migrate(directory=d)` and `migrate.init_app(app, db)`; `LoginManager(app,\n'
         '    add_context_processor=False)` passes the flag to `init_app`; a positional '
         'option,\n'
         "    `*args`/`**kwargs`, or an option that versions disagree on (Flask-Babel's\n"
         '    `default_locale`) is only reported. `Migrate(app)` without `db` never '
         'initialises\n'
         "    anything, so it is left alone; Flask-Limiter's app is recognised when passed as\n"
         '    `app=` (or first, with `key_func=`), since 3.0 takes `key_func` first.\n'
         '    A bare statement `CSRFProtect(app)` becomes `CSRFProtect().init_app(app)`.\n'
         '    Unsafe: `Mail(app)` (the constructor also keeps the app and the mail state:\n'
         '    afterwards `mail.send()` needs an application context). Report only: `db =\n'
         '    SQLAlchemy(app)` when the module uses `db.session`, `db.create_all()`,\n'
         '    `db.engine`... outside any function (its `__main__` block included, and the\n'
         '    module functions such code calls) and outside `with app.app_context():`, unless\n'
         '    the project requires Flask-SQLAlchemy 3.0 or newer — that only works with\n'
         '    Flask-SQLAlchemy 2.x, whose constructor remembers the app as a fallback, and '
         'the\n'
         '    split removes it (`python app.py` would raise). That fallback also serves uses '
         "this rule cannot see (a script's\n"
         '    `db.create_all()`, a test querying models without a context, a shell), so the\n'
         "    project's declared Flask-SQLAlchemy decides (its requirements, read by\n"
         '    `flask_fix.index.pins`): 3.0 or newer, safe (3.x keeps no app: such uses fail '
         'before the\n'
         '    split too); an older release allowed, unsafe; an older release allowed or none\n'
         '    declared, and a test module of the project imports the database: report only,\n'
         '    since a test querying outside a context would break (run such tests inside '
         '`with\n'
         '    app.app_context():`, or require Flask-SQLAlchemy>=3.0, then split; checked with\n'
         '    Flask-SQLAlchemy 2.5.1, which raises "No application found"). With no '
         'declaration\n'
         '    and no test using it, a current release is assumed, as every rule does. The app\n'
         '    factory (FLK201) looks at those uses itself. Report only: an extension\n'
         '    that keeps the app as `ext.app` (Flask-Limiter, Flask-DebugToolbar, '
         'Flask-Session)\n'
         '    when the module reads `ext.app`; extensions whose constructor does more with '
         'the\n'
         '    app (Flask-SSLify, Flask-Admin, Flask-RESTful, Flask-Assets); other classes '
         'from\n'
         '    `flask_*` packages (not checked); project classes with `init_app` whose\n'
         '    constructor does more. Only a name bound by the statement is followed (`ext = '
         '...`\n'
         '    or `ext: T = ...`); an argument that is a function parameter is not known to be '
         'an\n'
         '    app, so nothing is reported.',
  'file_patterns': ()},
 {'code': 'FLK203',
  'name': 'circular-app-import',
  'kind': 'project',
  'fix_level': 'unsafe',
  'summary': 'Use `current_app` and blueprints instead of importing the app object.',
  'doc': 'What it does:\n'
         '    Finds modules of the project that import the module-level app object (`from app\n'
         '    import app`, `from pkg import app`, `import app` then `app.app`) and reports '
         'how\n'
         '    they use it: in decorators (`@app.route`), inside functions, at import time.\n'
         '\n'
         '    With FLK201 and `--unsafe-fixes`, the application factory rewrite converts '
         'them:\n'
         '    views modules get a blueprint of their own, registered by `create_app()`, with\n'
         "    RULES.md's decorator map (`@app.route` → `@bp.route`, `@app.errorhandler` →\n"
         '    `@bp.app_errorhandler`, ...), and `app` inside their functions '
         '(`app.config[...]`,\n'
         '    `app.logger`) becomes `current_app`; entry points and tests get `app =\n'
         '    create_app()`. On its own this rule only reports.\n'
         '\n'
         'Why is this bad?:\n'
         "    The app's module usually imports its views to register their routes, and the\n"
         '    views import the app back: a cycle that works only in one import order, breaks\n'
         '    as soon as the app moves into a factory, and ties every module to the one app\n'
         '    object (tests cannot build their own).\n'
         '\n'
         'Example:\n'
         '    # views.py\n'
         '    from myapp import app\n'
         '\n'
         '    @app.route("/about")\n'
         '    def about():\n'
         '        app.logger.info("about")\n'
         '        return render_template("about.html")\n'
         '\n'
         'Use instead:\n'
         '    # views.py\n'
         '    from flask import Blueprint, current_app\n'
         '\n'
         '    bp = Blueprint("views", __name__)\n'
         '\n'
         '    @bp.route("/about")\n'
         '    def about():\n'
         '        current_app.logger.info("about")\n'
         '        return render_template("about.html")\n'
         '\n'
         'Fix safety:\n'
         "    Report only on its own. The rewrite is FLK201's (unsafe): the endpoints of "
         'moved\n'
         "    views gain the blueprint's name (`about` → `views.about`, renamed in `url_for`\n"
         '    calls and templates), and `current_app` works only where an application context\n'
         '    exists (views, handlers, CLI commands): a function using the app that may run\n'
         '    outside one (`app.app_context()`, `app.test_client()` in a helper) makes FLK201\n'
         '    refuse and leave the project unchanged.',
  'file_patterns': ()},
 {'code': 'FLK204',
  'name': 'register-at-import',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Register blueprints and initialise extensions inside the app factory.',
  'doc': 'What it does:\n'
         '    Reports app setup that runs when a module is imported, outside the application\n'
         '    factory: `app.register_blueprint(bp)`, `ext.init_app(app)` and `ext = Ext(app)`\n'
         "    (FLK202's extensions) at module level, on\n"
         '    - an app object imported from another module of the project\n'
         '      (`from myapp import app`, then `app.register_blueprint(admin)`);\n'
         "    - an app this module builds with the project's factory (`app = create_app()`,\n"
         '      then `db.init_app(app)` or `migrate = Migrate(app, db)`);\n'
         '    - a module-level `app = Flask(...)` in a project whose same package also has an\n'
         '      application factory.\n'
         '\n'
         'Why is this bad?:\n'
         '    Setup done as a side effect of an import depends on that module being imported,\n'
         '    in the right order, and applies to that one app object. In a project with an\n'
         '    application factory, the apps the factory builds elsewhere (tests, the CLI,\n'
         '    workers) silently lack the blueprint or the extension; with a global app, the\n'
         '    module doing the registration must import the app, the circular import that\n'
         "    FLK203 reports. Flask's documented pattern does all the setup inside\n"
         '    `create_app()`.\n'
         '\n'
         'Example:\n'
         '    # manage.py\n'
         '    from myapp import create_app, db\n'
         '    from flask_migrate import Migrate\n'
         '\n'
         '    app = create_app()\n'
         '    migrate = Migrate(app, db)\n'
         '\n'
         'Use instead:\n'
         '    # myapp/__init__.py\n'
         '    migrate = Migrate()\n'
         '\n'
         '    def create_app():\n'
         '        app = Flask(__name__)\n'
         '        ...\n'
         '        db.init_app(app)\n'
         '        migrate.init_app(app, db)\n'
         '        return app\n'
         '\n'
         'Fix safety:\n'
         '    Report only: moving setup into the factory changes when it runs and for which\n'
         '    apps. Not reported: setup inside functions (a factory, or a helper it calls),\n'
         '    inside `if __name__ == "__main__":` (never run on import), on an app created in\n'
         "    the same module of a project without a factory (that whole module is FLK201's\n"
         '    application-factory rewrite), and on anything not known to be an app (a '
         'function\n'
         '    parameter, a blueprint: `bp.register_blueprint(child)` is how nested blueprints\n'
         '    are set up). A factory is a function of the project that creates `Flask(...)` '
         'and\n'
         '    returns it.',
  'file_patterns': ()},
 {'code': 'FLK301',
  'name': 'outside-app-context',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Use `current_app`, `g`, `url_for` and `db.session` inside an app context.',
  'doc': 'What it does:\n'
         '    Finds code run at import time that needs an application context: `current_app`\n'
         '    and `g` used (an attribute read or set, an item), `url_for(...)`,\n'
         '    `render_template(...)`, `render_template_string(...)`, `stream_template(...)`,\n'
         "    `stream_template_string(...)` and `jsonify(...)` called, and Flask-SQLAlchemy's\n"
         '    `db.session` used, `Model.query` read, `db.create_all()`, `db.drop_all()`,\n'
         '    `db.reflect()` or `db.get_engine()` called, or `db.engine` read. Import time\n'
         '    means module level, class bodies, decorators and their arguments, default\n'
         "    argument values, and the bodies of this module's functions called (or applied\n"
         '    as decorators) from there, followed call by call.\n'
         '\n'
         'Why is this bad?:\n'
         '    These names only work while an application context is pushed: during a request,\n'
         '    a CLI command, or inside `with app.app_context():`. Importing the module raises\n'
         '    "RuntimeError: Working outside of application context." Flask-SQLAlchemy 3 '
         'binds\n'
         "    its session and queries to the app context too, and finds the app's engine\n"
         '    (for `create_all()` and the rest) through it.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
         '    db = SQLAlchemy(app)\n'
         '    ADMINS = User.query.filter_by(admin=True).all()\n'
         '    UPLOADS = current_app.config["UPLOAD_FOLDER"]\n'
         '\n'
         'Use instead:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
         '    db = SQLAlchemy(app)\n'
         '    with app.app_context():\n'
         '        ADMINS = User.query.filter_by(admin=True).all()\n'
         '\n'
         '    def uploads():\n'
         '        return current_app.config["UPLOAD_FOLDER"]\n'
         '\n'
         'Fix safety:\n'
         '    Report only: where the code belongs (a function, a CLI command, a\n'
         '    `with app.app_context():` block) is a design decision. Not reported: code '
         'inside\n'
         '    `with app.app_context():` (app names), `with app.test_request_context():`,\n'
         '    `with app.request_context(...)` or `with app.test_client():` (all names); code\n'
         '    after `app.app_context().push()` (or `ctx.push()` of a context made earlier);\n'
         '    code guarded by `if has_app_context():` or `if current_app:` (a proxy is false\n'
         '    outside its context); code in a `try` whose handler catches RuntimeError (or\n'
         '    Exception, or everything), or inside `with contextlib.suppress(RuntimeError)`.\n'
         '    A bare reference does not count (`x = current_app`, '
         '`jinja_env.globals["url_for"]\n'
         '    = url_for`): only a use raises. `db` must be a Flask-SQLAlchemy object created\n'
         '    in the project (resolved through imports and re-exports) and `Model` a class\n'
         "    deriving from its `db.Model`; for `db.session` the scoped session's own\n"
         '    `query_property()`, `registry` and `session_factory` need no context, and\n'
         '    `db.create_all(app=app)` (an app given, as Flask-SQLAlchemy before 3.0 allowed)\n'
         '    needs none there; 3.0 removed the argument, a TypeError this rule leaves alone.\n'
         '    Choices where the catalogue is silent: an `if __name__ == "__main__":` block\n'
         '    counts (run as a script it is outside any context too); only calls of this\n'
         "    module's own module-level functions are followed (not methods, not other\n"
         "    modules, at most 8 calls deep); a generator expression's body and a lambda's\n"
         "    body run later and do not count; annotations do not count. When the project's\n"
         '    requirements allow Flask-SQLAlchemy older than 3.0, a `db` created with the app\n'
         '    (`SQLAlchemy(app)`) falls back to that app outside a context: its uses are '
         'still\n'
         '    reported (they break on 3.0, or once FLK202 splits the constructor), saying so\n'
         '    rather than claiming an error; one given its app with `init_app` quotes that\n'
         '    version\'s "No application found" error.',
  'file_patterns': ()},
 {'code': 'FLK302',
  'name': 'outside-request-context',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Use `request`, `session` and `flash` only while handling a request.',
  'doc': 'What it does:\n'
         '    Finds code run at import time that needs a request context: `request` and\n'
         '    `session` used (an attribute, an item, `key in session`) and `flash(...)`\n'
         '    called. Import time means module level, class bodies, decorators and their\n'
         "    arguments, default argument values, and the bodies of this module's functions\n"
         '    called (or applied as decorators) from there, followed call by call.\n'
         '\n'
         'Why is this bad?:\n'
         '    `request` and `session` describe the request being handled; there is none while\n'
         '    a module is imported. Flask raises "RuntimeError: Working outside of request\n'
         '    context." An application context (`with app.app_context():`) is not enough.\n'
         '    A default argument value is the classic trap: `def '
         'search(q=request.args.get("q"))`\n'
         '    is evaluated once, when the `def` runs.\n'
         '\n'
         'Example:\n'
         '    @app.route("/search")\n'
         '    def search(q=request.args.get("q")):\n'
         '        return run_search(q)\n'
         '\n'
         'Use instead:\n'
         '    @app.route("/search")\n'
         '    def search():\n'
         '        q = request.args.get("q")\n'
         '        return run_search(q)\n'
         '\n'
         'Fix safety:\n'
         '    Report only: the code must move into a view (or a function called from one).\n'
         '    Not reported: code inside `with app.test_request_context(...):`,\n'
         '    `with app.request_context(environ):` or `with app.test_client():`, code after\n'
         '    `app.test_request_context().push()`, code guarded by `if '
         'has_request_context():`\n'
         '    or `if request:`, code in a `try` whose handler catches RuntimeError (or\n'
         '    Exception, or everything) or inside `with contextlib.suppress(RuntimeError)`.\n'
         '    Inside `with app.app_context():` the request names are still reported: an app\n'
         '    context carries no request. A bare reference does not count (`x = request`):\n'
         "    only a use raises. The `__main__` block counts; only calls of this module's own\n"
         '    module-level functions are followed; lambda and generator bodies run later and\n'
         '    do not count.',
  'file_patterns': ()},
 {'code': 'FLK303',
  'name': 'proxy-in-background-task',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': "Do not hand Flask's context proxies to threads or tasks.",
  'doc': 'What it does:\n'
         "    Finds Flask's context proxies (`current_app`, `request`, `session`, `g`) handed\n"
         '    to code that runs elsewhere: passed as arguments to '
         '`threading.Thread(target=...,\n'
         '    args=..., kwargs=...)`, `threading.Timer(interval, function, args=...)`, an\n'
         "    executor's `.submit(fn, ...)` / `.map(fn, ...)` (a\n"
         '    `concurrent.futures.ThreadPoolExecutor` or `ProcessPoolExecutor` created in the\n'
         "    module), a Celery task's `.delay(...)`, `.apply_async(args, kwargs)`, `.s(...)`\n"
         '    or `.si(...)`, or through `functools.partial(fn, ...)` as the target. Also '
         'finds\n'
         '    thread targets of this module (a function, a nested function, a `self.method` '
         'of\n'
         '    the same class, a lambda) that use these proxies, or call `url_for`,\n'
         '    `render_template*`, `jsonify` or `flash`, outside a context they push '
         'themselves.\n'
         '\n'
         'Why is this bad?:\n'
         '    The proxies point at the context of the thread that is handling the request.\n'
         "    A new thread, an executor's worker or a Celery worker has no context, so the\n"
         '    first use raises "RuntimeError: Working outside of application context." (or\n'
         '    "... of request context."), usually in a log nobody reads. Celery arguments are\n'
         '    serialized: a proxy cannot be sent at all.\n'
         '\n'
         'Example:\n'
         '    def send_async(app, msg):\n'
         '        with app.app_context():\n'
         '            mail.send(msg)\n'
         '\n'
         '    @app.route("/signup", methods=["POST"])\n'
         '    def signup():\n'
         '        Thread(target=send_async, args=(current_app, make_msg())).start()\n'
         '        return "ok"\n'
         '\n'
         'Use instead:\n'
         '    @app.route("/signup", methods=["POST"])\n'
         '    def signup():\n'
         '        Thread(\n'
         '            target=send_async, args=(current_app._get_current_object(), make_msg())\n'
         '        ).start()\n'
         '        return "ok"\n'
         '\n'
         'Fix safety:\n'
         '    Intended: `current_app` passed to a thread of this process (Thread, Timer,\n'
         '    ThreadPoolExecutor) becomes `current_app._get_current_object()`, the '
         'application\n'
         '    object itself, which the thread can use and push a context with; the thread now\n'
         '    gets the app instead of a proxy that fails there. Everything else is reported:\n'
         '    `request`, `session` and `g` (pass the values the thread needs, or decorate the\n'
         '    target with `@copy_current_request_context`); any proxy sent to another process\n'
         '    (ProcessPoolExecutor, Celery), where even the app cannot be sent; `current_app`\n'
         '    passed at import time (resolving it there would raise); thread targets using '
         'the\n'
         '    proxies (push `with app.app_context():` in the thread).\n'
         "    Not reported: a target that runs with a copy of the caller's contexts "
         '(decorated\n'
         '    with `@copy_current_request_context`, wrapped in '
         '`copy_current_request_context(fn)`\n'
         '    at the call, or started through `contextvars.copy_context().run`); the body of '
         'a\n'
         '    target carrying a decorator other than `staticmethod`/`classmethod` (the\n'
         "    project's own decorator may push a context); uses inside `with "
         'app.app_context():` (app\n'
         '    names) or `with app.test_request_context():` in the target, names that are not\n'
         "    Flask's (a parameter called `request`), receivers that are not a resolved\n"
         '    executor or Celery task. `db.session` and `Model.query` in thread targets are\n'
         "    FLK502's. Choices where the catalogue is silent: only the target itself is\n"
         '    walked, not the functions it calls; executors stored on `self` are not resolved.',
  'file_patterns': ()},
 {'code': 'FLK304',
  'name': 'test-outside-app-context',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Push an application context in tests that use the database or `current_app`.',
  'doc': 'What it does:\n'
         '    Finds test code that needs an application context and has none: a unittest\n'
         "    `TestCase`'s methods (`setUp`, `setUpClass`, `tearDown`, the tests and the "
         'helper\n'
         "    methods they call), pytest fixtures and tests, using Flask-SQLAlchemy's\n"
         '    `db.session`, `Model.query`, `db.create_all()`, `db.drop_all()`, `db.engine`,\n'
         '    or `current_app`, `g`, `url_for(...)`, `render_template(...)`, `jsonify(...)`,\n'
         '    directly or in a function of the module they call. Pushes an application\n'
         '    context for them: `self.app_context = app.app_context()` and\n'
         '    `self.app_context.push()` in `setUp` (in `setUpClass` on `cls` when that is '
         'where\n'
         '    the database is first used), `self.app_context.pop()` at the end of `tearDown`\n'
         '    (both methods created when missing); a pytest fixture or test runs the rest of\n'
         '    its body inside `with app.app_context():`, a fixture that returned its value\n'
         '    yields it there instead.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-SQLAlchemy before 3.0 kept the app given to `SQLAlchemy(app)` and fell '
         'back\n'
         '    on it outside an application context, so legacy suites call `db.create_all()` '
         'in\n'
         '    `setUp` with no context. From 3.0 the session and the engines live in the app\n'
         '    context: every such test fails with "RuntimeError: Working outside of '
         'application\n'
         '    context.". `current_app`, `g` and the helpers calling them need a context on\n'
         '    every release.\n'
         '\n'
         'Example:\n'
         '    class BlogTestCase(unittest.TestCase):\n'
         '        def setUp(self):\n'
         '            db.create_all()\n'
         '\n'
         '        def tearDown(self):\n'
         '            db.session.remove()\n'
         '            db.drop_all()\n'
         '\n'
         'Use instead:\n'
         '    class BlogTestCase(unittest.TestCase):\n'
         '        def setUp(self):\n'
         '            self.app_context = app.app_context()\n'
         '            self.app_context.push()\n'
         '            db.create_all()\n'
         '\n'
         '        def tearDown(self):\n'
         '            db.session.remove()\n'
         '            db.drop_all()\n'
         '            self.app_context.pop()\n'
         '\n'
         'Fix safety:\n'
         '    Safe: pushing an application context around a test works on every Flask and\n'
         '    Flask-SQLAlchemy release, and the code that ran without one ran against the '
         'same\n'
         "    app. The app is the one `setUp` stores (`self.app = create_app('testing')`, the\n"
         '    context pushed right after that line) or keeps in a local, a pytest fixture\n'
         '    parameter named `app`, or the one app the test module imports or creates at\n'
         '    module level; with none (or several) the finding is a report. Nothing is\n'
         "    changed where a context is already pushed: Flask-Testing's `TestCase` (it "
         'pushes\n'
         '    `self.app.test_request_context()` before `setUp`), a class or function calling\n'
         '    `.push()`, code inside `with app.app_context():` or `with\n'
         '    app.test_request_context():`, a module pushing one at import time, tests under '
         'a\n'
         '    `conftest.py` that pushes one, a test taking a fixture of the module that does.\n'
         '    Module-level helpers that are not tests stay as they are (the tests calling '
         'them\n'
         '    get the context), so do a `db` that is not a Flask-SQLAlchemy object and a '
         'local\n'
         '    named `current_app`. A subclass of a project test class defined in another\n'
         '    module that uses the database itself is only reported (its base gets the\n'
         '    context); a `tearDown` that returns early, and a fixture returning in several\n'
         '    places, are reported.',
  'file_patterns': ()},
 {'code': 'FLK305',
  'name': 'shared-db-connection',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Open a database connection per request in `g`, not once at import time.',
  'doc': 'What it does:\n'
         '    Finds a database connection opened at import time, at module level (outside\n'
         "    `if __name__ == '__main__':`), by a DB-API driver's `connect()` (`sqlite3`,\n"
         '    `psycopg2`, `psycopg`, `pymysql`, `MySQLdb`, `mysql.connector`, `cx_Oracle`,\n'
         '    `oracledb`, `pyodbc`, `pymssql`, however imported), and used by a view: by a\n'
         '    function the project routes to, or by a function of the same module a view '
         'calls\n'
         '    (followed call by call). A module-level cursor of that connection counts as the\n'
         '    connection.\n'
         '\n'
         'Why is this bad?:\n'
         '    The module is imported once per worker process, so every request of every '
         'thread\n'
         "    shares one connection, and its one transaction: one request's uncommitted "
         'writes\n'
         '    are visible to the others, a rollback undoes them all, and a failed statement\n'
         '    leaves the connection unusable for everyone until the process restarts. Drivers\n'
         '    are not safe to share between threads (psycopg2 serialises them, MySQLdb and\n'
         '    PyMySQL corrupt the protocol), and SQLite refuses it from another thread:\n'
         '    "SQLite objects created in a thread can only be used in that same thread." A\n'
         '    connection the server closes when idle is never reopened.\n'
         '\n'
         'Example:\n'
         '    db = sqlite3.connect("app.db")\n'
         '\n'
         '    @app.route("/notes")\n'
         '    def notes():\n'
         '        return {"notes": db.execute("SELECT text FROM notes").fetchall()}\n'
         '\n'
         'Use instead:\n'
         '    def get_db():\n'
         '        if "db" not in g:\n'
         '            g.db = sqlite3.connect(current_app.config["DATABASE"])\n'
         '        return g.db\n'
         '\n'
         '    @app.teardown_appcontext\n'
         '    def close_db(exception):\n'
         '        db = g.pop("db", None)\n'
         '        if db is not None:\n'
         '            db.close()\n'
         '\n'
         '    @app.route("/notes")\n'
         '    def notes():\n'
         '        return {"notes": get_db().execute("SELECT text FROM notes").fetchall()}\n'
         '\n'
         'Fix safety:\n'
         "    Report only: where the connection's settings come from and when it is closed\n"
         "    are the program's to decide (Flask's tutorial opens it in `g` and closes it in\n"
         "    `teardown_appcontext`; a pool such as SQLAlchemy's is the other way). Not\n"
         '    reported: a connection opened inside a function (`get_db()`), or under the\n'
         "    `__main__` guard; one used only by functions no view reaches (a script's\n"
         '    `main()`, a CLI command); a name bound more than once (`conn = None` then\n'
         '    assigned again), since which connection a view sees is not known. Uses through\n'
         "    another module (`from db import conn` in the views' module) are not followed.",
  'file_patterns': ()},
 {'code': 'FLK401',
  'name': 'debug-true',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Turn on debug mode with `FLASK_DEBUG`, not `app.run(debug=True)`.',
  'doc': 'What it does:\n'
         '    Finds `app.run(debug=True)` on a Flask app and removes `debug=True`. Reports\n'
         '    (without a rewrite) debug mode switched on in the configuration:\n'
         "    `app.debug = True`, `app.config['DEBUG'] = True`, "
         '`app.config.update(DEBUG=True)`,\n'
         '    `from_mapping(DEBUG=True)`, and `DEBUG = True` in a config class or module the\n'
         '    project loads with `config.from_object(...)` or `config.from_pyfile(...)`.\n'
         '\n'
         'Why is this bad?:\n'
         "    Debug mode turns on Werkzeug's interactive debugger: any exception shows a page\n"
         '    where a visitor can run Python code on the server. Hard-coding it means the day '
         'the\n'
         "    app is started this way on a reachable host, anyone can take it over. Flask's\n"
         '    documentation asks for debug mode to be switched on from outside the code, with\n'
         '    `FLASK_DEBUG=1` or `flask run --debug`, and never in production.\n'
         '\n'
         'Example:\n'
         '    if __name__ == "__main__":\n'
         '        app.run(host="127.0.0.1", debug=True)\n'
         '\n'
         'Use instead:\n'
         '    if __name__ == "__main__":\n'
         '        app.run(host="127.0.0.1")\n'
         '\n'
         'Fix safety:\n'
         '    Intended: `app.run()` no longer forces debug mode; it follows `FLASK_DEBUG` '
         'when\n'
         "    that variable is set, and the app's own `DEBUG` setting otherwise (off by "
         'default),\n'
         '    so the reloader and the debugger run only where the developer asks for them. '
         'Other\n'
         '    arguments of `run()` stay as written. Only a literal `True` passed as `debug=` '
         'is\n'
         '    removed (`debug=os.environ.get(...)` already comes from outside), and only on\n'
         '    objects that surely are Flask apps: a name whose binding that reaches the call, '
         'in\n'
         "    the module's execution order, is `Flask(...)`, a project factory returning a "
         'new\n'
         '    app, or an app imported from the module creating it (`app = Flask(__name__)`,\n'
         '    `app.run(debug=True)`, `app = 1`, `app.run(debug=True)`: the first call only).\n'
         '    When a binding in a branch, a loop or a function (`global`) may make it '
         'something\n'
         '    else, the call is reported and not rewritten. `run(debug=True)` on other '
         'objects\n'
         '    (a Socket.IO server, a name rebound to something else), instances of Flask\n'
         '    subclasses, `self` in a Flask subclass and a positional `debug` argument are '
         'left\n'
         '    alone. The configuration forms are only\n'
         '    reported: which environment loads a config class or sets `DEBUG` is the '
         "project's\n"
         '    deployment decision. Test modules (in `tests/`, `test/` or `testing/` folders,\n'
         '    `test_*.py`, `*_test.py`, `conftest.py`) are skipped: tests switch debug mode on '
         'to\n'
         '    test it, and never deploy; so is a test configuration, a config class whose own\n'
         '    body sets `TESTING = True`.',
  'file_patterns': ()},
 {'code': 'FLK402',
  'name': 'hardcoded-secret-key',
  'kind': 'python',
  'fix_level': 'unsafe',
  'summary': 'Load the secret key from the environment, not from a literal in the code.',
  'doc': 'What it does:\n'
         '    Finds the secret key set from a string (or bytes) literal: `app.secret_key =\n'
         '    "..."`, `app.config["SECRET_KEY"] = "..."`, '
         '`app.config.update(SECRET_KEY="...")`,\n'
         '    `from_mapping(SECRET_KEY="...")` or `{"SECRET_KEY": "..."}`, and `SECRET_KEY =\n'
         '    "..."` in a config class or module the project loads with\n'
         '    `config.from_object(...)` or `config.from_pyfile(...)` (their project base '
         'classes\n'
         '    included). With `--unsafe-fixes` the literal becomes `os.environ["SECRET_KEY"]`\n'
         '    where the app is set up, and `os.environ.get("SECRET_KEY")` in a config class\n'
         '    body or a settings module (see Fix safety).\n'
         '    A literal fallback (`os.environ.get("SECRET_KEY", "dev")`, `os.getenv(..., '
         '"dev")`,\n'
         '    `os.environ.get("SECRET_KEY") or "dev"`) is reported: it is the key that ships\n'
         '    whenever the variable is missing. Keys that are short (under 24 characters), '
         'made\n'
         '    of a repeated character, or well-known placeholders ("dev", "changeme", "hard '
         'to\n'
         '    guess string"...) are called out as guessable.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask signs the session cookie with the secret key. Whoever knows the key can\n'
         '    write any session they like (log in as any user, skip any check kept in the\n'
         '    session) and forge everything else signed with it (password-reset and\n'
         '    confirmation tokens). A key in the code is known to everyone who can read the\n'
         '    repository, its history and its forks, and is the same in every deployment.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SECRET_KEY"] = "dev"\n'
         '\n'
         'Use instead:\n'
         '    import os\n'
         '\n'
         '    app = Flask(__name__)\n'
         '    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]\n'
         '\n'
         'Fix safety:\n'
         '    Unsafe: sessions signed with the old key become invalid when a new one is set, '
         'and\n'
         '    an app that no longer finds the key behaves differently. Where the key is set '
         'on\n'
         '    the app itself (`app.config[...]`, `app.secret_key`, `config.update(...)`,\n'
         '    `from_mapping(...)`, at module level or in `create_app`), the value is read '
         'when\n'
         '    that app is set up, so `os.environ["SECRET_KEY"]` makes that app fail to start\n'
         '    (KeyError) wherever the variable is not set: the failure the fix is for. A '
         'config\n'
         '    class body or a settings module is different: it is evaluated whenever its '
         'module\n'
         '    is imported, for every configuration in it, also by tests that use another '
         'class\n'
         '    (`TestingConfig` next to a `ProductionConfig` holding the literal), so a '
         'KeyError\n'
         '    there would break every import of the module. There the literal becomes\n'
         '    `os.environ.get("SECRET_KEY")`: the module stays importable without the '
         'variable,\n'
         '    and an app started with that configuration and no variable has no key, so Flask\n'
         '    refuses to write a session (RuntimeError on first use) and Flask-WTF refuses to\n'
         '    make CSRF tokens; nothing is signed with a known key. An `os` or\n'
         '    `from os import environ` already imported is used,\n'
         '    else `import os` is added; where the name `os` means something else the finding '
         'is\n'
         '    only reported. Reported without a rewrite: literal\n'
         '    fallbacks (the variable may be optional on purpose), keys set under an `if` or\n'
         '    `try` in a class or module body (the condition decides, e.g. "use the '
         'environment\n'
         '    when set"), and `config.setdefault(...)`. An empty string is not reported '
         '(Flask\n'
         '    treats it as no key at all). Test modules (in `tests/`, `test/` or `testing/`\n'
         '    folders, `test_*.py`, `*_test.py`, `conftest.py`) are skipped: a key that only '
         'a\n'
         '    test app uses never reaches a deployment, and the rewrite would make the test\n'
         '    suite depend on the environment; for the same reason a test configuration (a\n'
         '    config class whose own body sets `TESTING = True`) is skipped, and a class such '
         'a\n'
         '    test configuration inherits the key from (`BaseConfig` under `TestingConfig` in\n'
         '    the same module) is reported without a rewrite: the test suite would run with '
         'no\n'
         '    key (sessions, flash and CSRF tokens fail) until the test configuration has its\n'
         '    own. For the same reason a settings module (a whole module loaded with\n'
         '    `from_object`/`from_pyfile`) is only reported when the project has test '
         'modules:\n'
         "    every app loading it, the tests' too, takes its key from there\n"
         "    (flask-user-starter's app/local_settings.py: Flask-User refused the keyless "
         'test\n'
         '    app). The key itself is never repeated in a message.',
  'file_patterns': ()},
 {'code': 'FLK403',
  'name': 'missing-secret-key',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Set a secret key when the app writes to the session or flashes messages.',
  'doc': 'What it does:\n'
         "    Reports, once per module, where the project writes to Flask's `session`\n"
         '    (`session[k] = v`, `del session[k]`, `session[k] += 1`, `session.update/\n'
         '    setdefault/pop/popitem/clear(...)`, `session.permanent = ...`), calls '
         '`flash()`,\n'
         "    or calls Flask-Login's `login_user()`/`logout_user()` (which write the "
         'session),\n'
         '    when no module of the project sets a secret key.\n'
         '\n'
         'Why is this bad?:\n'
         '    Without a secret key Flask cannot sign the session cookie: the session it hands\n'
         '    out is read-only, and the first write fails with "RuntimeError: The session is\n'
         '    unavailable because no secret key was set.  Set the secret_key on the '
         'application\n'
         '    to something unique and secret." Every request that reaches that line answers '
         '500.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '\n'
         '    @app.post("/login")\n'
         '    def login():\n'
         '        session["user_id"] = check_password(request.form)\n'
         '        return redirect(url_for("index"))\n'
         '\n'
         'Use instead:\n'
         '    app = Flask(__name__)\n'
         '    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]\n'
         '\n'
         'Fix safety:\n'
         '    Report only: the key must come from the deployment. The project counts as '
         'setting\n'
         '    a key (nothing is reported) when any module assigns `SECRET_KEY` or '
         '`secret_key`\n'
         '    in any form, sets a config key whose name is not a literal, passes a mapping or\n'
         '    `**kwargs` to `config.update`/`from_mapping`, calls any config loader\n'
         '    (`from_object`, `from_pyfile`, `from_envvar`, `from_file`, `from_prefixed_env`,\n'
         '    `from_json`: what they load cannot be read here), replaces `session_interface`, '
         'or\n'
         '    imports Flask-Session or Flask-KVSession (server-side sessions need no key). A\n'
         '    project that never creates a Flask app (a library or extension that calls\n'
         '    `flash()` for the apps using it) is not reported. Only the first session write '
         'in\n'
         '    each module is reported, with a count of the others: the fix is one setting.',
  'file_patterns': ()},
 {'code': 'FLK404',
  'name': 'insecure-session-cookie',
  'kind': 'python',
  'fix_level': 'unsafe',
  'summary': 'Keep the Secure and HttpOnly flags on session and other cookies.',
  'doc': 'What it does:\n'
         '    Finds `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, '
         '`REMEMBER_COOKIE_SECURE`\n'
         "    and `REMEMBER_COOKIE_HTTPONLY` (Flask-Login's remember-me cookie) set to "
         '`False`\n'
         '    (`app.config[...] = False`, `config.update(...)`, `from_mapping(...)`, or in a\n'
         '    config class or module loaded with `from_object`/`from_pyfile`), and\n'
         '    `response.set_cookie(...)` calls without `secure=` or `httponly=` on a response\n'
         '    the code surely holds: one made by `make_response`, `Response`, `jsonify`,\n'
         '    `redirect`, `send_file`, `app.response_class(...)`, or the response an\n'
         '    `after_request` hook receives. With `--unsafe-fixes` a session or remember-me\n'
         '    setting becomes `True`; `set_cookie(...)` calls are only reported.\n'
         '\n'
         'Why is this bad?:\n'
         '    A cookie without the Secure flag is also sent over plain HTTP, where anyone on '
         'the\n'
         '    network path can read it and replay the session. A cookie without the HttpOnly '
         'flag\n'
         "    can be read by any script on the page, so one XSS flaw leaks every visitor's\n"
         "    session. Flask's security guide asks for both on session cookies.\n"
         '\n'
         'Example:\n'
         '    app.config["SESSION_COOKIE_SECURE"] = False\n'
         '\n'
         '    resp = make_response(render_template("index.html"))\n'
         '    resp.set_cookie("theme", "dark")\n'
         '\n'
         'Use instead:\n'
         '    app.config["SESSION_COOKIE_SECURE"] = True\n'
         '\n'
         '    resp = make_response(render_template("index.html"))\n'
         '    resp.set_cookie("theme", "dark", secure=True, httponly=False)  # read by '
         'scripts\n'
         '\n'
         'Fix safety:\n'
         "    Unsafe, and only where the cookie is provably Flask's session cookie or\n"
         "    Flask-Login's remember-me cookie: a `SESSION_COOKIE_*`/`REMEMBER_COOKIE_*` "
         'setting\n'
         '    written as a literal `False` becomes `True`. A Secure cookie is never sent over\n'
         '    plain HTTP, so logging in on an `http://` server other than localhost stops\n'
         "    working; an HttpOnly session cookie can no longer be read by the page's "
         'scripts.\n'
         '    For that reason `SESSION_COOKIE_SECURE`/`REMEMBER_COOKIE_SECURE = False` in a\n'
         '    development configuration (a config class named `Dev...`/`Local...` or whose '
         'own\n'
         '    body sets `DEBUG = True` or `ENV = "development"`, or a settings module that '
         'sets\n'
         '    them) is reported without a rewrite. `response.set_cookie(...)` sets a cookie '
         'of\n'
         "    the app's own (a theme, a consent flag, a CSRF token read by JavaScript), which\n"
         "    the page's scripts may need to read and a plain-HTTP deployment may need to "
         'send:\n'
         '    it is reported, never rewritten; write `httponly=False` (or `secure=False`)\n'
         '    explicitly where that is intended, and the call is no longer reported. Only a\n'
         '    literal `False` setting and an absent `set_cookie` argument are reported (a '
         'value\n'
         "    computed from the environment is the deployment's choice); calls with "
         '`**kwargs`\n'
         '    are skipped. Settings under an `if` or `try` in a class or module body are\n'
         '    reported without a rewrite. `SESSION_COOKIE_SAMESITE = None` is not reported: '
         'it\n'
         "    is Flask's default, and browsers then apply their own `Lax` default. Test "
         'modules\n'
         '    (in `tests/`, `test/` or `testing/` folders, `test_*.py`, `*_test.py`,\n'
         '    `conftest.py`) are skipped: their cookies never reach a browser; so are test\n'
         '    configurations (config classes whose own body sets `TESTING = True`).',
  'file_patterns': ()},
 {'code': 'FLK501',
  'name': 'commit-without-rollback',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Roll back the session in an `except` that swallows a failed commit.',
  'doc': 'What it does:\n'
         '    Finds `db.session.commit()` (db a Flask-SQLAlchemy `SQLAlchemy` instance) inside '
         'a\n'
         "    `try` whose `except` handler can catch the commit's error but neither rolls the\n"
         "    session back nor raises, and inserts `db.session.rollback()` as the handler's\n"
         '    first statement.\n'
         '\n'
         'Why is this bad?:\n'
         '    A commit that fails (a unique constraint, a lost connection) leaves the session '
         'in\n'
         '    a failed transaction. Until someone calls `rollback()`, every later use of the\n'
         '    session in the same request, even a lazy load while rendering the error page,\n'
         '    raises SQLAlchemy\'s PendingRollbackError: "This Session\'s transaction has '
         'been\n'
         '    rolled back due to a previous exception during flush. To begin a new '
         'transaction\n'
         '    with this Session, first issue Session.rollback()." A handler that swallows the\n'
         '    error has to roll back itself; one that raises lets Flask-SQLAlchemy remove the\n'
         '    session when the request ends.\n'
         '\n'
         'Example:\n'
         '    try:\n'
         '        db.session.commit()\n'
         '    except IntegrityError:\n'
         '        flash("That name is taken.")\n'
         '\n'
         'Use instead:\n'
         '    try:\n'
         '        db.session.commit()\n'
         '    except IntegrityError:\n'
         '        db.session.rollback()\n'
         '        flash("That name is taken.")\n'
         '\n'
         'Fix safety:\n'
         '    Intended: the handler now discards the failed transaction (and the objects it\n'
         '    had added or changed) before going on, so the rest of the request can use the\n'
         '    session again. `db` (or `models.db` through an absolute import of its module)\n'
         '    must resolve, through imports and the project, to a module-level\n'
         '    `SQLAlchemy(...)` (or an instance of a project subclass of it);\n'
         '    `session = db.session` aliases count (the rollback then goes through\n'
         '    `db.session` for a local alias, through the alias for a module-level one). A\n'
         "    plain SQLAlchemy `Session` is not looked at: its lifetime is the program's own\n"
         '    business. Handlers that count are bare `except:`, `Exception`, `BaseException`\n'
         '    and any exception of `sqlalchemy.exc` or `sqlalchemy.orm.exc` (but\n'
         '    `NoResultFound`/`MultipleResultsFound`, which only queries raise); handlers for\n'
         "    other exceptions (`KeyError`, a project's own class) are left alone. A handler "
         'is\n'
         '    fine when it contains, anywhere, a `raise` (bare or of another exception: the\n'
         "    error then ends the request and the session is removed), an `abort()` (Flask's,\n"
         "    Flask-RESTful's, Flask-RESTX's, flask-smorest's), a `sys.exit()`, or a call of\n"
         '    some `.rollback()`. Tries further out are looked at\n'
         '    too, until one has a handler catching everything. A one-line handler\n'
         '    (`except Exception: pass`) becomes an indented block.',
  'file_patterns': ()},
 {'code': 'FLK502',
  'name': 'session-in-background-thread',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Push an app context before using `db.session` in a thread or task.',
  'doc': 'What it does:\n'
         "    Finds Flask-SQLAlchemy's `db.session` used, or `Model.query` read, in code that\n"
         '    runs with no application context: the target of a `threading.Thread`, a\n'
         "    `threading.Timer` or a `ThreadPoolExecutor`'s `.submit()` / `.map()` in this\n"
         '    module (a function, a nested function, a `self.method`, a lambda), and Celery\n'
         '    task functions whose Celery app runs tasks without one.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-SQLAlchemy 3 scopes the session (and so every `Model.query`) to the\n'
         '    application context. A new thread or a bare Celery worker has none, so the '
         'first\n'
         '    query raises "RuntimeError: Working outside of application context." — and\n'
         '    before 3.0 it silently used a session that nobody removed.\n'
         '\n'
         'Example:\n'
         '    def import_rows(rows):\n'
         '        for row in rows:\n'
         '            db.session.add(Item(**row))\n'
         '        db.session.commit()\n'
         '\n'
         '    @app.post("/import")\n'
         '    def start_import():\n'
         '        Thread(target=import_rows, args=(request.get_json(),)).start()\n'
         '        return "started", 202\n'
         '\n'
         'Use instead:\n'
         '    def import_rows(app, rows):\n'
         '        with app.app_context():\n'
         '            for row in rows:\n'
         '                db.session.add(Item(**row))\n'
         '            db.session.commit()\n'
         '\n'
         '    @app.post("/import")\n'
         '    def start_import():\n'
         '        app = current_app._get_current_object()\n'
         '        Thread(target=import_rows, args=(app, request.get_json())).start()\n'
         '        return "started", 202\n'
         '\n'
         'Fix safety:\n'
         '    Report only: the thread needs the app object to push a context, which changes\n'
         '    how it is started. Uses inside `with app.app_context():` (or a request context)\n'
         '    in the target are fine, and so is a target that runs with a copy of the '
         "caller's\n"
         '    contexts (`@copy_current_request_context`, `contextvars.copy_context().run`). A\n'
         '    target or task carrying a decorator we do not know (other than `staticmethod`,\n'
         '    `classmethod`, the task decorator) is not walked: it may push a context. `db`\n'
         '    must be a Flask-SQLAlchemy object created in the project and `Model` a class\n'
         '    deriving from its `db.Model`, resolved through imports. A Celery task is\n'
         '    reported only when its decorator belongs to a plain `celery.Celery(...)` object\n'
         '    created at module level in the project with no `task_cls=`, the decorator '
         'passes\n'
         '    no `base=`, no code of the project assigns a `Task` or `task_cls` attribute '
         '(the\n'
         '    `ContextTask` recipe), and no code pushes an application context outside a\n'
         '    `with` (a worker module doing `app.app_context().push()`); `@shared_task`\n'
         '    functions are not reported, their app being unknown. Thread targets that use\n'
         "    `current_app` are FLK303's. Only the target or task itself is walked, not the\n"
         "    functions it calls. When the project's requirements allow Flask-SQLAlchemy\n"
         '    older than 3.0, the message says what that version does: a `db` created with\n'
         '    the app (`SQLAlchemy(app)`) falls back to it (no error, but a session nothing\n'
         '    removes), one given its app with `init_app` raises "No application found".',
  'file_patterns': ()},
 {'code': 'FLK503',
  'name': 'config-after-db-init',
  'kind': 'python',
  'fix_level': 'unsafe',
  'summary': "Set Flask-SQLAlchemy's settings before `SQLAlchemy(app)` or `init_app`, not "
             'after.',
  'doc': 'What it does:\n'
         '    Finds a Flask-SQLAlchemy setting (`SQLALCHEMY_DATABASE_URI`, '
         '`SQLALCHEMY_BINDS`,\n'
         '    `SQLALCHEMY_ENGINE_OPTIONS`, `SQLALCHEMY_ECHO`, `SQLALCHEMY_RECORD_QUERIES`,\n'
         '    `SQLALCHEMY_TRACK_MODIFICATIONS`) written to `app.config` (`config[...] =`,\n'
         '    `config.update(...)`, `config.from_mapping(...)`) after `db = SQLAlchemy(app)`\n'
         '    ran on that app, or after a module-level `db.init_app(app)` (what FLK202 makes '
         'of\n'
         "    it): in another module that imports the app (a test's `setUp` switching to\n"
         '    `sqlite://`), or in the same module below that line (inside `if`/`with` blocks\n'
         '    too). Also such a setting written on the app a project factory returned (`app =\n'
         '    create_app()` or `self.app = create_app()`, then `app.config[...] = ...` below '
         'it\n'
         '    in the same function or module body, or in a function of the module when `app`\n'
         '    is that module-level global) when that factory hands the app to a\n'
         "    Flask-SQLAlchemy object's `init_app` (`db.init_app(app)` in its body). With "
         '`--unsafe-fixes` the\n'
         '    settings move into the factory call, `create_app(config={...})`, where the\n'
         '    factory provably applies that mapping before `init_app`.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-SQLAlchemy 3.0 creates the engines inside `init_app` (which\n'
         '    `SQLAlchemy(app)` calls) from the settings of that moment and never reads them\n'
         '    again. Before 3.0 the engine was made on first use, so a test could still\n'
         "    switch the app to a scratch database afterwards. On today's releases the later\n"
         "    setting is silently ignored: the suite's `create_all()` and `drop_all()` run\n"
         "    against the app's real database, and its data is lost.\n"
         '\n'
         'Example:\n'
         '    # app.py\n'
         '    app = Flask(__name__)\n'
         '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"\n'
         '    db = SQLAlchemy(app)\n'
         '\n'
         '    # tests/test_blog.py\n'
         '    class BlogTest(unittest.TestCase):\n'
         '        def setUp(self):\n'
         '            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
         '\n'
         'Use instead:\n'
         '    # app.py: an application factory taking the test settings\n'
         '    def create_app(config=None):\n'
         '        app = Flask(__name__)\n'
         '        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"\n'
         '        app.config.update(config or {})\n'
         '        db.init_app(app)\n'
         '        return app\n'
         '\n'
         '    # tests/test_blog.py\n'
         '    class BlogTest(unittest.TestCase):\n'
         '        def setUp(self):\n'
         '            self.app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})\n'
         '\n'
         'Fix safety:\n'
         '    Unsafe, and only after a factory call: the settings move into the call as a\n'
         '    keyword argument (`create_app(config={"SQLALCHEMY_DATABASE_URI": '
         '"sqlite://"})`)\n'
         '    and their statements are removed, so the code between the call and the old\n'
         '    statements (a `db.create_all()`) now runs against the new database, which is '
         'the\n'
         '    point. It is done only where the factory provably applies the mapping before\n'
         '    `init_app`: its body ends `return app`, applies the parameter with\n'
         '    `app.config.update(p)` or `from_mapping(p)` (or `p or {}`, alone or under `if '
         'p:`\n'
         '    / `if p is not None:` / `if isinstance(p, dict):`, the factory FLK201 writes)\n'
         '    before its first `x.init_app(app)`, touches `app` in\n'
         '    between only through other `init_app` calls, and never rebinds `p`; the call\n'
         '    does not already give `p` (by keyword or position) or `*args`/`**kwargs`; and\n'
         '    every setting written on that app after the call is a statement of its own\n'
         '    (`app.config["K"] = v`, `app.config.update(K=v)`, `update({"K": v})`) with a\n'
         '    literal value and only Flask-SQLAlchemy keys. Otherwise it is reported: a '
         'factory\n'
         '    without such a parameter is told to take one. Settings written on a '
         'module-level\n'
         '    app after `SQLAlchemy(app)` are only reported: the setting must reach the app\n'
         '    before `init_app`, which takes an application factory accepting the settings\n'
         '    (FLK201 builds one). The finding\n'
         '    names the key and the module and line where the database was initialised on\n'
         '    the app. Settings written before `SQLAlchemy(app)` in its own module, written\n'
         "    in that module's functions, on an app whose database is created without it\n"
         "    (`db.init_app(app)` in a factory), or on another object's `config`, are not\n"
         '    reported. `config.from_object(X)` after init is reported where X (a dotted '
         'string\n'
         "    or an imported project class) is a class whose body, or a project base's, sets\n"
         "    `SQLALCHEMY_DATABASE_URI` or `SQLALCHEMY_BINDS` (flask-basic-registration's "
         'tests\n'
         '    load `project.config.TestingConfig` onto the app built with the development\n'
         '    database); `from_pyfile`, `from_envvar`, `from_file` and `from_prefixed_env` '
         'after\n'
         '    init are reported (what they load is not followed: any Flask-SQLAlchemy setting\n'
         '    among it is ignored). A `from_object("pkg.Class")` after a factory call, in a\n'
         "    test's set-up or in the `create_app` method of a Flask-Testing case, where "
         'every\n'
         "    database setting of the class (its own or a base's) is a string literal, gets\n"
         '    those settings passed to the call, '
         '`create_app(config={"SQLALCHEMY_DATABASE_URI":\n'
         '    "sqlite://"})`, and the load stays: its other settings still reach the app '
         'after\n'
         "    the extensions' `init_app`, as before (moving the whole class would let every\n"
         "    extension read it at `init_app`, which none did: flask-basic-registration's\n"
         '    `BCRYPT_LOG_ROUNDS = 1` then makes Flask-Bcrypt raise). A load whose database\n'
         '    settings the call already passes is not reported. The other loads are not\n'
         '    rewritten; `TESTING` is left out: Flask-SQLAlchemy 3 does not read it.',
  'file_patterns': ()},
 {'code': 'FLK504',
  'name': 'flask-sqlalchemy-3-api',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': "Use Flask-SQLAlchemy 3's API: `paginate(page=, per_page=)`, `LargeBinary`, moved "
             'names.',
  'doc': 'What it does:\n'
         "    Passes `paginate`'s arguments by keyword (`Post.query.paginate(page, 20, "
         'False)`\n'
         '    becomes `paginate(page=page, per_page=20, error_out=False)`), renames '
         '`db.Binary`\n'
         '    (and `sqlalchemy.Binary`) to `LargeBinary`, imports `Model` from\n'
         '    `flask_sqlalchemy.model`, `get_debug_queries` as\n'
         '    `flask_sqlalchemy.record_queries.get_recorded_queries` and `BaseQuery` as\n'
         '    `flask_sqlalchemy.query.Query`. Reports the settings Flask-SQLAlchemy 3.0 '
         'removed\n'
         '    (`SQLALCHEMY_COMMIT_ON_TEARDOWN`, `SQLALCHEMY_NATIVE_UNICODE`,\n'
         '    `SQLALCHEMY_POOL_SIZE`) and `SignallingSession`.\n'
         '\n'
         'Why is this bad?:\n'
         "    Flask-SQLAlchemy 3.0 made `paginate`'s arguments keyword-only\n"
         '    (`TypeError: paginate() takes 1 positional argument but 4 were given`) and\n'
         '    stopped reading those settings (silently); 3.1 removed `get_debug_queries`,\n'
         '    `flask_sqlalchemy.Model` and `BaseQuery`; SQLAlchemy 1.4 removed `Binary`.\n'
         '\n'
         'Example:\n'
         '    posts = Post.query.order_by(Post.id.desc()).paginate(page, 20, False)\n'
         '\n'
         '    class Upload(db.Model):\n'
         '        data = db.Column(db.Binary)\n'
         '\n'
         'Use instead:\n'
         '    posts = Post.query.order_by(Post.id.desc()).paginate(page=page, per_page=20, '
         'error_out=False)\n'
         '\n'
         '    class Upload(db.Model):\n'
         '        data = db.Column(db.LargeBinary)\n'
         '\n'
         'Fix safety:\n'
         '    Safe: the keywords name the same parameters on every Flask-SQLAlchemy 2.x and\n'
         '    `LargeBinary` is what `Binary` was an alias of, on every SQLAlchemy 1.3.\n'
         '    `paginate` is only rewritten on a query Flask-SQLAlchemy makes '
         '(`Model.query...`\n'
         '    where `Model` is a class or an import, not `self.query`;\n'
         '    `db.session.query(...)...`, in a project that uses Flask-SQLAlchemy), `Binary` '
         'on\n'
         "    the project's `db`; a positional `paginate` on another receiver in such a "
         'project\n'
         '    (a query a function returned, a dynamic relationship, `self.query`) is only\n'
         '    reported. The moved imports need Flask-SQLAlchemy 2.3 (`Model`) or 3.0:\n'
         '    with older pins they are only reported. `get_recorded_queries` also needs\n'
         "    `SQLALCHEMY_RECORD_QUERIES = True` and calls a query's `.context` `.location`.",
  'file_patterns': ()},
 {'code': 'FLK505',
  'name': 'changes-never-committed',
  'kind': 'python',
  'fix_level': 'report',
  'summary': "Commit what a view adds or deletes: the request's session is rolled back.",
  'doc': 'What it does:\n'
         '    Finds a view (a function the project routes to, a method of a routed '
         '`MethodView`\n'
         "    or `View` class, a blueprint's route) that calls `add`, `add_all`, `delete` or\n"
         '    `merge` on a Flask-SQLAlchemy session (`db.session`, `db` resolving through\n'
         '    imports to a `SQLAlchemy(...)` of the project; `session = db.session` aliases,\n'
         '    module-level or local, count) when nothing commits that session before the\n'
         '    request ends: no `.commit()` in the view, nor in any project function it calls,\n'
         '    followed call by call across modules through imports (a helper `save(obj)` in\n'
         "    another module that commits counts as the view's commit), and no commit at the\n"
         "    request's end. It reports the view's first such call.\n"
         '\n'
         'Why is this bad?:\n'
         "    Flask-SQLAlchemy's session lives for one application context. When the request\n"
         '    ends, its `teardown_appcontext` handler calls `db.session.remove()`, which '
         'closes\n'
         '    the session and rolls back whatever was not committed. The view returns a '
         'success\n'
         '    (often a redirect to the list that should show the new row) and the row is '
         'never\n'
         '    written; nothing is logged. `flush()` sends the statements inside the open\n'
         '    transaction, so the rollback undoes them too.\n'
         '\n'
         'Example:\n'
         '    @app.post("/notes")\n'
         '    def add_note():\n'
         '        db.session.add(Note(text=request.form["text"]))\n'
         '        return redirect(url_for("notes"))\n'
         '\n'
         'Use instead:\n'
         '    @app.post("/notes")\n'
         '    def add_note():\n'
         '        db.session.add(Note(text=request.form["text"]))\n'
         '        db.session.commit()\n'
         '        return redirect(url_for("notes"))\n'
         '\n'
         'Fix safety:\n'
         '    Report only: where the transaction should end (after each change, once per\n'
         "    request, or in a service layer) is the program's choice. Counted as committing,\n"
         '    anywhere in the view or in a project function it calls (in the same module or\n'
         "    imported from another, a class's `__init__` when it calls the class, a "
         'decorator\n'
         "    of the view, and the functions nested in any of them: a decorator's wrapper):\n"
         "    any `.commit()` call, whatever its receiver, and a session's `.begin()` (`with\n"
         '    db.session.begin():` commits when the block ends). A method call on an object\n'
         '    the scan cannot resolve (`note.save()`, `self.persist()`,\n'
         '    `current_user.follow(user)`) counts as a call of every project method of that\n'
         '    name. Nothing is reported in a project where a\n'
         "    commit happens at the request's end: an `after_request`, `teardown_request` or\n"
         '    `teardown_appcontext` handler (`after_app_request`, `teardown_app_request` on a\n'
         '    blueprint) that commits, or `SQLALCHEMY_COMMIT_ON_TEARDOWN` set to anything but\n'
         '    `False` while Flask-SQLAlchemy 2.x or 3.0 may run (3.1 removed the setting; it\n'
         '    is then reported, as FLK504 does too); when no release is declared, the setting\n'
         '    is trusted. A request-end handler counts when it commits on any path (one that\n'
         '    commits only when a query was slow still silences the project). Nor in a '
         'project\n'
         '    with a Python file the scan cannot parse (Python 2 code): what its functions\n'
         '    commit is unknown (seen in a public flasky clone whose `User.follow()`, in a\n'
         '    Python 2 models.py, commits for the view). Not looked at: which branch commits '
         '(a view committing on any path\n'
         '    counts as committing), changes to loaded objects (`note.text = ...`, whose\n'
         "    commit cannot be told from a read-only view's), `add` called in functions that\n"
         '    are not views (a helper is reported through no view), and plain SQLAlchemy\n'
         '    sessions, whose lifetime the program manages.',
  'file_patterns': ()},
 {'code': 'FLK506',
  'name': 'detached-instance',
  'kind': 'python',
  'fix_level': 'report',
  'summary': "Pass a model's primary key to threads, tasks and `session`, not the instance.",
  'doc': 'What it does:\n'
         '    Finds Flask-SQLAlchemy model instances that leave the database session they '
         'were\n'
         "    loaded in: passed to a `threading.Thread`/`Timer`, an executor's `.submit()` /\n"
         "    `.map()`, a Celery task's `.delay()`/`.apply_async()`/`.s()`/`.si()` (a task of\n"
         '    the project, of an app made by `celery.Celery(...)` or a `@shared_task`) or\n'
         "    RQ's `queue.enqueue()`; stored in a module-level global (assigned\n"
         '    at module level and read by a function, assigned in a function through '
         '`global`,\n'
         '    or put into a module-level container) or a class attribute (`Cache.user = user`\n'
         "    in a function, the class defined at module level); or put in Flask's `session`. "
         'An instance\n'
         '    is a value loaded from a model of the project: `User.query...get()` /\n'
         '    `first()` / `one()` / `first_or_404()` / `get_or_404()` (through `filter_by`,\n'
         '    `order_by` and the other query methods), `db.session.get(User, ...)`,\n'
         '    `db.get_or_404(User, ...)`, `db.session.query(User)...first()`,\n'
         '    `db.session.scalar(select(User)...)`, `db.first_or_404(select(User)...)`, a\n'
         '    loop variable over `.all()`, a `User(...)` the same function gives to\n'
         '    `db.session.add()` / `add_all()`, `self` in a method of a model, and\n'
         "    Flask-Login's `current_user` when the project's user loader returns a model.\n"
         '\n'
         'Why is this bad?:\n'
         '    An instance belongs to the session that loaded it, and Flask-SQLAlchemy removes\n'
         "    that session when the request's app context ends. In a thread, the instance is\n"
         '    shared with a session another thread is using (sessions are not thread-safe),\n'
         '    and once the request ends every lazy load or expired attribute raises\n'
         '    "Parent instance <User> is not bound to a Session; lazy load operation of\n'
         '    attribute ... cannot proceed" (DetachedInstanceError). A task queue serializes\n'
         "    its arguments: Celery's default JSON serializer refuses the object, and a "
         'pickle\n'
         '    gives the worker a detached copy of stale data. A global keeps the instance\n'
         "    across requests, detached and stale, shared by every thread. Flask's cookie\n"
         '    session is JSON: storing an instance raises "Object of type User is not JSON\n'
         '    serializable" when the response is saved; a server-side session pickles it and\n'
         '    later requests read a detached copy.\n'
         '\n'
         'Example:\n'
         '    @app.post("/users/<int:user_id>/welcome")\n'
         '    def welcome(user_id):\n'
         '        user = User.query.get_or_404(user_id)\n'
         '        send_welcome.delay(user)\n'
         '        session["user"] = user\n'
         '        return "queued", 202\n'
         '\n'
         'Use instead:\n'
         '    @app.post("/users/<int:user_id>/welcome")\n'
         '    def welcome(user_id):\n'
         '        user = User.query.get_or_404(user_id)\n'
         '        send_welcome.delay(user.id)  # the task loads it: db.session.get(User, '
         'user_id)\n'
         '        session["user_id"] = user.id\n'
         '        return "queued", 202\n'
         '\n'
         'Fix safety:\n'
         '    Report only: the receiving code must load the object again by its primary key\n'
         '    (or `db.session.merge()` it into its own session), which changes its signature.\n'
         '    Not reported: an attribute of an instance (`user.id`, `user.email`: a value,\n'
         '    though a relationship attribute would be an instance too), a dict or string\n'
         '    built from it, anything passed to a thread target that calls `.merge(...)`;\n'
         "    names that are not the project's (a local `session`, a parameter named `user`,\n"
         '    a model class from outside the project), a variable bound to anything else in\n'
         '    the function (even before the query: `user = form.save()` then `user =\n'
         '    User.query...`), and instances a function creates without adding them to the\n'
         "    session (`User(...)`). Flask's\n"
         "    context proxies passed to threads are FLK303's, `db.session` used in a thread\n"
         "    is FLK502's. Queues are resolved only as `rq.Queue(...)` bound in the module or\n"
         "    Flask-RQ's `get_queue()`; a queue kept on the app (`app.task_queue`), Flask-RQ2\n"
         '    jobs, attributes set on `self` or on a class of another module are not\n'
         '    followed; globals, containers and class attributes count only in a module\n'
         "    defining views (a script's globals serve no requests). Tasks of an app made by a "
         'project\n'
         '    subclass of `Celery` are left alone: such a class may send instances its own '
         'way\n'
         "    (indico's sends their primary keys and loads them again in the worker).",
  'file_patterns': ()},
 {'code': 'FLK601',
  'name': 'dev-server-in-production',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Serve with a production WSGI server, not `app.run()` or `flask run`.',
  'doc': 'What it does:\n'
         "    Finds Flask's development server where it would serve real traffic:\n"
         '    `app.run()` executed when the module is imported (at module level, or in a\n'
         '    module-level function called at import) rather than under\n'
         "    `if __name__ == '__main__':`; `app.run(host='0.0.0.0')` and\n"
         '    `app.run(threaded=True)` anywhere; and, in deployment files, a Procfile\n'
         '    process, a Dockerfile `CMD`/`ENTRYPOINT`, a compose `command:`/`entrypoint:` or '
         'a\n'
         '    shell script that runs `flask run`, `python -m flask run`, or `python app.py`\n'
         '    where app.py is a module of the project that calls `app.run()` (also\n'
         "    Flask-Script's `python manage.py runserver`).\n"
         '\n'
         'Why is this bad?:\n'
         "    `app.run()` and `flask run` start Werkzeug's development server, which is not\n"
         '    designed to be efficient, stable or secure: Werkzeug prints "WARNING: This is a\n'
         '    development server. Do not use it in a production deployment. Use a production\n'
         '    WSGI server instead." An `app.run()` that runs at import time also starts that\n'
         '    server inside whatever imports the module: Gunicorn, `flask run`, the tests.\n'
         "    `host='0.0.0.0'` opens it to other machines; `threaded=True` (the default since\n"
         '    Flask 1.0) prepares it for concurrent traffic.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '    app.run(host="0.0.0.0")\n'
         '\n'
         '    # Procfile\n'
         '    web: flask run --host=0.0.0.0\n'
         '\n'
         'Use instead:\n'
         '    app = Flask(__name__)\n'
         '\n'
         '    if __name__ == "__main__":\n'
         '        app.run()\n'
         '\n'
         '    # Procfile\n'
         '    web: gunicorn "app:app"\n'
         '\n'
         'Fix safety:\n'
         '    Report only: choosing and configuring a WSGI server is a deployment decision.\n'
         '    In Python, `app` must resolve to a Flask app of the project: a module-level\n'
         '    `Flask(...)` (here or imported), the result of an app factory (a project\n'
         '    function that creates and returns a `Flask`), or a local assigned from either;\n'
         '    `run()` on anything else (a SocketIO object, a Flask-Script manager, a\n'
         '    parameter) is not looked at. Only literal `host`/`threaded` values count, and\n'
         '    `threaded=True` (the default anyway) not in a call that says it is for local\n'
         "    development (`debug=True`, or a loopback `host` such as '127.0.0.1'). A\n"
         '    function counts as called at import when a module-level statement outside the\n'
         '    `__main__` guard calls it by name (one level, not through other functions).\n'
         '\n'
         "    Deployment files: a Procfile's processes; each Dockerfile stage's last `CMD`\n"
         '    and last `ENTRYPOINT`, and the two joined when both are in exec form (stages\n'
         '    named for development, `FROM base AS dev`, are skipped); the `command:` and\n'
         '    `entrypoint:` of compose services (strings read with shell quoting, flow and\n'
         '    block sequences, block scalars; YAML anchors and merged keys are not\n'
         '    followed); every command of a shell script (here-documents and comments\n'
         '    skipped). Wrappers (`exec`, `env`, `nohup`, `sudo`, `gosu`, `poetry run`,\n'
         "    `sh -c '...'`) are seen through. `flask run` and `python -m flask run` are\n"
         "    always reported; `python X.py` only when X.py, resolved from the file's folder\n"
         '    (an absolute path by its trailing components), is a module of the project\n'
         '    calling `.run()` on an app at module level or in its `__main__` block, and\n'
         '    `python -m X` likewise; `python manage.py runserver` when manage.py creates a\n'
         '    Flask-Script `Manager`, and `python manage.py run` when manage.py runs a\n'
         "    `FlaskGroup` (as FLK803 writes it) that keeps Flask's `run` (not\n"
         '    `add_default_commands=False`, no `run` command of its own). Files meant for '
         'development or tests are skipped: a\n'
         '    file name marked `dev`, `development`, `local`, `test`, `ci`, `e2e`, `example`,\n'
         '    `docs`, `demo` (`docker-compose.dev.yml`, `Procfile.dev`, `run-local.sh`), a\n'
         '    folder such as `.devcontainer/`, `tests/`, `examples/`, `docs/`; and compose\n'
         '    files and shell scripts that set `FLASK_DEBUG=1` or `FLASK_ENV=development`,\n'
         '    or commands there that pass `--debug` or `--reload`. A Procfile or a Dockerfile\n'
         '    always deploys, so there `flask run --debug` is reported like any other.',
  'file_patterns': ('Procfile',
                    'Procfile.*',
                    'Dockerfile',
                    'Dockerfile.*',
                    'Dockerfile-*',
                    '*.Dockerfile',
                    '*.dockerfile',
                    'Containerfile',
                    'Containerfile.*',
                    'docker-compose*.yml',
                    'docker-compose*.yaml',
                    'compose*.yml',
                    'compose*.yaml',
                    '*.sh')},
 {'code': 'FLK602',
  'name': 'hidden-exceptions',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Log or report the errors a catch-all error handler takes.',
  'doc': 'What it does:\n'
         '    Finds an error handler for every exception, `@app.errorhandler(Exception)`\n'
         "    (also `BaseException`, a blueprint's `errorhandler`/`app_errorhandler`, and\n"
         '    `register_error_handler(Exception, handler)`) on a Flask app or blueprint, '
         'whose\n'
         '    body neither logs, reports, nor raises: no `raise`, and no call that could log '
         'or\n'
         "    report (a method named like a logger's or a tracker's: `exception`, `error`,\n"
         '    `warning`, `log`, `capture_exception`, `report_exc_info`, `notify`, `send`...;\n'
         '    `print`; any function of the project or of a library other than Flask,\n'
         '    Werkzeug, json, Jinja or MarkupSafe). A handler imported from another module of\n'
         '    the project (`app.register_error_handler(Exception, handle_error)`,\n'
         '    `app.errorhandler(Exception)(handle_error)`) is read from the project index,\n'
         '    which judges module-level functions taking one parameter the same way.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask looks for a handler for the exception class first\n'
         '    (`handle_user_exception`), and only an exception no handler takes reaches\n'
         "    `handle_exception`, which sends `got_request_exception` (what Sentry's\n"
         '    `FlaskIntegration`, raven, Rollbar and Bugsnag listen to) and logs the '
         'traceback\n'
         '    with `app.log_exception`. A handler for `Exception` takes every error, so\n'
         '    nothing is logged and the tracker never hears of it: the users see an error\n'
         '    page, the team sees nothing. A handler for `500` or `InternalServerError` is '
         'not\n'
         '    reported: Flask calls it from `handle_exception`, after logging and signalling\n'
         "    (checked in Flask 3.1's source). `PROPAGATE_EXCEPTIONS = False` is not reported\n"
         '    either: it is the default outside debug and testing, and the signal is sent\n'
         '    before it is read, so the trackers still see every error.\n'
         '\n'
         'Example:\n'
         '    @app.errorhandler(Exception)\n'
         '    def handle_error(error):\n'
         '        return render_template("error.html"), 500\n'
         '\n'
         'Use instead:\n'
         '    @app.errorhandler(Exception)\n'
         '    def handle_error(error):\n'
         '        if isinstance(error, HTTPException):\n'
         '            return error\n'
         '        app.logger.exception("unhandled error")\n'
         '        return render_template("error.html"), 500\n'
         '\n'
         'Fix safety:\n'
         "    Report only: whether to log, re-raise or report to a tracker is the program's\n"
         '    choice. To stay precise, a handler counts as logging when it makes any call '
         'this\n'
         '    rule cannot see through (a project function, another library), and the receiver\n'
         "    must be known to be a Flask app or blueprint (Flask-RESTful's and Flask-RESTX's\n"
         '    `api.errorhandler` send `got_request_exception` themselves).',
  'file_patterns': ()},
 {'code': 'FLK603',
  'name': 'static-files-in-production',
  'kind': 'project',
  'fix_level': 'report',
  'summary': "Serve static files with the web server or WhiteNoise, not Flask's workers.",
  'doc': 'What it does:\n'
         '    Finds production commands (Gunicorn, uWSGI or Waitress, in a Procfile, a\n'
         '    Dockerfile or a compose file) that serve a project whose app has a static '
         'folder\n'
         '    (`static/` next to the module creating the app, or the `static_folder=` it is\n'
         "    given), when nothing else in the repository serves `/static` (or the app's\n"
         '    `static_url_path`): no nginx, Caddy or Apache configuration for it, no\n'
         '    web server in a Dockerfile or compose file, no uWSGI `static-map`, no '
         'WhiteNoise,\n'
         '    no CDN or object-storage setting (Flask-CDN, Flask-S3, `STATIC_URL`).\n'
         '\n'
         'Why is this bad?:\n'
         "    Flask's static route is meant for development. In production every stylesheet,\n"
         "    script and image then takes one of the WSGI server's few workers for the whole\n"
         '    transfer, with no compression, no long-lived caching and no sendfile: a slow\n'
         '    client downloading a large file blocks a worker that should be serving pages.\n'
         '    A web server in front, or WhiteNoise inside the app, serves the files far more\n'
         '    cheaply.\n'
         '\n'
         'Example:\n'
         '    # Procfile\n'
         '    web: gunicorn app:app\n'
         "    # and app/static/ holds the site's CSS and JavaScript, served by Flask\n"
         '\n'
         'Use instead:\n'
         '    # app.py: WhiteNoise serves /static before the request reaches Flask\n'
         '    from whitenoise import WhiteNoise\n'
         '    app.wsgi_app = WhiteNoise(app.wsgi_app, root="app/static/", prefix="static/")\n'
         '    # or an nginx `location /static/ { alias /srv/app/static/; }` in front\n'
         '\n'
         'Fix safety:\n'
         '    Report only: how the files should be served depends on the hosting.\n'
         '    Choices where the catalogue is silent: the finding sits on each production '
         'command\n'
         "    of a deployment file that is not for development (FLK601's rules: "
         '`Procfile.dev`,\n'
         "    files under `tests/`, `examples/`, `docs/`...); the static folder is the app's\n"
         '    `static_folder=` when a string literal gives it (else the app is left out), by\n'
         "    default `static/` beside the app's module, and must hold files; a web server's\n"
         "    configuration counts when it names the folder's or the URL path's last part;\n"
         "    blueprints' static folders are not looked at; any web server named in a "
         'Dockerfile or compose file counts\n'
         '    as serving `/static` (its configuration may come from an image), as does any\n'
         "    mention of WhiteNoise or of a CDN setting in the project's Python files or\n"
         '    requirements: the rule prefers silence to a wrong report.',
  'file_patterns': ()},
 {'code': 'FLK701',
  'name': 'flask-ext-import',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Import extensions as `flask_foo`, not `flask.ext.foo`.',
  'doc': 'What it does:\n'
         "    Rewrites the `flask.ext.foo` spelling of extension imports to the extension's "
         'own\n'
         '    package, `flask_foo`, in every form: `from flask.ext.foo import X`,\n'
         '    `from flask.ext import foo`, `import flask.ext.foo` (and its uses\n'
         '    `flask.ext.foo.X`), `import flask.ext.foo as f`.\n'
         '\n'
         'Why is this bad?:\n'
         '    `flask.ext` was a redirecting import hook, deprecated in Flask 0.11 and removed '
         'in\n'
         '    1.0: on any current Flask the module fails with\n'
         "    `ModuleNotFoundError: No module named 'flask.ext'`.\n"
         '\n'
         'Example:\n'
         '    from flask.ext.sqlalchemy import SQLAlchemy\n'
         '    from flask.ext import login\n'
         '    import flask.ext.bcrypt\n'
         '\n'
         '    bcrypt = flask.ext.bcrypt.Bcrypt()\n'
         '\n'
         'Use instead:\n'
         '    from flask_sqlalchemy import SQLAlchemy\n'
         '    import flask_login as login\n'
         '    import flask_bcrypt\n'
         '\n'
         '    bcrypt = flask_bcrypt.Bcrypt()\n'
         '\n'
         'Fix safety:\n'
         '    Safe: `flask.ext.foo` was only ever a second name for the module `flask_foo` '
         '(the\n'
         '    hook also tried the pre-2011 `flaskext.foo` layout, which no maintained '
         'extension\n'
         '    ships any more). `from flask.ext import foo` becomes `import flask_foo as foo`, '
         'so\n'
         '    the same local name is bound. `import flask.ext.foo` also bound the name '
         '`flask`:\n'
         '    if the module uses `flask` otherwise, `import flask` is added. Only reported:\n'
         '    `import flask.ext`, `from flask import ext` and `from flask.ext import *`, '
         'which\n'
         '    name no extension.',
  'file_patterns': ()},
 {'code': 'FLK702',
  'name': 'markupsafe-import',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Import `Markup` and `escape` from `markupsafe`, not `flask`.',
  'doc': 'What it does:\n'
         '    Imports `Markup` and `escape` from `markupsafe` instead of `flask`:\n'
         '    `from flask import Markup, escape, url_for` keeps `url_for` from flask and gets\n'
         '    `from markupsafe import Markup, escape`; `flask.Markup(...)` after `import '
         'flask`\n'
         '    becomes `markupsafe.Markup(...)` with `import markupsafe`.\n'
         '\n'
         'Why is this bad?:\n'
         "    Flask only re-exported the two names from MarkupSafe (Jinja's dependency). They\n"
         '    were deprecated in Flask 2.3 and removed in 3.0:\n'
         "    `ImportError: cannot import name 'Markup' from 'flask'`.\n"
         '\n'
         'Example:\n'
         '    from flask import Markup, escape, url_for\n'
         '    import flask\n'
         '\n'
         '    link = Markup(\'<a href="{}">{}</a>\').format(url_for("index"), escape(name))\n'
         '    label = flask.Markup("<b>new</b>")\n'
         '\n'
         'Use instead:\n'
         '    from flask import url_for\n'
         '    from markupsafe import Markup, escape\n'
         '    import flask\n'
         '    import markupsafe\n'
         '\n'
         '    link = Markup(\'<a href="{}">{}</a>\').format(url_for("index"), escape(name))\n'
         '    label = markupsafe.Markup("<b>new</b>")\n'
         '\n'
         'Fix safety:\n'
         "    Safe: `flask.Markup` and `flask.escape` were MarkupSafe's own objects (through\n"
         '    Jinja2 before Flask 2.0), and MarkupSafe is installed with every Flask release, '
         'so\n'
         '    no version pin matters. An import naming only these two is renamed in place; a\n'
         '    mixed module-level import keeps the other names and the moved ones join an '
         'existing\n'
         '    `from markupsafe import ...` (else a new one after the imports); a mixed import '
         'in\n'
         '    a function or a `try` gets the new import on the next line. `import flask` is\n'
         '    removed when nothing else uses it. Only reported: `flask.Markup` where the name\n'
         '    `markupsafe` is bound to something else, and a mixed import sharing its line '
         'with\n'
         '    other statements inside a block.',
  'file_patterns': ()},
 {'code': 'FLK703',
  'name': 'send-file-kwargs',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Call `send_file` with `download_name=`, `max_age=`, `etag=` (Flask 2.0 names).',
  'doc': 'What it does:\n'
         '    Renames the keyword arguments of `send_file` and `send_from_directory` that '
         'Flask\n'
         '    2.0 renamed: `attachment_filename=` to `download_name=`, `cache_timeout=` to\n'
         '    `max_age=`, `add_etags=` to `etag=`, `filename_or_fp=` to `path_or_file=`, and\n'
         '    `send_from_directory(filename=)` to `path=` (its other keywords go to '
         '`send_file`\n'
         '    and are renamed the same way).\n'
         '\n'
         'Why is this bad?:\n'
         '    The old names were deprecated in Flask 2.0 and removed in 2.2: the call fails '
         'with\n'
         '    `TypeError: send_file() got an unexpected keyword argument '
         "'attachment_filename'`.\n"
         '\n'
         'Example:\n'
         '    return send_file(buffer, as_attachment=True, attachment_filename="report.csv",\n'
         '                     cache_timeout=0)\n'
         '\n'
         'Use instead:\n'
         '    return send_file(buffer, as_attachment=True, download_name="report.csv",\n'
         '                     max_age=0)\n'
         '\n'
         'Fix safety:\n'
         '    Safe: Flask 2.0 and 2.1 passed the old names on to the new ones unchanged, so '
         'the\n'
         '    call means the same. The new names exist from Flask 2.0 on: when the project '
         'may\n'
         '    run on an older Flask (`target-flask-version`, else the lowest version its\n'
         '    requirements*.txt, pyproject.toml, setup.cfg or setup.py allow), the call is '
         'only\n'
         '    reported. Also only reported: a call giving both an\n'
         '    old name and its new one. Positional arguments are left as they are (the fourth\n'
         '    positional argument of `send_file` meant the download name before 2.0 and still\n'
         '    does; `send_from_directory(directory, name)` is unchanged).',
  'file_patterns': ()},
 {'code': 'FLK704',
  'name': 'removed-json-api',
  'kind': 'python',
  'fix_level': 'intended',
  'summary': 'Configure JSON through `app.json`, not removed encoders and `JSON_*` keys.',
  'doc': 'What it does:\n'
         '    Finds the JSON customisation points Flask 2.3 removed: `flask.json.JSONEncoder`\n'
         '    and `JSONDecoder`, `app.json_encoder` / `app.json_decoder` (also on blueprints '
         'and\n'
         '    as class attributes of a Flask subclass), and the config keys `JSON_SORT_KEYS`,\n'
         '    `JSON_AS_ASCII`, `JSONIFY_MIMETYPE` and `JSONIFY_PRETTYPRINT_REGULAR`. Rewrites\n'
         "    `app.config['JSON_SORT_KEYS'] = False` to `app.json.sort_keys = False` (and\n"
         '    `ensure_ascii`, `mimetype`, `compact`), the one-attribute equivalents on the '
         "app's\n"
         '    JSON provider.\n'
         '\n'
         'Why is this bad?:\n'
         '    Importing the classes fails on Flask >= 2.3 (`ImportError`). Worse, the other '
         'two\n'
         '    fail silently: Flask 2.3 no longer reads `app.json_encoder` or the four config\n'
         '    keys, so the line stays and does nothing: keys get sorted again, non-ASCII text\n'
         '    is escaped again, and custom types stop serializing. And a view (or a\n'
         '    `before_request`) that tells a request without JSON by `request.json` being '
         'None\n'
         '    stops seeing one from Werkzeug 2.1.\n'
         '\n'
         'Example:\n'
         '    app.config["JSON_SORT_KEYS"] = False\n'
         '    app.config["JSONIFY_PRETTYPRINT_REGULAR"] = True\n'
         '    app.json_encoder = MyEncoder\n'
         '\n'
         'Use instead:\n'
         '    app.json.sort_keys = False\n'
         '    app.json.compact = False\n'
         '    app.json = MyProvider(app)  # a DefaultJSONProvider subclass\n'
         '\n'
         'Fix safety:\n'
         '    Intended: the config line becomes the provider attribute Flask 2.2 introduced '
         'for\n'
         '    it, restoring on Flask >= 2.3 what the line was written for. Rewritten: a '
         'literal\n'
         '    assigned alone through `<app>.config[...]`, where `<app>` is an app object of '
         'the\n'
         '    project (module level or in a factory) or `current_app`: `True`/`False` for\n'
         '    `JSON_SORT_KEYS`, `JSON_AS_ASCII` and `JSONIFY_PRETTYPRINT_REGULAR`, a string '
         'for\n'
         '    `JSONIFY_MIMETYPE`. `JSONIFY_PRETTYPRINT_REGULAR` is written negated as '
         '`compact`\n'
         "    (`True` becomes `compact = False`), as Flask 2.2's own compatibility code "
         'mapped\n'
         '    it; on Flask <= 2.1 `False` still pretty-printed in debug mode, `compact = '
         'True`\n'
         '    does not. `app.json` exists from Flask 2.2 on: when the project may run on an '
         'older\n'
         '    Flask (`target-flask-version`, else its requirements), the line is only '
         'reported.\n'
         '    Only reported: the keys set in config classes or modules, through `update()` /\n'
         '    `from_mapping()`, on an object not known to be the app, or to a value that is '
         'not\n'
         '    a literal; reads of the keys (KeyError on Flask >= 2.3); the encoder and '
         'decoder\n'
         '    classes and attributes (a custom JSON provider replaces them: its `default`\n'
         '    method is what `JSONEncoder.default` was); a test of `request.json` or\n'
         '    `request.get_json()` for None (`if request.json is None:`, `if not\n'
         '    request.json:`), which Werkzeug 2.1 made unreachable for a request that is not\n'
         '    JSON (`get_json` raises instead of returning None): the person chooses between\n'
         "    Werkzeug's 415 and the app's own answer.",
  'file_patterns': ()},
 {'code': 'FLK705',
  'name': 'before-first-request',
  'kind': 'python',
  'fix_level': 'unsafe',
  'summary': 'Run start-up code in an app context, not `@app.before_first_request`.',
  'doc': 'What it does:\n'
         "    Finds `@app.before_first_request` (and a blueprint's "
         '`before_app_first_request`)\n'
         '    and, for a function on an app object of the project, drops the decorator and\n'
         '    calls the function once at start-up inside `with app.app_context():`, right '
         'after\n'
         '    its definition (at module level, or inside the application factory).\n'
         '\n'
         'Why is this bad?:\n'
         '    Both decorators were deprecated in Flask 2.2 and removed in 2.3: the module '
         'stops\n'
         "    importing with `AttributeError: 'Flask' object has no attribute\n"
         "    'before_first_request'`, which blocks every upgrade. Flask's advice is to run "
         'such\n'
         '    setup when the application is created.\n'
         '\n'
         'Example:\n'
         '    app = Flask(__name__)\n'
         '\n'
         '    @app.before_first_request\n'
         '    def create_tables():\n'
         '        db.create_all()\n'
         '\n'
         'Use instead:\n'
         '    app = Flask(__name__)\n'
         '\n'
         '    def create_tables():\n'
         '        db.create_all()\n'
         '\n'
         '\n'
         '    with app.app_context():\n'
         '        create_tables()\n'
         '\n'
         'Fix safety:\n'
         '    Unsafe: the function no longer runs lazily in the serving process before the '
         'first\n'
         '    request, but at import time where it is defined: before any setup later in the\n'
         '    module or factory (configuration, `db.init_app(app)`), in every process that\n'
         '    imports the module (the CLI, tests, each worker), and a failure now stops the\n'
         '    import instead of the first request. It runs under an application context only,\n'
         '    so a function using `request`, `session`, `flash`, `url_for` (or other\n'
         "    request-bound helpers) is only reported. Also only reported: blueprints'\n"
         '    `before_app_first_request` (the blueprint has no app to run it with), a '
         'receiver\n'
         '    not proven to be an app object of the project (a parameter `app`, an app '
         'imported\n'
         '    from outside the project, an app name rebound later; an object the module makes\n'
         "    otherwise is not Flask's and is left alone), a decorator that is not the\n"
         '    outermost one (the others would no longer wrap what is called), `async def`,\n'
         '    functions taking required arguments, methods, and `app.before_first_request(f)`\n'
         '    called directly.',
  'file_patterns': ()},
 {'code': 'FLK706',
  'name': 'ctx-stack',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Use `g`, `current_app` or `flask.globals`, not `_app_ctx_stack`.',
  'doc': 'What it does:\n'
         '    Reports imports and uses of `flask._app_ctx_stack` and '
         '`flask._request_ctx_stack`\n'
         '    (also from `flask.globals`), with the replacement for each use:\n'
         '    `_app_ctx_stack.top.app` is `current_app`, `.top.g` is `g`, `.top.request` is\n'
         '    `request`; data stored on `.top` goes on `g`; the context itself is\n'
         '    `flask.globals.app_ctx` / `request_ctx`; a test for a context is\n'
         '    `has_app_context()` / `has_request_context()`.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask 2.2 replaced the context stacks with context variables and kept the two '
         'names\n'
         '    only as deprecated stand-ins; Flask 3.0 removed them:\n'
         "    `ImportError: cannot import name '_app_ctx_stack' from 'flask'`. Extensions of "
         'the\n'
         '    Flask 1.x era stored their per-context state on `_app_ctx_stack.top`.\n'
         '\n'
         'Example:\n'
         '    from flask import _app_ctx_stack\n'
         '\n'
         '    def get_db():\n'
         '        ctx = _app_ctx_stack.top\n'
         '        if not hasattr(ctx, "db"):\n'
         '            ctx.db = connect()\n'
         '        return ctx.db\n'
         '\n'
         'Use instead:\n'
         '    from flask import g\n'
         '\n'
         '    def get_db():\n'
         '        if "db" not in g:\n'
         '            g.db = connect()\n'
         '        return g.db\n'
         '\n'
         'Fix safety:\n'
         '    Report only: `.top` returned None outside a context where `g` and the\n'
         '    `app_ctx`/`request_ctx` proxies raise, and data stored on the context object '
         'moves\n'
         '    to `g` under other names; which replacement fits depends on what the code does.',
  'file_patterns': ()},
 {'code': 'FLK707',
  'name': 'app-env',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Use debug mode, not the removed `app.env` / `ENV` / `FLASK_ENV`.',
  'doc': 'What it does:\n'
         '    Reports what Flask 2.3 removed of the "environment": `app.env` (also\n'
         "    `current_app.env`), the `ENV` config key (`app.config['ENV']`, "
         "`config.get('ENV')`,\n"
         '    `ENV = ...` in a config class) and the `FLASK_ENV` environment variable read or '
         'set\n'
         "    from Python (`os.environ['FLASK_ENV']`, `os.getenv('FLASK_ENV')`,\n"
         '    `os.environ.get(...)`).\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask 2.3 dropped the notion of an environment: `app.env` raises '
         'AttributeError,\n'
         "    `app.config['ENV']` raises KeyError, and `FLASK_ENV=development` no longer "
         'enables\n'
         '    the debugger and reloader: the app silently runs without debug mode. The one\n'
         '    switch left is debug mode.\n'
         '\n'
         'Example:\n'
         '    if app.env == "development":\n'
         '        app.config["SQLALCHEMY_ECHO"] = True\n'
         '\n'
         'Use instead:\n'
         '    if app.debug:\n'
         '        app.config["SQLALCHEMY_ECHO"] = True\n'
         '\n'
         'Fix safety:\n'
         '    Report only: `ENV` and debug mode were separate settings '
         '(`FLASK_ENV=production`\n'
         '    with `FLASK_DEBUG=1` was possible), and code may rely on values other than\n'
         '    development and production ("staging"), so the replacement, `app.debug` or a\n'
         "    setting of the project's own, is a choice for a person. A class attribute `ENV` "
         'is\n'
         '    reported only in a class that also sets another Flask config key (`DEBUG`,\n'
         '    `TESTING`, `SECRET_KEY`...); `.env` only on an app object of the project or\n'
         '    `current_app`.',
  'file_patterns': ()},
 {'code': 'FLK708',
  'name': 'removed-helpers',
  'kind': 'python',
  'fix_level': 'unsafe',
  'summary': 'Replace removed helpers (`safe_join`, `from_json`, `safe_str_cmp`, `url_*`).',
  'doc': 'What it does:\n'
         '    Rewrites helpers Flask and Werkzeug removed: `flask.safe_join` to\n'
         '    `werkzeug.utils.safe_join`, `app.config.from_json(f)` to\n'
         '    `app.config.from_file(f, load=json.load)`, `werkzeug.security.safe_str_cmp(a, '
         'b)`\n'
         '    to `hmac.compare_digest(a, b)`, `werkzeug.urls.url_unquote(s)` to\n'
         '    `urllib.parse.unquote(s)`; reports the other `werkzeug.urls` functions\n'
         '    (`url_quote`, `url_parse`, `url_encode`, ...) with the closest `urllib.parse`\n'
         '    call and how it differs.\n'
         '\n'
         'Why is this bad?:\n'
         '    Each import fails on current releases: `flask.safe_join` and `Config.from_json`\n'
         '    were removed in Flask 2.1, `safe_str_cmp` in Werkzeug 2.1, the `werkzeug.urls`\n'
         "    functions in Werkzeug 3.0 (`ImportError: cannot import name 'url_quote' from\n"
         "    'werkzeug.urls'`, a classic after an unpinned Werkzeug upgrade).\n"
         '\n'
         'Example:\n'
         '    from flask import safe_join\n'
         '    from werkzeug.security import safe_str_cmp\n'
         '\n'
         '    app.config.from_json("settings.json")\n'
         '    path = safe_join(UPLOADS, name)\n'
         '    ok = safe_str_cmp(token, expected)\n'
         '\n'
         'Use instead:\n'
         '    import hmac\n'
         '    import json\n'
         '    from werkzeug.utils import safe_join\n'
         '\n'
         '    app.config.from_file("settings.json", load=json.load)\n'
         '    path = safe_join(UPLOADS, name)\n'
         '    ok = hmac.compare_digest(token, expected)\n'
         '\n'
         'Fix safety:\n'
         '    Safe: `from_json(f, silent)` to `from_file(f, load=json.load, silent=silent)`, '
         'what\n'
         "    Flask 2.0's own `from_json` did (it loaded with `flask.json.load`, which only\n"
         '    differed from `json.load` when a custom `app.json_decoder` was set and an app\n'
         '    context was active); `import json` is added. Needs Flask 2.0: when the project '
         'may\n'
         '    run on an older Flask (`target-flask-version`, else its requirements), only\n'
         "    reported. Unsafe: `safe_join` (Flask's raised NotFound, a 404, for a path\n"
         "    leaving the folder; Werkzeug's returns None, so the caller must check; also "
         'needs\n'
         '    Flask 2.0, hence Werkzeug 2.0); `safe_str_cmp` (it encoded str arguments to '
         'UTF-8:\n'
         '    `compare_digest` raises TypeError for a str holding non-ASCII characters or for '
         'a\n'
         '    str compared with bytes, so the rewrite is exact only for bytes, or ASCII str '
         'on\n'
         '    both sides); `url_unquote(s)` (the same result for str and bytes, checked on\n'
         '    300,000 random mixes of percent escapes and non-ASCII text, but a bytearray\n'
         '    argument or a str with lone surrogates behaves differently, and bytes need '
         'Python\n'
         '    3.9). Only reported: the other `werkzeug.urls` functions, because none has an\n'
         '    exact equivalent (the characters `url_quote` leaves alone changed in Werkzeug '
         '2.1;\n'
         '    `url_parse` returned a richer URL object), `from_json` on an object not proven '
         'to\n'
         '    be an app of the project (a parameter `app`, `self.app`; an object the module\n'
         "    makes otherwise is not Flask's and is left alone), calls with arguments the\n"
         '    rewrite does not map (`charset=`, `silent` given twice...), and names bound\n'
         '    otherwise where the new code would use them.',
  'file_patterns': ()},
 {'code': 'FLK709',
  'name': 'werkzeug-moved-imports',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': "Import Werkzeug's names from their modules, not `werkzeug` or "
             '`werkzeug.contrib`.',
  'doc': 'What it does:\n'
         '    Imports the names Werkzeug 1.0 stopped re-exporting from the package itself '
         'from\n'
         '    the module they live in (`from werkzeug import secure_filename` becomes\n'
         '    `from werkzeug.utils import secure_filename`; `werkzeug.secure_filename(...)`\n'
         '    after `import werkzeug` becomes `werkzeug.utils.secure_filename(...)`), the '
         'WSGI\n'
         '    middleware from `werkzeug.middleware` (`werkzeug.contrib.fixers.ProxyFix`,\n'
         '    `werkzeug.wsgi.SharedDataMiddleware`, `DispatcherMiddleware`, the profiler and\n'
         '    lint middleware), and `BaseRequest`/`BaseResponse` as `Request`/`Response`.\n'
         '    Reports what has no drop-in replacement: `werkzeug.contrib.cache` (now the\n'
         '    cachelib package, a new requirement), `contrib.securecookie`, '
         '`contrib.sessions`,\n'
         '    `contrib.atom`, the request/response mixins, `werkzeug.useragents`, and the\n'
         '    helpers removed later (`url_fix`, `Href`, `HTMLBuilder`, `escape`...).\n'
         '\n'
         'Why is this bad?:\n'
         '    Werkzeug 1.0 removed the top-level re-exports and `werkzeug.contrib` (0.15 had\n'
         '    moved the middleware to `werkzeug.middleware`; 0.16 warned), so on any current\n'
         "    release the import fails: `ImportError: cannot import name 'secure_filename' "
         'from\n'
         "    'werkzeug'`, `ModuleNotFoundError: No module named 'werkzeug.contrib'`.\n"
         '\n'
         'Example:\n'
         '    from werkzeug import secure_filename, FileStorage\n'
         '    from werkzeug.contrib.fixers import ProxyFix\n'
         '    import werkzeug\n'
         '\n'
         '    app.wsgi_app = ProxyFix(app.wsgi_app)\n'
         '    name = werkzeug.secure_filename(upload.filename)\n'
         '\n'
         'Use instead:\n'
         '    from werkzeug.datastructures import FileStorage\n'
         '    from werkzeug.middleware.proxy_fix import ProxyFix\n'
         '    from werkzeug.utils import secure_filename\n'
         '    import werkzeug\n'
         '    import werkzeug.utils\n'
         '\n'
         '    app.wsgi_app = ProxyFix(app.wsgi_app)\n'
         '    name = werkzeug.utils.secure_filename(upload.filename)\n'
         '\n'
         'Fix safety:\n'
         '    Safe: the new module holds the very object the old name re-exported (every\n'
         '    row of the table of removed APIs, flask_fix/rewrite/removed_apis.py, was\n'
         '    checked against the releases). The top-level names live in their module on\n'
         '    every Werkzeug from 0.14 on, so they are moved whatever the project pins;\n'
         "    `werkzeug.middleware` exists from Werkzeug 0.15: when the project's "
         'requirements\n'
         '    allow an older Werkzeug, the import is only reported. Names going to several\n'
         '    modules split the import; a nested import (in a function, a `try`) gets the new\n'
         '    imports on the next lines. Only reported: what has no replacement in Werkzeug,\n'
         '    a use through a name that `werkzeug` means something else for, and an import\n'
         "    sharing its line with other statements inside a block. Note that 0.15's\n"
         '    `ProxyFix` trusts one `X-Forwarded-For` hop by default (`x_for=1`).',
  'file_patterns': ()},
 {'code': 'FLK710',
  'name': 'jinja2-removed-api',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': "Use `markupsafe.Markup`/`escape` and the `pass_*` decorators, not Jinja2's "
             'removed names.',
  'doc': 'What it does:\n'
         '    Imports `Markup` and `escape` from `markupsafe` instead of `jinja2`, and '
         'renames\n'
         '    the decorators Jinja 3.0 replaced: `contextfilter` and `contextfunction` become\n'
         '    `pass_context`, `evalcontextfilter`/`evalcontextfunction` become\n'
         '    `pass_eval_context`, `environmentfilter`/`environmentfunction` become\n'
         '    `pass_environment`, in the import and in every use. Reports the\n'
         '    `jinja2.ext.autoescape` and `jinja2.ext.with_` extensions (built in since 2.9:\n'
         '    drop them from the extension list).\n'
         '\n'
         'Why is this bad?:\n'
         "    Jinja2 3.1 removed them all: `ImportError: cannot import name 'Markup' from\n"
         "    'jinja2'`, `cannot import name 'contextfilter'`, and loading the extension\n"
         '    `jinja2.ext.autoescape` fails with `AttributeError`.\n'
         '\n'
         'Example:\n'
         '    from jinja2 import Markup, contextfilter\n'
         '\n'
         '    @contextfilter\n'
         '    def shout(context, value):\n'
         '        return Markup("<b>%s</b>") % value\n'
         '\n'
         'Use instead:\n'
         '    from jinja2 import pass_context\n'
         '    from markupsafe import Markup\n'
         '\n'
         '    @pass_context\n'
         '    def shout(context, value):\n'
         '        return Markup("<b>%s</b>") % value\n'
         '\n'
         'Fix safety:\n'
         "    Safe for `Markup` and `escape`: Jinja2 re-exported MarkupSafe's own objects and\n"
         '    every Jinja2 release depends on MarkupSafe. The `pass_*` decorators exist from\n'
         "    Jinja2 3.0: when the project's requirements allow an older Jinja2, they are "
         'only\n'
         '    reported. A renamed decorator keeps its old name (`pass_context as\n'
         '    contextfilter`) where its uses cannot all be renamed (a module with `__all__`, '
         'a\n'
         "    package's `__init__.py`, another binding of the name).",
  'file_patterns': ()},
 {'code': 'FLK711',
  'name': 'itsdangerous-jws',
  'kind': 'python',
  'fix_level': 'report',
  'summary': '`TimedJSONWebSignatureSerializer` is gone: move to `URLSafeTimedSerializer` or '
             'PyJWT.',
  'doc': 'What it does:\n'
         '    Reports `TimedJSONWebSignatureSerializer` and `JSONWebSignatureSerializer` (and '
         'the\n'
         '    `itsdangerous.jws` module), in every import form, with the choices a person '
         'must\n'
         '    make.\n'
         '\n'
         'Why is this bad?:\n'
         '    itsdangerous 2.1 removed them (deprecated in 2.0): `ImportError: cannot import\n'
         "    name 'TimedJSONWebSignatureSerializer' from 'itsdangerous'`. Legacy apps used "
         'them\n'
         '    for password-reset and e-mail confirmation tokens and API tokens.\n'
         '\n'
         'Example:\n'
         '    from itsdangerous import TimedJSONWebSignatureSerializer as Serializer\n'
         '\n'
         '    def reset_token(user, expires=1800):\n'
         '        return Serializer(SECRET_KEY, expires).dumps({"id": user.id}).decode()\n'
         '\n'
         '    def verify(token):\n'
         '        return Serializer(SECRET_KEY).loads(token)["id"]\n'
         '\n'
         'Use instead:\n'
         '    from itsdangerous import URLSafeTimedSerializer\n'
         '\n'
         '    def reset_token(user):\n'
         '        return URLSafeTimedSerializer(SECRET_KEY).dumps({"id": user.id})\n'
         '\n'
         '    def verify(token, max_age=1800):\n'
         '        return URLSafeTimedSerializer(SECRET_KEY).loads(token, '
         'max_age=max_age)["id"]\n'
         '\n'
         'Fix safety:\n'
         '    Report only: nothing is a drop-in replacement. `URLSafeTimedSerializer` signs a\n'
         '    different format (not a JWS), takes the expiry when a token is read\n'
         '    (`loads(token, max_age=...)`) rather than when it is made, and returns `str`, '
         'not\n'
         '    `bytes`; every token already issued stops verifying. Tokens other systems read '
         'as\n'
         '    JWTs need PyJWT (`jwt.encode({"id": 1, "exp": ...}, key, algorithm="HS256")`), '
         'a\n'
         '    new requirement. The person decides which, and where the expiry goes.',
  'file_patterns': ()},
 {'code': 'FLK712',
  'name': 'blueprint-setup-after-registration',
  'kind': 'python',
  'fix_level': 'report',
  'summary': 'Set a blueprint up once, not in the function that registers it (Flask 2.3).',
  'doc': 'What it does:\n'
         '    Reports a module-level blueprint that a function registering blueprints (an app\n'
         "    factory's `register_blueprints(app)`) also sets up: a setup method called on it\n"
         '    (`bp.after_request(...)`, `bp.route(...)`, `bp.errorhandler(...)`, ...) or an\n'
         "    extension's `init_app(bp)` (Flask-CORS's adds an `after_request`).\n"
         '\n'
         'Why is this bad?:\n'
         '    The blueprint lives as long as its module, the function runs once per app: from\n'
         '    the second app on (a test suite makes one per test) the blueprint was already\n'
         '    registered, and from Flask 2.3 setting it up then raises `AssertionError: The\n'
         "    setup method 'after_request' can no longer be called on the blueprint 'user'.\n"
         '    It has already been registered at least once` (Flask 2.2 warned).\n'
         '\n'
         'Example:\n'
         '    from myapp.user.views import blueprint\n'
         '\n'
         '    def register_blueprints(app):\n'
         '        cors.init_app(blueprint, origins=app.config["CORS_ORIGINS"])\n'
         '        app.register_blueprint(blueprint)\n'
         '\n'
         'Use instead:\n'
         '    def register_blueprints(app):\n'
         '        cors.init_app(app, origins=app.config["CORS_ORIGINS"])\n'
         '        app.register_blueprint(blueprint)\n'
         '\n'
         'Fix safety:\n'
         '    Report only: where the setup belongs depends on what it does. Setup that does\n'
         '    not depend on the app goes where the blueprint is defined; setup that reads the\n'
         "    app's configuration moves to the app (`cors.init_app(app, resources=...)`), or\n"
         '    the blueprint is made by a function, a new one per app.',
  'file_patterns': ()},
 {'code': 'FLK801',
  'name': 'wtforms-3-api',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Use WTForms 3 / Flask-WTF 1.0 names (`StringField`, `DataRequired`, '
             '`FlaskForm`).',
  'doc': 'What it does:\n'
         '    Renames what WTForms 3.0 and Flask-WTF 1.0 removed, in the import and in every\n'
         '    use: `TextField` becomes `StringField`, the `Required` validator '
         '`DataRequired`,\n'
         '    `flask_wtf.Form` `FlaskForm`, `CsrfProtect` `CSRFProtect`; the fields of\n'
         '    `wtforms.fields.html5` are imported from `wtforms.fields`;\n'
         '    `wtforms.compat.text_type`/`string_types` become `str`. Reports\n'
         '    `wtforms.ext.sqlalchemy` (now the WTForms-SQLAlchemy package, a new '
         'requirement),\n'
         '    `wtforms.ext.csrf`, `wtforms.compat.iteritems`, and an `Email()` validator when\n'
         "    the requirements do not name `email-validator`. A form's own `def "
         'validate(self)`\n'
         '    (a class deriving from `FlaskForm`, `flask_wtf.Form` or `wtforms.Form`) gains '
         'the\n'
         '    parameter `extra_validators=None`: from Flask-WTF 1.1 `validate_on_submit()`\n'
         '    passes it (`TypeError: validate() got an unexpected keyword argument\n'
         "    'extra_validators'`). In a project whose forms use `Email`, a test module's\n"
         '    address at a special-use domain (`new@test.test`, `.local`, `.invalid`,\n'
         '    `.onion`, `.arpa`) is reported: email-validator 1.2 and later reject it; and so\n'
         '    is an import of Flask-User, whose forms use `Email`, when the requirements do '
         'not\n'
         '    name email-validator (Flask-User does not require it).\n'
         '\n'
         'Why is this bad?:\n'
         '    WTForms 3.0 removed the old names and `wtforms.ext`, Flask-WTF 1.0 removed '
         '`Form`\n'
         '    and `CsrfProtect`: the import fails (`ImportError: cannot import name '
         "'TextField'\n"
         "    from 'wtforms'`). From WTForms 2.3 the `Email` validator needs the\n"
         '    `email-validator` package: without it, creating the form raises\n'
         "    `Exception: Install 'email_validator' for email validation support.`\n"
         '\n'
         'Example:\n'
         '    from flask_wtf import Form\n'
         '    from wtforms import TextField\n'
         '    from wtforms.validators import Required\n'
         '\n'
         '    class LoginForm(Form):\n'
         '        name = TextField("Name", validators=[Required()])\n'
         '\n'
         'Use instead:\n'
         '    from flask_wtf import FlaskForm\n'
         '    from wtforms import StringField\n'
         '    from wtforms.validators import DataRequired\n'
         '\n'
         '    class LoginForm(FlaskForm):\n'
         '        name = StringField("Name", validators=[DataRequired()])\n'
         '\n'
         'Fix safety:\n'
         '    Safe where the new name is the same object, or exists on every release the\n'
         "    project's requirements allow: `StringField` and `DataRequired` exist in every\n"
         '    WTForms 2 (`TextField` and `Required` were their deprecated aliases), so they '
         'are\n'
         '    renamed whatever the pins; `FlaskForm` needs Flask-WTF 0.13, `CSRFProtect` 0.14\n'
         "    and `wtforms.fields`' HTML5 fields WTForms 2.3: with older pins, only reported.\n"
         "    A name whose uses cannot all be renamed (a module with `__all__`, a package's\n"
         '    `__init__.py`, another binding) keeps its old local name\n'
         '    (`from wtforms import StringField as TextField`). `Required` also stopped a\n'
         "    field's validation chain on an empty value, as `DataRequired` does. The new\n"
         '    `extra_validators=None` parameter of a `validate` override is valid on every\n'
         '    release (Flask-WTF 1.0 and older call `validate()` without it); the override\n'
         '    still calls its base class as before, so extra validators given to\n'
         '    `validate_on_submit(extra_validators=...)` are not applied by it: the finding\n'
         "    says so (WTForms 3's `Form.validate` takes them; 2.2 does not).",
  'file_patterns': ()},
 {'code': 'FLK802',
  'name': 'login-property-called',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Read `current_user.is_authenticated` as a property (Flask-Login 0.3).',
  'doc': 'What it does:\n'
         '    Drops the call from `current_user.is_authenticated()`, `is_active()` and\n'
         "    `is_anonymous()` where `current_user` is Flask-Login's, and from\n"
         "    `self.is_authenticated()` in a class deriving from Flask-Login's `UserMixin`.\n"
         '    Does the same in Jinja templates (inside `{{ }}` and `{% %}`, on `current_user`\n'
         '    only). A `UserMixin` subclass that still defines one of them as a plain method\n'
         '    gets `@property` with --unsafe-fixes.\n'
         '\n'
         'Why is this bad?:\n'
         "    Flask-Login 0.3 made the three attributes properties: on today's releases the\n"
         "    call raises `TypeError: 'bool' object is not callable`. A class of the project\n"
         '    that defines `def is_active(self)` the pre-0.3 way is read as a property by\n'
         '    Flask-Login itself (`login_user` checks `user.is_active`): the bound method is\n'
         '    always true, so an inactive user logs in.\n'
         '\n'
         'Example:\n'
         '    from flask_login import current_user\n'
         '\n'
         '    def greeting():\n'
         '        if current_user.is_authenticated():\n'
         '            return "hello " + current_user.name\n'
         '\n'
         'Use instead:\n'
         '    from flask_login import current_user\n'
         '\n'
         '    def greeting():\n'
         '        if current_user.is_authenticated:\n'
         '            return "hello " + current_user.name\n'
         '\n'
         'Fix safety:\n'
         '    Safe on Flask-Login 0.3 and later, where the attribute is a bool. When the\n'
         "    project's requirements allow Flask-Login 0.2 (where it is a method, and the\n"
         '    attribute alone is always true), the rewrite is an unsafe fix whose finding '
         'names\n'
         '    the requirement to raise with it (`needs Flask-Login>=0.3`): --unsafe-fixes\n'
         "    migrates the code, the requirement is the user's to raise. Only rewritten where\n"
         "    the object is provably Flask-Login's user: `current_user` imported from\n"
         '    flask_login (and no class of the project defines the attribute as a plain\n'
         "    method: then the call is that method's), or `self` in a `UserMixin` subclass "
         'that\n'
         '    does not define it. A call on any other object (`user.is_active()`, a '
         "template's\n"
         '    `user.is_authenticated()`, `g.current_user`) is left alone. Making the pre-0.3\n'
         '    method a `@property` is always unsafe: calls of it in other modules must drop\n'
         '    their `()` (it is only reported while its own module still calls it).',
  'file_patterns': ()},
 {'code': 'FLK803',
  'name': 'flask-script-manager',
  'kind': 'project',
  'fix_level': 'unsafe',
  'summary': "Rewrite Flask-Script's `manage.py` to Flask's CLI (click), and its `runserver` "
             'calls.',
  'doc': 'What it does:\n'
         "    Rewrites a Flask-Script `manage.py` to Flask's own CLI (click). `manager =\n"
         '    Manager(app)` goes away and its commands go on `app.cli`; `Manager(create_app)`\n'
         '    becomes `cli = FlaskGroup(create_app=create_app)` and the commands go on `cli`.\n'
         "    `@manager.command` becomes `@app.cli.command('name')` with a `click.argument`\n"
         "    for each parameter without a default and a `click.option('-x', '--name')` for\n"
         '    each one with (a flag for a `False` default), as Flask-Script derived them;\n'
         '    `@manager.option(...)` becomes `@click.option(...)` (`dest`, `default`, `help`,\n'
         "    `type=int/float/str`, `required`, `choices`, `metavar`, `action='store_true'`\n"
         "    or `'store_false'`). `manager.add_command('db', MigrateCommand)` and "
         '`Server(...)`\n'
         '    are removed, `Shell(make_context=f)` and `@manager.shell` become\n'
         '    `app.shell_context_processor`, and `manager.run()` under `__main__` becomes\n'
         "    `FlaskGroup(create_app=lambda: app)()` (or `cli()`). In the project's other\n"
         '    text files (scripts, Procfiles under any name, Dockerfiles, Makefiles, docs;\n'
         '    not Python files, nor `migrations/` or tool folders), `manage.py runserver` (or '
         'the name a `Server`\n'
         "    had) becomes `manage.py run`, with Flask-Script's options spelled as `flask\n"
         "    run`'s (`-d` -> `--debugger`, `-r` -> `--reload`, `--threaded` ->\n"
         '    `--with-threads`) and the `Server(host=..., port=...)` settings added. A\n'
         "    module-level import of Flask-Script (or of Flask-Migrate's `MigrateCommand`) in\n"
         '    another module whose names nothing uses (not that module, not its `__all__`, '
         'and\n'
         '    no other module imports them from it) is deleted; one still in use is named.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-Script is unmaintained: it imports `flask._compat`, which Flask 2.0 '
         'removed\n'
         "    (`ModuleNotFoundError: No module named 'flask._compat'`), its "
         '`@manager.command`\n'
         '    calls `inspect.getargspec`, which Python 3.11 removed, and Flask-Migrate 3.0\n'
         "    removed `MigrateCommand`. On today's releases `manage.py` does not import, so "
         'no\n'
         '    command of it runs, including the `db upgrade` a deployment calls.\n'
         '\n'
         'Example:\n'
         '    from flask_migrate import Migrate, MigrateCommand\n'
         '    from flask_script import Manager\n'
         '\n'
         '    from blog import app, db\n'
         '\n'
         '    migrate = Migrate(app, db)\n'
         '    manager = Manager(app)\n'
         "    manager.add_command('db', MigrateCommand)\n"
         '\n'
         '\n'
         "    @manager.option('-c', '--count', dest='count', type=int, default=25)\n"
         '    def seed(count):\n'
         '        ...\n'
         '\n'
         '\n'
         "    if __name__ == '__main__':\n"
         '        manager.run()\n'
         '\n'
         'Use instead:\n'
         '    import click\n'
         '    from flask.cli import FlaskGroup\n'
         '    from flask_migrate import Migrate\n'
         '\n'
         '    from blog import app, db\n'
         '\n'
         '    migrate = Migrate(app, db)\n'
         '\n'
         '\n'
         "    @app.cli.command('seed')\n"
         "    @click.option('-c', '--count', type=int, default=25)\n"
         '    def seed(count):\n'
         '        ...\n'
         '\n'
         '\n'
         "    if __name__ == '__main__':\n"
         '        FlaskGroup(create_app=lambda: app)()\n'
         '\n'
         'Fix safety:\n'
         '    Unsafe: the command line changes. The choice made: `python manage.py <command>`\n'
         '    keeps working, with the same command names (click would spell `create_user` as\n'
         '    `create-user`: each command is named explicitly) and options, because the\n'
         "    `__main__` block runs a `FlaskGroup`, which also brings Flask's `run`, `shell`\n"
         '    and `routes` and the plugin commands: `python manage.py db upgrade` keeps '
         'working\n'
         "    through Flask-Migrate's `flask db` (registered by the package; `Migrate(app, "
         'db)`\n'
         '    must run, as `MigrateCommand` needed too). `flask --app manage <command>` works\n'
         "    as well. So the project's scripts and docs need no change but for `runserver`,\n"
         "    Flask's `run`. A function that other code calls (a test calling "
         '`manage.seed()`)\n'
         '    stays a plain function, registered after its definition:\n'
         "    `app.cli.command('seed')(click.option(...)(seed))`. Differences: Flask-Script "
         'ran\n'
         '    a command in a test request context, click runs it in an app context; a\n'
         "    command's return value was the exit status (`sys.exit(result or 0)`): in a\n"
         '    function nothing else calls, `return 1` becomes `sys.exit(1)` (`sys.exit(x or\n'
         '    0)` for a value that is not an int literal), unless a `try` or `with` holds the\n'
         '    `return` (a handler or a context manager would see the SystemExit): that, and a\n'
         '    function other code calls, is reported, as click ignores the value; an\n'
         "    option of `@manager.command` with a non-string default gets click's type from "
         'the\n'
         '    default (`count=25` reads `--count 3` as the int 3, Flask-Script passed the\n'
         "    string '3'); `Server(...)` settings other than host, port, debugger, reloader\n"
         "    and threads, and `Shell`'s banner, are dropped (reported). Only reported, the\n"
         '    module left as it is: a custom `Command` subclass, `Option`, `Group`, the\n'
         '    `prompt_*` helpers, `manager.add_option` (options of the app factory), an '
         'option\n'
         "    keyword or `type=` click reads differently (`nargs`, `action='append'`, a\n"
         '    callable type), `Manager(create_app)` with a shell context, the manager used '
         'any\n'
         '    other way. The rewrite works on Flask 1.x too, so it applies whatever the pins\n'
         '    say.',
  'file_patterns': ()},
 {'code': 'FLK804',
  'name': 'jwt-extended-4-api',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': "Use Flask-JWT-Extended 4's API: `@jwt_required(optional=True)`, "
             '`@jwt_required()`, `get_jwt`.',
  'doc': 'What it does:\n'
         "    Moves a Flask-JWT-Extended 3 app to 4.0's API: `@jwt_optional` becomes\n"
         '    `@jwt_required(optional=True)`, `@fresh_jwt_required` '
         '`@jwt_required(fresh=True)`,\n'
         '    `@jwt_refresh_token_required` `@jwt_required(refresh=True)`, a bare '
         '`@jwt_required`\n'
         '    `@jwt_required()`, `verify_jwt_in_request_optional()` (and the fresh and '
         'refresh\n'
         '    ones) `verify_jwt_in_request(optional=True)`, `get_raw_jwt` `get_jwt` and\n'
         '    `get_raw_jwt_header` `get_jwt_header`. Reports `get_jwt_claims` and the renamed\n'
         '    `JWTManager` callback registrations (`user_loader_callback_loader` ->\n'
         '    `user_lookup_loader`, `user_claims_loader` -> `additional_claims_loader`,\n'
         '    `token_in_blacklist_loader` -> `token_in_blocklist_loader`, ...), whose '
         'callbacks\n'
         '    changed.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-JWT-Extended 4.0 removed the old names: the import fails\n'
         "    (`ImportError: cannot import name 'jwt_optional' from 'flask_jwt_extended'`),\n"
         '    `jwt.user_loader_callback_loader(...)` raises AttributeError. A bare\n'
         '    `@jwt_required` still imports on 4.0, but the view is taken for `optional` and\n'
         '    replaced by the decorator it returns: every request to it fails (`TypeError:\n'
         "    wrapper() missing 1 required positional argument: 'fn'`).\n"
         '\n'
         'Example:\n'
         '    from flask_jwt_extended import jwt_optional, jwt_required, get_raw_jwt\n'
         '\n'
         '    @blueprint.route("/articles")\n'
         '    @jwt_optional\n'
         '    def articles():\n'
         '        ...\n'
         '\n'
         '    @blueprint.route("/logout")\n'
         '    @jwt_required\n'
         '    def logout():\n'
         '        revoke(get_raw_jwt()["jti"])\n'
         '\n'
         'Use instead:\n'
         '    from flask_jwt_extended import jwt_required, get_jwt\n'
         '\n'
         '    @blueprint.route("/articles")\n'
         '    @jwt_required(optional=True)\n'
         '    def articles():\n'
         '        ...\n'
         '\n'
         '    @blueprint.route("/logout")\n'
         '    @jwt_required()\n'
         '    def logout():\n'
         '        revoke(get_jwt()["jti"])\n'
         '\n'
         'Fix safety:\n'
         '    The new forms exist from Flask-JWT-Extended 4.0 only (on 3.x `jwt_required()`\n'
         "    raises TypeError): the rewrite is safe when the project's requirements allow no\n"
         '    3.x, and an unsafe fix otherwise, whose finding names the requirement to raise\n'
         '    (`needs Flask-JWT-Extended>=4.0`). On 4.0 `jwt_required(optional=True)` lets a\n'
         '    request without a token through and still rejects an invalid one, as\n'
         '    `jwt_optional` did; `get_jwt` returns the decoded token as `get_raw_jwt` did '
         '(the\n'
         '    identity is under `sub` from 4.0 unless JWT_IDENTITY_CLAIM says otherwise).\n'
         '    Reported only: `get_jwt_claims` (4.0 puts the claims at the top level of the\n'
         '    token) and the callback registrations whose callbacks take `(jwt_header,\n'
         '    jwt_data)` from 4.0: a person rewrites the callback. Also reported: a\n'
         '    `user_identity_loader` callback not seen to return a `str` (it returns '
         '`user.id`,\n'
         '    or is defined in another module): PyJWT 2.10 and later reject a token whose\n'
         '    subject (`sub`, where 4.0 writes the identity) is not a string, so every '
         'request\n'
         '    with a token gets 422 `Subject must be a string`; the person returns `str(...)`\n'
         '    and converts it back when the user is looked up.',
  'file_patterns': ()},
 {'code': 'FLK805',
  'name': 'flask-caching-2-api',
  'kind': 'python',
  'fix_level': 'safe',
  'summary': 'Name Flask-Caching backends by class: `CACHE_TYPE = "SimpleCache"`, not '
             '`"simple"`.',
  'doc': 'What it does:\n'
         '    Rewrites a lowercase Flask-Caching backend name given as `CACHE_TYPE` to its\n'
         '    class: `"simple"` becomes `"SimpleCache"`, `"redis"` `"RedisCache"`,\n'
         '    `"filesystem"` `"FileSystemCache"`, `"null"` `"NullCache"`, ... (`"uwsgi"` '
         'becomes\n'
         '    `"flask_caching.contrib.uwsgicache.UWSGICache"`). Where the setting is written '
         'as a\n'
         '    string literal: `CACHE_TYPE = "simple"` in a config class or module,\n'
         '    `app.config["CACHE_TYPE"] = "simple"`, `{"CACHE_TYPE": "simple"}` (a\n'
         '    `Cache(config=...)`), `config.update(CACHE_TYPE="simple")`. Only in a project '
         'whose\n'
         '    requirements name Flask-Caching, or in a module importing `flask_caching`.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-Caching 2.5 removed the lowercase names (deprecated since 1.10): '
         '`init_app`\n'
         '    fails with `ImportStringError: import_string() failed for\n'
         "    'flask_caching.backends.simple'`, so the app does not start.\n"
         '\n'
         'Example:\n'
         '    class Config:\n'
         '        CACHE_TYPE = "simple"\n'
         '\n'
         'Use instead:\n'
         '    class Config:\n'
         '        CACHE_TYPE = "SimpleCache"\n'
         '\n'
         'Fix safety:\n'
         '    The class names work from Flask-Caching 1.10 (the lowercase names were '
         'functions\n'
         "    calling the same class's `factory`): safe when the project's requirements allow\n"
         '    no older release, an unsafe fix otherwise whose finding names the requirement '
         'to\n'
         '    raise (`needs Flask-Caching>=1.10`; before 1.10 the class would be called as '
         'the\n'
         '    factory and fail). A value read from the environment or built at run time is '
         'left\n'
         '    alone.',
  'file_patterns': ()},
 {'code': 'FLK806',
  'name': 'flask-rq-api',
  'kind': 'python',
  'fix_level': 'report',
  'summary': "Flask-RQ 1.0 removed `get_queue` & co.: use the `RQ()` object's `get_queue()`.",
  'doc': 'What it does:\n'
         "    Reports Flask-RQ 0.2's module functions, which Flask-RQ 1.0 removed:\n"
         '    `get_queue`, `get_connection`, `get_worker`, `get_server_url`, `config_value`\n'
         '    and the `job` decorator, in every import form, with what replaces each.\n'
         '\n'
         'Why is this bad?:\n'
         '    Flask-RQ 1.0 exports only the `RQ` extension class: `from flask_rq import\n'
         "    get_queue` fails (`ImportError: cannot import name 'get_queue' from "
         "'flask_rq'`),\n"
         '    and with it every module of the app that imports it. Legacy apps enqueued their\n'
         '    e-mails this way (`get_queue().enqueue(send_email, ...)`).\n'
         '\n'
         'Example:\n'
         '    from flask_rq import RQ, get_queue\n'
         '\n'
         '    def create_app():\n'
         '        app = Flask(__name__)\n'
         '        RQ(app)\n'
         '        return app\n'
         '\n'
         '    def invite(user):\n'
         '        get_queue().enqueue(send_email, user.email)\n'
         '\n'
         'Use instead:\n'
         '    from flask_rq import RQ\n'
         '\n'
         '    rq = RQ()\n'
         '\n'
         '    def create_app():\n'
         '        app = Flask(__name__)\n'
         '        rq.init_app(app)\n'
         '        return app\n'
         '\n'
         '    def invite(user):\n'
         '        rq.get_queue().enqueue(send_email, user.email)\n'
         '\n'
         'Fix safety:\n'
         '    Report only: the queue now comes from the extension object, which the app must\n'
         '    keep (`RQ(app)` alone discards it) and the modules import, and Flask-RQ 1.0 '
         'reads\n'
         '    other settings: `RQ_CONNECTION` (a URL or a dict) and `RQ_QUEUES` instead of\n'
         '    `RQ_DEFAULT_URL`, `RQ_DEFAULT_HOST`, `RQ_DEFAULT_PORT`, `RQ_DEFAULT_DB` and\n'
         '    `RQ_DEFAULT_PASSWORD`. Where the object lives and how the settings move is the\n'
         "    person's choice.",
  'file_patterns': ()})
