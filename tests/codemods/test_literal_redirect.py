"""FLK102 literal-redirect: the URL forms, messages and levels, several modules, several
apps, and the rewritten redirects' Location headers under real Flask.

The rule's own valid/invalid examples run in test_rule_examples.py.
"""

from __future__ import annotations

import ast
import itertools
from textwrap import dedent

import pytest
from flask import Flask

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources

APP = """\
from flask import Blueprint, Flask, redirect

app = Flask(__name__)
bp = Blueprint("admin", __name__, url_prefix="/a")

@app.route("/")
def index():
    return "home"

@app.route("/about/")
def about():
    return "about"

@app.route("/products")
def products():
    return "list"

@app.route("/products/<int:product_id>")
def product(product_id):
    return "product"

@app.route("/users/<name>")
def user(name):
    return "user"

@app.route("/users/<name>/posts/<int:post_id>")
def user_post(name, post_id):
    return "post"

@app.route("/prices/<float:amount>")
def price(amount):
    return "price"

@bp.route("/users/<int:user_id>")
def admin_user(user_id):
    return "admin user"

@bp.route("/home")
def admin_home():
    return redirect("/admin/users/%d" % 4)

app.register_blueprint(bp, url_prefix="/admin")

class Obj:
    id = 7
    name = "tea-pot"
"""


def view(expr: str, head: str = APP) -> str:
    return f"{head}\n@app.route('/v')\ndef v():\n    obj = Obj()\n    return redirect({expr})\n"


def flk102(source: str, **options):
    result = fix_code(source, select=("FLK102",), **options)
    return result.source, [f for f in result.findings if f.code == "FLK102"]


def rewritten(expr: str) -> tuple[str, str, str]:
    """(new redirect argument, fix level, message) of the redirect in view `v`."""
    source, findings = flk102(view(expr))
    (finding,) = [f for f in findings if f.line > APP.count("\n")]
    call = ast.parse(source).body[-1].body[-1].value
    target = call.args[0] if call.args else call.keywords[0].value
    return ast.unparse(target), finding.fix_level.value, finding.message


# --- the forms of a URL written in code ---------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "after"),
    [
        ("'/products'", "url_for('products')"),
        ("location='/products'", "url_for('products')"),
        ("'/prod' 'ucts'", "url_for('products')"),
        ("'/users/' f'{obj.name}'", "url_for('user', name=obj.name)"),
        ("f'/users/{obj.name!s}'", "url_for('user', name=obj.name)"),
        ("f'/users/tea\\x2dpot'", "url_for('user', name='tea-pot')"),
        ("'/users/%s/posts/%d' % (obj.name, obj.id)", "url_for('user_post', name=obj.name, post_id=obj.id)"),
        ("'/users/%s' % obj.name", "url_for('user', name=obj.name)"),
        ("'/users/%d' % obj.id", "url_for('user', name=int(obj.id))"),  # %d wrote an integer
        ("'/users/' + obj.name + '/posts/' + str(obj.id)", "url_for('user_post', name=obj.name, post_id=str(obj.id))"),
        ("'/users/{name}/posts/{0}'.format(obj.id, name=obj.name)", "url_for('user_post', name=obj.name, post_id=obj.id)"),
        ("'/users/{}'.format(obj.name)", "url_for('user', name=obj.name)"),
        ("'/products/007'", "url_for('product', product_id=7)"),
        ("'/prices/1.5'", "url_for('price', amount=1.5)"),
        ("'/products?page=2&sort=price#top'", "url_for('products', page='2', sort='price', _anchor='top')"),
        ("'/about'", "url_for('about')"),
        ("'/admin/users/' + str(obj.id)", "url_for('admin.admin_user', user_id=str(obj.id))"),
        ("'/products/' + (obj.id + 1)", "url_for('product', product_id=obj.id + 1)"),  # one piece
        ("'/users/' + ('tea' + obj.name)", None),  # a string: two pieces in one variable
    ],
)  # fmt: skip
def test_forms_are_rewritten(expr, after):
    if after is None:
        assert rewritten(expr)[1] == "report"
    else:
        assert rewritten(expr)[:2] == (after, "intended")


def test_werkzeug_redirect_and_other_arguments():
    head = APP.replace(
        "from flask import Blueprint, Flask, redirect",
        "from flask import Blueprint, Flask\nfrom werkzeug.utils import redirect",
    )
    source, _ = flk102(view("'/', 302, Response=None", head))
    assert source.endswith("    return redirect(url_for('index'), 302, Response=None)\n")
    assert "from werkzeug.utils import redirect" in source
    assert "from flask import Blueprint, Flask, url_for" in source


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("f'/users/{obj.name!r}'", "`{obj.name!r}` formats its value in a way url_for cannot reproduce"),
        ("f'/products/{obj.id:03d}'", "`{obj.id:03d}` formats its value in a way url_for cannot reproduce"),
        ("f'/products/{obj.id=}'", "`{obj.id=}` formats its value in a way url_for cannot reproduce"),
        ("'/products/%05d' % obj.id", "`%05d` formats its value in a way url_for cannot reproduce"),
        ("'/users/%(n)s' % {'n': obj.name}", "`%(n)s` formats its value in a way url_for cannot reproduce"),
        ("'/users/%s/posts/%s' % pair", "the format takes 2 values, 1 are written"),
        ("'/users/%s' % (*names,)", "the values are unpacked with `*`"),
        ("'/users/{0.name}'.format(obj)", "`{0.name}` formats its value in a way url_for cannot reproduce"),
        ("'/users/{}'.format(*names)", "the values are unpacked with `*` or `**`"),
        ("'/users/{}'.format(a, b)", "`.format` receives values the format does not use"),
        ("'/users/{x}'.format(y=1)", "`{x}` does not name one of the values"),
        ("'/products?q=' + obj.name", "a query value is built at run time; url_for would encode it differently"),
        ("'/products?q=green tea'", "the query value 'green tea' holds characters url_for would encode differently"),
        ("f'/users/{{x}}'", "the path holds characters url_for would percent-encode"),
        ("'/products/%d?x=1' % 5", None),  # resolves: the hole is bound, the query literal
    ],
)  # fmt: skip
def test_what_url_for_cannot_reproduce_is_reported(expr, reason):
    source, findings = flk102(view(expr))
    (finding,) = [f for f in findings if f.line > APP.count("\n")]
    if reason is None:
        assert finding.fix_level.value == "intended"
        return
    assert source.endswith(f"    return redirect({expr})\n")
    assert finding.fix_level.value == "report"
    assert finding.message == f"build this URL with `url_for`; not rewritten: {reason}"


@pytest.mark.parametrize(
    "expr",
    [
        "'https://example.com/help'",
        "'//cdn.example.com/x'",
        "'mailto:shop@example.com'",
        "'login'",  # relative
        "f'https://{host}/x/{obj.id!r}'",  # external, even with what url_for cannot write
        "f'{base}/products'",  # starts with a dynamic piece
        "base + '/products'",
        "b'/products'",
        "'%s/products' % base",
        "request.referrer or '/'",
        "next_url",
        "str('/products')",
        "('/products' if obj else '/')",
    ],
)
def test_no_finding(expr):
    _, findings = flk102(view(expr))
    assert [f for f in findings if f.line > APP.count("\n")] == []


# --- messages and levels ------------------------------------------------------------------

WHY = "url_for follows the route if its URL changes and honours the app's mount point"


def test_messages():
    assert rewritten("'/products'")[1:] == (
        "intended",
        f"redirect to `url_for('products')` instead of the literal path '/products': {WHY}",
    )
    assert rewritten("'/products/%d' % obj.id")[2] == (
        "redirect to `url_for('product', product_id=obj.id)` instead of the path built by "
        f"`'/products/%d' % obj.id`: {WHY}"
    )
    # a value that was only written into a path now goes through a validating converter
    assert rewritten("f'/products/{obj.id}'")[2] == (
        "redirect to `url_for('product', product_id=obj.id)` instead of the path built by "
        f"`f'/products/{{obj.id}}'`: {WHY}; note: `obj.id` now goes through the route's "
        "int converter, which raises when the URL is built if it rejects the value"
    )
    assert rewritten("'/prices/%d' % obj.id")[2].endswith(
        "note: `int(obj.id)` now goes through the route's float converter, which raises when "
        "the URL is built if it rejects the value"
    )


def test_reported_routes():
    _, findings = flk102(view("'/prodcts'"))
    assert findings[-1].fix_level.value == "report"
    assert findings[-1].message == (
        "no route of the project serves GET /prodcts; nearest: /products (products), "
        "/products/<int:product_id> (product), /about/ (about)"
    )
    _, findings = flk102(view("'/zzzzzzzzzzzzzzzzzz'"))
    assert findings[-1].message == (
        "no route of the project serves GET /zzzzzzzzzzzzzzzzzz; nearest: no route is close"
    )
    head = APP + "\n@app.route('/<path:page>')\ndef page(page):\n    return page\n"
    _, findings = flk102(view("'/users/bob'", head))
    assert findings[-1].message == (
        "build this URL with `url_for`; not rewritten: 2 routes serve this URL; routes: "
        "/users/<name> (user), /<path:page> (page)"
    )


def test_url_for_bound_to_something_else_is_reported():
    head = APP + "\ndef url_for(name):\n    return '/' + name\n"
    source, findings = flk102(view("'/products'", head))
    assert source == view("'/products'", head)
    assert findings[-1].fix_level.value == "report"
    assert findings[-1].message.endswith(
        "; not rewritten: `url_for` here is not flask.url_for (import Flask's under another "
        "name or rename this one)"
    )


def test_int_shadowed_is_reported():
    head = APP + "\nint = float\n"
    _, findings = flk102(view("'/users/%d' % obj.id", head))
    assert findings[-1].message == (
        "build this URL with `url_for`; not rewritten: `int` is not the builtin here"
    )


def test_only_redirects_evaluated_inside_functions():
    source = APP + dedent("""
        @app.route("/d", defaults={"to": redirect("/")})
        def d(to=redirect("/")):
            return to

        class Holder:
            home = redirect("/")

            def get(self):
                return redirect("/")

        def outer():
            callback = lambda: redirect("/")
            return [redirect("/") for _ in range(1)], callback
    """)
    new, findings = flk102(source)
    lines = source.splitlines()
    inside = [
        n
        for n, line in enumerate(lines, 1)
        if "return redirect(" in line or "lambda" in line or "return [" in line
    ]
    assert [f.line for f in findings] == inside  # bp's view, get, the lambda, the listcomp
    assert new.count('redirect(url_for("index"))') == 3


# --- projects -----------------------------------------------------------------------------


def test_two_module_project():
    package = dedent("""
        from flask import Flask
        from .views import bp

        app = Flask(__name__)
        app.register_blueprint(bp, url_prefix="/shop")
    """)
    views = dedent("""
        import flask
        from flask import Blueprint

        bp = Blueprint("shop", __name__)

        @bp.route("/cart/<int:item>")
        def cart(item):
            return "cart"

        @bp.route("/buy/<int:item>")
        def buy(item):
            return flask.redirect(f"/shop/cart/{item}")
    """)
    index = index_from_sources({"pkg/__init__.py": package, "pkg/views.py": views})
    source, findings = flk102(views, index=index, path="pkg/views.py")
    assert source == views.replace(
        'flask.redirect(f"/shop/cart/{item}")',
        'flask.redirect(flask.url_for("shop.cart", item=item))',
    )
    assert [f.fix_level.value for f in findings] == ["intended"]


SECOND_APP = """
from flask import Flask, redirect
app = Flask(__name__)

@app.route("/admin/")
def dashboard():
    return redirect("/admin/users/1")

def helper():
    return redirect("/admin/users/1")
"""


def test_a_view_is_only_sent_to_a_route_of_its_own_app():
    index = index_from_sources({"app.py": APP, "admin.py": dedent(SECOND_APP)})
    _, findings = flk102(dedent(SECOND_APP), index=index, path="admin.py")
    assert findings[0].message == (
        "build this URL with `url_for`; not rewritten: /admin/users/<int:user_id> "
        "(admin.admin_user) is served by app.app, not by the app of this view (admin.app)"
    )
    # a helper belongs to no app we know of: the one route serving the URL is taken
    assert findings[1].fix_level.value == "intended"
    # in the main app the rule is unaffected
    _, findings = flk102(APP, index=index, path="app.py")
    assert [f.fix_level.value for f in findings] == ["intended"]


SHOP = """
from flask import Flask, redirect
app = Flask(__name__)

@app.route("/cart")
def cart():
    return "cart"

@app.route("/buy")
def buy():
    return redirect("/cart")

def helper():
    return redirect("/cart")
"""


def test_a_view_resolves_among_the_routes_of_its_own_app():
    """Two apps of one project both serve /cart: a view's redirect is its own app's."""
    blog = SHOP.replace("def cart", "def basket")
    index = index_from_sources({"shop.py": dedent(SHOP), "blog.py": dedent(blog)})
    source, findings = flk102(dedent(SHOP), index=index, path="shop.py")
    assert [f.line for f in findings] == [11, 14]
    assert findings[0].fix_level.value == "intended"
    assert 'return redirect(url_for("cart"))\n\ndef helper' in source
    # a helper is no view: its app is not known, and both apps serve /cart
    assert findings[1].fix_level.value == "report"
    assert "/cart (basket)" in findings[1].message and "/cart (cart)" in findings[1].message
    assert source.endswith('return redirect("/cart")\n')
    ast.parse(source)
    assert flk102(source, index=index, path="shop.py")[0] == source


# --- behaviour under real Flask -----------------------------------------------------------

SAME_LOCATION = [
    '"/"',
    '"/products"',
    '"/products?page=2&sort=price"',
    '"/products/5#reviews"',
    'f"/products/{obj.id}"',
    '"/products/" + str(obj.id)',
    '"/products/%d" % obj.id',
    '"/users/{name}".format(name=obj.name)',
    '"/users/%s/posts/%i" % (obj.name, obj.id)',
    '"/admin/users/3", code=301',
]


def behaviour_module() -> str:
    return APP + "".join(
        f"\n@app.route('/case/{n}')\ndef case_{n}():\n    obj = Obj()\n"
        f"    return redirect({expr})\n"
        for n, expr in enumerate([*SAME_LOCATION, '"/about"'])
    )


_names = itertools.count()


def load(source: str) -> Flask:
    namespace = {"__name__": f"ffx_literal_redirect_{next(_names)}"}
    exec(compile(source, "app.py", "exec"), namespace)  # noqa: S102 (our own test app)
    return namespace["app"]


@pytest.fixture(scope="module")
def apps() -> tuple[Flask, Flask]:
    source = behaviour_module()
    new, findings = flk102(source)
    assert len(findings) == len(SAME_LOCATION) + 2  # and the blueprint's own redirect
    assert all(f.fix_level.value == "intended" for f in findings)
    assert "redirect(" + '"' not in new and "redirect('" not in new
    return load(source), load(new)


@pytest.mark.parametrize("url", [f"/case/{n}" for n in range(len(SAME_LOCATION))] + ["/admin/home"])
def test_rewritten_redirects_send_the_same_location(apps, url):
    old, new = (app.test_client().get(url) for app in apps)
    assert (new.status_code, new.headers["Location"]) == (old.status_code, old.headers["Location"])


def test_the_rule_s_trailing_slash_saves_a_redirect(apps):
    old, new = (app.test_client() for app in apps)
    assert old.get("/case/10").headers["Location"] == "/about"
    assert new.get("/case/10").headers["Location"] == "/about/"
    assert old.get("/about").status_code == 308
    assert old.get("/case/10", follow_redirects=True).request.path == "/about/"
    assert new.get("/case/10", follow_redirects=True).request.path == "/about/"


def test_the_mount_point_is_honoured(apps):
    mounted = {"SCRIPT_NAME": "/shop"}
    old, new = (app.test_client().get("/case/4", environ_overrides=mounted) for app in apps)
    assert old.headers["Location"] == "/products/7"
    assert new.headers["Location"] == "/shop/products/7"


def test_routes_with_computed_rules_are_named_by_the_rule_written_inside():
    # redash: `redirect("/")` was reported naming org_scoped_rule('/invite/<token>'), the
    # first route registered, which cannot serve `/`
    source = dedent("""\
        from flask import Blueprint, redirect

        routes = Blueprint("redash", __name__)

        def org_scoped_rule(rule):
            return rule

        @routes.route(org_scoped_rule("/invite/<token>"))
        def invite(token):
            return redirect("/")

        @routes.route(org_scoped_rule("/"))
        def index():
            return ""
    """)
    result, [finding] = flk102(source)
    assert result == source
    assert finding.message == (
        "build this URL with `url_for`; not rewritten: org_scoped_rule('/') (redash.index) "
        "may serve this URL (its rule is not a literal); routes: org_scoped_rule('/') "
        "(redash.index), org_scoped_rule('/invite/<token>') (redash.invite)"
    )
