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

The Inputs sheet drives the Results and Channels sheets: where the model is
closed-form (money, lifetime margin, churn per contact and per year, the split
by driver, the service cost) their cells are Excel formulas on named inputs
(``cxcost.report.xlsx_formulas``), so a changed revenue per customer or margin
recalculates in Excel or LibreOffice; what the queue and training models give
is a value with a note saying so. Each formula carries the model's value as
its cached result, so a viewer that does not calculate shows the numbers too.
The staffing and training curves and the split by driver have native Excel
charts built on the sheets' cells.

Text from a preset or a link is stored as text: a name starting with "=" is
not a formula, and characters Excel cannot store are dropped.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, cast
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from cxcost.actions import Action
from cxcost.churn import DRIVERS
from cxcost.evaluate import Result
from cxcost.i18n import (
    DRIVER_KEYS,
    Language,
    basis_label,
    currency_label,
    has_message,
    npv_label,
    t,
)
from cxcost.inputs import HOURS, HOURS_PER_MINUTE, MINUTES, Display, input_fields
from cxcost.optimize import CostCurve, Recommendation, TrainingCurve, practice_warnings
from cxcost.report import charts, content
from cxcost.report.levers import lever_label
from cxcost.report.rows import (
    COUNT,
    DECIMAL,
    FINE_SHARE,
    MONEY,
    RESULT_ROWS,
    SHARE,
    row_label,
    row_value,
    unit_label,
)
from cxcost.report.xlsx_formulas import (
    CHANNEL_RANGES,
    RESULT_FORMULAS,
    STEPS,
    VALUE_STEPS,
    channel_formulas,
    defined_name,
    step_values,
)
from cxcost.scenario import Scenario

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration
from cxcost.staffing import DAYS, StaffingPlan, staffing_rows
from cxcost.uncertainty import UncertaintyReport

SECONDS: Final = "#,##0.0"
INTEGER: Final = "0"

Cell = float | int | str | bool | None

_HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
_HEADER_FILL: Final = PatternFill("solid", fgColor="0072B2")
_HIGHLIGHT: Final = PatternFill("solid", fgColor="E8F1F8")
_BOLD: Final = Font(bold=True)
_MAX_WIDTH: Final = 60
_AUTHOR: Final = "cxcost"
_CHART_ROWS: Final = 20
"""Rows between two charts stacked on one sheet."""


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


Cached = dict[str, dict[str, float]]
"""The model's value of each formula cell, by sheet title and coordinate."""


def _formula(
    sheet: Worksheet,
    row: int,
    column: int,
    formula: str,
    number_format: str,
    cached: Cached,
    value: float | None,
) -> None:
    """A formula of ours (never text from a scenario) with its number format; the model's
    ``value`` is noted in ``cached`` as its result for viewers that do not calculate."""
    cell = sheet.cell(row=row, column=column)
    cell.value = formula
    cell.number_format = number_format
    if value is not None and math.isfinite(value):
        cached.setdefault(sheet.title, {})[cell.coordinate] = float(value)


_FORMULA_CELL: Final = re.compile(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)<v\s*/>')
"""A formula cell as openpyxl writes it, with an empty result."""
_RELATION: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the package, by sheet title."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        relation.get("Id"): str(relation.get("Target"))
        for relation in relations.iter(f"{_PACKAGE}Relationship")
    }
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets[sheet.get(_RELATION)]
        parts[str(sheet.get("name"))] = (
            target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        )
    return parts


def _fill(values: dict[str, float], match: re.Match[str]) -> str:
    value = values.get(match.group(2))
    return match.group(0) if value is None else f"{match.group(1)}<v>{value!r}</v>"


def _with_cached_results(data: bytes, cached: Cached) -> bytes:
    """The saved workbook with the model's values as its formulas' cached results.

    openpyxl writes a formula without a result, so a viewer that does not
    calculate (a file preview, pandas) would show the Results sheet empty.
    Excel and LibreOffice still recalculate on load (``fullCalcOnLoad``).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {part: cached[title] for title, part in _sheet_parts(source).items() if title in cached}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in parts:
                fill = functools.partial(_fill, parts[item.filename])
                content = _FORMULA_CELL.sub(fill, content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return buffer.getvalue()


def _note(sheet: Worksheet, row: int, column: int, text: str) -> None:
    """A cell note (comment), sized to be read without resizing."""
    sheet.cell(row=row, column=column).comment = Comment(text, _AUTHOR, height=110, width=260)


def _define(sheet: Worksheet, name: str, reference: str) -> None:
    """A workbook-wide defined name for ``reference`` (e.g. "C5" or "C2:C4") on ``sheet``."""
    book = sheet.parent
    assert book is not None, "a sheet of a workbook"
    target = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(reference)}"
    book.defined_names[name] = DefinedName(name, attr_text=target)


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


_TIME_DISPLAYS: Final[dict[tuple[str, float], str]] = {
    ("s", MINUTES): "report.unit.minutes",
    ("s", HOURS): "report.unit.hours",
    ("min", HOURS_PER_MINUTE): "report.unit.hours",
}
"""Times the sidebar shows in another unit than the model's: (model unit, display scale)
to the unit the workbook shows them in."""


@functools.cache
def _displays() -> dict[str, tuple[tuple[frozenset[str], Display], ...]]:
    """Each input's sidebar displays by path (``channels.*.x``), with the kinds they fit."""
    return {
        field.path: ((field.spec.kinds, field.spec.display), *field.spec.variants)
        for field in input_fields(Scenario)
    }


def _time_display(row: content.InputRow, scenario: Scenario) -> tuple[float, str] | None:
    """(scale, unit key) of a time the sidebar shows in minutes or hours; None otherwise.

    A channel's input takes the display of its channel's kind (e-mail answer
    times in hours, phone in seconds), as the sidebar does.
    """
    if isinstance(row.value, bool) or not isinstance(row.value, float | int):
        return None
    parts = row.path.split(".")
    kind = ""
    if parts[0] == "channels" and len(parts) == 3:
        kind = scenario.channels[int(parts[1])].kind
        parts[1] = "*"
    for kinds, display in _displays().get(".".join(parts), ()):
        if kind and kind not in kinds:
            continue
        unit = _TIME_DISPLAYS.get((row.unit, display.scale))
        return None if unit is None else (display.scale, unit)
    return None


def _inputs(sheet: Worksheet, scenario: Scenario, language: Language) -> None:
    """Every input with its unit and source; times in the sidebar's minutes or hours.

    Each input in the model's unit gets a defined name (``defined_name`` of its
    path) for the formulas; a time shown in minutes or hours does not, since its
    name says seconds.
    """
    currency = scenario.business.currency
    rows = content.input_rows(scenario)
    shown = [_time_display(row, scenario) for row in rows]
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
                row.value if time is None else float(row.value) * time[0],
                t(time[1], language) if time else content.unit_text(row, currency, language),
                content.source_text(row, language),
                row.meaning,
            ]
            for row, time in zip(rows, shown, strict=True)
        ],
        row_formats=[
            _number_format(row) if time is None else DECIMAL
            for row, time in zip(rows, shown, strict=True)
        ],
    )
    for number, (row, time) in enumerate(zip(rows, shown, strict=True), start=2):
        if time is None and not row.path.startswith(content.PROFILE_PATH + "."):
            _define(sheet, defined_name(row.path), f"C{number}")


def _money_unit(currency: str, language: Language) -> str:
    return unit_label("money_per_year", currency, language)


def _results(
    sheet: Worksheet, scenario: Scenario, result: Result, language: Language, cached: Cached
) -> None:
    """The basis and what total CX cost means, every figure of ``RESULT_ROWS``, then the
    steps of the calculation (``STEPS``); formulas where ``RESULT_FORMULAS`` has one."""
    currency = result.currency
    values: dict[str, float | None] = {
        **{row.key: row_value(result, row) for row in RESULT_ROWS},
        **step_values(scenario, result),
    }
    rows: list[tuple[str, Cell, str, str | None, str | None]] = [
        (
            t("report.v3.basis", language),
            content.basis_note(scenario.business.horizon_years, language),
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
                None,
                unit_label(row.unit, currency, language),
                row.key,
                row.excel_format,
            )
            for row in RESULT_ROWS
        ),
        ("", None, "", None, None),
        (t("report.step.heading", language), None, "", None, None),
        *(
            (
                t(
                    step.label,
                    language,
                    driver=t(DRIVER_KEYS[step.driver], language) if step.driver else "",
                ),
                values[step.key] if step.key in VALUE_STEPS else None,
                t(step.unit, language, currency=currency_label(currency, language)),
                step.key,
                step.number_format,
            )
            for step in STEPS
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
    heading = len(rows) - len(STEPS) - 1
    _block_header(sheet, heading + 2, [rows[heading][0]])
    inputs = t("report.sheet.inputs", language)
    _note(sheet, 1, 2, t("report.note.formulas", language, sheet=inputs))
    cells: dict[str, int] = {}
    for number, (_, _, _, key, fmt) in enumerate(rows, start=2):
        if key is None or (key not in RESULT_FORMULAS and key not in VALUE_STEPS):
            continue
        cells[key] = number
        _define(sheet, defined_name(key), f"B{number}")
        if key in VALUE_STEPS:
            _note(sheet, number, 2, t("report.note.training", language))
        else:
            formula = RESULT_FORMULAS[key]
            _formula(sheet, number, 2, formula, fmt or "General", cached, values[key])
    _driver_chart(sheet, cells, currency, language)


def _driver_chart(
    sheet: Worksheet, cells: dict[str, int], currency: str, language: Language
) -> None:
    """Churn cost per year by driver, one bar per driver, on the Results sheet's formulas."""
    money = currency_label(currency, language)
    chart = BarChart()
    chart.type = "col"
    chart.title = t("report.chart.driver_split", language, currency=money)
    for driver in DRIVERS:
        row = cells[f"churn_cost_by_driver.{driver}"]
        values = Reference(sheet, min_col=2, min_row=row, max_row=row)
        chart.series.append(Series(values, title=t(DRIVER_KEYS[driver], language)))
    chart.y_axis.number_format = MONEY
    chart.y_axis.title = t("axis.money_per_year", language, currency=money)
    _show_axes(chart)
    sheet.add_chart(chart, "F2")


def _show_axes(chart: BarChart | ScatterChart) -> None:
    """Axes drawn: openpyxl 3.1 leaves them deleted unless told, and Excel hides them."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 18, 9


_CHANNEL_COLUMNS: Final = (
    "name", "kind", "representatives", "contacts_per_year", "agents_per_open_hour", "p_wait",
    "service_level", "mean_wait_minutes", "p_abandon", "occupancy", "overloaded", "wait_churn",
    "payroll_per_year", "share", "wait_response", "give_up", "answered",
)  # fmt: skip
"""The Channels sheet's columns, in order; formulas by ``channel_formulas``."""
_QUEUE_COLUMNS: Final = frozenset(
    {"agents_per_open_hour", "p_wait", "service_level", "mean_wait_minutes", "p_abandon",
     "occupancy", "overloaded", "wait_response", "give_up"}
)  # fmt: skip
"""Columns that hold the queue model's values (each cell with a note)."""


def _channels(
    sheet: Worksheet, scenario: Scenario, result: Result, language: Language, cached: Cached
) -> None:
    c = result.currency
    header = [
        t("col.channel", language),
        t("report.col.kind", language),
        t("col.representatives", language),
        _with_unit(t("axis.contacts_per_year", language), "", language),
        t("report.col.agents_per_open_hour", language),
        t("report.col.p_wait", language),
        t("col.service_level", language),
        t("axis.wait_minutes", language),
        t("col.abandonment", language),
        t("col.occupancy", language),
        t("col.overloaded", language),
        t("report.col.wait_churn", language),
        _with_unit(t("report.col.payroll", language), currency_label(c, language), language),
        t("field.channels.*.share_of_contacts", language),
        t("report.col.wait_response", language),
        t("report.col.give_up", language),
        t("report.col.answered", language),
    ]
    rows: list[list[Cell]] = [
        [
            ch.name,
            t(f"channel_kind.{ch.kind}", language),
            None,
            None,
            ch.agents_per_open_hour,
            ch.p_wait,
            ch.service_level,
            ch.mean_wait_seconds / 60.0,
            ch.p_abandon,
            ch.occupancy,
            ch.overloaded_hours_per_week,
            None,
            None,
            None,
            ch.wait_response,
            ch.give_up_share,
            None,
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
        FINE_SHARE,
        MONEY,
        SHARE,
        FINE_SHARE,
        FINE_SHARE,
        FINE_SHARE,
    ]
    _table(sheet, header, rows, formats)
    column = {key: i for i, key in enumerate(_CHANNEL_COLUMNS, start=1)}
    letter = {key: get_column_letter(i) for key, i in column.items()}
    note = t("report.note.queue", language)
    for index, channel in enumerate(result.channels):
        row = index + 2
        values = {
            "representatives": channel.representatives,
            "share": scenario.channels[index].share_of_contacts,
            "contacts_per_year": channel.contacts_per_year,
            "wait_churn": channel.wait_churn_per_contact,
            "answered": 1.0 - channel.give_up_share,
            "payroll_per_year": channel.payroll_per_year,
        }
        for key, formula in channel_formulas(
            index, f"{letter['wait_response']}{row}", f"{letter['give_up']}{row}"
        ).items():
            fmt = formats[column[key] - 1] or "General"
            _formula(sheet, row, column[key], formula, fmt, cached, values[key])
        for key in _QUEUE_COLUMNS:
            _note(sheet, row, column[key], note)
    last = len(result.channels) + 1
    for key, name in CHANNEL_RANGES.items():
        _define(sheet, name, f"{letter[key]}2:{letter[key]}{last}")


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
        t("axis.wait_minutes", language),
        t("series.abandonment", language),
        t("report.col.note", language),
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
                    curve.mean_wait_seconds[i] / 60.0,
                    curve.p_abandon[i],
                    "; ".join(notes),
                ]
            )
    formats = [None, DECIMAL, MONEY, MONEY, MONEY, MONEY, SHARE, SECONDS, SHARE, None]
    _table(sheet, header, rows, formats)
    _highlight(sheet, marked, len(header))
    first = 2
    for number, curve in enumerate(curves):
        last = first + len(curve.representatives) - 1
        chart = _cost_chart(
            sheet,
            charts.staffing_curve_title(curve, language, curve.channel_name),
            t("axis.representatives", language, channel=curve.channel_name),
            per_year,
            (2, first, last),
            [(3, t("series.service_cost", language)), (4, t("series.churn_cost", language)),
             (5, t("series.total_cost", language))],
        )  # fmt: skip
        sheet.add_chart(chart, f"{get_column_letter(len(header) + 2)}{2 + number * _CHART_ROWS}")
        first = last + 1


def _cost_chart(
    sheet: Worksheet,
    title: str,
    x_title: str,
    y_title: str,
    x: tuple[int, int, int],
    series: Sequence[tuple[int, str]],
) -> ScatterChart:
    """Cost lines over a curve's rows: ``x`` is (column, first row, last row), each series
    (column, title) on the same rows."""
    column, first, last = x
    chart = ScatterChart()
    chart.title = title
    chart.style = 2
    xs = Reference(sheet, min_col=column, min_row=first, max_row=last)
    for y_column, name in series:
        line = Series(
            Reference(sheet, min_col=y_column, min_row=first, max_row=last), xs, title=name
        )
        line.marker.symbol = "none"
        line.smooth = False
        chart.series.append(line)
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.y_axis.number_format = MONEY
    _show_axes(chart)
    return chart


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
        t("report.col.note", language),
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
    chart = _cost_chart(
        sheet,
        content.training_curve_title(curve, language),
        t("axis.training_hours", language),
        per_year,
        (1, 2, len(rows) + 1),
        [(4, t("series.training_cost", language)), (5, t("series.churn_cost", language)),
         (7, t("series.total_cost", language))],
    )  # fmt: skip
    sheet.add_chart(chart, f"{get_column_letter(len(header) + 2)}2")


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
    for warning in practice_warnings(recommendation.scenario, recommendation.result, language):
        add(t("report.v3.warnings", language), None, warning, "", None)
    add(
        t("report.v3.basis", language),
        None,
        content.basis_note(comparison.horizon_years, language),
        "",
        None,
    )
    header = [
        t("report.col.metric", language),
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
    rows: list[list[Cell]] = [[_staffing_cell(k, row[k], language) for k in keys] for row in data]
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


def _staffing_cell(key: str, value: object, language: Language) -> Cell:
    """A cell of ``staffing_rows`` for the sheet: the channel kind and the day in words."""
    if key == "kind":
        return t(f"channel_kind.{value}", language)
    if key == "day":
        return t(f"day.{DAYS.index(str(value))}", language)
    return cast(Cell, value)


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
    money = currency_label(currency, language)
    header = [
        t("action.col.lever", language),
        t("action.col.setting", language),
        t("col.now", language),
        t("col.unit", language),
        _with_unit(t("action.col.cost", language), money, language),
        t("action.col.kept", language),
        _with_unit(t("action.col.net_benefit", language), money, language),
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
    for index, row in enumerate(rows, start=2):
        if row[3] == t("report.unit.share", language):  # settings that are shares
            for column in (2, 3):
                sheet.cell(row=index, column=column).number_format = SHARE
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
    cached: Cached = {}
    _results(sheets["results"], scenario, result, language, cached)
    _channels(sheets["channels"], scenario, result, language, cached)
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
    return _with_cached_results(buffer.getvalue(), cached)
