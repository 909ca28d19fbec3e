"""The placeholder for work the background pool has not finished, and its wait.

While the optimiser works out the plan for new inputs (``cxcost.ui.background``),
the tabs show their fast parts at once and this line where the plan goes. A
fragment re-asks every ``POLL_SECONDS`` (which keeps the request wanted) and
reruns the app once the work is done, so the plan appears without a click.
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
PENDING_KEY: Final = "ui.pending"


def render_pending(ready: Callable[[], bool], language: Language, message_key: str) -> None:
    """Show ``message_key``'s words until ``ready()``; then rerun the app once.

    Parameters
    ----------
    ready : asks the background pool again; True once the result is there
    language : the session's language
    message_key : the catalog key of the waiting line (e.g. ``"rec.pending"``)
    """
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
    with st.container(key=f"{PENDING_KEY}-{message_key}"):
        st.caption(f"⏳ {t(message_key, language)}")
