"""Sharing and export in the app: scenario files, share links, chart images, reports.

Two places in the app draw from here:

- ``render_share_area`` fills the sidebar's share area: download the scenario
  as a file, open a file, copy a share link, download the reports (PDF
  summary, HTML report, XLSX workbook);
- ``render_chart_export`` adds an "Export" button under every chart (called by
  ``cxcost.ui.components.render_chart``): PNG, SVG and PDF of that chart.

Everything expensive waits for the user: the link, the reports and the chart
images are made only when their popover is opened (``on_change="rerun"``
makes the popover's content run only while it is open), so an ordinary slider
rerun renders nothing. Images and reports are cached (``cxcost.ui.compute``).

Scenarios come in through ``cxcost.presets`` (the one loader): ``read_upload``
and ``read_link`` turn a file or a link into a ``ReadOutcome`` with every
problem and every migration note; loading it is the app's job
(``cxcost.ui.app.load_scenario``). Text from a file or link is shown as text
(escaped Markdown, ``st.code``), never as HTML.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit, urlunsplit

import plotly.graph_objects as go
import streamlit as st

from cxcost.i18n import Language, format_number, t
from cxcost.presets import (
    LINK_PARAM,
    MAX_BYTES,
    MAX_LINK_CHARS,
    SAFE_LINK_LENGTH,
    MigrationWarning,
    Problem,
    ScenarioError,
    ScenarioPair,
    decode_link_pair,
    encode_link,
    pair_from_json,
    scenario_to_json,
    share_url,
)
from cxcost.report.bundle import DOCUMENT_MEDIA_TYPES, file_stem, slug
from cxcost.report.formats import DOCUMENT_FORMATS
from cxcost.report.images import (
    IMAGE_FORMATS,
    MEDIA_TYPES,
    ExportError,
    browser_available,
    missing_browser_message,
)
from cxcost.scenario import Scenario
from cxcost.ui import compute
from cxcost.ui.fields import problem_text
from cxcost.ui.gate import working
from cxcost.ui.held import held
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import inputs_later
from cxcost.ui.view import View

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration

BUTTONS_KEY: Final = "share.buttons"
BUTTONS_PLACEHOLDER_HEIGHT: Final = 100
"""The share buttons' two rows in a sidebar of the default width [px]."""
DOWNLOAD_KEY: Final = "share.download"
OPEN_KEY: Final = "share.open"
UPLOAD_KEY: Final = "share.upload"
UPLOAD_NOTE_KEY: Final = "share.upload_note"
LINK_KEY: Final = "share.link"
LINK_CODE_KEY: Final = "share.link.code"
LINK_DOWNLOAD_KEY: Final = "share.link.download"
REPORTS_KEY: Final = "share.reports"
NO_BROWSER_KEY: Final = "share.no_browser"
LINK_PROBLEM_KEY: Final = "share.link_problem"
WITH_BASELINE_KEY: Final = "share.with_baseline"
"""Toggle: the scenario file and the share link carry the Compare baseline as well."""
EXPORT_PREFIX: Final = "export."
"""Chart export widgets: ``export.<chart key>`` (popover), ``.<png|svg|pdf>``, ``.retry``."""

APPLIED_CALIBRATION_KEY: Final = "calibrate.applied_result"
"""Session key of the calibration last applied in the Calibrate tab (never in a link)."""


def applied_calibration(scenario: Scenario) -> Calibration | None:
    """The calibration applied in this session, while ``scenario`` still carries its values.

    The exports add its fit table, fit check and Pareto. Only its numbers and
    sources are in the scenario; the uploaded rows never leave the session.
    """
    calibration: Calibration | None = st.session_state.get(APPLIED_CALIBRATION_KEY)
    if calibration is None:
        return None
    mark = calibration.file_name
    return calibration if any(mark in text for text in scenario.sources.values()) else None


UPLOAD_LIMIT_MB: Final = max(1, -(-MAX_BYTES // (1024 * 1024)))
"""The uploader's cap [MiB], the loader's ``MAX_BYTES`` rounded up (Streamlit counts MiB)."""
DEFAULT_BASE_URL: Final = "http://localhost:8501/"
"""Base of a share link when the browser's address is unknown (tests, bare mode)."""

_REPORT_FILES: Final = {"pdf": "summary.pdf", "html": "report.html", "xlsx": "workbook.xlsx"}


@dataclass(frozen=True)
class ReadOutcome:
    """A scenario read from a file or a link, or every reason it could not be.

    Attributes
    ----------
    scenario : the scenario, None when it could not be read
    problems : every problem, each with its field path ("" for the whole file)
    notes : what was updated from an older file format (MigrationWarning)
    baseline : the baseline the file or link carried, if any
    """

    scenario: Scenario | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    baseline: Scenario | None = None


@dataclass(frozen=True)
class UploadNote:
    """What the last uploaded file gave; ``file_id`` keeps a rerun from applying it twice."""

    file_id: str
    file_name: str
    outcome: ReadOutcome


def _read(reader: Callable[[], ScenarioPair]) -> ReadOutcome:
    # catch_warnings swaps the process-wide filters: a warning raised by another
    # session at the same moment may land here and be dropped (it is only a note).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MigrationWarning)
        try:
            pair = reader()
        except ScenarioError as error:
            return ReadOutcome(None, tuple(error.problems))
    notes = tuple(str(w.message) for w in caught if issubclass(w.category, MigrationWarning))
    return ReadOutcome(pair.scenario, notes=tuple(dict.fromkeys(notes)), baseline=pair.baseline)


def read_upload(data: bytes) -> ReadOutcome:
    """A scenario and its baseline from an uploaded file (``cxcost.presets.pair_from_json``)."""
    return _read(lambda: pair_from_json(data, source="upload"))


def read_link(token: str) -> ReadOutcome:
    """A scenario and its baseline from a link's ``s`` value (``presets.decode_link_pair``)."""
    return _read(lambda: decode_link_pair(token))


def base_url() -> str:
    """The app's address as the browser sees it, without query; a local default in tests.

    A bare host gets its "/" (``http://host:8501/?s=...``, as the CLI writes it).
    """
    parts = urlsplit(st.context.url or DEFAULT_BASE_URL)
    return urlunsplit(parts._replace(path=parts.path or "/"))


def scenario_file_name(scenario: Scenario) -> str:
    """The file name of a scenario's download: client and name, e.g. ``acme-proposal.json``."""
    return f"{file_stem(scenario)}.json"


def shared_baseline(scenario: Scenario, baseline: Scenario | None) -> Scenario | None:
    """The baseline a file or link carries: None when there is none or it equals the scenario."""
    if baseline is None or baseline == scenario:
        return None
    return baseline


def problem_list(
    lead: str, problems: Sequence[Problem], scenario: Scenario, language: Language
) -> str:
    """``lead``, then one bullet per problem in a manager's words, as escaped Markdown.

    Each problem names the field by the sidebar's label and gives values in
    the sidebar's units (``cxcost.ui.fields.problem_text``). Every character of
    the lead and the messages (which quote the file's values) is shown literally.
    """
    lines = [escape_markdown(lead), ""]
    lines += [f"- {escape_markdown(problem_text(p, scenario, language))}" for p in problems]
    return "\n".join(lines)


def render_notes(notes: Sequence[str], language: Language) -> None:
    """Migration notes as info messages."""
    for note in notes:
        st.info(escape_markdown(t("share.migrated", language, message=note)))


def render_link_problem(outcome: ReadOutcome, scenario: Scenario, language: Language) -> None:
    """Why the share link the session was opened with could not be read (main area)."""
    with st.container(key=LINK_PROBLEM_KEY):
        if outcome.problems:
            lead = t("share.link_broken", language)
            st.warning(problem_list(lead, outcome.problems, scenario, language))
        render_notes(outcome.notes, language)


def _download_scenario(
    scenario: Scenario, baseline: Scenario | None, language: Language, key: str
) -> None:
    # The file is written when the button is clicked, not on every run: a slider
    # move no longer pays for the JSON nor stores a copy (docs/performance.md).
    # Nothing changes the scenario objects after the run that drew the button.
    st.download_button(
        t("share.download", language),
        data=functools.partial(scenario_to_json, scenario, baseline),
        file_name=scenario_file_name(scenario),
        mime="application/json",
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=t("share.download_help", language),
    )


def _render_open(language: Language, on_upload: Callable[[], None]) -> None:
    # Not lazy: the uploader must exist on every run to keep its file.
    with st.popover(
        t("share.open", language),
        key=OPEN_KEY,
        icon=":material/upload_file:",
        help=t("share.upload_help", language),
    ):
        st.file_uploader(
            t("share.upload", language),
            type=["json"],
            key=UPLOAD_KEY,
            on_change=on_upload,
            max_upload_size=UPLOAD_LIMIT_MB,
        )


def render_upload_note(note: UploadNote, scenario: Scenario, language: Language) -> None:
    """What the last uploaded file gave, in the main area: every problem, or what opened.

    ``scenario`` is the one the problems' channel paths refer to (the loaded one).
    """
    with st.container(key=UPLOAD_NOTE_KEY):
        outcome = note.outcome
        if outcome.scenario is None:
            lead = t("share.upload_failed", language, file=note.file_name)
            st.error(problem_list(lead, outcome.problems, scenario, language))
            return
        name = outcome.scenario.name
        st.success(escape_markdown(t("share.uploaded", language, name=name, file=note.file_name)))
        if outcome.baseline is not None:
            opened = t("share.baseline_opened", language, name=outcome.baseline.name)
            st.info(escape_markdown(opened))
        render_notes(outcome.notes, language)


def _render_link(view: View, baseline: Scenario | None) -> None:
    language = view.language
    with st.popover(
        t("share.link", language),
        key=LINK_KEY,
        on_change="rerun",
        icon=":material/link:",
        help=t("share.link_help", language),
    ) as popover:
        if not popover.open:
            return
        try:
            token = encode_link(view.saved, baseline)
            url = share_url(view.saved, base_url(), baseline)
        except ScenarioError:
            # Above MAX_LINK_CHARS no link is made: the scenario travels as a file.
            limit = format_number(MAX_LINK_CHARS, language)
            st.warning(t("share.link_refused", language, limit=limit))
            _download_scenario(view.saved, baseline, language, LINK_DOWNLOAD_KEY)
            return
        if st.query_params.get(LINK_PARAM) != token:
            st.query_params[LINK_PARAM] = token
        st.caption(t("share.link_intro", language))
        if baseline is not None:
            st.caption(escape_markdown(t("share.link_baseline", language, name=baseline.name)))
        with st.container(key=LINK_CODE_KEY):
            st.code(url, language=None, wrap_lines=True)
        length = format_number(len(url), language)
        st.caption(t("share.link_length", language, length=length))
        if len(url) > SAFE_LINK_LENGTH:
            limit = format_number(SAFE_LINK_LENGTH, language)
            st.warning(t("share.link_too_long", language, length=length, limit=limit))
            _download_scenario(view.saved, baseline, language, LINK_DOWNLOAD_KEY)


def _render_reports(view: View) -> None:
    language = view.language
    with st.popover(
        t("share.reports", language),
        key=REPORTS_KEY,
        on_change="rerun",
        icon=":material/description:",
        help=t("share.reports_help", language),
    ) as popover:
        if not popover.open:
            return
        day = date.today().isoformat()
        stem = file_stem(view.scenario)
        with working(t("share.reports_preparing", language)):
            documents = [
                compute.report_document_json(
                    view.scenario_json, fmt, language, day, applied_calibration(view.scenario)
                )
                for fmt in DOCUMENT_FORMATS
            ]
        for document in documents:
            st.download_button(
                t(f"share.report.{document.fmt}", language),
                data=document.content,
                file_name=f"{stem}-{_REPORT_FILES[document.fmt]}",
                mime=DOCUMENT_MEDIA_TYPES[document.fmt],
                key=f"{REPORTS_KEY}.{document.fmt}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )
            if document.problem is not None:
                reason = t("share.report_no_charts", language, reason=document.problem)
                st.caption(escape_markdown(reason))


def render_share_area(view: View, baseline: Scenario, on_upload: Callable[[], None]) -> None:
    """The sidebar's share area: scenario file, open a file, share link, reports.

    What an uploaded file gave is shown in the main area (``render_upload_note``).

    Parameters
    ----------
    view : the current scenario and language
    baseline : the Compare baseline; the file and the link carry it while the
        "with baseline" toggle is on and it differs from the scenario
    on_upload : the uploader's callback (the app reads the file and loads it)
    """
    language = view.language
    st.markdown(f"**{t('share.title', language)}**")
    if inputs_later("share", BUTTONS_PLACEHOLDER_HEIGHT, language):
        return
    carried = shared_baseline(view.saved, baseline)
    if carried is not None:
        with_baseline = st.toggle(
            t("share.with_baseline", language),
            key=WITH_BASELINE_KEY,
            value=held(WITH_BASELINE_KEY, True),
            help=escape_markdown(t("share.with_baseline_help", language, name=carried.name)),
        )
        if not with_baseline:
            carried = None
    with st.container(key=BUTTONS_KEY, horizontal=True, gap="small"):
        _download_scenario(view.saved, carried, language, DOWNLOAD_KEY)
        _render_open(language, on_upload)
        _render_link(view, carried)
        _render_reports(view)
    if not browser_available():
        with st.container(key=NO_BROWSER_KEY):
            st.caption(escape_markdown(missing_browser_message()))


def figure_hash(figure_json: str) -> str:
    """SHA-256 of a figure's JSON: the key of its cached images."""
    return hashlib.sha256(figure_json.encode("utf-8")).hexdigest()


def render_chart_export(fig: go.Figure, key: str, view: View) -> None:
    """The "Export" popover of one chart: PNG, SVG and PDF, rendered when it is opened.

    Parameters
    ----------
    fig : the chart, exactly as shown
    key : the chart's element key, e.g. ``chart.drivers``
    view : the current scenario (for the file names) and language
    """
    language = view.language
    widget = f"{EXPORT_PREFIX}{key}"
    with st.popover(
        t("share.export", language),
        key=widget,
        on_change="rerun",
        icon=":material/download:",
        type="tertiary",
        help=t("share.export_help", language),
    ) as popover:
        if not popover.open:
            return
        if not browser_available():
            st.warning(escape_markdown(missing_browser_message()))
            return
        figure_json = fig.to_json()
        try:
            with working(t("share.export_preparing", language)):
                images = compute.chart_images(figure_hash(figure_json), figure_json)
        except ExportError as error:
            st.error(escape_markdown(t("share.export_failed", language, reason=str(error))))
            st.button(t("share.retry", language), key=f"{widget}.retry")
            return
        stem = f"{file_stem(view.scenario)}-{slug(key.removeprefix('chart.'), 'chart')}"
        for fmt in IMAGE_FORMATS:
            st.download_button(
                t(f"share.export.{fmt}", language),
                data=images[fmt],
                file_name=f"{stem}.{fmt}",
                mime=MEDIA_TYPES[fmt],
                key=f"{widget}.{fmt}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )
