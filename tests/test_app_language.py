"""The app in Norwegian (issue 13), run by AppTest: ``?lang=``, the sliders' numbers, the
language switch, translated presets and messages."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from widgets import open_groups

from cxcost.i18n import t
from cxcost.presets import DEFAULT_PRESET, load_preset, localized_scenario
from cxcost.ui.app import LANGUAGE_KEY, LANGUAGE_PARAM, TABS_KEY
from cxcost.ui.fields import widget_key, widget_values
from cxcost.ui.staffing import TARGET_KEY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REPS = widget_key("channels.0.representatives")
SHARE = widget_key("channels.0.share_of_contacts")
MULTIPLIER = widget_key("staffing.loaded_cost_multiplier")
PATIENCE_RANGE = widget_key("uncertainty.patience")
ENGLISH_DECIMAL = re.compile(r"\d\.\d")


def _app(language: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if language is not None:
        at.query_params[LANGUAGE_PARAM] = language
    at.run()
    assert not at.exception
    return at


def test_lang_nb_opens_the_app_in_norwegian_with_the_preset_translated() -> None:
    at = _app("nb")
    assert at.session_state[LANGUAGE_KEY] == "nb"
    assert at.title[0].value == t("app.title", "nb")
    shown = localized_scenario(load_preset(DEFAULT_PRESET), "nb")
    assert at.caption[0].value.startswith(shown.name)
    assert at.selectbox(key="ui.preset").format_func(DEFAULT_PRESET) == shown.name
    labels = [s.label for s in at.select_slider]
    assert any("Telefon" in label for label in labels)
    assert not any("Phone" in label for label in labels)


def test_lang_en_and_no_choice_open_in_english() -> None:
    for language in ("en", None):
        at = _app(language)
        assert at.session_state[LANGUAGE_KEY] == "en"
        assert at.title[0].value == t("app.title", "en")


def test_norwegian_sliders_write_numbers_with_a_decimal_comma() -> None:
    at = open_groups(_app("nb"))  # every group: the loops below read every slider
    reps = at.select_slider(key=REPS)
    assert reps.value == widget_values(load_preset(DEFAULT_PRESET))[REPS]
    assert "26,0" in reps.options
    assert "1,30" in at.select_slider(key=MULTIPLIER).options
    assert "35 %" in at.select_slider(key=SHARE).options
    assert "0,60×" in at.select_slider(key=PATIENCE_RANGE).options
    for listed in at.select_slider:
        assert not any(ENGLISH_DECIMAL.search(option) for option in listed.options), listed.key
    for slider in at.slider:  # whole numbers only: printf writes them as Babel does
        assert "." not in slider.proto.format, slider.key
    at.session_state[TABS_KEY] = t("tab.staffing", "nb")
    at.run()
    assert at.slider(key=TARGET_KEY).proto.format == "%d %%"


def test_english_sliders_keep_printf_formats_from_their_step() -> None:
    at = open_groups(_app("en"), "staff", "mix")
    assert at.slider(key=REPS).proto.format == "%.1f"
    assert at.slider(key=MULTIPLIER).proto.format == "%.2f"
    assert at.slider(key=SHARE).proto.format == "%.0f%%"
    at.session_state[TABS_KEY] = t("tab.staffing", "en")
    at.run()
    assert at.slider(key=TARGET_KEY).proto.format == "%d%%"


def test_a_norwegian_slider_moves_the_model() -> None:
    at = _app("nb")
    before = [m.value for m in at.metric]
    at.select_slider(key=REPS).set_value(40.0).run()
    assert not at.exception
    assert at.session_state[REPS] == 40.0
    assert [m.value for m in at.metric] != before


def test_switching_language_keeps_every_input_and_names_it_in_the_address() -> None:
    at = _app(None)
    at.slider(key=REPS).set_value(30.5).run()
    kept = {key: at.session_state[key] for key in widget_values(load_preset(DEFAULT_PRESET))}
    at.radio(key=LANGUAGE_KEY).set_value("nb").run()
    assert not at.exception
    assert at.query_params[LANGUAGE_PARAM] == "nb"
    assert at.select_slider(key=REPS).value == 30.5
    assert {key: at.session_state[key] for key in kept} == kept
    at.radio(key=LANGUAGE_KEY).set_value("en").run()
    assert at.query_params[LANGUAGE_PARAM] == "en"
    assert at.slider(key=REPS).value == 30.5
    assert {key: at.session_state[key] for key in kept} == kept


def test_a_broken_rule_reads_in_norwegian() -> None:
    # (The channel shares cannot break their rule any more: the mix keeps 100 %.)
    at = open_groups(_app("nb"), "quality")
    at.select_slider(key=widget_key("quality.rude_share_floor")).set_value(20.0).run()
    assert not at.exception
    (message, *_) = [e.value for e in at.error]
    assert t("app.invalid", "nb") in message
    assert "kan ikke være flere enn uhøflige henvendelser uten opplæring" in message
