"""The sidebar: every scenario input, grouped, with units, help and sources.

Widgets read their values from ``st.session_state`` under their keys, which
the top-level wiring (``cxcost.ui.app``) seeds from the loaded scenario; the
functions here only draw widgets and return what they read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cxcost.i18n import Language, format_count, format_number, t
from cxcost.inputs import Group
from cxcost.scenario import MAX_CHANNELS, Scenario
from cxcost.ui.components import closed_group, keep_widget_values
from cxcost.ui.fields import (
    PROFILE_BASE_KEY,
    PROFILE_KEY,
    PROFILE_VALUE_KEY,
    TEXT_FIELDS,
    BoundField,
    WidgetValue,
    bound_fields,
    field_help,
    field_label,
    lever_fields,
    profile_from_grid,
    profile_grid,
    slider_options,
    slider_printf,
    slider_text,
    widget_key,
)
from cxcost.ui.held import held, index_of
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.pending import inputs_later

_OPTION_KEYS: Final = {
    "erlang_a": "option.erlang_a",
    "erlang_c": "option.erlang_c",
    "daily": "option.daily",
    "hourly": "option.hourly",
    "lifetime_margin": "option.lifetime_margin",
    "replacement_cost": "option.replacement_cost",
}
_DAY_COLUMNS: Final = tuple(f"d{day}" for day in range(7))
INPUTS_PLACEHOLDER_HEIGHT: Final = 310
"""The open staffing group (three sliders) in a sidebar of the default width [px]."""


LAZY_GROUPS: Final = (
    "scenario",
    "staff",
    "practices",
    "business",
    "demand",
    "mix",
    *(f"channel-{index}" for index in range(MAX_CHANNELS)),
    "quality",
    "churn",
    "uncertainty",
)
"""The sidebar groups that start closed and draw their widgets only while open."""


def group_key(name: str) -> str:
    """The session-state key of a sidebar group's open state, e.g. ``ui.group-business``."""
    return f"ui.group-{name}"


@dataclass(frozen=True)
class LeverSlots:
    """The sidebar's two open groups, empty until ``render_levers`` fills them."""

    staffing: DeltaGenerator
    training: DeltaGenerator


@dataclass(frozen=True)
class SidebarInputs:
    """What the sidebar's input widgets hold after this run.

    ``values`` has every field but the levers (``is_lever``), which ``render_levers``
    draws into ``levers``; in a session's first run, which draws no input, ``levers``
    is None and ``values`` has the levers too, as session state holds them.
    """

    values: dict[str, WidgetValue]
    arrival_profile: list[float]
    levers: LeverSlots | None = None


def _option_label(language: Language) -> Callable[[str], str]:
    def label(option: str) -> str:
        key = _OPTION_KEYS.get(option)
        return t(key, language) if key else option

    return label


PRINTF_LANGUAGES: Final[frozenset[Language]] = frozenset({"en"})
"""Languages whose numbers a printf format writes as Babel does (decimal point, no
grouping below 1,000). Streamlit's slider formats only with printf (issue #5686), so in
every other language a slider with decimals lists its positions, each written by Babel
(``st.select_slider`` with ``format_func``)."""


def _listed_slider(
    field: BoundField,
    label: str,
    help_text: str,
    language: Language,
    current: WidgetValue | None,
    on_change: Callable[[str], None] | None = None,
) -> WidgetValue:
    """A slider over listed positions, each labelled by Babel: "26,5", "8,5 %", "0,50×"."""
    options = slider_options(field, current)
    labels = {value: slider_text(value, field.spec, language) for value in options}
    # A select slider is a range slider only when given a pair as its value; the held
    # value is its default (``cxcost.ui.held``), not the first position.
    if field.spec.control == "range":
        shown: Any = current if isinstance(current, tuple) else field.value
    else:
        shown = current if isinstance(current, int | float) else field.value
    chosen: Any = st.select_slider(
        label,
        options=options,
        value=shown,
        format_func=lambda value: labels.get(value, str(value)),
        key=field.key,
        help=help_text,
        on_change=on_change,
        args=(field.key,) if on_change is not None else None,
    )
    if field.spec.control == "range":
        low, high = chosen
        return (float(low), float(high))
    return float(chosen)


def _float_value(value: WidgetValue) -> float | tuple[float, float]:
    """A slider's value as floats (a whole number in a file would make Streamlit's
    value and bounds different types)."""
    if isinstance(value, tuple):
        low, high = value
        return (float(low), float(high))
    return float(cast(float, value))


def render_field(
    field: BoundField,
    scenario: Scenario,
    language: Language,
    current: WidgetValue | None = None,
    on_change: Callable[[str], None] | None = None,
) -> WidgetValue:
    """Draw the widget of one field (its value comes from session state by key).

    ``current`` is the widget's value in session state, if any: a listed
    slider offers it as a position. ``on_change`` is called with the widget's
    key when the user moves a slider (the channel mix rebalances).
    """
    spec = field.spec
    label = field_label(field, language, scenario, escape_markdown)
    help_text = field_help(field, language, scenario, escape_markdown)
    # The value in session state is also the widget's default (``cxcost.ui.held``); for a
    # slider it spares Streamlit a walk through the whole session state (``value=None``).
    shown = current if current is not None else field.value
    if spec.control == "select":
        options = list(spec.options)
        if field.value not in options:
            options.append(str(field.value))
        return str(
            st.selectbox(
                label,
                options,
                index=index_of(str(shown), options),
                key=field.key,
                help=help_text,
                format_func=_option_label(language),
            )
        )
    if spec.control == "toggle":
        return bool(st.toggle(label, value=bool(shown), key=field.key, help=help_text))
    if spec.control == "number":
        if spec.integer:
            return int(
                st.number_input(
                    label,
                    min_value=int(field.low),
                    max_value=int(field.high),
                    value=int(cast(float, shown)),
                    step=int(spec.step),
                    key=field.key,
                    help=help_text,
                    format="%d",
                )
            )
        return float(
            st.number_input(
                label,
                min_value=float(field.low),
                max_value=float(field.high),
                value=float(cast(float, shown)),
                step=float(spec.step),
                key=field.key,
                help=help_text,
                format="%.0f" if spec.step >= 1 else "%.2f",
            )
        )
    if spec.integer:
        return int(
            st.slider(
                label,
                min_value=int(field.low),
                max_value=int(field.high),
                value=int(cast(float, shown)),
                step=int(spec.step),
                key=field.key,
                help=help_text,
                format=slider_printf(spec),
            )
        )
    if language not in PRINTF_LANGUAGES:
        return _listed_slider(field, label, help_text, language, current, on_change)
    value: Any = st.slider(
        label,
        min_value=float(field.low),
        max_value=float(field.high),
        value=_float_value(shown),
        step=float(spec.step),
        key=field.key,
        help=help_text,
        format=slider_printf(spec),
        on_change=on_change,
        args=(field.key,) if on_change is not None else None,
    )
    if spec.control == "range":
        low, high = value
        return (float(low), float(high))
    return float(value)


def _render_group(
    fields: list[BoundField],
    scenario: Scenario,
    language: Language,
    current: Mapping[str, Any] | None = None,
) -> dict[str, WidgetValue]:
    now = current or {}
    return {
        field.key: render_field(field, scenario, language, now.get(field.key)) for field in fields
    }


def _lazy_group(
    title: str,
    name: str,
    fields: list[BoundField],
    scenario: Scenario,
    language: Language,
    current: Mapping[str, Any] | None,
) -> tuple[dict[str, WidgetValue], DeltaGenerator | None]:
    """A collapsed group (``closed_group``) of ``fields``, drawn only while it is open.

    Returns the group's values and, if it is open, its container (for more content).
    """
    group = closed_group(title, group_key(name), (f.key for f in fields))
    if group is None:
        return _kept_values(fields), None
    with group:
        return _render_group(fields, scenario, language, current), group


def _kept_values(fields: list[BoundField]) -> dict[str, WidgetValue]:
    """The values of a closed group's fields, as session state keeps them."""
    state = st.session_state
    return {f.key: state.get(f.key, f.value) for f in fields}


def _profile(scenario: Scenario, language: Language, group: DeltaGenerator | None) -> list[float]:
    """The arrival profile: from the table in the open demand group, else as last edited.

    Streamlit forgets a table's edits in a run that does not draw it, so while the
    group is closed the edited profile becomes the base the table starts from.
    """
    state = st.session_state
    base: list[float] = state.get(PROFILE_BASE_KEY) or list(scenario.demand.arrival_profile)
    if group is not None:
        with group:
            profile = render_profile_editor(base, language)
        state[PROFILE_VALUE_KEY] = profile
        return profile
    profile = list(state.get(PROFILE_VALUE_KEY) or base)
    state[PROFILE_BASE_KEY] = profile
    return profile


def render_profile_editor(base: list[float], language: Language) -> list[float]:
    """The 7 x 24 arrival profile as an editable table (rows = hours, columns = days).

    ``base`` is the profile the table starts from; the table's edits are on top.
    """
    st.caption(escape_markdown(t("profile.help", language)))
    grid = pd.DataFrame(profile_grid(base), columns=_DAY_COLUMNS)
    grid.index.name = t("profile.hour", language)
    columns = {
        column: st.column_config.NumberColumn(
            t(f"day.{day}", language), min_value=0.0, format="%.2f", width="small"
        )
        for day, column in enumerate(_DAY_COLUMNS)
    }
    edited = st.data_editor(
        grid, key=PROFILE_KEY, column_config=columns, num_rows="fixed", height=300
    )
    rows = edited.astype(float).to_numpy().tolist()
    profile = profile_from_grid(rows)
    open_hours = sum(1 for w in profile if w > 0)
    st.caption(t("profile.open_hours", language, hours=open_hours))
    return profile


def render_scenario_words(language: Language) -> dict[str, WidgetValue]:
    """The scenario's name, client and description, at the top of the sidebar.

    A closed group (``closed_group``): they are set once per scenario, not moved.
    """
    keys = [widget_key(name) for name in TEXT_FIELDS]
    group = closed_group(t("group.scenario", language), group_key("scenario"), keys)
    if group is None:
        state = st.session_state
        return {key: str(state.get(key, "")) for key in keys}
    values: dict[str, WidgetValue] = {}
    with group:
        for name in TEXT_FIELDS:
            key = widget_key(name)
            label = t(f"field.{name}", language)
            # The held text is the default (``cxcost.ui.held``), not an empty box.
            text = str(held(key, ""))
            if name == "description":
                values[key] = st.text_area(label, text, key=key, max_chars=2000, height=90)
            else:
                values[key] = st.text_input(
                    label, text, key=key, max_chars=120, help=t(f"help.{name}", language)
                )
    return values


def mix_caption(scenario: Scenario, shares: Mapping[str, float], language: Language) -> str:
    """The channel mix in one line, e.g. "Phone 40 % · Chat 37 % · E-mail 23 % = 100 %"."""
    parts = []
    for index, channel in enumerate(scenario.channels):
        share = shares.get(widget_key(f"channels.{index}.share_of_contacts"), 0.0)
        number = format_count(share, language)
        parts.append(f"{escape_markdown(channel.name)} {number} %")
    total = format_number(round(sum(shares.values()), 6), language)
    return t("mix.caption", language, mix=" · ".join(parts), total=total)


def _render_mix(
    mix: list[BoundField],
    scenario: Scenario,
    language: Language,
    current: Mapping[str, Any] | None,
    on_mix_change: Callable[[str], None] | None,
) -> dict[str, WidgetValue]:
    """The channel shares, a closed group (``closed_group``), with the rule they keep."""
    group = closed_group(t("group.mix", language), group_key("mix"), (f.key for f in mix))
    if group is None:
        return _kept_values(mix)
    values: dict[str, WidgetValue] = {}
    with group:
        for field in mix:
            values[field.key] = render_field(
                field,
                scenario,
                language,
                (current or {}).get(field.key),
                on_mix_change if len(mix) > 1 else None,
            )
        shares = {key: float(v) for key, v in values.items() if isinstance(v, int | float)}
        st.caption(mix_caption(scenario, shares, language))
    return values


def render_inputs(
    scenario: Scenario,
    language: Language,
    current: Mapping[str, Any] | None = None,
    on_mix_change: Callable[[str], None] | None = None,
) -> SidebarInputs:
    """Every input of ``scenario`` in the sidebar, grouped; returns the values read.

    The levers' groups are drawn empty, for ``render_levers`` to fill (see
    ``SidebarInputs``).

    Parameters
    ----------
    scenario : the loaded scenario; it decides which fields exist (channels and
        their kinds) and the widgets' bounds, while the values come from session
        state by key
    language : label language
    current : the widgets' current values by key (a plan applied beyond a
        slider's range widens it)
    on_mix_change : called with a channel share's key when it moves (the app
        rebalances the other shares, ``cxcost.ui.fields.rebalance_mix``)
    """
    fields = list(bound_fields(scenario, current))
    if inputs_later("inputs", INPUTS_PLACEHOLDER_HEIGHT, language):
        # A session's first run: the values as session state holds them (cxcost.ui.pending).
        keep_widget_values(f.key for f in fields)
        return SidebarInputs(_kept_values(fields), _profile(scenario, language, None))

    def of(group: Group, channel: int | None = None) -> list[BoundField]:
        return [f for f in fields if f.spec.group == group and f.channel_index == channel]

    values: dict[str, WidgetValue] = {}
    with st.expander(t("group.staffing", language), expanded=True):
        staffing = st.container()
    values |= _lazy_group(
        t("group.staff", language), "staff", of("staffing"), scenario, language, current
    )[0]
    with st.expander(t("group.training", language), expanded=True):
        training = st.container()
    values |= _lazy_group(
        t("group.practices", language), "practices", of("practices"), scenario, language, current
    )[0]
    values |= _lazy_group(
        t("group.business", language), "business", of("business"), scenario, language, current
    )[0]
    demand, demand_group = _lazy_group(
        t("group.demand", language), "demand", of("demand"), scenario, language, current
    )
    values |= demand
    profile = _profile(scenario, language, demand_group)
    mix = [f for f in fields if f.spec.mix]
    if mix:
        values |= _render_mix(mix, scenario, language, current, on_mix_change)
    for index, channel in enumerate(scenario.channels):
        kind = t(f"channel_kind.{channel.kind}", language)
        name = escape_markdown(channel.name)
        title = (
            t("group.channel_named_by_kind", language, name=name)
            if channel.name.casefold() == kind.casefold()
            else t("group.channel", language, name=name, kind=kind)
        )
        channel_fields = [
            f
            for f in fields
            if f.spec.group == "channel" and f.channel_index == index and not f.spec.mix
        ]
        values |= _lazy_group(
            title, f"channel-{index}", channel_fields, scenario, language, current
        )[0]
    groups: tuple[Group, ...] = ("quality", "churn", "uncertainty")
    for group in groups:
        values |= _lazy_group(
            t(f"group.{group}", language), group, of(group), scenario, language, current
        )[0]
    return SidebarInputs(values, profile, LeverSlots(staffing, training))


def render_levers(
    slots: LeverSlots,
    scenario: Scenario,
    language: Language,
    current: Mapping[str, Any] | None = None,
) -> dict[str, WidgetValue]:
    """The levers (``is_lever``) in the sidebar's open groups; returns their values.

    Called from the app's results fragment (``cxcost.ui.app``): moving a lever reruns
    that fragment alone, and the rest of the sidebar is neither drawn again nor sent.
    The parameters are ``render_inputs``'s.
    """
    levers = lever_fields(scenario, current)
    with slots.staffing:
        values = _render_group(
            [f for f in levers if f.spec.group == "staffing"], scenario, language, current
        )
    with slots.training:
        values |= _render_group(
            [f for f in levers if f.spec.group == "training"], scenario, language, current
        )
    return values
