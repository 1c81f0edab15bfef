import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bookshelf import app, db  # noqa: E402
from bookshelf.models import seed  # noqa: E402


@pytest.fixture
def client():
    app.config.update(TESTING=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
    return app.test_client()


@pytest.fixture
def reader(client):
    client.post('/login', data={'name': 'ada'})
    return client
