"""flask-fix: codemods that rewrite Flask applications toward documented practices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__  # flask_fix.run.cache keys its entries by it

__all__ = ["CheckReport", "CodeResult", "check_paths", "fix_code", "__version__"]

if TYPE_CHECKING:
    from .api import CheckReport, CodeResult, check_paths, fix_code


def __getattr__(name: str) -> object:
    """The public API (flask_fix.api), loaded on first use: it loads LibCST and every
    rule, which the command line must not pay for when it needs neither (--list-rules,
    a run the cache replays)."""
    if name in ("CheckReport", "CodeResult", "check_paths", "fix_code"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
