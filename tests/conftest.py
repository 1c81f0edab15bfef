"""Every run the tests make (in process or as subprocesses, which inherit the
environment) keeps its cache in one temporary folder, never in the repository."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def cache_outside_the_repository(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("flask-fix-cache")
    previous = os.environ.get("FLASK_FIX_CACHE_DIR")
    os.environ["FLASK_FIX_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["FLASK_FIX_CACHE_DIR"]
    else:
        os.environ["FLASK_FIX_CACHE_DIR"] = previous


# the catalogue's projects hold test modules of their own: flask-fix's input, not our tests
collect_ignore_glob = ["fixtures/catalogue/*", "expected/catalogue/*"]
