"""The one-page executive summary as a PDF (fpdf2), in English or Norwegian.

One A4 page, always: scenario name and date, four headline numbers with the
time basis of the money, the finding in one sentence, what the total CX cost
is made of, the driver breakdown and the staffing curve as chart images, how
sure the plan is (P10/P50/P90, probability of paying off, break-even and the
tornado of its net benefit), the recommendation with its guardrail warnings,
and the key assumptions with their sources. Long
names and sources are cut to fit rather than spilling onto a second page; the
workbook has everything in full.

Charts are PNGs rendered by ``cxcost.report.images`` (kaleido and Chromium).
Without a browser the page is still produced, with a plain note where the
charts would be.

Text is set in DejaVu Sans from Debian's ``fonts-dejavu-core`` (Unicode: "→",
"×", "€", Norwegian letters). Without that package the core Helvetica font is
used and characters outside Latin-1 are replaced, so the page still renders.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Final, cast

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue

from cxcost.actions import Action
from cxcost.evaluate import Result
from cxcost.i18n import (
    Language,
    currency_label,
    format_money,
    format_number,
    format_percent,
    t,
    tn,
)
from cxcost.optimize import CostCurve, Recommendation
from cxcost.presets import user_source_date
from cxcost.report import actions as report_actions
from cxcost.report import charts, content
from cxcost.report.images import (
    DEFAULT_TIMEOUT_SECONDS,
    ChartRenderer,
    ExportError,
    figure_to_image,
)
from cxcost.scenario import Scenario
from cxcost.uncertainty import UncertaintyReport

FONT_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES: Final[dict[str, str]] = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
"""DejaVu Sans (Debian package fonts-dejavu-core), regular and bold."""

CHART_WIDTH_PX: Final = 560
CHART_HEIGHT_PX: Final = 340
CHART_SCALE: Final = 2.5
TORNADO_WIDTH_PX: Final = 560
TORNADO_HEIGHT_PX: Final = 320

_PAGE_W, _PAGE_H = 210.0, 297.0
_MARGIN = 14.0
_CONTENT_W = _PAGE_W - 2 * _MARGIN
_FOOTER_Y = _PAGE_H - 11.0
_INK = (33, 37, 41)
_MUTED = (95, 99, 104)
_ACCENT = (0, 114, 178)  # Okabe-Ito blue, as in the charts
_PANEL = (243, 246, 250)
_RULE = (214, 220, 228)
_WARNING = (160, 64, 0)
_ELLIPSIS = "…"


@dataclass(frozen=True)
class _Fonts:
    family: str
    clean: Callable[[str], str]


def _unicode_text(text: str) -> str:
    """Text as given, without control characters (a preset may carry any string)."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _latin1_text(text: str) -> str:
    """Core PDF fonts are Latin-1: keep what fits, spell out the rest."""
    text = _unicode_text(text)
    replaced = (
        text.replace("→", "->")
        .replace("×", "x")
        .replace("…", "...")
        .replace("€", "EUR")
        .replace("–", "-")
        .replace("—", "-")
        .replace("−", "-")
        .replace("·", "-")
    )
    normalised = unicodedata.normalize("NFKC", replaced)
    return normalised.encode("latin-1", "replace").decode("latin-1")


def _setup_fonts(pdf: FPDF) -> _Fonts:
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    if all(path.is_file() for path in paths.values()):
        for style, path in paths.items():
            pdf.add_font("DejaVu", style=style, fname=str(path))
        return _Fonts("DejaVu", _unicode_text)
    return _Fonts("Helvetica", _latin1_text)


class _Page:
    """Drawing helpers over one FPDF page: colours, fonts and fitted text."""

    def __init__(self, pdf: FPDF, fonts: _Fonts) -> None:
        self.pdf = pdf
        self.fonts = fonts

    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = _INK) -> None:
        self.pdf.set_font(self.fonts.family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def shrink_to_fit(
        self,
        text: str,
        width: float,
        size: float,
        smallest: float,
        bold: bool = False,
        colour: tuple[int, int, int] = _INK,
    ) -> None:
        """Set the largest font size from ``size`` down to ``smallest`` at which text fits."""
        clean = " ".join(self.fonts.clean(text).split())
        while True:
            self.font(size, bold, colour)
            if size <= smallest or self.pdf.get_string_width(clean) <= width:
                return
            size = max(size - 0.5, smallest)

    def fit(self, text: str, width: float) -> str:
        """The text, cut with an ellipsis so that it fits on one line of ``width`` mm."""
        text = " ".join(self.fonts.clean(text).split())
        if self.pdf.get_string_width(text) <= width:
            return text
        ellipsis = self.fonts.clean(_ELLIPSIS)
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.pdf.get_string_width(text[:middle].rstrip() + ellipsis) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ellipsis

    def lines(self, text: str, width: float, max_lines: int) -> list[str]:
        """Word-wrapped lines of ``text``, at most ``max_lines``, the last one cut to fit."""
        clean = " ".join(self.fonts.clean(text).split())
        wrapped = self.pdf.multi_cell(
            width, text=clean, dry_run=True, output=MethodReturnValue.LINES, align=Align.L
        )
        lines = [str(line) for line in cast(list[str], wrapped)] or [""]
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1] + " " + _ELLIPSIS, width)
        return lines

    def text_block(
        self, x: float, y: float, width: float, text: str, line_height: float, max_lines: int
    ) -> float:
        """Write wrapped text from (x, y); return the y below it."""
        for line in self.lines(text, width, max_lines):
            self.pdf.set_xy(x, y)
            self.pdf.cell(width, line_height, line, align=Align.L)
            y += line_height
        return y

    def cell(
        self, x: float, y: float, width: float, height: float, text: str, align: Align = Align.L
    ) -> None:
        self.pdf.set_xy(x, y)
        self.pdf.cell(width, height, self.fit(text, width), align=align)

    def panel(
        self, x: float, y: float, width: float, height: float, fill: tuple[int, int, int] = _PANEL
    ) -> None:
        self.pdf.set_fill_color(*fill)
        self.pdf.rect(x, y, width, height, style="F")

    def rule(self, y: float, colour: tuple[int, int, int] = _RULE, width: float = 0.3) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.set_line_width(width)
        self.pdf.line(_MARGIN, y, _PAGE_W - _MARGIN, y)


@dataclass(frozen=True)
class _Charts:
    images: list[bytes]
    error: str | None


def _chart_images(
    result: Result,
    staffing_curve: CostCurve,
    uncertainty: UncertaintyReport | None,
    language: Language,
    renderer: ChartRenderer | None,
    timeout_seconds: float,
) -> _Charts:
    figures = [
        (charts.driver_breakdown_figure(result, language), CHART_WIDTH_PX, CHART_HEIGHT_PX),
        (charts.staffing_curve_figure(staffing_curve, language), CHART_WIDTH_PX, CHART_HEIGHT_PX),
    ]
    if uncertainty is not None and "net_benefit_per_year" in uncertainty.headline:
        tornado = charts.net_benefit_tornado_figure(uncertainty, language, compact=True)
        figures.append((tornado, TORNADO_WIDTH_PX, TORNADO_HEIGHT_PX))
    images: list[bytes] = []
    try:
        for figure, width, height in figures:
            images.append(
                figure_to_image(
                    figure,
                    "png",
                    scale=CHART_SCALE,
                    width=width,
                    height=height,
                    timeout_seconds=timeout_seconds,
                    renderer=renderer,
                )
            )
    except ExportError as error:
        return _Charts([], str(error))
    return _Charts(images, None)


@dataclass(frozen=True)
class SummaryPdf:
    """The summary's bytes and, if the charts could not be drawn, why not."""

    content: bytes
    chart_error: str | None


def executive_summary_pdf(
    scenario: Scenario,
    result: Result,
    recommendation: Recommendation,
    staffing_curve: CostCurve,
    language: Language = "en",
    today: date | None = None,
    *,
    renderer: ChartRenderer | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    finding: str,
    uncertainty: UncertaintyReport | None = None,
) -> bytes:
    """A one-page executive summary of a scenario, as PDF bytes.

    See ``executive_summary`` for the parameters; this returns its ``content``.

    Examples
    --------
    Without a browser the page is written without its charts:

    >>> from cxcost.evaluate import evaluate
    >>> from cxcost.optimize import cost_curve, optimize
    >>> s = Scenario()
    >>> finding = 'Waiting costs you USD 1M a year.'
    >>> args = (s, evaluate(s), optimize(s), cost_curve(s))
    >>> no_browser = ChartRenderer("/nonexistent/chromium")
    >>> pdf = executive_summary_pdf(*args, finding=finding, renderer=no_browser)
    >>> pdf[:5]
    b'%PDF-'
    """
    return executive_summary(
        scenario,
        result,
        recommendation,
        staffing_curve,
        language,
        today,
        renderer=renderer,
        timeout_seconds=timeout_seconds,
        finding=finding,
        uncertainty=uncertainty,
    ).content


def executive_summary(
    scenario: Scenario,
    result: Result,
    recommendation: Recommendation,
    staffing_curve: CostCurve,
    language: Language = "en",
    today: date | None = None,
    *,
    renderer: ChartRenderer | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    finding: str,
    uncertainty: UncertaintyReport | None = None,
    calibration_line: str | None = None,
    actions: Sequence[Action] | None = None,
) -> SummaryPdf:
    """A one-page executive summary of a scenario, as PDF.

    Parameters
    ----------
    scenario : the scenario as it is now
    result : ``evaluate(scenario)``
    recommendation : ``optimize(scenario)``
    staffing_curve : ``cost_curve(scenario, channel_index)`` for the chart
    language : "en" or "nb"
    today : date printed on the page; default today
    renderer : chart renderer; default the process-wide warm one
    timeout_seconds : deadline for each chart image [s]
    finding : the finding sentence, with the recommendation's numbers
        (``cxcost.report.finding``; ``bundle.report_finding`` computes it)
    uncertainty : ``cxcost.uncertainty.analyse(scenario, recommendation.scenario)``;
        adds P10/P50/P90, the probability of paying off, the break-even and the
        tornado of the plan's net benefit
    calibration_line : one line under the title saying which assumptions were fitted
        from the company's data ("Assumptions fitted from 48,213 contacts, ...")
    actions : ``cxcost.actions.rank_actions(scenario)``; adds the first rows of the
        ranked action list ("What to do first") above the assumptions

    Returns
    -------
    SummaryPdf
        A one-page A4 PDF. If the charts cannot be rendered (no browser, a
        timeout) the page carries a note in their place and ``chart_error``
        says why.
    """
    when = today or date.today()
    images = _chart_images(result, staffing_curve, uncertainty, language, renderer, timeout_seconds)

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    fonts = _setup_fonts(pdf)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    title = content.scenario_title(scenario, language)
    pdf.set_title(fonts.clean(f"{title}: {t('report.title', language)}"))
    pdf.set_subject(fonts.clean(t("app.title", language)))
    pdf.set_creator("cxcost")
    pdf.set_lang("nb-NO" if language == "nb" else "en")
    pdf.set_creation_date(datetime.combine(when, time(12, 0), tzinfo=UTC))
    pdf.add_page()
    page = _Page(pdf, fonts)

    y = _header(page, scenario, when, language)
    if calibration_line:
        page.font(8, colour=_MUTED)
        y = page.text_block(_MARGIN, y - 1, _CONTENT_W, calibration_line, 3.8, max_lines=1) + 1
    y = _headlines(page, y, scenario, result, language)
    y = _finding(page, y, finding)
    y = _explained(page, y, result, language)
    # With the action list the charts give up some height to make room for it.
    y = _chart_row(page, y, images, language, 0.85 if actions else 1.0)
    if uncertainty is not None:
        tornado = images.images[2] if len(images.images) > 2 else None
        y = _uncertainty(page, y, uncertainty, tornado, language)
    y = _recommendation(page, y, scenario, recommendation, language, 15.0 if actions else 0.0)
    if actions:
        y = _actions(page, y, list(actions), scenario.business.currency, language)
    _assumptions(page, y, scenario, language)
    _footer(page, language)
    return SummaryPdf(bytes(pdf.output()), images.error)


def _header(page: _Page, scenario: Scenario, when: date, language: Language) -> float:
    y = _MARGIN
    page.font(8, bold=True, colour=_ACCENT)
    kicker = f"{t('app.title', language)} · {t('report.title', language)}".upper()
    page.cell(_MARGIN, y, _CONTENT_W * 0.7, 4, kicker)
    page.font(8, colour=_MUTED)
    prepared = t("report.prepared", language, date=content.report_date(when, language))
    page.cell(_MARGIN + _CONTENT_W * 0.5, y, _CONTENT_W * 0.5, 4, prepared, align=Align.R)
    y += 6
    page.font(19, bold=True)
    y = page.text_block(
        _MARGIN, y, _CONTENT_W, content.scenario_title(scenario, language), 8.2, max_lines=2
    )
    if scenario.description:
        page.font(8.5, colour=_MUTED)
        y = page.text_block(_MARGIN, y + 0.5, _CONTENT_W, scenario.description, 4.0, max_lines=2)
    y += 2
    page.rule(y, _ACCENT, 0.6)
    return y + 3


def _headline_notes(scenario: Scenario, result: Result, language: Language) -> dict[str, str]:
    currency = result.currency
    revenue = result.customers * scenario.business.revenue_per_customer
    return {
        "revenue_at_risk": t(
            "report.note.revenue",
            language,
            share=format_percent(result.revenue_at_risk_per_year / revenue, language)
            if revenue > 0
            else format_percent(0.0, language),
        ),
        "customers_lost": t(
            "report.note.customers",
            language,
            rate=format_percent(result.service_churn_rate, language),
            customers=format_number(result.customers, language, compact=True),
        ),
        "total_cx_cost": t(
            "report.note.total",
            language,
            churn=format_money(result.churn_cost_per_year, currency, language),
        ),
        "service_cost": tn(
            "report.note.service",
            round(result.representatives),
            language,
            reps=format_number(result.representatives, language),
        ),
    }


def _headlines(
    page: _Page, y: float, scenario: Scenario, result: Result, language: Language
) -> float:
    gap = 3.0
    count = 4
    width = (_CONTENT_W - gap * (count - 1)) / count
    height = 22.0
    notes = _headline_notes(scenario, result, language)
    for i, headline in enumerate(content.headline_numbers(result, language)):
        x = _MARGIN + i * (width + gap)
        page.panel(x, y, width, height)
        page.panel(x, y, 1.2, height, _ACCENT if i == 0 else _RULE)
        inner = width - 6
        page.font(7.2, colour=_MUTED)
        page.text_block(x + 4, y + 2.2, inner, headline.label, 3.3, max_lines=2)
        page.shrink_to_fit(headline.text, inner, 15, 10, True, _ACCENT if i == 0 else _INK)
        page.cell(x + 4, y + 9.6, inner, 7, headline.text)
        page.shrink_to_fit(notes[headline.key], inner, 6.8, 5.6, colour=_MUTED)
        page.cell(x + 4, y + 16.8, inner, 3.5, notes[headline.key])
    y += height + 1.2
    page.font(7.2, colour=_MUTED)
    page.cell(
        _MARGIN, y, _CONTENT_W, 3.5, content.basis_note(scenario.business.horizon_years, language)
    )
    return y + 5.5


def _explained(page: _Page, y: float, result: Result, language: Language) -> float:
    page.font(7.8, colour=_MUTED)
    text = content.total_cx_cost_explained(result, language)
    return page.text_block(_MARGIN, y - 1.5, _CONTENT_W, text, 3.6, max_lines=3) + 2.5


def _uncertainty(
    page: _Page,
    y: float,
    report: UncertaintyReport,
    tornado: bytes | None,
    language: Language,
) -> float:
    """How sure the plan is: the percentile table and sentences left, the tornado right."""
    gap = 4.0
    left_w = 96.0
    right_w = _CONTENT_W - left_w - gap
    image_h = right_w * TORNADO_HEIGHT_PX / TORNADO_WIDTH_PX
    page.font(11, bold=True)
    page.cell(_MARGIN, y, left_w, 5.5, t("report.v3.uncertainty", language))
    row_y = y + 6.5
    page.font(6.8, colour=_MUTED)
    intro = t(
        "report.v3.uncertainty_intro",
        language,
        draws=format_number(report.draws, language),
    )
    row_y = page.text_block(_MARGIN, row_y, left_w, intro, 3.1, max_lines=4) + 1.2
    columns = (28.0, 17.0, 17.0, 17.0, 17.0)
    currency = currency_label(report.currency, language)
    per_year = t("axis.money_per_year", language, currency=currency)
    header = (per_year, "P10", "P50", "P90", t("report.v3.point", language))
    page.font(6.4, bold=True, colour=_MUTED)
    x = _MARGIN
    for width, text in zip(columns, header, strict=True):
        page.cell(x, row_y, width, 3.6, text, align=Align.L if text == per_year else Align.R)
        x += width
    row_y += 3.8
    page.rule(row_y, _RULE, 0.2)
    for row in content.uncertainty_rows(report, language):
        row_y += 0.6
        page.font(7.2)
        cells = (row.label, row.p10, row.p50, row.p90, row.point)
        x = _MARGIN
        for i, (width, text) in enumerate(zip(columns, cells, strict=True)):
            page.shrink_to_fit(text, width - 1, 7.2, 5.8, bold=i == 4)
            page.cell(x, row_y, width, 3.8, text, align=Align.L if i == 0 else Align.R)
            x += width
        row_y += 3.8
    row_y += 1.5
    page.font(7.6, bold=True)
    for sentence in content.uncertainty_sentences(report, language):
        row_y = page.text_block(_MARGIN, row_y, left_w, sentence, 3.6, max_lines=3) + 0.6
        page.font(7.6)
    if tornado is not None:
        x = _MARGIN + left_w + gap
        page.pdf.image(io.BytesIO(tornado), x=x, y=y, w=right_w, h=image_h)
        page.pdf.set_draw_color(*_RULE)
        page.pdf.set_line_width(0.2)
        page.pdf.rect(x, y, right_w, image_h)
    return max(row_y, y + (image_h if tornado is not None else 0.0)) + 4


def _finding(page: _Page, y: float, sentence: str) -> float:
    # A plan that also sets practices makes a longer sentence: a size down, a line more.
    page.font(10.5, bold=True)
    if len(page.lines(sentence, _CONTENT_W, max_lines=4)) > 3:
        page.font(9.5, bold=True)
        return page.text_block(_MARGIN, y, _CONTENT_W, sentence, 4.4, max_lines=4) + 3
    return page.text_block(_MARGIN, y, _CONTENT_W, sentence, 5.0, max_lines=3) + 3


def _chart_row(
    page: _Page, y: float, images: _Charts, language: Language, scale: float = 1.0
) -> float:
    """The two charts side by side, ``scale`` x the column width (kept in proportion)."""
    gap = 4.0
    column = (_CONTENT_W - gap) / 2
    width = column * scale
    height = width * CHART_HEIGHT_PX / CHART_WIDTH_PX
    if images.error is not None:
        page.panel(_MARGIN, y, _CONTENT_W, height)
        page.font(9.5, bold=True, colour=_MUTED)
        message = t("report.charts_missing", language, reason=images.error)
        page.text_block(_MARGIN + 8, y + height / 2 - 8, _CONTENT_W - 16, message, 5, 4)
        return y + height + 4
    row = images.images[:2]
    inset = (column - width) / 2
    for i, png in enumerate(row):
        x = _MARGIN + i * (column + gap) + inset
        page.pdf.image(io.BytesIO(png), x=x, y=y, w=width, h=height)
    page.pdf.set_draw_color(*_RULE)
    page.pdf.set_line_width(0.2)
    for i in range(len(row)):
        page.pdf.rect(_MARGIN + i * (column + gap) + inset, y, width, height)
    return y + height + 4


def _recommendation(
    page: _Page,
    y: float,
    scenario: Scenario,
    recommendation: Recommendation,
    language: Language,
    reserve: float = 0.0,
) -> float:
    """The recommendation box; ``reserve`` mm below it are kept for the action list."""
    lines = content.recommendation_lines(scenario, recommendation, language)
    warned = set(content.warning_lines(recommendation, language))
    # Guardrail warnings are long: smaller and at most two lines each, in full in the workbook.
    sizes = [7.4 if line in warned else 8.6 for line in lines]

    def wrap(warning_lines: int) -> list[tuple[int, str]]:
        wrapped: list[tuple[int, str]] = []
        for index, line in enumerate(lines):
            page.font(sizes[index], bold=index == 0)
            indent = 0.0 if index == 0 else 4.0
            most = warning_lines if line in warned else 3
            for part in page.lines(line, _CONTENT_W - 12 - indent, max_lines=most):
                wrapped.append((index, part))
        return wrapped

    def box_height(wrapped: list[tuple[int, str]]) -> float:
        return 9.5 + sum(3.5 if lines[i] in warned else 4.1 for i, _ in wrapped) + 2.5

    wrapped = wrap(2)
    if y + box_height(wrapped) > _FOOTER_Y - 8 - reserve:
        wrapped = wrap(1)  # no room: one line per warning (in full in the workbook)
    heights = [3.5 if lines[index] in warned else 4.1 for index, _ in wrapped]
    height = box_height(wrapped)
    page.panel(_MARGIN, y, _CONTENT_W, height)
    page.panel(_MARGIN, y, 1.2, height, _ACCENT)
    page.font(11, bold=True, colour=_ACCENT)
    page.cell(_MARGIN + 5, y + 2.5, _CONTENT_W - 10, 5.5, t("report.recommendation", language))
    row_y = y + 9.5
    previous = -1
    for (index, part), line_height in zip(wrapped, heights, strict=True):
        first_of_line = index != previous
        colour = _WARNING if lines[index] in warned else _INK
        page.font(sizes[index], bold=index == 0, colour=colour)
        if first_of_line and index > 0:
            page.cell(_MARGIN + 5, row_y, 4, line_height, "•")
        indent = 0.0 if index == 0 else 4.0
        page.cell(_MARGIN + 5 + indent, row_y, _CONTENT_W - 12 - indent, line_height, part)
        row_y += line_height
        previous = index
    return y + height + 4


_ACTION_ROWS: Final = 4


def _actions(
    page: _Page, y: float, actions: list[Action], currency: str, language: Language
) -> float:
    """What to do first: the first rows of the ranked list, two to a line, the best in bold.

    Each item is one lever at its best setting with today's, its net benefit per
    year and its ROI; the whole list is in the HTML report and the workbook.
    """
    rows = report_actions.rows(actions[:_ACTION_ROWS], currency, language)
    if not rows or y > _FOOTER_Y - 16:
        return y
    page.font(11, bold=True)
    page.cell(_MARGIN, y, _CONTENT_W, 5.5, t("report.actions", language))
    y += 6.5
    gap = 4.0
    width = (_CONTENT_W - gap) / 2
    # Two lines an item when two rows of items fit, else one line each.
    two_lines = y + 2 * 7.6 <= _FOOTER_Y - 7
    item_height, most = (7.6, 2) if two_lines else (3.8, 1)
    for index, row in enumerate(rows):
        column, line = index % 2, index // 2
        top = y + line * item_height
        if top + item_height > _FOOTER_Y - 7:
            break
        text = t(
            "report.action_item",
            language,
            rank=index + 1,
            lever=row[0],
            setting=row[1],
            net=row[4],
            roi=row[5],
        )
        page.font(7.4, bold=index == 0)
        page.text_block(_MARGIN + column * (width + gap), top, width, text, 3.4, max_lines=most)
    lines = (len(rows) + 1) // 2
    return y + lines * item_height + 1


def _assumptions(page: _Page, y: float, scenario: Scenario, language: Language) -> None:
    currency = scenario.business.currency
    rows = content.key_assumption_rows(scenario)
    if y > _FOOTER_Y - 22:
        # No room for a table: the values a person set (they differ from the preset) on
        # one line, then where the others are, rather than spill off the page.
        page.font(7.2, colour=_MUTED)
        more = t("report.assumptions.more", language, count=format_number(len(rows), language))
        edited = [
            f"{content.assumption_label(row, scenario, language)}: "
            f"{content.format_input_value(row, currency, language)} "
            f"{content.source_text(row, language)}"
            for row in rows
            if user_source_date(row.source) is not None
        ]
        if edited:
            changed = t("report.assumptions.edited", language, values="; ".join(edited))
            more = page.fit(f"{changed} · {more}", _CONTENT_W)
        page.cell(_MARGIN, min(y, _FOOTER_Y - 6), _CONTENT_W, 4, more)
        return
    page.font(11, bold=True)
    page.cell(_MARGIN, y, _CONTENT_W, 5.5, t("report.assumptions", language))
    y += 7
    columns = (62.0, 36.0, _CONTENT_W - 98.0)
    headers = (t("col.parameter", language), t("col.value", language), t("col.source", language))
    page.font(7.2, bold=True, colour=_MUTED)
    x = _MARGIN
    for width, header in zip(columns, headers, strict=True):
        page.cell(x + 1, y, width - 2, 4, header)
        x += width
    y += 4.4
    page.rule(y, _RULE, 0.25)
    y += 0.6
    row_height = 3.9
    note_height = 5.0
    room = int((_FOOTER_Y - 3 - note_height - y) // row_height)
    shown = rows[: max(room, 0)]
    page.font(7.2)
    for i, row in enumerate(shown):
        if i % 2 == 1:
            page.panel(_MARGIN, y, _CONTENT_W, row_height)
        cells = (
            content.assumption_label(row, scenario, language),
            content.format_input_value(row, currency, language),
            content.source_text(row, language),
        )
        x = _MARGIN
        for width, text in zip(columns, cells, strict=True):
            page.cell(x + 1, y, width - 2, row_height, text)
            x += width
        y += row_height
    hidden = len(rows) - len(shown)
    if hidden > 0:
        page.font(7.2, colour=_MUTED)
        page.cell(
            _MARGIN,
            y + 1,
            _CONTENT_W,
            4,
            t("report.assumptions.more", language, count=format_number(hidden, language)),
        )


def _footer(page: _Page, language: Language) -> None:
    page.rule(_FOOTER_Y - 1.5)
    page.font(6.8, colour=_MUTED)
    page.cell(_MARGIN, _FOOTER_Y, _CONTENT_W, 3.5, t("report.footer", language))
