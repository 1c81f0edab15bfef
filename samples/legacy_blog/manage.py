"""python manage.py seed | create_user -e EMAIL -n NAME -p PASSWORD | db upgrade | runserver"""
from flask_migrate import Migrate, MigrateCommand
from flask_script import Manager

from notebook import Post, User, app, db

migrate = Migrate(app, db)
manager = Manager(app)
manager.add_command('db', MigrateCommand)


@manager.option('-e', '--email', dest='email', required=True)
@manager.option('-n', '--name', dest='name', required=True)
@manager.option('-p', '--password', dest='password', required=True)
def create_user(email, name, password):
    """Add a user who can log in."""
    user = User(email=email, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    print('Created %s' % email)
    return user


@manager.option('-c', '--count', dest='count', type=int, default=25)
def seed(count=25):
    """Fill an empty database with an author and `count` posts."""
    db.create_all()
    author = User.query.filter_by(email='editor@example.com').first()
    if author is None:
        author = create_user('editor@example.com', 'Editor', 'editor')
    for number in range(1, count + 1):
        db.session.add(Post(title='Post %d' % number, body='Text of post %d.' % number,
                            author=author))
    db.session.commit()
    print('Seeded %d posts' % count)


if __name__ == '__main__':
    manager.run()
