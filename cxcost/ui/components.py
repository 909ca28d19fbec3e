"""Small rendering helpers shared by every tab: charts, metrics, safe text.

``render_chart`` is the single place that puts a plotly figure on the page,
with its export button (PNG/SVG/PDF, see ``cxcost.ui.share``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cxcost.i18n import Language, format_money, format_number
from cxcost.report.charts import FIGURE_HEIGHT
from cxcost.ui.pending import first_page
from cxcost.ui.share import render_chart_export
from cxcost.ui.view import View

_PLOTLY_CONFIG: Final = {"displaylogo": False, "responsive": True}
_TABLE_MAX_HEIGHT: Final = 388
"""Streamlit's default: ten rows, then the table scrolls."""


def render_chart(fig: go.Figure, key: str, view: View) -> None:
    """Show a plotly figure full width, exactly as the exports draw it, with its export button.

    Parameters
    ----------
    fig : a figure from ``cxcost.report.charts``
    key : stable, unique element key (two identical figures need distinct keys)
    view : the current scenario and language (export labels and file names)

    A session's first page has a placeholder of the figure's height instead
    (``cxcost.ui.pending.first_page``).
    """
    height = fig.layout.height
    if first_page(key, int(height) if height else FIGURE_HEIGHT, view.language):
        return
    with st.container(key=f"chart-{key}"):
        st.plotly_chart(fig, key=key, theme=None, config=_PLOTLY_CONFIG, width="stretch")
        render_chart_export(fig, key, view)


def keep_widget_values(keys: Iterable[str]) -> None:
    """Write each key's value in session state back to it (keys without one are skipped).

    Streamlit drops the state of a widget that a run does not draw; a value written
    back outlives such runs, and is what a widget drawn anew (another kind, another
    label) starts from.
    """
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


_CLOSED_GROUP_KEYS: Final[set[str]] = set()
"""The key of every closed group this process has drawn (fixed names, such as
``ui.group-staff``), for ``keep_groups_open``."""


def closed_group(title: str, key: str, kept: Iterable[str]) -> DeltaGenerator | None:
    """A collapsed group whose content is drawn only while it is open.

    Returns its expander while it is open, else None. Opening or closing it reruns
    the app. While it is closed, the values of the widget keys ``kept`` are written
    back (``keep_widget_values``): fewer widgets make each rerun cheaper and each
    page lighter, and no value is lost.
    """
    _CLOSED_GROUP_KEYS.add(key)
    expander = st.expander(title, key=key, on_change="rerun")
    if expander.open:
        return expander
    keep_widget_values(kept)
    return None


def keep_groups_open() -> None:
    """Before a run that draws every closed group under a new title (another language):
    an expander with a new title starts closed unless its open state is written back."""
    keep_widget_values(sorted(_CLOSED_GROUP_KEYS))


def render_table(frame: pd.DataFrame, key: str, language: Language) -> None:
    """A table full width without its index (a placeholder on a session's first page)."""
    # Streamlit's default height: a 35 px row for the header and each row, 3 px of border.
    height = min(35 * (len(frame) + 1) + 3, _TABLE_MAX_HEIGHT)
    if first_page(key, height, language):
        return
    st.dataframe(frame, hide_index=True, width="stretch")


def signed_money(delta: float, currency: str, language: Language) -> str | None:
    """A money change with its sign ("+USD 1.2M"), or None when there is no change."""
    text = format_money(delta, currency, language)
    if text in (format_money(0.0, currency, language), format_money(-0.0, currency, language)):
        return None
    return text if text.startswith("-") else f"+{text}"


def signed_number(value: float, language: Language, decimals: int = 0) -> str:
    """A change in a count with its sign ("+5.0", "-981"); "0" when it rounds to nothing."""
    text = format_number(value, language, decimals)
    if text.lstrip("-").strip("0,. ") == "":
        return "0"
    return text if value < 0 else f"+{text}"


def money_metric(
    label: str,
    value: float,
    currency: str,
    language: Language,
    delta: float | None = None,
    help_text: str | None = None,
    lower_is_better: bool = True,
) -> None:
    """An ``st.metric`` of an amount of money with an optional signed change."""
    delta_text = signed_money(delta, currency, language) if delta is not None else None
    st.metric(
        label,
        format_money(value, currency, language),
        delta=delta_text,
        delta_color="inverse" if lower_is_better else "normal",
        help=help_text,
    )
