"""Uncertainty tab: Monte Carlo on demand, and the tornado chart."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cxcost.i18n import format_money, format_number, format_percent, t
from cxcost.report import charts
from cxcost.scenario import Scenario
from cxcost.ui import compute
from cxcost.ui.components import render_chart
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View
from cxcost.uncertainty import MonteCarloResult

RUN_KEY = "ui.uncertainty.run"


@dataclass(frozen=True)
class MonteCarloState:
    """A Monte Carlo run and the scenario/proposal JSON it was drawn for."""

    scenario_json: str
    proposal_json: str | None
    result: MonteCarloResult


def render_uncertainty(
    view: View, baseline: Scenario, last_run: MonteCarloState | None
) -> MonteCarloState | None:
    """The Uncertainty tab; returns a run made in this script run, if any.

    The net benefit compares the current inputs with the baseline when they
    differ, else the optimiser's cheapest plan with the current inputs (the
    plan is only searched when the button is pressed).
    """
    language, currency = view.language, view.currency
    st.caption(t("uncertainty.intro", language))
    baseline_json = baseline.model_dump_json()
    against_baseline = baseline_json != view.scenario_json
    if against_baseline:
        base_json, proposal_json = baseline_json, view.scenario_json
        note = t("uncertainty.proposal_baseline", language, name=baseline.name)
    else:
        base_json, proposal_json = view.scenario_json, None
        note = t("uncertainty.proposal_plan", language)
    st.caption(escape_markdown(note))
    clicked = st.button(t("uncertainty.run", language), key=RUN_KEY, type="primary")
    made: MonteCarloState | None = None
    if clicked:
        draws = format_number(view.scenario.uncertainty.draws, language)
        with st.spinner(t("uncertainty.running", language, draws=draws)):
            if proposal_json is None:
                plan = compute.optimize_json(view.scenario_json, None, None)
                proposal_json = plan.scenario.model_dump_json()
            result = compute.monte_carlo_json(base_json, proposal_json)
        made = MonteCarloState(base_json, proposal_json, result)
        last_run = made
    if last_run is None:
        st.info(t("uncertainty.not_run", language))
    else:
        stale = last_run.scenario_json != base_json or (
            against_baseline and last_run.proposal_json != proposal_json
        )
        if stale:
            st.warning(t("uncertainty.stale", language))
        summary = last_run.result.summary()
        mc_currency = summary.currency
        columns = st.columns(4)
        for column, key, value in zip(
            columns[:3],
            ("metric.rar_p10", "metric.rar_p50", "metric.rar_p90"),
            (summary.revenue_at_risk_p10, summary.revenue_at_risk_p50, summary.revenue_at_risk_p90),
            strict=True,
        ):
            with column:
                st.metric(t(key, language), format_money(value, mc_currency, language))
        if summary.probability_pays_off is not None:
            with columns[3]:
                st.metric(
                    t("metric.pays_off", language),
                    format_percent(summary.probability_pays_off, language, 0),
                )
            nb_columns = st.columns(4)
            for column, key, nb_value in zip(
                nb_columns[:3],
                ("metric.nb_p10", "metric.nb_p50", "metric.nb_p90"),
                (summary.net_benefit_p10, summary.net_benefit_p50, summary.net_benefit_p90),
                strict=True,
            ):
                with column:
                    st.metric(
                        t(key, language), format_money(nb_value or 0.0, mc_currency, language)
                    )
        render_chart(
            charts.monte_carlo_figure(last_run.result, language), "chart.monte_carlo", view
        )
    bars = compute.tornado_json(view.scenario_json)
    render_chart(
        charts.tornado_figure(bars, currency, language, view.result.revenue_at_risk_per_year),
        "chart.tornado",
        view,
    )
    return made
