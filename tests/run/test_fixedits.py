"""Each finding's edits (flask_fix.run.fixedits) give exactly the text its fix alone gives
when applied to the whole module (engine.apply_fixes), and textdiff.edits_between's
shortcut matches difflib's own matching."""

from __future__ import annotations

import difflib
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_fix.codemods import python_rules, select_rules
from flask_fix.index import project
from flask_fix.index.project import ProjectIndex
from flask_fix.model import Edit, FixLevel
from flask_fix.output.textdiff import _common_prefix, _position, edits_between, split_lines
from flask_fix.rewrite.base import Fix, Rule, RuleContext
from flask_fix.run.engine import _run_rules, apply_fixes, fix_source
from flask_fix.run.fixedits import FixEdits
from flask_fix.run.parsing import parse_module

RULES = python_rules(select_rules())
ROOT = Path(__file__).resolve().parents[2]


def _examples() -> list[str]:
    sources = [getattr(e, "before", e) for rule in RULES for e in (*rule.invalid, *rule.valid)]
    for folder in ("samples", "tests/fixtures"):
        sources += [p.read_text() for p in sorted((ROOT / folder).rglob("*.py"))]
    return sources


def _both_ways(source: str, rules=RULES) -> list[tuple[str, str]]:
    """(apply_fixes's code, FixEdits's code) for every fix the rules find in `source`."""
    data = source.encode()
    index = project.one_module_index("m.py", "m", parse_module(data, "m.py"), data)
    module = cst.parse_module(data)
    reports, wrapper = _run_rules(module, rules, RuleContext(path="m.py", index=index))
    fixes = [r.fix for r in reports if r.fix is not None]
    first_party = frozenset({"m"})
    fast = FixEdits(module, wrapper, fixes, first_party)
    assert fast.code == module.code
    return [(apply_fixes(module, [f], first_party).code, fast.fixed_code(f)) for f in fixes]


def test_every_rule_example_and_sample_gives_the_same_fixed_code():
    pairs = [pair for source in _examples() for pair in _both_ways(source)]
    assert len(pairs) > 50  # the examples do hold fixes
    for whole, fast in pairs:
        assert fast == whole


class _JsonDumps(Rule):
    """`json.dumps(x)` -> `dumps(x)`, freeing `import json` (a test rule)."""

    code, name, fix_level, summary = "FLK995", "test-json", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == "json"
        ):
            new = node.with_changes(func=cst.Name("dumps"))
            fix = Fix(
                {node: new},
                add_imports=(("json", "dumps", None),),
                remove_unused_imports=(("json", None, None),),
            )
            self.report(node, "dumps", fix=fix)


class _Shadow(Rule):
    """Replaces `pass` by `json = 1` (a binding of the freed name) and frees json."""

    code, name, fix_level, summary = "FLK996", "test-shadow", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Pass(self, node: cst.Pass) -> None:
        new = cst.parse_statement("json = 1").body[0]
        self.report(node, "shadow", fix=Fix({node: new}, remove_unused_imports=(("json", None, None),)))


@pytest.mark.parametrize(
    "source",
    [
        # json still used elsewhere: kept, without the visitor
        "import json\n\n\ndef f(x):\n    return json.dumps(x)\n\n\ny = json.loads('1')\n",
        # the fix takes its last use: removed, by the visitor
        '"""Doc."""\nimport json\nimport os\n\nprint(json.dumps(os.sep))\n',
        # two uses, each a finding of its own: each fix alone keeps the import
        "import json\na = json.dumps(1)\nb = json.dumps(2)\n",
        # a use only inside a nested import's function
        "def f():\n    import json\n    return json.dumps(1)\n\n\nimport json\nz = json\n",
        # exported through __all__
        "import json\n__all__ = ['json']\nv = json.dumps(1)\n",
        # no trailing newline
        "import json\nv = json.dumps(1)",
    ],
)
def test_freed_imports_as_the_visitor_has_them(source):
    for whole, fast in _both_ways(source, [_JsonDumps]):
        assert fast == whole


def test_a_fix_binding_the_freed_name_runs_the_visitor():
    source = "import json\n\n\ndef f():\n    pass\n    return json\n"
    pairs = _both_ways(source, [_Shadow])
    assert pairs and all(fast == whole for whole, fast in pairs)
    assert "import json" not in pairs[0][0]  # the local binding frees the import


def test_engine_edits_apply_to_the_fix_alone():
    source = b"import json\na = json.dumps(1)\nb = json.dumps(2)\n"
    result = fix_source(source, "m.py", [_JsonDumps], ProjectIndex(), want_edits=True, apply=False)
    texts = [_apply(source.decode(), f.edits) for f in result.findings]
    assert texts == [
        "import json\nfrom json import dumps\na = dumps(1)\nb = json.dumps(2)\n",
        "import json\nfrom json import dumps\na = json.dumps(1)\nb = dumps(2)\n",
    ]


def _apply(text: str, edits) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for e in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        start = offsets[e.line - 1] + e.column - 1
        end = offsets[e.end_line - 1] + e.end_column - 1
        text = text[:start] + e.content + text[end:]
    return text


def _difflib_edits(old: str, new: str) -> tuple[Edit, ...]:
    """edits_between as it was: SequenceMatcher over the whole of both texts."""
    a, b = split_lines(old), split_lines(new)
    edits = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        head = _common_prefix(before, after)
        tail = _common_prefix(before[head:][::-1], after[head:][::-1])
        start = _position(a, i1, before[:head])
        end = _position(a, i1, before[: len(before) - tail])
        edits.append(Edit(*start, *end, after[head : len(after) - tail]))
    return tuple(edits)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a blank line added beside a blank line: the longer tail takes the shared one
        ("a\nb\n\nc\nd\ne\n", "a\nb\n\n\nc\nd\ne\n"),
        # the same near the end: the longer head takes it
        ("a\nb\nc\nd\n\ne\n", "a\nb\nc\nd\n\n\ne\n"),
        # head and tail as long
        ("a\n\nb\n", "a\n\n\nb\n"),
        # two changes far apart, equal lines between them
        ("x = 1\n" + "p\n" * 5 + "y = 2\nz\n", "x = 10\n" + "p\n" * 5 + "y = 20\nz\n"),
        # a run reaching into the head through a blank line (flask-admin's appengine app)
        ("\nA\nB\nC\n\nx = 1\n" + "t\n" * 20, "\nimport os\n\nA\nB\nC\n\nx = 2\n" + "t\n" * 20),
        # lines removed, lines added at both ends
        ("a\nb\nc\n", "b\n"),
        ("b\n", "a\nb\nc\n"),
        ("", "a\n"),
        ("a", "a\n"),
    ],
)
def test_edits_match_difflib(old, new):
    assert edits_between(old, new) == _difflib_edits(old, new)
    assert _apply(old, edits_between(old, new)) == new


_lines = st.lists(st.sampled_from(["a\n", "b\n", "\n", "    c\n", "d = 1\n"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_lines, st.integers(0, 30), st.integers(0, 3), _lines.map(lambda ls: ls[:3]))
def test_edits_give_the_new_text(lines, at, cut, insert):
    old = "".join(lines)
    new = "".join(lines[:at] + insert + lines[at + cut :])
    assert _apply(old, edits_between(old, new)) == new
