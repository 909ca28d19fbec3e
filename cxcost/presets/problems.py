"""Problems with a scenario, and messages that name the field, the value and the range.

The field introspection here walks :class:`~cxcost.scenario.Scenario`'s annotations
along a dotted path, so a message can give a field's limits; at most
``MAX_PROBLEMS`` problems and ``MAX_MESSAGE_CHARS`` characters are listed.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cxcost.dotted import is_index, split_path
from cxcost.i18n import Language, format_decimal_plain, t
from cxcost.inputs import SHARE_UNITS, input_of
from cxcost.scenario import RuleError, Scenario

MAX_PROBLEMS = 20
"""Most problems listed for one scenario; the rest are counted in one last line."""

MAX_MESSAGE_CHARS = 4000
"""Longest text of one ScenarioError [characters]; problems beyond it are counted."""


_MAX_SUGGESTIONS = 3
_MAX_PROBLEM_CHARS = 300
_MAX_PATH_PART_CHARS = 60


Values = tuple[tuple[str, str | float], ...]
"""A message's placeholders as (name, value) pairs; numbers are formatted per language."""


_ALLOWED_RANGE: Final = "; allowed range "
"""How an untranslated message starts its field's range."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, in plain words.

    Attributes
    ----------
    path : dotted field path, e.g. ``channels.0.representatives``; "" when the
        problem concerns the whole file or link
    message : what is wrong, with the value and the allowed range (English)
    value : the offending value as it was read, if any
    key : the message's key in the catalogs (``problem.*``), "" for a problem
        known only in English
    values : the key's placeholders
    allowed_key, allowed_values : the allowed range, a second message after "; "
    unit : the field's unit (``cxcost.inputs.Input.unit``), named after the range
    """

    path: str
    message: str
    value: object | None = None
    key: str = ""
    values: Values = ()
    allowed_key: str = ""
    allowed_values: Values = ()
    unit: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def head(self, language: Language) -> str:
        """What is wrong, in ``language``, without the allowed range."""
        if not self.key:
            return self.message.split(_ALLOWED_RANGE, 1)[0]
        return t(self.key, language, **_formatted(self.values, language))

    def text(self, language: Language) -> str:
        """What is wrong, in ``language``: the catalog's message, or ``message`` without a key.

        Examples
        --------
        >>> Problem("", "", key="problem.shares_sum", values=(("total", 95.5),)).text("nb")
        'kanalenes andeler av henvendelsene må bli 100 % til sammen, men blir 95,5 %'
        """
        if not self.key:
            return self.message
        text = t(self.key, language, **_formatted(self.values, language))
        if self.allowed_key:
            unit_key = _unit_key(self.unit)
            unit = f" {t(unit_key, language)}" if unit_key else ""
            allowed = t(
                self.allowed_key, language, unit=unit, **_formatted(self.allowed_values, language)
            )
            text = f"{text}; {allowed}"
        return text


def _formatted(values: Values, language: Language) -> dict[str, str]:
    return {
        name: value if isinstance(value, str) else format_decimal_plain(value, language)
        for name, value in values
    }


class ScenarioError(ValueError):
    """A scenario could not be read; ``problems`` lists the reasons, one per field.

    At most ``MAX_PROBLEMS`` problems (and ``MAX_MESSAGE_CHARS`` of text) are
    kept; the rest are counted in a last problem "and N more problems", so a
    hostile file cannot make a message of megabytes. ``str(error)`` gives one
    line per problem, ready to show to a user.

    Parameters
    ----------
    problems : the problems found
    more : problems found but not built (already over the cap), counted in
        the last line
    """

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        kept: list[Problem] = []
        size = 0
        for problem in problems:
            line = _cut(str(problem), _MAX_PROBLEM_CHARS)
            if len(kept) == MAX_PROBLEMS or size + len(line) > MAX_MESSAGE_CHARS - 100:
                break
            kept.append(problem)
            size += len(line) + 1
        left = len(problems) - len(kept) + more
        if left:
            noun = "problem" if left == 1 else "problems"
            kept.append(Problem("", f"and {left:,} more {noun}; fix the ones above first"))
        self.problems: list[Problem] = kept
        super().__init__("\n".join(_cut(str(p), _MAX_PROBLEM_CHARS) for p in kept))

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> ScenarioError:
        """Translate every error of a pydantic validation of a Scenario.

        Parameters
        ----------
        error : raised by ``Scenario.model_validate`` (or a part of Scenario
            validated at its own path)

        Returns
        -------
        ScenarioError
            One problem per pydantic error, with the dotted path, the input
            value and the allowed range taken from the field's limits.
        """
        details = error.errors()
        shown = [_problem_from_error(e) for e in details[:MAX_PROBLEMS]]
        return cls(shown, more=len(details) - len(shown))


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` around an annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@dataclass(frozen=True)
class _Slot:
    """What lives at a path: the annotation, and the FieldInfo if it is a model field."""

    annotation: Any
    info: FieldInfo | None = None


def _slot(parts: Sequence[str | int]) -> _Slot | None:
    """The annotation at ``parts`` below Scenario, or None if no such field exists.

    List indexes and dict keys are not checked against data, only against the
    type (any int for a list, any key for a dict).
    """
    slot = _Slot(Scenario)
    for part in parts:
        annotation = _unwrap(slot.annotation)
        origin = typing.get_origin(annotation)
        if _is_model(annotation):
            info = annotation.model_fields.get(str(part))
            if info is None:
                return None
            slot = _Slot(info.annotation, info)
        elif origin is list and (isinstance(part, int) or is_index(str(part))):
            slot = _item_slot(typing.get_args(annotation)[0])
        elif origin is dict:
            slot = _item_slot(typing.get_args(annotation)[1])
        else:
            return None
    return slot


def _item_slot(annotation: Any) -> _Slot:
    """The slot of a list item or dict value, with the limits of its ``Annotated`` type."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _Slot(annotation, FieldInfo.from_annotation(annotation))
    return _Slot(annotation)


def _field_names(parts: Sequence[str | int]) -> list[str]:
    """Names of the fields of the model at ``parts`` ([] if it is not a model)."""
    slot = _slot(parts)
    annotation = _unwrap(slot.annotation) if slot else None
    return list(annotation.model_fields) if _is_model(annotation) else []


def _limits(info: FieldInfo | None) -> dict[str, Any]:
    """The numeric and length limits of a field, keyed ge/gt/le/lt/min_length/max_length."""
    keys = ("ge", "gt", "le", "lt", "min_length", "max_length")
    return {
        key: getattr(item, key)
        for item in (info.metadata if info else [])
        for key in keys
        if getattr(item, key, None) is not None
    }


def _printable(text: str) -> str:
    """Text safe to print on one line: control characters and lone surrogates escaped."""
    return text if text.isprintable() else json.dumps(text)[1:-1]


def _show(value: object) -> str:
    """A value as a user typed it: 30000 not 30000.0, strings quoted, long ones cut."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # beyond Python's limit on digits for int -> str
            text = "a number with thousands of digits"
        return _cut(text)
    if value is None:
        return "null"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        text = text if text.isprintable() else json.dumps(value)
    elif isinstance(value, dict):
        return "an object {...}"
    elif isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    else:
        text = repr(value)
    return _cut(text)


def _cut(text: str, limit: int = 60) -> str:
    """Long values are cut so every problem stays one readable line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_UNIT_WORDS: Final[dict[str, str]] = {
    "s": "seconds",
    "min": "minutes",
    "h": "hours",
    "h/year": "hours a year",
    "months": "months",
    "years": "years",
    "FTE": "FTE",
    "customers": "customers",
    "contacts/year": "contacts a year",
    "x": "x the value",
    "x the value": "x the value",
    "x salary": "x the salary",
}


_UNIT_KEYS: Final[dict[str, str]] = {
    "s": "problem.unit.seconds",
    "min": "problem.unit.minutes",
    "h": "problem.unit.hours",
    "h/year": "problem.unit.hours_a_year",
    "months": "problem.unit.months",
    "years": "problem.unit.years",
    "FTE": "problem.unit.fte",
    "customers": "problem.unit.customers",
    "contacts/year": "problem.unit.contacts_a_year",
    "x": "problem.unit.times_the_value",
    "x the value": "problem.unit.times_the_value",
    "x salary": "problem.unit.times_the_salary",
    "currency": "problem.unit.currency",
    "currency/year": "problem.unit.currency_per_year",
    "currency/customer": "problem.unit.currency_per_customer",
    "currency/rep": "problem.unit.currency_per_rep",
    "currency/h": "problem.unit.currency_per_hour",
}


def _unit_key(unit: str) -> str:
    """The catalog key of the words after a range in a field's unit; "" for none."""
    if unit in SHARE_UNITS:
        return "problem.unit.share"
    return _UNIT_KEYS.get(unit, "")


def _unit_words(unit: str) -> str:
    """A field's unit (``cxcost.inputs.Input.unit``) as the words after its range."""
    if unit in SHARE_UNITS:
        return "(a share: 0.3 means 30 %)"
    if unit.startswith("currency"):
        per = unit.partition("/")[2]
        return "in the scenario's currency" + (f" per {per}" if per else "")
    return _UNIT_WORDS.get(unit, "")


def _range_text(limits: dict[str, Any], unit: str = "") -> str:
    """'allowed range 0 to 20000 FTE' style text, or '' when the field has no numeric limits."""
    words = _unit_words(unit)
    after = f" {words}" if words else ""
    if "ge" in limits and "le" in limits:
        return f"allowed range {_show(limits['ge'])} to {_show(limits['le'])}{after}"
    names = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}
    parts = [f"{word} {_show(limits[key])}" for key, word in names.items() if key in limits]
    return f"allowed: {', '.join(parts)}{after}" if parts else ""


def _with_range(message: str, limits: dict[str, Any], unit: str = "") -> str:
    allowed = _range_text(limits, unit)
    return f"{message}; {allowed}" if allowed else message


def _allowed(limits: dict[str, Any]) -> tuple[str, Values]:
    """The catalog key and values of a field's allowed range ("", () without limits)."""
    numbers = {key: v for key, v in limits.items() if isinstance(v, int | float)}
    if "ge" in numbers and "le" in numbers:
        return "problem.allowed_range", (("low", numbers["ge"]), ("high", numbers["le"]))
    for key, message in _ALLOWED_KEYS.items():
        if key in numbers:
            return message, (("bound", numbers[key]),)
    return "", ()


_ALLOWED_KEYS: Final = {
    "ge": "problem.allowed_ge",
    "gt": "problem.allowed_gt",
    "le": "problem.allowed_le",
    "lt": "problem.allowed_lt",
}
_BOUND_KEYS: Final = {
    "greater_than_equal": "problem.greater_than_equal",
    "greater_than": "problem.greater_than",
    "less_than_equal": "problem.less_than_equal",
    "less_than": "problem.less_than",
}


def _path_text(loc: Sequence[str | int]) -> str:
    return ".".join(_cut(_printable(str(part)), _MAX_PATH_PART_CHARS) for part in loc)


def _unknown_field_message(loc: Sequence[str | int], suggest: bool = True) -> str:
    """'unknown field' with the closest names; ``suggest=False`` skips the search."""
    if not suggest:
        return "unknown field"
    names = _field_names(loc[:-1])
    # No field name is longer than the cut: a long key cannot make the search slow.
    close = difflib.get_close_matches(str(loc[-1])[:_MAX_PATH_PART_CHARS], names, n=3, cutoff=0.5)
    if close:
        paths = [_path_text((*loc[:-1], name)) for name in close]
        return f"unknown field; did you mean {' or '.join(paths)}?"
    if names:
        return f"unknown field; fields here are {', '.join(names)}"
    return "unknown field"


def _refine_loc(loc: tuple[str | int, ...], message: str) -> tuple[str | int, ...]:
    """Point a model-level error at the field its message starts with, if it names one.

    ``quality: rude_share_floor (0.5) must not exceed ...`` becomes
    ``quality.rude_share_floor: ...``, so every problem names a field path.
    """
    first = message.split(" ", 1)[0].rstrip(":,;")
    if not re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)*", first):
        return loc
    for candidate in ((*loc, *split_path(first)), tuple(split_path(first))):
        if _slot(candidate) is not None and candidate != loc:
            return candidate
    return loc


_KIND_OF_VALUE = {
    "float": "a number",
    "int": "a whole number",
    "string": "text",
    "bool": "true or false",
    "list": "a list [...]",
    "dict": "an object {...}",
    "model": "an object {...}",
}
_KIND_KEYS = {
    "float": "problem.must_be_number",
    "int": "problem.must_be_whole_number",
    "string": "problem.must_be_text",
    "bool": "problem.must_be_bool",
    "list": "problem.must_be_list",
    "dict": "problem.must_be_object",
    "model": "problem.must_be_object",
}


def _problem_from_error(error: Any) -> Problem:
    """One pydantic error (a dict from ``ValidationError.errors()``) in plain words."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = error.get("ctx") or {}
    slot = _slot(loc)
    limits = _limits(slot.info if slot else None)
    unit = input_of(slot.info).unit if slot and slot.info else ""
    shown = _show(value)
    key, allowed_key = "", ""
    values: Values = ()
    allowed_values: Values = ()
    shown_value: Values = (("value", shown),)
    if kind == "extra_forbidden":
        message = _unknown_field_message(loc)
    elif kind == "missing":
        message = "is required but missing"
        key = "problem.missing"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = limits or ctx
        bound = {
            "greater_than_equal": f"is below the minimum {_show(ctx.get('ge'))}",
            "greater_than": f"must be above {_show(ctx.get('gt'))}",
            "less_than_equal": f"is above the maximum {_show(ctx.get('le'))}",
            "less_than": f"must be below {_show(ctx.get('lt'))}",
        }[kind]
        message = _with_range(f"{shown} {bound}", limits, unit)
        key = _BOUND_KEYS[kind]
        limit = next(iter(ctx.values()), None) if ctx else None
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        values = (("value", number if number is not None else shown),)
        if isinstance(limit, int | float):
            values = (*values, ("bound", limit))
        allowed_key, allowed_values = _allowed(limits)
    elif kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        low, high = limits.get("min_length"), limits.get("max_length")
        what = "characters" if kind.startswith("string") else "items"
        size = ctx.get("actual_length", len(value) if isinstance(value, str | list) else "?")
        if low is not None and low == high:
            allowed = f"exactly {low} {what} are needed"
        elif low is not None and high is not None:
            allowed = f"allowed {low} to {high} {what}"
        elif high is not None:
            allowed = f"allowed at most {high} {what}"
        elif low is not None:
            allowed = f"allowed at least {low} {what}"
        else:
            allowed = str(error.get("msg", "")).lower()
        message = f"has {size} {what}; {allowed}"
    elif kind == "literal_error":
        message = f"{shown} is not allowed; choose one of {ctx.get('expected', '')}"
        key = "problem.not_a_choice"
        values = (*shown_value, ("choices", str(ctx.get("expected", ""))))
    elif kind == "finite_number":
        message = _with_range(f"{shown} is not a finite number", limits, unit)
        key, values = "problem.not_finite", shown_value
        allowed_key, allowed_values = _allowed(limits)
    elif kind == "int_from_float":
        message = _with_range(f"{shown} must be a whole number", limits, unit)
        key, values = "problem.not_whole", shown_value
        allowed_key, allowed_values = _allowed(limits)
    elif kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        message = message.removeprefix("Assertion failed, ")
        loc = _refine_loc(loc, message)
        rule = ctx.get("error")
        if isinstance(rule, RuleError):
            key, values = rule.key, tuple(rule.values.items())
    else:
        prefix = next((prefix for prefix in _KIND_OF_VALUE if kind.startswith(prefix)), None)
        if prefix is not None:
            message = _with_range(f"{shown} must be {_KIND_OF_VALUE[prefix]}", limits, unit)
            key, values = _KIND_KEYS[prefix], shown_value
            allowed_key, allowed_values = _allowed(limits)
        else:
            message = f"{shown}: {error.get('msg', 'is not valid')}"
    return Problem(
        _path_text(loc),
        message,
        value,
        key,
        values,
        allowed_key,
        allowed_values,
        unit if allowed_key else "",
    )


def _error_at(path: str, message: str, value: object | None = None) -> ScenarioError:
    """A ScenarioError with one problem ("" path: the whole file or link)."""
    return ScenarioError([Problem(path, message, value)])
