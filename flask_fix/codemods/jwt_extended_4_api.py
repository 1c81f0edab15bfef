"""FLK804 jwt-extended-4-api."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import import_module
from ..rewrite.names import import_binding, qualified_name
from ..rewrite.removed_api import RemovedApiRule, normal, release
from ..rewrite.removed_apis import BY_OLD, Removed

JWT = "flask_jwt_extended"
#: the modules Flask-JWT-Extended 3 defined its decorators and verify_* functions in
MODULES = (JWT, f"{JWT}.view_decorators")
BARE = BY_OLD[f"{JWT}.jwt_required(fn)"]
#: old name -> (its row, the function replacing it, the keyword set to True)
CALLS: dict[str, tuple[Removed, str, str | None]] = {
    "jwt_required": (BARE, "jwt_required", None),
    **{
        old: (BY_OLD[f"{JWT}.{old}"], new, keyword)
        for old, new, keyword in (
            ("jwt_optional", "jwt_required", "optional"),
            ("fresh_jwt_required", "jwt_required", "fresh"),
            ("jwt_refresh_token_required", "jwt_required", "refresh"),
            ("verify_jwt_in_request_optional", "verify_jwt_in_request", "optional"),
            ("verify_fresh_jwt_in_request", "verify_jwt_in_request", "fresh"),
            ("verify_jwt_refresh_token_in_request", "verify_jwt_in_request", "refresh"),
        )
    },
}
DECORATORS = frozenset({"jwt_required", "jwt_optional", "fresh_jwt_required",
                        "jwt_refresh_token_required"})  # fmt: skip
#: JWTManager's renamed callback registrations: reported (their callbacks changed)
LOADERS = {
    row.old.rpartition(".")[2]: row
    for row in BY_OLD.values()
    if row.rule == "FLK804" and row.old.startswith(f"{JWT}.JWTManager.")
}


#: what a finding says of an identity loader that may return something else than a str
SUBJECT = (
    "PyJWT 2.10 and later reject a token whose subject is not a string (`Subject must be a"
    " string`, 422 on every request with a token), and Flask-JWT-Extended 4.0 writes the"
    " identity this callback returns to the subject (`sub`): return `str(...)` here and"
    " convert it back in the user_lookup_loader (or set JWT_VERIFY_SUB = False, from"
    " Flask-JWT-Extended 4.7.1)"
)


def _returns_str(function: cst.FunctionDef | cst.Lambda) -> bool:
    """Whether every value `function` returns is surely a str (`_is_str`; a nested
    function's returns are not its own)."""
    if isinstance(function, cst.Lambda):
        values: list[cst.BaseExpression | None] = [function.body]
    else:
        values = []

        class Returns(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                return node is function

            def visit_Lambda(self, node: cst.Lambda) -> bool:
                return False

            def visit_Return(self, node: cst.Return) -> None:
                values.append(node.value)

        function.visit(Returns())
    return bool(values) and all(_is_str(v) for v in values)


def _is_str(value: cst.BaseExpression | None) -> bool:
    """`str(...)`, a string, an f-string, or `a if c else b` of two of them."""
    if isinstance(value, cst.IfExp):
        return _is_str(value.body) and _is_str(value.orelse)
    if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value == "str"
    )


def _keyword(name: str) -> cst.Arg:
    """`name=True`."""
    return cst.Arg(
        cst.Name("True"),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


class JwtExtended4Api(RemovedApiRule):
    """
    What it does:
        Moves a Flask-JWT-Extended 3 app to 4.0's API: `@jwt_optional` becomes
        `@jwt_required(optional=True)`, `@fresh_jwt_required` `@jwt_required(fresh=True)`,
        `@jwt_refresh_token_required` `@jwt_required(refresh=True)`, a bare `@jwt_required`
        `@jwt_required()`, `verify_jwt_in_request_optional()` (and the fresh and refresh
        ones) `verify_jwt_in_request(optional=True)`, `get_raw_jwt` `get_jwt` and
        `get_raw_jwt_header` `get_jwt_header`. Reports `get_jwt_claims` and the renamed
        `JWTManager` callback registrations (`user_loader_callback_loader` ->
        `user_lookup_loader`, `user_claims_loader` -> `additional_claims_loader`,
        `token_in_blacklist_loader` -> `token_in_blocklist_loader`, ...), whose callbacks
        changed.

    Why is this bad?:
        Flask-JWT-Extended 4.0 removed the old names: the import fails
        (`ImportError: cannot import name 'jwt_optional' from 'flask_jwt_extended'`),
        `jwt.user_loader_callback_loader(...)` raises AttributeError. A bare
        `@jwt_required` still imports on 4.0, but the view is taken for `optional` and
        replaced by the decorator it returns: every request to it fails (`TypeError:
        wrapper() missing 1 required positional argument: 'fn'`).

    Example:
        from flask_jwt_extended import jwt_optional, jwt_required, get_raw_jwt

        @blueprint.route("/articles")
        @jwt_optional
        def articles():
            ...

        @blueprint.route("/logout")
        @jwt_required
        def logout():
            revoke(get_raw_jwt()["jti"])

    Use instead:
        from flask_jwt_extended import jwt_required, get_jwt

        @blueprint.route("/articles")
        @jwt_required(optional=True)
        def articles():
            ...

        @blueprint.route("/logout")
        @jwt_required()
        def logout():
            revoke(get_jwt()["jti"])

    Fix safety:
        The new forms exist from Flask-JWT-Extended 4.0 only (on 3.x `jwt_required()`
        raises TypeError): the rewrite is safe when the project's requirements allow no
        3.x, and an unsafe fix otherwise, whose finding names the requirement to raise
        (`needs Flask-JWT-Extended>=4.0`). On 4.0 `jwt_required(optional=True)` lets a
        request without a token through and still rejects an invalid one, as
        `jwt_optional` did; `get_jwt` returns the decoded token as `get_raw_jwt` did (the
        identity is under `sub` from 4.0 unless JWT_IDENTITY_CLAIM says otherwise).
        Reported only: `get_jwt_claims` (4.0 puts the claims at the top level of the
        token) and the callback registrations whose callbacks take `(jwt_header,
        jwt_data)` from 4.0: a person rewrites the callback. Also reported: a
        `user_identity_loader` callback not seen to return a `str` (it returns `user.id`,
        or is defined in another module): PyJWT 2.10 and later reject a token whose
        subject (`sub`, where 4.0 writes the identity) is not a string, so every request
        with a token gets 422 `Subject must be a string`; the person returns `str(...)`
        and converts it back when the user is looked up.
    """

    code = "FLK804"
    name = "jwt-extended-4-api"
    fix_level = FixLevel.SAFE
    summary = (
        "Use Flask-JWT-Extended 4's API: `@jwt_required(optional=True)`, `@jwt_required()`,"
        " `get_jwt`."
    )
    triggers = (b"flask_jwt_extended", b"flask.ext.jwt_extended")
    required_imports = frozenset({JWT, "flask"})
    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider)

    valid = (
        "from flask_jwt_extended import jwt_required, get_jwt\n\n"
        "@jwt_required(optional=True)\ndef view():\n    return get_jwt()\n\n"
        "@jwt_required()\ndef other():\n    pass\n",
        # a local function of the project with the old name
        "import flask_jwt_extended\n\ndef jwt_optional(f):\n    return f\n\n"
        "@jwt_optional\ndef view():\n    pass\n",
        # the same names from another package (Flask-JWT, not Flask-JWT-Extended)
        "from flask_jwt import jwt_required\nimport flask_jwt_extended\n\n"
        "@jwt_required()\ndef view():\n    pass\n",
        # a method of another object with a loader's name, in a module without the package
        "class Manager:\n    def user_claims_loader(self, f):\n        return f\n\n"
        "Manager().user_claims_loader(print)\n",
    )
    invalid = (
        Example(
            "from flask_jwt_extended import jwt_required, jwt_optional\n\n"
            "@jwt_optional\ndef articles():\n    pass\n\n"
            "@jwt_required\ndef logout():\n    pass\n",
            "from flask_jwt_extended import jwt_required\n\n"
            "@jwt_required(optional=True)\ndef articles():\n    pass\n\n"
            "@jwt_required()\ndef logout():\n    pass\n",
        ),
        Example(
            "import flask_jwt_extended as fje\n\n@fje.jwt_refresh_token_required\n"
            "def refresh():\n    fje.verify_fresh_jwt_in_request()\n",
            "import flask_jwt_extended as fje\n\n@fje.jwt_required(refresh=True)\n"
            "def refresh():\n    fje.verify_jwt_in_request(fresh=True)\n",
        ),
        Example(
            "from flask_jwt_extended import get_raw_jwt\n\ndef jti():\n"
            "    return get_raw_jwt()['jti']\n",
            "from flask_jwt_extended import get_jwt\n\ndef jti():\n"
            "    return get_jwt()['jti']\n",
        ),
        # the callbacks changed: reported
        Example(
            "from flask_jwt_extended import JWTManager\n\njwt = JWTManager()\n"
            "jwt.user_loader_callback_loader(lambda identity: identity)\n",
            None,
        ),
        Example("from flask_jwt_extended import get_jwt_claims\n", None),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._handled: set[int] = set()  # ids of names rewritten or reported already
        self._imports_jwt = False
        self._aliases: dict[str, str] = {}  # `from ... import jwt_optional as opt`: opt

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        super().visit_ImportFrom(node)
        module = import_module(node)
        if module is not None and normal(module).partition(".")[0] == JWT:
            self._imports_jwt = True
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    self._handled.add(id(alias.name))
                    if alias.asname is not None and alias.evaluated_name in CALLS:
                        self._handled.add(id(alias.asname.name))
                        self._aliases[alias.evaluated_alias] = alias.evaluated_name

    def visit_Import(self, node: cst.Import) -> None:
        super().visit_Import(node)
        if any(normal(a.evaluated_name).partition(".")[0] == JWT for a in node.names):
            self._imports_jwt = True

    def _old(self, node: cst.BaseExpression) -> str | None:
        """The name of CALLS that `node` (a Name or Attribute) is, when it is
        Flask-JWT-Extended's."""
        if isinstance(node, cst.Name):
            last = self._aliases.get(node.value, node.value)
        elif isinstance(node, cst.Attribute):
            last = node.attr.value
        else:
            return None
        if last not in CALLS:
            return None
        full = normal(qualified_name(self, node) or "")
        return last if full in {f"{module}.{last}" for module in MODULES} else None

    # `@jwt_optional` and `jwt_optional(view)`, `verify_jwt_in_request_optional()`

    def visit_Decorator(self, node: cst.Decorator) -> None:
        old = self._old(node.decorator)
        if old in DECORATORS:
            self._rewrite(node.decorator, node.decorator, old, None)

    def visit_Call(self, node: cst.Call) -> None:
        old = self._old(node.func)
        if old is None or old == "jwt_required":
            return  # jwt_required(...) is 4.0's form; a bare call of it is ambiguous
        if old in DECORATORS:
            positional = [a for a in node.args if a.keyword is None and not a.star]
            if len(node.args) == 1 and len(positional) == 1:  # jwt_optional(view)
                self._rewrite(node.func, node.func, old, None)
        elif not node.args:  # verify_jwt_in_request_optional()
            self._rewrite(node, node.func, old, node)

    def _rewrite(
        self, target: cst.CSTNode, func: cst.BaseExpression, old: str, call: cst.Call | None
    ) -> None:
        """Replace `target` (the decorator, the called name, or the zero-argument `call`
        of `func`) by the 4.0 form of `old`."""
        self._handled.add(id(func))
        row, new, keyword = CALLS[old]
        arguments = [_keyword(keyword)] if keyword else []
        shown = f"{new}({keyword}=True)" if keyword else f"{new}()"
        if row is BARE:
            message = (
                f"`@jwt_required` without parentheses replaces the view by a decorator from"
                f" {release(row.removed_in)} (TypeError on every request): use"
                f" `@jwt_required()` (there since {release(row.new_since)})"
            )
        else:
            message = f"`{old}` was removed in {release(row.removed_in)}: use `{shown}`"
            message += f" (there since {release(row.new_since)})"
        add: tuple = ()
        remove: tuple = ()
        if isinstance(func, cst.Attribute):
            new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(new))
        else:
            if new != old and not self._means_jwts(func, new):
                self.report(func, f"{message}; not rewritten: `{new}` is another name here")
                return
            new_func = cst.Name(new) if new != old else func
            if new != old:
                add = ((JWT, new, None),)
                binding = import_binding(self, func)
                remove = (binding,) if binding else ()
        if call is not None:
            replacement: cst.CSTNode = call.with_changes(func=new_func, args=arguments)
        else:
            replacement = cst.Call(func=new_func, args=arguments)
        fix = Fix({target: replacement}, add_imports=add, remove_unused_imports=remove)
        if self.pins_reason(row) is None:
            self.report(func, message, fix=fix)
        else:
            self.report(func, f"{message}; {self.upgrade(row)}", fix=fix, fix_level=FixLevel.UNSAFE)

    def _means_jwts(self, at: cst.CSTNode, name: str) -> bool:
        """Whether `name` at `at` is unbound or Flask-JWT-Extended's own `name`."""
        scope = self.get_metadata(ScopeProvider, at, None)
        if scope is None:
            return False
        for assignment in scope[name]:
            statement = getattr(assignment, "node", None)
            if not isinstance(statement, cst.ImportFrom):
                return False
            if isinstance(statement.names, cst.ImportStar):
                return False
            module = import_module(statement)
            if module is None or normal(module) not in MODULES:
                return False
            if not any(
                a.evaluated_name == name and a.evaluated_alias in (None, name)
                for a in statement.names
            ):
                return False
        return True

    # what is left: a removed name read otherwise, and the callback registrations

    def visit_Name(self, node: cst.Name) -> None:
        old = self._aliases.get(node.value, node.value)
        if old in CALLS and old != "jwt_required" and id(node) not in self._handled:
            self._other_use(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        super().visit_Attribute(node)
        last = node.attr.value
        if last in LOADERS and self._imports_jwt:
            row = LOADERS[last]
            self.report(node, self.full_message(row, row.note))
        elif last == "user_identity_loader" and self._imports_jwt:
            self._identity_loader(node)
        elif last in CALLS:
            self._handled.add(id(node.attr))  # the attribute's name is not a use of its own
            if last != "jwt_required" and id(node) not in self._handled:
                self._other_use(node)

    def _identity_loader(self, node: cst.Attribute) -> None:
        """`jwt.user_identity_loader(f)` or `@jwt.user_identity_loader` over `def f`:
        reported unless `f` (a lambda, or a function of this module) surely returns str."""
        parent = self.get_metadata(ParentNodeProvider, node, None)
        callback: cst.CSTNode | None = None
        if isinstance(parent, cst.Decorator):
            callback = self.get_metadata(ParentNodeProvider, parent, None)
        elif isinstance(parent, cst.Call) and parent.func is node and len(parent.args) == 1:
            callback = parent.args[0].value
            if isinstance(callback, cst.Name):
                scope = self.get_metadata(ScopeProvider, callback, None)
                bound = [getattr(a, "node", None) for a in scope[callback.value]] if scope else []
                callback = bound[0] if len(bound) == 1 else None
        else:
            return
        if isinstance(callback, (cst.FunctionDef, cst.Lambda)) and _returns_str(callback):
            return
        self.report(node, SUBJECT)

    def _other_use(self, node: cst.Name | cst.Attribute) -> None:
        old = self._old(node)
        if old is None:
            return
        row, new, keyword = CALLS[old]
        rewritten = (
            "its uses as a decorator or called on a view function are" if old in DECORATORS
            else "its calls without arguments are"
        )  # fmt: skip
        self.report(
            node,
            f"`{old}` was removed in {release(row.removed_in)}: use `{new}({keyword}=True)`"
            f" (there since {release(row.new_since)}); not rewritten: only {rewritten}",
        )
