"""What every export says, in words and numbers: shared by the PDF, HTML and XLSX.

The exports differ in layout only. The headline numbers, the finding, the
recommendation and the assumptions with their units and sources are worded
here once, from the model's outputs and ``cxcost.i18n`` (the one formatter of
money and the one table of strings), so that the PDF, the HTML report and the
workbook never disagree.

Text that comes from a preset or a link (scenario and channel names, sources)
is returned as plain text; each export escapes it for its own format.
"""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import date
from typing import TYPE_CHECKING, Final, Literal

from babel.dates import format_date
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxcost.evaluate import Result
from cxcost.i18n import (
    LOCALES,
    NOT_A_NUMBER,
    Language,
    currency_label,
    format_count,
    format_money,
    format_number,
    format_percent,
    has_message,
    npv_label,
    t,
    tn,
)
from cxcost.inputs import SHARE_UNITS, input_of
from cxcost.presets import user_source_date
from cxcost.report.rows import headline_rows, row_label, row_text, row_value
from cxcost.scenario import Scenario

if TYPE_CHECKING:
    from cxcost.compare import Comparison
    from cxcost.optimize import Recommendation, TrainingCurve
    from cxcost.uncertainty import UncertaintyReport

ValueKind = Literal["money", "share", "number", "integer", "text"]

KEY_ASSUMPTIONS: Final[tuple[str, ...]] = (
    "business.customers",
    "business.revenue_per_customer",
    "business.gross_margin",
    "demand.contacts_per_customer_per_year",
    "staffing.salary_per_year",
    "staffing.loaded_cost_multiplier",
    "churn.wait_churn_max",
    "churn.rude_churn",
    "churn.dismissive_churn",
    "quality.rude_share_untrained",
    "quality.dismissive_share_untrained",
    "churn.complain_share",
    "business.acquisition_cost",
    "business.baseline_churn",
)
"""Inputs that move the headline money most, in the order the summary lists them."""

_SKIPPED_FIELDS: Final = frozenset({"sources", "translations"})
_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_DEFAULT_SCENARIO: Final = Scenario()


@dataclasses.dataclass(frozen=True)
class Headline:
    """One headline number: what it is and its formatted value."""

    key: str
    label: str
    value: float
    text: str


@dataclasses.dataclass(frozen=True)
class InputRow:
    """One input of the scenario, as the exports list it.

    Attributes
    ----------
    path : dotted field path, e.g. ``channels.0.handle_time_seconds``
    meaning : the model's description of the field, without the unit
    value : the value (numbers stay numbers)
    unit : the field's unit (``cxcost.inputs.Input.unit``), e.g. "currency/year"
    kind : how to format and number-format the value
    source : the scenario's source for this path, "" when none is given
    is_default : whether the value equals the model's default for the field
    """

    path: str
    meaning: str
    value: float | int | str | bool
    unit: str
    kind: ValueKind
    source: str
    is_default: bool = False


def report_date(today: date, language: Language) -> str:
    """The date as written in a report: "April 3, 2026" / "3. april 2026"."""
    return format_date(today, format="long", locale=LOCALES[language])


def basis_note(horizon_years: int, language: Language) -> str:
    """The time basis of every money figure, in one sentence (``cxcost.compare.YEARLY_BASIS``)."""
    return t(
        "basis.note",
        language,
        yearly=t("basis.yearly", language),
        npv=tn("basis.npv", horizon_years, language, years=horizon_years),
    )


def valuation_text(result: Result, language: Language) -> str:
    """How a lost customer is valued: "lifetime margin" or "replacement cost"."""
    return t(f"valuation.{result.lost_customer_valuation}", language)


def total_cx_cost_explained(result: Result, language: Language) -> str:
    """Total CX cost in words, with the parts that add up to it and the churn valuation."""
    currency = result.currency
    return t(
        "report.v3.total_explained",
        language,
        total=format_money(result.total_cx_cost_per_year, currency, language),
        service=format_money(result.service_cost_per_year, currency, language),
        churn=format_money(result.churn_cost_per_year, currency, language),
        customers=format_number(result.customers_lost_per_year, language),
        value=format_money(result.lost_customer_value, currency, language),
        valuation=valuation_text(result, language),
        revenue=format_money(result.revenue_at_risk_per_year, currency, language),
    )


@dataclasses.dataclass(frozen=True)
class PercentileRow:
    """One figure of the uncertainty table: P10, P50, P90 and its point value, formatted."""

    key: str
    label: str
    p10: str
    p50: str
    p90: str
    point: str


def uncertainty_rows(report: UncertaintyReport, language: Language) -> list[PercentileRow]:
    """Revenue at risk, total CX cost and the plan's net benefit: P10/P50/P90 and point value."""
    currency = report.currency
    figures = [
        ("revenue_at_risk_per_year", "report.v3.rar", report.revenue_at_risk_per_year),
        ("total_cx_cost_per_year", "report.v3.total", report.total_cx_cost_per_year),
    ]
    if report.net_benefit_per_year is not None:
        figures.append(("net_benefit_per_year", "report.v3.net", report.net_benefit_per_year))
    return [
        PercentileRow(
            key,
            t(label, language),
            format_money(p.p10, currency, language),
            format_money(p.p50, currency, language),
            format_money(p.p90, currency, language),
            format_money(report.headline[key], currency, language),
        )
        for key, label, p in figures
    ]


def uncertainty_sentences(report: UncertaintyReport, language: Language) -> list[str]:
    """The probability that the plan pays off and the break-even, one sentence each."""
    if report.probability_pays_off is None:
        return []
    lines = [
        t(
            "report.v3.pays_off",
            language,
            probability=format_percent(report.probability_pays_off, language, 0),
        )
    ]
    cut = report.break_even
    if cut is None:
        lines.append(t("report.v3.break_even_never", language))
    elif cut.required_cut <= 0:
        lines.append(t("report.v3.break_even_free", language))
    else:
        lines.append(
            t(
                "report.v3.break_even",
                language,
                required=format_percent(cut.required_cut, language, 0),
                modelled=format_percent(cut.modelled_cut, language, 0),
            )
        )
    return lines


def assumptions_changed_line(comparison: Comparison, language: Language) -> str | None:
    """When a comparison changes assumptions too: the two effects apart, else None."""
    if not comparison.changed_assumptions:
        return None
    return t(
        "report.v3.assumptions_changed",
        language,
        paths=", ".join(comparison.changed_assumptions),
        effect=format_money(comparison.assumptions_effect_per_year, comparison.currency, language),
    )


def warning_lines(recommendation: Recommendation, language: Language) -> list[str]:
    """The optimiser's guardrail sentences, each marked as outside usual practice.

    The sentences are ``cxcost.optimize.practice_warnings`` in ``language``.
    """
    label = t("report.v3.warnings", language)
    from cxcost.optimize import practice_warnings

    warnings = practice_warnings(recommendation.scenario, recommendation.result, language)
    return [f"{label}: {warning}" for warning in warnings]


def headline_numbers(result: Result, language: Language) -> list[Headline]:
    """Revenue at risk, customers lost, total CX cost and service cost, formatted.

    Parameters
    ----------
    result : the scenario's result
    language : "en" or "nb"

    Returns
    -------
    list of Headline
        The rows of ``cxcost.report.rows.RESULT_ROWS`` flagged ``headline``, in order.
    """
    return [
        Headline(
            row.headline_key,
            row_label(row, result, language),
            row_value(result, row) or 0.0,
            row_text(row, result, language),
        )
        for row in headline_rows()
    ]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_changes_nothing(scenario: Scenario, recommendation: Recommendation) -> bool:
    """Whether the recommended plan keeps today's staffing, training and practices."""
    same_staff = all(
        math.isclose(channel.representatives, proposed, abs_tol=1e-9)
        for channel, proposed in zip(scenario.channels, recommendation.representatives, strict=True)
    )
    return (
        same_staff
        and not recommendation.practices
        and math.isclose(
            recommendation.training_hours, scenario.training.hours_per_rep_per_year, abs_tol=1e-9
        )
    )


def _representatives_in_all(value: float, language: Language) -> str:
    """The plan's total, "48 representatives in all": exactly one takes the singular, a
    fraction the plural (CLDR, as ``cxcost.i18n.tn``).

    >>> _representatives_in_all(1.0, "en"), _representatives_in_all(1.5, "nb")
    ('1 representative in all', '1,5 kundebehandlere i alt')
    """
    return tn(
        "optimizer.summary.representatives", value, language, count=format_count(value, language)
    )


def training_curve_title(curve: TrainingCurve, language: Language) -> str:
    """The training curve's title, the same on the app's chart, its images and the
    workbook's chart: the cheapest training hours (whole) against today's."""
    best = curve.hours[curve.best_index]
    return tn(
        "chart.training.title",
        round(best),
        language,
        best=format_number(best, language),
        current=format_number(curve.current_hours, language),
    )


def payback_text(months: float | None, language: Language) -> str:
    """Payback in months, "immediately" when there is nothing to pay back, or "> 30 years"."""
    if months is None:
        return t("metric.payback_never", language)
    if months == 0:
        return t("report.v3.payback_now", language)
    return tn("metric.payback_months", months, language, months=format_number(months, language, 1))


def roi_text(roi: float | None, language: Language) -> str:
    """ROI as a percentage, or "n/a" when the change costs nothing extra."""
    return t("metric.not_applicable", language) if roi is None else format_percent(roi, language, 0)


def recommendation_lines(
    scenario: Scenario, recommendation: Recommendation, language: Language
) -> list[str]:
    """The recommendation in a few plain lines: the plan, per channel, and its value.

    Parameters
    ----------
    scenario : the scenario as it is now
    recommendation : ``cxcost.optimize.optimize(scenario)``
    language : "en" or "nb"

    Returns
    -------
    list of str
        First the plan in one sentence, then one line per channel, then the
        money (net benefit, NPV, ROI, payback); a warning first if no plan met
        the constraints; last the guardrail warnings (``Recommendation.warnings``).
    """
    currency = scenario.business.currency
    comparison = recommendation.comparison
    lines: list[str] = []
    if not recommendation.feasible:
        lines.append(t("optimizer.infeasible", language))
    if plan_changes_nothing(scenario, recommendation):
        lines.append(_capitalised(t("finding.at_best", language)) + ".")
        return lines + warning_lines(recommendation, language)
    current_reps = sum(c.representatives for c in scenario.channels)
    lines.append(
        tn(
            "optimizer.summary",
            round(recommendation.training_hours),
            language,
            reps=_representatives_in_all(sum(recommendation.representatives), language),
            current_reps=format_count(current_reps, language),
            hours=format_number(recommendation.training_hours, language),
            current_hours=format_number(scenario.training.hours_per_rep_per_year, language),
            net=format_money(comparison.net_benefit_per_year, currency, language),
        )
    )
    moves = [
        t(
            "report.recommendation.channel",
            language,
            channel=channel.name,
            current=format_count(channel.representatives, language),
            proposed=format_count(proposed, language),
        )
        for channel, proposed in zip(scenario.channels, recommendation.representatives, strict=True)
        if not math.isclose(channel.representatives, proposed, abs_tol=1e-9)
    ]
    if moves:  # the channels the plan changes, on one line
        lines.append(t("report.recommendation.channels", language, moves="; ".join(moves)))
    from cxcost.report.levers import practice_changes

    practices = practice_changes(recommendation.practices, scenario, language)
    if practices:
        lines.append(t("report.recommendation.practices", language, changes="; ".join(practices)))
    lines.append(
        " · ".join(
            [
                f"{t('report.rec.extra_service_cost', language)}: "
                f"{format_money(comparison.extra_service_cost_per_year, currency, language)}",
                f"{t('report.rec.customers_saved', language)}: "
                f"{format_number(comparison.customers_saved_per_year, language)}",
                f"{t('report.rec.revenue_saved', language)}: "
                f"{format_money(comparison.revenue_saved_per_year, currency, language)}",
            ]
        )
    )
    lines.append(
        " · ".join(
            [
                f"{npv_label(comparison.horizon_years, language)}: "
                f"{format_money(comparison.npv, currency, language)}",
                f"{t('metric.roi', language)}: {roi_text(comparison.roi, language)}",
                f"{t('metric.payback', language)}: "
                f"{payback_text(comparison.payback_months, language)}",
            ]
        )
    )
    changed = assumptions_changed_line(comparison, language)
    if changed is not None:
        lines.append(changed)
    return lines + warning_lines(recommendation, language)


# ---------------------------------------------------------------------------
# Inputs with units and sources


def _meaning(info: FieldInfo) -> str:
    """The field's description on one line: what the input means (the unit is its own)."""
    return " ".join((info.description or "").split())


def _kind(value: object, unit: str) -> ValueKind:
    if isinstance(value, (bool, str)):
        return "text"
    if "currency" in unit:
        return "money"
    if unit in SHARE_UNITS:
        return "share"
    if isinstance(value, int):
        return "integer"
    return "number"


def _walk(
    model: BaseModel, prefix: str, inherited_unit: str, sources: dict[str, str]
) -> list[InputRow]:
    rows: list[InputRow] = []
    for name, info in type(model).model_fields.items():
        if name in _SKIPPED_FIELDS:
            continue
        path = f"{prefix}{name}"
        value = getattr(model, name)
        meaning = _meaning(info)
        unit = input_of(info).unit or inherited_unit
        if isinstance(value, BaseModel):
            rows.extend(_walk(value, f"{path}.", unit, sources))
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                rows.extend(_walk(item, f"{path}.{index}.", unit, sources))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                rows.append(
                    InputRow(
                        f"{path}.{index}",
                        meaning,
                        item,
                        unit,
                        _kind(item, unit),
                        sources.get(f"{path}.{index}", sources.get(path, "")),
                    )
                )
        else:
            rows.append(
                InputRow(path, meaning, value, unit, _kind(value, unit), sources.get(path, ""))
            )
    return rows


def input_rows(scenario: Scenario) -> list[InputRow]:
    """Every input of the scenario, one row per value, in the model's order.

    Parameters
    ----------
    scenario : the scenario

    Returns
    -------
    list of InputRow
        Lists of numbers (the hourly arrival profile) give one row per entry
        (``demand.arrival_profile.0`` ...). The ``sources`` and
        ``translations`` tables are not rows; each row carries its own source.
    """
    rows = _walk(scenario, "", "", dict(scenario.sources))
    defaults = {row.path: row.value for row in _walk(_DEFAULT_SCENARIO, "", "", {})}
    return [
        dataclasses.replace(
            row, is_default=row.path in defaults and defaults[row.path] == row.value
        )
        for row in rows
    ]


def applies(row: InputRow, scenario: Scenario) -> bool:
    """Whether an input applies to its channel's kind (``Input.kinds``); other rows always do.

    Chats at once per representative mean nothing for a phone line, patience
    nothing for e-mail: such rows hold the model's unused defaults.
    """
    parts = row.path.split(".")
    if parts[0] != "channels" or len(parts) < 3 or not parts[1].isdigit():
        return True
    info = type(scenario.channels[int(parts[1])]).model_fields.get(parts[2])
    if info is None:
        return True
    spec = input_of(info)
    kinds = spec.kinds.union(*(variant for variant, _ in spec.variants))
    return scenario.channels[int(parts[1])].kind in kinds


PROFILE_PATH: Final = "demand.arrival_profile"
"""The hourly arrival profile: ``input_rows`` lists it as one row per hour of the week."""


def profile_summary(scenario: Scenario, language: Language) -> str:
    """The hourly arrival profile in a few words: open hours a week and the peak weight.

    For a table that shows the profile as one row instead of 168
    (``PROFILE_PATH + ".0"`` ... ``".167"``).
    """
    demand = scenario.demand
    return t(
        "assumptions.profile_value",
        language,
        hours=demand.opening_hours_per_week,
        peak=format_number(max(demand.arrival_profile), language, 2),
    )


def key_assumption_rows(scenario: Scenario) -> list[InputRow]:
    """The key inputs first (``KEY_ASSUMPTIONS``), then every other sourced input.

    Parameters
    ----------
    scenario : the scenario

    Returns
    -------
    list of InputRow
        Numbers only (names and codes are not assumptions). Sourced inputs
        that are not key are listed in the order of the scenario's
        ``sources``, the ones with a real source before the ones marked
        illustrative.
    """
    rows = {row.path: row for row in input_rows(scenario) if row.kind != "text"}
    chosen = [rows[path] for path in KEY_ASSUMPTIONS if path in rows]
    keys = set(KEY_ASSUMPTIONS)
    extra = [rows[path] for path in scenario.sources if path in rows and path not in keys]
    extra.sort(key=lambda row: row.source.strip().lower().startswith("illustrative"))
    return chosen + extra


def assumption_label(row: InputRow, scenario: Scenario, language: Language) -> str:
    """What an input is, in the reader's language, from the app's ``field.*`` labels.

    The app's labels end with the unit its widgets use, e.g. "(minutes)"; the
    exports show the model's unit next to the value, so that part is dropped.
    Channel inputs name their channel, range ends say which end they are.
    """
    parts = row.path.split(".")
    channel = ""
    if parts[0] == "channels" and len(parts) >= 3 and parts[1].isdigit():
        channel = scenario.channels[int(parts[1])].name
        parts = ["channels", "*", *parts[2:]]
    end = parts.pop() if parts[0] == "uncertainty" and parts[-1] in ("low", "high") else None
    hour = int(parts.pop()) if parts[-1].isdigit() else None
    key = "field." + ".".join(parts)
    if not has_message(key):
        return row.meaning or row.path
    template = t(key, language)
    label = _UNIT_SUFFIX.sub("", t(key, language, channel=channel, currency=""))
    if channel and "{channel}" not in template:
        label = f"{channel}: {label}"
    if end is not None:
        label = t(f"report.range.{end}", language, label=label)
    if hour is not None:
        day, hour_of_day = divmod(hour, 24)
        label = t(
            "report.profile_hour",
            language,
            label=label,
            day=t(f"day.{day}", language),
            hour=f"{hour_of_day:02d}:00",
        )
    return label


_UNIT_KEYS: Final[dict[str, str]] = {
    "FTE": "report.unit.fte",
    "contacts/year": "report.unit.contacts_per_year",
    "customers": "report.unit.customers",
    "h/year": "report.unit.hours_per_year",
    "h": "report.unit.hours",
    "months": "report.unit.months",
    "years": "report.unit.years",
    "x the value": "report.unit.x_value",
    "min": "report.unit.minutes",
    "s": "report.unit.seconds",
    "x": "report.unit.x",
    "x salary": "report.unit.x_salary",
    "share 0-1": "report.unit.share",
    "0-1": "report.unit.share",
    "share/year": "report.unit.share_per_year",
}


def _per(unit: str, language: Language) -> str:
    """ "/year" (or "/år") for a money unit such as "currency/year"."""
    per = unit.partition("/")[2]
    key = f"report.per.{per.replace('/', '_')}"
    return t(key, language) if has_message(key) else (f"/{per}" if per else "")


def unit_text(row: InputRow, currency: str, language: Language) -> str:
    """The row's unit in the reader's language, e.g. "kr per år", "årsverk", "%"."""
    if row.kind == "money":
        return currency_label(currency, language) + _per(row.unit, language)
    key = _UNIT_KEYS.get(row.unit)
    if key is not None:
        return t(key, language)
    return "" if row.unit == "-" else row.unit


def _decimals(value: float, most: int = 2) -> int:
    """Fewest decimals (up to ``most``) that show the value as entered: 1.2, not 1.20."""
    for decimals in range(most + 1):
        if math.isclose(round(value, decimals), value, rel_tol=0, abs_tol=1e-9):
            return decimals
    return most


def _choice_text(row: InputRow, value: str, language: Language) -> str:
    """A choice in words ("livstidsmargin", "telefon"); names and codes as they are."""
    if row.path.endswith(".kind") and has_message(f"channel_kind.{value}"):
        return t(f"channel_kind.{value}", language)
    if has_message(f"option.{value}"):
        return t(f"option.{value}", language)
    return value


def format_input_value(row: InputRow, currency: str, language: Language) -> str:
    """An input's value with its unit, for text exports (PDF, HTML)."""
    value = row.value
    if isinstance(value, bool):
        return t("report.yes", language) if value else t("report.no", language)
    if isinstance(value, str):
        return _choice_text(row, value, language)
    if not math.isfinite(value):
        return NOT_A_NUMBER
    if row.kind == "money":
        return format_money(value, currency, language, compact=False) + _per(row.unit, language)
    if row.kind == "share":
        return format_percent(value, language, 1 if round(value * 1000) % 10 else 0)
    number = format_number(value, language, _decimals(float(value)))
    unit = unit_text(row, currency, language)
    return f"{number} {unit}" if unit else number


def shown_source(text: str, language: Language) -> str:
    """A source as the reader sees it: "set by the user (date)" in the reader's language.

    The scenario keeps that mark in English (``cxcost.presets.user_source``);
    every other source is shown as written.
    """
    day = user_source_date(text)
    return text if day is None else t("source.user", language, date=day.isoformat())


def scenario_title(scenario: Scenario, language: Language) -> str:
    """The scenario's name, and the client it is for when one is given."""
    if not scenario.client:
        return scenario.name
    return t("report.title_client", language, name=scenario.name, client=scenario.client)


def source_text(row: InputRow, language: Language) -> str:
    """The row's source; for an unsourced value, whether it is the model's default.

    The model's defaults describe an illustrative business (see
    ``cxcost.scenario``); a changed value without a source is "not given"
    (the app marks every value a user changed, ``cxcost.presets.track_sources``).
    """
    if row.source:
        return shown_source(row.source, language)
    if row.is_default:
        return t("report.source.default", language)
    return t("source.none", language)
