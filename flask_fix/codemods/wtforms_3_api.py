"""FLK801 wtforms-3-api."""

from __future__ import annotations

import ast
import re

import libcst as cst

from ..index.project import ProjectIndex
from ..model import FixLevel
from ..rewrite.base import Example, Fix, ProjectContext, ProjectExample, ProjectFinding
from ..rewrite.base import ProjectTransform, TransformResult
from ..rewrite.flask_config import is_test_path
from ..rewrite.names import qualified_name
from ..rewrite.removed_api import RemovedApiRule, release, rows_of, top_modules
from ..rewrite.removed_apis import BY_OLD

EMAIL = BY_OLD["wtforms.validators.Email()"]
EMAIL_VALIDATORS = frozenset({"wtforms.validators.Email", "wtforms.validators.email"})
# form classes whose `validate` Flask-WTF's validate_on_submit calls
FORM_CLASSES = frozenset(
    {"flask_wtf.FlaskForm", "flask_wtf.form.FlaskForm", "flask_wtf.Form", "flask_wtf.form.Form",
     "flask.ext.wtf.Form", "flask.ext.wtf.FlaskForm", "wtforms.Form", "wtforms.form.Form"}
)  # fmt: skip

#: the domains email-validator rejects from 1.2.0 on (SPECIAL_USE_DOMAIN_NAMES of 1.2.1,
#: 2.0.0 and 2.4.0; 1.2.0 also listed example and example.com/net/org, 1.1.3 has no such
#: list); a bare `localhost` lacks a dot, which 1.1 rejected too
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_SPECIAL_USE_ADDRESS = re.compile(
    r"[\w.+-]+@(?:[A-Za-z0-9-]+\.)+(" + "|".join(SPECIAL_USE_DOMAINS) + r")", re.IGNORECASE
)


class SpecialUseEmailInTests(ProjectTransform):
    """FLK801's part across the project: a project using Flask-User (whose forms use
    `Email`) with no email-validator in its requirements; a test module's address at a
    special-use domain
    (`new@test.test`) in a project whose forms use WTForms' `Email` validator, which
    email-validator 1.2 and later reject where 1.1 accepted it. Report only; silent when
    the requirements declare email-validator 1.2 or later, or the project names its
    `TEST_ENVIRONMENT` / `test_environment` switch."""

    code = "FLK801"
    name = "wtforms-3-api"
    fix_level = FixLevel.REPORT
    summary = "Use WTForms 3 / Flask-WTF 1.0 names (`StringField`, `DataRequired`, `FlaskForm`)."
    examples = (
        ProjectExample(
            {
                "forms.py": "from wtforms import Form, StringField\n"
                "from wtforms.validators import Email\n\n\n"
                "class F(Form):\n    email = StringField('e', [Email()])\n",
                "tests/test_forms.py": "from forms import F\n\n\ndef test_ok():\n"
                "    assert F(data={'email': 'new@test.test'}).validate()\n",
            },
        ),
    )
    valid = (
        # the address is not validated by WTForms' Email anywhere in the project
        {"models.py": "EMAIL = 'x'\n",
         "tests/test_models.py": "def test_user():\n    assert 'new@test.test'\n"},
        # an address at example.com, a special-use one outside the tests, in a longer text
        {"forms.py": "from wtforms.validators import Email\n\nV = [Email()]\n"
                     "SUPPORT = 'help@corp.local'\n",
         "tests/test_forms.py": "A = 'new@example.com'\nB = 'write to new@test.test'\n"
                                "C = 'root@localhost'\n"},
    )  # fmt: skip

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return bool(index.modules)

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        self._extension_forms(context, result)
        declared = context.index.requirements.get("email-validator")
        if declared is not None and declared >= (1, 2):
            return result  # written against a release that rejects these domains
        modules = sorted(p for p in context.index.modules if p.endswith(".py"))
        forms = [p for p in modules if not is_test_path(p) and _uses_email_validator(context, p)]
        if not forms or any(_allows_test_domains(context, p) for p in modules):
            return result
        for path in modules:
            if not is_test_path(path) or context.suppressed(self.code, path, None):
                continue
            try:
                source = context.read(path)
            except OSError:
                continue
            if b"@" not in source:
                continue
            try:
                tree = ast.parse(source)
            except (SyntaxError, ValueError):
                continue
            seen = set()
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                match = _SPECIAL_USE_ADDRESS.fullmatch(node.value.strip())
                if match is None or node.value in seen:
                    continue
                seen.add(node.value)
                if context.suppressed(self.code, path, node.lineno):
                    continue
                domain = match.group(1).lower()
                message = (
                    f"`{node.value.strip()}` is at the special-use domain `.{domain}`, which "
                    "email-validator rejects from 1.2 on (1.1 accepted it): WTForms' `Email` "
                    f"validator ({forms[0]}) calls it, so a test expecting a form to accept "
                    "this address fails; use an address at example.com"
                    + (" (or set `email_validator.TEST_ENVIRONMENT = True` in the tests, "
                       "which allows `.test`)" if domain == "test" else "")
                )
                result.findings.append(ProjectFinding(
                    self.code, self.name, path, node.lineno, node.col_offset + 1, message,
                    FixLevel.REPORT, has_fix=False,
                ))  # fmt: skip
        return result


    def _extension_forms(self, context: ProjectContext, result: TransformResult) -> None:
        """Flask-User's own forms validate with `Email` (flask_user/forms.py), and
        Flask-User (1.0.2.2 checked) does not require email-validator: a
        project importing it whose requirements do not name the package fails at its
        first login form on WTForms 2.3+ (flask-user-starter)."""
        if "email-validator" in context.index.requirements:
            return
        for path in sorted(context.index.modules):
            if not path.endswith(".py") or is_test_path(path):
                continue
            try:
                source = context.read(path)
            except OSError:
                continue
            if b"flask_user" not in source:
                continue
            try:
                tree = ast.parse(source)
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                names = (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                    else [a.name for a in node.names] if isinstance(node, ast.Import) else []
                )
                if not any(n == "flask_user" or n.startswith("flask_user.") for n in names):
                    continue
                if context.suppressed(self.code, path, node.lineno):
                    return
                result.findings.append(ProjectFinding(
                    self.code, self.name, path, node.lineno, node.col_offset + 1,
                    "Flask-User's own forms use WTForms' `Email` validator, which needs the "
                    f"email-validator package from {release(EMAIL.removed_in)} on (`Exception: "
                    "Install 'email_validator' for email validation support.` at the first "
                    "login), and neither Flask-User (1.0.2.2 requires no such package) nor the "
                    "requirements name it: add `email-validator` to them",
                    FixLevel.REPORT, has_fix=False,
                ))  # fmt: skip
                return


def _allows_test_domains(context: ProjectContext, path: str) -> bool:
    """Whether the module names email-validator's switch for `.test` addresses
    (`email_validator.TEST_ENVIRONMENT = True`, `test_environment=`): the project made
    its choice."""
    try:
        source = context.read(path)
    except OSError:
        return False
    return b"TEST_ENVIRONMENT" in source or b"test_environment" in source


def _uses_email_validator(context: ProjectContext, path: str) -> bool:
    """Whether the module imports WTForms' `Email` validator (`from wtforms.validators
    import Email`), or uses it through `wtforms.validators` (`validators.Email(...)`)."""
    try:
        source = context.read(path)
    except OSError:
        return False
    if b"wtforms" not in source or (b"Email" not in source and b"email" not in source):
        return False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                if node.module == "wtforms.validators" and alias.name in ("Email", "email"):
                    return True
                if node.module == "wtforms" and alias.name == "validators":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("wtforms", "wtforms.validators"):
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("Email", "email"):
            base = node.value
            dotted = []
            while isinstance(base, ast.Attribute):
                dotted.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name):
                name = ".".join([base.id, *reversed(dotted)])
                if name in modules or (name == "wtforms.validators" and "wtforms" in modules):
                    return True
    return False


class Wtforms3Api(RemovedApiRule):
    """
    What it does:
        Renames what WTForms 3.0 and Flask-WTF 1.0 removed, in the import and in every
        use: `TextField` becomes `StringField`, the `Required` validator `DataRequired`,
        `flask_wtf.Form` `FlaskForm`, `CsrfProtect` `CSRFProtect`; the fields of
        `wtforms.fields.html5` are imported from `wtforms.fields`;
        `wtforms.compat.text_type`/`string_types` become `str`. Reports
        `wtforms.ext.sqlalchemy` (now the WTForms-SQLAlchemy package, a new requirement),
        `wtforms.ext.csrf`, `wtforms.compat.iteritems`, and an `Email()` validator when
        the requirements do not name `email-validator`. A form's own `def validate(self)`
        (a class deriving from `FlaskForm`, `flask_wtf.Form` or `wtforms.Form`) gains the
        parameter `extra_validators=None`: from Flask-WTF 1.1 `validate_on_submit()`
        passes it (`TypeError: validate() got an unexpected keyword argument
        'extra_validators'`). In a project whose forms use `Email`, a test module's
        address at a special-use domain (`new@test.test`, `.local`, `.invalid`,
        `.onion`, `.arpa`) is reported: email-validator 1.2 and later reject it; and so
        is an import of Flask-User, whose forms use `Email`, when the requirements do not
        name email-validator (Flask-User does not require it).

    Why is this bad?:
        WTForms 3.0 removed the old names and `wtforms.ext`, Flask-WTF 1.0 removed `Form`
        and `CsrfProtect`: the import fails (`ImportError: cannot import name 'TextField'
        from 'wtforms'`). From WTForms 2.3 the `Email` validator needs the
        `email-validator` package: without it, creating the form raises
        `Exception: Install 'email_validator' for email validation support.`

    Example:
        from flask_wtf import Form
        from wtforms import TextField
        from wtforms.validators import Required

        class LoginForm(Form):
            name = TextField("Name", validators=[Required()])

    Use instead:
        from flask_wtf import FlaskForm
        from wtforms import StringField
        from wtforms.validators import DataRequired

        class LoginForm(FlaskForm):
            name = StringField("Name", validators=[DataRequired()])

    Fix safety:
        Safe where the new name is the same object, or exists on every release the
        project's requirements allow: `StringField` and `DataRequired` exist in every
        WTForms 2 (`TextField` and `Required` were their deprecated aliases), so they are
        renamed whatever the pins; `FlaskForm` needs Flask-WTF 0.13, `CSRFProtect` 0.14
        and `wtforms.fields`' HTML5 fields WTForms 2.3: with older pins, only reported.
        A name whose uses cannot all be renamed (a module with `__all__`, a package's
        `__init__.py`, another binding) keeps its old local name
        (`from wtforms import StringField as TextField`). `Required` also stopped a
        field's validation chain on an empty value, as `DataRequired` does. The new
        `extra_validators=None` parameter of a `validate` override is valid on every
        release (Flask-WTF 1.0 and older call `validate()` without it); the override
        still calls its base class as before, so extra validators given to
        `validate_on_submit(extra_validators=...)` are not applied by it: the finding
        says so (WTForms 3's `Form.validate` takes them; 2.2 does not).
    """

    code = "FLK801"
    name = "wtforms-3-api"
    fix_level = FixLevel.SAFE
    summary = "Use WTForms 3 / Flask-WTF 1.0 names (`StringField`, `DataRequired`, `FlaskForm`)."
    triggers = (b"wtforms", b"flask_wtf", b"flask.ext.wtf")
    required_imports = top_modules(rows_of("FLK801"))
    project_part = SpecialUseEmailInTests

    valid = (
        "from flask_wtf import FlaskForm\nfrom wtforms import StringField\n"
        "from wtforms.validators import DataRequired\n\n"
        "class F(FlaskForm):\n    name = StringField('n', validators=[DataRequired()])\n",
        # a project module with a similar name
        "from wtforms_extra import TextField\nimport wtforms\n",
        # a local class named TextField
        "import wtforms\n\nclass TextField(wtforms.StringField):\n    pass\n",
        # email-validator is declared (see the tests): no finding without requirements
    )
    invalid = (
        Example(
            "from flask_wtf import Form\nfrom wtforms import TextField, PasswordField\n"
            "from wtforms.validators import Required\n\n"
            "class LoginForm(Form):\n"
            "    name = TextField('Name', validators=[Required()])\n"
            "    password = PasswordField('Password')\n",
            "from flask_wtf import FlaskForm\nfrom wtforms import StringField, PasswordField\n"
            "from wtforms.validators import DataRequired\n\n"
            "class LoginForm(FlaskForm):\n"
            "    name = StringField('Name', validators=[DataRequired()])\n"
            "    password = PasswordField('Password')\n",
        ),
        Example(
            "from wtforms import validators, fields\n\n"
            "name = fields.TextField('n', [validators.Required()])\n",
            "from wtforms import validators, fields\n\n"
            "name = fields.StringField('n', [validators.DataRequired()])\n",
        ),
        Example(
            "from wtforms.fields.html5 import EmailField, IntegerField\n",
            "from wtforms.fields import EmailField, IntegerField\n",
        ),
        Example(
            "from wtforms.compat import text_type\n\ndef label(v):\n    return text_type(v)\n",
            "def label(v):\n    return str(v)\n",
        ),
        # the flask.ext spelling (FLK701 moves the module in the same run)
        Example(
            "from flask.ext.wtf import Form\n\nclass F(Form):\n    pass\n",
            "from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n    pass\n",
        ),
        # an alias stays the local name
        Example(
            "from wtforms import TextField as Text\n\nname = Text('n')\n",
            "from wtforms import StringField as Text\n\nname = Text('n')\n",
        ),
        # a new requirement: reported
        Example(
            "from wtforms.ext.sqlalchemy.fields import QuerySelectField\n",
            None,
        ),
        Example(
            "from wtforms import Form, StringField\nfrom wtforms.validators import Email\n\n"
            "class F(Form):\n    email = StringField('e', [Email()])\n",
            None,
        ),
        # a validate override takes the argument Flask-WTF 1.1 passes
        Example(
            "from flask_wtf import FlaskForm\n\n\nclass F(FlaskForm):\n"
            "    def validate(self):\n        return super(F, self).validate()\n",
            "from flask_wtf import FlaskForm\n\n\nclass F(FlaskForm):\n"
            "    def validate(self, extra_validators=None):\n"
            "        return super(F, self).validate()\n",
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email_reported = "email-validator" in self.context.index.requirements

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not any(qualified_name(self, base.value) in FORM_CLASSES for base in node.bases):
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "validate":
                self._validate_override(statement)

    def _validate_override(self, function: cst.FunctionDef) -> None:
        """`def validate(self)`: one plain parameter, no decorators."""
        parameters = function.params
        if (
            function.decorators
            or len(parameters.params) != 1
            or parameters.posonly_params
            or parameters.kwonly_params
            or not isinstance(parameters.star_arg, cst.MaybeSentinel)
            or parameters.star_kwarg is not None
        ):
            return
        added = cst.Param(
            cst.Name("extra_validators"),
            default=cst.Name("None"),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        first = parameters.params[0].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        new = parameters.with_changes(params=[first, added])
        self.report(
            function.name,
            "`validate(self)` overrides the form's validate, which Flask-WTF 1.1 and later "
            "call with `extra_validators` from `validate_on_submit()`: TypeError; it takes "
            "`extra_validators=None` (valid on every release); pass it on to the base "
            "class's `validate` if the app gives `validate_on_submit()` extra validators",
            fix=Fix({parameters: new}),
        )

    def visit_Call(self, node: cst.Call) -> None:
        if self._email_reported:
            return
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if last not in ("Email", "email") or qualified_name(self, func) not in EMAIL_VALIDATORS:
            return
        self._email_reported = True  # once per module
        self.report(
            node,
            f"the `Email` validator needs the email-validator package from"
            f" {release(EMAIL.removed_in)} on, and the requirements do not name it: add"
            " `email-validator` (or `WTForms[email]`) to them",
        )
