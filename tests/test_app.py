"""The Streamlit app: input mapping, the finding sentence, and the app run by AppTest."""

from __future__ import annotations

import ast
import gc
import re
import statistics
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxcost.evaluate import evaluate
from cxcost.i18n import t
from cxcost.optimize import cost_curve, training_curve
from cxcost.presets import ScenarioError, list_presets, load_preset
from cxcost.report.finding import Move, best_move, finding_sentence
from cxcost.scenario import Scenario
from cxcost.ui.assumptions import assumption_table
from cxcost.ui.fields import (
    bound_fields,
    profile_from_grid,
    profile_grid,
    scenario_from_widgets,
    widget_key,
    widget_values,
    with_plan,
)
from cxcost.ui.markdown import escape_markdown

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PRESET_STEMS = [entry.stem for entry in list_presets() if entry.error is None]
REPS = widget_key("channels.0.representatives")
SHARE = widget_key("channels.0.share_of_contacts")
RERUN_BUDGET_SECONDS = 0.3


# ---------------------------------------------------------------------------
# Widgets <-> scenario (pure)


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_widget_values_round_trip_every_preset(stem: str) -> None:
    scenario = load_preset(stem)
    assert scenario_from_widgets(scenario, widget_values(scenario)) == scenario


def test_every_widget_value_lies_within_its_bounds() -> None:
    for stem in PRESET_STEMS:
        for field in bound_fields(load_preset(stem)):
            if field.spec.control in ("slider", "number"):
                assert field.low <= float(field.value) <= field.high, field.key  # type: ignore[arg-type]


def test_widgets_show_display_units() -> None:
    values = widget_values(Scenario())
    assert values[SHARE] == pytest.approx(60.0)  # share 0.6 as %
    assert values[widget_key("channels.0.handle_time_seconds")] == pytest.approx(6.0)  # minutes
    assert values[widget_key("channels.2.answer_within_seconds")] == pytest.approx(24.0)  # hours
    assert widget_key("channels.2.patience_seconds") not in values  # no patience for e-mail


def test_shares_not_adding_up_name_the_field_and_value() -> None:
    scenario = Scenario()
    values = widget_values(scenario) | {SHARE: 50.0}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_widgets(scenario, values)
    problem = caught.value.problems[0]
    assert problem.path == "channels"
    assert "90.0%" in problem.message


def test_a_plan_sets_representatives_and_training() -> None:
    values = with_plan(widget_values(Scenario()), [30.0, 12.0, 6.0], 40.0)
    scenario = scenario_from_widgets(Scenario(), values)
    assert [c.representatives for c in scenario.channels] == [30.0, 12.0, 6.0]
    assert scenario.training.hours_per_rep_per_year == 40.0


def test_profile_grid_round_trip() -> None:
    profile = Scenario().demand.arrival_profile
    assert profile_from_grid(profile_grid(profile)) == profile


def test_assumptions_list_every_input_with_unit_and_source() -> None:
    scenario = load_preset("us-ecommerce")
    table = assumption_table(scenario, "en")
    rows = {row["Field"]: row for row in table.to_dict("records")}
    assert "staffing.salary_per_year" in rows
    assert "channels.2.wait_tolerance_minutes" in rows
    assert {"uncertainty.patience.low", "uncertainty.patience.high"} <= set(rows)
    assert rows["channels.0.handle_time_seconds"]["Value"] == "420 s"
    assert "BLS" in rows["staffing.salary_per_year"]["Source"]
    assert rows["business.gross_margin"]["Value"] == "40%"
    # The hourly profile is one summary row, not 168.
    assert [path for path in rows if path.startswith("demand.arrival_profile")] == [
        "demand.arrival_profile"
    ]
    assert "open hours a week" in rows["demand.arrival_profile"]["Value"]


def test_markdown_in_a_name_is_shown_literally() -> None:
    assert escape_markdown("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
    assert escape_markdown("**$x$**") == r"\*\*\$x\$\*\*"


# ---------------------------------------------------------------------------
# The finding sentence (pure)


def test_finding_names_the_costliest_driver_and_a_move() -> None:
    scenario = Scenario()
    result = evaluate(scenario)
    curves = [cost_curve(scenario, i) for i in range(len(scenario.channels))]
    move = best_move(result, curves, training_curve(scenario))
    assert move is not None
    assert move.total_cost_saved_per_year > 0
    sentence = finding_sentence(result, move, "en")
    assert sentence.startswith("Dismissiveness costs you USD")
    assert "would win back" in sentence


def test_finding_for_overstaffing_says_fewer() -> None:
    result = evaluate(Scenario())
    move = Move("representatives", "Phone", -4.0, -150_000.0, -20_000.0, 90_000.0)
    assert "4 fewer Phone representatives would save USD 150k a year" in finding_sentence(
        result, move, "en"
    )


def test_finding_without_loss() -> None:
    calm = Scenario().model_copy(deep=True)
    calm.churn.wait_churn_max = calm.churn.rude_churn = calm.churn.dismissive_churn = 0.0
    result = evaluate(Scenario.model_validate(calm.model_dump()))
    assert finding_sentence(result, None, "nb") == t("finding.no_loss", "nb")


# ---------------------------------------------------------------------------
# The app (AppTest)


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _money(text: str) -> float:
    """Parse "USD 4.7M" / "USD 290k" back to a number (for comparisons only)."""
    match = re.fullmatch(r"-?[A-Z]{3} ([\d.,]+)([kMBT]?)", text)
    assert match, text
    factor = {"": 1, "k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[match.group(2)]
    return float(match.group(1).replace(",", "")) * factor


def test_app_runs_for_every_preset() -> None:
    at = _app()
    for stem in PRESET_STEMS:
        at.selectbox(key="ui.preset").set_value(stem)
        at.run()
        assert not at.exception, stem
        assert not at.error, (stem, [e.value for e in at.error])
        assert len(at.metric) == 4, stem
        assert at.markdown[0].value.startswith("####"), stem


def test_a_run_takes_the_import_time_objects_out_of_the_gc_walk() -> None:
    """Streamlit runs a full garbage collection after every rerun; without the freeze
    it walked every object the imports left (about 90 ms of each rerun's CPU)."""
    _app()
    assert gc.get_freeze_count() > 50_000


def test_more_phone_representatives_lower_revenue_at_risk() -> None:
    at = _app()
    label = t("metric.revenue_at_risk", "en")
    before = _money(_metric(at, label))
    slider = at.slider(key=REPS)
    slider.set_value(slider.value + 10)
    at.run()
    after = _money(_metric(at, label))
    assert after < before
    delta = next(m for m in at.metric if m.label == label).proto.delta
    assert delta.startswith("-USD")


def test_language_switch_changes_labels() -> None:
    at = _app()
    assert at.tabs[0].label == "Overview"
    at.radio(key="ui.language").set_value("nb")
    at.run()
    assert not at.exception
    assert at.tabs[0].label == "Oversikt"
    assert t("metric.revenue_at_risk", "nb") in [m.label for m in at.metric]
    assert "mill." in _metric(at, t("metric.revenue_at_risk", "nb"))


def test_language_switch_keeps_every_choice() -> None:
    at = _app()
    label = t("metric.revenue_at_risk", "en")
    at.selectbox(key=widget_key("staffing.schedule")).set_value("hourly")
    at.run()
    before = _money(_metric(at, label))
    at.radio(key="ui.language").set_value("nb")
    at.run()
    assert not at.exception
    assert not at.error
    assert at.selectbox(key=widget_key("staffing.schedule")).value == "hourly"
    at.radio(key="ui.language").set_value("en")
    at.run()
    assert _money(_metric(at, label)) == before


def test_invalid_shares_show_the_message_and_keep_results() -> None:
    at = _app()
    label = t("metric.revenue_at_risk", "en")
    before = _metric(at, label)
    at.slider(key=SHARE).set_value(20.0)
    at.run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert messages
    assert "100 %" in messages[0]
    assert "Channels" in messages[0]
    assert _metric(at, label) == before


def test_reset_restores_the_preset() -> None:
    at = _app()
    slider = at.slider(key=REPS)
    loaded = slider.value
    slider.set_value(loaded + 5)
    at.run()
    at.button(key="ui.reset").click()
    at.run()
    assert at.slider(key=REPS).value == loaded


def test_optimiser_plan_can_be_applied() -> None:
    at = _app()
    label = t("metric.total_cx_cost", "en")
    before = _money(_metric(at, label))
    at.button(key="ui.optimize").click()
    at.run()
    assert not at.exception
    at.button(key="ui.apply_plan").click()
    at.run()
    assert not at.exception
    assert _money(_metric(at, label)) < before
    assert at.success


@pytest.mark.parametrize("tab", range(6))
def test_every_tab_renders(tab: int) -> None:
    at = _app()
    at.session_state["ui.tab"] = at.tabs[tab].label
    at.slider(key=REPS).set_value(at.slider(key=REPS).value + 2)
    at.run()
    assert not at.exception
    assert not at.error


def test_compare_against_a_saved_baseline() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.compare", "en")
    at.run()
    assert [i.value for i in at.info] == [t("compare.same", "en")]
    slider = at.slider(key=REPS)
    slider.set_value(slider.value + 6)
    at.run()
    assert not at.info
    assert t("metric.net_benefit", "en") in [m.label for m in at.metric]
    at.button(key="ui.compare.save_baseline").click()
    at.run()
    assert [i.value for i in at.info] == [t("compare.same", "en")]


def test_monte_carlo_runs_on_demand() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.uncertainty", "en")
    at.run()
    assert not any(m.label.startswith("Revenue at risk, P") for m in at.metric)
    at.button(key="ui.uncertainty.run").click()
    at.run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Revenue at risk, P50" in labels
    assert "Probability it pays off" in labels


_TIMED_SCRIPT = """
import time
import streamlit as st
import cxcost.ui
started = time.perf_counter()
cxcost.ui.main()
st.session_state["_server_seconds"] = time.perf_counter() - started
"""


@pytest.mark.slow
@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_slider_rerun_is_fast(stem: str) -> None:
    """Server time of a rerun after a representatives slider move (script run, no network)."""
    at = AppTest.from_string(_TIMED_SCRIPT, default_timeout=30)
    at.run()
    at.selectbox(key="ui.preset").set_value(stem)
    at.run()
    seconds = []
    for step in range(1, 8):
        slider = at.slider(key=REPS)
        slider.set_value(slider.value + (step if step % 2 else -step))
        at.run()
        seconds.append(at.session_state["_server_seconds"])
    assert not at.exception
    assert statistics.median(seconds) < RERUN_BUDGET_SECONDS


WIDGETS = {
    "button",
    "checkbox",
    "data_editor",
    "download_button",
    "file_uploader",
    "multiselect",
    "number_input",
    "plotly_chart",
    "popover",
    "radio",
    "segmented_control",
    "select_slider",
    "selectbox",
    "slider",
    "tabs",
    "text_area",
    "text_input",
    "toggle",
}


def test_every_widget_has_an_explicit_key() -> None:
    for path in (Path(__file__).resolve().parents[1] / "cxcost" / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WIDGETS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "st"
            ):
                keys = [k.arg for k in node.keywords]
                assert "key" in keys, f"{path.name}:{node.lineno} st.{node.func.attr} has no key"


_HOSTILE_SCRIPT = """
import streamlit as st
import cxcost.ui
from cxcost.scenario import Scenario
from cxcost.ui.app import load_scenario

if "hostile" not in st.session_state:
    st.session_state["hostile"] = True
    scenario = Scenario().model_copy(deep=True)
    scenario.name = "<img src=x onerror=alert(1)>"
    scenario.channels[0].name = "**Phone** <script>alert(2)</script>"
    load_scenario(Scenario.model_validate(scenario.model_dump()), None)
cxcost.ui.main()
"""


def test_names_from_a_scenario_are_shown_as_text() -> None:
    at = AppTest.from_string(_HOSTILE_SCRIPT, default_timeout=30)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any(r"\<img src=x onerror=alert\(1\)\>" in text for text in shown)
    for text in shown:
        assert "<img" not in text.replace(r"\<img", "")
        assert "<script>" not in text
    label = at.slider(key=REPS).label
    assert label.startswith(r"\*\*Phone\*\* \<script\>")


@pytest.mark.parametrize("tab", range(5))
def test_every_chart_has_an_export_button(tab: int) -> None:
    at = _app()
    at.session_state["ui.tab"] = at.tabs[tab].label
    at.slider(key=REPS).set_value(at.slider(key=REPS).value + 2)  # Compare needs a change
    at.run()
    chart_keys = [chart.proto.id.split("-", 2)[-1] for chart in at.get("plotly_chart")]
    assert chart_keys, tab
    for key in chart_keys:
        assert at.session_state[f"export.{key}"] is False, key  # closed: nothing rendered


def test_a_hostile_name_in_an_uploaded_file_is_shown_as_text() -> None:
    from cxcost.presets import scenario_to_json

    hostile = Scenario().model_copy(update={"name": "<img src=x onerror=alert(1)>"})
    at = _app()
    at.file_uploader(key="share.upload").set_value(
        ("<b>x</b>.json", scenario_to_json(hostile).encode(), "application/json")
    )
    at.run()
    assert not at.exception
    (message,) = [s.value for s in at.success]
    assert r"\<img src=x onerror=alert\(1\)\>" in message
    assert r"\<b\>x\<\/b\>" in message
    assert "<img" not in message.replace(r"\<img", "")
