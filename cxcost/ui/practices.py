"""Practices tab: what to do first, each lever at its best setting, and its effect on the
three drivers.

The list is ``cxcost.actions.rank_actions`` (every row is ``compare`` of that one
change); its table, sentence and charts are the exports' own
(``cxcost.report.actions``, ``cxcost.report.charts``). The levers themselves are
edited in the sidebar ("Service practices" and "Training").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pandas as pd
import streamlit as st

from cxcost.actions import STAFFING_LEVER, Action
from cxcost.i18n import basis_label, format_money, format_number, format_percent, t
from cxcost.report import charts
from cxcost.report.actions import best_move, best_move_sentence, header, rows
from cxcost.report.levers import lever_label, setting_value
from cxcost.ui.components import render_chart
from cxcost.ui.fields import widget_key, widget_values, with_plan
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import plan_or_wait
from cxcost.ui.view import View

DO_FIRST_KEY: Final = "ui.practices.do_first"
TABLE_KEY: Final = "ui.practices.table"
APPLY_KEY: Final = "ui.practices.apply"


def action_widget_values(action: Action) -> dict[str, object]:
    """The widget values that set one action in the sidebar (its lever, or the staffing plan)."""
    if action.lever == STAFFING_LEVER:
        plan = action.scenario
        return dict(
            with_plan(
                {},
                [c.representatives for c in plan.channels],
                plan.training.hours_per_rep_per_year,
            )
        )
    key = widget_key(action.path)
    return {key: widget_values(action.scenario)[key]}


def _apply(action: Action) -> Callable[[], None]:
    def apply() -> None:
        for key, value in action_widget_values(action).items():
            st.session_state[key] = value

    return apply


def render_practices(view: View) -> None:
    """The Practices tab."""
    language = view.language
    result = view.result
    currency = view.currency
    st.caption(t("practices.intro", language))
    st.markdown(
        t(
            "practices.today",
            language,
            transferred=format_number(result.transferred_contacts_per_year, language),
            unresolved=format_percent(result.unresolved_share, language),
            self_service=format_number(result.self_service_attempts_per_year, language),
            cost=format_money(result.practice_cost_per_year, currency, language),
            basis=basis_label("steady", language),
        )
    )
    bundle = plan_or_wait(view.scenario_json, language, "practices.pending")
    if bundle is None:
        return
    actions = bundle.actions
    with st.container(key=DO_FIRST_KEY):
        st.markdown("##### " + escape_markdown(best_move_sentence(actions, currency, language)))
    move = best_move(actions)
    if move is not None:
        st.button(
            t(
                "practices.apply",
                language,
                lever=lever_label(move.lever, language),
                setting=setting_value(move.lever, move.setting, language),
            ),
            key=APPLY_KEY,
            on_click=_apply(move),
        )
    table = pd.DataFrame(rows(actions, currency, language), columns=header(language))
    st.dataframe(table, key=TABLE_KEY, hide_index=True, width="stretch")
    st.caption(t("practices.basis", language, basis=basis_label("yearly", language)))
    render_chart(charts.actions_figure(actions, currency, language), "chart.actions", view)
    render_chart(charts.action_drivers_figure(actions, language), "chart.action_drivers", view)
