from flask import url_for

from bookshelf import app


def test_the_shelf_lists_the_first_page(client):
    page = client.get('/')
    assert page.status_code == 200
    assert b'Dubliners (James Joyce)' in page.data
    assert b'Kindred' not in page.data  # three books a page
    assert b'href="/?page=2"' in page.data


def test_second_page_and_active_nav(client):
    page = client.get('/?page=2')
    assert b'Kindred (Octavia E. Butler)' in page.data
    assert b'class="here">Shelf' in page.data


def test_reading_a_book_flashes_and_redirects(client):
    response = client.post('/books/2/read')
    assert response.status_code == 302
    assert response.headers['Location'] == '/books/2'
    page = client.get('/books/2')
    assert b'Marked Middlemarch as read' in page.data


def test_missing_book_uses_the_404_page(client):
    response = client.get('/books/99')
    assert response.status_code == 404
    assert b'Back to the shelf' in response.data


def test_admin_needs_a_reader(client):
    response = client.get('/admin/')
    assert response.headers['Location'] == '/login?next=/admin/'


def test_admin_adds_a_book(reader):
    response = reader.post('/admin/books', data={'title': 'Beloved', 'author': 'Toni Morrison'})
    assert response.headers['Location'] == '/admin/'
    assert b'Beloved (Toni Morrison)' in reader.get('/admin/').data
    assert b'ADA' in reader.get('/admin/').data  # the template filter


def test_urls_are_built_from_endpoints():
    with app.test_request_context():
        assert url_for('index', page=3) == '/?page=3'
        assert url_for('admin.shelf') == '/admin/'


def test_the_cli_counts_books(client):
    result = app.test_cli_runner().invoke(args=['count'])
    assert result.output.strip() == '5'
