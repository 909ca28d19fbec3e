"""What each scenario input is beyond its type and limits: unit, display, widget, help.

Every field of ``cxcost.scenario`` carries its facts in one place, the field
itself: the type and limits in ``Field(...)``, the meaning in its
description, and the rest in one ``Input`` in its ``Annotated`` metadata::

    handle_time_seconds: Annotated[
        float, Input("s", "slider", Display(MINUTES, 0.25, 30, 0.25))
    ] = Field(360.0, ge=10, le=7200, description="Mean handle time per contact, talk + wrap-up")

The sidebar's widgets (``cxcost.ui.fields``), the Assumptions table and the
exports' inputs (``cxcost.report.content``) and the validation messages
(``cxcost.presets.problems``) are derived from it, so a new input is one
edit here plus its label and help text in the catalogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args, get_origin

from pydantic import BaseModel, GetJsonSchemaHandler
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Widget = Literal["slider", "number", "select", "range", "toggle"]
Group = Literal[
    "business",
    "demand",
    "channel",
    "staffing",
    "training",
    "practices",
    "quality",
    "churn",
    "uncertainty",
]
Kind = Literal["phone", "chat", "email", "in_person"]

PERCENT: Final = 100.0
"""Display scale of a share shown in % [% per share]."""
MINUTES: Final = 1.0 / 60.0
"""Display scale of seconds shown in minutes [min/s]."""
HOURS: Final = 1.0 / 3600.0
"""Display scale of seconds shown in hours [h/s]."""
HOURS_PER_MINUTE: Final = 1.0 / 60.0
"""Display scale of minutes shown in hours [h/min]."""
SHARE_UNITS: Final = frozenset({"share 0-1", "0-1", "share/year"})
"""Units of values that are shares of 1 (shown in %, entered as 0.3 for 30 %)."""
ALL_KINDS: Final[frozenset[Kind]] = frozenset({"phone", "chat", "email", "in_person"})
REMOTE: Final[frozenset[Kind]] = frozenset({"phone", "chat", "email"})
"""Channels with a queue or a backlog: the contact centre's (not in person)."""
QUEUED: Final[frozenset[Kind]] = frozenset({"phone", "chat"})
"""Channels where a customer waits on the line and may hang up."""
EMAIL: Final[frozenset[Kind]] = frozenset({"email"})
CHAT: Final[frozenset[Kind]] = frozenset({"chat"})


@dataclass(frozen=True)
class Display:
    """How a widget shows a value: ``display = model value x scale``.

    Attributes
    ----------
    scale : display value per model value (100 for %, 1/60 for s -> min)
    low, high, step : widget bounds and step in display units; a value outside
        them widens them (never beyond the field's limits)
    label_variant : suffix of the label key for this display (e.g. "email" for hours)
    """

    scale: float = 1.0
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    label_variant: str = ""


@dataclass(frozen=True)
class Input:
    """The facts about one input that its type and ``Field`` limits do not hold.

    Attributes
    ----------
    unit : the model's unit, as the exports show it beside the value, e.g. "s",
        "currency/year", "share 0-1"; "" for names and choices
    widget : the sidebar control; None when the sidebar does not edit the field
    display : the widget's display scale and bounds
    group : sidebar group; None means the model section's (``channels`` -> "channel")
    kinds : channel kinds the widget applies to (channel fields only)
    variants : other displays for some channel kinds, e.g. e-mail answer times in hours
    options : choices of a select box; empty means the field's ``Literal`` values
    grow : for representatives, the slider reaches at least ``grow`` x the loaded value
    help_key : message key of the help text; "" means ``help.<field path>``
    mix : the field is each channel's part of one whole (shares adding up to
        100 %): the sidebar shows these together as one control that keeps the sum
    """

    unit: str = ""
    widget: Widget | None = None
    display: Display = Display()
    group: Group | None = None
    kinds: frozenset[Kind] = ALL_KINDS
    variants: tuple[tuple[frozenset[Kind], Display], ...] = ()
    options: tuple[str, ...] = ()
    grow: float = 0.0
    help_key: str = ""
    mix: bool = False

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The published JSON Schema names the unit: ``x-unit``."""
        schema = handler(core_schema)
        if self.unit:
            schema["x-unit"] = self.unit
        return schema


NO_INPUT: Final = Input()
_SECTION_GROUPS: Final[dict[str, Group]] = {
    "business": "business",
    "demand": "demand",
    "channels": "channel",
    "staffing": "staffing",
    "training": "training",
    "practices": "practices",
    "quality": "quality",
    "churn": "churn",
    "uncertainty": "uncertainty",
}


def input_of(info: FieldInfo) -> Input:
    """The ``Input`` of a pydantic field, or an empty one (no unit, no widget)."""
    for item in info.metadata:
        if isinstance(item, Input):
            return item
    return NO_INPUT


def model_type(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds, itself or as a list item; None for plain values."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def literal_options(annotation: Any) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` annotation, in order; () for other types."""
    if get_origin(annotation) is Literal:
        return tuple(str(value) for value in get_args(annotation))
    return ()


@dataclass(frozen=True)
class InputField:
    """One leaf field of a model, found by ``input_fields``.

    Attributes
    ----------
    path : dotted path with ``*`` for a list index, e.g. ``channels.*.patience_seconds``
    info : the pydantic field
    spec : its ``Input``
    section : the top-level field it sits in, e.g. "channels", "business"
    """

    path: str
    info: FieldInfo
    spec: Input
    section: str

    @property
    def group(self) -> Group | None:
        """The sidebar group: the spec's, else the section's (None if not in the sidebar)."""
        if self.spec.widget is None:
            return None
        if self.spec.group is not None:
            return self.spec.group
        return _SECTION_GROUPS.get(self.section)

    @property
    def options(self) -> tuple[str, ...]:
        """Choices of a select box: the spec's, else the field's ``Literal`` values."""
        return self.spec.options or literal_options(self.info.annotation)

    @property
    def integer(self) -> bool:
        """Whether the field holds whole numbers."""
        return self.info.annotation is int

    @property
    def help_key(self) -> str:
        """Message key of the help text."""
        return self.spec.help_key or f"help.{self.path}"


def input_fields(
    model: type[BaseModel], prefix: str = "", section: str = ""
) -> Iterator[InputField]:
    """Every leaf field of ``model`` and its sub-models, in the model's order.

    A field that holds a model (or a list of models) is walked into; a ``Range``
    of the uncertainty section is a leaf when its ``Input`` has a widget.
    """
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        spec = input_of(info)
        inner = model_type(info.annotation)
        if inner is None or spec.widget is not None:
            yield InputField(path, info, spec, section or name)
            continue
        star = ".*" if get_origin(info.annotation) is list else ""
        yield from input_fields(inner, f"{path}{star}.", section or name)
