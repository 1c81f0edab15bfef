"""Every route of the legacy shop.

The assertions hold both for the app as written and after flask-fix's intended rewrites
(FLK101-FLK104): JSON bodies are compared as values, never as bytes or by Content-Type;
redirects by the path and query of their Location.
"""
import json
from urllib.parse import urlsplit

import pytest
from itsdangerous import URLSafeSerializer

import app as shop


def target(response):
    """Path and query of a redirect, whether Location is relative or absolute."""
    parts = urlsplit(response.headers['Location'])
    return parts.path + ('?' + parts.query if parts.query else '')


def body(response):
    return response.get_json(force=True)


def text(response):
    return response.get_data(as_text=True)


# --- HTML pages and the session ---------------------------------------------------------

def test_index(client):
    response = client.get('/')
    assert response.status_code == 200
    assert 'Browse the catalogue' in text(response)
    assert 'Signed in' not in text(response)


def test_login_form(client):
    response = client.get('/login')
    assert response.status_code == 200
    assert '<form method="post">' in text(response)


def test_login_then_logout(client):
    response = client.post('/login', data={'username': 'ann'})
    assert response.status_code == 302
    assert target(response) == '/'
    assert 'Signed in as ann' in text(client.get('/'))

    response = client.get('/logout')
    assert response.status_code == 302
    assert target(response) == '/login'
    assert 'Signed in' not in text(client.get('/'))


def test_login_without_a_name_is_guest(client):
    client.post('/login', data={'username': ''})
    assert 'Signed in as guest' in text(client.get('/'))


def test_list_products_defaults(client):
    response = client.get('/products')
    assert response.status_code == 200
    for _, name, _ in shop.PRODUCTS:
        assert name in text(response)
    assert 'Page 1' in text(response)


def test_list_products_pages(client):
    page = text(client.get('/products?page=2&per_page=2'))
    assert 'Mint tea' in page and 'White mug' in page
    assert 'Green tea' not in page and 'Small teapot' not in page
    assert 'Page 2' in page
    assert 'Nothing here' in text(client.get('/products?page=2'))
    assert 'Page 1' in text(client.get('/products?page=0'))


def test_show_product(client):
    response = client.get('/products/5')
    assert response.status_code == 200
    assert 'Small teapot' in text(response) and '19.9 EUR' in text(response)
    assert client.get('/products/999').status_code == 404


@pytest.mark.parametrize('path, location', [
    ('/catalogue', '/products'),
    ('/catalogue/more', '/products?page=2'),
    ('/wishlist', '/favourites'),
])
def test_old_urls_redirect(client, path, location):
    response = client.get(path)
    assert response.status_code == 302
    assert target(response) == location


def test_help_goes_to_the_external_site(client):
    response = client.get('/help')
    assert response.status_code == 302
    assert response.headers['Location'] == 'https://example.com/help'


def test_old_static_catalogue_page(client):
    # mounted under /shop, the page still names the literal path: its `redirect` is a local helper
    response = client.get('/catalogue.html', base_url='http://localhost/shop')
    assert response.status_code == 200
    assert 'url=/products"' in text(response) and 'href="/products"' in text(response)


# --- admin forms --------------------------------------------------------------------------

def test_admin_needs_login(client):
    response = client.post('/admin/products', data={'sku': 'X', 'name': 'X', 'price': '1'})
    assert target(response) == '/login'
    response = client.post('/admin/products/1/restock', data={'amount': '1'})
    assert target(response) == '/login'


def test_create_product(logged_in):
    response = logged_in.post('/admin/products', data={'sku': 'TEA-R', 'name': 'Rooibos', 'price': '5.5'})
    assert response.status_code == 302
    assert target(response) == '/products/7'
    assert 'Rooibos' in text(logged_in.get('/products/7'))


def test_restock(logged_in):
    response = logged_in.post('/admin/products/5/restock', data={'amount': '4'})
    assert response.status_code == 302
    assert target(response) == '/products/5'
    assert body(logged_in.get('/api/products/5'))['stock'] == 4
    assert target(logged_in.post('/admin/products/5/restock')) == '/products/5'


def test_restock_rejects_a_bad_amount(logged_in):
    response = logged_in.post('/admin/products/5/restock', data={'amount': 'lots'})
    assert response.status_code == 400
    assert 'whole number' in text(response)
    assert logged_in.post('/admin/products/999/restock', data={'amount': '1'}).status_code == 404


# --- cart and orders ------------------------------------------------------------------------

def test_add_to_cart_and_show_order(logged_in):
    response = logged_in.post('/cart/add', data={'product_id': '1', 'quantity': '3'})
    assert response.status_code == 302
    assert target(response) == '/orders/1'
    assert json.loads(shop.AUDIT_LOG[-1]) == {'event': 'order', 'order': 1, 'quantity': 3}

    page = logged_in.get('/orders/1')
    assert page.status_code == 200
    assert '3 x Green tea: 13.5 EUR' in text(page)
    assert logged_in.get('/orders/2').status_code == 404


def test_add_unknown_product_to_cart(client):
    assert client.post('/cart/add', data={'product_id': '999', 'quantity': '1'}).status_code == 404


def test_share_order(client):
    client.post('/cart/add', data={'product_id': '2', 'quantity': '1'})
    response = client.get('/orders/1/share')
    assert response.status_code == 200
    signer = URLSafeSerializer(shop.app.secret_key, salt='share-order')
    assert signer.loads(text(response)) == {'order': 1}
    assert client.get('/orders/9/share').status_code == 404


# --- JSON API -------------------------------------------------------------------------------

def test_health(client):
    response = client.get('/api/health')
    assert response.status_code == 200
    assert body(response) == {'status': 'ok'}


def test_api_products(client):
    response = client.get('/api/products')
    assert response.status_code == 200
    assert [p['sku'] for p in body(response)] == [sku for sku, _, _ in shop.PRODUCTS]
    assert body(response)[0] == {'id': 1, 'sku': 'TEA-G', 'name': 'Green tea', 'price': 4.5, 'stock': 12}


@pytest.mark.parametrize('query, ids', [
    ('min_price=4&limit=2&offset=1', [3, 4]),
    ('min_price=4.5', [1, 4, 5]),
    ('limit=2', [1, 2]),
    ('limit=', [1, 2, 3, 4, 5, 6]),
    ('offset=4', [5, 6]),
    ('offset=many', [1, 2, 3, 4, 5, 6]),
])
def test_api_products_filters(client, query, ids):
    response = client.get('/api/products?' + query)
    assert response.status_code == 200
    assert [p['id'] for p in body(response)] == ids


def test_api_create_product(client):
    response = client.post('/api/products', json={'sku': 'TEA-W', 'name': 'White tea', 'price': 6.25})
    assert response.status_code == 201
    assert body(response) == {'id': 7, 'sku': 'TEA-W', 'name': 'White tea', 'price': 6.25, 'stock': 0}
    assert body(client.get('/api/products/7'))['name'] == 'White tea'


def test_api_product(client):
    response = client.get('/api/products/4')
    assert response.status_code == 200
    assert body(response) == {'id': 4, 'sku': 'MUG-W', 'name': 'White mug', 'price': 8.0, 'stock': 5}
    assert response.headers['Cache-Control'] == 'max-age=60'
    assert client.get('/api/products/999').status_code == 404


def test_api_update_product(client):
    response = client.patch('/api/products/3', json={'price': 4.25, 'stock': 9, 'colour': 'green'})
    assert response.status_code == 200
    assert body(response) == {'id': 3, 'sku': 'TEA-M', 'name': 'Mint tea', 'price': 4.25, 'stock': 9}
    assert body(client.get('/api/products/3'))['stock'] == 9


def test_api_import_products(client):
    feed = [{' SKU ': 'CUP-S', 'Name': 'Small cup', 'PRICE': 3.5}, {'sku': 'CUP-L', 'name': 'Large cup', 'price': 4.5}]
    response = client.post('/api/products/import', json=feed)
    assert response.status_code == 201
    assert body(response) == {'imported': 2}
    assert [p['sku'] for p in body(client.get('/api/products?offset=6'))] == ['CUP-S', 'CUP-L']


def test_api_orders(client):
    assert body(client.get('/api/orders')) == []
    # a client that sends JSON without saying so
    response = client.post('/api/orders', data=json.dumps({'product_id': 2, 'quantity': 4, 'customer': 'bob'}),
                           content_type='text/plain')
    assert response.status_code == 201
    order = {'id': 1, 'product_id': 2, 'quantity': 4, 'customer': 'bob', 'total': 15.0}
    assert body(response) == order
    response = client.post('/api/orders', json={'product_id': 1})
    assert body(response) == {'id': 2, 'product_id': 1, 'quantity': 1, 'customer': 'api', 'total': 4.5}
    response = client.get('/api/orders')
    assert response.status_code == 200
    assert [o['id'] for o in body(response)] == [1, 2]
    assert body(response)[0] == order


def test_api_order_for_unknown_product(client):
    assert client.post('/api/orders', json={'product_id': 999}).status_code == 404


def test_api_check_cart(client):
    response = client.post('/api/cart/check', json=[{'product_id': 1, 'quantity': 2}])
    assert response.status_code == 200
    assert body(response) == {'ok': True, 'problems': []}
    lines = [{'product_id': 1, 'quantity': 13}, {'product_id': 3}, {'product_id': 99}, {'product_id': 2}]
    assert body(client.post('/api/cart/check', json=lines)) == {'ok': False, 'problems': [1, 3, 99]}


def test_api_check_cart_rejects_a_body_that_is_not_json(client):
    response = client.post('/api/cart/check', data='two mugs please')
    assert response.status_code == 400
    assert body(response) == {'error': 'the body is not JSON'}


def test_api_stock_report(client):
    response = client.get('/api/reports/stock')
    assert response.status_code == 200
    assert body(response) == {'low_stock': ['FLT-P', 'POT-S', 'TEA-M'], 'units': 50}
