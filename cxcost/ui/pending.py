"""Placeholders for what comes after the numbers, and their waits.

While the optimiser works out the plan for new inputs (``cxcost.ui.background``),
the tabs show their fast parts at once and this line where the plan goes. A
fragment re-asks every ``POLL_SECONDS`` (which keeps the request wanted) and
reruns the app once the work is done, so the plan appears without a click.

A session's first page is drawn in two runs as well: the first has the numbers
and the text, with a placeholder of the same height for each chart and table;
the second, which the page asks for ``PAINT_SECONDS`` later, draws them. A
browser loads plotly and the table grid for the first chart and table it meets,
about two seconds of one core's JavaScript that would otherwise hold the whole
first page back (``docs/performance.md``, "First page").
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
PAINT_SECONDS: Final = 1.0
"""How long after a session's first page it asks for its charts and tables [s]."""
PENDING_KEY: Final = "ui.pending"
_PAINTED: Final = "_first_page_drawn"
_PAINT_ASKED: Final = "_first_page_asked"


def render_pending(ready: Callable[[], bool], language: Language, message_key: str) -> None:
    """Show ``message_key``'s words until ``ready()``; then rerun the app once.

    On a session's first page the line is drawn without its polling fragment: the
    page's own second run (``finish_first_page``, ``PAINT_SECONDS`` later) brings
    it. Polls every ``POLL_SECONDS`` would otherwise land while the browser is still
    drawing that first page (a share link of a scenario not planned yet).

    Parameters
    ----------
    ready : asks the background pool again; True once the result is there
    language : the session's language
    message_key : the catalog key of the waiting line (e.g. ``"rec.pending"``)
    """
    if not st.session_state.get(_PAINTED):
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


def first_page(key: str, height: int, language: Language) -> bool:
    """In a session's first run: a placeholder ``height`` px high for the chart or table
    ``key``, and True (the caller draws nothing); else False."""
    if st.session_state.get(_PAINTED):
        return False
    with st.container(key=f"{PENDING_KEY}-paint-{key}", height=height, border=False):
        st.caption(f"⏳ {t('app.drawing', language)}")
    return True


def finish_first_page() -> None:
    """At the end of every run: after a session's first, ask for the next run shortly."""
    state = st.session_state
    if state.get(_PAINTED):
        return
    state[_PAINTED] = True
    _ask_for_the_rest()


@st.fragment(run_every=PAINT_SECONDS)
def _ask_for_the_rest() -> None:
    # Drawn with the first page, the fragment only marks that it is there; its first
    # tick comes once the browser has drawn that page, and reruns the app.
    state = st.session_state
    if state.get(_PAINT_ASKED):
        st.rerun()
    state[_PAINT_ASKED] = True
