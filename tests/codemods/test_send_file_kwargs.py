"""FLK703 send-file-kwargs: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.run.runner import Mode, Settings
from flask_fix.run.start import run as run_project

SOURCE = dedent("""
    import io
    from flask import Flask, send_file

    app = Flask(__name__)

    @app.route("/report")
    def report():
        return send_file(io.BytesIO(b"a,b"), mimetype="text/csv", as_attachment=True,
                         attachment_filename="report.csv", cache_timeout=60,
                         add_etags=False)
""").lstrip("\n")


def run(source: str, **options):
    return fix_code(source, path="app.py", select=("FLK703",), **options)


def test_finding_fields():
    result = run(SOURCE)
    [finding] = result.findings
    assert (finding.code, finding.name, finding.fix_level) == (
        "FLK703",
        "send-file-kwargs",
        FixLevel.SAFE,
    )
    assert (finding.line, finding.column, finding.end_line) == (8, 12, 10)
    assert finding.message == (
        "send_file() keywords renamed in Flask 2.0, removed in 2.2:"
        " `attachment_filename=` -> `download_name=`, `cache_timeout=` -> `max_age=`,"
        " `add_etags=` -> `etag=`"
    )


def test_the_fixed_view_sends_the_same_response_on_flask_3():
    before_app = _load(SOURCE)
    with before_app.test_client() as client, pytest.raises(TypeError, match="attachment"):
        client.get("/report")
    after = run(SOURCE).source
    assert 'download_name="report.csv", max_age=60' in after
    client = _load(after).test_client()
    response = client.get("/report")
    assert response.headers["Content-Disposition"] == "attachment; filename=report.csv"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "ETag" not in response.headers
    assert response.data == b"a,b"


def _load(source: str):
    namespace = {"__name__": "send_file_app"}
    exec(compile(source, "app.py", "exec"), namespace)
    app = namespace["app"]
    app.testing = True  # exceptions reach the test
    return app


@pytest.mark.parametrize(("pin", "fixed"), [((1, 1, 2), False), ((0,), False), ((2, 0), True)])
def test_the_project_pin_decides(pin, fixed):
    result = run(SOURCE, flask_version=pin)
    [finding] = result.findings
    assert (result.source != SOURCE) is fixed
    if not fixed:
        assert finding.fix_level is FixLevel.REPORT
        assert "needs Flask >= 2.0 and the project may run on" in finding.message


def test_through_the_runner_the_requirements_file_is_read(tmp_path):
    (tmp_path / "requirements.txt").write_text("Flask==1.1.2\n")
    (tmp_path / "app.py").write_text(SOURCE)
    settings = Settings(select=("FLK703",), mode=Mode.CHECK)
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "may run on Flask 1.1.2 (" in finding.message
    (tmp_path / "requirements.txt").write_text("Flask==2.3.3\n")
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    assert [f.fix_level for f in result.findings] == [FixLevel.SAFE]


def test_send_from_directory_passes_send_file_keywords_on():
    source = (
        "from flask import send_from_directory\n\ndef asset(name):\n"
        "    return send_from_directory('static', name, cache_timeout=0)\n"
    )
    assert run(source).source == source.replace("cache_timeout", "max_age")


def test_a_keyword_of_another_function_is_left_alone():
    source = (
        "from flask import send_file\n\ndef f(x):\n"
        "    return send_file(x, download_name=name_for(x, attachment_filename=1))\n"
    )
    result = run(source)
    assert (result.source, result.findings) == (source, [])


def test_positional_arguments_stay():
    source = "from flask import send_file\n\ndef f(b):\n    return send_file(b, 'a/b', True, 'x')\n"
    assert run(source).findings == []


def test_target_flask_version_takes_precedence_over_the_requirements(tmp_path):
    (tmp_path / "requirements.txt").write_text("Flask==2.3.3\n")
    (tmp_path / "app.py").write_text(SOURCE)
    settings = Settings(select=("FLK703",), mode=Mode.CHECK, target_flask_version="1.1")
    [result] = list(run_project([str(tmp_path / "app.py")], settings))
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "may run on Flask 1.1 (" in finding.message
