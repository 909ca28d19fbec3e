"""Exports: chart images, the one-page PDF summary, the HTML report, the workbook, the CLI.

Image tests need Debian's Chromium (``apt-get install chromium``); CI installs
it, so a missing browser fails these tests with that instruction rather than
skipping them. One warm renderer is shared by the module.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import plotly.graph_objects as go
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, ImageStat
from pydantic import BaseModel
from pypdf import PdfReader

from cxcost.channels import clear_week_cache
from cxcost.cli import main
from cxcost.compare import YEARLY_BASIS, compare
from cxcost.evaluate import evaluate
from cxcost.i18n import Language, format_money, format_number, t
from cxcost.optimize import practice_warnings
from cxcost.presets import load_preset
from cxcost.report import bundle, charts, content, images
from cxcost.report.bundle import (
    ReportError,
    ReportInputs,
    build_document,
    build_report,
    chart_figures,
    compute_report_inputs,
    inputs_charts,
    report_finding,
    slug,
)
from cxcost.report.finding import finding_from_recommendation
from cxcost.report.formats import REPORT_FORMATS, parse_formats
from cxcost.report.html import CONTENT_SECURITY_POLICY, html_report
from cxcost.report.images import ChartRenderer, ExportError, figure_to_image
from cxcost.report.pdf import executive_summary, executive_summary_pdf
from cxcost.report.xlsx import workbook_bytes
from cxcost.scenario import MAX_SOURCE_CHARS, Scenario
from cxcost.staffing import staffing_rows

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
TODAY = date(2026, 4, 3)
MISSING_BROWSER = "/nonexistent/chromium"
LANGUAGES: tuple[Language, ...] = ("en", "nb")


@pytest.fixture(scope="module")
def renderer() -> Iterator[ChartRenderer]:
    """The process-wide renderer, started once for the module."""
    if not images.browser_available():
        pytest.fail(
            "Chart export needs Chromium: " + images.missing_browser_message(), pytrace=False
        )
    images.warm_up()
    yield images.default_renderer()
    images.shutdown_renderer()


@pytest.fixture(scope="module")
def bank() -> ReportInputs:
    """The Norwegian bank preset (NOK, Norwegian channel names) and its model outputs."""
    return compute_report_inputs(load_preset("no-bank"))


@pytest.fixture(scope="module")
def hostile() -> ReportInputs:
    """A scenario whose name and first channel name try to inject markup."""
    base = load_preset("us-ecommerce")
    data = base.model_dump()
    data["name"] = HOSTILE_NAME
    data["channels"][0]["name"] = "</script><script>alert(2)</script>"
    return compute_report_inputs(Scenario.model_validate(data))


def _differences(first: object, second: object, path: str = "inputs") -> list[str]:
    """Where two model outputs differ: every number to the bit, arrays included."""
    if isinstance(first, np.ndarray):
        same = np.array_equal(first, np.asarray(second), equal_nan=first.dtype.kind == "f")
        return [] if same else [path]
    if isinstance(first, BaseModel) or dataclasses.is_dataclass(first):
        names = (
            type(first).model_fields
            if isinstance(first, BaseModel)
            else [f.name for f in dataclasses.fields(first)]
        )
        return [
            d
            for name in names
            for d in _differences(getattr(first, name), getattr(second, name), f"{path}.{name}")
        ]
    if isinstance(first, list | tuple | dict):
        assert isinstance(second, type(first)), path
        assert len(first) == len(second), path
        keys = first.keys() if isinstance(first, dict) else range(len(first))
        return [d for k in keys for d in _differences(first[k], second[k], f"{path}[{k}]")]
    if isinstance(first, float) and math.isnan(first):
        return [] if isinstance(second, float) and math.isnan(second) else [path]
    return [] if first == second else [path]


def test_report_inputs_computed_again_are_the_same() -> None:
    """The suite computes a scenario's report inputs once per process (``tests/conftest``),
    which holds only because they are a function of the scenario alone: computed again
    from a copy, with the model's cache of weeks emptied, every number is the same to the
    bit."""
    compute = bundle.compute_report_inputs.__wrapped__  # type: ignore[attr-defined]
    assert compute is not bundle.compute_report_inputs
    scenario = load_preset("no-car-dealer")
    first = compute(scenario)
    clear_week_cache()
    again = compute(scenario.model_copy(deep=True))
    assert again is not first
    assert _differences(first, again) == []
    # The comparison sees a change in the last bits of one input.
    data = scenario.model_dump()
    data["business"]["revenue_per_customer"] *= 1 + 1e-15
    changed = _differences(first, compute(Scenario.model_validate(data)))
    assert "inputs.scenario.business.revenue_per_customer" in changed
    assert "inputs.result.revenue_at_risk_per_year" in changed
    assert bundle.compute_report_inputs(scenario) is bundle.compute_report_inputs(scenario)


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> ChartRenderer:
    """A fresh renderer in an environment whose BROWSER_PATH names no file."""
    monkeypatch.setenv("BROWSER_PATH", MISSING_BROWSER)
    return ChartRenderer()


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def _normalise(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Finding the browser


def test_find_browser_honours_browser_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert images.find_browser() == str(fake)
    monkeypatch.setenv("BROWSER_PATH", MISSING_BROWSER)
    assert images.find_browser() is None  # a wrong user value is reported, not replaced
    assert not images.browser_available()
    message = images.missing_browser_message()
    assert MISSING_BROWSER in message
    assert "apt-get install chromium" in message


def test_debian_chromium_is_found_without_browser_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert images.find_browser() is not None, images.missing_browser_message()


# ---------------------------------------------------------------------------
# Chart images


def test_png_has_the_scaled_size_and_is_not_blank(
    renderer: ChartRenderer, bank: ReportInputs
) -> None:
    figure = charts.driver_breakdown_figure(bank.result, "nb")
    png = figure_to_image(figure, "png", scale=2, width=700, height=400)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1400, 800)
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 10, "the image is (nearly) one flat colour"
    assert len(grey.getcolors(maxcolors=1 << 16) or []) > 20


def test_svg_parses_as_svg(renderer: ChartRenderer, bank: ReportInputs) -> None:
    svg = figure_to_image(charts.staffing_curve_figure(bank.staffing_curves[0], "en"), "svg")
    assert b"<svg" in svg[:200]
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")


def test_chart_pdf_is_a_pdf(renderer: ChartRenderer, bank: ReportInputs) -> None:
    data = figure_to_image(charts.training_curve_figure(bank.training_curve, "en"), "pdf")
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_threads_get_their_own_images(renderer: ChartRenderer) -> None:
    """Concurrent callers (Streamlit sessions) never receive each other's image."""
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    widths = [300, 340, 380, 420]
    sizes: dict[int, tuple[int, int]] = {}

    def render(width: int) -> None:
        png = figure_to_image(figure, "png", scale=1, width=width, height=200)
        sizes[width] = Image.open(io.BytesIO(png)).size

    threads = [threading.Thread(target=render, args=(w,)) for w in widths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sizes == {w: (w, 200) for w in widths}


def test_bad_image_arguments_are_value_errors() -> None:
    figure = go.Figure()
    not_a_format: Any = "jpg"  # what a caller without a type checker may pass
    with pytest.raises(ValueError, match="format"):
        figure_to_image(figure, not_a_format)
    with pytest.raises(ValueError, match="positive"):
        figure_to_image(figure, "png", scale=0)


def test_missing_browser_is_a_plain_export_error(no_browser: ChartRenderer) -> None:
    with pytest.raises(ExportError) as caught:
        figure_to_image(go.Figure(), "png", renderer=no_browser)
    message = str(caught.value)
    assert f"BROWSER_PATH={MISSING_BROWSER!r}" in message
    assert "apt-get install chromium" in message
    assert "Traceback" not in message
    assert not no_browser.is_running


# ---------------------------------------------------------------------------
# PDF executive summary


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary_is_one_page_with_the_headline(
    renderer: ChartRenderer, bank: ReportInputs, language: Language
) -> None:
    result = bank.result
    summary = executive_summary(
        bank.scenario,
        result,
        bank.recommendation,
        bank.staffing_curves[0],
        language,
        TODAY,
        finding=report_finding(bank, language),
    )
    assert summary.chart_error is None
    pages, text = _pdf_text(summary.content)
    assert pages == 1
    text = _normalise(text)
    currency = result.currency
    for expected in (
        bank.scenario.name,
        format_money(result.revenue_at_risk_per_year, currency, language),
        format_number(result.customers_lost_per_year, language),
        format_money(result.total_cx_cost_per_year, currency, language),
        format_money(result.service_cost_per_year, currency, language),
        t("report.recommendation", language),
        t("report.assumptions", language),
        content.report_date(TODAY, language),
    ):
        assert expected in text, f"{expected!r} missing from the {language} summary"
    # The charts are embedded images, not text.
    reader = PdfReader(io.BytesIO(summary.content))
    assert len(reader.pages[0].images) == 2


def test_summary_has_its_word_for_recommendation_in_each_language(
    renderer: ChartRenderer, bank: ReportInputs
) -> None:
    english = _pdf_text(
        executive_summary_pdf(
            bank.scenario,
            bank.result,
            bank.recommendation,
            bank.staffing_curves[0],
            "en",
            TODAY,
            finding=report_finding(bank, "en"),
        )
    )[1]
    norwegian = _pdf_text(
        executive_summary_pdf(
            bank.scenario,
            bank.result,
            bank.recommendation,
            bank.staffing_curves[0],
            "nb",
            TODAY,
            finding=report_finding(bank, "nb"),
        )
    )[1]
    assert "Recommendation" in english
    assert "Anbefaling" in norwegian
    assert "Recommendation" not in norwegian


def test_summary_without_browser_says_so_on_one_page(
    no_browser: ChartRenderer, bank: ReportInputs
) -> None:
    summary = executive_summary(
        bank.scenario,
        bank.result,
        bank.recommendation,
        bank.staffing_curves[0],
        "nb",
        TODAY,
        renderer=no_browser,
        finding=report_finding(bank, "nb"),
    )
    assert summary.chart_error is not None
    assert "BROWSER_PATH" in summary.chart_error
    pages, text = _pdf_text(summary.content)
    assert pages == 1
    text = _normalise(text)
    assert "Diagrammene kunne ikke tegnes" in text
    assert "apt-get install chromium" in text
    assert bank.scenario.name in text


def test_summary_prints_hostile_text_literally(
    renderer: ChartRenderer, hostile: ReportInputs
) -> None:
    data = executive_summary_pdf(
        hostile.scenario,
        hostile.result,
        hostile.recommendation,
        hostile.staffing_curves[0],
        "en",
        TODAY,
        finding=report_finding(hostile, "en"),
    )
    pages, text = _pdf_text(data)
    assert pages == 1
    assert HOSTILE_NAME in _normalise(text)


def test_summary_stays_on_one_page_with_long_texts(renderer: ChartRenderer) -> None:
    data = Scenario().model_dump()
    data["name"] = "Lange navn " * 10
    data["description"] = "Beskrivelse med æøå og − € → " * 60
    data["sources"] = {
        # as long as a source may be (cxcost.scenario.MAX_SOURCE_CHARS)
        f"channels.{i}.representatives": ("Kilde " * 100)[:MAX_SOURCE_CHARS]
        for i in range(len(data["channels"]))
    } | {"business.customers": "x" * MAX_SOURCE_CHARS}
    inputs = compute_report_inputs(Scenario.model_validate(data))
    pdf = executive_summary_pdf(
        inputs.scenario,
        inputs.result,
        inputs.recommendation,
        inputs.staffing_curves[0],
        "nb",
        TODAY,
        finding=report_finding(inputs, "nb"),
    )
    assert _pdf_text(pdf)[0] == 1


# ---------------------------------------------------------------------------
# HTML report


def test_html_report_is_offline_and_escapes_user_text(hostile: ReportInputs) -> None:
    page = html_report(
        hostile.scenario,
        hostile.result,
        hostile.recommendation,
        inputs_charts(hostile, "en"),
        "en",
        TODAY,
        finding=report_finding(hostile, "en"),
    )
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", page, flags=re.IGNORECASE)
    assert f'content="{escape(CONTENT_SECURITY_POLICY)}"' in page
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert HOSTILE_NAME not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert(2)" not in page
    assert "Plotly.newPlot" in page
    assert page.count('class="plotly-graph-div"') >= 10


def test_html_report_in_norwegian(bank: ReportInputs) -> None:
    page = html_report(
        bank.scenario,
        bank.result,
        bank.recommendation,
        inputs_charts(bank, "nb"),
        "nb",
        TODAY,
        finding=report_finding(bank, "nb"),
    )
    assert '<html lang="nb">' in page
    assert t("report.recommendation", "nb") in page
    assert format_money(bank.result.revenue_at_risk_per_year, "NOK", "nb") in page


# ---------------------------------------------------------------------------
# XLSX workbook


def _rows_by_key(sheet: Worksheet, key_column: int) -> dict[object, Any]:
    return {
        row[key_column - 1].value: row
        for row in sheet.iter_rows(min_row=2)
        if row[key_column - 1].value is not None
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_workbook_has_the_sheets_and_the_results(bank: ReportInputs, language: Language) -> None:
    data = workbook_bytes(
        bank.scenario,
        bank.result,
        bank.recommendation,
        bank.staffing_curves,
        bank.training_curve,
        language,
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    keys = ("inputs", "results", "channels", "staffing_curve", "training_curve", "recommendation")
    assert book.sheetnames == [t(f"report.sheet.{key}", language) for key in keys]
    inputs, results, channels, staffing, training, recommendation = book.worksheets

    by_field = _rows_by_key(results, 4)
    result = bank.result
    # Live formulas on the inputs; tests/test_xlsx_formulas.py recalculates them.
    for field in (
        "revenue_at_risk_per_year",
        "customers_lost_per_year",
        "total_cx_cost_per_year",
        "service_cost_per_year",
        "churn_cost_per_year",
        *(f"customers_lost_by_driver.{driver}" for driver in result.customers_lost_by_driver),
    ):
        cell = by_field[field][1]
        assert cell.data_type == "f", field
    assert by_field["revenue_at_risk_per_year"][1].value == (
        "=customers_lost_per_year*business_revenue_per_customer"
    )
    assert by_field["revenue_at_risk_per_year"][1].number_format == "#,##0"
    assert by_field["rude_share"][1].number_format == "0.0%"

    by_path = _rows_by_key(inputs, 1)
    assert by_path["business.customers"][2].value == bank.scenario.business.customers
    assert by_path["business.gross_margin"][2].number_format == "0.0%"
    assert (
        by_path["staffing.salary_per_year"][4].value
        == bank.scenario.sources["staffing.salary_per_year"]
    )
    assert len([p for p in by_path if str(p).startswith("demand.arrival_profile.")]) == 168

    assert channels.max_row == 1 + len(result.channels)
    assert [row[0].value for row in channels.iter_rows(min_row=2)] == [
        c.name for c in result.channels
    ]
    assert channels.cell(row=2, column=7).value == pytest.approx(result.channels[0].service_level)

    curve_rows = list(staffing.iter_rows(min_row=2, values_only=True))
    assert len(curve_rows) == sum(len(c.representatives) for c in bank.staffing_curves)
    first = bank.staffing_curves[0]
    assert [r[4] for r in curve_rows[: len(first.total_cost)]] == pytest.approx(first.total_cost)
    training_rows = list(training.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in training_rows] == pytest.approx(bank.training_curve.hours)

    plan = [r for r in recommendation.iter_rows(min_row=2, values_only=True) if r[2] is not None]
    net_label = t("metric.net_benefit", language)
    net = next(r for r in plan if r[0] == net_label)[2]
    assert net == pytest.approx(bank.recommendation.comparison.net_benefit_per_year)


def test_workbook_stores_hostile_text_as_text(hostile: ReportInputs) -> None:
    data = hostile.scenario.model_dump()
    data["name"] = '=HYPERLINK("http://example.invalid","x") ' + HOSTILE_NAME + "\x07"
    scenario = Scenario.model_validate(data)
    book = openpyxl.load_workbook(
        io.BytesIO(
            workbook_bytes(
                scenario,
                hostile.result,
                hostile.recommendation,
                hostile.staffing_curves[0],
                hostile.training_curve,
                "en",
            )
        )
    )
    name_cell = _rows_by_key(book["Inputs"], 1)["name"][2]
    assert name_cell.data_type == "s"
    assert name_cell.value == data["name"].rstrip("\x07")


# ---------------------------------------------------------------------------
# Report bundle and CLI


def test_parse_formats() -> None:
    assert parse_formats("pdf, XLSX") == {"pdf", "xlsx"}
    assert parse_formats("all") == set(REPORT_FORMATS)
    with pytest.raises(ValueError, match="unknown format docx; choose from"):
        parse_formats("pdf,docx")
    with pytest.raises(ValueError, match="no format"):
        parse_formats(",")


def test_slug_makes_safe_file_names() -> None:
    assert slug(HOSTILE_NAME) == "img-src-x-onerror-alert-1"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("") == "scenario"


def test_bundle_without_browser_writes_the_documents(
    no_browser: ChartRenderer, bank: ReportInputs, tmp_path: Path
) -> None:
    with pytest.raises(ReportError) as caught:
        build_report(
            bank.scenario,
            {"pdf", "xlsx", "png"},
            "en",
            tmp_path,
            stem="bank",
            inputs=bank,
            renderer=no_browser,
        )
    error = caught.value
    assert {p.name for p in error.written} == {"bank-summary.pdf", "bank-workbook.xlsx"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank-summary.pdf", "bank-workbook.xlsx"]
    assert len(error.problems) == 2
    assert "written without its charts" in error.problems[0]
    assert "chart images (PNG) were not written" in error.problems[1]
    assert all("apt-get install chromium" in problem for problem in error.problems)


def test_cli_report_writes_the_requested_files(
    renderer: ChartRenderer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["report", "utility", "--out", str(tmp_path), "--formats", "pdf,html,xlsx,png,svg"]
    )
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(Path(line).name for line in out.split()) == written
    for name in ("utility-summary.pdf", "utility-report.html", "utility-workbook.xlsx"):
        assert name in written
    pngs = [n for n in written if n.endswith(".png")]
    svgs = [n for n in written if n.endswith(".svg")]
    assert "utility-chart-drivers.png" in pngs
    assert len(pngs) == len(svgs) >= 10
    assert not [n for n in written if n.startswith(".")], "temporary files left behind"
    # As tall as the chart the app and the HTML report show.
    assert Image.open(tmp_path / "utility-chart-drivers.png").size == (
        2 * images.DEFAULT_WIDTH,
        2 * charts.FIGURE_HEIGHT,
    )
    assert Image.open(tmp_path / "utility-chart-churners.png").size == (
        2 * images.DEFAULT_WIDTH,
        2 * charts.churners_figure(evaluate(load_preset("utility"))).layout.height,
    )
    assert _pdf_text((tmp_path / "utility-summary.pdf").read_bytes())[0] == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-preset"], "no-such-preset: no preset or file named"),
        (["utility", "--formats", "pdf,docx"], "unknown format docx"),
        (["utility", "--language", "de"], "invalid choice: 'de'"),
        (["utility", "--set", "business.customers=-5"], "--set business.customers"),
    ],
)
def test_cli_report_bad_input_exits_2_with_one_line(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    status = main(["report", *arguments, "--out", str(out_dir)])
    _, err = capsys.readouterr()
    assert status == 2
    assert message in err
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_cli_report_refuses_a_file_as_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["report", "utility", "--out", str(target), "--formats", "xlsx"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_cli_report_without_browser_writes_the_rest_and_exits_nonzero(tmp_path: Path) -> None:
    env = {**os.environ, "BROWSER_PATH": MISSING_BROWSER, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-m", "cxcost", "report", "no-bank", "--out", str(tmp_path),
         "--formats", "xlsx,png,svg", "--language", "nb"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-bank-workbook.xlsx"]
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: no-bank: ")
    assert f"BROWSER_PATH={MISSING_BROWSER!r}" in lines[0]
    assert "apt-get install chromium" in lines[0]


# ---------------------------------------------------------------------------
# Hangs: a starved or frozen browser must not hang the app


def test_a_frozen_browser_times_out_and_is_killed(renderer: ChartRenderer) -> None:
    own = ChartRenderer()
    try:
        figure = go.Figure(go.Bar(y=[1, 2, 3]))
        figure_to_image(figure, "png", renderer=own, timeout_seconds=60)
        engine = own._kaleido
        assert engine is not None
        process = engine.subprocess
        os.killpg(process.pid, signal.SIGSTOP)  # our own browser: freeze it
        start = time.perf_counter()
        with pytest.raises(ExportError, match=r"rendering timed out after 2 s"):
            figure_to_image(figure, "png", renderer=own, timeout_seconds=2)
        # It fires (a frozen browser would hang forever); the margin is for a busy machine.
        assert time.perf_counter() - start < 30  # fired: the hang sleeps for an hour0
        assert not own.is_running
        process.wait(timeout=15)  # the frozen browser was killed, not left behind
    finally:
        own.close()


def test_a_hung_render_times_out_then_the_renderer_recovers(
    renderer: ChartRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def hang(*args: object, **kwargs: object) -> bytes:
        await asyncio.sleep(3600)
        return b""

    figure = go.Figure(go.Bar(y=[3, 1, 2]))
    monkeypatch.setattr(renderer, "_calc_fig", hang)
    start = time.perf_counter()
    with pytest.raises(ExportError, match=r"rendering timed out after 1\.5 s"):
        figure_to_image(figure, "png", timeout_seconds=1.5)
    assert time.perf_counter() - start < 3
    monkeypatch.undo()
    png = figure_to_image(figure, "png", scale=1, width=200, height=100, timeout_seconds=60)
    assert Image.open(io.BytesIO(png)).size == (200, 100)


# ---------------------------------------------------------------------------
# Model v3: one recommendation everywhere, money basis, valuation, uncertainty, staffing


def test_yearly_basis_label_is_the_compare_modules() -> None:
    assert t("basis.yearly", "en") == YEARLY_BASIS
    assert t("basis.yearly", "nb") != YEARLY_BASIS


@pytest.mark.parametrize("language", LANGUAGES)
def test_finding_and_recommendation_box_quote_the_same_plan(
    bank: ReportInputs, language: Language
) -> None:
    """The headline sentence and the box take their numbers from one Recommendation."""
    recommendation = bank.recommendation
    finding = report_finding(bank, language)
    box = content.recommendation_lines(bank.scenario, recommendation, language)[0]
    currency = bank.result.currency
    net = format_money(recommendation.comparison.net_benefit_per_year, currency, language)
    hours = format_number(recommendation.training_hours, language)
    reps = format_number(sum(recommendation.representatives), language)
    for number in (net, hours, reps):
        assert number in finding, (number, finding)
        assert number in box, (number, box)


@pytest.mark.parametrize(
    ("total", "language", "words"),
    [
        (1.0, "en", "Cheapest plan: 1 representative in all (now "),
        (1.5, "en", "Cheapest plan: 1.5 representatives in all (now "),
        (1.0, "nb", "Billigste plan: 1 kundebehandler i alt (nå "),
        (48.0, "nb", "Billigste plan: 48 kundebehandlere i alt (nå "),
    ],
)
def test_the_recommendation_box_counts_the_plans_representatives_in_words(
    bank: ReportInputs, total: float, language: Language, words: str
) -> None:
    """One representative in all is singular; before, the box said "1 representatives"."""
    channels = len(bank.scenario.channels)
    recommendation = bank.recommendation.model_copy(
        update={"representatives": [total, *[0.0] * (channels - 1)]}
    )
    box = content.recommendation_lines(bank.scenario, recommendation, language)[0]
    assert box.startswith(words), box


@pytest.mark.parametrize(("language", "noun"), [("en", "representative"), ("nb", "kundebehandler")])
def test_one_representative_is_singular_in_every_title_that_counts_them(
    bank: ReportInputs, language: Language, noun: str
) -> None:
    """A channel of one representative (a small firm's e-mail) is counted in the singular
    by the staffing and queue charts' titles, the Staffing tab's heading and the summary's
    note; 1.5 and 2 take the plural."""
    from cxcost.report.pdf import _headline_notes
    from cxcost.ui.recommend import staffing_heading

    curve = bank.staffing_curves[0]
    best = curve.best_index
    for count, shown, plural in (
        (1.0, "1", False),
        (1.5, "1.5" if language == "en" else "1,5", True),
    ):
        at = [count if i == best else r for i, r in enumerate(curve.representatives)]
        now = curve.model_copy(update={"representatives": at, "current_representatives": count})
        one = {"representatives": [count, *bank.recommendation.representatives[1:]]}
        texts = [
            charts.staffing_curve_title(now, language, "Chat"),
            charts.queue_curves_figure(now, language).layout.title.text,
            staffing_heading(bank.recommendation.model_copy(update=one), bank.result, 0, language),
        ]
        many = noun + ("e" if language == "nb" else "s")
        for text in texts:
            assert f" {shown} {many if plural else noun}" in text, text
            if not plural:
                assert f" {shown} {many}" not in text, text
    result = bank.result.model_copy(update={"representatives": 1.0})
    note = _headline_notes(bank.scenario, result, language)["service_cost"]
    assert note.startswith(f"1 {noun} ("), note


def test_finding_names_the_costliest_driver_at_the_current_values(bank: ReportInputs) -> None:
    result = bank.recommendation.base_result
    by_driver = result.revenue_at_risk_by_driver
    top = max(by_driver, key=by_driver.__getitem__)
    finding = report_finding(bank, "en")
    assert format_money(by_driver[top], result.currency, "en") in finding


def test_finding_says_when_the_plan_changes_nothing(bank: ReportInputs) -> None:
    """A scenario already at its recommended plan: the finding and the box say so alike."""
    at_best = bank.recommendation.scenario
    recommendation = bank.recommendation.model_copy(
        update={"representatives": [c.representatives for c in at_best.channels], "practices": {}}
    )
    sentence = finding_from_recommendation(at_best, recommendation, "en")
    assert sentence.endswith(t("finding.at_best", "en") + ".")
    lines = content.recommendation_lines(at_best, recommendation, "en")
    assert lines[0].lower().startswith(t("finding.at_best", "en"))


def test_money_adds_up_and_the_explanation_says_how(bank: ReportInputs) -> None:
    result = bank.result
    assert result.total_cx_cost_per_year == pytest.approx(
        result.service_cost_per_year + result.churn_cost_per_year
    )
    assert result.churn_cost_per_year == pytest.approx(
        result.customers_lost_per_year * result.lost_customer_value
    )
    for language in LANGUAGES:
        text = content.total_cx_cost_explained(result, language)
        for value in (
            result.total_cx_cost_per_year,
            result.service_cost_per_year,
            result.churn_cost_per_year,
            result.lost_customer_value,
            result.revenue_at_risk_per_year,
        ):
            assert format_money(value, result.currency, language) in text
        assert content.valuation_text(result, language) in text
    assert "lifetime margin" in content.total_cx_cost_explained(result, "en")


def test_replacement_cost_valuation_is_named(bank: ReportInputs) -> None:
    data = bank.scenario.model_dump()
    data["business"]["lost_customer_valuation"] = "replacement_cost"
    result = evaluate(Scenario.model_validate(data))
    assert content.valuation_text(result, "en") == "replacement cost"
    assert "replacement cost" in content.total_cx_cost_explained(result, "en")


def test_guardrail_warnings_are_in_the_recommendation_lines(bank: ReportInputs) -> None:
    assert bank.recommendation.warnings, "no-bank's plan trains above 80 h a year"
    plan = bank.recommendation
    for language in LANGUAGES:
        lines = content.recommendation_lines(bank.scenario, plan, language)
        warnings_ = practice_warnings(plan.scenario, plan.result, language)
        assert len(warnings_) == len(plan.warnings)
        for warning in warnings_:
            assert any(line.endswith(warning) for line in lines)


def test_decisions_and_assumptions_are_shown_apart(bank: ReportInputs) -> None:
    base = bank.scenario
    data = bank.recommendation.scenario.model_dump()
    data["business"]["revenue_per_customer"] *= 1.2
    proposal = Scenario.model_validate(data)
    comparison = compare(base, proposal)
    assert comparison.changed_assumptions == ["business.revenue_per_customer"]
    recommendation = bank.recommendation.model_copy(update={"comparison": comparison})
    for language in LANGUAGES:
        line = content.assumptions_changed_line(comparison, language)
        assert line is not None
        assert "business.revenue_per_customer" in line
        effect = format_money(comparison.assumptions_effect_per_year, "NOK", language)
        assert effect in line
        assert line in content.recommendation_lines(base, recommendation, language)
    assert content.assumptions_changed_line(bank.recommendation.comparison, "en") is None


def test_uncertainty_rows_are_the_recommended_plans(bank: ReportInputs) -> None:
    report = bank.uncertainty
    assert report.net_benefit_per_year is not None
    assert report.headline["net_benefit_per_year"] == pytest.approx(
        bank.recommendation.comparison.net_benefit_per_year, rel=1e-6
    )
    rows = content.uncertainty_rows(report, "en")
    assert [r.key for r in rows] == [
        "revenue_at_risk_per_year",
        "total_cx_cost_per_year",
        "net_benefit_per_year",
    ]
    for row, band in zip(
        rows,
        (
            report.revenue_at_risk_per_year,
            report.total_cx_cost_per_year,
            report.net_benefit_per_year,
        ),
        strict=True,
    ):
        assert band.p10 <= report.headline[row.key] <= band.p90
        assert row.p10 == format_money(band.p10, "NOK", "en")
        assert row.p90 == format_money(band.p90, "NOK", "en")
    sentences = content.uncertainty_sentences(report, "en")
    assert sentences[0].startswith("The plan pays off in ")
    assert sentences[1].startswith("Break-even:")


def test_the_tornado_of_the_exports_is_on_net_benefit(bank: ReportInputs) -> None:
    assert all(bar.net_benefit_low is not None for bar in bank.tornado_bars)
    assert bank.tornado_bars == bank.uncertainty.tornado
    fig = chart_figures(bank, "en")["tornado"]
    assert "net benefit" in fig.layout.title.text.replace("<br>", " ")
    assert fig.data[0].base[0] == pytest.approx(bank.uncertainty.headline["net_benefit_per_year"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary_states_basis_uncertainty_and_warnings(
    renderer: ChartRenderer, bank: ReportInputs, language: Language
) -> None:
    document = build_document(bank, "pdf", language, TODAY)
    assert document.problem is None
    pages, text = _pdf_text(document.content)
    assert pages == 1
    text = _normalise(text)
    horizon = bank.scenario.business.horizon_years
    report = bank.uncertainty
    assert report.net_benefit_per_year is not None
    for expected in (
        content.basis_note(horizon, language),
        report_finding(bank, language),
        t("report.v3.uncertainty", language),
        format_money(report.net_benefit_per_year.p10, "NOK", language),
        format_money(report.net_benefit_per_year.p90, "NOK", language),
        content.uncertainty_sentences(report, language)[0],
        t("report.v3.warnings", language),
        content.valuation_text(bank.result, language),
    ):
        assert _normalise(expected) in text, f"{expected!r} missing from the {language} summary"
    # Drivers, staffing curve and the tornado of the plan's net benefit.
    assert len(PdfReader(io.BytesIO(document.content)).pages[0].images) == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_report_states_basis_uncertainty_and_warnings(
    bank: ReportInputs, language: Language
) -> None:
    page = build_document(bank, "html", language, TODAY).content.decode("utf-8")
    report = bank.uncertainty
    assert report.net_benefit_per_year is not None
    for expected in (
        content.basis_note(bank.scenario.business.horizon_years, language),
        content.total_cx_cost_explained(bank.result, language),
        report_finding(bank, language),
        format_money(report.revenue_at_risk_per_year.p10, "NOK", language),
        format_money(report.net_benefit_per_year.p90, "NOK", language),
        *content.uncertainty_sentences(report, language),
        *content.warning_lines(bank.recommendation, language),
    ):
        assert escape(expected) in page, expected
    assert page.count('<li class="warning">') == len(bank.recommendation.warnings)
    assert escape(t("chart.v3.band", language)) in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_workbook_has_uncertainty_and_staffing_sheets(
    bank: ReportInputs, language: Language
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_document(bank, "xlsx", language, TODAY).content))
    keys = (
        "inputs", "results", "channels", "staffing_curve", "training_curve", "recommendation",
        "uncertainty", "staffing", "actions",
    )  # fmt: skip
    assert book.sheetnames == [t(f"report.sheet.{key}", language) for key in keys]
    results = book[t("report.sheet.results", language)]
    by_field = _rows_by_key(results, 4)
    assert by_field["basis"][1].value == content.basis_note(3, language)
    assert by_field["lost_customer_value"][1].data_type == "f"
    assert by_field["total_cx_cost_explained"][1].value == content.total_cx_cost_explained(
        bank.result, language
    )

    uncertainty = book[t("report.sheet.uncertainty", language)]
    by_key = _rows_by_key(uncertainty, 7)
    report = bank.uncertainty
    for key in ("revenue_at_risk_per_year", "total_cx_cost_per_year", "net_benefit_per_year"):
        band = getattr(report, key)
        row = by_key[key]
        assert [c.value for c in row[1:5]] == pytest.approx(
            [band.p10, band.p50, band.p90, report.headline[key]]
        )
    assert by_key["probability_pays_off"][2].value == pytest.approx(report.probability_pays_off)
    tornado_paths = [
        v for (v,) in uncertainty.iter_rows(min_col=7, max_col=7, values_only=True)
        if isinstance(v, str) and v.startswith("uncertainty.")
    ]  # fmt: skip
    assert len(tornado_paths) == len(report.tornado)

    staffing = book[t("report.sheet.staffing", language)]
    hourly = staffing_rows(bank.staffing)
    assert staffing.cell(row=1 + len(hourly), column=1).value == hourly[-1]["channel"]
    assert staffing.cell(row=2 + len(hourly), column=1).value is None
    assert staffing.cell(row=2, column=6).value == pytest.approx(hourly[0]["agents_on_queue"])
    beside = [
        [staffing.cell(row=r, column=c).value for c in range(11, 15)]
        for r in range(2, 2 + len(bank.scenario.channels))
    ]
    for row, channel, optimal, now in zip(
        beside,
        bank.staffing.channels,
        bank.recommendation.representatives,
        bank.scenario.channels,
        strict=True,
    ):
        assert row[0] == channel.channel_name
        assert row[1] == pytest.approx(channel.representatives_needed)
        assert row[2] == pytest.approx(optimal)
        assert row[3] == pytest.approx(now.representatives)

    recommendation = book[t("report.sheet.recommendation", language)]
    texts = [r[2] for r in recommendation.iter_rows(min_row=2, values_only=True)]
    plan = bank.recommendation
    for warning in practice_warnings(plan.scenario, plan.result, language):
        assert warning in texts


def test_payback_without_a_one_off_reads_immediately() -> None:
    assert content.payback_text(0.0, "en") == "immediately (no one-off cost)"
    assert content.payback_text(None, "en") == t("metric.payback_never", "en")
    assert content.payback_text(4.3, "en") == "4.3 months"
    assert content.payback_text(1.0, "en") == "1.0 month"
