"""FLK801 wtforms-3-api."""

from __future__ import annotations

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.names import qualified_name
from ..rewrite.removed_api import RemovedApiRule, release, rows_of, top_modules
from ..rewrite.removed_apis import BY_OLD

EMAIL = BY_OLD["wtforms.validators.Email()"]
EMAIL_VALIDATORS = frozenset({"wtforms.validators.Email", "wtforms.validators.email"})


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
        the requirements do not name `email-validator`.

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
        field's validation chain on an empty value, as `DataRequired` does.
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
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email_reported = "email-validator" in self.context.index.requirements

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
