"""Showing text from presets and links literally in Streamlit (no streamlit import here)."""

from __future__ import annotations

import re
from typing import Final

_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:/&])")
# GitHub-flavoured Markdown turns bare "https://...", "www.x.y" and "a@b.c" into
# links after the escapes are undone, in st.markdown and in widget labels alike.
# An invisible word joiner breaks each such pattern while the text reads the
# same: after the ":" of "://", after every "@", and inside "www." (a joiner
# after the dot would still be a valid domain character there).
_AUTOLINK_PARTS: Final = re.compile(r"(\\:(?=\\/\\/)|@|(?<=ww)(?=w\\\.))", re.IGNORECASE)
_WORD_JOINER: Final = "\u2060"


def escape_markdown(text: str) -> str:
    """Text from a preset or link, shown literally by ``st.markdown`` and widget labels.

    Every Markdown, HTML, LaTeX and entity control character is
    backslash-escaped, so a name like ``<img src=x onerror=alert(1)>``,
    ``**bold**`` or ``&lt;b&gt;`` shows as typed; an invisible word joiner
    (U+2060) in "://", after "@" and inside "www." keeps bare URLs and e-mail
    addresses from becoming links.

    Examples
    --------
    >>> escape_markdown("**A_B**")
    '\\\\*\\\\*A\\\\_B\\\\*\\\\*'
    >>> escape_markdown("www.x.no").replace("\\u2060", "^")
    'ww^w\\\\.x\\\\.no'
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK_PARTS.sub(lambda match: match.group() + _WORD_JOINER, escaped)
