"""names answers `qualified_name` and `import_binding` without ScopeProvider where one
walk of the module shows the answer cannot depend on scopes (names._Bindings). On every
name and dotted attribute of each module below, the fast path, where it answers, must
give LibCST's own answer; and on the look-alikes it must leave the question to LibCST."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from flask_fix.index.project import ProjectIndex
from flask_fix.rewrite import names
from flask_fix.rewrite.base import RuleContext


class _Everything(cst.BatchableCSTVisitor):
    """Every Name and Attribute of the module, asked both ways at the end."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.context = RuleContext("m.py", ProjectIndex(), module)
        self.nodes: list[cst.CSTNode] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.nodes.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.nodes.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        self.rows = []
        for node in self.nodes:
            code = cst.Module([]).code_for_node(node)
            scope = self.get_metadata(ScopeProvider, node, None)
            slow = set(scope.get_qualified_names_for(node)) if scope is not None else set()
            fast = names._known_names(self, node)
            found = names._root_name(self, node) if isinstance(node, cst.Name) else None
            only = names._only_import(found[0], node.value) if found else None
            bindings = (_binding(self, node), _without_fast_path(_binding, self, node))
            self.rows.append((code, slow, fast, bindings, only))


def _binding(rule, node):
    """import_binding's and qualified_name's answers, only_binding's and
    reaching_assignments' as (kind, kind of scope, node)."""
    if not isinstance(node, cst.Name):
        return names.import_binding(rule, node), names.qualified_name(rule, node), None, None
    one = names.only_binding(rule, node)
    reaching = names.reaching_assignments(rule, node)
    return (
        names.import_binding(rule, node),
        names.qualified_name(rule, node),
        _kinds(one) if one else None,
        None if reaching is None else sorted(map(_kinds, reaching), key=repr),
    )


def _kinds(binding):
    return type(binding), type(binding.scope), getattr(binding, "node", None)


def _without_fast_path(function, *args):
    keep = names._facts
    names._facts = lambda *_: None
    try:
        return function(*args)
    finally:
        names._facts = keep


def ask(source: str) -> list[tuple]:
    module = cst.parse_module(dedent(source).lstrip("\n"))
    visitor = _Everything(module)
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([visitor])
    for code, slow, fast, (fast_binding, slow_binding), _ in visitor.rows:
        if fast is not None:
            assert fast == slow, code
        assert fast_binding == slow_binding, code
    return visitor.rows


def fast_answers(source: str, spelled: str) -> list[str | None]:
    """For each node spelled `spelled`: the fast path's one name, 'LibCST' when it leaves
    the question to LibCST."""
    found = []
    for code, _slow, fast, *_ in ask(source):
        if code == spelled:
            found.append("LibCST" if fast is None else ",".join(sorted(q.name for q in fast)))
    return found


CLEAN = """
    '''A view module.'''
    import json
    from flask import request, jsonify as to_json
    import flask
    import os.path as osp

    def view():
        data = json.loads(request.data)
        flask.abort(404) if not data else None
        return to_json(osp.join("a", "b"), open)

    class API:
        def get(self):
            return [request.args for _ in range(3)]
"""


def test_names_bound_once_by_a_top_level_import_need_no_scope_analysis():
    # the import's own names are not reads: no scope, no name ('')
    assert fast_answers(CLEAN, "request") == ["", "flask.request", "flask.request"]
    assert fast_answers(CLEAN, "json.loads") == ["json.loads"]
    assert fast_answers(CLEAN, "request.data") == ["flask.request.data"]
    assert fast_answers(CLEAN, "to_json") == ["", "flask.jsonify"]
    assert fast_answers(CLEAN, "osp.join") == ["os.path.join"]
    assert fast_answers(CLEAN, "flask.abort") == ["flask.abort"]
    # builtins, bound nowhere in the module
    assert fast_answers(CLEAN, "open") == ["builtins.open"]
    assert fast_answers(CLEAN, "range") == ["builtins.range"]
    # bound in the module otherwise: LibCST's
    assert fast_answers(CLEAN, "data") == ["LibCST", "LibCST", "LibCST"]


@pytest.mark.parametrize(
    ("source", "spelled"),
    [
        # a parameter named request
        ("from flask import request\ndef view(request):\n    return request.args\n", "request"),
        ("from flask import request\nf = lambda request: request.args\n", "request"),
        # a local `json = ...`, a module-level one, a tuple target
        ("import json\ndef f():\n    json = other()\n    return json.dumps(1)\n", "json"),
        ("import json\njson = other()\njson.dumps(1)\n", "json"),
        ("import json\na, *json = x\njson.dumps(1)\n", "json"),
        # a class attribute
        ("import json\nclass A:\n    json = None\n    x = json\n", "json"),
        # a comprehension variable, a for target, with/except targets, a walrus
        ("from flask import request\n[request for request in x]\n", "request"),
        ("from flask import request\nfor request in x:\n    request.args\n", "request"),
        ("import json\nwith f() as json:\n    json.x\n", "json"),
        ("import json\ntry:\n    pass\nexcept E as json:\n    json.x\n", "json"),
        ("import json\nif (json := f()):\n    json.x\n", "json"),
        # a def or class of that name
        ("import json\ndef json():\n    pass\njson()\n", "json"),
        # global, nonlocal, del
        ("import json\ndef f():\n    global json\n    json.x\n", "json"),
        ("import json\ndef f():\n    json.x\ndel json\n", "json"),
        # conditional imports in try/except, if
        (
            "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n"
            "json.dumps(1)\n",
            "json",
        ),
        # an import inside a function
        ("def f():\n    import json\n    return json.dumps(1)\n", "json"),
        # bound twice by imports
        ("import json\nfrom flask import json\njson.dumps(1)\n", "json"),
        # a dotted import binds the package and the dotted name
        ("import os.path\nos.path.join(a)\nos.getcwd()\n", "os"),
        # read before the import (LibCST: not that import)
        ("json.dumps(1)\nimport json\n", "json"),
        ("def f():\n    return json.dumps(1)\nimport json\n", "json"),
        ("import json; json.dumps(1)\n", "json"),
    ],
)
def test_shadowing_look_alikes_go_to_libcst(source, spelled):
    # '': a part of an import statement (no scope, no name)
    assert set(fast_answers(source, spelled)) - {""} == {"LibCST"}


def test_a_star_import_binds_nothing_for_libcst_and_for_the_fast_path():
    source = "from flask import *\nfrom flask import request\nrequest.args\nabort(404)\n"
    assert fast_answers(source, "request.args") == ["flask.request.args"]
    assert fast_answers(source, "abort") == [""]  # bound by nothing LibCST sees


def test_imports_run_in_the_module_scope_inside_blocks():
    source = (
        "try:\n    from flask import request\nexcept ImportError:\n    pass\n"
        "if TYPE_CHECKING:\n    import json\n"
        "request.args\ndef f():\n    return json.dumps(1)\n"
    )
    assert fast_answers(source, "request.args") == ["flask.request.args"]
    assert fast_answers(source, "json.dumps") == ["json.dumps"]
    # inside the statement holding the import: LibCST's
    source = "try:\n    import json\n    json.dumps(1)\nexcept ImportError:\n    pass\n"
    assert fast_answers(source, "json.dumps") == ["LibCST"]


def test_chains_through_calls_and_subscripts_are_looked_up_by_their_first_name():
    source = "from models import Node\nNode.query.get(1).name\nNode.items[0].x\n'a'.join\n"
    assert fast_answers(source, "Node.query.get(1).name") == ["models.Node.query.get.name"]
    assert fast_answers(source, "Node.items[0].x") == ["models.Node.items.x"]
    assert fast_answers(source, "'a'.join") == ["builtins.None"]  # LibCST's own reading


@pytest.mark.parametrize(
    "source",
    [
        CLEAN,
        # names a scope analysis does not see as names: attributes, keywords, imports
        "import json\nx.json\nf(json=1)\nfrom a import json as j\n",
        "from flask import request\nclass A(Base, metaclass=request):\n    pass\n",
        # a module using a name before, and after, a later import
        "x = json\nimport json\ny = json\ndef f():\n    return json\n",
        # builtins shadowed, and names bound nowhere at all
        "open = None\nopen()\nundefined_name.x\n__name__\n",
        # decorators, defaults and annotations are read in the enclosing scope
        "from flask import request\n@request.route('/')\ndef v(a: request = request):\n"
        "    pass\n",
        # string annotations, typing.cast
        "import typing\nfrom flask import Flask\ndef f(a: 'Flask') -> 'typing.List[Flask]':\n"
        "    return typing.cast('Flask', a)\n",
        # relative imports, __future__
        "from __future__ import annotations\nfrom . import views\nfrom .models import db\n"
        "views.x\ndb.session\n",
        # match statements are left to LibCST entirely
        "import json\nmatch json.x:\n    case {'a': json}:\n        pass\n",
    ],
)
def test_the_fast_path_and_libcst_agree_on_every_name(source):
    ask(source)


def test_import_binding_fast_path_is_the_import():
    rows = ask("from flask.json import dumps as d\nimport json\nd(json.loads(x))\n")
    found = {code: (bindings[0][0], only) for code, _s, _f, bindings, only in rows}
    assert found["d"][0] == ("flask.json", "dumps", "d")
    assert found["json.loads"][0] == ("json", None, None)
    assert found["json"][1] is not None  # answered without LibCST


def test_scope_analysis_is_resolved_only_when_a_rule_asks():
    from flask_fix.rewrite.base import Rule

    class _Asks(Rule):
        """Asks about every dotted attribute, as rules ask about `request.args`."""

        code = "FLK000"
        name = "asks"
        METADATA_DEPENDENCIES = (ScopeProvider,)

        def __init__(self, context: RuleContext) -> None:
            super().__init__(context)
            self.found: list[str | None] = []

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self.found.append(names.qualified_name(self, node))

    def run(source: str) -> tuple[list[str | None], bool]:
        module = cst.parse_module(source)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        rule = _Asks(RuleContext("m.py", ProjectIndex(), module))
        wrapper.visit_batched([rule])
        return rule.found, ScopeProvider in wrapper._metadata

    assert run("from flask import request\nrequest.args\n") == (["flask.request.args"], False)
    # a parameter named request: LibCST answers, resolved on that first question
    assert run("from flask import request\ndef v(request):\n    request.args\n") == (
        [None],
        True,
    )
