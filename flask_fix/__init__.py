"""flask-fix: codemods that rewrite Flask applications toward documented practices."""

from .api import CodeResult, fix_code

__version__ = "0.1.0"
__all__ = ["CodeResult", "fix_code", "__version__"]
