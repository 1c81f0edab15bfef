import sys
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[1]
if str(APP_DIR) not in sys.path:
    sys.path.insert(0, str(APP_DIR))

import app as shop  # noqa: E402


@pytest.fixture
def app():
    shop.app.config.update(TESTING=True)
    with shop.app.app_context():
        shop.init_db()  # a fresh database for every test
    yield shop.app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def logged_in(client):
    client.post('/login', data={'username': 'ann'})
    return client
