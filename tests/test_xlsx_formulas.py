"""The XLSX workbook for people who rework the numbers (``cxcost.report.xlsx``).

A formula engine (the ``formulas`` package, as Excel or LibreOffice would)
recalculates the workbook from its cells; the results must be
``evaluate(scenario)`` to 1e-9 relative for every shipped preset, and again
after a person changes money inputs in the Inputs sheet. Then the notes on
the queue model's values, the headers and units of every sheet, and the
native charts.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import formulas
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from cxcost.evaluate import Result, evaluate
from cxcost.i18n import Language, currency_label, t
from cxcost.optimize import cost_curve, optimize, training_curve
from cxcost.presets import list_presets, load_preset
from cxcost.report.bundle import ReportInputs, build_document, compute_report_inputs
from cxcost.report.rows import RESULT_ROWS, row_value
from cxcost.report.xlsx import workbook_bytes
from cxcost.report.xlsx_formulas import RESULT_FORMULAS, STEPS, VALUE_STEPS
from cxcost.scenario import Scenario

PRESETS = [entry.stem for entry in list_presets()]
LANGUAGES: tuple[Language, ...] = ("en", "nb")
REL = 1e-9
"""The model and the recalculated workbook agree to round-off (the formulas repeat the
model's operations in its order; 1e-9 leaves room for Excel's own EXP and LN)."""
BOOK = "book.xlsx"
CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


@dataclass(frozen=True)
class Built:
    """A scenario, its result and its workbook."""

    scenario: Scenario
    result: Result
    data: bytes


def _build(scenario: Scenario, language: Language = "en") -> Built:
    recommendation = optimize(scenario)
    curves = [cost_curve(scenario, i) for i in range(len(scenario.channels))]
    data = workbook_bytes(
        scenario,
        recommendation.base_result,
        recommendation,
        curves,
        training_curve(scenario),
        language,
    )
    return Built(scenario, recommendation.base_result, data)


@pytest.fixture(scope="module", params=PRESETS)
def built(request: pytest.FixtureRequest) -> Built:
    return _build(load_preset(request.param))


@pytest.fixture(scope="module")
def bank() -> ReportInputs:
    """The Norwegian bank with every optional sheet (uncertainty, staffing)."""
    return compute_report_inputs(load_preset("no-bank"))


@pytest.fixture(scope="module")
def bank_books(bank: ReportInputs) -> dict[Language, bytes]:
    return {
        language: build_document(bank, "xlsx", language, date(2026, 12, 5)).content
        for language in LANGUAGES
    }


@pytest.fixture(scope="module")
def ecommerce() -> Built:
    return _build(load_preset("us-ecommerce"))


def _recalculate(data: bytes, folder: Path) -> dict[str, Any]:
    """Every cell of the workbook after a full recalculation, by "SHEET!A1" (upper case).

    The workbook goes through openpyxl first, which drops the formulas' cached
    results, so every figure is the engine's own.
    """
    path = folder / BOOK
    path.write_bytes(_edit(data, {}))
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    prefix = re.compile(r"^'\[" + re.escape(BOOK) + r"\](.*)'!(.*)$", re.IGNORECASE)
    cells: dict[str, Any] = {}
    for key, ranges in solution.items():
        match = prefix.match(str(key))
        if match is not None and ":" not in match.group(2):
            cells[f"{match.group(1).upper()}!{match.group(2).upper()}"] = ranges.value[0, 0]
    return cells


def _rows_by_key(sheet: Worksheet, key_column: int) -> dict[str, int]:
    return {
        str(sheet.cell(number, key_column).value): number
        for number in range(2, sheet.max_row + 1)
        if sheet.cell(number, key_column).value is not None
    }


def _close(recalculated: object, model: float | None) -> bool:
    if model is None:
        return recalculated == ""
    assert isinstance(recalculated, float | int), recalculated
    return math.isclose(float(recalculated), model, rel_tol=REL, abs_tol=1e-300)


def _assert_matches(
    data: bytes, result: Result, folder: Path, language: Language
) -> dict[str, Any]:
    """Recalculate the workbook, check it against ``result`` and return its cells."""
    cells = _recalculate(data, folder)
    book = openpyxl.load_workbook(io.BytesIO(data))
    results = t("report.sheet.results", language).upper()
    rows = _rows_by_key(book[t("report.sheet.results", language)], 4)
    wrong = {
        row.key: (cells[f"{results}!B{rows[row.key]}"], row_value(result, row))
        for row in RESULT_ROWS
        if not _close(cells[f"{results}!B{rows[row.key]}"], row_value(result, row))
    }
    assert not wrong, wrong
    assert _close(cells[f"{results}!B{rows['answered_share']}"], result.answered_share)
    assert _close(
        cells[f"{results}!B{rows['training_hours_per_rep']}"], result.training_hours_per_rep
    )
    channels = t("report.sheet.channels", language).upper()
    for number, channel in enumerate(result.channels, start=2):
        for column, value in (
            ("C", channel.representatives),
            ("D", channel.contacts_per_year),
            ("L", channel.wait_churn_per_contact),
            ("M", channel.payroll_per_year),
        ):
            assert _close(cells[f"{channels}!{column}{number}"], value), (channel.name, column)
    return cells


def test_recalculated_workbook_is_the_model(built: Built, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(built.data))
    results = book["Results"]
    rows = _rows_by_key(results, 4)
    for row in RESULT_ROWS:
        cell = results.cell(row=rows[row.key], column=2)
        assert cell.data_type == "f", row.key
        assert cell.value == RESULT_FORMULAS[row.key]
    cells = _assert_matches(built.data, built.result, tmp_path, "en")

    # A viewer that does not calculate shows the cached results: the formulas' own.
    formulas_book = openpyxl.load_workbook(io.BytesIO(built.data))
    values_book = openpyxl.load_workbook(io.BytesIO(built.data), data_only=True)
    checked = 0
    for sheet in formulas_book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type != "f":
                    continue
                cached = values_book[sheet.title][cell.coordinate].value
                recalculated = cells[f"{sheet.title.upper()}!{cell.coordinate}"]
                if recalculated == "":  # nobody complains: no ratio, nothing cached
                    assert cached is None
                    continue
                assert isinstance(cached, float), (sheet.title, cell.coordinate)
                assert cached == pytest.approx(recalculated, rel=REL), cell.value
                checked += 1
    steps = len(STEPS) - len(VALUE_STEPS)
    assert checked >= len(RESULT_ROWS) - 1 + steps + 6 * len(built.scenario.channels)


def test_recalculated_norwegian_workbook_is_the_model(
    bank: ReportInputs, bank_books: dict[Language, bytes], tmp_path: Path
) -> None:
    _assert_matches(bank_books["nb"], bank.result, tmp_path, "nb")


def _edit(data: bytes, changes: dict[str, float | str]) -> bytes:
    """The workbook with input values typed over, as a person would in the Inputs sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    inputs = book.worksheets[0]
    rows = _rows_by_key(inputs, 1)
    for path, value in changes.items():
        inputs.cell(row=rows[path], column=3).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _changed(scenario: Scenario, changes: dict[str, float | str]) -> Scenario:
    data = scenario.model_dump()
    for path, value in changes.items():
        group, name = path.split(".")
        data[group][name] = value
    return Scenario.model_validate(data)


def test_changed_revenue_and_margin_recalculate_to_the_changed_scenario(
    built: Built, tmp_path: Path
) -> None:
    business = built.scenario.business
    changes: dict[str, float | str] = {
        "business.revenue_per_customer": business.revenue_per_customer * 1.1,
        "business.gross_margin": min(business.gross_margin + 0.07, 0.95),
    }
    changed = evaluate(_changed(built.scenario, changes))
    assert changed.churn_cost_per_year != pytest.approx(built.result.churn_cost_per_year)
    _assert_matches(_edit(built.data, changes), changed, tmp_path, "en")


@pytest.mark.parametrize(
    "changes",
    [
        {
            "business.discount_rate": 0.11,
            "business.baseline_churn": 0.2,
            "churn.wait_churn_max": 0.15,
            "churn.abandon_churn": 0.2,
            "churn.rude_churn": 0.3,
            "churn.dismissive_churn": 0.25,
            "churn.complain_share": 0.1,
            "quality.rude_share_untrained": 0.15,
            "staffing.salary_per_year": 41000.0,
            "staffing.loaded_cost_multiplier": 1.45,
            "staffing.cost_to_replace_rep": 7500.0,
            "training.cost_per_training_hour": 55.0,
        },
        {
            "business.lost_customer_valuation": "replacement_cost",
            "business.acquisition_cost": 210.0,
            "business.replacement_ramp_up_months": 4.0,
        },
        {"churn.complain_share": 0.0},
    ],
    ids=["churn-pay-and-training-prices", "replacement-cost", "nobody-complains"],
)
def test_every_closed_form_input_recalculates(
    ecommerce: Built, changes: dict[str, float | str], tmp_path: Path
) -> None:
    """Inputs the queue and training models do not see: the formulas alone follow them."""
    base = ecommerce
    changed = evaluate(_changed(base.scenario, changes))
    _assert_matches(_edit(base.data, changes), changed, tmp_path, "en")


def test_queue_and_training_values_are_values_with_a_note(built: Built) -> None:
    book = openpyxl.load_workbook(io.BytesIO(built.data))
    channels = book["Channels"]
    header = [cell.value for cell in channels[1]]
    queue_columns = [
        header.index(t(key, "en")) + 1
        for key in (
            "report.col.agents_per_open_hour",
            "report.col.p_wait",
            "col.service_level",
            "axis.wait_minutes",
            "col.abandonment",
            "col.occupancy",
            "col.overloaded",
            "report.col.wait_response",
            "report.col.give_up",
        )
    ]
    note = t("report.note.queue", "en")
    response = header.index(t("report.col.wait_response", "en")) + 1
    for number, channel in enumerate(built.result.channels, start=2):
        for column in queue_columns:
            cell = channels.cell(row=number, column=column)
            assert cell.data_type == "n", (channel.name, header[column - 1])
            assert cell.comment is not None
            assert cell.comment.text == note
        assert channels.cell(number, response).value == pytest.approx(channel.wait_response)
    results = book["Results"]
    rows = _rows_by_key(results, 4)
    for key in VALUE_STEPS:
        cell = results.cell(row=rows[key], column=2)
        assert cell.data_type == "n"
        assert cell.comment is not None
        assert cell.comment.text == t("report.note.training", "en")
    for step in STEPS:
        if step.key not in VALUE_STEPS:
            assert results.cell(row=rows[step.key], column=2).data_type == "f", step.key
    header_note = results["B1"].comment
    assert header_note is not None
    assert header_note.text == t("report.note.formulas", "en", sheet="Inputs")


def test_inputs_have_defined_names(built: Built) -> None:
    book = openpyxl.load_workbook(io.BytesIO(built.data))
    rows = _rows_by_key(book["Inputs"], 1)
    name = book.defined_names["business_revenue_per_customer"]
    assert name.attr_text == f"'Inputs'!$C${rows['business.revenue_per_customer']}"
    assert "demand_arrival_profile_0" not in book.defined_names
    assert book.defined_names["channel_share"].attr_text == (
        f"'Channels'!$N$2:$N${1 + len(built.scenario.channels)}"
    )


def test_times_read_in_the_sidebars_units(ecommerce: Built) -> None:
    """Handle times and patience in minutes, e-mail answer times in hours, targets in seconds."""
    book = openpyxl.load_workbook(io.BytesIO(ecommerce.data))
    inputs = book["Inputs"]
    rows = _rows_by_key(inputs, 1)
    channels = ecommerce.scenario.channels
    email = next(i for i, c in enumerate(channels) if c.kind == "email")
    phone = next(i for i, c in enumerate(channels) if c.kind == "phone")
    expected = {
        f"channels.{phone}.handle_time_seconds": (
            channels[phone].handle_time_seconds / 60,
            "minutes",
        ),
        f"channels.{phone}.patience_seconds": (channels[phone].patience_seconds / 60, "minutes"),
        f"channels.{phone}.answer_within_seconds": (
            channels[phone].answer_within_seconds,
            "seconds",
        ),
        f"channels.{email}.answer_within_seconds": (
            channels[email].answer_within_seconds / 3600,
            "hours",
        ),
        f"channels.{email}.wait_tolerance_minutes": (
            channels[email].wait_tolerance_minutes / 60,
            "hours",
        ),
    }
    for path, (value, unit) in expected.items():
        assert inputs.cell(rows[path], 3).value == pytest.approx(value), path
        assert inputs.cell(rows[path], 4).value == unit, path
    # A name says the model's unit: a time shown in minutes or hours has none.
    assert f"channels_{phone}_handle_time_seconds" not in book.defined_names
    assert f"channels_{phone}_answer_within_seconds" in book.defined_names


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sheet_has_headers_and_units_a_manager_reads(
    bank: ReportInputs, bank_books: dict[Language, bytes], language: Language
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(bank_books[language]))
    assert len(book.worksheets) == 9  # with the Actions sheet (the ranked list)
    for sheet in book.worksheets:
        for cell in sheet[1]:
            if cell.value is None:  # only a spacer between two tables
                column = sheet.iter_cols(min_col=cell.column, max_col=cell.column)
                assert all(c.value is None for c in next(column)), (sheet.title, cell.column)
            else:
                assert str(cell.value).strip(), (sheet.title, cell.column)
        for cells in sheet.iter_rows():
            for cell in cells:
                text = str(cell.value)
                assert "0-1" not in text, (sheet.title, cell.coordinate, text)
                assert "/year" not in text, (sheet.title, text)
                assert "/år" not in text, (sheet.title, text)
    money = currency_label("NOK", language)
    per_year = t("report.unit.money_per_year", language, currency=money)
    assert per_year == ("NOK per year" if language == "en" else "kr per år")

    inputs = book[t("report.sheet.inputs", language)]
    rows = _rows_by_key(inputs, 1)
    assert inputs.cell(rows["business.gross_margin"], 4).value == "%"
    assert inputs.cell(rows["business.gross_margin"], 3).number_format == "0.0%"
    assert inputs.cell(rows["business.revenue_per_customer"], 4).value == money + t(
        "report.per.year", language
    )
    results = book[t("report.sheet.results", language)]
    by_key = _rows_by_key(results, 4)
    for row in RESULT_ROWS:
        cell = results.cell(by_key[row.key], 2)
        if row.unit in ("share", "share_per_year"):
            assert cell.number_format.endswith("%"), row.key
            assert str(results.cell(by_key[row.key], 3).value).startswith("%"), row.key
        if row.unit == "money_per_year":
            assert results.cell(by_key[row.key], 3).value == per_year, row.key

    curve = book[t("report.sheet.staffing_curve", language)]
    header = [cell.value for cell in curve[1]]
    wait = header.index(t("axis.wait_minutes", language)) + 1
    first = bank.staffing_curves[0]
    assert curve.cell(2, wait).value == pytest.approx(first.mean_wait_seconds[0] / 60.0)
    assert header[-1] == t("report.col.note", language)
    training = book[t("report.sheet.training_curve", language)]
    assert t("report.col.note", language) in [cell.value for cell in training[1]]
    staffing = book[t("report.sheet.staffing", language)]
    assert staffing["B2"].value == t(f"channel_kind.{bank.scenario.channels[0].kind}", language)
    assert {staffing.cell(row, 3).value for row in range(2, staffing.max_row + 1)} <= {
        t(f"day.{day}", language) for day in range(7)
    } | {None}


def _charts(data: bytes) -> list[ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        return [ElementTree.fromstring(archive.read(name)) for name in names]


def _references(chart: ElementTree.Element, tag: str) -> list[str]:
    return [f.text or "" for f in chart.iterfind(f".//c:{tag}/c:numRef/c:f", CHART_NS)]


def test_native_charts_plot_the_curves_and_the_driver_split(built: Built) -> None:
    charts = _charts(built.data)
    scatter = [c for c in charts if c.find(".//c:scatterChart", CHART_NS) is not None]
    bars = [c for c in charts if c.find(".//c:barChart", CHART_NS) is not None]
    assert len(scatter) == len(built.scenario.channels) + 1
    assert len(bars) == 1

    staffing = [c for c in scatter if "'Staffing curve'" in "".join(_references(c, "xVal"))]
    assert len(staffing) == len(built.scenario.channels)
    first = cost_curve(built.scenario, 0)
    end = 1 + len(first.representatives)
    assert _references(staffing[0], "xVal")[0] == f"'Staffing curve'!$B$2:$B${end}"
    assert _references(staffing[0], "yVal") == [
        f"'Staffing curve'!${column}$2:${column}${end}" for column in "CDE"
    ]
    training = [c for c in scatter if "'Training curve'" in "".join(_references(c, "xVal"))]
    assert len(training) == 1
    assert {ref.split("!")[1][:3] for ref in _references(training[0], "yVal")} == {
        "$D$",
        "$E$",
        "$G$",
    }

    book = openpyxl.load_workbook(io.BytesIO(built.data))
    rows = _rows_by_key(book["Results"], 4)
    assert _references(bars[0], "val") == [
        f"'Results'!$B${rows[f'churn_cost_by_driver.{d}']}"
        for d in ("wait", "rudeness", "dismissiveness")
    ]
    titles = ["".join(node.itertext()) for node in bars[0].iterfind(".//c:ser/c:tx", CHART_NS)]
    assert titles == [t(f"driver.{d}", "en") for d in ("wait", "rudeness", "dismissiveness")]
