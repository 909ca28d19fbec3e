"""Compare tab: the current inputs against a saved baseline."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from cxcost.compare import Comparison
from cxcost.evaluate import Result
from cxcost.i18n import (
    Language,
    basis_label,
    format_money,
    format_number,
    format_percent,
    npv_label,
    t,
    tn,
)
from cxcost.report import charts
from cxcost.scenario import Scenario
from cxcost.ui import compute
from cxcost.ui.components import money_metric, render_chart, signed_money, signed_number
from cxcost.ui.fields import field_label
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View

SAVE_BASELINE_KEY = "ui.compare.save_baseline"
ASSUMPTIONS_KEY = "ui.compare.assumptions"
DECISION_KEY = "ui.compare.decision"


def _signed_points(before: float, after: float, language: Language) -> str:
    text = format_percent(after - before, language)
    return text if after - before < 0 else f"+{text}"


def comparison_table(
    base: Scenario, base_result: Result, current: Scenario, result: Result, language: Language
) -> pd.DataFrame:
    """Side-by-side headline numbers of the baseline and the current inputs."""
    currency = base_result.currency
    rows: list[tuple[str, str, str, str]] = []
    for key, field in (
        ("row.revenue_at_risk", "revenue_at_risk_per_year"),
        ("row.service_cost", "service_cost_per_year"),
        ("row.churn_cost", "churn_cost_per_year"),
        ("row.total_cx_cost", "total_cx_cost_per_year"),
    ):
        before, after = getattr(base_result, field), getattr(result, field)
        rows.append(
            (
                t(key, language),
                format_money(before, currency, language),
                format_money(after, currency, language),
                signed_money(after - before, currency, language) or "0",
            )
        )
    rows.append(
        (
            t("row.customers_lost", language),
            format_number(base_result.customers_lost_per_year, language),
            format_number(result.customers_lost_per_year, language),
            signed_number(
                result.customers_lost_per_year - base_result.customers_lost_per_year, language
            ),
        )
    )
    rows.append(
        (
            t("row.representatives", language),
            format_number(base_result.representatives, language, 1),
            format_number(result.representatives, language, 1),
            signed_number(result.representatives - base_result.representatives, language, 1),
        )
    )
    rows.append(
        (
            t("row.training_hours", language),
            format_number(base.training.hours_per_rep_per_year, language),
            format_number(current.training.hours_per_rep_per_year, language),
            signed_number(
                current.training.hours_per_rep_per_year - base.training.hours_per_rep_per_year,
                language,
            ),
        )
    )
    for before, after in zip(base_result.channels, result.channels, strict=False):
        rows.append(
            (
                t("row.service_level_channel", language, channel=after.name),
                format_percent(before.service_level, language),
                format_percent(after.service_level, language),
                _signed_points(before.service_level, after.service_level, language),
            )
        )
    columns = [
        " ",  # the row labels need no header
        t("compare.baseline", language),
        t("compare.current", language),
        t("compare.difference", language),
    ]
    return pd.DataFrame(rows, columns=columns)


def render_compare(view: View, baseline: Scenario, on_save_baseline: Callable[[], None]) -> None:
    """The Compare tab: table, net benefit, ROI, payback, NPV chart."""
    language = view.language
    st.caption(t("compare.intro", language))
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(escape_markdown(t("compare.baseline_name", language, name=baseline.name)))
    with right:
        st.button(t("compare.save", language), key=SAVE_BASELINE_KEY, on_click=on_save_baseline)
    baseline_json = baseline.model_dump_json()
    base_result = compute.evaluate_json(baseline_json)
    if base_result.currency != view.currency:
        st.warning(
            t(
                "compare.currency_mismatch",
                language,
                base=base_result.currency,
                current=view.currency,
            )
        )
    table = comparison_table(baseline, base_result, view.scenario, view.result, language)
    if baseline_json == view.scenario_json:
        st.info(t("compare.same", language))
        st.dataframe(table, hide_index=True, width="stretch")
        return
    try:
        comparison = compute.compare_json(baseline_json, view.scenario_json)
    except ValueError as error:
        st.warning(escape_markdown(str(error)))
        st.dataframe(table, hide_index=True, width="stretch")
        return
    render_decision(comparison, view)
    if comparison.changed_assumptions:
        render_changed_assumptions(comparison, view)
    st.caption(t("compare.table_caption", language, basis=basis_label("steady", language)))
    st.dataframe(table, hide_index=True, width="stretch")
    render_chart(charts.comparison_figure(comparison, language), "chart.comparison", view)


def render_decision(comparison: Comparison, view: View) -> None:
    """The decision's effect: net benefit per year, NPV, ROI and payback from one comparison."""
    language, currency = view.language, comparison.currency
    yearly = basis_label("yearly", language)
    st.subheader(t("compare.decision_title", language))
    st.caption(
        tn(
            "compare.decision_caption",
            comparison.horizon_years,
            language,
            basis=yearly,
            years=comparison.horizon_years,
        )
    )
    with st.container(key=DECISION_KEY):
        columns = st.columns(4)
        with columns[0]:
            money_metric(
                t("metric.net_benefit", language),
                comparison.net_benefit_per_year,
                currency,
                language,
                help_text=t("metric.net_benefit_help", language, basis=yearly),
            )
        with columns[1]:
            money_metric(
                npv_label(comparison.horizon_years, language),
                comparison.npv,
                currency,
                language,
                help_text=basis_label("npv", language, comparison.horizon_years),
            )
        with columns[2]:
            roi = comparison.roi
            st.metric(
                t("metric.roi", language),
                format_percent(roi, language, 0)
                if roi is not None
                else t("metric.not_applicable", language),
            )
        with columns[3]:
            months = comparison.payback_months
            st.metric(
                t("metric.payback", language),
                tn(
                    "metric.payback_months",
                    months,
                    language,
                    months=format_number(months, language, 1),
                )
                if months is not None
                else t("metric.payback_never", language),
            )


def render_changed_assumptions(comparison: Comparison, view: View) -> None:
    """Say plainly that assumptions changed, list them, and show their own effect apart."""
    language = view.language
    steady = basis_label("steady", language)
    names = []
    for path in comparison.changed_assumptions:
        try:
            label = field_label(path, language, view.scenario)
        except (KeyError, IndexError, ValueError):
            label = path
        names.append(f"- {escape_markdown(label)} (`{path}`)")
    with st.container(key=ASSUMPTIONS_KEY):
        st.warning(
            t("compare.assumptions_changed", language, count=len(comparison.changed_assumptions))
            + "\n\n"
            + "\n".join(names)
        )
        money_metric(
            t("compare.assumptions_effect", language),
            comparison.assumptions_effect_per_year,
            comparison.currency,
            language,
            help_text=t("compare.assumptions_effect_help", language, basis=steady),
        )
