"""FLK711 itsdangerous-jws."""

from __future__ import annotations

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.removed_api import RemovedApiRule, rows_of, top_modules


class ItsdangerousJws(RemovedApiRule):
    """
    What it does:
        Reports `TimedJSONWebSignatureSerializer` and `JSONWebSignatureSerializer` (and the
        `itsdangerous.jws` module), in every import form, with the choices a person must
        make.

    Why is this bad?:
        itsdangerous 2.1 removed them (deprecated in 2.0): `ImportError: cannot import
        name 'TimedJSONWebSignatureSerializer' from 'itsdangerous'`. Legacy apps used them
        for password-reset and e-mail confirmation tokens and API tokens.

    Example:
        from itsdangerous import TimedJSONWebSignatureSerializer as Serializer

        def reset_token(user, expires=1800):
            return Serializer(SECRET_KEY, expires).dumps({"id": user.id}).decode()

        def verify(token):
            return Serializer(SECRET_KEY).loads(token)["id"]

    Use instead:
        from itsdangerous import URLSafeTimedSerializer

        def reset_token(user):
            return URLSafeTimedSerializer(SECRET_KEY).dumps({"id": user.id})

        def verify(token, max_age=1800):
            return URLSafeTimedSerializer(SECRET_KEY).loads(token, max_age=max_age)["id"]

    Fix safety:
        Report only: nothing is a drop-in replacement. `URLSafeTimedSerializer` signs a
        different format (not a JWS), takes the expiry when a token is read
        (`loads(token, max_age=...)`) rather than when it is made, and returns `str`, not
        `bytes`; every token already issued stops verifying. Tokens other systems read as
        JWTs need PyJWT (`jwt.encode({"id": 1, "exp": ...}, key, algorithm="HS256")`), a
        new requirement. The person decides which, and where the expiry goes.
    """

    code = "FLK711"
    name = "itsdangerous-jws"
    fix_level = FixLevel.REPORT
    summary = "`TimedJSONWebSignatureSerializer` is gone: move to `URLSafeTimedSerializer` or PyJWT."
    triggers = (b"JSONWebSignatureSerializer", b"jws")
    required_imports = top_modules(rows_of("FLK711"))

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """Only the table's rows are reported: an import or attribute naming one."""
        return cls.table_could_fire(module)

    valid = (
        "from itsdangerous import URLSafeTimedSerializer\n\n"
        "s = URLSafeTimedSerializer('k')\n",
        # a class of the project with the same name
        "class TimedJSONWebSignatureSerializer:\n    pass\n\n"
        "s = TimedJSONWebSignatureSerializer()\n",
        "from authlib.jose import jws\n",
    )
    invalid = (
        Example(
            "from itsdangerous import TimedJSONWebSignatureSerializer as Serializer\n\n"
            "s = Serializer('key', 3600)\n",
            None,
        ),
        Example("import itsdangerous\n\ns = itsdangerous.JSONWebSignatureSerializer('k')\n", None),
        Example("from itsdangerous.jws import TimedJSONWebSignatureSerializer\n", None),
    )
