"""The ranked action list for people: one formatter for the app, the exports and the CLI.

Every surface shows the same columns, in this order, from ``cxcost.actions.rank_actions``:
lever, best setting (today's in brackets), extra cost per year, customers kept per
year, net benefit per year, ROI, payback. Money per year on compare's basis
(``cxcost.compare.YEARLY_BASIS``).
"""

from __future__ import annotations

from typing import Final

from cxcost.actions import Action
from cxcost.i18n import Language, format_money, format_number, t
from cxcost.report.content import payback_text, roi_text
from cxcost.report.levers import lever_label, setting_value

COLUMN_KEYS: Final[tuple[str, ...]] = (
    "action.col.lever",
    "action.col.setting",
    "action.col.cost",
    "action.col.kept",
    "action.col.net_benefit",
    "action.col.roi",
    "action.col.payback",
)


def setting_text(action: Action, language: Language) -> str:
    """Best setting with today's beside it: "75 % (now 0 %)"."""
    return t(
        "action.setting",
        language,
        best=setting_value(action.lever, action.setting, language),
        now=setting_value(action.lever, action.current, language),
    )


def header(language: Language) -> list[str]:
    """The column titles."""
    return [t(key, language) for key in COLUMN_KEYS]


def rows(actions: list[Action], currency: str, language: Language) -> list[list[str]]:
    """One row of text per action, best first, in the columns of :func:`header`."""
    return [
        [
            lever_label(action.lever, language),
            setting_text(action, language),
            format_money(action.cost_per_year, currency, language),
            format_number(action.customers_kept_per_year, language),
            format_money(action.net_benefit_per_year, currency, language),
            roi_text(action.roi, language),
            payback_text(action.payback_months, language),
        ]
        for action in actions
    ]


def best_move(actions: list[Action]) -> Action | None:
    """The first action worth taking: the largest positive net benefit, or None."""
    return next((a for a in actions if a.net_benefit_per_year > 0 and a.setting != a.current), None)


def best_move_sentence(actions: list[Action], currency: str, language: Language) -> str:
    """ "Do first: ..." naming the best lever and its setting, or that none pays."""
    move = best_move(actions)
    if move is None:
        return t("action.none_pays", language)
    return t(
        "action.do_first",
        language,
        lever=lever_label(move.lever, language),
        setting=setting_value(move.lever, move.setting, language),
        benefit=format_money(move.net_benefit_per_year, currency, language),
        kept=format_number(move.customers_kept_per_year, language),
    )
