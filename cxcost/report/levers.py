"""Levers in words: their names, their settings in their units, and a plan's changes.

Shared by the recommendation text (``cxcost.report.content``), the ranked action
list (``cxcost.report.actions``) and the app.
"""

from __future__ import annotations

from typing import Final

from cxcost.actions import LEVER_NAMES, STAFFING_LEVER
from cxcost.dotted import get_path
from cxcost.i18n import Language, format_number, format_percent, t
from cxcost.practices import LEVERS
from cxcost.scenario import Scenario

LEVER_LABEL_KEYS: Final[dict[str, str]] = {
    "one_stop": "action.lever.one_stop",
    "follow_up": "action.lever.follow_up",
    "proactive": "action.lever.proactive",
    "self_service": "action.lever.self_service",
    "conflict_training": "action.lever.conflict_training",
    "knowledge_training": "action.lever.knowledge_training",
    STAFFING_LEVER: "action.lever.staffing",
}
"""Message key of each lever's name."""

_HOURS: Final = ("conflict_training", "knowledge_training")


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


def practice_changes(
    changes: dict[str, float], scenario: Scenario, language: Language
) -> list[str]:
    """The practice levers a plan sets, each with today's setting: "Self-service first 30 %
    (now 0 %)", in the order of ``cxcost.practices.LEVERS``."""
    out = []
    for path in LEVERS:
        if path not in changes:
            continue
        lever = LEVER_NAMES[path]
        now = float(get_path(scenario, path))
        out.append(
            t(
                "rec.lever",
                language,
                lever=lever_label(lever, language),
                value=setting_value(lever, changes[path], language),
                now=setting_value(lever, now, language),
            )
        )
    return out
