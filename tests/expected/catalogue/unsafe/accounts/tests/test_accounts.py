import unittest

from accounts import Entry, create_app, db

app = create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite://"})


class AccountsTestCase(unittest.TestCase):
    def setUp(self):
        with app.app_context():
            db.create_all()

    def test_no_entries(self):
        with app.app_context():
            self.assertEqual(Entry.query.count(), 0)
