"""Replay a fixed list of requests against the bookshelf and record what came back.

flask-fix's tests run `replay(app)` on the package as written and on the package after
`flask-fix --unsafe-fixes` turned it into an application factory: every answer (status,
redirect, body) must be the same. The caller passes the app; this module imports none.
"""
REQUESTS = [
    ('GET', '/', {}),
    ('GET', '/?page=2', {}),
    ('GET', '/?page=x', {}),
    ('GET', '/books/1', {}),
    ('GET', '/books/42', {}),
    ('POST', '/books/3/read', {}),
    ('GET', '/books/3', {}),
    ('POST', '/books/42/read', {}),
    ('GET', '/about', {}),
    ('GET', '/login', {}),
    ('GET', '/admin/', {}),
    ('GET', '/admin/home', {}),
    ('POST', '/login', {'data': {'name': 'ada'}}),
    ('GET', '/admin/', {}),
    ('POST', '/admin/books', {'data': {'title': 'Beloved', 'author': 'Toni Morrison'}}),
    ('GET', '/admin/', {}),
    ('GET', '/admin/home', {}),
    ('GET', '/?page=2', {}),
    ('GET', '/logout', {}),
    ('GET', '/static/missing.css', {}),
    ('DELETE', '/', {}),
    ('GET', '/no/such/page', {}),
]


def replay(app):
    """Run REQUESTS through one test client (state carries over); one record each."""
    app.config.update(TESTING=True)
    client = app.test_client()
    records = []
    for method, path, kwargs in REQUESTS:
        response = client.open(path, method=method, **kwargs)
        records.append({
            'method': method,
            'path': path,
            'status': response.status_code,
            'location': response.headers.get('Location'),
            'content_type': response.headers.get('Content-Type'),
            'body': response.get_data(as_text=True),
        })
        response.close()
    return records


def cli_count(app):
    return app.test_cli_runner().invoke(args=['count']).output

