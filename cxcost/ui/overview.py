"""Overview tab: the finding, the headline numbers, the drivers, and the optimiser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cxcost.i18n import (
    basis_label,
    currency_label,
    format_duration_seconds,
    format_money,
    format_number,
    format_percent,
    t,
    tn,
)
from cxcost.optimize import Recommendation, planned_channels, practice_warnings
from cxcost.report import charts
from cxcost.scenario import Scenario
from cxcost.ui import compute, recommend
from cxcost.ui.components import (
    closed_group,
    money_metric,
    render_chart,
    render_table,
    signed_number,
)
from cxcost.ui.gate import working
from cxcost.ui.held import held
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import headline_only, plan_or_wait, space_first
from cxcost.ui.view import View

FINDING_KEY = "ui.finding"
CARDS_KEY = "ui.cards"
WARNINGS_KEY = "ui.warnings"
BANDS_KEY = "ui.bands"
OPTIMIZE_KEY = "ui.optimize"
APPLY_KEY = "ui.apply_plan"
APPLY_BUTTON_HEIGHT = 40
"""The "apply this plan" button's height [px]."""
MIN_SERVICE_LEVEL_KEY = "ui.optimize.min_service_level"
MAX_BUDGET_KEY = "ui.optimize.max_budget"
CONSTRAINTS_KEY = "ui.optimize.constraints"


@dataclass(frozen=True)
class PlanState:
    """The plan last shown, the scenario JSON it was for, and whether constraints shaped it."""

    for_scenario_json: str
    recommendation: Recommendation
    constrained: bool = False


def render_finding(view: View) -> str:
    """The opening sentence: the costliest driver and the recommended plan, with its bands.

    It names the same plan, with the same net benefit, as the optimiser panel
    (``compute.recommendation_json``, described by ``cxcost.ui.recommend``).
    """
    bundle = compute.plan_bundle_json(view.scenario_json)
    if bundle is None:
        sentence = recommend.driver_sentence(view.result, view.language)
        with st.container(key=FINDING_KEY):
            st.markdown(f"#### {escape_markdown(sentence)}")
        plan_or_wait(view.scenario_json, view.language, "rec.pending")  # the waiting line
        return sentence
    recommendation = bundle.recommendation
    curves = [bundle.curves[index] for index in planned_channels(view.scenario)]
    found = recommend.finding(
        view.result,
        recommendation,
        view.scenario,
        curves,
        bundle.training,
        view.language,
        bundle.actions,
    )
    with st.container(key=FINDING_KEY):
        st.markdown(f"#### {escape_markdown(found.sentence)}")
    if found.bands:
        with st.container(key=BANDS_KEY):
            st.markdown(" ".join(escape_markdown(line) for line in found.bands))
    render_warnings(recommendation, view)
    return found.sentence


def render_warnings(recommendation: Recommendation, view: View) -> None:
    """The recommendation's guardrail sentences, always visible (never in an expander)."""
    language = view.language
    warnings = practice_warnings(recommendation.scenario, recommendation.result, language)
    if not warnings:
        return
    lines = [t("rec.warnings", language), ""]
    lines += [f"- {escape_markdown(text)}" for text in warnings]
    with st.container(key=WARNINGS_KEY):
        st.warning("\n".join(lines))


def render_headline(view: View) -> None:
    """The cards that add up: revenue at risk, then churn cost + service cost = total CX cost.

    Every card states its basis; churn cost says how a lost customer is valued
    and what one is worth.
    """
    result, base, language = view.result, view.baseline_result, view.language
    currency = view.currency
    basis = basis_label("steady", language)
    delta_help = t("metric.delta_help", language, name=escape_markdown(view.baseline.name))
    valuation = t(f"valuation.{result.lost_customer_valuation}", language)
    value = format_money(result.lost_customer_value, currency, language, compact=False)
    st.caption(t("card.basis", language, basis=basis))
    with st.container(key=CARDS_KEY):
        columns = st.columns([4, 4, 1, 4, 1, 4], vertical_alignment="center")
        with columns[0]:
            money_metric(
                t("card.revenue_at_risk", language),
                result.revenue_at_risk_per_year,
                currency,
                language,
                result.revenue_at_risk_per_year - base.revenue_at_risk_per_year,
                f"{t('card.revenue_at_risk_help', language, basis=basis)} {delta_help}",
            )
            lost_delta = signed_number(
                result.customers_lost_per_year - base.customers_lost_per_year, language
            )
            st.caption(
                f"{t('metric.customers_lost', language)}: "
                f"{format_number(result.customers_lost_per_year, language)}"
                + ("" if lost_delta == "0" else f" ({lost_delta})")
            )
        with columns[1]:
            money_metric(
                t("card.churn_cost", language),
                result.churn_cost_per_year,
                currency,
                language,
                result.churn_cost_per_year - base.churn_cost_per_year,
                t("card.churn_cost_help", language, valuation=valuation, value=value, basis=basis)
                + f" {delta_help}",
            )
            st.caption(
                t(
                    "card.churn_cost_caption",
                    language,
                    lost=format_number(result.customers_lost_per_year, language),
                    value=value,
                    valuation=valuation,
                )
            )
        with columns[2]:
            st.markdown("### +")
        with columns[3]:
            money_metric(
                t("card.service_cost", language),
                result.service_cost_per_year,
                currency,
                language,
                result.service_cost_per_year - base.service_cost_per_year,
                f"{t('card.service_cost_help', language, basis=basis)} {delta_help}",
            )
        with columns[4]:
            st.markdown("### =")
        with columns[5]:
            money_metric(
                t("card.total_cx_cost", language),
                result.total_cx_cost_per_year,
                currency,
                language,
                result.total_cx_cost_per_year - base.total_cx_cost_per_year,
                f"{t('card.total_cx_cost_help', language, basis=basis)} {delta_help}",
            )


def _channel_table(view: View) -> pd.DataFrame:
    language = view.language
    rows = [
        {
            t("col.channel", language): channel.name,
            t("col.representatives", language): format_number(channel.representatives, language, 1),
            t("col.service_level", language): format_percent(channel.service_level, language),
            t("col.mean_wait", language): format_duration_seconds(
                channel.mean_wait_seconds, language
            ),
            t("col.abandonment", language): format_percent(channel.p_abandon, language),
            t("col.occupancy", language): format_percent(channel.occupancy, language),
            t("col.overloaded", language): format_number(
                channel.overloaded_hours_per_week, language
            ),
        }
        for channel in view.result.channels
    ]
    return pd.DataFrame(rows)


def _plan_table(view: View, plan: Recommendation) -> pd.DataFrame:
    language, currency = view.language, view.currency
    now, new = plan.base_result, plan.result
    col_item, col_now, col_plan = (
        " ",  # the row labels need no header
        t("col.now", language),
        t("col.plan", language),
    )
    rows = [
        (
            t("row.reps_channel", language, channel=channel.name),
            format_number(channel.representatives, language, 1),
            format_number(reps, language, 1),
        )
        for channel, reps in zip(view.scenario.channels, plan.representatives, strict=True)
    ]
    rows.append(
        (
            t("row.training_hours", language),
            format_number(view.scenario.training.hours_per_rep_per_year, language),
            format_number(plan.training_hours, language),
        )
    )
    for key, field in (
        ("row.revenue_at_risk", "revenue_at_risk_per_year"),
        ("row.service_cost", "service_cost_per_year"),
        ("row.churn_cost", "churn_cost_per_year"),
        ("row.total_cx_cost", "total_cx_cost_per_year"),
    ):
        rows.append(
            (
                t(key, language),
                format_money(getattr(now, field), currency, language),
                format_money(getattr(new, field), currency, language),
            )
        )
    for before, after in zip(now.channels, new.channels, strict=True):
        rows.append(
            (
                t("row.service_level_channel", language, channel=before.name),
                format_percent(before.service_level, language),
                format_percent(after.service_level, language),
            )
        )
    return pd.DataFrame(rows, columns=[col_item, col_now, col_plan])


def _same_inputs(a: Scenario, b: Scenario) -> bool:
    """The same values; the sources may differ (the app marks applied values as the user's)."""
    return a.model_dump(exclude={"sources"}) == b.model_dump(exclude={"sources"})


def render_optimiser(
    view: View, plan: PlanState | None, on_apply: Callable[[], None]
) -> PlanState | None:
    """The recommended plan, optional constraints, and the button that applies it.

    Without constraints the plan is the one recommendation every tab names
    (``compute.recommendation_json``); with constraints it is searched on the
    button and labelled as the constrained plan.

    Returns
    -------
    PlanState or None
        The plan shown in this run (for the apply button), else None.
    """
    language, currency = view.language, view.currency
    st.subheader(t("rec.title", language))
    bundle = compute.plan_bundle_json(view.scenario_json)
    recommendation = bundle.recommendation if bundle is not None else None
    constrained = False
    if plan is not None and plan.for_scenario_json == view.scenario_json:
        recommendation, constrained = plan.recommendation, plan.constrained
    elif plan is not None and _same_inputs(plan.recommendation.scenario, view.scenario):
        st.success(t("optimizer.applied", language))
    # The constraints draw their inputs only while open (each number input costs a rerun
    # a walk through the whole session state); their values are kept while closed.
    constraints = closed_group(
        t("optimizer.title", language), CONSTRAINTS_KEY, (MIN_SERVICE_LEVEL_KEY, MAX_BUDGET_KEY)
    )
    clicked, min_level, budget = False, 0.0, 0.0
    if constraints is not None:
        with constraints:
            left, middle, right = st.columns([2, 2, 2], vertical_alignment="bottom")
            with left:
                min_level = st.number_input(
                    t("optimizer.min_service_level", language),
                    min_value=0.0,
                    max_value=100.0,
                    value=held(MIN_SERVICE_LEVEL_KEY, 0.0),
                    step=5.0,
                    key=MIN_SERVICE_LEVEL_KEY,
                    format="%.0f",
                    help=t("optimizer.min_service_level_help", language),
                )
            with middle:
                budget = st.number_input(
                    t(
                        "optimizer.max_budget",
                        language,
                        currency=currency_label(currency, language),
                    ),
                    min_value=0.0,
                    value=held(MAX_BUDGET_KEY, 0.0),
                    step=100_000.0,
                    key=MAX_BUDGET_KEY,
                    format="%.0f",
                    help=t("optimizer.max_budget_help", language),
                )
            with right:
                clicked = st.button(
                    t("optimizer.button", language), key=OPTIMIZE_KEY, type="primary"
                )
    if clicked:
        floor = min_level / 100.0 if min_level > 0 else None
        ceiling = budget if budget > 0 else None
        with working(t("optimizer.running", language)):
            recommendation = compute.optimize_json(view.scenario_json, floor, ceiling)
        constrained = floor is not None or ceiling is not None
    if recommendation is None:
        st.caption(f"⏳ {t('rec.pending', language)}")
        return None
    if constrained:
        st.caption(t("rec.constrained", language))
        if not recommendation.feasible:
            st.warning(t("optimizer.infeasible", language))
        render_warnings(recommendation, view)
    net = recommendation.comparison.net_benefit_per_year
    st.markdown(
        escape_markdown(
            tn(
                "rec.summary",
                round(recommendation.training_hours),
                language,
                reps=format_number(sum(recommendation.representatives), language, 1),
                current_reps=format_number(view.result.representatives, language, 1),
                hours=format_number(recommendation.training_hours, language),
                current_hours=format_number(
                    view.scenario.training.hours_per_rep_per_year, language
                ),
                net=format_money(net, currency, language),
                basis=basis_label("yearly", language),
            )
        )
    )
    render_table(_plan_table(view, recommendation), "plan", view.language)
    # A button's code would hold a new page's numbers back (cxcost.ui.pending).
    if not space_first("apply", APPLY_BUTTON_HEIGHT):
        st.button(t("optimizer.apply", language), key=APPLY_KEY, on_click=on_apply)
    return PlanState(view.scenario_json, recommendation, constrained)


def render_overview(
    view: View, plan: PlanState | None, on_apply: Callable[[], None]
) -> PlanState | None:
    """The Overview tab; returns a plan the optimiser found in this run, if any."""
    language = view.language
    render_finding(view)
    render_headline(view)
    if headline_only():  # a session's first page ends here (cxcost.ui.pending)
        return None
    result = view.result
    st.caption(
        t(
            "overview.context",
            language,
            lost=format_number(result.customers_lost_per_year, language),
            customers=format_number(result.customers, language),
            rate=format_percent(result.service_churn_rate, language),
            contacts=format_number(result.contacts_per_year, language),
            repeats=format_number(result.repeat_contacts_per_year, language),
        )
    )
    left, right = st.columns([3, 2])
    with left:
        render_chart(charts.driver_breakdown_figure(result, language), "chart.drivers", view)
    with right:
        render_chart(charts.churners_figure(result, language), "chart.churners", view)
    st.subheader(t("overview.channels", language))
    render_table(_channel_table(view), "channels", language)
    return render_optimiser(view, plan, on_apply)
