import threading

from flask import _app_ctx_stack, current_app

from .models import Item


def recount():
    return Item.query.count()


def restock(app, item_id):
    # pushes its own app context: fine in a thread
    with app.app_context():
        return Item.query.get(item_id)


def start_recount():
    threading.Thread(target=recount).start()


def start_restock(item_id):
    threading.Thread(target=restock, args=(current_app._get_current_object(), item_id)).start()


def current_app_name():
    return _app_ctx_stack.top.app.name
