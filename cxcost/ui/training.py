"""Quality & training tab: what training costs against the churn it prevents."""

from __future__ import annotations

import streamlit as st

from cxcost.i18n import format_number, format_percent, t
from cxcost.report import charts
from cxcost.ui import recommend
from cxcost.ui.components import render_chart
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import plan_or_wait
from cxcost.ui.view import View

HEADING_KEY = "ui.training.heading"


def render_training(view: View) -> None:
    """The Quality & training tab."""
    language = view.language
    st.caption(t("quality.intro", language))
    result = view.result
    st.markdown(
        t(
            "quality.shares",
            language,
            rude=format_percent(result.rude_share, language),
            dismissive=format_percent(result.dismissive_share, language),
        )
    )
    st.caption(
        t(
            "quality.workforce",
            language,
            hires=format_number(result.new_hires_per_year, language, 1),
            new_hire=format_number(view.scenario.training.new_hire_hours, language),
            ongoing=format_number(view.scenario.training.hours_per_rep_per_year, language),
            hours=format_number(result.training_hours_per_rep, language),
            shrinkage=format_percent(result.total_shrinkage, language),
        )
    )
    bundle = plan_or_wait(view.scenario_json, language, "rec.pending")
    if bundle is None:
        return
    with st.container(key=HEADING_KEY):
        st.markdown(
            "##### "
            + escape_markdown(
                recommend.training_heading(bundle.recommendation, result, view.scenario, language)
            )
        )
    curve = bundle.training
    left, right = st.columns(2)
    with left:
        render_chart(charts.training_curve_figure(curve, language), "chart.training", view)
    with right:
        render_chart(
            charts.training_quality_figure(curve, language), "chart.training_quality", view
        )
    st.caption(t("rec.curve_note", language))
    render_chart(charts.repeat_contacts_figure(curve, language), "chart.repeat_contacts", view)
