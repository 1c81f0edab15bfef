"""Which code a `try` guards, as FLK104 sees it (the tracking is shared by all rules)."""

from __future__ import annotations

import textwrap

import pytest

from flask_fix import fix_code

HEADER = "import json\nfrom flask import request\n\n"


def rewritten(body: str) -> bool:
    source = HEADER + textwrap.dedent(body)
    return fix_code(source, select=("FLK104",)).source != source


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # guarded: the handler catches what json.loads raises
            """
            def view():
                try:
                    return json.loads(request.data)
                except ValueError:
                    return None
            """,
            False,
        ),
        (  # a handler for something else does not guard it
            """
            def view():
                try:
                    return json.loads(request.data)
                except KeyError:
                    return None
            """,
            True,
        ),
        (  # code in the handler itself is not guarded by it
            """
            def view():
                try:
                    pass
                except ValueError:
                    return json.loads(request.data)
            """,
            True,
        ),
        (  # a try around a def does not guard what the body runs later
            """
            try:
                def view():
                    return json.loads(request.data)
            except ValueError:
                view = None
            """,
            True,
        ),
        (  # nested tries: an outer handler still guards the inner body
            """
            def view():
                try:
                    try:
                        return json.loads(request.data)
                    except KeyError:
                        return None
                except Exception:
                    return None
            """,
            False,
        ),
        (  # an unresolvable handler name counts as catching
            """
            def view():
                try:
                    return json.loads(request.data)
                except SomethingImported:
                    return None
            """,
            False,
        ),
    ],
)
def test_guarded_code(body, expected):
    assert rewritten(body) is expected
