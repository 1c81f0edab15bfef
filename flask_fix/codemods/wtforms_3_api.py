"""FLK801 wtforms-3-api."""

from __future__ import annotations

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example, Fix
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
        'extra_validators'`).

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
