"""FLK801 wtforms-3-api: what the generic example tests do not cover."""

from __future__ import annotations

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.run.transforms import transform_sources

FORM = (
    "from wtforms import Form, StringField\nfrom wtforms.validators import Email\n\n"
    "class F(Form):\n    a = StringField('a', [Email()])\n    b = StringField('b', [Email()])\n"
)


def run(source: str, **options):
    return fix_code(source, path="forms.py", select=("FLK801",), **options)


def test_the_email_validator_is_reported_once_per_module_when_undeclared():
    result = run(FORM, requirements={"wtforms": (2, 3)})
    [finding] = result.findings
    assert (finding.line, finding.fix_level) == (5, FixLevel.REPORT)
    assert "add `email-validator` (or `WTForms[email]`)" in finding.message


def test_declared_email_validator_is_silent():
    result = run(FORM, requirements={"wtforms": (2, 3), "email-validator": None})
    assert result.findings == []


def test_flask_wtf_0_12_makes_form_an_unsafe_fix():
    """FlaskForm needs Flask-WTF 0.13: past pins allowing 0.12, an unsafe fix naming the
    requirement to raise."""
    source = "from flask_wtf import Form\n\nclass F(Form):\n    pass\n"
    result = run(source, requirements={"flask-wtf": (0, 12)})
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.UNSAFE
    assert "needs Flask-WTF>=0.13 and the project's requirements allow Flask-WTF 0.12" in finding.message
    unsafe = run(source, requirements={"flask-wtf": (0, 12)}, unsafe=True)
    assert unsafe.source == source.replace("Form", "FlaskForm")
    fixed = run(source, requirements={"flask-wtf": (0, 14)})
    assert fixed.source == source.replace("Form", "FlaskForm")
    assert [f.fix_level for f in fixed.findings] == [FixLevel.SAFE]


def test_wtforms_ext_sqlalchemy_names_the_new_requirement():
    source = "from wtforms.ext.sqlalchemy.orm import model_form\n"
    [finding] = run(source).findings
    assert "a new requirement: WTForms-SQLAlchemy" in finding.message
    assert "was removed in WTForms 3.0" in finding.message


def test_the_flask_ext_spelling_is_moved_in_the_same_run():
    source = "from flask.ext.wtf import Form\n\nclass F(Form):\n    pass\n"
    result = fix_code(source, path="forms.py", select=("FLK801", "FLK701"))
    assert result.source == "from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n    pass\n"


def test_a_validate_override_takes_extra_validators():
    """flask-basic-registration's RegisterForm: Flask-WTF 1.1's validate_on_submit()
    calls validate(extra_validators) (1.2: by keyword); `def validate(self)` raised
    TypeError in 2 of its 16 tests after one run on today's releases."""
    import libcst as cst

    source = (
        "from flask_wtf import FlaskForm\n"
        "from wtforms import Form as WForm\n\n\n"
        "class RegisterForm(FlaskForm):\n"
        "    def validate(self):\n"
        "        initial_validation = super(RegisterForm, self).validate()\n"
        "        return initial_validation\n\n\n"
        "class Plain(WForm):\n"
        "    def validate(self):  # a wtforms Form too\n"
        "        return WForm.validate(self)\n"
    )
    lookalikes = (
        "class Other(WForm):\n"
        "    def validate(self, extra_validators=None):\n"
        "        return True\n\n\n"
        "class NotAForm:\n"
        "    def validate(self):\n"
        "        return True\n\n\n"
        "class Decorated(FlaskForm):\n"
        "    @staticmethod\n"
        "    def validate(form):\n"
        "        return True\n\n\n"
        "class Starred(FlaskForm):\n"
        "    def validate(self, *args):\n"
        "        return True\n\n\n"
        "class Nested(FlaskForm):\n"
        "    def check(self):\n"
        "        def validate(self):\n"
        "            return True\n"
    )
    result = run(source + "\n\n" + lookalikes)
    assert result.source == (
        source.replace("def validate(self):", "def validate(self, extra_validators=None):")
        + "\n\n" + lookalikes
    )
    assert [(f.line, f.column, f.fix_level) for f in result.findings] == [
        (6, 9, FixLevel.SAFE), (12, 9, FixLevel.SAFE),
    ]  # fmt: skip
    assert result.findings[0].message.startswith(
        "`validate(self)` overrides the form's validate, which Flask-WTF 1.1 and later call "
        "with `extra_validators` from `validate_on_submit()`: TypeError"
    )
    cst.parse_module(result.source)
    again = run(result.source)
    assert again.source == result.source and again.findings == []
    # valid on the oldest pins too: the new parameter has a default
    assert run(source, requirements={"flask-wtf": (0, 9), "wtforms": (1, 0)}).source == (
        result.source.split("\n\n\nclass Other")[0] + "\n"
    )


FORMS = (
    "from wtforms import Form, StringField, validators\n\n\n"
    "class Register(Form):\n    email = StringField('e', [validators.Email()])\n"
)
FORM_TEST = (
    "from forms import Register\n\n\ndef test_register():\n"
    "    assert Register(data={'email': 'new@test.test'}).validate()\n"
    "    assert Register(data={'email': 'new@test.test'}).validate()\n"
    "    assert not Register(data={'email': 'a@b.onion'}).validate()\n"
    "    assert Register(data={'email': 'a@example.com'}).validate()\n"
)


def test_a_special_use_address_in_the_tests_of_a_project_validating_email_is_named():
    """flask-basic-registration's test_validate_success_register_form expects
    `new@test.test` to pass WTForms' Email, which email-validator 1.1.2 (its pin)
    accepted and 1.2+ rejects: named once per address and module, report only."""
    from flask_fix.codemods.wtforms_3_api import SpecialUseEmailInTests

    project = {"forms.py": FORMS, "tests/test_forms.py": FORM_TEST}
    for requirements in (None, {"email-validator": (1, 1, 2)}, {"wtforms": (2, 2, 1)}):
        after, findings = transform_sources(SpecialUseEmailInTests, project, requirements=requirements)
        assert after == project
        assert [(f.path, f.line, f.column, f.has_fix, f.message.partition(" is ")[0]) for f in findings] == [
            ("tests/test_forms.py", 5, 36, False, "`new@test.test`"),
            ("tests/test_forms.py", 7, 40, False, "`a@b.onion`"),
        ]
    assert "(forms.py)" in findings[0].message and "TEST_ENVIRONMENT" in findings[0].message
    assert "TEST_ENVIRONMENT" not in findings[1].message


def test_special_use_addresses_left_alone():
    """Look-alikes: requirements with email-validator 1.2+ (the tests were written for
    it), a project that sets email-validator's TEST_ENVIRONMENT, forms without Email
    (another library's `Email`), the address outside the tests or inside a longer text,
    a bare `localhost` (1.1 rejected it too)."""
    from flask_fix.codemods.wtforms_3_api import SpecialUseEmailInTests

    cases = [
        ({"forms.py": FORMS, "tests/test_forms.py": FORM_TEST}, {"email-validator": (1, 2, 1)}),
        ({"forms.py": FORMS, "tests/test_forms.py": FORM_TEST,
          "tests/conftest.py": "import email_validator\n\nemail_validator.TEST_ENVIRONMENT = True\n"},
         None),
        ({"forms.py": "from marshmallow.validate import Email\n\nV = Email()\n",
          "tests/test_forms.py": FORM_TEST}, None),
        ({"forms.py": FORMS + "ADMIN = 'root@corp.local'\n",
          "tests/test_forms.py": "A = 'mail new@test.test now'\nB = 'root@localhost'\n"}, None),
    ]  # fmt: skip
    for project, requirements in cases:
        after, findings = transform_sources(SpecialUseEmailInTests, project, requirements=requirements)
        assert after == project and findings == [], project


def test_flask_user_without_email_validator_in_the_requirements_is_named():
    """flask-user-starter's suite, past its Flask-Script command, failed at the login
    form: Flask-User's own forms use `Email`, and neither Flask-User 1.0.2.2 nor the
    project requires email-validator. Named once, at the first import outside the tests;
    silent when the requirements name email-validator or nothing imports Flask-User."""
    from flask_fix.codemods.wtforms_3_api import SpecialUseEmailInTests

    project = {
        "app/__init__.py": "from flask import Flask\nfrom flask_user import UserManager\n",
        "app/views.py": "import flask_user.forms\n",
        "tests/conftest.py": "import flask_user\n",
    }
    after, findings = transform_sources(SpecialUseEmailInTests, project, requirements={"flask": (1, 0)})
    assert after == project
    assert [(f.path, f.line, f.column, f.has_fix) for f in findings] == [("app/__init__.py", 2, 1, False)]
    assert findings[0].message.endswith("add `email-validator` to them")
    for requirements, sources in (
        ({"email-validator": None}, project),
        (None, {"app.py": "from flask_users import X\n# flask_user\n"}),
    ):
        after, findings = transform_sources(SpecialUseEmailInTests, sources, requirements=requirements)
        assert findings == [], sources
