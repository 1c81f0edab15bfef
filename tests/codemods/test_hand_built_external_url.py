"""FLK105 hand-built-external-url: the forms of the request's base, exact rewrites and
messages, look-alikes, and the rewritten URLs under real Flask (with a mount point).

The rule's own valid/invalid examples run in test_rule_examples.py.
"""

from __future__ import annotations

import ast

from flask import Flask

from flask_fix import fix_code

HEAD = """\
from flask import Blueprint, Flask, request

app = Flask(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

@app.route("/")
def index():
    return "home"

@app.route("/orders/")
def orders():
    return "orders"

@app.route("/orders/<int:order_id>")
def order(order_id):
    return "order"

@bp.route("/users/<name>")
def user(name):
    return "user"

app.register_blueprint(bp)

"""


def run(body: str):
    source = HEAD + body
    result = fix_code(source, select=("FLK105",))
    ast.parse(result.source)
    again = fix_code(result.source, select=("FLK105",))
    assert again.source == result.source
    assert not any(f.has_fix for f in again.findings)
    return result


def test_forms_are_rewritten_exactly():
    result = run(
        "@app.route('/links')\n"
        "def links():\n"
        "    a = request.url_root + 'orders/' + str(5)\n"
        "    b = request.host_url + 'admin/users/' + request.args['n'] + '#top'\n"
        "    c = 'https://%s/orders/%d' % (request.host, 7)\n"
        "    d = 'http://{}/'.format(request.host)\n"
        "    return a + b + c + d\n"
    )
    assert result.source == HEAD.replace("request\n", "request, url_for\n", 1) + (
        "@app.route('/links')\n"
        "def links():\n"
        "    a = url_for('order', order_id=str(5), _external=True)\n"
        "    b = url_for('admin.user', name=request.args['n'], _anchor='top', _external=True)\n"
        "    c = url_for('order', order_id=7, _external=True)\n"
        "    d = url_for('index', _external=True)\n"
        "    return a + b + c + d\n"
    )
    assert [f.message for f in result.findings] == [
        "build `url_for('order', order_id=str(5), _external=True)` instead of "
        "`request.url_root + 'orders/' + str(5)`: url_for follows the route if its URL "
        "changes and honours the mount point, SERVER_NAME and the scheme; note: `str(5)` "
        "now goes through the route's int converter, which raises when the URL is built "
        "if it rejects the value",
        "build `url_for('admin.user', name=request.args['n'], _anchor='top', _external=True)` "
        "instead of `request.host_url + 'admin/users/' + request.args['n'] + '#top'`: url_for "
        "follows the route if its URL changes and honours the mount point, SERVER_NAME and "
        "the scheme",
        "build `url_for('order', order_id=7, _external=True)` instead of "
        "`'https://%s/orders/%d' % (request.host, 7)`: url_for follows the route if its URL "
        "changes and honours the mount point, SERVER_NAME and the scheme; note: the scheme "
        "is now the request's, not always https (PREFERRED_URL_SCHEME outside a request)",
        "build `url_for('index', _external=True)` instead of "
        "`'http://{}/'.format(request.host)`: url_for follows the route if its URL changes "
        "and honours the mount point, SERVER_NAME and the scheme; note: the scheme is now "
        "the request's, not always http (PREFERRED_URL_SCHEME outside a request)",
    ]
    assert {f.fix_level.value for f in result.findings} == {"intended"}


def test_reports():
    result = run(
        "@app.route('/links')\n"
        "def links():\n"
        "    return [\n"
        "        request.host_url + 'basket',\n"
        "        request.url_root + '/orders/',\n"
        "        request.host_url + 'orders/?q=green tea',\n"
        "        f'{request.host_url}orders/{5:03d}',\n"
        "    ]\n"
    )
    assert result.source == HEAD + (
        "@app.route('/links')\n"
        "def links():\n"
        "    return [\n"
        "        request.host_url + 'basket',\n"
        "        request.url_root + '/orders/',\n"
        "        request.host_url + 'orders/?q=green tea',\n"
        "        f'{request.host_url}orders/{5:03d}',\n"
        "    ]\n"
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (27, "no route of the project serves GET /basket; nearest: no route is close"),
        (
            28,
            "build this absolute URL with `url_for(..., _external=True)`; not rewritten: "
            "the URL's path starts with `//` (`request.url_root` ends with `/`)",
        ),
        (
            29,
            "build this absolute URL with `url_for(..., _external=True)`; not rewritten: "
            "the query value 'green tea' holds characters url_for would encode differently",
        ),
        (
            30,
            "build this absolute URL with `url_for(..., _external=True)`; not rewritten: "
            "`{5:03d}` formats its value in a way url_for cannot reproduce",
        ),
    ]


def test_look_alikes_stay():
    body = (
        "ROOT = request.host_url + 'orders/'\n"  # module level: no context
        "\n"
        "def helper(request):\n"
        "    return request.host_url + 'orders/'\n"  # a parameter, not Flask's
        "\n"
        "@app.route('/links')\n"
        "def links():\n"
        "    path = 'orders/'\n"
        "    return [\n"
        "        request.host_url,\n"
        "        request.host_url + path,\n"
        "        request.host + '/orders/',\n"
        "        'http://' + request.host + ':8000/orders/',\n"
        "        'http://' + request.remote_addr + '/orders/',\n"
        "        'Visit ' + request.host_url + 'orders/',\n"
        "        request.host_url.rstrip('/') + '/orders/',\n"
        "        'https://example.com/orders/',\n"
        "    ]\n"
    )
    result = run(body)
    assert result.source == HEAD + body
    assert result.findings == []


def test_rewritten_urls_under_flask_with_a_mount_point():
    """Built by hand and by url_for inside a request to https://shop.example/store/: from
    url_root they agree; host_url left out the mount point; http:// was the wrong scheme."""
    body = (
        "@app.route('/links')\n"
        "def links():\n"
        "    return [\n"
        "        request.url_root + 'orders/' + str(5),\n"
        "        request.host_url + 'orders/',\n"
        "        'http://' + request.host + '/admin/users/ann',\n"
        "    ]\n"
    )
    before = HEAD + body
    after = run(body).source

    def urls(source: str) -> list[str]:
        namespace: dict = {"__name__": "shop"}
        exec(compile(source, "shop.py", "exec"), namespace)
        app: Flask = namespace["app"]
        with app.test_request_context("/links", base_url="https://shop.example/store/"):
            return namespace["links"]()

    assert urls(before) == [
        "https://shop.example/store/orders/5",
        "https://shop.example/orders/",
        "http://shop.example/admin/users/ann",
    ]
    assert urls(after) == [
        "https://shop.example/store/orders/5",
        "https://shop.example/store/orders/",
        "https://shop.example/store/admin/users/ann",
    ]
