"""Uncertainty tab: ``cxcost.uncertainty.analyse`` of one named scenario, on demand.

The analysis describes the current inputs unless the user picks the baseline,
and judges that scenario's recommended plan (``compute.recommendation_json``):
P10/P50/P90, the probability the plan pays off, the tornado on its net benefit
and the break-even cut in dismissive contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cxcost.i18n import Language, basis_label, format_money, format_number, format_percent, t
from cxcost.report import charts
from cxcost.report.bundle import plan_to_judge
from cxcost.scenario import APP_MAX_DRAWS, Scenario
from cxcost.ui import compute, recommend
from cxcost.ui.components import render_chart
from cxcost.ui.gate import working
from cxcost.ui.held import held_index
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View
from cxcost.uncertainty import UncertaintyReport

RUN_KEY = "ui.uncertainty.run"
SOURCE_KEY = "ui.uncertainty.source"
DESCRIBES_KEY = "ui.uncertainty.describes"
BREAK_EVEN_KEY = "ui.uncertainty.break_even"


@dataclass(frozen=True)
class MonteCarloState:
    """An analysis and the scenario it describes (JSON, name, the plan it judged)."""

    scenario_json: str
    scenario_name: str
    plan: str
    report: UncertaintyReport


def percentile_table(report: UncertaintyReport, language: Language) -> pd.DataFrame:
    """P10 / P50 / P90 and the value at the inputs' own values, per figure."""
    currency = report.currency
    rows = [
        ("unc.row.revenue_at_risk", report.revenue_at_risk_per_year, "revenue_at_risk_per_year"),
        ("unc.row.total_cx_cost", report.total_cx_cost_per_year, "total_cx_cost_per_year"),
    ]
    if report.net_benefit_per_year is not None:
        rows.append(("unc.row.net_benefit", report.net_benefit_per_year, "net_benefit_per_year"))
    return pd.DataFrame(
        [
            {
                t("unc.col.figure", language): t(key, language),
                "P10": format_money(values.p10, currency, language),
                "P50": format_money(values.p50, currency, language),
                "P90": format_money(values.p90, currency, language),
                t("unc.col.headline", language): format_money(
                    report.headline[field], currency, language
                ),
            }
            for key, values, field in rows
        ]
    )


def break_even_sentence(report: UncertaintyReport, language: Language) -> str | None:
    """ "The plan pays off as long as training cuts dismissive contacts by at least N %"."""
    if report.net_benefit_per_year is None:
        return None
    even = report.break_even
    if even is None:
        return t("unc.break_even_never", language)
    if even.required_cut <= 0:
        return t("unc.break_even_free", language)
    return t(
        "unc.break_even",
        language,
        required=format_percent(even.required_cut, language, 0),
        modelled=format_percent(even.modelled_cut, language, 0),
    )


def _source_label(source: str, baseline: Scenario, language: Language) -> str:
    if source == "baseline":
        return t("unc.source.baseline", language, name=baseline.name)
    return t("unc.source.current", language)


def render_report(state: MonteCarloState, view: View) -> None:
    """The analysis: percentiles, probability of paying off, break-even, tornado."""
    language = view.language
    report = state.report
    st.caption(
        t(
            "unc.basis",
            language,
            draws=format_number(report.draws, language),
            seed=report.seed,
            steady=basis_label("steady", language),
            yearly=basis_label("yearly", language),
        )
    )
    st.dataframe(percentile_table(report, language), hide_index=True, width="stretch")
    if report.probability_pays_off is None:
        st.info(t("unc.no_plan", language))
        return
    st.metric(t("unc.pays_off", language), format_percent(report.probability_pays_off, language, 0))
    sentence = break_even_sentence(report, language)
    if sentence is not None:
        with st.container(key=BREAK_EVEN_KEY):
            st.markdown(f"**{escape_markdown(sentence)}**")
    st.subheader(t("unc.tornado_title", language))
    render_chart(
        charts.net_benefit_tornado_figure(report, language),
        "chart.tornado",
        view,
    )


def render_uncertainty(
    view: View, baseline: Scenario, last_run: MonteCarloState | None
) -> MonteCarloState | None:
    """The Uncertainty tab; returns an analysis made in this script run, if any."""
    language = view.language
    st.caption(t("unc.intro", language))
    sources = ["current", "baseline"]
    source = st.radio(
        t("unc.source", language),
        options=sources,
        index=held_index(SOURCE_KEY, sources),
        format_func=lambda option: escape_markdown(_source_label(option, baseline, language)),
        horizontal=True,
        key=SOURCE_KEY,
    )
    target = baseline if source == "baseline" else view.scenario
    target_json = target.model_dump_json()
    name = f"{_source_label(str(source), baseline, language)}: {target.name}"
    with st.container(key=DESCRIBES_KEY):
        st.markdown("#### " + escape_markdown(t("unc.describes", language, name=name)))
    clicked = st.button(t("unc.run", language), key=RUN_KEY, type="primary")
    made: MonteCarloState | None = None
    if clicked:
        draws = format_number(min(target.uncertainty.draws, APP_MAX_DRAWS), language)
        with working(t("unc.running", language, draws=draws)):
            recommendation = compute.recommendation_now(target_json)
            plan = plan_to_judge(target, recommendation)
            report = compute.analyse_json(
                target_json, plan.model_dump_json() if plan is not None else None
            )
        made = MonteCarloState(
            target_json, name, recommend.plan_words(recommendation, target, language), report
        )
        last_run = made
    if last_run is None:
        st.info(escape_markdown(t("unc.not_run", language, name=name)))
        return made
    if last_run.scenario_json != target_json:
        st.warning(escape_markdown(t("unc.stale", language, name=last_run.scenario_name)))
    st.markdown(escape_markdown(t("unc.plan", language, plan=last_run.plan)))
    render_report(last_run, view)
    return made
