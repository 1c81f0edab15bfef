import io
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from notebook import Post, User, app, db, make_reset_token, user_for_reset_token  # noqa: E402


class BlogTestCase(unittest.TestCase):

    def setUp(self):
        app.config['TESTING'] = True
        app.config['WTF_CSRF_ENABLED'] = False
        app.config['PASSWORD_HASH_METHOD'] = 'pbkdf2:sha256:1000'  # fast hashes
        app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
        self.uploads = tempfile.mkdtemp()
        app.config['UPLOAD_FOLDER'] = self.uploads
        db.create_all()
        self.client = app.test_client()
        self.ann = self.add_user('ann@example.com', 'Ann', 'secret')

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        shutil.rmtree(self.uploads)

    def add_user(self, email, name, password, active=True):
        user = User(email=email, name=name, active=active)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    def login(self, email='ann@example.com', password='secret'):
        return self.client.post('/login', data={'email': email, 'password': password},
                                follow_redirects=True)

    def test_uses_the_test_database(self):
        self.assertEqual(str(db.engine.url), 'sqlite://')

    def test_index_pages_by_twenty(self):
        for number in range(25):
            db.session.add(Post(title='Post %d' % number, body='text', author=self.ann))
        db.session.commit()
        first = self.client.get('/').data.decode()
        self.assertIn('Post 24', first)
        self.assertNotIn('Post 4<', first)
        self.assertIn('Page 1 of 2', first)
        second = self.client.get('/?page=2').data.decode()
        self.assertIn('Post 4<', second)
        self.assertIn('Post 0<', second)
        self.assertEqual(self.client.get('/?page=9').status_code, 200)

    def test_login_and_menu(self):
        self.assertIn('Log in', self.client.get('/').data.decode())
        page = self.login().data.decode()
        self.assertIn('<span class="who">Ann</span>', page)
        self.assertNotIn('Log in', page)
        # a logged-in user is sent away from the login page
        self.assertEqual(self.client.get('/login').status_code, 302)

    def test_wrong_password(self):
        page = self.login(password='nope').data.decode()
        self.assertIn('Wrong email or password.', page)

    def test_disabled_account_cannot_log_in(self):
        self.add_user('bob@example.com', 'Bob', 'pw', active=False)
        page = self.login('bob@example.com', 'pw').data.decode()
        self.assertIn('This account is disabled.', page)
        self.assertEqual(self.client.get('/write').status_code, 302)

    def test_writing_needs_a_login(self):
        response = self.client.get('/write')
        self.assertEqual(response.status_code, 302)
        self.assertIn('/login', response.headers['Location'])

    def test_write_with_attachment(self):
        self.login()
        response = self.client.post('/write', data={
            'title': 'Holiday',
            'body': 'First day.\n\nSecond <day>.',
            'attachment': (io.BytesIO(b'photo'), '../../my photo.jpg'),
        }, content_type='multipart/form-data', follow_redirects=True)
        page = response.data.decode()
        self.assertIn('<p>First day.</p><p>Second &lt;day&gt;.</p>', page)
        self.assertIn('my_photo.jpg', page)
        self.assertEqual(os.listdir(self.uploads), ['my_photo.jpg'])
        post = Post.query.one()
        self.assertEqual(post.author.email, 'ann@example.com')

    def test_form_requires_a_title(self):
        self.login()
        response = self.client.post('/write', data={'title': '', 'body': 'x'})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Post.query.count(), 0)

    def test_only_the_author_deletes(self):
        self.add_user('bob@example.com', 'Bob', 'pw')
        post = Post(title='Mine', body='x', author=self.ann)
        db.session.add(post)
        db.session.commit()
        url = '/posts/%d' % post.id
        self.login('bob@example.com', 'pw')
        self.assertNotIn('Delete', self.client.get(url).data.decode())
        self.assertEqual(self.client.post(url + '/delete').status_code, 403)
        self.client.get('/logout')
        self.login()
        self.assertIn('Delete', self.client.get(url).data.decode())
        self.assertEqual(self.client.post(url + '/delete').status_code, 302)
        self.assertEqual(Post.query.count(), 0)

    def test_reset_token(self):
        token = make_reset_token(self.ann)
        self.assertEqual(user_for_reset_token(token).email, 'ann@example.com')
        self.assertIsNone(user_for_reset_token(token + 'x'))
        self.assertIn('Choose a new password, Ann.', self.client.get('/reset/' + token).data.decode())


if __name__ == '__main__':
    unittest.main()
