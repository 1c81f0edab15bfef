"""flask-fix: codemods that rewrite Flask applications toward documented practices."""

__version__ = "0.1.0"  # before the imports: flask_fix.cache keys its entries by it

from .api import CheckReport, CodeResult, check_paths, fix_code  # noqa: E402

__all__ = ["CheckReport", "CodeResult", "check_paths", "fix_code", "__version__"]
