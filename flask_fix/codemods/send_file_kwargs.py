"""FLK703 send-file-kwargs."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import LegacyApiRule
from ..rewrite.names import qualified_name

SEND_FILE = frozenset({"flask.send_file", "flask.helpers.send_file"})
SEND_FROM_DIRECTORY = frozenset({"flask.send_from_directory", "flask.helpers.send_from_directory"})
# Flask 2.0 renamed these; the old names were removed in 2.2 (TypeError)
RENAMES = {
    "attachment_filename": "download_name",
    "cache_timeout": "max_age",
    "add_etags": "etag",
    "filename_or_fp": "path_or_file",
}
# send_from_directory(directory, filename) -> (directory, path); the rest goes to send_file
DIRECTORY_RENAMES = {**RENAMES, "filename": "path"}
del DIRECTORY_RENAMES["filename_or_fp"]
NEEDS = (2, 0)

_IMPORT = "from flask import send_file, send_from_directory\n\n"


class SendFileKwargs(LegacyApiRule):
    """
    What it does:
        Renames the keyword arguments of `send_file` and `send_from_directory` that Flask
        2.0 renamed: `attachment_filename=` to `download_name=`, `cache_timeout=` to
        `max_age=`, `add_etags=` to `etag=`, `filename_or_fp=` to `path_or_file=`, and
        `send_from_directory(filename=)` to `path=` (its other keywords go to `send_file`
        and are renamed the same way).

    Why is this bad?:
        The old names were deprecated in Flask 2.0 and removed in 2.2: the call fails with
        `TypeError: send_file() got an unexpected keyword argument 'attachment_filename'`.

    Example:
        return send_file(buffer, as_attachment=True, attachment_filename="report.csv",
                         cache_timeout=0)

    Use instead:
        return send_file(buffer, as_attachment=True, download_name="report.csv",
                         max_age=0)

    Fix safety:
        Safe: Flask 2.0 and 2.1 passed the old names on to the new ones unchanged, so the
        call means the same. The new names exist from Flask 2.0 on: when the project may
        run on an older Flask (`target-flask-version`, else the lowest version its
        requirements*.txt, pyproject.toml, setup.cfg or setup.py allow), the call is only
        reported. Also only reported: a call giving both an
        old name and its new one. Positional arguments are left as they are (the fourth
        positional argument of `send_file` meant the download name before 2.0 and still
        does; `send_from_directory(directory, name)` is unchanged).
    """

    code = "FLK703"
    name = "send-file-kwargs"
    fix_level = FixLevel.SAFE
    summary = "Call `send_file` with `download_name=`, `max_age=`, `etag=` (Flask 2.0 names)."
    # an old keyword must occur; send_from_directory's `filename=` is too common a word, so
    # that function's name stands for it (it occurs in the file, alias or not)
    triggers = (
        b"attachment_filename",
        b"cache_timeout",
        b"add_etags",
        b"filename_or_fp",
        b"send_from_directory",
    )
    required_imports = frozenset({"flask"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """Some call passes an old keyword (by name: the function may be aliased)."""
        old = RENAMES.keys() | DIRECTORY_RENAMES.keys()
        return any(k.arg in old for call in module.all(ast.Call) for k in call.keywords)

    valid = (
        _IMPORT + "def download(buffer):\n"
        "    return send_file(buffer, download_name='a.csv', max_age=0, etag=False)\n",
        # positional arguments are fine
        _IMPORT + "def asset(name):\n    return send_from_directory('static', name)\n",
        # a storage helper of the project with the same method name
        "class Storage:\n    def send_file(self, filename_or_fp, attachment_filename=None):\n"
        "        return filename_or_fp\n\n"
        "def serve(storage):\n    return storage.send_file('a', attachment_filename='b')\n",
        # send_file rebound locally
        _IMPORT + "def view(send_file):\n    return send_file('a', cache_timeout=1)\n",
    )
    invalid = (
        Example(
            _IMPORT + "def download(buffer):\n"
            "    return send_file(buffer, as_attachment=True,\n"
            "                     attachment_filename='report.csv', cache_timeout=0)\n",
            _IMPORT + "def download(buffer):\n"
            "    return send_file(buffer, as_attachment=True,\n"
            "                     download_name='report.csv', max_age=0)\n",
        ),
        Example(
            "import flask\n\ndef asset(name):\n"
            "    return flask.send_from_directory('static', filename=name, add_etags=False)\n",
            "import flask\n\ndef asset(name):\n"
            "    return flask.send_from_directory('static', path=name, etag=False)\n",
        ),
        Example(
            "from flask.helpers import send_file as sf\n\ndef view():\n"
            "    return sf(filename_or_fp='a.txt')\n",
            "from flask.helpers import send_file as sf\n\ndef view():\n"
            "    return sf(path_or_file='a.txt')\n",
        ),
        # old and new name together: reported
        Example(
            _IMPORT + "def view():\n"
            "    return send_file('a', download_name='x', attachment_filename='y')\n",
            None,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        keywords = [a.keyword.value for a in node.args if a.keyword is not None]
        if not any(k in DIRECTORY_RENAMES or k in RENAMES for k in keywords):
            return
        function = qualified_name(self, node.func)
        if function in SEND_FILE:
            renames, short = RENAMES, "send_file"
        elif function in SEND_FROM_DIRECTORY:
            renames, short = DIRECTORY_RENAMES, "send_from_directory"
        else:
            return
        old = [k for k in keywords if k in renames]
        if not old:
            return
        pairs = ", ".join(f"`{k}=` -> `{renames[k]}=`" for k in old)
        message = f"{short}() keywords renamed in Flask 2.0, removed in 2.2: {pairs}"
        clash = [k for k in old if renames[k] in keywords]
        if clash:
            self.report(
                node,
                f"{message} (not rewritten: `{renames[clash[0]]}=` is given too; keep one)",
            )
            return
        why_not = self.too_old_for(NEEDS)
        if why_not:
            self.report(node, f"{message} ({why_not})")
            return
        replacements = {
            arg.keyword: cst.Name(renames[arg.keyword.value])
            for arg in node.args
            if arg.keyword is not None and arg.keyword.value in renames
        }
        self.report(node, message, fix=Fix(replacements))
