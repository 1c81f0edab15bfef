from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.record_queries import get_recorded_queries
from itsdangerous import TimedJSONWebSignatureSerializer as Serializer

db = SQLAlchemy()


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    avatar = db.Column(db.LargeBinary)

    def reset_token(self, key):
        return Serializer(key, 1800).dumps({"id": self.id})

    def label(self):
        return "member" if self.is_authenticated else "guest"


def latest(page):
    return User.query.order_by(User.id.desc()).paginate(page=page, per_page=20, error_out=False)


def slow_queries():
    return [q for q in get_recorded_queries() if q.duration > 0.5]
