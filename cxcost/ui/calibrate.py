"""The Calibrate tab: a contact log (and a complaint log) in, fitted assumptions out.

Upload, map the columns (guessed from English and Norwegian headers), fit,
see each fitted value beside the current one with its interval and sample
size, the fit check and the Pareto of complaint reasons, and apply all or
some of the values. The uploaded rows stay in this session's uploader; only
the fitted numbers (and their sources) reach the scenario, the share link and
the exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cxcost.calibrate import (
    CONTACT_COLUMNS,
    Calibration,
    CalibrationError,
    apply_calibration,
    calibrate,
    guess_mapping,
    read_headers,
)
from cxcost.i18n import Language, t, tn
from cxcost.report.calibration import (
    fit_check_header,
    fit_check_rows,
    fit_header,
    fit_rows,
    pareto_header,
    pareto_rows,
    summary_line,
)
from cxcost.report.charts import calibration_fit_figure, pareto_figure
from cxcost.scenario import Scenario
from cxcost.ui.components import render_chart
from cxcost.ui.gate import GATE
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.share import APPLIED_CALIBRATION_KEY
from cxcost.ui.view import View

CONTACTS_KEY: Final = "calibrate.contacts"
COMPLAINTS_KEY: Final = "calibrate.complaints"
MAPPING_KEY: Final = "calibrate.mapping"
RUN_KEY: Final = "calibrate.run"
TABLE_KEY: Final = "calibrate.table"
APPLY_KEY: Final = "calibrate.apply"
RESULT_KEY: Final = "calibrate.result"
ERROR_KEY: Final = "calibrate.error"
APPLIED_KEY: Final = "calibrate.applied"
HEADERS_KEY: Final = "calibrate.headers"
DATA_UPLOAD_LIMIT_MB: Final = 200
"""The data uploaders' cap [MiB]: about 3 million contact rows of CSV, which one session
may hold in memory. Apart from the preset uploader's (``cxcost.ui.share.UPLOAD_LIMIT_MB``)
and below the CLI's (``cxcost.calibrate.MAX_BYTES``); ``.streamlit/config.toml``'s
``maxUploadSize`` is this, the largest cap of any uploader."""
_DATA_MAX_BYTES: Final = DATA_UPLOAD_LIMIT_MB * 1024 * 1024
_UNMAPPED: Final = ""
_DATA_TYPES: Final = ["csv", "txt", "xlsx", "parquet"]


def _headers(contacts: UploadedFile) -> list[str]:
    """The upload's header names, read once per upload (not again on every rerun)."""
    known: tuple[str, list[str]] | None = st.session_state.get(HEADERS_KEY)
    if known is not None and known[0] == contacts.file_id:
        return known[1]
    headers = read_headers(contacts.getvalue(), name=contacts.name, max_bytes=_DATA_MAX_BYTES)
    st.session_state[HEADERS_KEY] = (contacts.file_id, headers)
    return headers


def _mapping_editor(headers: list[str], language: Language) -> dict[str, str]:
    """One row per file header with the canonical column it holds (guessed, editable)."""
    guessed = guess_mapping(headers)
    frame = pd.DataFrame(
        {
            t("calibrate.col.header", language): headers,
            t("calibrate.col.column", language): [guessed.get(h, _UNMAPPED) for h in headers],
        }
    )
    edited = st.data_editor(
        frame,
        key=MAPPING_KEY,
        hide_index=True,
        disabled=[t("calibrate.col.header", language)],
        column_config={
            t("calibrate.col.column", language): st.column_config.SelectboxColumn(
                options=[_UNMAPPED, *CONTACT_COLUMNS]
            )
        },
        width="stretch",
    )
    return {
        str(header): str(column)
        for header, column in zip(edited.iloc[:, 0], edited.iloc[:, 1], strict=True)
        if column
    }


def _calibrated(
    view: View, mapping: dict[str, str], contacts: UploadedFile, complaints: UploadedFile | None
) -> Calibration | None:
    """Run the calibration on the uploaded files; every problem shown, nothing kept."""
    try:
        return calibrate(
            contacts.getvalue(),
            complaints=complaints.getvalue() if complaints is not None else None,
            base=view.scenario,
            mapping=mapping,
            name=contacts.name,
            complaints_name=complaints.name if complaints is not None else "complaints.csv",
            max_bytes=_DATA_MAX_BYTES,
        )
    except CalibrationError as error:
        st.session_state[ERROR_KEY] = error.message(view.language)
        return None


def render_calibrate(view: View, on_apply: Callable[[Scenario], None]) -> None:
    """The Calibrate tab.

    Parameters
    ----------
    view : the current scenario and results
    on_apply : loads a scenario into the app (the calibrated one on "apply")
    """
    language = view.language
    state = st.session_state
    st.caption(t("calibrate.intro", language))
    left, right = st.columns(2)
    with left:
        contacts = st.file_uploader(
            t("calibrate.upload_contacts", language),
            type=_DATA_TYPES,
            key=CONTACTS_KEY,
            max_upload_size=DATA_UPLOAD_LIMIT_MB,
            help=t("calibrate.upload_contacts_help", language),
        )
    with right:
        complaints = st.file_uploader(
            t("calibrate.upload_complaints", language),
            type=_DATA_TYPES,
            key=COMPLAINTS_KEY,
            max_upload_size=DATA_UPLOAD_LIMIT_MB,
            help=t("calibrate.upload_complaints_help", language),
        )
    if contacts is None:
        state.pop(RESULT_KEY, None)
        state.pop(ERROR_KEY, None)
        return
    try:
        headers = _headers(contacts)
    except CalibrationError as error:
        st.error(escape_markdown(error.message(language)))
        return
    st.subheader(t("calibrate.mapping", language))
    mapping = _mapping_editor(headers, language)
    if st.button(t("calibrate.run", language), key=RUN_KEY, type="primary"):
        state.pop(ERROR_KEY, None)
        with GATE.released():
            state[RESULT_KEY] = _calibrated(view, mapping, contacts, complaints)
    if state.get(ERROR_KEY):
        st.error(escape_markdown(state[ERROR_KEY]))
    calibration: Calibration | None = state.get(RESULT_KEY)
    if calibration is None:
        return
    _render_result(view, calibration, on_apply)


def _apply(
    scenario: Scenario,
    calibration: Calibration,
    paths: list[str],
    on_apply: Callable[[Scenario], None],
    language: Language,
) -> None:
    """The "apply" button's callback: load the scenario with the chosen values, or say why not."""
    try:
        on_apply(apply_calibration(scenario, calibration, paths))
    except CalibrationError as error:
        st.session_state[ERROR_KEY] = error.message(language)
    else:
        st.session_state[APPLIED_KEY] = len(paths)
        st.session_state[APPLIED_CALIBRATION_KEY] = calibration


def _render_result(
    view: View, calibration: Calibration, on_apply: Callable[[Scenario], None]
) -> None:
    language = view.language
    st.success(escape_markdown(summary_line(calibration, language)))
    applied = st.session_state.pop(APPLIED_KEY, None)
    if applied:
        st.info(tn("calibrate.applied", applied, language, count=applied))
    rows = fit_rows(calibration, view.scenario, language)
    apply_column = t("calibrate.col.apply", language)
    frame = pd.DataFrame(
        [[True, r.label, r.unit, r.current, r.fitted, r.interval, r.n, r.method] for r in rows],
        columns=[apply_column, *fit_header(language)],
    )
    edited = st.data_editor(
        frame,
        key=TABLE_KEY,
        hide_index=True,
        disabled=list(frame.columns[1:]),
        width="stretch",
    )
    chosen = [row.path for row, keep in zip(rows, edited[apply_column], strict=True) if keep]
    st.button(
        tn("calibrate.apply", len(chosen), language, count=len(chosen)),
        key=APPLY_KEY,
        disabled=not chosen,
        on_click=_apply,
        args=(view.scenario, calibration, chosen, on_apply, language),
    )
    render_chart(calibration_fit_figure(calibration, language), "chart.calibration_fit", view)
    with st.expander(t("calibrate.fit_table", language)):
        st.dataframe(
            pd.DataFrame(
                fit_check_rows(calibration, language),
                columns=fit_check_header(language),
            ),
            hide_index=True,
            width="stretch",
        )
    if calibration.pareto:
        st.subheader(t("calibrate.pareto", language))
        render_chart(pareto_figure(calibration, language), "chart.pareto", view)
        st.dataframe(
            pd.DataFrame(
                pareto_rows(calibration, language),
                columns=pareto_header(language),
            ),
            hide_index=True,
            width="stretch",
        )
