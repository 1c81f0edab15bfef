import werkzeug
import werkzeug.urls
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.utils import secure_filename
from werkzeug.contrib.cache import SimpleCache
from werkzeug.middleware.proxy_fix import ProxyFix

cache = SimpleCache()


def upload_name(upload):
    return secure_filename(upload.filename)


def wrap(app):
    app.wsgi_app = ProxyFix(app.wsgi_app)
    return werkzeug.urls.url_quote(app.name)


@pass_context
def bold(context, value):
    return Markup("<b>%s</b>") % value


def greeting():
    if current_user.is_authenticated:
        return "welcome back"
    return "hello"
