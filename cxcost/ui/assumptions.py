"""Assumptions tab: every input with its value, meaning and source, and a source form.

The rows, meanings and sources are the exports' own (``cxcost.report.content``);
the labels and values are the sidebar's: an input the sidebar edits is shown
with the sidebar's label and in its units (minutes, %, hours for e-mail), so
the tab reads like the controls beside it. Only the inputs that apply to a
channel's kind are listed (``cxcost.inputs.Input.kinds``). The table is one HTML
table (``assumption_html``) that wraps its text rather than cutting it.

A consultant can type the source of any value (the form under the table);
``cxcost.presets.track_sources`` keeps it with the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Final

import pandas as pd
import streamlit as st

from cxcost.i18n import Language, format_number, format_percent, has_message, t
from cxcost.inputs import input_fields
from cxcost.report import content
from cxcost.scenario import Scenario
from cxcost.ui.fields import BoundField, bound_fields, field_label
from cxcost.ui.held import held, held_index
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.view import View

TABLE_KEY: Final = "assumptions.table"
SOURCE_FORM_KEY: Final = "assumptions.source_form"
SOURCE_PATH_KEY: Final = "assumptions.source_path"
SOURCE_TEXT_KEY: Final = "assumptions.source_text"
SOURCE_SAVE_KEY: Final = "assumptions.source_save"

_SHOWN_ABOVE: Final = frozenset({"schema_version", "name", "description", "client"})
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
    "col.group",
    "col.parameter",
    "col.value",
    "col.source",
    "col.meaning",
    "col.path",
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


def _widget_value(field: BoundField, language: Language) -> str:
    """A value as its widget shows it: in the widget's units, % for shares."""
    value = field.value
    if isinstance(value, tuple):
        low, high = (format_number(v, language, 2) for v in value)
        return f"{low}-{high}"
    if isinstance(value, str):
        key = f"option.{value}"
        return t(key, language) if has_message(key) else ""
    if isinstance(value, bool):
        return ""
    whole = float(value).is_integer()
    if field.spec.scale == 100.0:
        return format_percent(float(value) / 100.0, language, 0 if whole else 1)
    return format_number(value, language, 0 if whole else 2)


def assumption_table(scenario: Scenario, language: Language) -> pd.DataFrame:
    """Every input of ``scenario`` that applies, as a table; the hourly profile is one row.

    Inputs the sidebar edits carry its label (with the unit) and its display
    value; the others the exports' label and value with the model's unit.
    """
    currency = scenario.business.currency
    widgets = {field.path: field for field in bound_fields(scenario)}
    rows: list[tuple[str, ...]] = []
    profile_prefix = f"{content.PROFILE_PATH}."
    for row in content.input_rows(scenario):
        if row.path in _SHOWN_ABOVE or not content.applies(row, scenario):
            continue
        if row.path.startswith(profile_prefix):
            if row.path != f"{profile_prefix}0":
                continue
            label = t(f"field.{content.PROFILE_PATH}", language)
            value = content.profile_summary(scenario, language)
            path = content.PROFILE_PATH
        else:
            field = widgets.get(row.path)
            shown = _widget_value(field, language) if field is not None else ""
            if field is not None and shown:
                label = field_label(field, language, scenario)
                value = shown
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
    return pd.DataFrame(rows, columns=[t(key, language) for key in _COLUMNS])


TABLE_CLASS: Final = "cx-assumptions"
_TABLE_STYLE: Final = f"""<style>
table.{TABLE_CLASS} {{ border-collapse: collapse; width: 100%; font-size: 0.875rem; }}
table.{TABLE_CLASS} th, table.{TABLE_CLASS} td {{
  border: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.375rem;
  text-align: left; vertical-align: top; overflow-wrap: break-word;
}}
table.{TABLE_CLASS} th {{ color: rgba(49, 51, 63, 0.6); font-weight: 400; }}
</style>"""


def assumption_html(table: pd.DataFrame, path_column: str) -> str:
    """``table`` as one HTML table that wraps its text, every cell escaped to show literally.

    The cells of ``path_column`` (dotted field paths, such as
    ``business.lost_customer_valuation``) may also break after each dot and underscore,
    so that the column does not push the table wider than the page.
    """
    columns = [str(name) for name in table.columns]
    paths = columns.index(path_column)

    def cell(index: int, value: object) -> str:
        text = escape(str(value))
        if index == paths:
            text = text.replace(".", ".<wbr>").replace("_", "_<wbr>")
        return f"<td>{text}</td>"

    head = "".join(f"<th>{escape(name)}</th>" for name in columns)
    rows = "".join(
        "<tr>" + "".join(cell(index, value) for index, value in enumerate(row)) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f'{_TABLE_STYLE}<table class="{TABLE_CLASS}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _source_form(
    scenario: Scenario, table: pd.DataFrame, language: Language, on_save: Callable[[], None]
) -> None:
    """Pick a value and type its source; an empty text gives the value its tracked source."""
    paths = table[t("col.path", language)].tolist()
    labels = dict(zip(paths, table[t("col.parameter", language)].tolist(), strict=True))
    with st.form(SOURCE_FORM_KEY, border=True):
        st.markdown(f"**{t('assumptions.source_title', language)}**")
        st.caption(t("assumptions.source_help", language))
        st.selectbox(
            t("assumptions.source_value", language),
            paths,
            index=held_index(SOURCE_PATH_KEY, paths),
            key=SOURCE_PATH_KEY,
            format_func=lambda path: f"{labels.get(path, path)} ({path})",
        )
        st.text_input(
            t("assumptions.source_text", language),
            held(SOURCE_TEXT_KEY, ""),
            key=SOURCE_TEXT_KEY,
            max_chars=500,
            placeholder=t("assumptions.source_placeholder", language),
        )
        st.form_submit_button(
            t("assumptions.source_save", language), key=SOURCE_SAVE_KEY, on_click=on_save
        )


def render_assumptions(view: View, on_set_source: Callable[[], None]) -> None:
    """The Assumptions tab for the current scenario.

    Parameters
    ----------
    view : the current scenario and language
    on_set_source : the source form's callback (the app keeps the typed source)
    """
    language = view.language
    scenario = view.scenario
    st.caption(t("assumptions.intro", language))
    title = content.scenario_title(scenario, language)
    st.markdown(f"**{escape_markdown(t('assumptions.scenario', language, name=title))}**")
    if scenario.description:
        st.markdown(escape_markdown(scenario.description))
    table = assumption_table(scenario, language)
    with st.container(key=TABLE_KEY):
        # One HTML table that wraps long labels and sources (a data grid would cut
        # them off). st.table wraps too, but renders each of its ~600 cells as
        # Markdown: about 0.25 s of the page's JavaScript per visit (issue 16).
        st.html(assumption_html(table, t("col.path", language)))
    _source_form(scenario, table, language, on_set_source)
