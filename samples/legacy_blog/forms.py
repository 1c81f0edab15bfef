from flask_wtf import Form
from wtforms import PasswordField, TextAreaField, TextField
from wtforms.validators import Length, Required


class LoginForm(Form):
    email = TextField('Email', validators=[Required(), Length(max=120)])
    password = PasswordField('Password', validators=[Required()])


class PostForm(Form):
    title = TextField('Title', validators=[Required(), Length(max=140)])
    body = TextAreaField('Text', validators=[Required()])
