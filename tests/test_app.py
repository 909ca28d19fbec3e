"""The Streamlit app: input mapping, the finding sentence, and the app run by AppTest."""

from __future__ import annotations

import ast
import gc
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element, Node
from widgets import html_table_rows, open_groups, slider_value

from cxcost.evaluate import evaluate
from cxcost.i18n import Language, basis_label, format_money, format_number, t, tn
from cxcost.optimize import Recommendation, cost_curve, optimize, training_curve
from cxcost.presets import ScenarioError, list_presets, load_preset
from cxcost.report.charts import training_curve_figure
from cxcost.report.content import recommendation_lines
from cxcost.report.finding import Move, finding_from_recommendation, finding_sentence
from cxcost.scenario import Scenario
from cxcost.ui import recommend
from cxcost.ui.assumptions import assumption_html, assumption_table
from cxcost.ui.fields import (
    FIELDS,
    bound_fields,
    is_lever,
    lever_fields,
    profile_from_grid,
    profile_grid,
    scenario_from_widgets,
    widget_key,
    widget_keys,
    widget_values,
    with_plan,
)
from cxcost.ui.markdown import escape_markdown

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PRESET_STEMS = [entry.stem for entry in list_presets() if entry.error is None]
REPS = widget_key("channels.0.representatives")
SHARE = widget_key("channels.0.share_of_contacts")


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
                assert isinstance(field.value, int | float), field.key
                assert field.low <= field.value <= field.high, field.key


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


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_the_levers_are_each_channels_representatives_and_the_training(stem: str) -> None:
    """The fields a move of which reruns the results alone (``cxcost.ui.app._results``)."""
    scenario = load_preset(stem)
    levers = {field.path for field in bound_fields(scenario) if is_lever(field)}
    representatives = {f"channels.{i}.representatives" for i in range(len(scenario.channels))}
    training = {
        field.path for field in bound_fields(scenario) if field.path.startswith("training.")
    }
    assert levers == representatives | training
    assert "training.hours_per_rep_per_year" in levers
    assert "staffing.salary_per_year" not in levers


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_the_kept_field_places_follow_the_channels_kinds(stem: str) -> None:
    """``field_slots`` is kept per tuple of channel kinds: a lever move reads only the
    levers (``lever_fields``), the page's keys come without values (``widget_keys``),
    and a scenario whose channels come in another order gets its own places."""
    scenario = load_preset(stem)
    current = {REPS: 10_000.0}  # outside the slider: it widens the bounds
    assert lever_fields(scenario, current) == [
        field for field in bound_fields(scenario, current) if is_lever(field)
    ]
    assert lever_fields(scenario, current)[0].high >= 10_000.0
    assert widget_keys(scenario) == list(widget_values(scenario))
    turned = scenario.model_copy(update={"channels": list(reversed(scenario.channels))})
    for shown in (scenario, turned):
        for field in bound_fields(shown):
            if field.channel_index is not None:
                assert shown.channels[field.channel_index].kind in field.spec.kinds
        counted = [f.path for f in bound_fields(shown) if f.path.startswith("channels.")]
        expected = [
            spec.path.replace("*", str(index))
            for spec in FIELDS
            if spec.path.startswith("channels.*.")
            for index, channel in enumerate(shown.channels)
            if channel.kind in spec.kinds
        ]
        assert counted == expected
    assert scenario_from_widgets(turned, widget_values(turned)) == turned


def test_profile_grid_round_trip() -> None:
    profile = Scenario().demand.arrival_profile
    assert profile_from_grid(profile_grid(profile)) == profile


def test_the_assumptions_table_shows_every_cell_as_written() -> None:
    scenario = load_preset("us-ecommerce")
    table = assumption_table(scenario, "en")
    body = assumption_html(table, "Field")
    assert html_table_rows(body) == [list(table.columns), *table.to_numpy().tolist()]
    assert body.count("<table") == 1
    assert "business.<wbr>lost_<wbr>customer_<wbr>valuation" in body


# Text as a consultant could type it: markup, Markdown, quotes, entities, line breaks.
_CELL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'*_`#|[]()\n"),
    max_size=40,
)


@given(st.lists(st.lists(_CELL, min_size=2, max_size=2), max_size=4), _CELL)
def test_any_text_in_the_assumptions_table_reads_back_literally(
    rows: list[list[str]], header: str
) -> None:
    table = pd.DataFrame(rows, columns=[header, "Source"])
    body = assumption_html(table, "Source")
    assert html_table_rows(body) == [[header, "Source"], *rows]
    assert "<script" not in body.lower()


def test_assumptions_list_every_input_with_unit_and_source() -> None:
    scenario = load_preset("us-ecommerce")
    table = assumption_table(scenario, "en")
    rows = {row["Field"]: row for row in table.to_dict("records")}
    assert "staffing.salary_per_year" in rows
    assert "channels.2.wait_tolerance_minutes" in rows
    assert {"uncertainty.patience.low", "uncertainty.patience.high"} <= set(rows)
    # In the sidebar's units: minutes, not the model's seconds.
    assert rows["channels.0.handle_time_seconds"]["Value"] == "7"
    assert rows["channels.0.handle_time_seconds"]["Parameter"] == "Handle time (minutes)"
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


@pytest.fixture(scope="module")
def ecommerce_plan() -> tuple[Scenario, Recommendation]:
    scenario = load_preset("us-ecommerce")
    return scenario, optimize(scenario)


def test_finding_names_the_recommendation_and_its_net_benefit(
    ecommerce_plan: tuple[Scenario, Recommendation],
) -> None:
    scenario, plan = ecommerce_plan
    result = evaluate(scenario)
    curves = [cost_curve(scenario, i) for i in range(len(scenario.channels))]
    found = recommend.finding(result, plan, scenario, curves, training_curve(scenario), "en")
    net = format_money(plan.comparison.net_benefit_per_year, "USD", "en")
    assert f"worth {net} a year net" in found.sentence
    assert basis_label("yearly", "en") in found.sentence
    changed = recommend.plan_changes(plan, scenario, "en")
    assert changed
    assert all(part in found.sentence for part in changed)


@pytest.mark.parametrize(
    ("language", "in_the_plan", "in_the_export"),
    [
        ("en", "1 training hour per representative a year (now 16)",
         "1 training hour per representative instead of 16"),
        ("nb", "1 opplæringstime per kundebehandler i året (nå 16)",
         "1 opplæringstime per kundebehandler i stedet for 16"),
    ],
)  # fmt: skip
def test_a_plan_of_one_training_hour_says_hour(
    ecommerce_plan: tuple[Scenario, Recommendation],
    language: Language,
    in_the_plan: str,
    in_the_export: str,
) -> None:
    """The default preset's plan, as its Overview and its exports say it."""
    scenario, plan = ecommerce_plan
    assert plan.training_hours == 1
    assert in_the_plan in recommend.plan_changes(plan, scenario, language)
    assert in_the_export in finding_from_recommendation(scenario, plan, language)
    hour, per_rep = {"en": ("1 hour", "1 training hour"), "nb": ("1 time", "1 opplæringstime")}[
        language
    ]
    heading = recommend.training_heading(plan, evaluate(scenario), scenario, language)
    assert f" {hour} per " in heading
    assert f" {per_rep} per " in " ".join(recommendation_lines(scenario, plan, language))
    curve = training_curve(scenario)
    hours = list(curve.hours)
    hours[curve.best_index] = 1.0
    one = curve.model_copy(update={"hours": hours})
    title = str(training_curve_figure(one, language).layout.title.text)
    assert f" {hour} per" in title.replace("<br>", " ")


@pytest.mark.parametrize(
    ("language", "lever", "change", "words"),
    [
        ("en", "representatives", 1.0, "1 more Phone representative ("),
        ("en", "representatives", -1.0, "1 fewer Phone representative would"),
        ("en", "representatives", 2.0, "2 more Phone representatives ("),
        ("en", "representatives", 1.5, "1.5 more Phone representatives ("),
        ("nb", "representatives", 1.0, "1 kundebehandler til på Phone ("),
        ("nb", "representatives", -1.0, "1 kundebehandler færre på Phone ville"),
        ("nb", "representatives", 2.0, "2 flere kundebehandlere på Phone ("),
        ("en", "training", 1.2, "1 more training hour per representative ("),  # shown whole
        ("en", "training", -0.8, "1 fewer training hour per representative would"),
        ("en", "training", 3.0, "3 more training hours per representative ("),
        ("nb", "training", 1.0, "1 opplæringstime mer per kundebehandler ("),
        ("nb", "training", 3.0, "3 flere opplæringstimer per kundebehandler ("),
    ],
)
def test_a_move_of_one_reads_in_the_singular(
    language: Language, lever: Literal["representatives", "training"], change: float, words: str
) -> None:
    result = evaluate(load_preset("us-ecommerce"))
    channel = "Phone" if lever == "representatives" else ""
    move = Move(lever, channel, change, 36_920.0, 90_000.0, 50_000.0)
    assert words in finding_sentence(result, move, language)


def test_headings_take_the_plan_and_the_current_cost(
    ecommerce_plan: tuple[Scenario, Recommendation],
) -> None:
    scenario, plan = ecommerce_plan
    result = evaluate(scenario)
    heading = recommend.staffing_heading(plan, result, 0, "en")
    assert f"recommended {format_number(plan.representatives[0], 'en')} representatives" in heading
    assert format_money(result.total_cx_cost_per_year, "USD", "en") in heading
    training = recommend.training_heading(plan, result, scenario, "nb")
    unit = "time" if plan.training_hours == 1 else "timer"  # 1 time, 2 timer
    assert f"anbefalt {format_number(plan.training_hours, 'nb')} {unit} per" in training


def test_a_wide_band_is_named_in_words() -> None:
    scenario = load_preset("us-ecommerce")
    curve = cost_curve(scenario, 0).model_copy(update={"band_low": 343.0, "band_high": 463.0})
    (line,) = recommend.band_lines([curve], None, "en")
    assert line == (
        "On Phone, anything from 343 to 463 representatives costs within 1 % of the best."
    )


def test_no_loss_says_so() -> None:
    calm = Scenario().model_copy(deep=True)
    calm.churn.wait_churn_max = calm.churn.rude_churn = calm.churn.dismissive_churn = 0.0
    calm.churn.abandon_churn = 0.0
    scenario = Scenario.model_validate(calm.model_dump())
    result = evaluate(scenario)
    plan = optimize(scenario)
    found = recommend.finding(result, plan, scenario, [], None, "nb")
    assert found.sentence.startswith(t("rec.no_loss", "nb"))


# ---------------------------------------------------------------------------
# The app (AppTest)


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
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


@pytest.mark.slow
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
    label = t("card.revenue_at_risk", "en")
    before = _money(_metric(at, label))
    slider = at.slider(key=REPS)
    slider.set_value(slider_value(slider) + 10)
    at.run()
    after = _money(_metric(at, label))
    assert after < before
    delta = next(m for m in at.metric if m.label == label).proto.delta
    assert delta.startswith("-USD")


def test_the_levers_are_drawn_in_the_sidebar_open_groups_in_order() -> None:
    """``render_levers`` fills the two open groups that ``render_inputs`` left empty:
    the representatives under staffing, the training under training, both above the
    closed groups that come after them."""
    at = _app()
    at.run()  # the session's second run draws the inputs (cxcost.ui.pending)
    at.run()
    staffing, training = (
        next(e for e in at.sidebar.expander if e.label == t(key, "en"))
        for key in ("group.staffing", "group.training")
    )
    scenario = load_preset("us-ecommerce")
    assert [s.key for s in staffing.slider] == [
        widget_key(f"channels.{i}.representatives") for i in range(len(scenario.channels))
    ]
    assert widget_key("training.hours_per_rep_per_year") in [s.key for s in training.slider]
    assert at.slider(key=REPS).value == scenario.channels[0].representatives


def test_language_switch_changes_labels() -> None:
    at = _app()
    assert at.tabs[0].label == "Overview"
    at.radio(key="ui.language").set_value("nb")
    at.run()
    assert not at.exception
    assert at.tabs[0].label == "Oversikt"
    assert t("card.revenue_at_risk", "nb") in [m.label for m in at.metric]
    assert "mill." in _metric(at, t("card.revenue_at_risk", "nb"))


def test_language_switch_keeps_every_choice() -> None:
    at = open_groups(_app(), "staff")
    label = t("card.revenue_at_risk", "en")
    at.selectbox(key=widget_key("staffing.schedule")).set_value("daily")
    at.run()
    before = _money(_metric(at, label))
    at.radio(key="ui.language").set_value("nb")
    at.run()
    assert not at.exception
    assert not at.error
    assert at.selectbox(key=widget_key("staffing.schedule")).value == "daily"
    at.radio(key="ui.language").set_value("en")
    at.run()
    assert _money(_metric(at, label)) == before


def test_invalid_inputs_show_the_message_and_keep_results() -> None:
    # Shares cannot leave 100 % any more (tests/test_workflow.py): training that
    # does not fit in the paid hours is a mistake the sidebar can still make.
    at = open_groups(_app(), "staff")
    label = t("card.revenue_at_risk", "en")
    before = _metric(at, label)
    at.toggle(key=widget_key("staffing.shrinkage_includes_training")).set_value(True)
    at.slider(key=widget_key("staffing.shrinkage")).set_value(5.0)
    at.slider(key=widget_key("training.hours_per_rep_per_year")).set_value(120.0)
    at.run()
    assert not at.exception
    messages = [e.value for e in at.main.error]
    assert messages
    assert "training per representative" in messages[0]
    assert not at.sidebar.error
    assert _metric(at, label) == before


def test_reset_restores_the_preset() -> None:
    at = _app()
    slider = at.slider(key=REPS)
    loaded = slider_value(slider)
    slider.set_value(loaded + 5)
    at.run()
    at.button(key="ui.reset").click()
    at.run()
    assert slider_value(at.slider(key=REPS)) == loaded


@pytest.mark.waits_for_plan
def test_optimiser_plan_can_be_applied() -> None:
    at = _app()
    label = t("card.total_cx_cost", "en")
    before = _money(_metric(at, label))
    at.button(key="ui.apply_plan").click()
    at.run()
    assert not at.exception
    assert _money(_metric(at, label)) < before
    assert at.success


@pytest.mark.parametrize("tab", range(6))
def test_every_tab_renders(tab: int) -> None:
    at = _app()
    at.session_state["ui.tab"] = at.tabs[tab].label
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 2)
    at.run()
    assert not at.exception
    assert not at.error


def test_compare_against_a_saved_baseline() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.compare", "en")
    at.run()
    assert [i.value for i in at.info] == [t("compare.same", "en")]
    slider = at.slider(key=REPS)
    slider.set_value(slider_value(slider) + 6)
    at.run()
    assert not at.info
    assert t("metric.net_benefit", "en") in [m.label for m in at.metric]
    at.button(key="ui.compare.save_baseline").click()
    at.run()
    assert [i.value for i in at.info] == [t("compare.same", "en")]


def _values(nodes: Sequence[Node]) -> list[Any]:
    """The values of the elements ``nodes`` (a block has none)."""
    values = []
    for node in nodes:
        assert isinstance(node, Element), node
        values.append(node.value)
    return values


def _markdown_in(at: AppTest, key: str) -> list[str]:
    return _values(at.get_by_key(key).get("markdown")) if at.get_by_key(key) else []


def test_uncertainty_names_its_scenario_and_runs_on_the_current_inputs() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.uncertainty", "en")
    slider = at.slider(key=REPS)
    slider.set_value(slider_value(slider) + 4)
    at.run()
    name = load_preset("us-ecommerce").name
    (describes,) = [m.value for m in at.markdown if m.value.startswith("#### Describes")]
    assert escape_markdown(t("unc.source.current", "en")) in describes
    assert escape_markdown(name) in describes
    assert not any(m.label == t("unc.pays_off", "en") for m in at.metric)
    at.button(key="ui.uncertainty.run").click()
    at.run()
    assert not at.exception
    assert t("unc.pays_off", "en") in [m.label for m in at.metric]
    table = at.dataframe[0].value
    assert list(table.columns[1:4]) == ["P10", "P50", "P90"]
    assert t("unc.row.net_benefit", "en") in set(table.iloc[:, 0])
    shown = " ".join(m.value for m in at.markdown)
    assert "pays off" in shown
    assert not at.warning  # the run describes what is on screen
    at.radio(key="ui.uncertainty.source").set_value("baseline")
    at.run()
    (describes,) = [m.value for m in at.markdown if m.value.startswith("#### Describes")]
    assert escape_markdown(t("unc.source.baseline", "en", name=name)) in describes
    assert at.warning  # the last run was for the current inputs


def test_overview_cards_add_up_and_state_their_basis() -> None:
    at = _app()
    churn = _money(_metric(at, t("card.churn_cost", "en")))
    service = _money(_metric(at, t("card.service_cost", "en")))
    total = _money(_metric(at, t("card.total_cx_cost", "en")))
    assert churn + service == pytest.approx(total, rel=0.03)  # 3 significant digits each
    captions = " ".join(c.value for c in at.caption)
    assert basis_label("steady", "en") in captions
    assert t("valuation.lifetime_margin", "en") in captions
    result = evaluate(load_preset("us-ecommerce"))
    assert result.churn_cost_per_year + result.service_cost_per_year == pytest.approx(
        result.total_cx_cost_per_year
    )
    value = format_money(result.lost_customer_value, "USD", "en", compact=False)
    assert value in captions
    total_help = next(m for m in at.metric if m.label == t("card.total_cx_cost", "en")).help
    assert "service cost + churn cost" in total_help


def test_replacement_cost_valuation_is_named_on_the_card() -> None:
    at = open_groups(_app(), "business")
    at.selectbox(key=widget_key("business.lost_customer_valuation")).set_value("replacement_cost")
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert t("valuation.replacement_cost", "en") in captions


@pytest.mark.waits_for_plan
def test_guardrail_warnings_are_visible() -> None:
    at = _app()
    at.selectbox(key="ui.preset").set_value("b2b-software")
    at.run()
    assert not at.exception
    scenario = load_preset("b2b-software")
    plan = optimize(scenario)
    assert plan.warnings
    shown = " ".join(w.value for w in at.warning)
    assert t("rec.warnings", "en") in shown
    for sentence in plan.warnings:
        assert escape_markdown(sentence) in shown
    assert not at.get("expander") or all(
        t("rec.warnings", "en") not in " ".join(_values(e.get("alert"))) for e in at.get("expander")
    )


def test_compare_with_a_changed_assumption_says_so() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.compare", "en")
    open_groups(at, "business")
    slider = at.slider(key=REPS)
    slider.set_value(slider_value(slider) + 3)
    margin = at.slider(key=widget_key("business.gross_margin"))
    margin.set_value(slider_value(margin) + 5)
    at.run()
    assert not at.exception
    notes = [w.value for w in at.warning if "assumptions, not decisions" in w.value]
    assert notes
    assert "business.gross_margin" in notes[0]
    labels = [m.label for m in at.metric]
    assert t("compare.assumptions_effect", "en") in labels
    assert t("metric.net_benefit", "en") in labels
    assert tn("metric.npv", 3, "en", years=3) in labels or any(
        label.startswith("NPV over") for label in labels
    )


def test_compare_signs_agree() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.compare", "en")
    slider = at.slider(key=REPS)
    slider.set_value(slider_value(slider) + 3)
    at.run()
    assert not any("assumptions, not decisions" in w.value for w in at.warning)
    net = _metric(at, t("metric.net_benefit", "en"))
    npv = next(m.value for m in at.metric if m.label.startswith("NPV over"))
    assert net.startswith("-") == npv.startswith("-")


@pytest.mark.waits_for_plan
def test_staffing_tab_shows_queues_and_the_planners_table() -> None:
    at = _app()
    at.session_state["ui.tab"] = t("tab.staffing", "en")
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    queue = next(f for f in frames if t("col.give_up", "en") in f.columns)
    assert {t("col.attempts", "en"), t("col.peak_occupancy", "en")} <= set(queue.columns)
    planner = next(f for f in frames if t("col.agents_on_queue", "en") in f.columns)
    assert len(planner) > 20
    headings = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert any("recommended" in h for h in headings)


def test_a_bad_range_names_the_field_and_values() -> None:
    at = open_groups(_app(), "uncertainty")
    at.slider(key=widget_key("uncertainty.patience")).set_value((1.2, 1.6))
    at.run()
    assert not at.exception
    (message, *_) = [e.value for e in at.error]
    assert escape_markdown(t("field.uncertainty.patience", "en")) in message
    assert escape_markdown("the low end (1.2) must be at most 1") in message


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
from cxcost.scenario import Scenario
from cxcost.ui.app import load_scenario, main

if "hostile" not in st.session_state:
    st.session_state["hostile"] = True
    scenario = Scenario().model_copy(deep=True)
    scenario.name = "<img src=x onerror=alert(1)>"
    scenario.channels[0].name = "**Phone** <script>alert(2)</script>"
    load_scenario(Scenario.model_validate(scenario.model_dump()), None)
main()
"""


def test_names_from_a_scenario_are_shown_as_text() -> None:
    at = AppTest.from_string(_HOSTILE_SCRIPT, default_timeout=120)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any(r"\<img src=x onerror=alert\(1\)\>" in text for text in shown)
    for text in shown:
        assert "<img" not in text.replace(r"\<img", "")
        assert "<script>" not in text
    label = at.slider(key=REPS).label
    assert label.startswith(r"\*\*Phone\*\* \<script\>")


@pytest.mark.waits_for_plan
@pytest.mark.parametrize("tab", range(5))
def test_every_chart_has_an_export_button(tab: int) -> None:
    at = _app()
    at.session_state["ui.tab"] = at.tabs[tab].label
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 2)  # Compare needs a change
    at.run()
    if at.session_state["ui.tab"] == t("tab.uncertainty", "en"):
        at.button(key="ui.uncertainty.run").click()  # its charts come with the analysis
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


def test_a_whole_run_works_out_what_the_page_is_drawn_from_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fragments (the results, the tabs) compare what the page is drawn from only
    when they rerun alone: a whole run has just worked it out (``_input_state``) and
    passes it to both."""
    from cxcost.ui import app as app_module

    original = app_module._input_state
    calls: list[list[tuple[str, Any]]] = []

    def counted() -> list[tuple[str, Any]]:
        calls.append(original())
        return calls[-1]

    monkeypatch.setattr(app_module, "_input_state", counted)
    at = _app()
    calls.clear()
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 2).run()
    assert not at.exception
    assert len(calls) == 1
