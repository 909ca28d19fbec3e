"""cxcost.report.charts: every chart builds for every preset, readable and consistent."""

from __future__ import annotations

import json
from collections.abc import Callable

import plotly.graph_objects as go
import pytest

from cxcost.compare import compare
from cxcost.evaluate import Result, evaluate
from cxcost.i18n import LANGUAGES, Language, format_money
from cxcost.optimize import cost_curve, optimize, training_curve
from cxcost.presets import list_presets, load_preset
from cxcost.report import charts
from cxcost.scenario import Scenario
from cxcost.uncertainty import UncertaintyReport, analyse, monte_carlo

PRESET_STEMS = [entry.stem for entry in list_presets() if entry.error is None]
DRAWS = 2_000


@pytest.fixture(scope="module", params=PRESET_STEMS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_preset(request.param)


def _more_staff(scenario: Scenario) -> Scenario:
    proposal = scenario.model_copy(deep=True)
    proposal.channels[0].representatives += 5
    return Scenario.model_validate(proposal.model_dump())


def _figures(scenario: Scenario, language: Language) -> dict[str, go.Figure]:
    result = evaluate(scenario)
    curve = cost_curve(scenario, 0)
    training = training_curve(scenario)
    proposal = _more_staff(scenario)
    return {
        "driver": charts.driver_breakdown_figure(result, language),
        "churners": charts.churners_figure(result, language),
        "staffing": charts.staffing_curve_figure(curve, language),
        "queue": charts.queue_curves_figure(curve, language),
        "training": charts.training_curve_figure(training, language),
        "training_quality": charts.training_quality_figure(training, language),
        "repeat": charts.repeat_contacts_figure(training, language),
        "comparison": charts.comparison_figure(compare(scenario, proposal), language),
        "monte_carlo": charts.monte_carlo_figure(
            monte_carlo(scenario, proposal, draws=DRAWS, seed=1), language
        ),
        "monte_carlo_alone": charts.monte_carlo_figure(
            monte_carlo(scenario, draws=DRAWS, seed=1), language
        ),
        "tornado": charts.net_benefit_tornado_figure(
            analyse(scenario, proposal, draws=DRAWS, seed=1), language
        ),
        "profile": charts.arrival_profile_figure(scenario.demand.arrival_profile, language),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_has_a_title_and_titled_axes(scenario: Scenario, language: Language) -> None:
    for name, fig in _figures(scenario, language).items():
        assert isinstance(fig, go.Figure), name
        assert fig.layout.title.text, name
        assert fig.layout.xaxis.title.text, name
        if name not in ("driver", "churners", "tornado", "profile"):
            assert fig.layout.yaxis.title.text, name
        json.loads(fig.to_json())


def test_the_app_builds_the_figure_the_checks_pass(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app skips plotly's property checks (``charts.VALIDATE``); the suite turns them
    on. Both build the same figure, and the checks are really on here."""
    assert charts.VALIDATE
    checked = {name: json.loads(fig.to_json()) for name, fig in _figures(scenario, "en").items()}
    monkeypatch.setattr(charts, "VALIDATE", False)
    unchecked = {name: json.loads(fig.to_json()) for name, fig in _figures(scenario, "en").items()}
    assert unchecked == checked
    monkeypatch.setattr(charts, "VALIDATE", True)
    with pytest.raises(ValueError, match="colour"):
        charts._figure([{"type": "bar", "x": [1], "y": [2]}], {"colour": "red"})


def test_money_ticks_come_from_the_one_money_formatter(scenario: Scenario) -> None:
    result = evaluate(scenario)
    for language in LANGUAGES:
        fig = charts.driver_breakdown_figure(result, language)
        expected = [format_money(v, result.currency, language) for v in fig.layout.xaxis.tickvals]
        assert list(fig.layout.xaxis.ticktext) == expected


def test_drivers_keep_their_colours() -> None:
    result = evaluate(Scenario())
    fig = charts.driver_breakdown_figure(result)
    assert list(fig.data[0].marker.color) == [
        charts.DRIVER_COLOURS[d] for d in ("wait", "rudeness", "dismissiveness")
    ]
    quality = charts.training_quality_figure(training_curve(Scenario()))
    assert quality.data[0].line.color == charts.DRIVER_COLOURS["rudeness"]
    assert quality.data[1].line.color == charts.DRIVER_COLOURS["dismissiveness"]


def test_driver_chart_title_names_the_costliest_driver() -> None:
    result = evaluate(Scenario())
    top = max(result.revenue_at_risk_by_driver, key=result.revenue_at_risk_by_driver.__getitem__)
    names = {"wait": "Waiting", "rudeness": "Rudeness", "dismissiveness": "Dismissiveness"}
    title = charts.driver_breakdown_figure(result).layout.title.text
    assert title.startswith(names[top])


def test_staffing_curve_marks_minimum_and_current() -> None:
    curve = cost_curve(Scenario(), 0)
    fig = charts.staffing_curve_figure(curve)
    star = fig.data[-1]
    assert star.x[0] == curve.representatives[curve.best_index]
    assert star.y[0] == min(curve.total_cost)
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert [shape.x0 for shape in lines] == [curve.current_representatives]


def test_monte_carlo_figure_is_binned_not_raw() -> None:
    mc = monte_carlo(Scenario(), draws=50_000, seed=3)
    fig = charts.monte_carlo_figure(mc)
    assert all(len(trace.x) <= 60 for trace in fig.data)
    assert sum(fig.data[0].y) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "make",
    [
        lambda s: charts.staffing_curve_figure(cost_curve(s, 0)),
        lambda s: charts.queue_curves_figure(cost_curve(s, 0)),
    ],
)
def test_channel_names_are_escaped_in_charts(make: Callable[[Scenario], go.Figure]) -> None:
    hostile = Scenario().model_copy(deep=True)
    hostile.channels[0].name = "<img src=x onerror=alert(1)>"
    scenario = Scenario.model_validate(hostile.model_dump())
    text = make(scenario).to_json()
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_no_loss_has_its_own_title() -> None:
    calm = Scenario().model_copy(deep=True)
    calm.churn.wait_churn_max = calm.churn.rude_churn = calm.churn.dismissive_churn = 0.0
    calm.churn.abandon_churn = 0.0
    result: Result = evaluate(Scenario.model_validate(calm.model_dump()))
    fig = charts.driver_breakdown_figure(result)
    assert fig.layout.title.text == "No revenue is at risk from service"


@pytest.mark.parametrize(
    ("low", "high"), [(0, 7_345_155), (-2e6, 5.5e6), (3.2, 3.2), (0.0, 0.037), (1e9, 1.7e9)]
)
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert ticks == sorted(ticks)
    assert 2 <= len(ticks) <= 12


# ---------------------------------------------------------------------------
# Model v3: the flat band on the U-curves, the tornado on the plan's net benefit


def _band(fig: go.Figure) -> list[go.layout.Shape]:
    return [shape for shape in fig.layout.shapes if shape.type == "rect"]


def test_staffing_curve_shades_the_band_within_one_percent() -> None:
    curve = cost_curve(Scenario(), 0)
    fig = charts.staffing_curve_figure(curve)
    (band,) = _band(fig)
    assert (band.x0, band.x1) == (curve.band_low, curve.band_high)
    assert band.x0 <= curve.representatives[curve.best_index] <= band.x1
    assert band.layer == "below"
    assert any(a.text == "Within 1 % of the cheapest" for a in fig.layout.annotations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_curve_shades_the_band_within_one_percent(language: Language) -> None:
    curve = training_curve(Scenario())
    fig = charts.training_curve_figure(curve, language)
    (band,) = _band(fig)
    assert (band.x0, band.x1) == (curve.band_low, curve.band_high)


@pytest.fixture(scope="module")
def plan_analysis() -> UncertaintyReport:
    scenario = Scenario()
    return analyse(scenario, optimize(scenario).scenario, draws=DRAWS, seed=1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_net_benefit_tornado_has_bars_for_both_ends_around_the_reference(
    plan_analysis: UncertaintyReport, language: Language
) -> None:
    bars, reference = plan_analysis.tornado, plan_analysis.headline["net_benefit_per_year"]
    fig = charts.net_benefit_tornado_figure(plan_analysis, language)
    low, high = fig.data
    assert len(low.y) == len(high.y) == len(bars)
    assert list(low.base) == list(high.base) == [reference] * len(bars)
    ends_low = [b + x for b, x in zip(low.base, low.x, strict=True)]
    ends_high = [b + x for b, x in zip(high.base, high.x, strict=True)]
    assert ends_low == pytest.approx([bar.net_benefit_low for bar in bars])
    assert ends_high == pytest.approx([bar.net_benefit_high for bar in bars])
    centre = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == reference]
    assert len(centre) == 1
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text
    json.loads(fig.to_json())


def test_net_benefit_tornado_title_names_the_largest_swing(
    plan_analysis: UncertaintyReport,
) -> None:
    bars = plan_analysis.tornado
    fig = charts.net_benefit_tornado_figure(plan_analysis)
    assert fig.layout.title.text.startswith(bars[0].label.split()[0])
    assert "net benefit" in fig.layout.title.text.replace("<br>", " ")
    assert format_money(bars[0].swing, "USD", "en") in fig.layout.title.text


def test_tornado_labels_show_ranges_as_multipliers(plan_analysis: UncertaintyReport) -> None:
    fig = charts.net_benefit_tornado_figure(plan_analysis)
    assert all(label.endswith(" ×)") for label in fig.data[0].y)


def test_compact_tornado_shows_the_largest_swings_without_ranges(
    plan_analysis: UncertaintyReport,
) -> None:
    full = charts.net_benefit_tornado_figure(plan_analysis)
    compact = charts.net_benefit_tornado_figure(plan_analysis, compact=True)
    shown = charts.COMPACT_TORNADO_BARS
    assert list(compact.data[0].y) == [label.rsplit(" (", 1)[0] for label in full.data[0].y][:shown]
    assert "×" not in "".join(compact.data[0].y)
    assert not compact.layout.xaxis.title.text
    assert len(compact.layout.xaxis.tickvals) < len(full.layout.xaxis.tickvals)


def test_tornado_needs_an_analysis_of_a_plan() -> None:
    without_plan = analyse(Scenario(), draws=DRAWS, seed=1)
    with pytest.raises(ValueError, match="no proposal"):
        charts.net_benefit_tornado_figure(without_plan)


def test_tornado_input_labels_are_translated(plan_analysis: UncertaintyReport) -> None:
    english = charts.net_benefit_tornado_figure(plan_analysis, "en").data[0].y
    norwegian = charts.net_benefit_tornado_figure(plan_analysis, "nb").data[0].y
    assert all(a != b for a, b in zip(english, norwegian, strict=True))
