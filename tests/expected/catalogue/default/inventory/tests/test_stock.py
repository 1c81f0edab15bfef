import unittest

from stock import create_app, db
from stock.models import Item


class StockTestCase(unittest.TestCase):
    def setUp(self):
        self.app = create_app("testing")
        self.app_context = self.app.app_context()
        self.app_context.push()
        db.create_all()

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        self.app_context.pop()

    def test_no_items(self):
        self.assertEqual(Item.query.count(), 0)

    def test_index_page(self):
        # only the test client: it pushes what each request needs
        self.assertEqual(self.app.test_client().get("/nowhere").status_code, 404)
