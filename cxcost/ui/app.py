"""Top-level wiring of the app: session state, presets, sidebar, tabs.

This is the only module that reads or writes ``st.session_state``. It keeps:

- the loaded scenario (from a preset, a share link or an uploaded file),
  which the input widgets are seeded from and the headline deltas refer to;
- the last valid scenario, shown while the inputs do not fit together;
- the baseline (Compare's, and the one the headline deltas refer to; a link
  or file may carry it), the optimiser's last plan and the last Monte Carlo run;
- the sources a consultant typed (``cxcost.presets.track_sources`` keeps the
  others honest as values change);
- what the last uploaded file and the opening share link gave (their messages);
- the widgets' own values under their keys (``in.<field path>``).

A run of the whole app draws the sidebar and then two nested fragments, so that the
two commonest actions send only what they change (issue 16): ``_results`` (the
levers in the sidebar's open groups, the main area and the share area; a lever's
move reruns it alone) and, inside it, ``_tab_area`` (the tabs; a tab click reruns
it alone). Each reruns the whole app instead when what the page outside it is
drawn from has changed.

Sharing and export (``cxcost.ui.share``) plug in at three places: the opening
share link (``?s=``, read once per session in ``_first_scenario``), the
``SHARE_AREA_KEY`` container under the preset picker, and
``cxcost.ui.components.render_chart`` for every chart.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cxcost import plans, presets
from cxcost.evaluate import evaluate
from cxcost.i18n import LANGUAGE_NAMES, LANGUAGES, Language, format_money, t
from cxcost.report import charts, content
from cxcost.scenario import Scenario
from cxcost.ui import background, compute, nodelay, pending, share
from cxcost.ui.assumptions import SOURCE_PATH_KEY, SOURCE_TEXT_KEY, render_assumptions
from cxcost.ui.compare import render_compare
from cxcost.ui.components import keep_groups_open, keep_widget_values
from cxcost.ui.fields import (
    PROFILE_BASE_KEY,
    PROFILE_KEY,
    PROFILE_VALUE_KEY,
    WidgetValue,
    bound_fields,
    lever_fields,
    mix_keys,
    problem_text,
    rebalance_mix,
    scenario_from_widgets,
    widget_key,
    widget_keys,
    widget_values,
    with_plan,
)
from cxcost.ui.gate import GATE
from cxcost.ui.held import held_index
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.overview import PlanState, render_overview
from cxcost.ui.practices import render_practices
from cxcost.ui.sidebar import LeverSlots, render_inputs, render_levers, render_scenario_words
from cxcost.ui.staffing import CHANNEL_KEY, TARGET_KEY, render_staffing
from cxcost.ui.training import render_training
from cxcost.ui.uncertainty import SOURCE_KEY, MonteCarloState, render_uncertainty
from cxcost.ui.view import View

LOGGER = logging.getLogger(__name__)

LANGUAGE_KEY: Final = "ui.language"
LANGUAGE_PARAM: Final = "lang"
"""Query parameter that picks the language: ``?lang=nb`` or ``?lang=en``."""
PRESET_KEY: Final = "ui.preset"
RESET_KEY: Final = "ui.reset"
TABS_KEY: Final = "ui.tab"
SHARE_AREA_KEY: Final = "sidebar-share"
ERROR_KEY: Final = "invalid-inputs"
HEADER_PLACEHOLDER_HEIGHT: Final = 208
"""The height of the language, the preset and the reset button in the sidebar [px]."""
TAB_BAR_HEIGHT: Final = 40
"""The tab bar's height: on a session's first page the headline under the bar's empty
space is where the tabs put it later (``tests/e2e/test_browser.py``) [px]."""

TAB_KEYS: Final = (
    "tab.overview",
    "tab.staffing",
    "tab.quality",
    "tab.practices",
    "tab.compare",
    "tab.uncertainty",
    "tab.assumptions",
    "tab.calibrate",
)
_TAB_CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "tab.staffing": (CHANNEL_KEY, TARGET_KEY),
    "tab.uncertainty": (SOURCE_KEY,),
}
"""The choices made on a tab, kept while another tab is open (only the open tab is
drawn, and Streamlit drops the state of a widget that a run does not draw)."""

_LOADED: Final = "_loaded_json"
_LOADED_STEM: Final = "_loaded_stem"
_LAST_VALID: Final = "_last_valid_json"
_BASELINE: Final = "_baseline_json"
_PLAN: Final = "_plan"
_MONTE_CARLO: Final = "_monte_carlo"
_NOTICE: Final = "_notice"
_UPLOAD: Final = "_upload"
_LINK_OUTCOME: Final = "_link_outcome"
_TYPED_SOURCES: Final = "_typed_sources"


def _preset_entries() -> list[presets.PresetEntry]:
    return compute.preset_entries(str(presets.PRESETS_DIR))


def _entry(stem: str) -> presets.PresetEntry | None:
    return next((e for e in _preset_entries() if e.stem == stem), None)


def load_scenario(scenario: Scenario, stem: str | None, baseline: Scenario | None = None) -> None:
    """Make ``scenario`` the loaded one: seed every input widget and reset derived state.

    Also the entry point for scenarios from a share link or an uploaded file
    (``stem`` None), which may carry a ``baseline``; without one the baseline
    is the scenario itself.
    """
    state = st.session_state
    scenario_json = scenario.model_dump_json()
    state[_LOADED] = scenario_json
    state[_LAST_VALID] = scenario_json
    state[_BASELINE] = scenario_json if baseline is None else baseline.model_dump_json()
    state.pop(_TYPED_SOURCES, None)
    if stem is not None:
        state[_LOADED_STEM] = stem
    for key, value in widget_values(scenario).items():
        state[key] = value
    # The profile table keeps its edits under its key; dropping them shows the new data.
    for key in (PROFILE_KEY, PROFILE_BASE_KEY, PROFILE_VALUE_KEY):
        state.pop(key, None)
    state.pop(_PLAN, None)
    state.pop(_MONTE_CARLO, None)


def _default_scenario() -> tuple[Scenario, str | None]:
    """The default preset, if it loads; else the first preset that does; else the model's."""
    entries = [e for e in _preset_entries() if e.error is None]
    stems = [e.stem for e in entries]
    stem = presets.DEFAULT_PRESET if presets.DEFAULT_PRESET in stems else next(iter(stems), None)
    if stem is None:
        return Scenario(), None
    entry = _entry(stem)
    assert entry is not None
    return Scenario.model_validate_json(compute.preset_json(str(entry.path))), stem


def _first_scenario() -> tuple[Scenario, str | None, share.ReadOutcome | None]:
    """The scenario a new session opens with: the share link's, else the default preset.

    Returns
    -------
    scenario, preset stem (None for a link), and what reading the link gave
    (None without a link). A link that cannot be read falls back to the
    default preset and is taken out of the address bar.
    """
    token = st.query_params.get(presets.LINK_PARAM)
    if token is None:
        return (*_default_scenario(), None)
    outcome = share.read_link(token)
    if outcome.scenario is not None:
        return outcome.scenario, None, outcome
    del st.query_params[presets.LINK_PARAM]
    return (*_default_scenario(), outcome)


def language_from(param: str | None, browser_locale: str | None) -> Language:
    """The language a new session opens in: ``?lang=``, else the browser's, else English.

    Parameters
    ----------
    param : the ``lang`` query parameter, if any ("nb", "en"; case-insensitive)
    browser_locale : the browser's language tag (``st.context.locale``), e.g.
        "nb-NO"; Norwegian ("no", "nn") reads as Bokmål, the one Norwegian here

    Examples
    --------
    >>> language_from("nb", "en-US"), language_from(None, "nb-NO"), language_from(None, "nn")
    ('nb', 'nb', 'nb')
    >>> language_from("xx", "de-DE"), language_from(None, None)
    ('en', 'en')
    """
    for tag in (param, browser_locale):
        if not tag:
            continue
        primary = tag.replace("_", "-").split("-", 1)[0].casefold()
        if primary in {"nb", "no", "nn"}:
            return "nb"
        if primary in LANGUAGES:
            return "en" if primary == "en" else "nb"
    return "en"


def _initialise() -> None:
    state = st.session_state
    if LANGUAGE_KEY not in state:
        state[LANGUAGE_KEY] = language_from(st.query_params.get(LANGUAGE_PARAM), st.context.locale)
    if _LOADED not in state:
        scenario, stem, link = _first_scenario()
        load_scenario(scenario, stem, link.baseline if link is not None else None)
        state[PRESET_KEY] = stem
        if link is not None and (link.problems or link.notes):
            state[_LINK_OUTCOME] = link


def _on_preset_change() -> None:
    state = st.session_state
    stem = state.get(PRESET_KEY)
    entry = _entry(stem) if isinstance(stem, str) else None
    try:
        if entry is None:
            raise presets.ScenarioError([presets.Problem("", f"no preset named {stem!r}")])
        scenario = Scenario.model_validate_json(compute.preset_json(str(entry.path)))
    except presets.ScenarioError as error:
        state[_NOTICE] = t(
            "app.preset_broken", state[LANGUAGE_KEY], name=str(stem), error=str(error)
        )
        state[PRESET_KEY] = state.get(_LOADED_STEM)
        return
    load_scenario(scenario, entry.stem)
    state.pop(_UPLOAD, None)
    state.pop(_LINK_OUTCOME, None)


def _on_upload() -> None:
    """Read the file just put into the uploader; load it only if it is valid.

    A bad file changes nothing: neither the scenario nor any widget. The
    file's id is remembered, so the same upload is never applied twice.
    """
    state = st.session_state
    uploaded = state.get(share.UPLOAD_KEY)
    if uploaded is None:
        state.pop(_UPLOAD, None)
        return
    known: share.UploadNote | None = state.get(_UPLOAD)
    if known is not None and known.file_id == uploaded.file_id:
        return
    outcome = share.read_upload(uploaded.getvalue())
    state[_UPLOAD] = share.UploadNote(uploaded.file_id, uploaded.name, outcome)
    if outcome.scenario is not None:
        load_scenario(outcome.scenario, None, outcome.baseline)
        state[PRESET_KEY] = None
        state.pop(_LINK_OUTCOME, None)


def _on_reset() -> None:
    state = st.session_state
    baseline = Scenario.model_validate_json(state[_BASELINE])
    load_scenario(Scenario.model_validate_json(state[_LOADED]), None, baseline)


def _on_mix_change(moved: str) -> None:
    """One channel share moved: the others take up the rest in proportion (keeps 100 %)."""
    state = st.session_state
    loaded = Scenario.model_validate_json(state[_LOADED])
    keys = mix_keys(loaded)
    shares = {key: float(state[key]) for key in keys if key in state}
    step = next(f.spec.step for f in bound_fields(loaded) if f.key == moved)
    for key, value in rebalance_mix(shares, moved, step).items():
        state[key] = value


def _on_set_source() -> None:
    """The Assumptions tab's source form: keep the typed source (empty text removes it)."""
    state = st.session_state
    path = state.get(SOURCE_PATH_KEY)
    if not isinstance(path, str):
        return
    typed = dict(state.get(_TYPED_SOURCES, {}))
    text = str(state.get(SOURCE_TEXT_KEY) or "").strip()
    if text:
        typed[path] = text
    else:
        typed.pop(path, None)
    state[_TYPED_SOURCES] = typed


def _on_language_change() -> None:
    """Keep the open tab and every choice in a select box: their labels change language.

    Streamlit keeps a select box's value as its displayed label, which the new
    language no longer offers; writing the value back re-labels it.
    """
    state = st.session_state
    # The address names the chosen language, so a copied address opens in it.
    st.query_params[LANGUAGE_PARAM] = state[LANGUAGE_KEY]
    label = state.get(TABS_KEY)
    for key in TAB_KEYS:
        if label in {t(key, language) for language in LANGUAGES}:
            state[TABS_KEY] = t(key, state[LANGUAGE_KEY])
    keep_widget_values([PRESET_KEY])  # its options' labels change language too
    loaded = Scenario.model_validate_json(state[_LOADED])
    # Sliders change kind with the language (cxcost.ui.sidebar.render_field): the
    # value written back under the key is what the new widget starts from.
    keep_widget_values(field.key for field in bound_fields(loaded))
    keep_groups_open()


def _on_apply_plan() -> None:
    state = st.session_state
    plan: PlanState | None = state.get(_PLAN)
    if plan is None:
        return
    recommendation = plan.recommendation
    for key, value in with_plan(
        {}, recommendation.representatives, recommendation.training_hours
    ).items():
        state[key] = value
    # The practice levers the plan sets, in the sidebar's units.
    shown = widget_values(recommendation.scenario)
    for path in recommendation.practices:
        state[widget_key(path)] = shown[widget_key(path)]


def _load_calibrated(scenario: Scenario) -> None:
    """Load the calibrated scenario (the Calibrate tab's "apply"), as an uploaded one."""
    load_scenario(scenario, None)
    st.session_state[PRESET_KEY] = None


def _render_calibrate(view: View) -> None:
    # The data stack (pandera, DuckDB) loads when the tab is first opened.
    from cxcost.ui.calibrate import render_calibrate

    render_calibrate(view, _load_calibrated)


def _on_save_baseline() -> None:
    state = st.session_state
    state[_BASELINE] = state[_LAST_VALID]


def _render_sidebar_header(language: Language) -> Language:
    languages = list(LANGUAGES)
    chosen = st.radio(
        "Language / Språk",
        options=languages,
        index=held_index(LANGUAGE_KEY, languages),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key=LANGUAGE_KEY,
        horizontal=True,
        on_change=_on_language_change,
    )
    language = chosen if chosen in LANGUAGES else language
    entries = _preset_entries()

    def preset_label(stem: str) -> str:
        entry = next((e for e in entries if e.stem == stem), None)
        if entry is None:
            return stem
        return entry.name_in(language) if entry.error is None else f"{entry.stem} ⚠"

    stems = [e.stem for e in entries]
    st.selectbox(
        t("app.preset", language),
        options=stems,
        index=held_index(PRESET_KEY, stems, fallback=None),
        format_func=preset_label,
        key=PRESET_KEY,
        on_change=_on_preset_change,
        help=t("app.preset_help", language),
        placeholder=t("share.from_file_or_link", language),
    )
    for entry in entries:
        if entry.error is not None:
            st.caption(
                escape_markdown(
                    t("app.preset_broken", language, name=entry.stem, error=entry.error)
                )
            )
    st.button(
        t("app.reset", language),
        key=RESET_KEY,
        on_click=_on_reset,
        help=t("app.reset_help", language),
    )
    return language


def _problem_lines(error: presets.ScenarioError, scenario: Scenario, language: Language) -> str:
    return "\n".join(
        f"- {escape_markdown(problem_text(problem, scenario, language))}"
        for problem in error.problems
    )


def _guarded(render: Callable[[], Any], language: Language) -> Any:
    """Run one tab; a model failure becomes a plain message, never a traceback."""
    try:
        return render()
    except (ValueError, ArithmeticError) as error:
        LOGGER.exception("model call failed")
        st.error(escape_markdown(t("app.model_error", language, message=str(error))))
        return None


@functools.cache
def _freeze_long_lived_objects() -> None:
    """Once per process, after the first run: take what is alive out of the GC's walk.

    Python's oldest-generation collections walk every object alive, and
    Streamlit ran one after every rerun (``runner.postScriptGC``, now off in
    ``.streamlit/config.toml``). Walking the ~200,000 objects the imports leave
    (plotly's validators, pandas, pydantic schemas) cost each such collection
    about 90 ms of CPU, more than the model. Frozen objects are still freed
    when nothing refers to them; only reference cycles among them stay, which
    is bounded by what one first run creates.
    """
    gc.collect()
    gc.freeze()


@functools.cache
def _warm_presets() -> None:
    """Once per process: have the worker plan what a new session opens with.

    The default preset, in both languages, while nobody waits (a session's own
    requests always go first). Other presets are planned when someone opens one:
    warming all six would cost a fresh replica some 20 s of CPU.
    """
    entry = _entry(presets.DEFAULT_PRESET)
    if entry is None or entry.error is not None:
        return
    scenario = Scenario.model_validate_json(compute.preset_json(str(entry.path)))
    for language in LANGUAGES:
        shown = presets.localized_scenario(scenario, language)
        background.POOL.warm(plans.plan_bundle, shown.model_dump_json())


def warm_process() -> None:
    """Once per server process, before its first session (``cxcost.ui.warm``): the
    imports and model caches a first run needs, from pure calls only (no session state,
    no Streamlit cache; safe in any thread).

    The default preset is priced and its Overview charts and numbers built in both
    languages: the model's week cache, plotly's figure classes and Babel's locale data
    are then loaded.
    """
    scenario = presets.load_preset(presets.DEFAULT_PRESET)
    result = evaluate(scenario)
    for language in LANGUAGES:
        charts.driver_breakdown_figure(result, language)
        charts.churners_figure(result, language)
        format_money(result.revenue_at_risk_per_year, scenario.business.currency, language)
        t("app.title", language)


def _input_state() -> list[tuple[str, Any]]:
    """What the page is drawn from, as ``(key, value)`` pairs: the language, the loaded
    scenario, the baseline, the typed sources, the messages of a link or file, and the
    value of every input of the scenario (the fragments compare them).

    The calibration the share area's reports add is applied with a scenario it
    loads, so the loaded scenario stands for it.
    """
    state = st.session_state
    loaded = Scenario.model_validate_json(state[_LOADED])
    keys = (
        LANGUAGE_KEY,
        PRESET_KEY,
        _LOADED,
        _BASELINE,
        _TYPED_SOURCES,
        _UPLOAD,
        _LINK_OUTCOME,
        PROFILE_KEY,
        PROFILE_BASE_KEY,
        PROFILE_VALUE_KEY,
        *widget_keys(loaded),
    )
    return [(key, state.get(key)) for key in keys]


def _outside_inputs() -> str:
    """What the page outside the tabs is drawn from (``_input_state``; ``_tab_area``
    compares it)."""
    return repr(_input_state())


def _outside_levers(items: list[tuple[str, Any]], levers: frozenset[str]) -> str:
    """What the page outside the results is drawn from: ``items`` but the levers'
    values (``_results`` compares it)."""
    return repr([item for item in items if item[0] not in levers])


_DRAWING_INSIDE: Final = threading.local()
"""``drawing`` is True while a run that has just worked out what the page is drawn
from draws a fragment inside it (the script thread's own): the fragment compares
nothing then."""


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """While a run draws a fragment as part of itself (``_DRAWING_INSIDE``)."""
    was = getattr(_DRAWING_INSIDE, "drawing", False)
    _DRAWING_INSIDE.drawing = True
    try:
        yield
    finally:
        _DRAWING_INSIDE.drawing = was


def _in_a_run() -> bool:
    """Whether a fragment is drawn as part of a run around it (``_drawing``), not alone."""
    return bool(getattr(_DRAWING_INSIDE, "drawing", False))


@st.fragment
def _tab_area(view: View, shown_baseline: Scenario, outside: str) -> None:
    """The tabs and the open one's content: a tab click reruns only this.

    A click on a tab, or on a widget inside one, reruns this fragment alone, with
    the arguments of the last whole run: the sidebar, the headline and the share
    area are neither drawn again nor sent to the browser. A widget inside a tab
    that changes what the rest of the page shows (applying the plan, saving the
    baseline, a typed source, a calibration or a practice applied) changes
    ``_outside_inputs()`` from ``outside``, the value the last whole run drew the
    page from; the whole app then reruns instead. Inside a whole run, which has
    just worked ``outside`` out, nothing is compared.
    """
    with GATE.run():
        if not _in_a_run() and _outside_inputs() != outside:
            st.rerun()
        _draw_tabs(view, shown_baseline)


def _draw_tabs(view: View, shown_baseline: Scenario) -> None:
    state = st.session_state
    language = view.language
    renderers: dict[str, Callable[[], Any]] = {
        "tab.overview": lambda: render_overview(view, state.get(_PLAN), _on_apply_plan),
        "tab.staffing": lambda: render_staffing(view),
        "tab.quality": lambda: render_training(view),
        "tab.practices": lambda: render_practices(view),
        "tab.compare": lambda: render_compare(view, shown_baseline, _on_save_baseline),
        "tab.uncertainty": lambda: render_uncertainty(
            view, shown_baseline, state.get(_MONTE_CARLO)
        ),
        "tab.assumptions": lambda: render_assumptions(view, _on_set_source),
        "tab.calibrate": lambda: _render_calibrate(view),
    }
    if pending.headline_only():
        # A session's first page: the Overview's headline under the tab bar's space;
        # the tab bar comes with the inputs (cxcost.ui.pending).
        pending.space_first("tabs", TAB_BAR_HEIGHT)
        _guarded(renderers["tab.overview"], language)
        return
    tabs = st.tabs([t(key, language) for key in TAB_KEYS], key=TABS_KEY, on_change="rerun")
    for tab, key in zip(tabs, TAB_KEYS, strict=True):
        if tab.open is False:
            keep_widget_values(_TAB_CHOICES.get(key, ()))
            continue
        with tab:
            outcome = _guarded(renderers[key], language)
        if isinstance(outcome, PlanState):
            state[_PLAN] = outcome
        elif isinstance(outcome, MonteCarloState):
            state[_MONTE_CARLO] = outcome


def main() -> None:
    """Draw the whole app for one script run (at most ``gate.GATE.slots`` at a time)."""
    with GATE.run():
        _draw()


def _draw() -> None:
    nodelay.disable_nagle_once()
    _initialise()
    state = st.session_state
    loaded = Scenario.model_validate_json(state[_LOADED])
    with st.sidebar:
        language = state[LANGUAGE_KEY]
        # A session's first run draws the numbers without the sidebar's controls
        # (their widgets' code would hold them back; cxcost.ui.pending).
        if not pending.inputs_later("header", HEADER_PLACEHOLDER_HEIGHT, language):
            language = _render_sidebar_header(language)
        if st.query_params.get(LANGUAGE_PARAM, language) != language:
            st.query_params[LANGUAGE_PARAM] = language  # "?lang=xx" that was not a language
        shown_loaded = presets.localized_scenario(loaded, language)
        notice = state.pop(_NOTICE, None)
        if notice:
            st.warning(escape_markdown(notice))
        words = render_scenario_words(language)
        share_area = st.container(key=SHARE_AREA_KEY)
        current = {key: state[key] for key in widget_keys(loaded) if key in state}
        inputs = render_inputs(shown_loaded, language, current, _on_mix_change)
    levers = frozenset(field.key for field in lever_fields(loaded))
    items = _input_state()
    drawn = _Drawn(
        loaded=loaded,
        shown_loaded=shown_loaded,
        language=language,
        values=words | inputs.values,
        arrival_profile=inputs.arrival_profile,
        lever_slots=inputs.levers,
        lever_keys=levers,
        share_area=share_area,
        items=items,
    )
    with _drawing():
        _results(drawn)
    pending.finish_first_page()
    _freeze_long_lived_objects()
    _warm_presets()


@dataclass(frozen=True)
class _Drawn:
    """What a whole run drew before the results, for ``_results`` and its own reruns."""

    loaded: Scenario
    shown_loaded: Scenario
    language: Language
    values: dict[str, WidgetValue]
    """Every input's value but the levers' (``cxcost.ui.sidebar.SidebarInputs``)."""
    arrival_profile: list[float]
    lever_slots: LeverSlots | None
    lever_keys: frozenset[str]
    share_area: DeltaGenerator
    items: list[tuple[str, Any]]
    """``_input_state`` when the whole run drew the page."""


@st.fragment
def _results(drawn: _Drawn) -> None:
    """The levers, the scenario they make, the main area and the share area.

    Moving a lever (a channel's representatives or the training, in the sidebar's
    open groups) reruns this fragment alone, with what the last whole run drew: the
    sidebar's other controls and closed groups are neither drawn again nor sent.
    A widget of the share area that changes what the rest of the page is drawn from
    (an opened file) changes ``_outside_levers`` from the whole run's; the whole app
    then reruns instead.
    """
    with GATE.run():
        items = drawn.items
        if not _in_a_run():
            items = _input_state()
            levers = drawn.lever_keys
            if _outside_levers(items, levers) != _outside_levers(drawn.items, levers):
                st.rerun()
        _draw_results(drawn, repr(items))


def _draw_results(drawn: _Drawn, outside: str) -> None:
    """``_results``'s drawing; ``outside`` is ``_outside_inputs()`` as this run worked
    it out before the results (drawing them does not change it), for the tabs'
    fragment."""
    state = st.session_state
    language = drawn.language
    values = drawn.values
    if drawn.lever_slots is not None:
        current = {key: state[key] for key in drawn.lever_keys if key in state}
        values = values | render_levers(drawn.lever_slots, drawn.shown_loaded, language, current)
    loaded = drawn.loaded
    baseline = Scenario.model_validate_json(state[_BASELINE])
    problems: str | None = None
    try:
        scenario = scenario_from_widgets(loaded, values, drawn.arrival_profile)
        scenario = presets.track_sources(
            scenario, (loaded, baseline), state.get(_TYPED_SOURCES, {}), date.today()
        )
        state[_LAST_VALID] = scenario.model_dump_json()
    except presets.ScenarioError as error:
        scenario = Scenario.model_validate_json(state[_LAST_VALID])
        problems = _problem_lines(error, drawn.shown_loaded, language)

    saved = scenario
    scenario = presets.localized_scenario(saved, language)
    st.title(t("app.title", language))
    title = content.scenario_title(scenario, language)
    st.caption(f"{escape_markdown(title)} · {t('app.caption', language)}")
    link: share.ReadOutcome | None = state.get(_LINK_OUTCOME)
    if link is not None:
        share.render_link_problem(link, loaded, language)
    upload: share.UploadNote | None = state.get(_UPLOAD)
    if upload is not None:
        share.render_upload_note(upload, loaded, language)
    if problems is not None:
        message = f"{t('app.invalid', language)}\n\n{problems}"
        with st.container(key=ERROR_KEY):
            st.error(message)

    # Every tab reads the texts in the session's language; the model's numbers do not
    # depend on them, so the JSON of the translated copy keys the cached model calls.
    scenario_json = scenario.model_dump_json()
    shown_baseline = presets.localized_scenario(baseline, language)
    view = View(
        scenario=scenario,
        scenario_json=scenario_json,
        result=compute.evaluate_json(scenario_json),
        baseline=shown_baseline,
        baseline_json=state[_BASELINE],
        baseline_result=compute.evaluate_json(state[_BASELINE]),
        language=language,
        saved=saved,
    )
    with drawn.share_area:
        share.render_share_area(view, baseline, _on_upload)
    with _drawing():
        _tab_area(view, shown_baseline, outside)
