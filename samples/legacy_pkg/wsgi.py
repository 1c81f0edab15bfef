"""The WSGI entry point: `gunicorn wsgi:app`."""
from bookshelf import app

if __name__ == '__main__':
    app.run()
