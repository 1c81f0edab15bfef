"""FLK802 login-property-called: what the generic example tests do not cover."""

from __future__ import annotations

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel
from flask_fix.run.runner import Mode, Settings
from flask_fix.run.start import run as run_project

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


UPGRADE = (
    "needs Flask-Login>=0.3 and the project's requirements allow Flask-Login 0.2.11: an"
    " unsafe fix, raise the requirement with it"
)


def test_flask_login_0_2_in_the_requirements_makes_it_an_unsafe_fix():
    """Pins allowing Flask-Login 0.2 (a method there): the rewrite migrates past them,
    so it is unsafe and its finding names the requirement to raise."""
    result = run(VIEW, requirements={"flask-login": (0, 2, 11)})
    assert result.source == VIEW
    [finding] = result.findings
    assert finding.fix_level is FixLevel.UNSAFE
    assert finding.message.endswith("; " + UPGRADE)
    fixed = run(VIEW, requirements={"flask-login": (0, 2, 11)}, unsafe=True)
    assert fixed.source == VIEW.replace("is_authenticated()", "is_authenticated")
    again = run(fixed.source, requirements={"flask-login": (0, 2, 11)}, unsafe=True)
    assert (again.source, again.findings) == (fixed.source, [])


USER = (
    "from flask_login import UserMixin\n\nclass User(UserMixin):\n"
    "    # 0.2 calls it\n    def is_active(self):\n        return self.active\n"
)


def test_the_pre_0_3_method_becomes_a_property_as_an_unsafe_fix():
    result = run(USER)
    assert result.source == USER
    [finding] = result.findings
    assert (finding.line, finding.column, finding.fix_level) == (5, 9, FixLevel.UNSAFE)
    assert "made a `@property`" in finding.message and "needs Flask-Login" not in finding.message
    fixed = run(USER, unsafe=True)
    expected = USER.replace("    def is_active", "    @property\n    def is_active")
    assert fixed.source == expected
    compile(fixed.source, "models.py", "exec")
    assert run(expected, unsafe=True).findings == []
    # on pins allowing 0.2 the finding names the requirement too
    [pinned] = run(USER, requirements={"flask-login": (0, 2, 11)}).findings
    assert pinned.message.endswith("; " + UPGRADE)


def test_a_method_its_module_still_calls_or_with_parameters_stays_a_method():
    called = USER + "\ndef check(user):\n    return user.is_active()\n"
    takes = USER.replace("is_active(self)", "is_active(self, strict=False)")
    for source in (called, takes):
        result = run(source, unsafe=True)
        assert result.source == source
        [finding] = result.findings
        assert finding.fix_level is FixLevel.REPORT


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


def _project(tmp_path, requirements=None):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(
        "{% if current_user.is_anonymous() %}<a>log in</a>{% endif %}\n"
        "<p>current_user.is_anonymous() {# current_user.is_active() #}</p>\n"
        "{{ user.is_active() }} {{ g.current_user.is_active() }}\n"
    )
    (tmp_path / "views.py").write_text(VIEW)
    if requirements:
        (tmp_path / "requirements.txt").write_text(requirements)
    return [str(tmp_path / "templates" / "base.html"), str(tmp_path / "views.py")]


def _found(results):
    return sorted(
        (f.path.rpartition("/")[2], f.line, f.column, f.fix_level)
        for r in results
        for f in r.findings
    )


def test_templates_are_rewritten_through_the_runner(tmp_path):
    files = _project(tmp_path)
    template = (tmp_path / "templates" / "base.html").read_text()
    results = list(run_project(files, Settings(select=("FLK802",), mode=Mode.CHECK)))
    assert _found(results) == [
        ("base.html", 1, 7, FixLevel.SAFE),
        ("views.py", 4, 20, FixLevel.SAFE),
    ]
    list(run_project(files, Settings(select=("FLK802",))))
    # only `current_user` inside {% %} / {{ }}: text, comments and other objects stay
    assert (tmp_path / "templates" / "base.html").read_text() == template.replace(
        "{% if current_user.is_anonymous() %}", "{% if current_user.is_anonymous %}"
    )
    again = list(run_project(files, Settings(select=("FLK802",), mode=Mode.CHECK)))
    assert _found(again) == []


def test_templates_past_the_pins_need_unsafe_fixes(tmp_path):
    files = _project(tmp_path, "Flask==1.1.4\nFlask-Login==0.2.11\n")
    template = (tmp_path / "templates" / "base.html").read_text()
    results = list(run_project(files, Settings(select=("FLK802",))))
    assert _found(results) == [
        ("base.html", 1, 7, FixLevel.UNSAFE),
        ("views.py", 4, 20, FixLevel.UNSAFE),
    ]
    assert all(f.message.endswith(UPGRADE) for r in results for f in r.findings)
    assert (tmp_path / "templates" / "base.html").read_text() == template
    list(run_project(files, Settings(select=("FLK802",), unsafe_fixes=True)))
    assert "{% if current_user.is_anonymous %}" in (tmp_path / "templates" / "base.html").read_text()
    assert "current_user.is_authenticated else" in (tmp_path / "views.py").read_text()
    again = list(run_project(files, Settings(select=("FLK802",), unsafe_fixes=True, mode=Mode.CHECK)))
    assert _found(again) == []


def test_the_flask_ext_spelling_is_flask_logins_too():
    source = "from flask.ext.login import current_user\n\nx = current_user.is_anonymous()\n"
    result = fix_code(source, path="views.py", select=("FLK802", "FLK701"))
    assert result.source == "from flask_login import current_user\n\nx = current_user.is_anonymous\n"
