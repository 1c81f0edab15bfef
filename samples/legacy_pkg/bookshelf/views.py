from flask import abort, flash, redirect, render_template, request, session, url_for

from bookshelf import app, db
from bookshelf.models import Book, page_of_books


@app.template_filter('shout')
def shout(text):
    return text.upper()


@app.context_processor
def reader_name():
    return {'reader': session.get('reader')}


@app.before_request
def count_visits():
    session['visits'] = session.get('visits', 0) + 1


@app.route('/')
def index():
    page = request.args.get('page', 1, type=int)
    return render_template('index.html', books=page_of_books(page), page=page)


@app.route('/books/<int:book_id>')
def book(book_id):
    found = db.session.get(Book, book_id) or abort(404)
    return render_template('book.html', book=found)


@app.route('/books/<int:book_id>/read', methods=['POST'])
def mark_read(book_id):
    found = db.session.get(Book, book_id) or abort(404)
    found.read = True
    db.session.commit()
    app.logger.info('read: %s', found.title)
    flash(f'Marked {found.title} as read')
    return redirect(url_for('book', book_id=book_id))


@app.route('/login', methods=['GET', 'POST'])
def login():
    if request.method == 'POST':
        session['reader'] = request.form['name']
        return redirect(url_for('index'))
    return render_template('login.html')


@app.route('/logout')
def logout():
    session.pop('reader', None)
    return redirect(url_for('login'))


@app.route('/about')
def about():
    # a look-alike: this 'index' is a dictionary key, not an endpoint
    sections = {'index': 'the shelf', 'about': 'this page'}
    return render_template('about.html', sections=sections)


@app.errorhandler(404)
def not_found(error):
    return render_template('404.html'), 404


@app.cli.command('count')
def count_books():
    """Print how many books are on the shelf."""
    print(db.session.execute(db.select(db.func.count(Book.id))).scalar())


def describe(app):
    """A look-alike: this `app` is a parameter, not the module-level app."""
    return f'{app.name} with {len(app.url_map._rules)} rules'
