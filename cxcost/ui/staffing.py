"""Staffing tab: the U-shaped cost curve with its 1 % band, queue outcomes, the planner's table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxcost.i18n import Language, format_number, format_percent, percent_printf, t
from cxcost.optimize import planned_channels
from cxcost.report import charts
from cxcost.staffing import StaffingPlan
from cxcost.ui import compute, recommend
from cxcost.ui.components import render_chart
from cxcost.ui.held import held, held_index
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import render_pending
from cxcost.ui.view import View

CHANNEL_KEY = "ui.staffing.channel"
TARGET_KEY = "ui.staffing.target"
HEADING_KEY = "ui.staffing.heading"
QUEUE_TABLE_KEY = "ui.staffing.queues"
PLAN_TABLE_KEY = "ui.staffing.plan"
DEFAULT_TARGET_PERCENT = 80


def queue_table(view: View) -> pd.DataFrame:
    """Every channel's queue outcomes now: service level, give-up share, redials, occupancy."""
    language = view.language
    rows = []
    for channel, spec in zip(view.result.channels, view.scenario.channels, strict=True):
        rows.append(
            {
                t("col.channel", language): channel.name,
                t("col.representatives", language): format_number(
                    channel.representatives, language, 1
                ),
                t("col.service_level", language): format_percent(channel.service_level, language),
                t("col.abandonment", language): format_percent(channel.p_abandon, language),
                t("col.give_up", language): format_percent(channel.give_up_share, language),
                t("col.contacts", language): format_number(channel.contacts_per_year, language),
                t("col.attempts", language): format_number(channel.attempts_per_year, language),
                t("col.occupancy", language): format_percent(channel.occupancy, language),
                t("col.peak_occupancy", language): format_percent(channel.peak_occupancy, language),
                t("col.max_occupancy", language): format_percent(spec.max_occupancy, language, 0),
            }
        )
    return pd.DataFrame(rows)


def plan_table(plan: StaffingPlan, channel_index: int, language: Language) -> pd.DataFrame:
    """One channel's hour-by-hour representatives for the target service level."""
    channel = plan.channels[channel_index]
    rows = [
        {
            t("col.day", language): t(f"day.{row.day}", language),
            t("col.hour", language): f"{row.hour:02d}:00",
            t("col.contacts_per_hour", language): format_number(row.contacts_per_hour, language, 1),
            t("col.agents_on_queue", language): format_number(row.agents_on_queue, language, 1),
            t("col.representatives_rostered", language): format_number(
                row.representatives, language, 1
            ),
            t("col.service_level", language): (
                format_percent(row.service_level, language)
                if row.service_level is not None
                else "–"
            ),
            t("col.occupancy", language): (
                format_percent(row.occupancy, language) if row.occupancy is not None else "–"
            ),
        }
        for row in channel.hours
    ]
    return pd.DataFrame(rows)


def _ready(view: View) -> bool:
    """The plan and the planner's table are both there (asks the background again)."""
    target = float(st.session_state.get(TARGET_KEY, DEFAULT_TARGET_PERCENT)) / 100.0
    bundle = compute.plan_bundle_json(view.scenario_json)
    return bundle is not None and compute.staffing_plan_json(view.scenario_json, target) is not None


def render_staffing(view: View) -> None:
    """The Staffing tab for the channel picked in its selector."""
    language = view.language
    st.caption(t("staffing.intro", language))
    names = [channel.name for channel in view.scenario.channels]
    planned = planned_channels(view.scenario)
    if not planned:
        st.info(t("staffing.in_person_only", language))
        return
    index = st.radio(
        t("staffing.channel", language),
        options=planned,
        index=held_index(CHANNEL_KEY, planned),
        format_func=lambda i: escape_markdown(names[i]),
        horizontal=True,
        key=CHANNEL_KEY,
    )
    channel_index = int(index) if index is not None and index in planned else planned[0]
    bundle = compute.plan_bundle_json(view.scenario_json)
    if bundle is None:
        render_pending(lambda: _ready(view), language, "rec.pending")
    else:
        with st.container(key=HEADING_KEY):
            st.markdown(
                "##### "
                + escape_markdown(
                    recommend.staffing_heading(
                        bundle.recommendation, view.result, channel_index, language
                    )
                )
            )
        curve = bundle.curves[channel_index]
        left, right = st.columns(2)
        with left:
            render_chart(charts.staffing_curve_figure(curve, language), "chart.staffing", view)
        with right:
            render_chart(charts.queue_curves_figure(curve, language), "chart.queue", view)
        st.caption(t("rec.curve_note", language))
    channel = view.result.channels[channel_index]
    if channel.kind not in ("email", "in_person"):
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
    st.subheader(t("staffing.queue_title", language))
    with st.container(key=QUEUE_TABLE_KEY):
        st.dataframe(queue_table(view), hide_index=True, width="stretch")
    for line in attempts_notes(view):
        st.caption(escape_markdown(line))
    render_planner(view, channel_index)
    render_chart(
        charts.arrival_profile_figure(view.scenario.demand.arrival_profile, language),
        "chart.profile",
        view,
    )


def render_planner(view: View, channel_index: int) -> None:
    """The planner's table: representatives needed hour by hour for a target service level."""
    language = view.language
    target = st.slider(
        t("staffing.target", language),
        min_value=50,
        max_value=99,
        value=held(TARGET_KEY, DEFAULT_TARGET_PERCENT),
        step=1,
        key=TARGET_KEY,
        format=percent_printf(language),
    )
    plan = compute.staffing_plan_json(view.scenario_json, target / 100.0)
    if plan is None:
        render_pending(lambda: _ready(view), language, "staffing.pending")
        return
    channel = plan.channels[channel_index]
    target_text = format_percent(target / 100.0, language, 0)
    st.subheader(t("staffing.plan_title", language, target=target_text))
    st.caption(
        escape_markdown(
            t(
                "staffing.plan_caption",
                language,
                target=target_text,
                channel=channel.channel_name,
                needed=format_number(channel.representatives_needed, language, 1),
            )
        )
    )
    with st.container(key=PLAN_TABLE_KEY):
        st.dataframe(plan_table(plan, channel_index, language), hide_index=True, width="stretch")


def attempts_notes(view: View) -> list[str]:
    """Per channel with more attempts than contacts, where the extra attempts come from:
    contacts queued again after a transfer, and callers who hung up and try again."""
    language = view.language
    notes = []
    for channel in view.result.channels:
        extra = channel.attempts_per_year - channel.contacts_per_year
        if extra <= 0.5:
            continue
        parts = [
            t(key, language, count=format_number(count, language))
            for key, count in (
                ("staffing.attempts_transfers", channel.transfer_attempts_per_year),
                ("staffing.attempts_redials", channel.redials_per_year),
            )
            if count > 0.5
        ]
        notes.append(
            t(
                "staffing.attempts_note",
                language,
                channel=channel.name,
                contacts=format_number(channel.contacts_per_year, language),
                attempts=format_number(channel.attempts_per_year, language),
                extra=format_number(extra, language),
                parts="; ".join(parts),
            )
        )
    return notes
