"""Compacted facts: equal strings shared across modules, empty containers shared, and
the same index built from them."""

from __future__ import annotations

import ast
import pickle
from dataclasses import dataclass, field
from textwrap import dedent

import pytest

from flask_fix.index.compact import EMPTY_FROZENSET, FactsCompactor
from flask_fix.index.project import build_index, module_facts
from flask_fix.index.facts import ImportedName, ModuleFacts

PROJECT = {
    "shop/__init__.py": """\
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy(app)

        from shop import views
        """,
    "shop/views.py": """\
        from flask import Blueprint, jsonify
        from flask.views import MethodView
        from shop import app, db

        shop = Blueprint("shop", __name__, url_prefix="/shop")

        @app.route("/items", methods=["GET", "POST"])
        def items():
            return jsonify(db.session.query(1).all())

        class Cart(MethodView):
            def get(self):
                return "cart"

        shop.add_url_rule("/cart", view_func=Cart.as_view("cart"))
        app.register_blueprint(shop)
        """,
    "shop/models.py": """\
        from shop import db

        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
}


def scanned_facts() -> list[ModuleFacts]:
    """The project's facts as the parent receives them from the workers: unpickled."""
    facts = []
    for path, text in PROJECT.items():
        module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        found = module_facts(path, module, ast.parse(dedent(text), filename=path))
        facts.append(pickle.loads(pickle.dumps(found)))
    return facts


def test_the_same_index_is_built_from_compacted_facts():
    compact = FactsCompactor().compact
    assert build_index([compact(f) for f in scanned_facts()]) == build_index(scanned_facts())


def test_compacted_facts_equal_the_originals_and_share_equal_strings():
    originals = scanned_facts()
    compact = FactsCompactor().compact
    compacted = [compact(f) for f in scanned_facts()]
    # the `flask` of every `from flask import ...` is one object, unpickled ones are not
    def flask_modules(facts: list[ModuleFacts]) -> set[int]:
        return {id(i.module) for f in facts for i in f.imports if i.module == "flask"}

    assert len(flask_modules(originals)) == 2  # one per module importing from flask
    assert len(flask_modules(compacted)) == 1
    assert [plain(f) for f in compacted] == [plain(f) for f in originals]


def plain(value: object) -> object:
    """`value` with lists and tuples alike, and sets and frozensets alike: equal for facts
    and their compacted copies (which turn an empty list into `()`)."""
    if isinstance(value, (list, tuple)):
        return ("sequence", [plain(item) for item in value])
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(repr(plain(item)) for item in value))
    if isinstance(value, dict):
        return ("dict", {key: plain(item) for key, item in value.items()})
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, [plain(getattr(value, f)) for f in value.__dataclass_fields__])
    return value


def test_empty_lists_and_sets_become_shared_immutable_ones():
    facts = scanned_facts()[2]  # shop/models.py: no app, route or blueprint
    assert facts.apps == [] and facts.routes == [] and facts.app_factories == set()
    FactsCompactor().compact(facts)
    assert facts.apps == () and facts.routes == ()
    assert facts.app_factories is EMPTY_FROZENSET
    with pytest.raises(AttributeError):
        facts.routes.append("a write would reach every module")  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Frozen:
    name: str
    parts: tuple[str, ...]


@dataclass(slots=True)
class Holder:
    items: list = field(default_factory=list)
    by_name: dict = field(default_factory=dict)
    names: set = field(default_factory=set)
    frozen: frozenset = frozenset()
    count: int = 0


def test_nested_containers_and_frozen_objects_are_compacted():
    compact = FactsCompactor().compact
    first = Holder([Frozen("a.b" + "", ("x" * 40, "y"))], {"k" * 30: ["v" * 30]}, {"s" * 30})
    second = Holder([Frozen("a.b", ("x" * 40,))], {"k" * 30: []}, set(), frozenset(), 3)
    compact(first)
    compact(second)
    assert first.items[0].parts[0] is second.items[0].parts[0]
    assert next(iter(first.by_name)) is next(iter(second.by_name))
    assert first.by_name == {"k" * 30: ["v" * 30]} and second.by_name == {"k" * 30: ()}
    assert first.names == {"s" * 30}
    assert second.names is EMPTY_FROZENSET and second.frozen is EMPTY_FROZENSET
    assert second.count == 3
    assert ImportedName("a", "b", None) == compact(ImportedName("a", "b", None))
