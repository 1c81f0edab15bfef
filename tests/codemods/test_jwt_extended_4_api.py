"""FLK804 jwt-extended-4-api: what the generic example tests do not cover."""

from __future__ import annotations

import ast

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.rewrite.removed_apis import BY_OLD, CALL, PINS, REPORT


def run(source: str, **options):
    return fix_code(source, path="views.py", select=("FLK804",), **options)


def fixed_once(source: str, **options):
    """The fixed source, checked to parse and to be left alone by a second run."""
    result = run(source, **options)
    ast.parse(result.source)
    again = run(result.source, **options)
    assert again.source == result.source
    assert [f for f in again.findings if f.fix_level is not FixLevel.REPORT] == []
    return result


VIEWS = (
    "from flask import Blueprint\n"
    "from flask_jwt_extended import current_user, jwt_required, jwt_optional\n\n"
    "blueprint = Blueprint('articles', __name__)\n\n\n"
    "@blueprint.route('/api/articles', methods=('GET',))\n"
    "@jwt_optional\n"
    "def get_articles():\n"
    "    return 'all' if current_user is None else current_user.name\n\n\n"
    "@blueprint.route('/api/articles', methods=('POST',))\n"
    "@jwt_required\n"
    "def make_article():\n"
    "    return 'made'\n"
)
FIXED_VIEWS = (
    "from flask import Blueprint\n"
    "from flask_jwt_extended import current_user, jwt_required\n\n"
    "blueprint = Blueprint('articles', __name__)\n\n\n"
    "@blueprint.route('/api/articles', methods=('GET',))\n"
    "@jwt_required(optional=True)\n"
    "def get_articles():\n"
    "    return 'all' if current_user is None else current_user.name\n\n\n"
    "@blueprint.route('/api/articles', methods=('POST',))\n"
    "@jwt_required()\n"
    "def make_article():\n"
    "    return 'made'\n"
)


def test_the_decorators_of_flask_realworld_become_4_0_calls():
    """flask-realworld's views (corpus): `@jwt_optional` and a bare `@jwt_required`."""
    result = fixed_once(VIEWS)
    assert result.source == FIXED_VIEWS
    assert [(f.line, f.column, f.fix_level, f.message) for f in result.findings] == [
        (8, 2, FixLevel.SAFE,
         "`jwt_optional` was removed in Flask-JWT-Extended 4.0: use"
         " `jwt_required(optional=True)` (there since Flask-JWT-Extended 4.0)"),
        (14, 2, FixLevel.SAFE,
         "`@jwt_required` without parentheses replaces the view by a decorator from"
         " Flask-JWT-Extended 4.0 (TypeError on every request): use `@jwt_required()` (there"
         " since Flask-JWT-Extended 4.0)"),
    ]  # fmt: skip


def test_requirements_on_4_0_keep_it_safe():
    result = fixed_once(VIEWS, requirements={"flask-jwt-extended": (4, 0)})
    assert result.source == FIXED_VIEWS
    assert {f.fix_level for f in result.findings} == {FixLevel.SAFE}


UPGRADE = (
    "needs Flask-JWT-Extended>=4.0 and the project's requirements allow Flask-JWT-Extended"
    " 3.10: an unsafe fix, raise the requirement with it"
)


def test_requirements_allowing_3_x_make_it_an_unsafe_fix_naming_the_requirement():
    """No form works on both 3.x and 4.0 (`jwt_required()` is a TypeError on 3.x): past
    the pins the rewrite is unsafe, as every PINS row of the table."""
    pins = {"flask-jwt-extended": (3, 10)}
    result = run(VIEWS, requirements=pins)
    assert result.source == VIEWS
    assert [f.fix_level for f in result.findings] == [FixLevel.UNSAFE, FixLevel.UNSAFE]
    assert all(f.message.endswith("; " + UPGRADE) for f in result.findings)
    fixed = fixed_once(VIEWS, requirements=pins, unsafe=True)
    assert fixed.source == FIXED_VIEWS


def test_every_decorator_and_verify_function_in_every_import_form():
    source = (
        "import flask_jwt_extended as fje\n"
        "from flask_jwt_extended.view_decorators import fresh_jwt_required\n"
        "from flask_jwt_extended import jwt_refresh_token_required as refresh_only\n"
        "from flask_jwt_extended import (\n"
        "    verify_jwt_in_request_optional,\n"
        "    verify_jwt_refresh_token_in_request,\n"
        ")\n\n"
        "@fresh_jwt_required\ndef password():\n    pass\n\n"
        "@refresh_only\ndef refresh():\n    verify_jwt_refresh_token_in_request()\n\n"
        "@fje.jwt_optional\ndef home():\n    verify_jwt_in_request_optional()\n"
        "    fje.verify_fresh_jwt_in_request()\n\n"
        "protected = fje.jwt_required(home)\n"
        "maybe = fje.jwt_optional(home)\n"
    )
    result = fixed_once(source)
    assert result.source == (
        "import flask_jwt_extended as fje\n"
        "from flask_jwt_extended import jwt_required, verify_jwt_in_request\n\n"
        "@jwt_required(fresh=True)\ndef password():\n    pass\n\n"
        "@jwt_required(refresh=True)\ndef refresh():\n"
        "    verify_jwt_in_request(refresh=True)\n\n"
        "@fje.jwt_required(optional=True)\ndef home():\n"
        "    verify_jwt_in_request(optional=True)\n"
        "    fje.verify_jwt_in_request(fresh=True)\n\n"
        # a bare jwt_required called on a view stays: jwt_required(x) is 4.0's form too
        "protected = fje.jwt_required(home)\n"
        "maybe = fje.jwt_required(optional=True)(home)\n"
    )
    assert len(result.findings) == 7
    assert {f.fix_level for f in result.findings} == {FixLevel.SAFE}


def test_get_raw_jwt_is_renamed_and_get_jwt_claims_reported():
    source = (
        "from flask_jwt_extended import get_raw_jwt, get_raw_jwt_header, get_jwt_claims\n\n"
        "def token():\n"
        "    return get_raw_jwt()['jti'], get_raw_jwt_header(), get_jwt_claims()['role']\n"
    )
    result = fixed_once(source)
    assert result.source == (
        "from flask_jwt_extended import get_jwt, get_jwt_header, get_jwt_claims\n\n"
        "def token():\n"
        "    return get_jwt()['jti'], get_jwt_header(), get_jwt_claims()['role']\n"
    )
    [claims] = [f for f in result.findings if f.fix_level is FixLevel.REPORT]
    assert claims.message == (
        "`flask_jwt_extended.get_jwt_claims` was removed in Flask-JWT-Extended 4.0: use"
        " `flask_jwt_extended.get_jwt` (there since Flask-JWT-Extended 4.0); from 4.0 the"
        " claims are at the top level of get_jwt(), no longer under 'user_claims'"
        " (JWT_USER_CLAIMS is gone): read get_jwt()['role'], and tokens issued before carry"
        " them nested"
    )


def test_the_callback_registrations_are_reported_not_rewritten():
    """flask-realworld's extensions.py: the callback takes (jwt_header, jwt_data) on 4.0."""
    source = (
        "from flask_jwt_extended import JWTManager\n\n"
        "jwt = JWTManager()\n"
        "jwt.user_loader_callback_loader(lambda identity: identity)\n\n"
        "@jwt.user_claims_loader\ndef claims(identity):\n    return {'role': 'admin'}\n"
    )
    result = run(source)
    assert result.source == source
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.REPORT), (6, FixLevel.REPORT),
    ]  # fmt: skip
    assert result.findings[0].message == (
        "`flask_jwt_extended.JWTManager.user_loader_callback_loader` was removed in"
        " Flask-JWT-Extended 4.0: use `flask_jwt_extended.JWTManager.user_lookup_loader`"
        " (there since Flask-JWT-Extended 4.0); the callback takes (jwt_header, jwt_data),"
        " not the identity: the identity is jwt_data['sub']"
    )


def test_a_removed_name_used_otherwise_is_reported_and_its_import_kept():
    source = (
        "from flask_jwt_extended import jwt_optional\n\n"
        "DECORATORS = [jwt_optional]\n"
    )
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert (finding.line, finding.fix_level) == (3, FixLevel.REPORT)
    assert finding.message.endswith(
        "; not rewritten: only its uses as a decorator or called on a view function are"
    )


def test_look_alikes_stay_untouched():
    for source in (
        # a local function named jwt_optional in a module using Flask-JWT-Extended
        "from flask_jwt_extended import jwt_required\n\n"
        "def jwt_optional(f):\n    return f\n\n@jwt_optional\ndef view():\n    pass\n",
        # the same names imported from another package
        "from flask_jwt import jwt_required, jwt_optional\n\n"
        "@jwt_optional\ndef a():\n    pass\n\n@jwt_required\ndef b():\n    pass\n",
        "from myauth.decorators import verify_jwt_in_request_optional\n\n"
        "def v():\n    verify_jwt_in_request_optional()\n",
        # a loader-named method, the module does not use Flask-JWT-Extended
        "class Manager:\n    def user_loader_callback_loader(self, f):\n        return f\n\n"
        "Manager().user_loader_callback_loader(print)\n",
        # already 4.0's API
        "from flask_jwt_extended import jwt_required, verify_jwt_in_request\n\n"
        "@jwt_required(optional=True)\ndef v():\n    verify_jwt_in_request(fresh=True)\n",
    ):
        result = run(source)
        assert (result.source, result.findings) == (source, []), source


def test_another_jwt_required_in_scope_is_reported_not_shadowed():
    source = (
        "from flask_jwt_extended import jwt_optional\n"
        "from myauth import jwt_required\n\n"
        "@jwt_optional\ndef v():\n    pass\n"
    )
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.message.endswith("; not rewritten: `jwt_required` is another name here")


def test_the_table_rows_are_pins_or_report_since_4_0():
    rows = [row for row in BY_OLD.values() if row.rule == "FLK804"]
    assert len(rows) == 16
    for row in rows:
        assert row.removed_in == ("flask-jwt-extended", (4, 0))
        assert row.new_since == ("flask-jwt-extended", (4, 0))
        assert row.level in (PINS, REPORT)
    decorators = {row.old: row.new for row in rows if row.kind == CALL}
    assert decorators["flask_jwt_extended.jwt_optional"] == (
        "flask_jwt_extended.jwt_required(optional=True)"
    )


IDENTITY = (
    "from flask_jwt_extended import JWTManager\n"
    "from conduit.utils import identity_loader\n\n"
    "jwt = JWTManager()\n"
    "jwt.user_identity_loader(identity_loader)\n"
)


def test_an_identity_loader_not_seen_to_return_a_string_is_reported():
    """flask-realworld's identity loader returns `user.id` (in another module): on PyJWT
    2.10 and later every request with its token gets 422 `Subject must be a string`."""
    result = run(IDENTITY)
    assert result.source == IDENTITY
    [finding] = result.findings
    assert (finding.line, finding.column, finding.fix_level) == (5, 1, FixLevel.REPORT)
    assert finding.message == (
        "PyJWT 2.10 and later reject a token whose subject is not a string (`Subject must"
        " be a string`, 422 on every request with a token), and Flask-JWT-Extended 4.0"
        " writes the identity this callback returns to the subject (`sub`): return"
        " `str(...)` here and convert it back in the user_lookup_loader (or set"
        " JWT_VERIFY_SUB = False, from Flask-JWT-Extended 4.7.1)"
    )
    decorated = (
        "from flask_jwt_extended import JWTManager\n\njwt = JWTManager()\n\n"
        "@jwt.user_identity_loader\ndef identity(user):\n"
        "    if user is None:\n        return 'anonymous'\n    return user.id\n"
    )
    assert [f.line for f in run(decorated).findings] == [5]
    lambda_ = IDENTITY.replace("identity_loader)", "lambda u: u.id)")
    assert [f.line for f in run(lambda_).findings] == [5]


def test_an_identity_loader_returning_strings_is_left_alone():
    for callback in (
        "@jwt.user_identity_loader\ndef identity(user):\n"
        "    def inner():\n        return 1\n    return str(user.id)\n",
        "jwt.user_identity_loader(lambda user: f'{user.id}')\n",
        "def identity(user):\n    return 'anonymous' if user is None else str(user.id)\n\n"
        "jwt.user_identity_loader(identity)\n",
    ):
        source = "from flask_jwt_extended import JWTManager\n\njwt = JWTManager()\n\n" + callback
        result = run(source)
        assert (result.source, result.findings) == (source, []), source
