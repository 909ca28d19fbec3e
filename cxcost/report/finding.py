"""The finding: the costliest driver and the best move, in one sentence.

One sentence for the app's Overview and for every export (PDF summary, HTML
report). The exports state the move of the recommended plan
(:func:`finding_from_recommendation`), so the headline and the recommendation
box quote the same numbers from the same ``Recommendation``. The app's
single-lever moves (:func:`finding_from_curves`) are read off the model's own
curves (``cost_curve`` per channel and ``training_curve``): the staffing or
training level where each curve's total CX cost is lowest; that sentence
names the move that cuts the total CX cost the most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from cxcost.evaluate import Result
from cxcost.i18n import DRIVER_KEYS, Language, format_count, format_money, t, tn
from cxcost.optimize import CostCurve, Recommendation, TrainingCurve
from cxcost.scenario import Scenario

MIN_SAVING_SHARE: Final = 0.001
"""A move must cut the total CX cost by at least this share to be worth a sentence."""

_DRIVER_OF_MOVE: Final = {"representatives": ("wait",), "training": ("rudeness", "dismissiveness")}


@dataclass(frozen=True)
class Move:
    """One change of one lever, read off a model curve.

    Attributes
    ----------
    lever : "representatives" (of one channel) or "training" (hours per rep)
    channel_name : the channel for a staffing move, "" for training
    change : representatives [FTE] or training hours [h/year]; negative = fewer
    extra_cost_per_year : service cost (or training cost) added [currency/year]
    revenue_saved_per_year : revenue at risk avoided [currency/year]
    total_cost_saved_per_year : total CX cost avoided [currency/year]
    """

    lever: Literal["representatives", "training"]
    channel_name: str
    change: float
    extra_cost_per_year: float
    revenue_saved_per_year: float
    total_cost_saved_per_year: float


def best_move(
    result: Result, curves: list[CostCurve], training: TrainingCurve | None
) -> Move | None:
    """The single lever move with the largest cut in total CX cost, or None.

    Parameters
    ----------
    result : the current scenario's result
    curves : ``cost_curve`` of each channel of the current scenario
    training : ``training_curve`` of the current scenario

    Returns
    -------
    Move or None
        None when no move saves at least ``MIN_SAVING_SHARE`` of the total.
    """
    moves = [
        Move(
            lever="representatives",
            channel_name=curve.channel_name,
            change=curve.representatives[curve.best_index] - curve.current_representatives,
            extra_cost_per_year=curve.service_cost[curve.best_index] - result.service_cost_per_year,
            revenue_saved_per_year=result.revenue_at_risk_per_year
            - curve.revenue_at_risk[curve.best_index],
            total_cost_saved_per_year=result.total_cx_cost_per_year
            - curve.total_cost[curve.best_index],
        )
        for curve in curves
    ]
    if training is not None:
        best = training.best_index
        moves.append(
            Move(
                lever="training",
                channel_name="",
                change=training.hours[best] - training.current_hours,
                extra_cost_per_year=training.training_cost[best] - result.training_cost_per_year,
                revenue_saved_per_year=result.revenue_at_risk_per_year
                - training.revenue_at_risk[best],
                total_cost_saved_per_year=result.total_cx_cost_per_year - training.total_cost[best],
            )
        )
    threshold = MIN_SAVING_SHARE * result.total_cx_cost_per_year
    worth = [m for m in moves if m.change != 0 and m.total_cost_saved_per_year > threshold]
    return max(worth, key=lambda m: m.total_cost_saved_per_year, default=None)


def costliest_driver(result: Result) -> str | None:
    """The driver with the most revenue at risk, or None when nothing is at risk."""
    if result.revenue_at_risk_per_year <= 0:
        return None
    by_driver = result.revenue_at_risk_by_driver
    return max(by_driver, key=lambda d: by_driver[d])


def _shown(value: float, lever: str) -> float:
    """The number as the text shows it: training hours whole, representatives to 0.1."""
    return float(round(abs(value))) if lever == "training" else abs(value)


def _amount(value: float, lever: str, language: Language) -> str:
    shown = _shown(value, lever)
    return format_count(shown, language)


def _move_clause(move: Move | None, driver: str, currency: str, language: Language) -> str:
    if move is None:
        return t("finding.at_best", language)
    cost = format_money(abs(move.extra_cost_per_year), currency, language)
    saved = format_money(move.revenue_saved_per_year, currency, language)
    net = format_money(move.total_cost_saved_per_year, currency, language)
    amount = _amount(move.change, move.lever, language)
    shown = _shown(move.change, move.lever)
    of_it = driver in _DRIVER_OF_MOVE[move.lever]
    if move.lever == "representatives":
        if move.change < 0:
            return tn(
                "finding.fewer_reps",
                shown,
                language,
                count=amount,
                channel=move.channel_name,
                cost=cost,
                net=net,
            )
        key = "finding.more_reps" if of_it else "finding.more_reps_other"
        return tn(
            key, shown, language, count=amount, channel=move.channel_name, cost=cost, saved=saved
        )
    if move.change < 0:
        return tn("finding.less_training", shown, language, hours=amount, cost=cost, net=net)
    key = "finding.more_training" if of_it else "finding.more_training_other"
    return tn(key, shown, language, hours=amount, cost=cost, saved=saved)


def finding_sentence(result: Result, move: Move | None, language: Language) -> str:
    """One plain sentence: what the costliest driver costs and what the best move wins back.

    Examples
    --------
    "Waiting costs you USD 2.1M a year in lost customers; 6 more Phone
    representatives (USD 290k a year) would win back USD 1.4M of it."
    """
    driver = costliest_driver(result)
    if driver is None:
        return t("finding.no_loss", language)
    driver_clause = t(
        "finding.driver",
        language,
        driver=t(DRIVER_KEYS[driver], language),
        amount=format_money(result.revenue_at_risk_by_driver[driver], result.currency, language),
    )
    move_clause = _move_clause(move, driver, result.currency, language)
    return t("finding.sentence", language, driver_clause=driver_clause, move_clause=move_clause)


def finding_from_curves(
    result: Result,
    curves: list[CostCurve],
    training: TrainingCurve | None,
    language: Language,
) -> str:
    """The finding sentence of a scenario from its result and its curves.

    What the Overview shows and every export prints:
    ``finding_sentence(result, best_move(result, curves, training), language)``.

    Parameters
    ----------
    result : the scenario's result
    curves : ``cost_curve`` of each channel of the scenario
    training : ``training_curve`` of the scenario
    language : "en" or "nb"

    Returns
    -------
    str
    """
    return finding_sentence(result, best_move(result, curves, training), language)


def _plan_changes(scenario: Scenario, recommendation: Recommendation, language: Language) -> str:
    """ "48 representatives in all instead of 53, 61 training hours per representative instead
    of 16": the levers the plan moves, in the words and totals of the recommendation box."""
    parts = []
    current_reps = sum(c.representatives for c in scenario.channels)
    proposed_reps = sum(recommendation.representatives)
    staffing_moves = any(
        not math.isclose(proposed, channel.representatives, abs_tol=1e-9)
        for channel, proposed in zip(scenario.channels, recommendation.representatives, strict=True)
    )
    if staffing_moves:
        parts.append(
            tn(
                "finding.plan.representatives",
                _shown(proposed_reps, "representatives"),
                language,
                count=_amount(proposed_reps, "representatives", language),
                current=_amount(current_reps, "representatives", language),
            )
        )
    current_hours = scenario.training.hours_per_rep_per_year
    if not math.isclose(recommendation.training_hours, current_hours, abs_tol=1e-9):
        parts.append(
            tn(
                "finding.plan.training",
                _shown(recommendation.training_hours, "training"),
                language,
                hours=_amount(recommendation.training_hours, "training", language),
                current=_amount(current_hours, "training", language),
            )
        )
    if recommendation.practices:
        count = len(recommendation.practices)
        parts.append(tn("finding.plan.practices", count, language, count=count))
    return ", ".join(parts)


def finding_from_recommendation(
    scenario: Scenario, recommendation: Recommendation, language: Language
) -> str:
    """The finding sentence of the exports: the costliest driver today and the recommended plan.

    The driver clause is evaluated at the scenario's current values
    (``recommendation.base_result``); the move is the plan of ``recommendation``
    with its net benefit per year (``recommendation.comparison``, on the basis
    ``cxcost.compare.YEARLY_BASIS``), the very numbers of the recommendation box.

    Parameters
    ----------
    scenario : the scenario as it is now
    recommendation : ``cxcost.optimize.optimize(scenario)``
    language : "en" or "nb"

    Returns
    -------
    str
    """
    result = recommendation.base_result
    driver = costliest_driver(result)
    if driver is None:
        return t("finding.no_loss", language)
    driver_clause = t(
        "finding.driver",
        language,
        driver=t(DRIVER_KEYS[driver], language),
        amount=format_money(result.revenue_at_risk_by_driver[driver], result.currency, language),
    )
    changes = _plan_changes(scenario, recommendation, language)
    if not changes:
        move_clause = t("finding.at_best", language)
    else:
        net = recommendation.comparison.net_benefit_per_year
        key = "finding.plan" if net >= 0 else "finding.plan_costs"
        amount = format_money(abs(net), result.currency, language)
        move_clause = t(key, language, changes=changes, net=amount)
    return t("finding.sentence", language, driver_clause=driver_clause, move_clause=move_clause)
