"""Imports that fixes add join existing statements the way a person would write them."""

from __future__ import annotations

import libcst as cst
import pytest

from flask_fix.imports import update_imports

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
        (  # no statement to join: a new one after the last import
            "import os\n\nx = 1\n",
            "import os\nfrom flask import jsonify\n\nx = 1\n",
        ),
        (  # a relative import of the same name is not flask's
            "from .flask import request\n",
            "from .flask import request\nfrom flask import jsonify\n",
        ),
    ],
)
def test_added_names_join_existing_from_imports(before, after):
    module = update_imports(cst.parse_module(before), JSONIFY, [])
    assert module.code == after


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
