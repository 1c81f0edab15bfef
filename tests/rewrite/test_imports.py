"""Imports that fixes add join existing statements the way a person would write them."""

from __future__ import annotations

import libcst as cst
import pytest

from flask_fix import fix_code
from flask_fix.rewrite.imports import update_imports
from flask_fix.index.project import index_from_sources

JSONIFY = [("flask", "jsonify", None)]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # isort order: capitals first
            "from flask import Flask, Response, make_response, request\n",
            "from flask import Flask, Response, jsonify, make_response, request\n",
        ),
        (  # case-insensitive order
            "from flask import abort, Flask, request\n",
            "from flask import abort, Flask, jsonify, request\n",
        ),
        (  # unsorted: appended
            "from flask import request, abort\n",
            "from flask import request, abort, jsonify\n",
        ),
        (  # one name per line with a trailing comma
            "from flask import (\n    Flask,\n    request,\n)\n",
            "from flask import (\n    Flask,\n    jsonify,\n    request,\n)\n",
        ),
        (  # already imported: nothing to do
            "from flask import jsonify, request\n",
            "from flask import jsonify, request\n",
        ),
        (  # no statement to join: a new one in the third-party section
            "import os\n\nx = 1\n",
            "import os\n\nfrom flask import jsonify\n\nx = 1\n",
        ),
        (  # a relative import of the same name is not flask's; local imports sort last
            "from .flask import request\n",
            "from flask import jsonify\n\nfrom .flask import request\n",
        ),
        (  # a line pushed past 88 characters is wrapped as isort and black wrap it
            "from flask import Blueprint, abort, redirect, render_template, request, session, url_for\n",
            (
                "from flask import (\n    Blueprint,\n    abort,\n    jsonify,\n    redirect,\n"
                "    render_template,\n    request,\n    session,\n    url_for,\n)\n"
            ),
        ),
        (  # ... one that was longer already is the project's style: left on one line
            "from flask import Blueprint, abort, redirect, render_template, request, session, url_for, g\n",
            (
                "from flask import Blueprint, abort, redirect, render_template, request, session, url_for, g, "
                "jsonify\n"
            ),
        ),
        (  # ... 88 characters still fit
            "from flask import Blueprint, abort, redirect, render_template, request, session\n",
            "from flask import Blueprint, abort, jsonify, redirect, render_template, request, session\n",
        ),
    ],
)
def test_added_names_join_existing_from_imports(before, after):
    module = update_imports(cst.parse_module(before), JSONIFY, [])
    assert module.code == after
    assert update_imports(cst.parse_module(after), JSONIFY, []).code == after


@pytest.mark.parametrize(
    ("before", "add", "after"),
    [
        (  # the standard library, in module order
            "import json\nimport sys\n\nfrom flask import Flask\n",
            ("os", None, None),
            "import json\nimport os\nimport sys\n\nfrom flask import Flask\n",
        ),
        (  # a section the block lacks comes first: the docstring's blank line goes above it
            '"""Views."""\n\nfrom flask import Flask\n\napp = Flask(__name__)\n',
            ("os", None, None),
            '"""Views."""\n\nimport os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n',
        ),
        (  # __future__ stays first
            "from __future__ import annotations\n\nfrom flask import Flask\n",
            ("os", None, None),
            "from __future__ import annotations\n\nimport os\n\nfrom flask import Flask\n",
        ),
        (  # third party, between two of its statements
            "import os\n\nfrom flask import Flask\nfrom wtforms import Form\n\nfrom shop import db\n",
            ("markupsafe", "Markup", None),
            (
                "import os\n\nfrom flask import Flask\nfrom markupsafe import Markup\n"
                "from wtforms import Form\n\nfrom shop import db\n"
            ),
        ),
        (  # a third-party section between the standard library and the project's own
            "import os\n\nfrom shop import db\n",
            ("flask", "jsonify", None),
            "import os\n\nfrom flask import jsonify\n\nfrom shop import db\n",
        ),
        (  # ... also where the block had no blank line between them
            "import os\nfrom shop import db\n",
            ("flask", "jsonify", None),
            "import os\n\nfrom flask import jsonify\n\nfrom shop import db\n",
        ),
        (  # `import x` before `from x import y` in a section; case does not count
            "from flask import Flask\n",
            ("markupsafe", None, None),
            "import markupsafe\nfrom flask import Flask\n",
        ),
        (  # comments above the first of a section stay with it, below a blank line
            "import os\n\n# the web framework\nfrom flask import Flask\n",
            ("click", None, None),
            "import os\n\nimport click\n\n# the web framework\nfrom flask import Flask\n",
        ),
        (  # a license header stays on top
            "# Copyright\nfrom flask import Flask\n",
            ("hmac", None, None),
            "# Copyright\nimport hmac\n\nfrom flask import Flask\n",
        ),
        (  # a dotted module, after the module it extends
            "import urllib\n\nfrom flask import Flask\n",
            ("urllib.parse", "quote", None),
            "import urllib\nfrom urllib.parse import quote\n\nfrom flask import Flask\n",
        ),
        (  # the last section: after the block, before the code
            "import os\nimport sys\n\n\ndef view():\n    pass\n",
            ("flask", "jsonify", None),
            "import os\nimport sys\n\nfrom flask import jsonify\n\n\ndef view():\n    pass\n",
        ),
        (  # no import block on top: one, a blank line above the code
            "x = 1\n",
            ("os", None, None),
            "import os\n\nx = 1\n",
        ),
        (  # ... two above a def, as isort and black have it
            "def view():\n    pass\n",
            ("os", None, None),
            "import os\n\n\ndef view():\n    pass\n",
        ),
        (  # ... below the docstring and a blank line; more blank lines above the code stay
            '"""Views."""\n\n\n\nclass View:\n    pass\n',
            ("os", None, None),
            '"""Views."""\n\nimport os\n\n\n\nclass View:\n    pass\n',
        ),
        (  # ... a comment stays with the code it is written above
            '"""Views."""\n# the view\ndef view():\n    pass\n',
            ("os", None, None),
            '"""Views."""\n\nimport os\n\n\n# the view\ndef view():\n    pass\n',
        ),
    ],
)
def test_new_statements_go_in_their_section(before, add, after):
    module = update_imports(cst.parse_module(before), [add], [], first_party={"shop"})
    assert module.code == after
    compile(module.code, "<fixed>", "exec")
    assert update_imports(cst.parse_module(after), [add], [], first_party={"shop"}).code == after


def test_an_unsorted_block_is_not_reordered():
    before = "from flask import Flask\nimport sys\nfrom wtforms import Form\nimport abc\n"
    module = update_imports(cst.parse_module(before), [("markupsafe", "Markup", None)], [])
    # joins the third-party statements (after flask), and moves nothing the user wrote
    assert module.code == (
        "from flask import Flask\nimport sys\nfrom markupsafe import Markup\n"
        "from wtforms import Form\nimport abc\n"
    )


def test_without_first_party_names_a_project_module_counts_as_third_party():
    before = "import os\n\nfrom shop import db\n"
    module = update_imports(cst.parse_module(before), JSONIFY, [])
    assert module.code == "import os\n\nfrom flask import jsonify\nfrom shop import db\n"


def test_unused_imports_are_removed_and_used_ones_kept():
    code = "import json\nfrom json import dumps\n\nx = json.loads('1')\n"
    module = update_imports(
        cst.parse_module(code), [], [("json", None, None), ("json", "dumps", None)]
    )
    assert module.code == "import json\n\nx = json.loads('1')\n"


def test_a_new_import_statement_in_a_module_indented_with_a_form_feed():
    # valid Python; LibCST detects the indent "\x0c    " and refuses to build the parser
    # config AddImportsVisitor asks for (found by tests/test_properties.py)
    code = "import json\n\n\ndef view():\n\x0c    return 1\n"
    module = update_imports(cst.parse_module(code), [("os", None, None)], [])
    assert module.code == "import json\nimport os\n\n\ndef view():\n\x0c    return 1\n"
    compile(module.code, "<fixed>", "exec")


def test_the_engine_sorts_the_project_s_own_modules_as_first_party():
    views = (
        "import json\n\nfrom shop.models import Item\n\n\n"
        "def items():\n    return json.dumps([i.name for i in Item.query])\n"
    )
    app = (
        "from flask import Flask\n\nfrom shop.views import items\n\n"
        "app = Flask(__name__)\napp.add_url_rule('/items', view_func=items)\n"
    )
    sources = {
        "shop/__init__.py": "",
        "shop/app.py": app,
        "shop/models.py": "class Item: ...\n",
        "shop/views.py": views,
    }
    index = index_from_sources(sources)
    result = fix_code(views, path="shop/views.py", select=("FLK101",), index=index)
    # `import json` went unused; flask is third party, before the project's `shop`
    assert result.source == (
        "from flask import jsonify\n\nfrom shop.models import Item\n\n\n"
        "def items():\n    return jsonify([i.name for i in Item.query])\n"
    )


def test_comments_are_never_lost_or_doubled():
    before = "import os\n\n# web\n\n# framework\nfrom flask import Flask\n"
    module = update_imports(cst.parse_module(before), [("click", None, None)], [])
    assert module.code == "import os\n\nimport click\n\n# web\n\n# framework\nfrom flask import Flask\n"
    removed = update_imports(
        cst.parse_module("import json\n\n# models\n\n# of the shop\nfrom shop import Item\n"),
        [],
        [("json", None, None)],
    )
    assert removed.code == "# models\n\n# of the shop\nfrom shop import Item\n"
