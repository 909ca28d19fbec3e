"""Every export of one scenario, written to a folder: what ``python -m cxcost report`` does.

The model runs once per scenario (result, cheapest plan, the staffing curve of
every channel, the training curve, tornado and Monte Carlo); every format is
built from those same numbers, and every document carries the same finding
sentence as the app's Overview (``cxcost.report.finding``). Files are written
atomically (a temporary name, then a rename), so a failed run never leaves a
half-written file behind. The app builds its downloads with the same
``compute_report_inputs`` and ``build_document``.

Formats: ``pdf`` (one-page executive summary), ``html`` (interactive report),
``xlsx`` (workbook), ``png`` and ``svg`` (every chart as an image). Documents
need no browser, except for the two charts in the PDF; images need Chromium.
When the browser is missing or hangs, the other files are still written and
``ReportError`` lists what is missing and why.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

import plotly.graph_objects as go

from cxcost.actions import Action
from cxcost.dotted import get_path
from cxcost.evaluate import Result
from cxcost.i18n import Language
from cxcost.optimize import (
    CostCurve,
    Recommendation,
    TrainingCurve,
    planned_channels,
)
from cxcost.plans import plan_for
from cxcost.presets import localized_scenario
from cxcost.report.chart_set import ReportCharts, report_charts
from cxcost.report.finding import finding_from_recommendation
from cxcost.report.formats import (
    CHART_FORMATS,
    DOCUMENT_FORMATS,
    REPORT_FORMATS,
    DocumentFormat,
)
from cxcost.report.html import html_report
from cxcost.report.images import (
    DEFAULT_TIMEOUT_SECONDS,
    ChartRenderer,
    ExportError,
    ImageFormat,
    figure_to_image,
)
from cxcost.scenario import Scenario
from cxcost.staffing import StaffingPlan, required_staffing
from cxcost.uncertainty import (
    MonteCarloResult,
    TornadoBar,
    UncertaintyReport,
    analyse,
    monte_carlo,
)

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration

DOCUMENT_MEDIA_TYPES: Final[dict[DocumentFormat, str]] = {
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_DOCUMENT_FILES: Final[tuple[tuple[DocumentFormat, str], ...]] = (
    ("xlsx", "workbook.xlsx"),
    ("html", "report.html"),
    ("pdf", "summary.pdf"),
)


class ReportError(ExportError):
    """Some files of a report could not be written; the others were.

    Attributes
    ----------
    written : the files that were written
    problems : one plain line per file or group of files that is missing or
        incomplete
    """

    def __init__(self, written: list[Path], problems: list[str]) -> None:
        self.written = written
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class ReportInputs:
    """The model's outputs behind every export of one scenario, computed once."""

    scenario: Scenario
    result: Result
    recommendation: Recommendation
    staffing_curves: list[CostCurve]
    training_curve: TrainingCurve
    tornado_bars: list[TornadoBar]
    monte_carlo: MonteCarloResult
    uncertainty: UncertaintyReport
    staffing: StaffingPlan
    actions: list[Action]


PLAN_TOLERANCE: Final = 1e-6
"""A lever closer than this to its current value counts as unchanged [FTE or h/year]."""


def plan_to_judge(scenario: Scenario, recommendation: Recommendation) -> Scenario | None:
    """The plan the uncertainty analysis judges: the recommendation's scenario, or None
    when it moves no lever (staffing, training or a practice: then there is no net
    benefit to analyse, and no tornado).

    The app's Uncertainty tab and the exports both ask this, so they analyse the
    same plan and draw the same tornado.
    """
    moves = any(
        abs(planned - channel.representatives) > PLAN_TOLERANCE
        for channel, planned in zip(scenario.channels, recommendation.representatives, strict=True)
    ) or (
        abs(recommendation.training_hours - scenario.training.hours_per_rep_per_year)
        > PLAN_TOLERANCE
    )
    practices = any(
        abs(setting - float(get_path(scenario, path))) > PLAN_TOLERANCE
        for path, setting in recommendation.practices.items()
    )
    return recommendation.scenario if moves or practices else None


def compute_report_inputs(scenario: Scenario) -> ReportInputs:
    """Run the model once for all exports of ``scenario``.

    The uncertainty (``analyse``: percentiles, probability of paying off,
    tornado on the net benefit, break-even) and the Monte Carlo draws behind
    the distribution chart judge the recommended plan against the scenario
    (``plan_to_judge``: no plan when it moves no lever, as in the app), with
    the scenario's own draws and seed, so both give the same numbers.
    The staffing plan is the hour-by-hour requirement at the default target
    (``cxcost.staffing``).

    Parameters
    ----------
    scenario : the scenario

    Returns
    -------
    ReportInputs
    """
    bundle = plan_for(scenario)
    recommendation = bundle.recommendation
    plan = plan_to_judge(scenario, recommendation)
    report = analyse(scenario, plan)
    return ReportInputs(
        scenario=scenario,
        result=recommendation.base_result,
        recommendation=recommendation,
        staffing_curves=[bundle.curves[i] for i in planned_channels(scenario)],
        training_curve=bundle.training,
        tornado_bars=report.tornado,
        monte_carlo=monte_carlo(scenario, plan),
        uncertainty=report,
        staffing=required_staffing(scenario),
        actions=bundle.actions,
    )


@dataclass(frozen=True)
class Document:
    """One document of a report, built in memory.

    Attributes
    ----------
    fmt : "pdf", "html" or "xlsx"
    content : the file's bytes
    problem : why the document is incomplete (the PDF without its charts:
        no browser, a timeout), None when it is complete
    """

    fmt: DocumentFormat
    content: bytes
    problem: str | None = None


def report_finding(inputs: ReportInputs, language: Language) -> str:
    """The finding sentence of the exports: today's costliest driver and the recommended plan,
    with the numbers of the recommendation box (``finding_from_recommendation``)."""
    return finding_from_recommendation(inputs.scenario, inputs.recommendation, language)


def inputs_charts(inputs: ReportInputs, language: Language) -> ReportCharts:
    """Every chart of the report, as the HTML page and the chart images both draw them."""
    return report_charts(
        inputs.result,
        inputs.recommendation,
        inputs.staffing_curves,
        inputs.training_curve,
        inputs.scenario.demand.arrival_profile,
        inputs.uncertainty,
        inputs.monte_carlo,
        language,
        inputs.actions,
    )


def _calibration_line(calibration: Calibration | None, language: Language) -> str | None:
    if calibration is None:
        return None
    from cxcost.report.calibration import summary_line  # the data stack, only when needed

    return summary_line(calibration, language)


def build_document(
    inputs: ReportInputs,
    fmt: DocumentFormat,
    language: Language,
    today: date,
    *,
    renderer: ChartRenderer | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    calibration: Calibration | None = None,
) -> Document:
    """One document of a scenario's report, in memory.

    Parameters
    ----------
    inputs : ``compute_report_inputs(scenario)``
    fmt : "pdf" (one-page executive summary), "html" (interactive report) or
        "xlsx" (workbook)
    language : "en" or "nb"
    today : date printed in the document
    renderer : chart renderer for the PDF's charts; default the process-wide one
    timeout_seconds : deadline for each chart image [s]
    calibration : the calibration behind the scenario's fitted values, if any: the
        XLSX and HTML add its fit table, fit check and complaint Pareto, the PDF one line

    Returns
    -------
    Document
        Never fails for want of a browser: the PDF is then made without its
        charts and ``problem`` says why.

    Raises
    ------
    ValueError
        An unknown format.
    """
    scenario = inputs.scenario
    # The writers (fpdf2, openpyxl) are imported on the first document, not with the
    # app: they are a third of a cold start's imports (docs/performance.md).
    if fmt == "xlsx":
        from cxcost.report.xlsx import workbook_bytes

        workbook = workbook_bytes(
            scenario,
            inputs.result,
            inputs.recommendation,
            inputs.staffing_curves,
            inputs.training_curve,
            language,
            uncertainty=inputs.uncertainty,
            staffing=inputs.staffing,
            calibration=calibration,
            actions=inputs.actions,
        )
        return Document("xlsx", workbook)
    if fmt == "html":
        page = html_report(
            scenario,
            inputs.result,
            inputs.recommendation,
            inputs_charts(inputs, language),
            language,
            today,
            uncertainty=inputs.uncertainty,
            finding=report_finding(inputs, language),
            calibration=calibration,
            actions=inputs.actions,
        )
        return Document("html", page.encode("utf-8"))
    if fmt == "pdf":
        from cxcost.report.pdf import executive_summary

        summary = executive_summary(
            scenario,
            inputs.result,
            inputs.recommendation,
            inputs.staffing_curves[0],
            language,
            today,
            renderer=renderer,
            timeout_seconds=timeout_seconds,
            finding=report_finding(inputs, language),
            uncertainty=inputs.uncertainty,
            calibration_line=_calibration_line(calibration, language),
            actions=inputs.actions,
        )
        return Document("pdf", summary.content, summary.chart_error)
    raise ValueError(f"unknown document format {fmt!r}; choose from {DOCUMENT_FORMATS}")


def slug(text: str, fallback: str = "scenario") -> str:
    """A file-name-safe form of text: lower-case ASCII letters, digits and dashes.

    Examples
    --------
    >>> slug("Norsk bank: Kundeservice 2026"), slug("<img src=x>"), slug("***")
    ('norsk-bank-kundeservice-2026', 'img-src-x', 'scenario')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback


def file_stem(scenario: Scenario) -> str:
    """The start of every file name of a scenario: its client (if any) and its name, slugged.

    >>> file_stem(Scenario(name="Proposal 2027", client="ACME Retail"))
    'acme-retail-proposal-2027'
    """
    words = f"{scenario.client} {scenario.name}" if scenario.client else scenario.name
    return slug(words)


def chart_figures(inputs: ReportInputs, language: Language) -> dict[str, go.Figure]:
    """Every chart image of the report by file-name part: the HTML report's figures.

    Parameters
    ----------
    inputs : ``compute_report_inputs(scenario)``
    language : "en" or "nb"

    Returns
    -------
    dict of str to plotly Figure
        Channel charts are named ``staffing-1-phone``, ``queues-1-phone`` ...;
        ``tornado`` is left out when there is no plan to judge.
    """
    built = inputs_charts(inputs, language)
    figures = {"drivers": built.drivers, "churners": built.churners}
    for i, channel in enumerate(built.channels, start=1):
        name = slug(channel.channel_name, fallback="channel")
        figures[f"staffing-{i}-{name}"] = channel.staffing
        figures[f"queues-{i}-{name}"] = channel.queues
    figures["profile"] = built.profile
    figures["training"] = built.training
    figures["training-quality"] = built.training_quality
    figures["repeat-contacts"] = built.repeat_contacts
    figures["comparison"] = built.comparison
    if built.actions is not None and built.action_drivers is not None:
        figures["actions"] = built.actions
        figures["action-drivers"] = built.action_drivers
    if built.tornado is not None:
        figures["tornado"] = built.tornado
    figures["monte-carlo"] = built.monte_carlo
    return figures


class ExistingFilesError(ExportError):
    """Files of the report are already in the folder and may not be replaced.

    Attributes
    ----------
    existing : the files that are in the way, nothing having been written
    """

    def __init__(self, existing: list[Path]) -> None:
        self.existing = existing
        names = ", ".join(path.name for path in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        super().__init__(
            f"{len(existing)} of the files exist already ({names}{more}); nothing was "
            "written: choose another folder, or replace them with --force"
        )


def write_file(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically, never through a planted symlink.

    The bytes go to a new temporary file in the same folder (``tempfile``:
    a unique name opened with ``O_EXCL``, which never follows a symlink), which
    then takes the final name in one step: ``os.replace`` when ``replace``, else
    a hard link that fails if anything (a file or a symlink) already has that
    name. The temporary file is removed on any failure.

    Parameters
    ----------
    path : the file to write
    data : its content
    replace : replace an existing file (``report --force``)

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    FileExistsError
        ``path`` exists and ``replace`` is False.
    OSError
        The folder cannot be written (full disk, permissions).
    """
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path, follow_symlinks=False)
    finally:
        temporary.unlink(missing_ok=True)
    return path


@dataclass
class _Run:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    writing: Path = Path()

    def save(self, path: Path, data: bytes, replace: bool) -> None:
        self.writing = path
        self.written.append(write_file(path, data, replace=replace))


def build_report(
    scenario: Scenario,
    formats: set[str],
    language: Language,
    out_dir: Path,
    *,
    stem: str | None = None,
    today: date | None = None,
    inputs: ReportInputs | None = None,
    renderer: ChartRenderer | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    replace: bool = False,
) -> list[Path]:
    """Write the requested exports of a scenario into ``out_dir``.

    Parameters
    ----------
    scenario : the scenario
    formats : any of "pdf", "html", "xlsx", "png", "svg"
    language : "en" or "nb"
    out_dir : folder to write into; created if missing
    stem : start of every file name; default a slug of the scenario name
    today : date printed in the documents; default today
    inputs : the model's outputs, if already computed for this scenario in ``language``
        (``compute_report_inputs(localized_scenario(scenario, language))``)
    renderer : chart renderer; default the process-wide warm one
    timeout_seconds : deadline for each chart image [s]
    replace : replace files of the same names already in ``out_dir``; without
        it such files stop the report before anything is written

    Returns
    -------
    list of Path
        Written files: ``<stem>-summary.pdf``, ``<stem>-report.html``,
        ``<stem>-workbook.xlsx`` and ``<stem>-chart-<name>.<png|svg>``.

    Raises
    ------
    ValueError
        An unknown format.
    ExistingFilesError
        Files of these names exist and ``replace`` is False; nothing was written.
    OSError
        The folder cannot be created, or its first file cannot be written.
    ReportError
        Some files are missing or incomplete (no browser, a timeout); its
        ``written`` lists the files that were written and ``problems`` says
        what is missing, in plain words.
    """
    unknown = sorted(set(formats) - set(REPORT_FORMATS))
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)}; choose from {REPORT_FORMATS}")
    # The texts people read (name, sources, channel names) in the report's language.
    scenario = localized_scenario(scenario, language)
    data = inputs if inputs is not None else compute_report_inputs(scenario)
    name = slug(stem) if stem else file_stem(scenario)
    documents = [(fmt, out_dir / f"{name}-{suffix}") for fmt, suffix in _DOCUMENT_FILES]
    documents = [(fmt, path) for fmt, path in documents if fmt in formats]
    image_formats = [fmt for fmt in CHART_FORMATS if fmt in formats]
    figures = chart_figures(data, language) if image_formats else {}
    images = [
        (chart, fmt, out_dir / f"{name}-chart-{chart}.{fmt}")
        for chart in figures
        for fmt in image_formats
    ]
    if not replace:
        planned = [path for _, path in documents] + [path for _, _, path in images]
        existing = [path for path in planned if os.path.lexists(path)]
        if existing:
            raise ExistingFilesError(existing)
    out_dir.mkdir(parents=True, exist_ok=True)
    run = _Run()
    when = today or date.today()
    try:
        browser_problem: str | None = None
        for fmt, path in documents:
            document = build_document(
                data, fmt, language, when, renderer=renderer, timeout_seconds=timeout_seconds
            )
            run.save(path, document.content, replace)
            if document.problem is not None:
                browser_problem = document.problem
                run.problems.append(
                    f"{path.name} was written without its charts: {browser_problem}"
                )
        if images:
            _write_images(figures, images, run, browser_problem, renderer, timeout_seconds, replace)
    except OSError as error:
        if not run.written:
            raise
        reason = error.strerror or str(error)
        run.problems.append(
            f"{run.writing.name} could not be written ({reason}); the report stopped there"
        )
    if run.problems:
        raise ReportError(run.written, run.problems)
    return run.written


def _write_images(
    figures: dict[str, go.Figure],
    wanted: list[tuple[str, ImageFormat, Path]],
    run: _Run,
    known_problem: str | None,
    renderer: ChartRenderer | None,
    timeout_seconds: float,
    replace: bool,
) -> None:
    problem = known_problem
    done = 0
    if problem is None:
        for chart, fmt, path in wanted:
            try:
                image = figure_to_image(
                    figures[chart], fmt, renderer=renderer, timeout_seconds=timeout_seconds
                )
            except ExportError as error:
                # A missing or hung browser fails every image alike: say it once, move on.
                problem = str(error)
                break
            run.save(path, image, replace)
            done += 1
    missing = len(wanted) - done
    if problem is not None and missing:
        asked = {fmt for _, fmt, _ in wanted}
        kinds = " and ".join(fmt.upper() for fmt in CHART_FORMATS if fmt in asked)
        run.problems.append(f"{missing} chart images ({kinds}) were not written: {problem}")
