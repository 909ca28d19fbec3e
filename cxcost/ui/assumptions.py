"""Assumptions tab: every input with its value, unit, meaning and source.

The rows, labels, values and sources are the exports' own
(``cxcost.report.content``), so the tab, the HTML report and the workbook
list the inputs the same way.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd
import streamlit as st

from cxcost.i18n import Language, has_message, t
from cxcost.inputs import input_fields
from cxcost.report import content
from cxcost.scenario import Scenario
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View

_SHOWN_ABOVE: Final = frozenset({"schema_version", "name", "description"})
_GROUP_OF_SECTION: Final[dict[str, str]] = {
    "business": "group.business",
    "demand": "group.demand",
    "channels": "group.demand",
    "staffing": "group.staffing",
    "training": "group.training",
    "practices": "group.practices",
    "quality": "group.quality",
    "churn": "group.churn",
    "uncertainty": "group.uncertainty",
}
_COLUMNS: Final = (
    ("col.group", "medium"),
    ("col.parameter", "medium"),
    ("col.value", "medium"),
    ("col.source", "large"),
    ("col.meaning", "large"),
    ("col.path", "medium"),
)


def _group(path: str, language: Language) -> str:
    key = _GROUP_OF_SECTION.get(path.split(".", 1)[0])
    return t(key, language) if key else ""


_HELP_KEYS: Final = {field.path: field.help_key for field in input_fields(Scenario)}


def _meaning(row: content.InputRow, language: Language) -> str:
    """What the input means: the model's description in English, the help text otherwise."""
    if language == "en":
        return row.meaning
    key = _HELP_KEYS.get(re.sub(r"\.\d+(?=\.|$)", ".*", row.path), "")
    return t(key, language) if key and has_message(key) else ""


def assumption_table(scenario: Scenario, language: Language) -> pd.DataFrame:
    """Every input of ``scenario`` as a table; the hourly profile is one summary row."""
    currency = scenario.business.currency
    rows: list[tuple[str, ...]] = []
    profile_prefix = f"{content.PROFILE_PATH}."
    for row in content.input_rows(scenario):
        if row.path in _SHOWN_ABOVE:
            continue
        if row.path.startswith(profile_prefix):
            if row.path != f"{profile_prefix}0":
                continue
            label = t(f"field.{content.PROFILE_PATH}", language)
            value = content.profile_summary(scenario, language)
            path = content.PROFILE_PATH
        else:
            label = content.assumption_label(row, scenario, language)
            value = content.format_input_value(row, currency, language)
            path = row.path
        rows.append(
            (
                _group(row.path, language),
                label,
                value,
                content.source_text(row, language),
                _meaning(row, language),
                path,
            )
        )
    return pd.DataFrame(rows, columns=[t(key, language) for key, _ in _COLUMNS])


def render_assumptions(view: View) -> None:
    """The Assumptions tab for the current scenario."""
    language = view.language
    scenario = view.scenario
    st.caption(t("assumptions.intro", language))
    st.markdown(f"**{escape_markdown(t('assumptions.scenario', language, name=scenario.name))}**")
    if scenario.description:
        st.markdown(escape_markdown(scenario.description))
    table = assumption_table(scenario, language)
    config = {
        column: st.column_config.TextColumn(column, width=width)  # type: ignore[arg-type]
        for column, (_, width) in zip(table.columns, _COLUMNS, strict=True)
    }
    st.dataframe(table, hide_index=True, width="stretch", height=640, column_config=config)
