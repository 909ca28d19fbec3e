"""The lighter page (issue 16): closed sidebar groups draw no widgets and keep their
values; a session's first page has its numbers at once, its sidebar's inputs one run
later and its charts one run after that."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from widgets import open_groups, slider_value

from cxcost.i18n import t
from cxcost.presets import DEFAULT_PRESET, LINK_PARAM, encode_link, load_preset
from cxcost.scenario import Scenario
from cxcost.ui.app import LANGUAGE_KEY, TAB_KEYS
from cxcost.ui.fields import PROFILE_KEY, PROFILE_VALUE_KEY, bound_fields, widget_key
from cxcost.ui.overview import CONSTRAINTS_KEY, MIN_SERVICE_LEVEL_KEY, OPTIMIZE_KEY
from cxcost.ui.sidebar import group_key

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MARGIN = widget_key("business.gross_margin")
REPS = widget_key("channels.0.representatives")
DRAWING = f"⏳ {t('app.drawing', 'en')}"
DRAWING_INPUTS = f"⏳ {t('app.drawing_inputs', 'en')}"


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def _keys(at: AppTest) -> set[str]:
    """The keys of the sidebar's elements that have one."""
    return {key for node in at.sidebar if isinstance(key := getattr(node, "key", None), str)}


def _subheaders(at: AppTest) -> list[str]:
    return [h.value for h in at.main.subheader]


def _shown(at: AppTest) -> Scenario:
    """The scenario the page priced, as the scenario file would save it."""
    return Scenario.model_validate_json(at.session_state["_last_valid_json"])


def test_closed_groups_draw_no_widgets_and_open_ones_draw_all() -> None:
    at = _app()
    fields = bound_fields(load_preset(DEFAULT_PRESET))
    closed = {
        f.key
        for f in fields
        if f.spec.group in {"business", "quality", "uncertainty"}
        or f.spec.mix  # the channel mix
        or (f.spec.group == "staffing" and f.channel_index is None)  # pay, hours, rosters
    }
    assert closed
    assert not closed & _keys(at)
    assert widget_key("name") not in _keys(at)  # the scenario's words
    # Open from the start: the levers a manager moves.
    assert {REPS, widget_key("training.hours_per_rep_per_year")} <= _keys(at)
    open_groups(at)
    assert not at.exception
    assert {f.key for f in fields} <= _keys(at)


def test_a_value_set_in_a_group_survives_closing_it_and_prices_the_scenario() -> None:
    at = open_groups(_app(), "business")
    margin = at.slider(key=MARGIN)
    moved = slider_value(margin) + 7
    margin.set_value(moved).run()
    headline = [m.value for m in at.metric]
    at.session_state[group_key("business")] = False
    at.run()
    assert not at.exception
    assert MARGIN not in _keys(at)
    assert at.session_state[MARGIN] == moved
    assert _shown(at).business.gross_margin == moved / 100
    # Another input moves while the group is closed: the margin still counts.
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 1).run()
    assert _shown(at).business.gross_margin == moved / 100
    assert [m.value for m in at.metric] != headline
    open_groups(at, "business")
    assert slider_value(at.slider(key=MARGIN)) == moved


def _edit_profile(at: AppTest) -> list[float]:
    """Give the page an edited profile, as the open table last gave it; runs the app.

    (AppTest cannot edit a table: the profile is set where the table leaves it.)
    """
    edited = list(load_preset(DEFAULT_PRESET).demand.arrival_profile)
    edited[10] += 3.0
    at.session_state[PROFILE_VALUE_KEY] = edited
    at.run()
    return edited


def test_an_edited_profile_is_kept_while_the_demand_group_is_closed() -> None:
    at = _app()
    edited = _edit_profile(at)
    assert _shown(at).demand.arrival_profile == edited
    open_groups(at, "demand")
    assert not at.exception
    assert _shown(at).demand.arrival_profile == edited  # the table starts from it
    table = at.sidebar.get("dataframe")
    assert [getattr(node, "key", None) for node in table] == [PROFILE_KEY]


def test_loading_a_preset_forgets_the_edited_profile() -> None:
    at = _app()
    _edit_profile(at)
    at.selectbox(key="ui.preset").set_value("b2b-software").run()
    assert _shown(at).demand.arrival_profile == load_preset("b2b-software").demand.arrival_profile


@pytest.mark.first_run_alone
def test_the_first_page_has_numbers_then_the_inputs_then_the_charts() -> None:
    at = _app()
    assert at.metric, "the headline is on the first page"
    # The sidebar's controls come with its inputs: their widgets' code would hold the
    # numbers back in a browser that loads it (the language, the preset, "reset").
    assert not at.radio
    assert not at.selectbox
    assert not at.button
    assert not at.slider
    assert not at.number_input
    assert not at.get("download_button")
    assert [c.value for c in at.sidebar.caption] == [DRAWING_INPUTS] * 3
    assert not at.get("plotly_chart")
    assert not at.dataframe
    # The Overview's headline alone: no tab bar, nothing below it, not even placeholders.
    assert not at.tabs
    assert not [c.value for c in at.caption if c.value == DRAWING]
    assert _subheaders(at) == []
    assert at.main.markdown[-1].value == "### =", "the cards come last"
    headline = [m.value for m in at.metric]
    at.run()  # the run the first page asks for: the inputs and the rest of the Overview
    assert not at.exception
    assert at.radio(key=LANGUAGE_KEY).value == "en"
    assert at.selectbox(key="ui.preset").value == DEFAULT_PRESET
    assert at.slider(key=REPS).value == 26.0
    assert at.get("download_button")
    assert DRAWING_INPUTS not in [c.value for c in at.caption]
    assert [m.value for m in at.metric] == headline  # the same scenario, now with its inputs
    assert [tab.label for tab in at.tabs] == [t(key, "en") for key in TAB_KEYS]
    assert _subheaders(at) == [t("overview.channels", "en"), t("rec.title", "en")]
    waiting = [c.value for c in at.caption if c.value == DRAWING]
    assert len(waiting) >= 3  # two charts and the channel table
    assert not at.get("plotly_chart")
    at.run()  # the run the inputs' page asks for: the charts and tables
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert at.dataframe
    assert not [c.value for c in at.caption if c.value == DRAWING]


@pytest.mark.first_run_alone
def test_a_first_run_keeps_a_shared_scenario_for_its_inputs() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    scenario = load_preset(DEFAULT_PRESET)
    phone = scenario.channels[0].model_copy(update={"representatives": 31.0})
    shared = scenario.model_copy(update={"channels": [phone, *scenario.channels[1:]]})
    at.query_params[LINK_PARAM] = encode_link(shared)
    at.run()
    assert not at.exception
    assert not at.slider
    headline = [m.value for m in at.metric]
    at.run()
    assert at.slider(key=REPS).value == 31.0
    assert [m.value for m in at.metric] == headline


def test_a_session_sees_its_inputs_after_its_first_run() -> None:
    at = _app()  # conftest: followed by the run the first page asks for
    assert at.slider(key=REPS).value == 26.0
    assert not at.get("plotly_chart")  # the charts come one run later


def test_the_optimiser_constraints_open_search_and_keep_their_values() -> None:
    at = _app()
    assert not [n for n in at.number_input if n.key == MIN_SERVICE_LEVEL_KEY]
    at.session_state[CONSTRAINTS_KEY] = True
    at.run()
    at.number_input(key=MIN_SERVICE_LEVEL_KEY).set_value(95.0)
    at.button(key=OPTIMIZE_KEY).click().run()
    assert not at.exception
    assert t("rec.constrained", "en") in [c.value for c in at.caption]
    at.session_state[CONSTRAINTS_KEY] = False
    at.run()
    assert not [n for n in at.number_input if n.key == MIN_SERVICE_LEVEL_KEY]
    assert at.session_state[MIN_SERVICE_LEVEL_KEY] == 95.0
    at.session_state[CONSTRAINTS_KEY] = True
    at.run()
    assert at.number_input(key=MIN_SERVICE_LEVEL_KEY).value == 95.0


def test_open_optimiser_constraints_stay_open_across_a_language_switch() -> None:
    at = _app()
    at.session_state[CONSTRAINTS_KEY] = True
    at.run()
    at.number_input(key=MIN_SERVICE_LEVEL_KEY).set_value(95.0).run()
    at.radio(key=LANGUAGE_KEY).set_value("nb").run()
    assert not at.exception
    assert at.session_state[CONSTRAINTS_KEY] is True
    assert at.number_input(key=MIN_SERVICE_LEVEL_KEY).value == 95.0


def test_the_scenario_words_outlive_their_closed_group_and_a_language_switch() -> None:
    name, salary = widget_key("name"), widget_key("staffing.salary_per_year")
    at = open_groups(_app(), "scenario", "staff")
    at.text_input(key=name).set_value("Proposal 2027").run()
    at.session_state[group_key("scenario")] = False
    at.run()
    assert name not in _keys(at)
    assert _shown(at).name == "Proposal 2027"
    at.radio(key="ui.language").set_value("nb").run()
    assert not at.exception
    assert salary in _keys(at)  # an open group stays open under its new title
    assert _shown(at).name == "Proposal 2027"
    open_groups(at, "scenario")
    assert at.text_input(key=name).value == "Proposal 2027"
