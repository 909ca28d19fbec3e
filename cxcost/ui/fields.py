"""Which widget edits which Scenario field, in which unit, and the way back.

Pure Python (no streamlit), so the mapping between widget values and a
Scenario is tested on its own:

- ``widget_values(scenario)`` gives every widget's value for a scenario,
  keyed by the widget key (shares in %, handle times in minutes, ...);
- ``scenario_from_widgets(base, values)`` builds and validates the scenario
  those values describe, raising ``ScenarioError`` with every problem;
- ``rebalance_mix`` keeps the channel mix at 100 % when one share moves;
- ``problem_text`` words a problem for a manager: the field's label and the
  value and range in the widget's units.

The Assumptions tab lists the inputs with ``cxcost.report.content``, as the
exports do.

A widget shows a value in display units: ``display = model value x scale``.
Converting back rounds away the floating-point noise of the scaling, so
``scenario_from_widgets(s, widget_values(s)) == s`` for every preset.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from cxcost.dotted import get_path, set_path
from cxcost.i18n import (
    Language,
    currency_label,
    format_number,
    t,
)
from cxcost.inputs import ALL_KINDS, Group, InputField, Kind, Widget, input_fields
from cxcost.presets import BASELINE_KEY, Problem, ScenarioError
from cxcost.report.content import shown_source
from cxcost.scenario import HOURS_PER_WEEK, Scenario

Control = Widget
WidgetValue = bool | float | int | str | tuple[float, float]

KEY_PREFIX: Final = "in."
PROFILE_KEY: Final = "in.demand.arrival_profile"
PROFILE_BASE_KEY: Final = "_profile_base"
"""The 168-hour profile the profile table starts from (its edits are on top)."""
PROFILE_VALUE_KEY: Final = "_profile"
"""The profile the table held when last drawn: the one in force while it is hidden."""
TEXT_FIELDS: Final = ("name", "client", "description")
"""The scenario's own words, edited at the top of the sidebar (``in.name`` ...)."""
_BACK_DIGITS = 10
MAX_SLIDER_OPTIONS: Final = 2001
"""Most positions a listed slider offers; a wider range steps more coarsely."""


@dataclass(frozen=True)
class FieldSpec:
    """One editable Scenario field.

    Attributes
    ----------
    path : dotted path; ``*`` stands for a channel's index
    group : sidebar group
    control : slider, number input, select box or range slider
    scale : display value = model value x scale (100 for %, 1/60 for s -> min)
    low, high, step : slider or number-input bounds in display units; a value
        outside them widens them (never beyond the model's limits)
    kinds : channel kinds the field applies to (channel fields only)
    integer : whole numbers only
    options : choices of a select box
    label_variant : suffix of the label key for this unit variant (e.g. "email")
    grow : for representatives, the slider reaches at least ``grow`` x the value
    help_key : message key of the help text
    mix : one channel's part of a whole that adds up to 100 % (``Input.mix``)

    The specs are derived from the scenario fields' ``cxcost.inputs.Input``.
    """

    path: str
    group: Group
    control: Control
    scale: float = 1.0
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    kinds: frozenset[Kind] = ALL_KINDS
    integer: bool = False
    options: tuple[str, ...] = ()
    label_variant: str = ""
    grow: float = 0.0
    help_key: str = ""
    mix: bool = False


def _field_specs() -> Iterator[FieldSpec]:
    """One spec per editable field and display variant, from the fields' ``Input``."""
    for field in input_fields(Scenario):
        spec, group = field.spec, field.group
        if spec.widget is None or group is None:
            continue
        displays = ((spec.kinds, spec.display), *spec.variants)
        for kinds, display in displays:
            yield FieldSpec(
                field.path,
                group,
                spec.widget,
                display.scale,
                display.low,
                display.high,
                display.step,
                kinds=kinds,
                integer=field.integer,
                options=field.options,
                label_variant=display.label_variant,
                grow=spec.grow,
                help_key=field.help_key,
                mix=spec.mix,
            )


FIELDS: Final[tuple[FieldSpec, ...]] = tuple(_field_specs())
"""Every field a user can edit in the sidebar, in display order within each group."""


@dataclass(frozen=True)
class BoundField:
    """A FieldSpec bound to a scenario: concrete path, widget key, value and bounds."""

    spec: FieldSpec
    path: str
    key: str
    channel_index: int | None
    value: WidgetValue
    low: float
    high: float


def is_lever(field: BoundField | FieldSlot) -> bool:
    """Whether ``field`` is one of the levers a manager moves: a channel's
    representatives or the training (the sidebar's two open groups)."""
    group = field.spec.group
    return group == "training" or (group == "staffing" and field.channel_index is not None)


@dataclass(frozen=True)
class FieldSlot:
    """A FieldSpec placed in a scenario of given channel kinds: its concrete path and
    widget key, before any value is read (``field_slots``)."""

    spec: FieldSpec
    path: str
    key: str
    channel_index: int | None


@functools.lru_cache(maxsize=64)
def field_slots(kinds: tuple[Kind, ...]) -> tuple[FieldSlot, ...]:
    """Every editable field of a scenario whose channels are of ``kinds``, in order.

    Which fields a scenario has depends on its channels' kinds alone, so a slider
    move, which changes values only, finds them here instead of placing every spec
    again. Channel fields are repeated per channel and left out where they do not
    apply (e.g. patience for e-mail).
    """
    slots: list[FieldSlot] = []
    for spec in FIELDS:
        if spec.path.startswith("channels.*."):
            for index, kind in enumerate(kinds):
                if kind in spec.kinds:
                    path = spec.path.replace("*", str(index))
                    slots.append(FieldSlot(spec, path, widget_key(path), index))
        else:
            slots.append(FieldSlot(spec, spec.path, widget_key(spec.path), None))
    return tuple(slots)


def _slots(scenario: Scenario) -> tuple[FieldSlot, ...]:
    return field_slots(tuple(channel.kind for channel in scenario.channels))


def widget_key(path: str) -> str:
    """The stable widget key of a concrete field path, e.g. ``in.channels.0.representatives``."""
    return f"{KEY_PREFIX}{path}"


def _to_display(value: float, spec: FieldSpec) -> float | int:
    if spec.integer:
        return int(value)
    return round(float(value) * spec.scale, 9)


def _to_model(value: float, spec: FieldSpec) -> float | int:
    if spec.integer:
        return int(value)
    return round(float(value) / spec.scale, _BACK_DIGITS)


def _bounds(spec: FieldSpec, shown: list[float], current: list[float]) -> tuple[float, float]:
    """Widget bounds: the spec's, widened to include the loaded and the current value(s).

    Representatives reach ``grow`` x the loaded value. The bounds only depend on
    the loaded scenario while the current value stays inside them, so a
    slider keeps its identity as it moves.
    """
    low = min([spec.low, *shown, *current])
    high = max([spec.high, *shown, *current])
    if spec.grow:
        high = max(high, *(math.ceil(v * spec.grow / 10.0) * 10.0 for v in shown))
    return low, high


def _bind(slot: FieldSlot, scenario: Scenario, current: WidgetValue | None) -> BoundField:
    spec, path, key, index = slot.spec, slot.path, slot.key, slot.channel_index
    raw = get_path(scenario, path)
    value: WidgetValue
    if spec.control == "select":
        return BoundField(spec, path, key, index, str(raw), 0.0, 0.0)
    if spec.control == "toggle":
        return BoundField(spec, path, key, index, bool(raw), 0.0, 0.0)
    if spec.control == "range":
        value = (float(_to_display(raw.low, spec)), float(_to_display(raw.high, spec)))
        now = list(current) if isinstance(current, tuple) else []
        low, high = _bounds(spec, list(value), now)
        return BoundField(spec, path, key, index, value, low, high)
    value = _to_display(raw, spec)
    now = [float(current)] if isinstance(current, int | float) else []
    low, high = _bounds(spec, [float(value)], now)
    return BoundField(spec, path, key, index, value, low, high)


def bound_fields(
    scenario: Scenario, current: Mapping[str, Any] | None = None
) -> Iterator[BoundField]:
    """Every editable field of ``scenario`` with its widget key and display value.

    Channel fields are repeated per channel and left out where they do not
    apply (e.g. patience for e-mail).

    Parameters
    ----------
    scenario : the loaded scenario: it decides the fields, values and bounds
    current : current widget values by key; a value outside the bounds widens them
    """
    now = current or {}
    for slot in _slots(scenario):
        yield _bind(slot, scenario, now.get(slot.key))


def lever_fields(scenario: Scenario, current: Mapping[str, Any] | None = None) -> list[BoundField]:
    """The levers (``is_lever``) of ``bound_fields``, the others left unread."""
    now = current or {}
    return [_bind(slot, scenario, now.get(slot.key)) for slot in _slots(scenario) if is_lever(slot)]


def widget_keys(scenario: Scenario) -> list[str]:
    """The keys of ``widget_values(scenario)``, in the same order, without reading a value."""
    return [widget_key(name) for name in TEXT_FIELDS] + [slot.key for slot in _slots(scenario)]


def widget_values(scenario: Scenario) -> dict[str, WidgetValue]:
    """The value of every input widget for ``scenario``, keyed by widget key.

    The arrival profile is edited in a table and is not part of this mapping;
    the name, client and description are (``TEXT_FIELDS``).
    """
    values: dict[str, WidgetValue] = {
        widget_key(name): str(getattr(scenario, name)) for name in TEXT_FIELDS
    }
    return values | {field.key: field.value for field in bound_fields(scenario)}


def scenario_from_widgets(
    base: Scenario, values: Mapping[str, WidgetValue], arrival_profile: list[float] | None = None
) -> Scenario:
    """The scenario the widgets describe: ``base`` with every widget value applied.

    Parameters
    ----------
    base : the loaded scenario (its name, sources and channel kinds are kept)
    values : widget values keyed by widget key; missing keys keep the base value
    arrival_profile : the edited 168-hour profile, or None to keep the base's

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Every problem, each with the field path and a message naming the value.
    """
    data = base.model_dump()
    for name in TEXT_FIELDS:
        text = values.get(widget_key(name))
        if isinstance(text, str):
            data[name] = text.strip()
    for slot in _slots(base):
        if slot.key not in values:
            continue
        value = values[slot.key]
        spec = slot.spec
        if spec.control in ("select", "toggle"):
            set_path(data, slot.path, value)
        elif isinstance(value, tuple):
            low, high = value
            set_path(data, slot.path, {"low": _to_model(low, spec), "high": _to_model(high, spec)})
        elif not isinstance(value, str):
            set_path(data, slot.path, _to_model(value, spec))
    if arrival_profile is not None:
        data["demand"]["arrival_profile"] = [float(w) for w in arrival_profile]
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError.from_validation_error(error) from None


def with_plan(
    values: Mapping[str, WidgetValue], representatives: list[float], training_hours: float
) -> dict[str, WidgetValue]:
    """Widget values with a staffing and training plan applied (optimiser's "apply")."""
    updated = dict(values)
    for index, reps in enumerate(representatives):
        updated[widget_key(f"channels.{index}.representatives")] = round(float(reps), 9)
    updated[widget_key("training.hours_per_rep_per_year")] = round(float(training_hours), 9)
    return updated


def _template(path: str) -> str:
    return re.sub(r"\.\d+\.", ".*.", path)


def field_label(
    field: BoundField | str,
    language: Language,
    scenario: Scenario,
    escape: Callable[[str], str] = str,
) -> str:
    """The translated label of a field, with its unit and the scenario currency.

    ``escape`` is applied to the channel name, the one part that comes from
    the preset (e.g. ``escape_markdown`` for a widget label).
    """
    if isinstance(field, BoundField):
        path, variant = field.path, field.spec.label_variant
    else:
        path, variant = field, ""
    template = _template(path)
    key = f"field.{template}" + (f".{variant}" if variant else "")
    match = re.match(r"channels\.(\d+)\.", path)
    channel = escape(scenario.channels[int(match.group(1))].name) if match else ""
    currency = currency_label(scenario.business.currency, language)
    return t(key, language, currency=currency, channel=channel)


def field_help(
    field: BoundField, language: Language, scenario: Scenario, escape: Callable[[str], str] = str
) -> str:
    """Help text: what the input means, and the source of its value (passed through ``escape``)."""
    key = field.spec.help_key
    source = escape(source_of(field.path, scenario, language))
    return f"{t(key, language)}\n\n{t('source.label', language, source=source)}"


def source_of(path: str, scenario: Scenario, language: Language) -> str:
    """Where the value of ``path`` comes from: the preset's ``sources`` entry, if any.

    Sources of a range's ends (``path.low``, ``path.high``) are joined.
    """
    found = [
        text for key, text in scenario.sources.items() if key == path or key.startswith(f"{path}.")
    ]
    if found:
        return "; ".join(dict.fromkeys(shown_source(text, language) for text in found))
    return t("source.default", language)


def profile_grid(profile: list[float]) -> list[list[float]]:
    """The 168-hour profile as 24 rows (hours) x 7 columns (Monday..Sunday)."""
    return [[profile[day * 24 + hour] for day in range(7)] for hour in range(24)]


def profile_from_grid(grid: list[list[float]]) -> list[float]:
    """Back from 24 x 7 (hours x days) to the 168-hour list, Monday 00:00 first.

    Empty cells (None or NaN) count as closed (0).
    """
    profile = [0.0] * HOURS_PER_WEEK
    for hour, row in enumerate(grid):
        for day, weight in enumerate(row):
            number = float(weight) if weight is not None else 0.0
            profile[day * 24 + hour] = number if math.isfinite(number) else 0.0
    return profile


def slider_decimals(spec: FieldSpec) -> int:
    """Decimals a slider shows: those of its step (0.5 -> 1, 0.25 -> 2, 1 -> 0).

    Examples
    --------
    >>> slider_decimals(FieldSpec("x", "business", "slider", step=0.05))
    2
    """
    if spec.integer:
        return 0
    text = f"{spec.step:.6f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def slider_suffix(spec: FieldSpec, language: Language) -> str:
    """What follows a slider's number: " %" / "%" for a percentage, "×" for a multiplier."""
    if spec.scale == 100.0:
        return " %" if language == "nb" else "%"
    if spec.control == "range":
        return "×"
    return ""


def slider_text(value: float, spec: FieldSpec, language: Language) -> str:
    """A slider position as people read it in ``language`` (Babel: "26,5", "30,0 %").

    Examples
    --------
    >>> spec = FieldSpec("x", "quality", "slider", scale=100.0, step=0.5)
    >>> slider_text(8.5, spec, "nb"), slider_text(8.5, spec, "en")
    ('8,5 %', '8.5%')
    """
    return f"{_number_text(value, language, slider_decimals(spec))}{slider_suffix(spec, language)}"


@functools.lru_cache(maxsize=65_536)
def _number_text(value: float, language: Language, decimals: int) -> str:
    """Babel's text of a slider position, kept: a Norwegian sidebar lists ~10,000 of them
    on every rerun (about 100 ms of CPU uncached, a few ms cached)."""
    return format_number(value, language, decimals)


def slider_printf(spec: FieldSpec) -> str:
    """The printf format of an English slider, as ``slider_text`` writes it in English."""
    suffix = slider_suffix(spec, "en").replace("%", "%%")
    return f"%.{slider_decimals(spec)}f{suffix}" if not spec.integer else f"%d{suffix}"


def slider_options(field: BoundField, current: WidgetValue | None = None) -> list[float]:
    """The positions of a listed slider: its step grid over its bounds, plus the loaded and
    the current value(s) where they fall between steps (a plan, a preset's own value).

    At most about ``MAX_SLIDER_OPTIONS`` grid positions: a wider range takes a
    multiple of the step.
    """
    spec = field.spec
    step = spec.step
    count = math.floor((field.high - field.low) / step + 1e-9) + 1
    if count > MAX_SLIDER_OPTIONS:
        step *= math.ceil(count / MAX_SLIDER_OPTIONS)
        count = math.floor((field.high - field.low) / step + 1e-9) + 1
    grid = {round(field.low + i * step, 9) for i in range(count)}
    grid.add(round(field.high, 9))
    for value in (field.value, current):
        # As held in session state, unrounded: the widget's value must be one of them.
        if isinstance(value, tuple):
            grid.update(float(v) for v in value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            grid.add(float(value))
    return sorted(grid)


def mix_keys(scenario: Scenario) -> list[str]:
    """Widget keys of the channel shares (``Input.mix``), in channel order."""
    return [field.key for field in bound_fields(scenario) if field.spec.mix]


def rebalance_mix(
    shares: Mapping[str, float], moved: str, step: float = 1.0, total: float = 100.0
) -> dict[str, float]:
    """The channel shares after one moved: the others take up the rest in proportion.

    Parameters
    ----------
    shares : every channel's share [%] by widget key, the moved one at its new value
    moved : widget key of the share the user moved
    step : the sliders' step [%]; the others are rounded to it, and what rounding
        leaves over goes to the largest of them, so the sum is exactly ``total``
    total : what the shares add up to [%]

    Returns
    -------
    dict
        Every share by key; the moved one kept (at most ``total``), unless it is
        the only channel, which always holds ``total``.

    Examples
    --------
    >>> rebalance_mix({"phone": 40.0, "chat": 40.0, "email": 25.0}, "phone")
    {'phone': 40.0, 'chat': 37.0, 'email': 23.0}
    """
    others = [key for key in shares if key != moved]
    if not others:
        return {moved: total}
    value = min(max(float(shares[moved]), 0.0), total)
    rest = total - value
    weight = sum(max(float(shares[key]), 0.0) for key in others)
    raw = {
        key: rest * max(float(shares[key]), 0.0) / weight if weight > 0 else rest / len(others)
        for key in others
    }
    rounded = {key: round(float(round(share / step)) * step, 9) for key, share in raw.items()}
    largest = max(others, key=lambda key: raw[key])
    rounded[largest] = round(rest - sum(v for k, v in rounded.items() if k != largest), 9)
    if rounded[largest] < 0:  # rounding took more than the rest: keep the exact split
        rounded = {key: round(share, 9) for key, share in raw.items()}
    return {key: value if key == moved else rounded[key] for key in shares}


def _input_field(path: str) -> InputField | None:
    template = _template(f"{path}.").removesuffix(".")
    return next((field for field in input_fields(Scenario) if field.path == template), None)


def _limit(field: InputField, name: str) -> float | None:
    for item in field.info.metadata:
        value = getattr(item, name, None)
        if isinstance(value, int | float):
            return float(value)
    return None


def _bound(path: str, scenario: Scenario) -> BoundField | None:
    """The widget of a concrete path in ``scenario`` (its channel's kind decides the variant)."""
    return next((field for field in bound_fields(scenario) if field.path == path), None)


def problem_text(problem: Problem, scenario: Scenario, language: Language) -> str:
    """One problem as a manager reads it: the field's label, value and range in the UI's units.

    A number outside its field's limits is re-worded in the widget's units
    (minutes, %, hours for e-mail) with the label the sidebar shows; any other
    problem keeps the loader's message behind the field's label. A baseline's
    problem (path ``baseline.``...) says so.

    Parameters
    ----------
    problem : from a ``ScenarioError``
    scenario : the scenario the paths refer to (channel names and kinds)
    language : "en" or "nb"
    """
    path = problem.path
    in_baseline = path == BASELINE_KEY or path.startswith(f"{BASELINE_KEY}.")
    if in_baseline:
        path = path.removeprefix(BASELINE_KEY).removeprefix(".")
    bound = _bound(path, scenario) if path else None
    label = (
        field_label(bound, language, scenario)
        if bound is not None
        else _problem_label(path, scenario, language)
    )
    match = re.match(r"channels\.(\d+)\.", path)
    if match and int(match.group(1)) < len(scenario.channels):
        channel = scenario.channels[int(match.group(1))].name
        label = label if channel in label else f"{channel}: {label}"
    message = problem.text(language)
    field = _input_field(path) if bound is not None else None
    low = _limit(field, "ge") if field is not None else None
    high = _limit(field, "le") if field is not None else None
    if bound is not None and low is not None and high is not None:
        spec = bound.spec

        def shown(number: float) -> str:
            scaled = number * spec.scale
            return format_number(scaled, language, 0 if float(scaled).is_integer() else 2)

        value = problem.value
        number = float(value) if isinstance(value, int | float) else None
        finite = number is not None and math.isfinite(number) and not isinstance(value, bool)
        if finite and number is not None and not low <= number <= high:
            message = t(
                "problem.outside", language, value=shown(number), low=shown(low), high=shown(high)
            )
        elif problem.allowed_key or _MODEL_RANGE in problem.message:
            # Any other mistake (text, NaN): the loader's range is in the model's units.
            allowed = t("problem.allowed", language, low=shown(low), high=shown(high))
            message = f"{problem.head(language)}; {allowed}"
    text = t("app.invalid_field", language, field=label, message=message) if label else message
    return t("problem.baseline", language, problem=text) if in_baseline else text


_MODEL_RANGE: Final = "; allowed range "
"""How the loader's messages (``cxcost.presets.problems``) start a field's range."""


def _problem_label(path: str, scenario: Scenario, language: Language) -> str:
    """The label of the field a problem is about (a range's end names its range)."""
    candidates = [path, path.rsplit(".", 1)[0]] if "." in path else [path]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return field_label(candidate, language, scenario)
        except (KeyError, IndexError, ValueError):
            continue
    return path
