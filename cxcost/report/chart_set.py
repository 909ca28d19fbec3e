"""The charts of a report, built once for the HTML page and the chart images alike.

The HTML report and the image export (``python -m cxcost report``, the app's
report downloads) draw their charts from one ``ReportCharts``, and every
figure in it comes from the builder the app calls for the same chart, with the
same model outputs (``cxcost.report.charts.CHART_BUILDERS``). So a chart cannot
look one way in the page and another in its PNG: there is one place that
decides each builder's arguments for the exports. ``tests/test_chart_parity.py``
checks the figures against the app's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from cxcost.actions import Action
from cxcost.evaluate import Result
from cxcost.i18n import Language
from cxcost.optimize import CostCurve, Recommendation, TrainingCurve
from cxcost.report import charts
from cxcost.uncertainty import MonteCarloResult, UncertaintyReport


@dataclass(frozen=True)
class ChannelCharts:
    """One channel's two charts: the total-cost curve and the queue curves."""

    channel_name: str
    staffing: go.Figure
    queues: go.Figure


@dataclass(frozen=True)
class ReportCharts:
    """Every chart of a scenario's report, in reading order.

    ``tornado`` is None when the analysis judged no plan (the recommendation
    changes nothing), as the app then shows none either.
    """

    drivers: go.Figure
    churners: go.Figure
    comparison: go.Figure
    channels: tuple[ChannelCharts, ...]
    profile: go.Figure
    training: go.Figure
    training_quality: go.Figure
    repeat_contacts: go.Figure
    tornado: go.Figure | None
    monte_carlo: go.Figure
    actions: go.Figure | None = None
    action_drivers: go.Figure | None = None


def report_charts(
    result: Result,
    recommendation: Recommendation,
    staffing_curves: Sequence[CostCurve],
    training_curve: TrainingCurve,
    arrival_profile: Sequence[float],
    uncertainty: UncertaintyReport,
    monte_carlo: MonteCarloResult,
    language: Language,
    actions: Sequence[Action] = (),
) -> ReportCharts:
    """Build every chart of a report from the model's outputs.

    Parameters
    ----------
    result : ``evaluate(scenario)``
    recommendation : ``optimize(scenario)``; its comparison is the Compare chart
    staffing_curves : ``cost_curve(scenario, i)`` for every channel
    training_curve : ``training_curve(scenario)``
    arrival_profile : ``scenario.demand.arrival_profile`` (168 hourly weights)
    uncertainty : ``analyse(scenario, plan)``: the tornado's bars and centre line
    monte_carlo : ``monte_carlo(scenario, plan)``: the distribution chart
    language : "en" or "nb"
    actions : ``rank_actions(scenario)``: the ranked list and each lever's effect on
        the drivers (the Practices charts); none without it

    Returns
    -------
    ReportCharts
    """
    has_plan = "net_benefit_per_year" in uncertainty.headline
    return ReportCharts(
        drivers=charts.driver_breakdown_figure(result, language),
        churners=charts.churners_figure(result, language),
        comparison=charts.comparison_figure(recommendation.comparison, language),
        channels=tuple(
            ChannelCharts(
                curve.channel_name,
                charts.staffing_curve_figure(curve, language),
                charts.queue_curves_figure(curve, language),
            )
            for curve in staffing_curves
        ),
        profile=charts.arrival_profile_figure(arrival_profile, language),
        training=charts.training_curve_figure(training_curve, language),
        training_quality=charts.training_quality_figure(training_curve, language),
        repeat_contacts=charts.repeat_contacts_figure(training_curve, language),
        tornado=charts.net_benefit_tornado_figure(uncertainty, language) if has_plan else None,
        monte_carlo=charts.monte_carlo_figure(monte_carlo, language),
        actions=charts.actions_figure(actions, result.currency, language) if actions else None,
        action_drivers=charts.action_drivers_figure(actions, language) if actions else None,
    )
