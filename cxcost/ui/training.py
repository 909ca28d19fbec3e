"""Quality & training tab: what training costs against the churn it prevents."""

from __future__ import annotations

import streamlit as st

from cxcost.i18n import format_percent, t
from cxcost.report import charts
from cxcost.ui import compute
from cxcost.ui.components import render_chart
from cxcost.ui.view import View


def render_training(view: View) -> None:
    """The Quality & training tab."""
    language = view.language
    st.caption(t("quality.intro", language))
    st.markdown(
        t(
            "quality.shares",
            language,
            rude=format_percent(view.result.rude_share, language),
            dismissive=format_percent(view.result.dismissive_share, language),
        )
    )
    curve = compute.training_curve_json(view.scenario_json)
    left, right = st.columns(2)
    with left:
        render_chart(charts.training_curve_figure(curve, language), "chart.training", view)
    with right:
        render_chart(
            charts.training_quality_figure(curve, language), "chart.training_quality", view
        )
    render_chart(charts.repeat_contacts_figure(curve, language), "chart.repeat_contacts", view)
