"""The ranked action list for people: one formatter for the app, the exports and the CLI.

Every surface shows the same columns, in this order, from ``cxcost.actions.rank_actions``:
lever, best setting (today's in brackets), extra cost per year, customers kept per
year, net benefit per year, ROI, payback. Money per year on compare's basis
(``cxcost.compare.YEARLY_BASIS``).
"""

from __future__ import annotations

from cxcost.actions import STAFFING_LEVER, Action
from cxcost.i18n import Language, format_money, format_number, format_percent, t

LEVER_LABEL_KEYS: dict[str, str] = {
    "one_stop": "action.lever.one_stop",
    "follow_up": "action.lever.follow_up",
    "proactive": "action.lever.proactive",
    "self_service": "action.lever.self_service",
    "conflict_training": "action.lever.conflict_training",
    "knowledge_training": "action.lever.knowledge_training",
    STAFFING_LEVER: "action.lever.staffing",
}
"""Message key of each lever's name."""

_HOURS = ("conflict_training", "knowledge_training")

COLUMN_KEYS: tuple[str, ...] = (
    "action.col.lever",
    "action.col.setting",
    "action.col.cost",
    "action.col.kept",
    "action.col.net_benefit",
    "action.col.roi",
    "action.col.payback",
)


def lever_label(lever: str, language: Language) -> str:
    """The lever's name for people."""
    return t(LEVER_LABEL_KEYS[lever], language)


def setting_value(lever: str, value: float, language: Language) -> str:
    """A lever's setting in its unit: a share in %, hours a year, or FTE."""
    if lever in _HOURS:
        return t("action.unit.hours", language, hours=format_number(value, language))
    if lever == STAFFING_LEVER:
        return t("action.unit.fte", language, fte=format_number(value, language, 1))
    return format_percent(value, language, 0)


def setting_text(action: Action, language: Language) -> str:
    """Best setting with today's beside it: "75 % (now 0 %)"."""
    return t(
        "action.setting",
        language,
        best=setting_value(action.lever, action.setting, language),
        now=setting_value(action.lever, action.current, language),
    )


def payback_text(months: float | None, language: Language) -> str:
    """Payback in months; "at once" with no one-off cost; a dash when it never pays back."""
    if months is None:
        return "–"
    if months <= 0:
        return t("action.at_once", language)
    return t("action.months", language, months=format_number(months, language, 1))


def header(language: Language) -> list[str]:
    """The column titles."""
    return [t(key, language) for key in COLUMN_KEYS]


def rows(actions: list[Action], currency: str, language: Language) -> list[list[str]]:
    """One row of text per action, best first, in the columns of :func:`header`."""
    out = []
    for action in actions:
        roi = "–" if action.roi is None else format_percent(action.roi, language, 0)
        payback = (
            "–"
            if action.payback_months is None
            else t(
                "action.months", language, months=format_number(action.payback_months, language, 1)
            )
        )
        out.append(
            [
                lever_label(action.lever, language),
                setting_text(action, language),
                format_money(action.cost_per_year, currency, language),
                format_number(action.customers_kept_per_year, language),
                format_money(action.net_benefit_per_year, currency, language),
                roi,
                payback,
            ]
        )
    return out


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
