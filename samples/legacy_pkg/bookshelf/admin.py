from flask import Blueprint, redirect, render_template, request, session, url_for

from bookshelf import db
from bookshelf.models import Book

admin = Blueprint('admin', __name__, template_folder='templates')


@admin.before_request
def require_reader():
    if 'reader' not in session:
        return redirect(url_for('login', next=request.path))


@admin.route('/')
def shelf():
    books = db.session.execute(db.select(Book).order_by(Book.title)).scalars().all()
    return render_template('admin/shelf.html', books=books)


@admin.route('/books', methods=['POST'])
def add_book():
    db.session.add(Book(title=request.form['title'], author=request.form['author']))
    db.session.commit()
    return redirect(url_for('.shelf'))


@admin.route('/home')
def home():
    return redirect(url_for('index', page=2))
