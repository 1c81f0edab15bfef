"""Replay a fixed list of requests against the legacy shop and record what came back.

flask-fix's own tests run `replay` on the app as written and on the rewritten app and compare
the two lists: they must differ only in the ways the applied rules document (Content-Type of
JSON responses, 500 -> 400 for a body that is not JSON, 500 -> default for a malformed number).
"""
import json
from urllib.parse import urlsplit

# (method, path, keyword arguments for the test client); run in this order, state carries over
REQUESTS = [
    ('GET', '/', {}),
    ('GET', '/login', {}),
    ('GET', '/products', {}),
    ('GET', '/products?page=2&per_page=2', {}),
    ('GET', '/products?page=abc', {}),                       # malformed page
    ('GET', '/products?per_page=', {}),                      # empty per_page
    ('GET', '/products?page=2.5', {}),
    ('GET', '/products/2', {}),
    ('GET', '/products/999', {}),
    ('GET', '/catalogue', {}),
    ('GET', '/catalogue/more', {}),
    ('GET', '/catalogue.html', {}),
    ('GET', '/help', {}),
    ('GET', '/wishlist', {}),
    ('POST', '/admin/products', {'data': {'sku': 'TEA-R', 'name': 'Rooibos', 'price': '5.5'}}),  # not logged in
    ('POST', '/login', {'data': {'username': 'ann'}}),
    ('GET', '/', {}),
    ('POST', '/admin/products', {'data': {'sku': 'TEA-R', 'name': 'Rooibos', 'price': '5.5'}}),
    ('GET', '/products/7', {}),
    ('POST', '/admin/products/7/restock', {'data': {'amount': '6'}}),
    ('POST', '/admin/products/7/restock', {'data': {'amount': 'six'}}),   # handled: 400
    ('POST', '/admin/products/7/restock', {}),
    ('POST', '/admin/products/99/restock', {'data': {'amount': '1'}}),
    ('POST', '/cart/add', {'data': {'product_id': '1', 'quantity': '2'}}),
    ('POST', '/cart/add', {'data': {'product_id': '1'}}),                 # missing form field
    ('POST', '/cart/add', {'data': {'product_id': '1', 'quantity': 'two'}}),
    ('POST', '/cart/add', {'data': {'product_id': '999', 'quantity': '1'}}),
    ('GET', '/orders/1', {}),
    ('GET', '/orders/5', {}),
    ('GET', '/orders/1/share', {}),
    ('GET', '/logout', {}),
    ('GET', '/', {}),
    ('POST', '/admin/products/7/restock', {'data': {'amount': '1'}}),    # logged out again
    ('GET', '/api/health', {}),
    ('GET', '/api/products', {}),
    ('GET', '/api/products?min_price=4&limit=2&offset=1', {}),
    ('GET', '/api/products?limit=', {}),
    ('GET', '/api/products?limit=lots', {}),                  # malformed
    ('GET', '/api/products?min_price=cheap', {}),             # malformed
    ('GET', '/api/products?offset=x', {}),                    # malformed, type= already
    ('POST', '/api/products', {'json': {'sku': 'TEA-W', 'name': 'White tea', 'price': 6.25}}),
    ('POST', '/api/products', {'data': '{"sku": "TEA-Y", "name": "Yellow tea", "price": 7}'}),
    ('POST', '/api/products', {'data': 'sku=TEA-X'}),          # invalid JSON body
    ('POST', '/api/products', {}),                           # empty body
    ('GET', '/api/products/8', {}),
    ('GET', '/api/products/999', {}),
    ('PATCH', '/api/products/3', {'json': {'price': 4.25, 'stock': 9}}),
    ('PATCH', '/api/products/3', {'data': '{"stock": '}),      # invalid JSON body
    ('PATCH', '/api/products/999', {'json': {'stock': 1}}),
    ('POST', '/api/products/import', {'json': [{' SKU ': 'CUP-S', 'Name': 'Small cup', 'PRICE': 3.5}]}),
    ('POST', '/api/products/import', {'data': 'not json'}),    # invalid JSON body (report-only rule)
    ('GET', '/api/orders', {}),
    ('POST', '/api/orders', {'json': {'product_id': 2, 'quantity': 4, 'customer': 'bob'}}),
    ('POST', '/api/orders', {'data': '{"product_id": 1}', 'content_type': 'text/plain'}),
    ('POST', '/api/orders', {'data': '{product_id: 1}'}),      # invalid JSON body
    ('POST', '/api/orders', {'json': {'product_id': 999}}),
    ('GET', '/api/orders', {}),
    ('POST', '/api/cart/check', {'json': [{'product_id': 1, 'quantity': 2}, {'product_id': 5}]}),
    ('POST', '/api/cart/check', {'data': 'two mugs'}),         # invalid JSON body, handled: 400
    ('GET', '/api/reports/stock', {}),
    ('GET', '/no/such/page', {}),
]


def _init_db(app):
    """The sample's `init_db`, found through a view's module globals (works however it was imported)."""
    for view in app.view_functions.values():
        init_db = getattr(view, '__globals__', {}).get('init_db')
        if callable(init_db):
            return init_db
    raise LookupError('no init_db next to the views of %r' % app)


def _location(response):
    location = response.headers.get('Location')
    if location is None:
        return None
    parts = urlsplit(location)
    if parts.scheme and parts.netloc != 'localhost':
        return location  # external: keep it whole
    return parts.path + ('?' + parts.query if parts.query else '')


def _json(response):
    try:
        return json.loads(response.get_data())
    except ValueError:
        return None


def replay(app):
    """Run REQUESTS through a fresh test client on a fresh database; one record per request."""
    saved = {key: app.config.get(key) for key in ('TESTING', 'PROPAGATE_EXCEPTIONS')}
    logger_was_disabled = app.logger.disabled
    app.config.update(TESTING=True, PROPAGATE_EXCEPTIONS=False)  # a crash is recorded as a 500
    app.logger.disabled = True
    try:
        with app.app_context():
            _init_db(app)()
        client = app.test_client()
        records = []
        for method, path, kwargs in REQUESTS:
            response = client.open(path, method=method, **kwargs)
            records.append({
                'method': method,
                'path': path,
                'status': response.status_code,
                'location': _location(response),
                'json': _json(response),
                'content_type': response.headers.get('Content-Type'),
            })
            response.close()
        return records
    finally:
        app.config.update(saved)
        app.logger.disabled = logger_was_disabled


if __name__ == '__main__':
    from app import app as shop_app

    for record in replay(shop_app):
        print(record)
