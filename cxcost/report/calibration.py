"""A calibration as the outputs show it: the fit table, the fit check, the Pareto, one line.

One place for the app's Calibrate tab, the CLI's ``calibrate`` command and
the exports (XLSX sheets, HTML sections, the PDF's line), so each shows the
same rows with the same labels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from cxcost.calibrate import Calibration, FittedValue, format_value
from cxcost.calibrate.calibration import FIT_CHECK_FLAG_KEYS
from cxcost.calibrate.pareto import DRIVER_LABEL_KEYS
from cxcost.i18n import Language, format_number, format_percent, t
from cxcost.report.content import (
    PROFILE_PATH,
    InputRow,
    assumption_label,
    input_rows,
    unit_text,
)
from cxcost.scenario import Scenario


@dataclass(frozen=True)
class FitRow:
    """One fitted value beside the scenario's current one, as text.

    Attributes
    ----------
    path : the scenario field path
    label : what the value is, in the reader's language
    unit : its unit, in the reader's language ("" for the profile)
    current, fitted, interval : the values as text ("" for the profile's CI)
    n : contacts behind the estimate
    method : the estimator, in words
    """

    path: str
    label: str
    unit: str
    current: str
    fitted: str
    interval: str
    n: int
    method: str


def _text(value: Any, language: Language) -> str:
    if isinstance(value, tuple):
        return t("calibrate.profile_value", language, hours=sum(1 for w in value if w > 0))
    return format_value(float(value), language)


def _label(
    path: str, rows: Mapping[str, InputRow], scenario: Scenario, language: Language
) -> tuple[str, str]:
    """The value's label and unit in the reader's language, as the Assumptions show them."""
    if path == PROFILE_PATH:
        return t("field.demand.arrival_profile", language), ""
    row = rows.get(path)
    if row is None:
        return path, ""
    unit = unit_text(row, scenario.business.currency, language)
    return assumption_label(row, scenario, language), unit


def fit_rows(calibration: Calibration, scenario: Scenario, language: Language) -> list[FitRow]:
    """Every fitted value as a row of text, in the calibration's order."""
    rows = {row.path: row for row in input_rows(scenario)}
    return [_fit_row(value, rows, scenario, language) for value in calibration.values]


def _fit_row(
    value: FittedValue, rows: Mapping[str, InputRow], scenario: Scenario, language: Language
) -> FitRow:
    interval = (
        ""
        if isinstance(value.low, tuple) or isinstance(value.high, tuple)
        else t(
            "calibrate.interval",
            language,
            low=format_value(float(value.low), language),
            high=format_value(float(value.high), language),
        )
    )
    label, unit = _label(value.path, rows, scenario, language)
    return FitRow(
        value.path,
        label,
        unit,
        _text(value.current, language),
        _text(value.value, language),
        interval,
        value.n,
        t(value.method, language),
    )


def fit_header(language: Language) -> list[str]:
    """Column names of ``fit_rows``: value, unit, now, fitted, interval, n, method."""
    return [
        t("calibrate.col.value", language),
        t("col.unit", language),
        t("calibrate.col.current", language),
        t("calibrate.col.fitted", language),
        t("calibrate.col.interval", language),
        "n",
        t("calibrate.col.method", language),
    ]


def fit_check_header(language: Language) -> list[str]:
    """Column names of ``fit_check_rows``."""
    return [
        t("calibrate.col.group", language),
        t("calibrate.col.contacts", language),
        t("calibrate.col.churned", language),
        t("calibrate.col.observed", language),
        t("calibrate.col.fitted_churn", language),
    ]


def pareto_header(language: Language) -> list[str]:
    """Column names of ``pareto_rows``."""
    return [
        t("calibrate.col.reason", language),
        t("calibrate.col.driver", language),
        t("calibrate.col.count", language),
        t("calibrate.col.cumulative", language),
        t("calibrate.col.vital", language),
    ]


def fit_check_rows(calibration: Calibration, language: Language) -> list[list[str | int]]:
    """Observed against fitted churn: group, contacts, churned, observed and fitted share."""
    rows: list[list[str | int]] = []
    for row in calibration.fit_check:
        if row.group == "flag":
            group = t(FIT_CHECK_FLAG_KEYS[row.flag], language)
        else:
            high = (
                "∞"
                if math.isinf(row.wait_high_seconds)
                else format_number(row.wait_high_seconds, language)
            )
            group = t(
                "calibrate.wait_bucket",
                language,
                channel=row.channel,
                low=format_number(row.wait_low_seconds, language),
                high=high,
            )
        rows.append(
            [
                group,
                row.contacts,
                row.churned,
                format_percent(row.observed_share, language, 2),
                format_percent(row.fitted_share, language, 2),
            ]
        )
    return rows


def pareto_rows(calibration: Calibration, language: Language) -> list[list[str | int]]:
    """Complaint reasons: reason, driver, count, cumulative share, in the 80 %."""
    return [
        [
            row.reason,
            t(DRIVER_LABEL_KEYS[row.driver], language),
            row.count,
            format_percent(row.cumulative_share, language),
            t("report.yes", language) if row.vital else "",
        ]
        for row in calibration.pareto
    ]


def period_text(calibration: Calibration, language: Language) -> str:
    """The logs' period, e.g. "March 2026 - May 2026"."""
    locale = "nb_NO" if language == "nb" else "en_US"
    start = format_date(calibration.period_start.date(), "MMMM y", locale=locale)
    end = format_date(calibration.period_end.date(), "MMMM y", locale=locale)
    return start if start == end else f"{start} - {end}"


def summary_line(calibration: Calibration, language: Language) -> str:
    """One line for the PDF: "Assumptions fitted from 48,213 contacts, March - May 2026"."""
    return t(
        "calibrate.summary",
        language,
        n=format_number(calibration.rows, language),
        period=period_text(calibration, language),
        file=calibration.file_name,
    )


def calibration_json(calibration: Calibration) -> dict[str, Any]:
    """The calibration with the model's names, for ``calibrate --format json``."""

    def number(value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value

    return {
        "file": calibration.file_name,
        "rows": calibration.rows,
        "period_start": calibration.period_start.isoformat(),
        "period_end": calibration.period_end.isoformat(),
        "follow_up_days": calibration.follow_up_days,
        "values": [
            {
                "path": v.path,
                "value": number(v.value),
                "low": number(v.low),
                "high": number(v.high),
                "n": v.n,
                "method": v.method.removeprefix("calibrate.method."),
                "current": number(v.current),
            }
            for v in calibration.values
        ],
        "observed": [
            {
                "key": o.key.removeprefix("calibrate.observed."),
                "channel": o.channel,
                "value": o.value,
                "low": o.low,
                "high": o.high,
                "n": o.n,
            }
            for o in calibration.observed
        ],
        "fit_check": [
            {
                "group": r.group,
                "channel": r.channel,
                "flag": r.flag,
                "wait_low_seconds": r.wait_low_seconds,
                "wait_high_seconds": None
                if math.isinf(r.wait_high_seconds)
                else r.wait_high_seconds,
                "contacts": r.contacts,
                "churned": r.churned,
                "fitted": r.fitted,
            }
            for r in calibration.fit_check
        ],
        "pareto": [
            {
                "reason": p.reason,
                "driver": p.driver,
                "count": p.count,
                "cumulative_share": p.cumulative_share,
                "vital": p.vital,
            }
            for p in calibration.pareto
        ],
    }
