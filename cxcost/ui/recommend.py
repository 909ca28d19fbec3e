"""The one recommendation: the words every tab uses for the optimiser's plan.

Pure Python (no streamlit). The Overview's finding, the Staffing and Training
tabs' headings, the optimiser panel and the Uncertainty tab all describe the
same ``cxcost.optimize.Recommendation`` (unconstrained, for the current
inputs) through these functions, so they never disagree. Money is taken from
the model's results at the plan's exact values, never from a curve's grid point.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxcost.actions import Action
from cxcost.evaluate import Result
from cxcost.i18n import (
    DRIVER_KEYS,
    Language,
    basis_label,
    format_count,
    format_money,
    t,
    tn,
)
from cxcost.optimize import CostCurve, Recommendation, TrainingCurve
from cxcost.report.actions import best_move_sentence
from cxcost.report.finding import costliest_driver
from cxcost.report.levers import practice_changes
from cxcost.scenario import Scenario

_SAME: float = 1e-6
WIDE_BAND_SHARE: float = 0.25
"""A band counts as wide when it spans more than this share of the best level [-]."""


@dataclass(frozen=True)
class Finding:
    """The Overview's opening: one sentence and, for wide flat bands, one line each."""

    sentence: str
    bands: tuple[str, ...]


def plan_changes(rec: Recommendation, scenario: Scenario, language: Language) -> list[str]:
    """The levers the plan moves, each with its current value ("20 Phone ... (now 17)")."""
    parts = []
    for channel, reps in zip(scenario.channels, rec.representatives, strict=True):
        if abs(reps - channel.representatives) > _SAME:
            parts.append(
                tn(
                    "rec.reps_now",
                    reps,
                    language,
                    count=format_count(reps, language),
                    channel=channel.name,
                    now=format_count(channel.representatives, language),
                )
            )
    now_hours = scenario.training.hours_per_rep_per_year
    if abs(rec.training_hours - now_hours) > _SAME:
        parts.append(
            tn(
                "rec.training",
                rec.training_hours,
                language,
                hours=format_count(rec.training_hours, language),
                now=format_count(now_hours, language),
            )
        )
    parts.extend(practice_changes(rec.practices, scenario, language))
    return parts


def plan_words(rec: Recommendation, scenario: Scenario, language: Language) -> str:
    """The whole plan in words: every channel's representatives and the training hours."""
    parts = [
        tn("rec.reps", reps, language, count=format_count(reps, language), channel=channel.name)
        for channel, reps in zip(scenario.channels, rec.representatives, strict=True)
    ]
    parts.append(
        tn(
            "rec.training",
            rec.training_hours,
            language,
            hours=format_count(rec.training_hours, language),
            now=format_count(scenario.training.hours_per_rep_per_year, language),
        )
    )
    parts.extend(practice_changes(rec.practices, scenario, language))
    return ", ".join(parts)


def _join(parts: list[str], language: Language) -> str:
    """ "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return t("rec.comma", language).join(parts[:-1]) + t("rec.and", language) + parts[-1]


def _driver_clause(result: Result, language: Language) -> str:
    driver = costliest_driver(result)
    if driver is None:
        return t("rec.no_loss", language)
    return t(
        "finding.driver",
        language,
        driver=t(DRIVER_KEYS[driver], language),
        amount=format_money(result.revenue_at_risk_by_driver[driver], result.currency, language),
    )


def driver_sentence(result: Result, language: Language) -> str:
    """The finding's first clause alone, while the plan is still being worked out."""
    return f"{_driver_clause(result, language)}."


def _wide(low: float, high: float, best: float) -> bool:
    return high - low > WIDE_BAND_SHARE * max(abs(best), 1.0)


def band_lines(
    curves: list[CostCurve], training: TrainingCurve | None, language: Language
) -> tuple[str, ...]:
    """One sentence per curve whose band within 1 % of its minimum is wide."""
    lines = []
    for curve in curves:
        best = curve.representatives[curve.best_index]
        if _wide(curve.band_low, curve.band_high, best):
            lines.append(
                t(
                    "rec.band_reps",
                    language,
                    channel=curve.channel_name,
                    low=format_count(curve.band_low, language),
                    high=format_count(curve.band_high, language),
                )
            )
    if training is not None:
        best = training.hours[training.best_index]
        if _wide(training.band_low, training.band_high, best):
            lines.append(
                t(
                    "rec.band_training",
                    language,
                    low=format_count(training.band_low, language),
                    high=format_count(training.band_high, language),
                )
            )
    return tuple(lines)


def finding(
    result: Result,
    rec: Recommendation,
    scenario: Scenario,
    curves: list[CostCurve],
    training: TrainingCurve | None,
    language: Language,
    actions: list[Action] | None = None,
) -> Finding:
    """The finding: the costliest driver, the recommended plan and what it is worth.

    The net benefit is the recommendation's ``comparison.net_benefit_per_year``
    (``cxcost.compare``'s yearly basis), the same number the optimiser panel shows.
    With ``actions`` (``cxcost.actions.rank_actions``) a second sentence names the
    best single move, whichever lever it is, as the Practices tab does.
    """
    driver = _driver_clause(result, language)
    changes = plan_changes(rec, scenario, language)
    if not changes or rec.comparison.net_benefit_per_year <= 0:
        sentence = t("rec.sentence_at_best", language, driver_clause=driver)
    else:
        sentence = t(
            "rec.sentence",
            language,
            driver_clause=driver,
            plan=_join(changes, language),
            net=format_money(rec.comparison.net_benefit_per_year, result.currency, language),
            basis=basis_label("yearly", language),
        )
    if actions is not None:
        sentence += " " + best_move_sentence(actions, result.currency, language)
    return Finding(sentence, band_lines(curves, training, language))


def staffing_heading(
    rec: Recommendation, result: Result, channel_index: int, language: Language
) -> str:
    """The Staffing tab's heading for one channel, from the recommendation and the result."""
    channel = result.channels[channel_index]
    return tn(
        "rec.staffing_heading",
        rec.representatives[channel_index],
        language,
        channel=channel.name,
        best=format_count(rec.representatives[channel_index], language),
        current=format_count(channel.representatives, language),
        cost=format_money(result.total_cx_cost_per_year, result.currency, language),
        basis=basis_label("steady", language),
    )


def training_heading(
    rec: Recommendation, result: Result, scenario: Scenario, language: Language
) -> str:
    """The Training tab's heading, from the recommendation and the result."""
    return tn(
        "rec.training_heading",
        rec.training_hours,
        language,
        best=format_count(rec.training_hours, language),
        current=format_count(scenario.training.hours_per_rep_per_year, language),
        cost=format_money(result.total_cx_cost_per_year, result.currency, language),
        basis=basis_label("steady", language),
    )
