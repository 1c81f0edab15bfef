"""Run an example module as Python would import it, for the context rules' tests."""

from __future__ import annotations

import contextvars


def error_at_import(source: str) -> str | None:
    """Run a module in a fresh context (nothing pushed); the error's first line, None
    when it runs, "skipped" when a library it imports is not installed."""
    try:
        contextvars.Context().run(
            exec, compile(source, "example.py", "exec"), {"__name__": "__main__"}
        )
    except ModuleNotFoundError:
        return "skipped"
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None
