"""Helpers for the app tests that drive the app's widgets with Streamlit's AppTest."""

from __future__ import annotations

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


def downloaded(at: AppTest, key: str, media: dict[str, bytes]) -> bytes:
    """The bytes behind a download button, from the ``media`` fixture's store."""
    url = at.download_button(key=key).proto.url
    return media[url.rsplit("/", 1)[1].split(".", 1)[0]]


class Upload:
    """What ``st.file_uploader`` returns for an uploaded file: a name, an id and the bytes."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.file_id = path.name
        self._data = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data
