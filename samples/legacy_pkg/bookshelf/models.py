from bookshelf import app, db


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120), nullable=False)
    author = db.Column(db.String(120), nullable=False)
    read = db.Column(db.Boolean, default=False, nullable=False)

    def label(self):
        return f'{self.title} ({self.author})'


def page_of_books(page):
    """One page of the shelf, as many books as the configuration asks for."""
    size = app.config['BOOKS_PER_PAGE']
    query = db.select(Book).order_by(Book.id).limit(size).offset((page - 1) * size)
    return db.session.execute(query).scalars().all()


def seed():
    if db.session.execute(db.select(Book)).first() is not None:
        return
    for title, author in [
        ('Dubliners', 'James Joyce'),
        ('Middlemarch', 'George Eliot'),
        ('The Leopard', 'Giuseppe Tomasi di Lampedusa'),
        ('Kindred', 'Octavia E. Butler'),
        ('Pale Fire', 'Vladimir Nabokov'),
    ]:
        db.session.add(Book(title=title, author=author))
    db.session.commit()
    app.logger.info('seeded the shelf')
