"""Staffing tab: the U-shaped cost curve and the queue curves, per channel."""

from __future__ import annotations

import streamlit as st

from cxcost.i18n import format_percent, t
from cxcost.report import charts
from cxcost.ui import compute
from cxcost.ui.components import render_chart
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View

CHANNEL_KEY = "ui.staffing.channel"


def render_staffing(view: View) -> None:
    """The Staffing tab for the channel picked in its selector."""
    language = view.language
    st.caption(t("staffing.intro", language))
    names = [channel.name for channel in view.scenario.channels]
    index = st.radio(
        t("staffing.channel", language),
        options=list(range(len(names))),
        format_func=lambda i: escape_markdown(names[i]),
        horizontal=True,
        key=CHANNEL_KEY,
    )
    channel_index = int(index) if index is not None and index < len(names) else 0
    curve = compute.cost_curve_json(view.scenario_json, channel_index)
    left, right = st.columns(2)
    with left:
        render_chart(charts.staffing_curve_figure(curve, language), "chart.staffing", view)
    with right:
        render_chart(charts.queue_curves_figure(curve, language), "chart.queue", view)
    channel = view.result.channels[channel_index]
    if channel.kind != "email":
        st.caption(
            escape_markdown(
                t(
                    "staffing.flat_note",
                    language,
                    channel=channel.name,
                    flat=format_percent(channel.flat_service_level, language, 0),
                    actual=format_percent(channel.service_level, language, 0),
                )
            )
        )
    render_chart(
        charts.arrival_profile_figure(view.scenario.demand.arrival_profile, language),
        "chart.profile",
        view,
    )
