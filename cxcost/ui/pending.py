"""Placeholders for what comes after the numbers, and their waits.

While the optimiser works out the plan for new inputs (``cxcost.ui.background``),
the tabs show their fast parts at once and this line where the plan goes. A
fragment re-asks every ``POLL_SECONDS`` (which keeps the request wanted) and
reruns the app once the work is done, so the plan appears without a click.

A session's first page is drawn in three runs, each asked for by the page:

1. the Overview's finding and headline numbers (``headline_only``), under an empty
   space where the tab bar goes, with a placeholder where the sidebar's controls
   (language, preset, reset), inputs and share buttons go;
2. ``NEXT_RUN_SECONDS`` later, the controls, the inputs and the share buttons, the
   tab bar and the rest of the Overview's text, with a placeholder of the same
   height for each chart and table;
3. ``NEXT_RUN_SECONDS`` after that, the charts and tables.

Streamlit's browser code loads each kind of widget (slider, number input,
download button, metric) the first time a page shows one, and shows the
widgets of one drawing only once every new kind in it has loaded; a slider or a
number input takes longest. A first page whose only kinds are the metric and
the sidebar's first three widgets showed its numbers about 0.3 s sooner on one
core than one with every input; without those three (a radio, a select box, a
button) and the plan's "apply" button (``space_first``), 0.15-0.5 s sooner
again. A browser loads plotly and the table grid for the first chart and table
it meets, about two seconds of one core's JavaScript that would otherwise hold
the whole first page back (``docs/performance.md``, "First page"). What is below
the headline (a caption, two headings, the optimiser's text and five
placeholders) held the numbers back by another 50-120 ms of the browser's work, the
tab bar by 60-70 ms; and often late enough for the second run to land before they
were drawn, which then waited for the sliders' code too (up to one new session in
four on this machine; ``docs/performance.md``, "twenty-first pass").

On a slow device the next run can arrive before the browser has mounted a widget
of the run before; every widget is therefore drawn with the value the app holds as
its default (``cxcost.ui.held``), or the browser would send its default back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import streamlit as st

from cxcost.i18n import Language, t
from cxcost.plans import PlanBundle
from cxcost.ui import compute

POLL_SECONDS: Final = 0.5
"""How often a waiting page asks whether the work is done [s]."""
NEXT_RUN_SECONDS: Final = 0.5
"""How long after each of a session's first two runs the page asks for the next [s]."""
PENDING_KEY: Final = "ui.pending"
STAGE_KEY: Final = "_first_page_stage"
"""Session state: 0 (or absent) while the first run draws the numbers, 1 once the
inputs may be drawn, 2 once everything may be."""
_INPUTS_ASKED: Final = "_first_page_inputs_asked"
_PAINT_ASKED: Final = "_first_page_asked"


def _stage() -> int:
    return int(st.session_state.get(STAGE_KEY, 0))


def render_pending(ready: Callable[[], bool], language: Language, message_key: str) -> None:
    """Show ``message_key``'s words until ``ready()``; then rerun the app once.

    On a session's first page the line is drawn without its polling fragment: the
    run that draws the charts (``finish_first_page``) brings it. Polls every
    ``POLL_SECONDS`` would otherwise land while the browser is still drawing that
    first page (a share link of a scenario not planned yet).

    Parameters
    ----------
    ready : asks the background pool again; True once the result is there
    language : the session's language
    message_key : the catalog key of the waiting line (e.g. ``"rec.pending"``)
    """
    if _stage() < 2:
        _waiting_line(language, message_key)
        return
    _wait(ready, language, message_key)


def plan_or_wait(scenario_json: str, language: Language, message_key: str) -> PlanBundle | None:
    """The plan for ``scenario_json``; or None, with the waiting line drawn in its place."""
    bundle = compute.plan_bundle_json(scenario_json)
    if bundle is None:
        render_pending(
            lambda: compute.plan_bundle_json(scenario_json) is not None, language, message_key
        )
    return bundle


@st.fragment(run_every=POLL_SECONDS)
def _wait(ready: Callable[[], bool], language: Language, message_key: str) -> None:
    if ready():
        st.rerun()
    _waiting_line(language, message_key)


def _waiting_line(language: Language, message_key: str) -> None:
    with st.container(key=f"{PENDING_KEY}-{message_key}"):
        st.caption(f"⏳ {t(message_key, language)}")


def headline_only() -> bool:
    """Whether this run is a session's first: the Overview draws its finding and
    headline numbers, and neither the tab bar nor anything below them (they come with
    the inputs)."""
    return _stage() < 1


def first_page(key: str, height: int, language: Language) -> bool:
    """Until a session's charts may be drawn: a placeholder ``height`` px high for the
    chart or table ``key``, and True (the caller draws nothing); else False."""
    if _stage() >= 2:
        return False
    _placeholder(key, height, t("app.drawing", language))
    return True


def space_first(key: str, height: int) -> bool:
    """Until a session's charts may be drawn: empty space ``height`` px high for the
    widget ``key`` that goes with a chart or table (a button under a table), and True
    (the caller draws nothing); else False."""
    if _stage() >= 2:
        return False
    _placeholder(key, height, None)
    return True


def inputs_later(key: str, height: int, language: Language) -> bool:
    """In a session's first run: a placeholder ``height`` px high for the sidebar's
    inputs ``key``, and True (the caller draws none of them); else False."""
    if _stage() >= 1:
        return False
    _placeholder(key, height, t("app.drawing_inputs", language))
    return True


def _placeholder(key: str, height: int, words: str | None) -> None:
    with st.container(key=f"{PENDING_KEY}-paint-{key}", height=height, border=False):
        if words is not None:
            st.caption(f"⏳ {words}")


def finish_first_page() -> None:
    """At the end of every run: until the first page is whole, ask for its next run."""
    state = st.session_state
    stage = _stage()
    if stage >= 2:
        return
    state[STAGE_KEY] = stage + 1
    _ask_for_the_next_run(_INPUTS_ASKED if stage == 0 else _PAINT_ASKED)


@st.fragment(run_every=NEXT_RUN_SECONDS)
def _ask_for_the_next_run(mark: str) -> None:
    # Drawn at the end of a run, the fragment only sets ``mark`` (one per run that
    # asks); its first tick comes once the browser is free again, having drawn that
    # run's page, and reruns the app.
    state = st.session_state
    if state.get(mark):
        st.rerun()
    state[mark] = True
