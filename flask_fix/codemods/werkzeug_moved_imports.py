"""FLK709 werkzeug-moved-imports."""

from __future__ import annotations

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.removed_api import RemovedApiRule, rows_of, top_modules


class WerkzeugMovedImports(RemovedApiRule):
    """
    What it does:
        Imports the names Werkzeug 1.0 stopped re-exporting from the package itself from
        the module they live in (`from werkzeug import secure_filename` becomes
        `from werkzeug.utils import secure_filename`; `werkzeug.secure_filename(...)`
        after `import werkzeug` becomes `werkzeug.utils.secure_filename(...)`), the WSGI
        middleware from `werkzeug.middleware` (`werkzeug.contrib.fixers.ProxyFix`,
        `werkzeug.wsgi.SharedDataMiddleware`, `DispatcherMiddleware`, the profiler and
        lint middleware), and `BaseRequest`/`BaseResponse` as `Request`/`Response`.
        Reports what has no drop-in replacement: `werkzeug.contrib.cache` (now the
        cachelib package, a new requirement), `contrib.securecookie`, `contrib.sessions`,
        `contrib.atom`, the request/response mixins, `werkzeug.useragents`, and the
        helpers removed later (`url_fix`, `Href`, `HTMLBuilder`, `escape`...).

    Why is this bad?:
        Werkzeug 1.0 removed the top-level re-exports and `werkzeug.contrib` (0.15 had
        moved the middleware to `werkzeug.middleware`; 0.16 warned), so on any current
        release the import fails: `ImportError: cannot import name 'secure_filename' from
        'werkzeug'`, `ModuleNotFoundError: No module named 'werkzeug.contrib'`.

    Example:
        from werkzeug import secure_filename, FileStorage
        from werkzeug.contrib.fixers import ProxyFix
        import werkzeug

        app.wsgi_app = ProxyFix(app.wsgi_app)
        name = werkzeug.secure_filename(upload.filename)

    Use instead:
        from werkzeug.datastructures import FileStorage
        from werkzeug.middleware.proxy_fix import ProxyFix
        from werkzeug.utils import secure_filename
        import werkzeug
        import werkzeug.utils

        app.wsgi_app = ProxyFix(app.wsgi_app)
        name = werkzeug.utils.secure_filename(upload.filename)

    Fix safety:
        Safe: the new module holds the very object the old name re-exported (every
        row of the table of removed APIs, flask_fix/rewrite/removed_apis.py, was
        checked against the releases). The top-level names live in their module on
        every Werkzeug from 0.14 on, so they are moved whatever the project pins;
        `werkzeug.middleware` exists from Werkzeug 0.15: when the project's requirements
        allow an older Werkzeug, the import is only reported. Names going to several
        modules split the import; a nested import (in a function, a `try`) gets the new
        imports on the next lines. Only reported: what has no replacement in Werkzeug,
        a use through a name that `werkzeug` means something else for, and an import
        sharing its line with other statements inside a block. Note that 0.15's
        `ProxyFix` trusts one `X-Forwarded-For` hop by default (`x_for=1`).
    """

    code = "FLK709"
    name = "werkzeug-moved-imports"
    fix_level = FixLevel.SAFE
    summary = "Import Werkzeug's names from their modules, not `werkzeug` or `werkzeug.contrib`."
    triggers = (b"werkzeug",)
    required_imports = top_modules(rows_of("FLK709"))

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """Only the table's rows are reported: an import or attribute naming one."""
        return cls.table_could_fire(module)

    valid = (
        "from werkzeug.utils import secure_filename\n"
        "from werkzeug.middleware.proxy_fix import ProxyFix\n\n"
        "name = secure_filename('a b.txt')\n",
        # a module of the project whose name starts like werkzeug's
        "from werkzeug_utils import secure_filename\nimport werkzeug\n",
        # `werkzeug` is a parameter here, not the package
        "def clean(werkzeug, name):\n    return werkzeug.secure_filename(name)\n",
        # names Werkzeug still exports at the top level
        "import werkzeug\nfrom werkzeug import __version__\n\nprint(werkzeug.__version__)\n",
    )
    invalid = (
        Example(
            "from werkzeug import secure_filename\n\nname = secure_filename('a b.txt')\n",
            "from werkzeug.utils import secure_filename\n\nname = secure_filename('a b.txt')\n",
        ),
        # names going to several modules split the import; an alias is kept
        Example(
            "from werkzeug import secure_filename as clean, FileStorage\n\n"
            "name = clean('a b')\n",
            "from werkzeug.datastructures import FileStorage\n"
            "from werkzeug.utils import secure_filename as clean\n\nname = clean('a b')\n",
        ),
        Example(
            "from werkzeug.contrib.fixers import ProxyFix\nfrom flask import Flask\n\n"
            "app = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app)\n",
            "from werkzeug.middleware.proxy_fix import ProxyFix\nfrom flask import Flask\n\n"
            "app = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app)\n",
        ),
        Example(
            "import werkzeug\n\nname = werkzeug.secure_filename('a b')\n",
            "import werkzeug\nimport werkzeug.utils\n\n"
            "name = werkzeug.utils.secure_filename('a b')\n",
        ),
        Example(
            "import werkzeug.contrib.fixers\n\n"
            "def wrap(app):\n    return werkzeug.contrib.fixers.ProxyFix(app)\n",
            "import werkzeug.middleware.proxy_fix\n\n"
            "def wrap(app):\n    return werkzeug.middleware.proxy_fix.ProxyFix(app)\n",
        ),
        # inside a function the other module's import goes on the next line
        Example(
            "def save(f):\n    from werkzeug import secure_filename, FileStorage\n"
            "    return secure_filename(f.filename), FileStorage\n",
            "def save(f):\n    from werkzeug.utils import secure_filename\n"
            "    from werkzeug.datastructures import FileStorage\n"
            "    return secure_filename(f.filename), FileStorage\n",
        ),
        # renamed: every use follows
        Example(
            "from werkzeug.wrappers import BaseResponse\n\n"
            "class JSONResponse(BaseResponse):\n    pass\n",
            "from werkzeug.wrappers import Response\n\n"
            "class JSONResponse(Response):\n    pass\n",
        ),
        # cachelib is a new requirement: reported
        Example("from werkzeug.contrib.cache import SimpleCache\n\ncache = SimpleCache()\n", None),
    )
