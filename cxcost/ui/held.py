"""A widget's default is the value the app holds for it, so a late browser cannot reset it.

Streamlit sends a widget's value from session state only in the run that changed it
(its "set value" flag); later runs send the widget's own default. A browser mounts a
widget once the code for its kind has loaded, which on a slow device can come after
the next run has arrived: it then starts from that default and sends it back with
its next rerun, over the value the app holds. A Norwegian browser opened the app in
English that way (the language radio's default was English; CI, and 3 of 6 sessions
with the page's CPU slowed 8x), and a Norwegian slider would have dropped to its
lowest position.

Every keyed widget whose value the app writes (a preset, a share link, the language,
a plan applied) is therefore drawn with its held value as its default. A widget's
identity in Streamlit is its key (``key_as_main_identity``), so a changed default
neither remounts it nor loses its state. ``tests/test_widget_defaults.py`` checks the
rule for every widget the app draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

import streamlit as st

T = TypeVar("T")


def held(key: str, fallback: T) -> T:
    """The value session state holds for widget ``key``, else ``fallback``."""
    value: Any = st.session_state.get(key)
    return fallback if value is None else cast(T, value)


def index_of(value: object, options: Sequence[object], fallback: int | None = 0) -> int | None:
    """The position of ``value`` among ``options``, else ``fallback`` (None: a select box
    shows its placeholder)."""
    return options.index(value) if value is not None and value in options else fallback


def held_index(key: str, options: Sequence[object], fallback: int | None = 0) -> int | None:
    """The position of the held value of ``key`` among ``options``, else ``fallback``."""
    return index_of(st.session_state.get(key), options, fallback)
