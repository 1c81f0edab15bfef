"""FLK603 static-files-in-production: the app's own static folder and URL path."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_fix.api import check_paths

NGINX = "server {{\n    location {url}/ {{\n        alias /srv/app/{folder}/;\n    }}\n}}\n"


def findings(tmp_path: Path, monkeypatch, files: dict[str, str]) -> list[tuple]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.chdir(tmp_path)
    report = check_paths(["."], select=["FLK603"])
    return [(f.path, f.line, f.column, f.message.split(":")[1].split(" (")[0].strip())
            for f in report.findings]  # fmt: skip


def app(arguments: str = "") -> str:
    return f"from flask import Flask\n\napp = Flask(__name__{arguments})\n"


@pytest.mark.parametrize(
    ("arguments", "folder", "expected"),
    [
        ("", "static", "nothing in the repository serves /static otherwise"),
        (", static_folder='public'", "public", "nothing in the repository serves /public otherwise"),
        (", static_folder='public', static_url_path='/assets'", "public",
         "nothing in the repository serves /assets otherwise"),
        (", static_url_path=''", "static", "nothing in the repository serves / otherwise"),
        (", static_folder='../web/public'", "../web/public",
         "nothing in the repository serves /public otherwise"),
    ],
)  # fmt: skip
def test_the_apps_static_folder_and_url(tmp_path, monkeypatch, arguments, folder, expected):
    files = {
        "site/app.py": app(arguments),
        f"site/{folder}/site.css": "body { margin: 0 }\n",
        "site/Procfile": "web: gunicorn app:app\n",
    }
    first = "web/public/" if folder.startswith("..") else f"site/{folder}/"
    assert findings(tmp_path, monkeypatch, files) == [("site/Procfile", 1, 6, expected)]
    assert first in check_paths(["."], select=["FLK603"]).findings[0].message


@pytest.mark.parametrize(
    ("arguments", "folder"),
    [
        # the default folder holds files, but the app serves another one, empty
        (", static_folder='public'", "static"),
        # no static folder at all
        (", static_folder=None", "static"),
        # a folder given by an expression: not known, left out
        (", static_folder=FOLDER", "public"),
    ],
)
def test_look_alikes_are_silent(tmp_path, monkeypatch, arguments, folder):
    files = {
        "app.py": "FOLDER = __name__ + 'x'\n" + app(arguments),
        f"{folder}/site.css": "body { margin: 0 }\n",
        "Procfile": "web: gunicorn app:app\n",
    }
    assert findings(tmp_path, monkeypatch, files) == []


@pytest.mark.parametrize(
    ("url", "folder", "expected"),
    [
        ("/assets", "public", []),  # nginx serves the app's URL path
        ("/static", "static", [("Procfile", 1, 6, "nothing in the repository serves /assets otherwise")]),
    ],
)  # fmt: skip
def test_nginx_configuration_for_the_real_path(tmp_path, monkeypatch, url, folder, expected):
    files = {
        "app.py": app(", static_folder='public', static_url_path='/assets'"),
        "public/site.css": "body { margin: 0 }\n",
        "Procfile": "web: gunicorn app:app\n",
        "deploy/nginx.conf": NGINX.format(url=url, folder=folder),
    }
    assert findings(tmp_path, monkeypatch, files) == expected
