"""Every widget the app draws has, as its default, the value the app holds for it
(``cxcost.ui.held``).

A browser that mounts a widget late (its kind's code still loading on a slow device)
starts from the widget's default and sends that back over the held value: a
Norwegian browser opened the app in English (CI; 3 of 6 sessions with the page's CPU
slowed 8x). These tests read what a browser would start from in every widget of
the whole app (every sidebar group open, every tab) and compare it with the value
held, for a default session in each language, a share link, and a session whose
held values the user or a plan has changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import (
    Checkbox,
    NumberInput,
    Radio,
    Selectbox,
    SelectSlider,
    Slider,
    TextArea,
    TextInput,
    Toggle,
    Widget,
)
from widgets import open_groups

from cxcost.i18n import t
from cxcost.presets import LINK_PARAM, encode_link, load_preset
from cxcost.ui.app import LANGUAGE_KEY, LANGUAGE_PARAM, PRESET_KEY, TAB_KEYS, TABS_KEY
from cxcost.ui.fields import widget_key
from cxcost.ui.overview import MIN_SERVICE_LEVEL_KEY
from cxcost.ui.pending import STAGE_KEY
from cxcost.ui.staffing import CHANNEL_KEY, TARGET_KEY
from cxcost.ui.uncertainty import SOURCE_KEY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CHECKED = (
    "radio",
    "selectbox",
    "select_slider",
    "slider",
    "checkbox",
    "toggle",
    "number_input",
    "text_input",
    "text_area",
)
"""The kinds of widget whose value the app holds (buttons and uploaders hold none)."""


def _optional(proto: Any) -> Any:
    return proto.default if proto.HasField("default") else None


def browser_start(widget: Widget) -> object:
    """What a browser that mounts ``widget`` afresh shows: its default, as displayed."""
    proto: Any = widget.proto
    if isinstance(widget, Radio | Selectbox):
        index = _optional(proto)
        return None if index is None else widget.options[index]
    if isinstance(widget, SelectSlider):
        return [widget.options[int(index)] for index in proto.default]
    if isinstance(widget, Slider):
        return [float(value) for value in proto.default]
    if isinstance(widget, Checkbox | Toggle):
        return bool(proto.default)
    if isinstance(widget, NumberInput | TextInput | TextArea):
        return _optional(proto)
    raise TypeError(type(widget).__name__)


def held_value(widget: Widget) -> object:
    """The value the app holds for ``widget``, in the same form as ``browser_start``."""
    state = widget._widget_state
    if isinstance(widget, Radio | Selectbox):
        index = widget.index
        return None if index is None else widget.options[index]
    if isinstance(widget, SelectSlider):
        return list(state.string_array_value.data)
    if isinstance(widget, Slider):
        return [float(value) for value in state.double_array_value.data]
    return widget.value


def _widgets(at: AppTest) -> list[Widget]:
    return [widget for kind in CHECKED for widget in at.get(kind) if isinstance(widget, Widget)]


def late_mount_resets(at: AppTest) -> list[str]:
    """Each widget that a late browser would reset: key, its default, the held value."""
    return [
        f"{widget.key}: default {browser_start(widget)!r}, held {held_value(widget)!r}"
        for widget in _widgets(at)
        if browser_start(widget) != held_value(widget)
    ]


def resets_on_every_tab(at: AppTest) -> tuple[list[str], set[str]]:
    """``late_mount_resets`` with each tab open in turn; and the kinds of widget read."""
    language = at.session_state[LANGUAGE_KEY]
    resets: list[str] = []
    kinds: set[str] = set()
    for key in TAB_KEYS:
        at.session_state[TABS_KEY] = t(key, language)
        at.run()
        assert not at.exception
        resets += [f"{key}: {reset}" for reset in late_mount_resets(at)]
        kinds |= {type(widget).__name__ for widget in _widgets(at)}
    return resets, kinds


def _whole_page(at: AppTest) -> AppTest:
    """The app run until a session's first page is whole, with every sidebar group open."""
    at.run()
    while at.session_state[STAGE_KEY] < 2:
        at.run()
    at = open_groups(at)
    assert not at.exception
    return at


def _app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    return _whole_page(at)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_no_widget_of_a_new_session_starts_from_another_value(language: str) -> None:
    at = _app(**{LANGUAGE_PARAM: language})
    assert at.session_state[LANGUAGE_KEY] == language
    assert len(_widgets(at)) > 80
    resets, kinds = resets_on_every_tab(at)
    # The check read every kind: English sliders, Norwegian listed ones, and the rest.
    slider = "Slider" if language == "en" else "SelectSlider"
    assert {slider, "Radio", "Selectbox", "NumberInput", "TextInput", "TextArea"} <= kinds
    assert resets == []


def test_no_widget_of_a_shared_scenario_starts_from_another_value() -> None:
    shared = load_preset("no-bank").model_copy(update={"name": "Delt scenario"})
    at = _app(**{LINK_PARAM: encode_link(shared), LANGUAGE_PARAM: "nb"})
    assert at.session_state[PRESET_KEY] is None  # no preset: the select box's placeholder
    assert at.title[0].value == t("app.title", "nb")
    assert resets_on_every_tab(at)[0] == []


def test_values_a_user_changed_are_the_defaults_of_the_next_run() -> None:
    at = _app()
    at.session_state[TABS_KEY] = t("tab.staffing", "en")
    at.run()
    at.radio(key=CHANNEL_KEY).set_value(1)
    at.slider(key=TARGET_KEY).set_value(90)
    at.slider(key=widget_key("channels.0.representatives")).set_value(31.0)
    at.text_input(key=widget_key("name")).input("Our shop")
    at.run()
    at.session_state[TABS_KEY] = t("tab.uncertainty", "en")
    at.session_state[MIN_SERVICE_LEVEL_KEY] = 80.0
    at.run()
    at.radio(key=SOURCE_KEY).set_value("baseline").run()
    assert not at.exception
    assert resets_on_every_tab(at)[0] == []
    at.radio(key=LANGUAGE_KEY).set_value("nb").run()
    assert resets_on_every_tab(at)[0] == []
    at.session_state[TABS_KEY] = t("tab.staffing", "nb")
    at.run()
    assert at.radio(key=CHANNEL_KEY).value == 1
    assert at.slider(key=TARGET_KEY).value == 90
    assert at.select_slider(key=widget_key("channels.0.representatives")).value == 31.0


def _one_radio() -> None:
    import streamlit as st

    if "choice" not in st.session_state:
        st.session_state["choice"] = "b"
    st.radio("Choice", ["a", "b"], key="choice")


def test_the_check_sees_a_widget_drawn_without_its_held_value() -> None:
    at = AppTest.from_function(_one_radio).run()
    assert at.radio[0].value == "b"
    assert late_mount_resets(at) == ["choice: default 'a', held 'b'"]
