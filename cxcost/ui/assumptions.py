"""Assumptions tab: every input with its value, unit, meaning and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxcost.i18n import t
from cxcost.ui.fields import assumption_rows
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View


def render_assumptions(view: View) -> None:
    """The Assumptions tab for the current scenario."""
    language = view.language
    scenario = view.scenario
    st.caption(t("assumptions.intro", language))
    st.markdown(f"**{escape_markdown(t('assumptions.scenario', language, name=scenario.name))}**")
    if scenario.description:
        st.markdown(escape_markdown(scenario.description))
    rows = assumption_rows(scenario, language)
    table = pd.DataFrame(
        [(r.group, r.parameter, r.value, r.unit, r.source, r.meaning, r.path) for r in rows],
        columns=[
            t("col.group", language),
            t("col.parameter", language),
            t("col.value", language),
            t("col.unit", language),
            t("col.source", language),
            t("col.meaning", language),
            t("col.path", language),
        ],
    )
    widths = ("medium", "medium", "medium", "small", "large", "large", "medium")
    config = {
        column: st.column_config.TextColumn(column, width=width)  # type: ignore[arg-type]
        for column, width in zip(table.columns, widths, strict=True)
    }
    st.dataframe(table, hide_index=True, width="stretch", height=640, column_config=config)
