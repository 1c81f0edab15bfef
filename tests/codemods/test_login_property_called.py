"""FLK802 login-property-called: what the generic example tests do not cover."""

from __future__ import annotations

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel
from flask_fix.run.runner import Mode, Settings
from flask_fix.run.runner import run as run_project

VIEW = (
    "from flask_login import current_user\n\n"
    "def greeting():\n    return 'hi' if current_user.is_authenticated() else 'who?'\n"
)


def run(source: str, **options):
    return fix_code(source, path="views.py", select=("FLK802",), **options)


def test_the_call_becomes_the_property():
    result = run(VIEW)
    assert result.source == VIEW.replace("is_authenticated()", "is_authenticated")
    [finding] = result.findings
    assert finding.fix_level is FixLevel.SAFE
    assert finding.message == (
        "`is_authenticated` is a property since Flask-Login 0.3: calling it fails"
        " (`TypeError: 'bool' object is not callable`); drop the `()`"
    )


def test_flask_login_0_2_in_the_requirements_keeps_it_a_report():
    result = run(VIEW, requirements={"flask-login": (0, 2, 11)})
    assert result.source == VIEW
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "needs Flask-Login 0.3 and the project may run on Flask-Login 0.2.11" in finding.message


def test_a_project_class_defining_the_method_makes_the_call_its_own():
    """`current_user` is whatever the user loader returns: when a class of the project
    defines `is_active()` as a method, `current_user.is_active()` may be that method."""
    models = "class User:\n    def is_active(self):\n        return True\n"
    source = "from flask_login import current_user\n\nok = current_user.is_active()\n"
    index = index_from_sources({"models.py": models, "views.py": source})
    result = fix_code(source, path="views.py", select=("FLK802",), index=index)
    assert (result.source, result.findings) == (source, [])
    # the other two are still Flask-Login's
    other = source.replace("is_active", "is_anonymous")
    index = index_from_sources({"models.py": models, "views.py": other})
    result = fix_code(other, path="views.py", select=("FLK802",), index=index)
    assert result.source == other.replace("is_anonymous()", "is_anonymous")


def test_a_call_with_arguments_or_on_another_object_is_left_alone():
    source = (
        "from flask_login import current_user\n\n"
        "def f(user):\n    return user.is_authenticated(), current_user.is_active(1)\n"
    )
    result = run(source)
    assert (result.source, result.findings) == (source, [])


def test_self_in_a_nested_function_is_not_the_user():
    source = (
        "from flask_login import UserMixin\n\nclass User(UserMixin):\n"
        "    def f(self):\n        def g(self):\n            return self.is_active()\n"
        "        return g\n"
    )
    result = run(source)
    assert (result.source, result.findings) == (source, [])


def test_templates_are_reported_through_the_runner(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(
        "{% if current_user.is_anonymous() %}<a>log in</a>{% endif %}\n"
    )
    (tmp_path / "views.py").write_text(VIEW)
    settings = Settings(select=("FLK802",), mode=Mode.CHECK)
    files = [str(tmp_path / "templates" / "base.html"), str(tmp_path / "views.py")]
    results = list(run_project(files, settings))
    found = sorted(
        (f.path.rpartition("/")[2], f.line, f.column, f.fix_level)
        for r in results
        for f in r.findings
    )
    assert found == [
        ("base.html", 1, 7, FixLevel.REPORT),
        ("views.py", 4, 20, FixLevel.SAFE),
    ]


def test_the_flask_ext_spelling_is_flask_logins_too():
    source = "from flask.ext.login import current_user\n\nx = current_user.is_anonymous()\n"
    result = fix_code(source, path="views.py", select=("FLK802", "FLK701"))
    assert result.source == "from flask_login import current_user\n\nx = current_user.is_anonymous\n"
