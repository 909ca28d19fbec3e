"""The Streamlit app: widgets, tabs and their wiring. The only package that imports streamlit.

``main`` is imported when first asked for, so that ``cxcost.ui.warm`` (imported
before the server listens) does not import the whole app.
"""

from __future__ import annotations

from typing import Any

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from cxcost.ui.app import main

        return main
    raise AttributeError(f"module 'cxcost.ui' has no attribute {name!r}")
