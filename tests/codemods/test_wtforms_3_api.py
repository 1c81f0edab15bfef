"""FLK801 wtforms-3-api: what the generic example tests do not cover."""

from __future__ import annotations

from flask_fix import fix_code
from flask_fix.model import FixLevel

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


def test_flask_wtf_0_12_keeps_form_a_report():
    source = "from flask_wtf import Form\n\nclass F(Form):\n    pass\n"
    result = run(source, requirements={"flask-wtf": (0, 12)})
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "needs Flask-WTF 0.13" in finding.message
    fixed = run(source, requirements={"flask-wtf": (0, 14)})
    assert fixed.source == source.replace("Form", "FlaskForm")


def test_wtforms_ext_sqlalchemy_names_the_new_requirement():
    source = "from wtforms.ext.sqlalchemy.orm import model_form\n"
    [finding] = run(source).findings
    assert "a new requirement: WTForms-SQLAlchemy" in finding.message
    assert "was removed in WTForms 3.0" in finding.message


def test_the_flask_ext_spelling_is_moved_in_the_same_run():
    source = "from flask.ext.wtf import Form\n\nclass F(Form):\n    pass\n"
    result = fix_code(source, path="forms.py", select=("FLK801", "FLK701"))
    assert result.source == "from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n    pass\n"
