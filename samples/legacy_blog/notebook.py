"""Notebook: a small multi-user blog written for Flask 1.1 and the extensions of its day."""
import os

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import (
    LoginManager, UserMixin, current_user, login_required, login_user, logout_user,
)
from flask_sqlalchemy import SQLAlchemy
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from jinja2 import Markup, escape
from werkzeug import secure_filename
from werkzeug.security import check_password_hash, generate_password_hash

from forms import LoginForm, PostForm

BASE_DIR = os.path.abspath(os.path.dirname(__file__))

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'notebook-dev-key')
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(BASE_DIR, 'blog.db')
app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False
app.config['UPLOAD_FOLDER'] = os.path.join(BASE_DIR, 'uploads')
app.config['POSTS_PER_PAGE'] = 20
app.config['PASSWORD_HASH_METHOD'] = 'pbkdf2:sha256'

db = SQLAlchemy(app)
login_manager = LoginManager(app)
login_manager.login_view = 'login'


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), unique=True, nullable=False)
    name = db.Column(db.String(80), nullable=False)
    password_hash = db.Column(db.String(128), nullable=False)
    active = db.Column(db.Boolean, default=True, nullable=False)
    posts = db.relationship('Post', backref='author', lazy='dynamic')

    # Flask-Login 0.2 asks the user object by calling it: a disabled account cannot log in
    def is_active(self):
        return self.active

    def set_password(self, password):
        self.password_hash = generate_password_hash(
            password, method=app.config['PASSWORD_HASH_METHOD'])

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(140), nullable=False)
    body = db.Column(db.Text, nullable=False)
    attachment = db.Column(db.String(200))
    user_id = db.Column(db.Integer, db.ForeignKey('user.id'), nullable=False)


@login_manager.user_loader
def load_user(user_id):
    return User.query.get(int(user_id))


@app.template_filter('paragraphs')
def paragraphs(text):
    """Each blank-line separated block of `text` as an escaped <p>."""
    blocks = [block.strip() for block in text.split('\n\n') if block.strip()]
    return Markup(''.join('<p>%s</p>' % escape(block) for block in blocks))


def reset_serializer():
    return URLSafeTimedSerializer(app.config['SECRET_KEY'], salt='password-reset')


def make_reset_token(user):
    return reset_serializer().dumps(user.email)


def user_for_reset_token(token, max_age=3600):
    try:
        email = reset_serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return User.query.filter_by(email=email).first()


@app.route('/')
def index():
    page = request.args.get('page', 1, type=int)
    posts = Post.query.order_by(Post.id.desc()).paginate(page, app.config['POSTS_PER_PAGE'], False)
    return render_template('index.html', posts=posts)


@app.route('/posts/<int:post_id>')
def show_post(post_id):
    post = Post.query.get_or_404(post_id)
    return render_template('post.html', post=post)


@app.route('/login', methods=['GET', 'POST'])
def login():
    if current_user.is_authenticated():
        return redirect(url_for('index'))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data).first()
        if user is not None and user.check_password(form.password.data):
            if login_user(user):
                return redirect(request.args.get('next') or url_for('index'))
            flash('This account is disabled.')
        else:
            flash('Wrong email or password.')
    return render_template('login.html', form=form)


@app.route('/logout')
def logout():
    logout_user()
    return redirect(url_for('index'))


@app.route('/write', methods=['GET', 'POST'])
@login_required
def write():
    form = PostForm()
    if form.validate_on_submit():
        post = Post(title=form.title.data, body=form.body.data, author=current_user)
        upload = request.files.get('attachment')
        if upload and upload.filename:
            filename = secure_filename(upload.filename)
            if not os.path.isdir(app.config['UPLOAD_FOLDER']):
                os.makedirs(app.config['UPLOAD_FOLDER'])
            upload.save(os.path.join(app.config['UPLOAD_FOLDER'], filename))
            post.attachment = filename
        db.session.add(post)
        db.session.commit()
        return redirect(url_for('show_post', post_id=post.id))
    return render_template('write.html', form=form)


@app.route('/posts/<int:post_id>/delete', methods=['POST'])
@login_required
def delete_post(post_id):
    post = Post.query.get_or_404(post_id)
    if post.author != current_user:
        abort(403)
    db.session.delete(post)
    db.session.commit()
    return redirect(url_for('index'))


@app.route('/reset/<token>')
def reset(token):
    user = user_for_reset_token(token)
    if user is None:
        abort(404)
    return 'Choose a new password, %s.' % escape(user.name)


if __name__ == '__main__':
    app.run(debug=True)
