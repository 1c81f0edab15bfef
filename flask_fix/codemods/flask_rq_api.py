"""FLK806 flask-rq-api."""

from __future__ import annotations

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.removed_api import RemovedApiRule, rows_of, top_modules


class FlaskRqApi(RemovedApiRule):
    """
    What it does:
        Reports Flask-RQ 0.2's module functions, which Flask-RQ 1.0 removed:
        `get_queue`, `get_connection`, `get_worker`, `get_server_url`, `config_value`
        and the `job` decorator, in every import form, with what replaces each.

    Why is this bad?:
        Flask-RQ 1.0 exports only the `RQ` extension class: `from flask_rq import
        get_queue` fails (`ImportError: cannot import name 'get_queue' from 'flask_rq'`),
        and with it every module of the app that imports it. Legacy apps enqueued their
        e-mails this way (`get_queue().enqueue(send_email, ...)`).

    Example:
        from flask_rq import RQ, get_queue

        def create_app():
            app = Flask(__name__)
            RQ(app)
            return app

        def invite(user):
            get_queue().enqueue(send_email, user.email)

    Use instead:
        from flask_rq import RQ

        rq = RQ()

        def create_app():
            app = Flask(__name__)
            rq.init_app(app)
            return app

        def invite(user):
            rq.get_queue().enqueue(send_email, user.email)

    Fix safety:
        Report only: the queue now comes from the extension object, which the app must
        keep (`RQ(app)` alone discards it) and the modules import, and Flask-RQ 1.0 reads
        other settings: `RQ_CONNECTION` (a URL or a dict) and `RQ_QUEUES` instead of
        `RQ_DEFAULT_URL`, `RQ_DEFAULT_HOST`, `RQ_DEFAULT_PORT`, `RQ_DEFAULT_DB` and
        `RQ_DEFAULT_PASSWORD`. Where the object lives and how the settings move is the
        person's choice.
    """

    code = "FLK806"
    name = "flask-rq-api"
    fix_level = FixLevel.REPORT
    summary = "Flask-RQ 1.0 removed `get_queue` & co.: use the `RQ()` object's `get_queue()`."
    triggers = (b"flask_rq", b"flask.ext.rq")
    required_imports = top_modules(rows_of("FLK806"))

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """Only the table's rows are reported: an import or attribute naming one."""
        return cls.table_could_fire(module)

    valid = (
        # Flask-RQ 1.0's own API
        "from flask_rq import RQ\n\nrq = RQ()\n\n\ndef invite(email):\n"
        "    rq.get_queue().enqueue(print, email)\n",
        # Flask-RQ2, another package
        "from flask_rq2 import RQ\n\nrq = RQ()\njob = rq.job\n",
        # a function of the project with the same name
        "def get_queue():\n    return []\n\n\nget_queue().append(1)\n",
    )
    invalid = (
        Example(
            "from flask_rq import RQ, get_queue\n\n\ndef invite(email):\n"
            "    get_queue('mail').enqueue(print, email)\n",
            None,
        ),
        Example("import flask_rq\n\nworker = flask_rq.get_worker('default')\n", None),
        Example("from flask_rq import job\n\n\n@job\ndef send(email):\n    pass\n", None),
    )
