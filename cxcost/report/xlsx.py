"""The scenario as an Excel workbook, for people who rework the numbers.

Sheets, each a plain table starting in A1 (header row, frozen, filterable):
inputs with unit and source, results, channels, the staffing curve, the
training curve, the recommendation (with its guardrail warnings), and when
given the uncertainty of the plan (P10/P50/P90, tornado, break-even) and the
hour-by-hour staffing for a target service level beside the cost-optimal plan.
Money sheets say their time basis (``cxcost.compare.YEARLY_BASIS``).
Numbers are stored as numbers with number formats (money ``#,##0``, shares
``0.0%``), never as formatted text, so they can be summed and charted; the
column headers carry the units and the currency.

Text from a preset or a link is stored as text: a name starting with "=" is
not a formula, and characters Excel cannot store are dropped.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cxcost.actions import Action
from cxcost.evaluate import Result
from cxcost.i18n import Language, basis_label, currency_label, has_message, npv_label, t
from cxcost.optimize import CostCurve, Recommendation, TrainingCurve
from cxcost.report import content
from cxcost.report.levers import lever_label
from cxcost.report.rows import (
    COUNT,
    DECIMAL,
    MONEY,
    RESULT_ROWS,
    SHARE,
    row_label,
    row_value,
    unit_label,
)
from cxcost.scenario import Scenario

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration
from cxcost.staffing import StaffingPlan, staffing_rows
from cxcost.uncertainty import UncertaintyReport

SECONDS: Final = "#,##0.0"
INTEGER: Final = "0"

Cell = float | int | str | bool | None

_HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
_HEADER_FILL: Final = PatternFill("solid", fgColor="0072B2")
_HIGHLIGHT: Final = PatternFill("solid", fgColor="E8F1F8")
_BOLD: Final = Font(bold=True)
_MAX_WIDTH: Final = 60


def _clean(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _put(sheet: Worksheet, row: int, column: int, value: Cell, number_format: str | None) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"  # text, even if it starts with "=": never a formula
    elif isinstance(value, float) and not math.isfinite(value):
        cell.value = None  # Excel has no infinity; an empty cell is honest
    else:
        cell.value = value
        if number_format and value is not None and not isinstance(value, bool):
            cell.number_format = number_format


def _table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    formats: Sequence[str | None] | None = None,
    row_formats: Sequence[str | None] | None = None,
) -> None:
    """Write a header and rows from A1; per-column or per-row number formats."""
    for column, title in enumerate(header, start=1):
        _put(sheet, 1, column, title, None)
        cell = sheet.cell(row=1, column=column)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            number_format = None
            if row_formats is not None:
                number_format = row_formats[r - 2]
            elif formats is not None:
                number_format = formats[c - 1]
            _put(sheet, r, c, value, number_format)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    for column, title in enumerate(header, start=1):
        longest = max(
            [len(str(title)) * 0.9, *(len(str(r[column - 1])) for r in rows if column <= len(r))],
            default=10,
        )
        width = min(max(10.0, longest + 2), _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _with_unit(label: str, unit: str, language: Language) -> str:
    return t("report.col.with_unit", language, label=label, unit=unit) if unit else label


def _number_format(row: content.InputRow) -> str | None:
    if row.kind == "money":
        return MONEY if abs(float(row.value)) >= 100 else DECIMAL
    if row.kind == "share":
        return SHARE
    if row.kind == "integer":
        return COUNT
    if row.kind == "number":
        return DECIMAL if not float(row.value).is_integer() else COUNT
    return None


def _inputs(sheet: Worksheet, scenario: Scenario, language: Language) -> None:
    currency = scenario.business.currency
    rows = content.input_rows(scenario)
    _table(
        sheet,
        [
            t("col.path", language),
            t("report.col.label", language),
            t("col.value", language),
            t("col.unit", language),
            t("col.source", language),
            t("col.meaning", language),
        ],
        [
            [
                row.path,
                content.assumption_label(row, scenario, language),
                row.value,
                content.unit_text(row, currency, language),
                content.source_text(row, language),
                row.meaning,
            ]
            for row in rows
        ],
        row_formats=[_number_format(row) for row in rows],
    )


def _money_unit(currency: str, language: Language) -> str:
    return unit_label("money_per_year", currency, language)


def _results(sheet: Worksheet, result: Result, horizon_years: int, language: Language) -> None:
    """Every figure of ``RESULT_ROWS`` after the basis and what total CX cost means."""
    rows: list[tuple[str, float | int | str | None, str, str, str | None]] = [
        (
            t("report.v3.basis", language),
            content.basis_note(horizon_years, language),
            "",
            "basis",
            None,
        ),
        (
            t("metric.total_cx_cost", language),
            content.total_cx_cost_explained(result, language),
            "",
            "total_cx_cost_explained",
            None,
        ),
        *(
            (
                row_label(row, result, language),
                row_value(result, row),
                unit_label(row.unit, result.currency, language),
                row.key,
                row.excel_format,
            )
            for row in RESULT_ROWS
        ),
    ]
    _table(
        sheet,
        [
            t("report.col.metric", language),
            t("col.value", language),
            t("col.unit", language),
            t("col.path", language),
        ],
        [[label, value, unit, key] for label, value, unit, key, _ in rows],
        row_formats=[fmt for *_, fmt in rows],
    )


def _channels(sheet: Worksheet, result: Result, language: Language) -> None:
    c = result.currency
    header = [
        t("col.channel", language),
        t("report.col.kind", language),
        t("col.representatives", language),
        _with_unit(t("axis.contacts_per_year", language), "", language),
        t("report.col.agents_per_open_hour", language),
        t("report.col.p_wait", language),
        t("col.service_level", language),
        t("axis.wait_seconds", language),
        t("col.abandonment", language),
        t("col.occupancy", language),
        t("col.overloaded", language),
        t("report.col.wait_churn", language),
        _with_unit(t("report.col.payroll", language), currency_label(c, language), language),
    ]
    rows: list[list[Cell]] = [
        [
            ch.name,
            t(f"channel_kind.{ch.kind}", language),
            ch.representatives,
            ch.contacts_per_year,
            ch.agents_per_open_hour,
            ch.p_wait,
            ch.service_level,
            ch.mean_wait_seconds,
            ch.p_abandon,
            ch.occupancy,
            ch.overloaded_hours_per_week,
            ch.wait_churn_per_contact,
            ch.payroll_per_year,
        ]
        for ch in result.channels
    ]
    formats = [
        None,
        None,
        DECIMAL,
        COUNT,
        DECIMAL,
        SHARE,
        SHARE,
        SECONDS,
        SHARE,
        SHARE,
        DECIMAL,
        "0.000%",
        MONEY,
    ]
    _table(sheet, header, rows, formats)


def _staffing_curves(sheet: Worksheet, curves: Sequence[CostCurve], language: Language) -> None:
    currency = curves[0].currency if curves else ""
    per_year = _money_unit(currency, language)
    header = [
        t("col.channel", language),
        t("col.representatives", language),
        _with_unit(t("series.service_cost", language), per_year, language),
        _with_unit(t("series.churn_cost", language), per_year, language),
        _with_unit(t("series.total_cost", language), per_year, language),
        _with_unit(t("series.revenue_at_risk", language), per_year, language),
        t("series.service_level", language),
        t("axis.wait_seconds", language),
        t("series.abandonment", language),
        " ",  # the row labels need no header
    ]
    rows: list[list[Cell]] = []
    marked: list[int] = []
    for curve in curves:
        for i, reps in enumerate(curve.representatives):
            notes = []
            if i == curve.best_index:
                notes.append(t("series.minimum", language, value=_fte(reps)))
                marked.append(len(rows) + 2)
            if math.isclose(reps, curve.current_representatives):
                notes.append(t("series.current", language, value=_fte(reps)))
            rows.append(
                [
                    curve.channel_name,
                    reps,
                    curve.service_cost[i],
                    curve.churn_cost[i],
                    curve.total_cost[i],
                    curve.revenue_at_risk[i],
                    curve.service_level[i],
                    curve.mean_wait_seconds[i],
                    curve.p_abandon[i],
                    "; ".join(notes),
                ]
            )
    formats = [None, DECIMAL, MONEY, MONEY, MONEY, MONEY, SHARE, SECONDS, SHARE, None]
    _table(sheet, header, rows, formats)
    _highlight(sheet, marked, len(header))


def _fte(value: float) -> str:
    return f"{value:g}"


def _highlight(sheet: Worksheet, rows: Sequence[int], columns: int) -> None:
    for row in rows:
        for column in range(1, columns + 1):
            cell = sheet.cell(row=row, column=column)
            cell.fill = _HIGHLIGHT
            cell.font = _BOLD


def _training_curve(sheet: Worksheet, curve: TrainingCurve, language: Language) -> None:
    per_year = _money_unit(curve.currency, language)
    header = [
        t("axis.training_hours", language),
        t("series.rude_share", language),
        t("series.dismissive_share", language),
        _with_unit(t("series.training_cost", language), per_year, language),
        _with_unit(t("series.churn_cost", language), per_year, language),
        _with_unit(t("series.revenue_at_risk", language), per_year, language),
        _with_unit(t("series.total_cost", language), per_year, language),
        t("axis.contacts_per_year", language) + f" ({t('series.repeat_contacts', language)})",
        " ",  # the row labels need no header
    ]
    rows: list[list[Cell]] = []
    for i, hours in enumerate(curve.hours):
        notes = []
        if i == curve.best_index:
            notes.append(t("series.minimum", language, value=_fte(hours)))
        if math.isclose(hours, curve.current_hours):
            notes.append(t("series.current", language, value=_fte(hours)))
        rows.append(
            [
                hours,
                curve.rude_share[i],
                curve.dismissive_share[i],
                curve.training_cost[i],
                curve.churn_cost[i],
                curve.revenue_at_risk[i],
                curve.total_cost[i],
                curve.repeat_contacts_per_year[i],
                "; ".join(notes),
            ]
        )
    formats = [DECIMAL, SHARE, SHARE, MONEY, MONEY, MONEY, MONEY, COUNT, None]
    _table(sheet, header, rows, formats)
    _highlight(sheet, [curve.best_index + 2], len(header))


def _recommendation(
    sheet: Worksheet, scenario: Scenario, recommendation: Recommendation, language: Language
) -> None:
    base, plan = recommendation.base_result, recommendation.result
    comparison = recommendation.comparison
    per_year = _money_unit(scenario.business.currency, language)
    money = t(
        "report.unit.money", language, currency=currency_label(scenario.business.currency, language)
    )
    rows: list[list[Cell]] = []
    formats: list[str | None] = []

    def add(label: str, now: Cell, proposed: Cell, unit: str, fmt: str | None) -> None:
        rows.append([label, now, proposed, unit])
        formats.append(fmt)

    for channel, proposed, before, after in zip(
        scenario.channels,
        recommendation.representatives,
        base.channels,
        plan.channels,
        strict=True,
    ):
        add(
            t("row.reps_channel", language, channel=channel.name),
            channel.representatives,
            proposed,
            t("report.unit.fte", language),
            DECIMAL,
        )
        add(
            t("row.service_level_channel", language, channel=channel.name),
            before.service_level,
            after.service_level,
            t("report.unit.share", language),
            SHARE,
        )
    add(
        t("row.training_hours", language),
        scenario.training.hours_per_rep_per_year,
        recommendation.training_hours,
        t("report.unit.hours_per_year", language),
        DECIMAL,
    )
    add(
        t("row.revenue_at_risk", language),
        base.revenue_at_risk_per_year,
        plan.revenue_at_risk_per_year,
        per_year,
        MONEY,
    )
    add(
        t("row.customers_lost", language),
        base.customers_lost_per_year,
        plan.customers_lost_per_year,
        t("report.unit.customers_per_year", language),
        COUNT,
    )
    add(
        t("row.service_cost", language),
        base.service_cost_per_year,
        plan.service_cost_per_year,
        per_year,
        MONEY,
    )
    add(
        t("row.churn_cost", language),
        base.churn_cost_per_year,
        plan.churn_cost_per_year,
        per_year,
        MONEY,
    )
    add(
        t("row.total_cx_cost", language),
        base.total_cx_cost_per_year,
        plan.total_cx_cost_per_year,
        per_year,
        MONEY,
    )
    rows.append([None, None, None, None])
    formats.append(None)
    add(t("metric.net_benefit", language), None, comparison.net_benefit_per_year, per_year, MONEY)
    add(
        t("report.rec.extra_service_cost", language),
        None,
        comparison.extra_service_cost_per_year,
        per_year,
        MONEY,
    )
    add(
        t("report.rec.churn_cost_saved", language),
        None,
        comparison.churn_cost_saved_per_year,
        per_year,
        MONEY,
    )
    add(
        t("report.rec.revenue_saved", language),
        None,
        comparison.revenue_saved_per_year,
        per_year,
        MONEY,
    )
    add(
        t("report.rec.customers_saved", language),
        None,
        comparison.customers_saved_per_year,
        t("report.unit.customers_per_year", language),
        COUNT,
    )
    add(t("report.rec.one_off", language), None, comparison.one_off_cost, money, MONEY)
    add(
        npv_label(comparison.horizon_years, language),
        None,
        comparison.npv,
        money,
        MONEY,
    )
    add(t("metric.roi", language), None, comparison.roi, t("report.unit.share", language), SHARE)
    add(
        t("metric.payback", language),
        None,
        comparison.payback_months,
        t("report.unit.months", language),
        "0.0",
    )
    add(
        t("report.rec.feasible", language),
        None,
        t("report.yes", language) if recommendation.feasible else t("report.no", language),
        "",
        None,
    )
    lines = content.recommendation_lines(scenario, recommendation, language)
    add(t("report.recommendation", language), None, lines[0], "", None)
    changed = content.assumptions_changed_line(comparison, language)
    if changed is not None:
        add(t("report.v3.basis", language), None, changed, "", None)
    for warning in recommendation.warnings:
        add(t("report.v3.warnings", language), None, warning, "", None)
    add(
        t("report.v3.basis", language),
        None,
        content.basis_note(comparison.horizon_years, language),
        "",
        None,
    )
    header = [
        " ",  # the row labels need no header
        t("col.now", language),
        t("col.plan", language),
        t("col.unit", language),
    ]
    _table(sheet, header, rows, row_formats=formats)
    sheet.column_dimensions["C"].width = 18


def _block_header(sheet: Worksheet, row: int, header: Sequence[str], column: int = 1) -> None:
    for offset, title in enumerate(header):
        _put(sheet, row, column + offset, title, None)
        cell = sheet.cell(row=row, column=column + offset)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _uncertainty(sheet: Worksheet, report: UncertaintyReport, language: Language) -> None:
    """P10/P50/P90 and point values, the probability and break-even, then the tornado."""
    per_year = _money_unit(report.currency, language)
    figures = [
        ("revenue_at_risk_per_year", "report.v3.rar", report.revenue_at_risk_per_year),
        ("total_cx_cost_per_year", "report.v3.total", report.total_cx_cost_per_year),
    ]
    if report.net_benefit_per_year is not None:
        figures.append(("net_benefit_per_year", "report.v3.net", report.net_benefit_per_year))
    rows: list[list[Cell]] = [
        [t(label, language), p.p10, p.p50, p.p90, report.headline[key], per_year, key]
        for key, label, p in figures
    ]
    formats: list[str | None] = [MONEY] * len(rows)
    if report.probability_pays_off is not None:
        rows.append(
            [t("report.v3.probability", language), None, report.probability_pays_off, None, None,
             t("report.unit.share", language), "probability_pays_off"]
        )  # fmt: skip
        formats.append(SHARE)
    for sentence in content.uncertainty_sentences(report, language)[1:]:
        rows.append([sentence, None, None, None, None, "", "break_even"])
        formats.append(None)
    header = [
        t("report.col.metric", language),
        "P10",
        "P50",
        "P90",
        t("report.v3.point", language),
        t("col.unit", language),
        t("col.path", language),
    ]
    _table(sheet, header, rows, row_formats=formats)
    start = len(rows) + 3
    _block_header(
        sheet,
        start,
        [
            t("col.parameter", language),
            t("report.v3.col.range", language),
            t("report.v3.col.low", language),
            t("report.v3.col.high", language),
            t("report.v3.col.swing", language),
            t("col.unit", language),
            t("col.path", language),
        ],
    )
    for i, bar in enumerate(report.tornado, start=start + 1):
        values: list[tuple[Cell, str | None]] = [
            (
                t(key, language) if has_message(key := f"param.v3.{bar.parameter}") else bar.label,
                None,
            ),
            (f"{bar.low:g}-{bar.high:g} x", None),
            (bar.net_benefit_low, MONEY),
            (bar.net_benefit_high, MONEY),
            (bar.swing, MONEY),
            (per_year, None),
            (f"uncertainty.{bar.parameter}", None),
        ]
        for column, (value, fmt) in enumerate(values, start=1):
            _put(sheet, i, column, value, fmt)
    sheet.column_dimensions["A"].width = _MAX_WIDTH


def _staffing(
    sheet: Worksheet,
    plan: StaffingPlan,
    recommendation: Recommendation,
    scenario: Scenario,
    language: Language,
) -> None:
    """Hour-by-hour requirement (``staffing_rows``) from A1; per channel beside it, what the
    target needs against the cost-optimal plan and today's staffing."""
    data = staffing_rows(plan)
    header = [
        t("col.channel", language),
        t("report.v3.col.kind", language),
        t("report.v3.col.day", language),
        t("report.v3.col.hour", language),
        t("report.v3.col.contacts_per_hour", language),
        t("report.v3.col.agents_on_queue", language),
        t("report.v3.col.scheduled", language),
        t("col.service_level", language),
        t("col.occupancy", language),
    ]
    keys = list(data[0]) if data else []
    rows: list[list[Cell]] = [[row[k] for k in keys] for row in data]  # type: ignore[misc]
    _table(sheet, header, rows, formats=[None, None, None, INTEGER, DECIMAL, DECIMAL, DECIMAL,
                                         SHARE, SHARE])  # fmt: skip
    column = len(header) + 2
    _block_header(
        sheet,
        1,
        [
            t("col.channel", language),
            t("report.v3.col.needed", language),
            t("report.v3.col.optimal", language),
            t("report.v3.col.now", language),
        ],
        column,
    )
    for i, (channel, optimal) in enumerate(
        zip(plan.channels, recommendation.representatives, strict=True), start=2
    ):
        _put(sheet, i, column, channel.channel_name, None)
        _put(sheet, i, column + 1, channel.representatives_needed, DECIMAL)
        _put(sheet, i, column + 2, optimal, DECIMAL)
        _put(sheet, i, column + 3, channel.current_representatives, DECIMAL)
    note = len(plan.channels) + 3
    _put(
        sheet,
        note,
        column,
        t(
            "report.v3.staffing_target",
            language,
            share=f"{plan.target_service_level:.0%}",
        ),
        None,
    )
    for offset, width in enumerate((24, 18, 18, 14)):
        sheet.column_dimensions[get_column_letter(column + offset)].width = width


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """One row below the last, each cell through ``_put`` (cleaned text, no formulas)."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        _put(sheet, row, column, value, None)
    if not values:
        sheet.cell(row=row, column=1).value = None


def _calibration(
    sheet: Worksheet, calibration: Calibration, scenario: Scenario, language: Language
) -> None:
    """Fitted values beside the current ones, then the fit check, then the Pareto."""
    from cxcost.report import calibration as calibrated  # the data stack, only when needed

    _append(sheet, [calibrated.summary_line(calibration, language)])
    _append(sheet, [])
    fitted = calibrated.fit_rows(calibration, scenario, language)
    _block_header(
        sheet, sheet.max_row + 1, [t("col.path", language), *calibrated.fit_header(language)]
    )
    for row in fitted:
        _append(
            sheet,
            [
                row.path,
                row.label,
                row.unit,
                row.current,
                row.fitted,
                row.interval,
                row.n,
                row.method,
            ],
        )
    _append(sheet, [])
    _block_header(
        sheet,
        sheet.max_row + 1,
        calibrated.fit_check_header(language),
    )
    for check in calibrated.fit_check_rows(calibration, language):
        _append(sheet, check)
    if calibration.pareto:
        _append(sheet, [])
        _block_header(
            sheet,
            sheet.max_row + 1,
            calibrated.pareto_header(language),
        )
        for reason in calibrated.pareto_rows(calibration, language):
            _append(sheet, reason)
    for column, width in zip("ABCDEFGH", (34, 40, 14, 16, 16, 22, 10, 34), strict=True):
        sheet.column_dimensions[column].width = width


def _actions(sheet: Worksheet, actions: list[Action], currency: str, language: Language) -> None:
    """Each lever at its best setting, best first: numbers a planner can sort and rework."""
    per_year = _money_unit(currency, language)
    header = [
        t("action.col.lever", language),
        t("action.col.setting", language),
        t("col.now", language),
        t("col.unit", language),
        _with_unit(t("action.col.cost", language), per_year, language),
        t("action.col.kept", language),
        _with_unit(t("action.col.net_benefit", language), per_year, language),
        t("action.col.roi", language),
        _with_unit(t("action.col.payback", language), t("report.unit.months", language), language),
    ]
    rows: list[list[Cell]] = []
    for action in actions:
        share = action.lever not in ("staffing", "conflict_training", "knowledge_training")
        unit = (
            t("report.unit.share", language)
            if share
            else t("report.unit.fte", language)
            if action.lever == "staffing"
            else t("report.unit.hours_per_year", language)
        )
        rows.append(
            [
                lever_label(action.lever, language),
                action.setting,
                action.current,
                unit,
                action.cost_per_year,
                action.customers_kept_per_year,
                action.net_benefit_per_year,
                action.roi,
                action.payback_months,
            ]
        )
    _table(sheet, header, rows, [None, DECIMAL, DECIMAL, None, MONEY, COUNT, MONEY, SHARE, "0.0"])
    note = len(rows) + 3
    _put(
        sheet, note, 1, t("practices.basis", language, basis=basis_label("yearly", language)), None
    )


def workbook_bytes(
    scenario: Scenario,
    result: Result,
    recommendation: Recommendation,
    staffing_curve: CostCurve | Sequence[CostCurve],
    training_curve: TrainingCurve,
    language: Language = "en",
    *,
    uncertainty: UncertaintyReport | None = None,
    staffing: StaffingPlan | None = None,
    calibration: Calibration | None = None,
    actions: Sequence[Action] | None = None,
) -> bytes:
    """The scenario, its results and curves as an XLSX workbook.

    Parameters
    ----------
    scenario : the scenario as it is now
    result : ``evaluate(scenario)``
    recommendation : ``optimize(scenario)``
    staffing_curve : ``cost_curve(scenario, i)`` for one channel, or a list of them
        (stacked in one sheet with a channel column)
    training_curve : ``training_curve(scenario)``
    language : "en" or "nb" (sheet names, headers, labels)
    uncertainty : optional ``analyse(scenario, recommendation.scenario)``: adds the
        Uncertainty sheet
    staffing : optional ``required_staffing(scenario)``: adds the Staffing sheet (one
        row per channel and open hour, the cost-optimal plan beside it)
    calibration : optional calibration behind the scenario's values: adds the
        Calibration sheet (fitted values, the fit check, the complaint Pareto)
    actions : optional ``rank_actions(scenario)``: adds the Actions sheet (each
        lever at its best setting, best first, as numbers)

    Returns
    -------
    bytes
        An .xlsx file with the sheets Inputs, Results, Channels, Staffing
        curve, Training curve and Recommendation (in Norwegian: Inndata,
        Resultater, Kanaler, Bemanningskurve, Opplæringskurve, Anbefaling),
        then Uncertainty and Staffing when given (Usikkerhet, Bemanning).
    """
    curves = [staffing_curve] if isinstance(staffing_curve, CostCurve) else list(staffing_curve)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    sheets = {
        key: book.create_sheet(t(f"report.sheet.{key}", language))
        for key in (
            "inputs",
            "results",
            "channels",
            "staffing_curve",
            "training_curve",
            "recommendation",
        )
    }
    _inputs(sheets["inputs"], scenario, language)
    _results(sheets["results"], result, scenario.business.horizon_years, language)
    _channels(sheets["channels"], result, language)
    _staffing_curves(sheets["staffing_curve"], curves, language)
    _training_curve(sheets["training_curve"], training_curve, language)
    _recommendation(sheets["recommendation"], scenario, recommendation, language)
    if uncertainty is not None:
        _uncertainty(
            book.create_sheet(t("report.sheet.uncertainty", language)), uncertainty, language
        )
    if staffing is not None:
        _staffing(
            book.create_sheet(t("report.sheet.staffing", language)),
            staffing,
            recommendation,
            scenario,
            language,
        )
    if actions:
        _actions(
            book.create_sheet(t("report.sheet.actions", language)),
            list(actions),
            scenario.business.currency,
            language,
        )
    if calibration is not None:
        _calibration(
            book.create_sheet(t("report.sheet.calibration", language)),
            calibration,
            scenario,
            language,
        )
    book.properties.title = _clean(content.scenario_title(scenario, language))
    book.properties.creator = "cxcost"
    book.properties.language = "nb-NO" if language == "nb" else "en"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
