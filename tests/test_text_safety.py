"""``escape_markdown``: user text reads as typed and never becomes a link (issue 15, point 5)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxcost.ui.markdown import escape_markdown

WORD_JOINER = "\u2060"
# What CommonMark does with a backslash before ASCII punctuation: drops it.
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown's autolink literals (GFM spec 6.9): "www." and a domain,
# "http://", "https://" or "ftp://", an e-mail address (with or without "mailto:").
AUTOLINK = re.compile(r"(?i)www\.[a-z0-9_-]|(?:https?|ftp)://|[a-z0-9._+-]+@[a-z0-9_-]+\.")


def _as_rendered(escaped: str) -> str:
    return _UNESCAPE.sub(r"\1", escaped)


@pytest.mark.parametrize(
    "text",
    [
        "https://login.example-evil.test/sso",
        "www.evil.test/reset",
        "WWW.Evil.Test",
        "mailto:boss@evil.test",
        "boss@evil.test",
        "ftp://files.evil.test",
        "&lt;b&gt;x&lt;/b&gt; &amp; &#60;",
        "<img src=x onerror=alert(1)>",
        "**bold** _it_ `code` [a](https://x.y) ![i](j) $x^2$ :smile: :material/home:",
    ],
)
def test_hostile_text_reads_as_typed_and_links_nothing(text: str) -> None:
    shown = _as_rendered(escape_markdown(text))
    assert shown.replace(WORD_JOINER, "") == text
    assert not AUTOLINK.search(shown)
    assert "&" not in escape_markdown(text).replace("\\&", "")


@given(st.text())
def test_any_text_round_trips_and_never_autolinks(text: str) -> None:
    shown = _as_rendered(escape_markdown(text))
    assert shown.replace(WORD_JOINER, "") == text.replace(WORD_JOINER, "")
    assert not AUTOLINK.search(shown)
