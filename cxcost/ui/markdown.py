"""Showing text from presets and links literally in Streamlit (no streamlit import here)."""

from __future__ import annotations

import re
from typing import Final

_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:/])")


def escape_markdown(text: str) -> str:
    """Text from a preset or link, shown literally by ``st.markdown`` and widget labels.

    Every Markdown, HTML and LaTeX control character is backslash-escaped, so a
    name like ``<img src=x onerror=alert(1)>`` or ``**bold**`` shows as typed.

    Examples
    --------
    >>> escape_markdown("**A_B**")
    '\\\\*\\\\*A\\\\_B\\\\*\\\\*'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
