"""Helpers for the app tests that drive the app's widgets with Streamlit's AppTest."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Slider

from cxcost.ui.sidebar import LAZY_GROUPS, group_key


def slider_value(slider: Slider[Any]) -> float:
    """The number a one-value slider shows (Streamlit types a slider's value as one
    value or a range)."""
    value = slider.value
    assert isinstance(value, int | float), f"not a one-number slider: {value!r}"
    return value


def open_groups(at: AppTest, *names: str) -> AppTest:
    """Open sidebar groups (all of them without names), as a click on each would; runs the app.

    The sidebar draws a collapsed group's widgets only while it is open
    (``cxcost.ui.sidebar``), so a test that moves one opens its group first.
    """
    for name in names or LAZY_GROUPS:
        at.session_state[group_key(name)] = True
    return at.run()


class _Cells(HTMLParser):
    """The text of every header and data cell of an HTML table, unescaped, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_table_rows(body: str) -> list[list[str]]:
    """The rows of the HTML table(s) in ``body`` (an ``st.html`` element's), header first."""
    parser = _Cells()
    parser.feed(body)
    parser.close()
    return parser.rows


def media_file_id(url: str) -> str:
    """The file id in a media URL (``/media/<id>.<extension>``)."""
    return url.rsplit("/", 1)[1].split(".", 1)[0]


def downloaded(at: AppTest, key: str, media: dict[str, bytes]) -> bytes:
    """The bytes behind a download button, from the ``media`` fixture's store
    (a file written on click is stored under its placeholder id)."""
    proto = at.download_button(key=key).proto
    if proto.deferred_file_id:
        assert not proto.url, "a file written on click has no address before the click"
        return media[proto.deferred_file_id]
    return media[media_file_id(proto.url)]


class Upload:
    """What ``st.file_uploader`` returns for an uploaded file: a name, an id and the bytes."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.file_id = path.name
        self._data = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data
