"""Bookshelf: a small reading-list site, written the way many older Flask packages are.

The app object lives here, at import time; views.py and models.py import it back, and
the admin blueprint is registered with a URL prefix. flask-fix's FLK201 turns this into
an application factory.
"""
import logging
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('BOOKSHELF_SECRET', 'not-so-secret')
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('BOOKSHELF_DB', 'sqlite://')
app.config['BOOKS_PER_PAGE'] = 3
app.jinja_env.trim_blocks = True

db = SQLAlchemy(app)

if not app.debug:
    app.logger.setLevel(logging.INFO)

from bookshelf import models, views  # noqa: E402  (the routes register themselves)
from bookshelf.admin import admin  # noqa: E402

app.register_blueprint(admin, url_prefix='/admin')


@app.shell_context_processor
def shell_names():
    return {'db': db, 'Book': models.Book}


with app.app_context():
    db.create_all()
    models.seed()
