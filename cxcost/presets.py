"""Presets, scenario files and share links: the one loader of scenarios.

Every scenario that enters cxcost from outside, whether a preset in
``presets/``, an uploaded file, a CLI ``--set`` assignment or a share link,
passes through this module. It checks size and nesting before parsing,
migrates older file versions, validates against :class:`~cxcost.scenario.Scenario`
and turns every failure into a :class:`ScenarioError` whose problems name the
field path, the value and the allowed range in plain words.

File format versions (``schema_version``)
-----------------------------------------
2 (current)
    The layout of :class:`cxcost.scenario.Scenario`.
1
    The first file format. Differences from version 2:

    - ``staffing.salary`` held what is now ``staffing.salary_per_year``;
    - ``channels[i].fte`` held what is now ``channels[i].representatives``;
    - there was no ``uncertainty`` section (version 2 fills in its defaults).

    A file without ``schema_version`` is read as version 1. Reading a
    version 1 file issues a :class:`MigrationWarning` that says so.

A file with a newer ``schema_version`` than this code knows is refused rather
than guessed at.

Share links
-----------
A link carries the whole scenario in one query parameter (``s``):
``"<schema_version>." + base64url(zlib(compact JSON))`` with the ``=`` padding
stripped, because Streamlit's query parameters read ``+`` as a space. The JSON
leaves out every value equal to its default and the defaults are filled in
again on decoding, so a link restores exactly the same scenario while staying
short enough for e-mail and chat (see ``SAFE_LINK_LENGTH``).
"""

from __future__ import annotations

import base64
import binascii
import difflib
import json
import math
import re
import types
import typing
import uuid
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeGuard
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cxcost.scenario import MAX_UNCERTAINTY_FACTOR, SCHEMA_VERSION, Scenario

PRESETS_DIR: Path = Path(__file__).resolve().parent.parent / "presets"
"""The repository's ``presets/`` folder of shipped scenarios."""

DEFAULT_PRESET = "us-ecommerce"
"""File stem of the preset the app opens with."""

MAX_BYTES = 1024 * 1024
"""Largest scenario file, upload or decompressed link accepted [bytes]."""

MAX_DEPTH = 20
"""Deepest nesting of JSON objects and lists accepted [levels]; a scenario needs 4."""

LINK_PARAM = "s"
"""Name of the query parameter that carries a scenario in a share link."""

SAFE_LINK_LENGTH = 2000
"""Longest link that survives e-mail clients and chat tools intact [characters]."""

MAX_LINK_CHARS = 200_000
"""Longest share-link token decoded at all [characters]; longer ones are refused unread."""

_OLDEST_VERSION = 1
_NUMBER_DIGITS_LIMIT = 40


class MigrationWarning(UserWarning):
    """A scenario file in an older format was read and updated to the current one."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, in plain words.

    Attributes
    ----------
    path : dotted field path, e.g. ``channels.0.representatives``; "" when the
        problem concerns the whole file or link
    message : what is wrong, with the value and the allowed range
    value : the offending value as it was read, if any
    """

    path: str
    message: str
    value: object | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ScenarioError(ValueError):
    """A scenario could not be read; ``problems`` lists every reason, one per field.

    ``str(error)`` gives one line per problem, ready to show to a user.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

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
        return cls([_problem_from_error(e) for e in error.errors()])


@dataclass(frozen=True)
class PresetEntry:
    """One file in a presets folder, as listed for a picker.

    Attributes
    ----------
    path : the JSON file
    stem : file name without ``.json``; what :func:`load_preset` accepts
    name, description : the scenario's own name and description (the stem and
        "" for a file that does not load)
    error : why the file does not load, one line per problem; None if it loads
    """

    path: Path
    stem: str
    name: str
    description: str
    error: str | None = None


# ---------------------------------------------------------------------------
# Field introspection: walk Scenario's annotations along a dotted path


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
        elif origin is list and (isinstance(part, int) or _is_index(str(part))):
            slot = _Slot(typing.get_args(annotation)[0])
        elif origin is dict:
            slot = _Slot(typing.get_args(annotation)[1])
        else:
            return None
    return slot


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


# ---------------------------------------------------------------------------
# Messages


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


def _range_text(limits: dict[str, Any]) -> str:
    """'allowed range 0 to 20000' style text, or '' when the field has no numeric limits."""
    if "ge" in limits and "le" in limits:
        return f"allowed range {_show(limits['ge'])} to {_show(limits['le'])}"
    words = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}
    parts = [f"{word} {_show(limits[key])}" for key, word in words.items() if key in limits]
    return f"allowed: {', '.join(parts)}" if parts else ""


def _with_range(message: str, limits: dict[str, Any]) -> str:
    allowed = _range_text(limits)
    return f"{message}; {allowed}" if allowed else message


def _path_text(loc: Sequence[str | int]) -> str:
    return ".".join(_printable(str(part)) for part in loc)


def _unknown_field_message(loc: Sequence[str | int]) -> str:
    names = _field_names(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), names, n=3, cutoff=0.5)
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
    for candidate in ((*loc, *_split_path(first)), tuple(_split_path(first))):
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


def _problem_from_error(error: Any) -> Problem:
    """One pydantic error (a dict from ``ValidationError.errors()``) in plain words."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = error.get("ctx") or {}
    slot = _slot(loc)
    limits = _limits(slot.info if slot else None)
    shown = _show(value)
    if kind == "extra_forbidden":
        message = _unknown_field_message(loc)
    elif kind == "missing":
        message = "is required but missing"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = limits or ctx
        bound = {
            "greater_than_equal": f"is below the minimum {_show(ctx.get('ge'))}",
            "greater_than": f"must be above {_show(ctx.get('gt'))}",
            "less_than_equal": f"is above the maximum {_show(ctx.get('le'))}",
            "less_than": f"must be below {_show(ctx.get('lt'))}",
        }[kind]
        message = _with_range(f"{shown} {bound}", limits)
    elif kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        low, high = limits.get("min_length"), limits.get("max_length")
        unit = "characters" if kind.startswith("string") else "items"
        size = ctx.get("actual_length", len(value) if isinstance(value, str | list) else "?")
        if low is not None and low == high:
            allowed = f"exactly {low} {unit} are needed"
        elif low is not None and high is not None:
            allowed = f"allowed {low} to {high} {unit}"
        elif high is not None:
            allowed = f"allowed at most {high} {unit}"
        else:
            allowed = f"allowed at least {low} {unit}"
        message = f"has {size} {unit}; {allowed}"
    elif kind == "literal_error":
        message = f"{shown} is not allowed; choose one of {ctx.get('expected', '')}"
    elif kind == "finite_number":
        message = _with_range(f"{shown} is not a finite number", limits)
    elif kind == "int_from_float":
        message = _with_range(f"{shown} must be a whole number", limits)
    elif kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        message = message.removeprefix("Assertion failed, ")
        loc = _refine_loc(loc, message)
    else:
        expected = next(
            (text for prefix, text in _KIND_OF_VALUE.items() if kind.startswith(prefix)), None
        )
        if expected is not None:
            message = _with_range(f"{shown} must be {expected}", limits)
        else:
            message = f"{shown}: {error.get('msg', 'is not valid')}"
    return Problem(_path_text(loc), message, value)


# ---------------------------------------------------------------------------
# Parsing JSON safely


def _error_at(path: str, message: str, value: object | None = None) -> ScenarioError:
    """A ScenarioError with one problem ("" path: the whole file or link)."""
    return ScenarioError([Problem(path, message, value)])


class _NonFinite(str):
    """Placeholder for a number JSON cannot hold as a finite float (NaN, Infinity, 1e999)."""

    __slots__ = ()


# A JSON string (possibly unterminated) or a bracket; strings are skipped so that
# brackets inside text do not count as nesting.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)|[\[\]{}]', re.DOTALL)


def _nesting_depth(text: str) -> int:
    """Deepest nesting of objects and lists in JSON text, without parsing it [levels]."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def _parse_float(text: str) -> float | _NonFinite:
    number = float(text)
    return number if math.isfinite(number) else _NonFinite(text)


def _parse_int(text: str) -> int | _NonFinite:
    if len(text) > _NUMBER_DIGITS_LIMIT:
        return _NonFinite(text)
    return int(text)


def _loads(text: str) -> Any:
    """json.loads that keeps NaN, Infinity and oversized numbers as _NonFinite markers."""
    return json.loads(
        text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_NonFinite
    )


def _value_problems(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[Problem]:
    """Values pydantic would misread: NaN/Infinity/huge-number markers, true/false as numbers.

    Pydantic's lax mode reads true as 1 in a number field; a scenario file
    with ``"shrinkage": true`` is a mistake, so it is reported instead.
    Recursion is bounded: the data has passed the MAX_DEPTH check.
    """
    if isinstance(data, _NonFinite):
        slot = _slot(loc)
        limits = _limits(slot.info if slot else None)
        what = "too large to be a number" if data[-1:].isdigit() else "not a finite number"
        message = _with_range(f"{_cut(str(data))} is {what}", limits)
        yield Problem(_path_text(loc), message, str(data))
    elif isinstance(data, bool):
        slot = _slot(loc)
        if slot is not None and _unwrap(slot.annotation) in (int, float):
            limits = _limits(slot.info)
            message = _with_range(f"{_show(data)} must be a number", limits)
            yield Problem(_path_text(loc), message, data)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _value_problems(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _value_problems(value, (*loc, index))


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else type(value).__name__


def _parse(data: str | bytes, source: str) -> dict[str, Any]:
    """Bytes or text -> a JSON object, with size, depth and finiteness checked."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _error_at(
            "",
            f"the {source} is {size / MAX_BYTES:.1f} MiB; the limit is "
            f"{MAX_BYTES // (1024 * 1024)} MiB (a scenario is usually under 10 KiB)",
            size,
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _error_at(
                "",
                f"the {source} is not UTF-8 text (byte {error.start + 1} cannot be read)",
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise _error_at("", f"the {source} is empty; expected a JSON object {{...}}")
    depth = _nesting_depth(text)
    if depth > MAX_DEPTH:
        raise _error_at(
            "",
            f"the {source} nests lists or objects more than {MAX_DEPTH} levels deep; "
            "a scenario needs at most 4",
            depth,
        )
    try:
        parsed = _loads(text)
    except json.JSONDecodeError as error:
        raise _error_at(
            "",
            f"the {source} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg[:1].lower()}{error.msg[1:]})",
        ) from None
    except (ValueError, RecursionError) as error:
        raise _error_at("", f"the {source} is not valid JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise _error_at(
            "",
            f"the {source} must hold one JSON object {{...}} with the scenario; "
            f"it holds {_json_kind(parsed)}",
        )
    return parsed


# ---------------------------------------------------------------------------
# Versions


def _rename(section: dict[str, Any], old: str, new: str) -> None:
    if old in section and new not in section:
        section[new] = section.pop(old)


def _migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: renamed salary and fte; uncertainty is filled with defaults."""
    staffing = data.get("staffing")
    if isinstance(staffing, dict):
        data["staffing"] = staffing = dict(staffing)
        _rename(staffing, "salary", "salary_per_year")
    channels = data.get("channels")
    if isinstance(channels, list):
        data["channels"] = channels = [dict(c) if isinstance(c, dict) else c for c in channels]
        for channel in channels:
            if isinstance(channel, dict):
                _rename(channel, "fte", "representatives")
    sources = data.get("sources")
    if isinstance(sources, dict):
        renamed: dict[Any, Any] = {}
        for key, value in sources.items():
            new = key
            if isinstance(key, str):
                new = re.sub(r"^staffing\.salary$", "staffing.salary_per_year", key)
                new = re.sub(r"^(channels\.\d+)\.fte$", r"\1.representatives", new)
            renamed[new if new not in sources else key] = value
        data["sources"] = renamed
    data["schema_version"] = 2
    return data


# Version 2's defaults, which a version 2 file relied on where it gave no value.
_V2_CHURN = {"wait_churn_max": 0.08, "rude_churn": 0.10, "dismissive_churn": 0.12}


def _migrate_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 -> 3: abandonment has its own churn, uncertainty ranges become multipliers.

    - ``churn.abandon_churn`` takes the old ``wait_churn_max``, which version 2
      charged to every abandoned contact.
    - ``channels.*.wait_tolerance_minutes`` is kept: it becomes the midpoint of
      the S-shaped wait response.
    - ``uncertainty`` ranges of the churn responses were absolute; they become
      multipliers of the file's own values, and ``patience_factor`` is now
      ``patience``. A range that does not hold its value is widened to hold it.
    """
    churn = data.get("churn")
    churn = dict(churn) if isinstance(churn, dict) else {}
    if "abandon_churn" not in churn:
        churn["abandon_churn"] = churn.get("wait_churn_max", _V2_CHURN["wait_churn_max"])
        data["churn"] = churn
    uncertainty = data.get("uncertainty")
    if isinstance(uncertainty, dict):
        uncertainty = dict(uncertainty)
        _rename(uncertainty, "patience_factor", "patience")
        for name, default in _V2_CHURN.items():
            bounds = uncertainty.get(name)
            value = churn.get(name, default)
            if not (isinstance(bounds, dict) and _is_number(value)):
                continue
            low, high = bounds.get("low"), bounds.get("high")
            if not (_is_number(low) and _is_number(high)):
                # Left as written: validation names the missing or malformed end.
                continue
            if value > 0:
                uncertainty[name] = {
                    "low": min(max(low / value, 1e-3), 1.0),
                    "high": min(max(high / value, 1.0), MAX_UNCERTAINTY_FACTOR),
                }
            else:
                # No multiplier turns a value of 0 into a range: the default applies.
                del uncertainty[name]
        data["uncertainty"] = uncertainty
    sources = data.get("sources")
    if isinstance(sources, dict) and "churn.wait_churn_max" in sources:
        data["sources"] = {"churn.abandon_churn": sources["churn.wait_churn_max"], **sources}
    data["schema_version"] = 3
    return data


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


_MIGRATIONS = {1: _migrate_v1, 2: _migrate_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring parsed scenario data from any known older file format to the current one.

    Parameters
    ----------
    data : a parsed JSON object; it is not modified

    Returns
    -------
    dict
        A new dict in the current format with ``schema_version`` equal to
        ``SCHEMA_VERSION``. Fields are not validated here.

    Raises
    ------
    ScenarioError
        ``schema_version`` is not a whole number, is below 1, or is newer than
        this code reads.

    Warns
    -----
    MigrationWarning
        When the data was in an older format (or had no ``schema_version``,
        which is read as version 1).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     migrate({"schema_version": 1, "staffing": {"salary": 40000}})["staffing"]
    {'salary_per_year': 40000}
    """
    result = dict(data)
    if "schema_version" not in result:
        version = _OLDEST_VERSION
        note = f"it has no schema_version, so it was read as version {_OLDEST_VERSION}"
    else:
        version = result["schema_version"]
        note = f"it uses schema_version {version}"
        if isinstance(version, bool) or not isinstance(version, int):
            raise _error_at(
                "schema_version",
                f"{_show(version)} must be a whole number from {_OLDEST_VERSION} to "
                f"{SCHEMA_VERSION}",
                version,
            )
    if version > SCHEMA_VERSION:
        raise _error_at(
            "schema_version",
            f"this file was written by a newer cxcost (schema_version {version}); "
            f"this version reads up to {SCHEMA_VERSION}",
            version,
        )
    if version < _OLDEST_VERSION:
        raise _error_at(
            "schema_version",
            f"{version} is not a known version; allowed range {_OLDEST_VERSION} to "
            f"{SCHEMA_VERSION}",
            version,
        )
    if version < SCHEMA_VERSION:
        warnings.warn(
            f"scenario in an older format: {note}; it was updated to schema_version "
            f"{SCHEMA_VERSION} (save it again to keep the new format)",
            MigrationWarning,
            stacklevel=2,
        )
    while version < SCHEMA_VERSION:
        result = _MIGRATIONS[version](result)
        version += 1
    result["schema_version"] = SCHEMA_VERSION
    return result


# ---------------------------------------------------------------------------
# Scenarios from and to JSON


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Migrate and validate parsed scenario data.

    Parameters
    ----------
    data : a parsed JSON object in any supported ``schema_version``

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found, each naming its field path.
    """
    migrated = migrate(data)
    return _validate(migrated, list(_value_problems(migrated)))


def _validate(data: dict[str, Any], problems: list[Problem]) -> Scenario:
    """Validate data as a Scenario; raise with ``problems`` plus every validation problem.

    A validation error at a path already in ``problems`` is left out: it would
    repeat the same mistake in pydantic's words.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        known = {p.path for p in problems}
        problems = problems + [
            p for p in ScenarioError.from_validation_error(error).problems if p.path not in known
        ]
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    return scenario


def scenario_from_json(data: str | bytes, source: str = "file") -> Scenario:
    """Read a scenario from JSON text: a preset file, an upload, a decoded link.

    The size (``MAX_BYTES``) and the nesting depth (``MAX_DEPTH``) are checked
    before parsing; NaN, Infinity and numbers too large for a float are refused
    with their field path; older versions are migrated (:func:`migrate`).

    Parameters
    ----------
    data : the JSON text, or its UTF-8 bytes (a byte-order mark is allowed)
    source : what the text is, used in messages ("file", "upload", "link")

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found; never another exception type.

    Examples
    --------
    >>> text = '{"schema_version": 2, "business": {"customers": 5000}}'
    >>> scenario_from_json(text).business.customers
    5000
    """
    return scenario_from_dict(_parse(data, source))


def scenario_to_json(scenario: Scenario) -> str:
    """Write a scenario as pretty JSON that :func:`scenario_from_json` reads back equal.

    Keys follow the model's field order; the hourly arrival profile is written
    one day (24 values) per line. Floats are written with ``repr`` precision, so
    ``scenario_from_json(scenario_to_json(s)) == s`` holds exactly.

    Parameters
    ----------
    scenario : the scenario

    Returns
    -------
    str
        UTF-8 JSON text ending in a newline.
    """
    data = scenario.model_dump(mode="json")
    profile: list[float] = data["demand"]["arrival_profile"]
    placeholder = f"@@arrival_profile_{uuid.uuid4().hex}@@"
    data["demand"]["arrival_profile"] = placeholder
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    days = [
        ", ".join(json.dumps(w) for w in profile[start : start + 24])
        for start in range(0, len(profile), 24)
    ]
    rows = ",\n      ".join(days)
    return text.replace(f'"{placeholder}"', f"[\n      {rows}\n    ]", 1) + "\n"


# ---------------------------------------------------------------------------
# Preset files


def _read_file(path: Path) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, so that a huge file is refused unread."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _error_at("", f"{_printable(str(path))} is a folder, not a scenario file") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise _error_at("", f"cannot read {_printable(str(path))}: {reason}") from None


def _resolve(path_or_stem: str | Path) -> Path:
    if isinstance(path_or_stem, Path):
        return path_or_stem
    candidate = Path(path_or_stem)
    looks_like_path = candidate.suffix == ".json" or len(candidate.parts) > 1
    if looks_like_path or candidate.exists():
        return candidate
    return PRESETS_DIR / f"{path_or_stem}.json"


def load_preset(path_or_stem: str | Path) -> Scenario:
    """Load a preset by stem (``"us-ecommerce"`` from ``PRESETS_DIR``) or a file by path.

    Parameters
    ----------
    path_or_stem : a path to a JSON file, or the stem of a file in ``PRESETS_DIR``

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The file is missing or unreadable, or its content is not a valid scenario.

    Examples
    --------
    >>> load_preset(DEFAULT_PRESET).business.currency
    'USD'
    """
    try:
        path = _resolve(path_or_stem)
        exists = path.exists()
    except (OSError, ValueError):  # e.g. a NUL character or an over-long name
        raise _error_at("", f"{str(path_or_stem)!r} is not a usable file name") from None
    if not exists:
        if path.parent != PRESETS_DIR or isinstance(path_or_stem, Path):
            raise _error_at("", f"no such file: {_printable(str(path))}")
        stems = ", ".join(entry.stem for entry in list_presets() if entry.error is None)
        raise _error_at(
            "", f"no preset or file named {str(path_or_stem)!r}; presets: {stems or 'none'}"
        )
    return scenario_from_json(_read_file(path), source="file")


def list_presets(directory: Path = PRESETS_DIR) -> list[PresetEntry]:
    """Every ``*.json`` file in a folder, the default first, then by name.

    A file that does not load is listed with its ``error`` instead of being
    skipped, so one corrupted file does not hide the others.

    Parameters
    ----------
    directory : the folder to list (default: the shipped presets)

    Returns
    -------
    list of PresetEntry
    """
    entries: list[PresetEntry] = []
    for path in sorted(directory.glob("*.json")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MigrationWarning)
                scenario = load_preset(path)
        except ScenarioError as error:
            entries.append(PresetEntry(path, path.stem, path.stem, "", str(error)))
        else:
            entries.append(PresetEntry(path, path.stem, scenario.name, scenario.description))
    entries.sort(key=lambda e: (e.stem != DEFAULT_PRESET, e.name.casefold(), e.stem))
    return entries


# ---------------------------------------------------------------------------
# --set overrides


def _parse_value(text: str, slot: _Slot | None) -> Any:
    """A --set value: JSON if it parses, else the text itself; text fields take the text."""
    annotation = _unwrap(slot.annotation) if slot else None
    is_text = annotation is str or (
        typing.get_origin(annotation) is Literal
        and all(isinstance(a, str) for a in typing.get_args(annotation))
    )
    if is_text:
        return text
    try:
        return _loads(text)
    except (ValueError, RecursionError):
        return text


def _is_index(part: str) -> bool:
    """ASCII digits only: str.isdigit also accepts '²', which int() refuses."""
    return part.isascii() and part.isdigit()


def _split_path(path: str) -> list[str | int]:
    return [int(part) if _is_index(part) else part for part in path.split(".")]


def _assign(data: dict[str, Any], path: str, text: str) -> Problem | None:
    """Set one dotted path in dumped scenario data; a Problem if the path does not exist.

    Below a free-keyed dict (``sources``) the rest of the path is one key, since
    those keys are field paths themselves: ``sources.business.customers=...``.
    """
    parts = _split_path(path)
    if not path or any(part == "" for part in parts):
        example = "channels.0.representatives=40"
        return Problem(path, f"{path or '(nothing)'} is not a field path; write it like {example}")
    if parts == ["schema_version"]:
        return Problem(path, "is set by cxcost and cannot be changed", text)
    node: Any = data
    for depth, part in enumerate(parts):
        here = _path_text(parts[: depth + 1])
        last = depth == len(parts) - 1
        slot = _slot(parts[:depth])
        if isinstance(node, dict) and slot and typing.get_origin(_unwrap(slot.annotation)) is dict:
            node[_path_text(parts[depth:])] = _parse_value(text, _slot(parts))
            return None
        if isinstance(node, list):
            if not isinstance(part, int) or part >= len(node):
                return Problem(
                    here, f"there is no item {part} here; valid indexes are 0 to {len(node) - 1}"
                )
        elif isinstance(node, dict):
            if str(part) not in node:
                return Problem(here, _unknown_field_message(parts[: depth + 1]), text)
            part = str(part)
        else:
            return Problem(here, f"{_path_text(parts[:depth])} holds a single value, not fields")
        if last:
            node[part] = _parse_value(text, _slot(parts))
        else:
            node = node[part]
    return None


def apply_overrides(scenario: Scenario, assignments: Sequence[str]) -> Scenario:
    """A copy of ``scenario`` with ``path=value`` assignments applied, validated.

    Parameters
    ----------
    scenario : the starting scenario; it is not modified
    assignments : e.g. ``["channels.0.representatives=40", "business.currency=NOK"]``.
        The value is read as JSON when it parses (numbers, true/false, lists,
        objects), otherwise as text; text fields always take the text as typed.

    Returns
    -------
    Scenario
        A new, validated scenario.

    Raises
    ------
    ScenarioError
        Every unknown path (with the closest valid names) and every invalid value.

    Examples
    --------
    >>> s = apply_overrides(Scenario(), ["staffing.salary_per_year=40000"])
    >>> s.staffing.salary_per_year
    40000.0
    """
    data = scenario.model_dump()
    problems: list[Problem] = []
    for assignment in assignments:
        path, equals, text = assignment.partition("=")
        path = path.strip()
        if not equals:
            example = "channels.0.representatives=40"
            problems.append(Problem(path, f"expected path=value, e.g. {example}", assignment))
            continue
        problem = _assign(data, path, text.strip())
        if problem is not None:
            problems.append(problem)
    problems.extend(_value_problems(data))
    return _validate(data, problems)


# ---------------------------------------------------------------------------
# Share links

_LINK_TOKEN = re.compile(r"(\d{1,6})\.([A-Za-z0-9_-]*)")
_DAMAGED = "this link is damaged or incomplete; ask for a new link or use the preset file"


def _compact_json(scenario: Scenario) -> bytes:
    """The scenario without its default values, as compact JSON bytes."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = SCHEMA_VERSION
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def encode_link(scenario: Scenario) -> str:
    """Encode a scenario as a share-link token: ``"2." + base64url(zlib(JSON))``.

    Values equal to their defaults are left out (they are restored on
    decoding); ``=`` padding is stripped. Decoding gives back an equal
    scenario: ``decode_link(encode_link(s)) == s``.

    Parameters
    ----------
    scenario : the scenario

    Returns
    -------
    str
        URL-safe token: digits, letters, ``-``, ``_`` and one ``.``.
    """
    packed = zlib.compress(_compact_json(scenario), 9)
    body = base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")
    return f"{SCHEMA_VERSION}.{body}"


def decode_link(token: str) -> Scenario:
    """Restore the scenario from a share-link token made by :func:`encode_link`.

    Decompression stops at ``MAX_BYTES`` of output, so a crafted link cannot
    exhaust memory.

    Parameters
    ----------
    token : the value of the ``s`` query parameter

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The token is empty, foreign, damaged, truncated, from a newer cxcost,
        too large, or does not hold a valid scenario.
    """
    token = token.strip()
    if not token:
        raise _error_at("", "this link holds no scenario (its s= value is empty)")
    if len(token) > MAX_LINK_CHARS:
        raise _error_at(
            "",
            f"this link is {len(token):,} characters long; links up to "
            f"{MAX_LINK_CHARS:,} are read, use the preset file instead",
        )
    match = _LINK_TOKEN.fullmatch(token)
    if match is None:
        raise _error_at(
            "",
            "this link does not hold a cxcost scenario (it was not made by cxcost's "
            "share button, or it was cut or changed)",
        )
    version, body = int(match.group(1)), match.group(2)
    if version > SCHEMA_VERSION:
        raise _error_at(
            "",
            f"this link was made by a newer cxcost (schema_version {version}); this "
            f"version reads up to {SCHEMA_VERSION}",
            version,
        )
    if version < _OLDEST_VERSION or len(body) % 4 == 1:
        raise _error_at("", _DAMAGED)
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise _error_at("", _DAMAGED) from None
    if len(raw) > MAX_BYTES or inflater.unconsumed_tail:
        raise _error_at(
            "",
            f"this link unpacks to more than {MAX_BYTES // (1024 * 1024)} MiB; "
            "it was not made by cxcost",
        )
    if not inflater.eof or inflater.unused_data:
        raise _error_at("", _DAMAGED)
    data = _parse(raw, "link")
    data.setdefault("schema_version", version)
    if data["schema_version"] != version:
        raise _error_at("", _DAMAGED)
    return scenario_from_dict(data)


def share_url(scenario: Scenario, base_url: str = "http://localhost:8501/") -> str:
    """The full share link: ``base_url`` with the scenario in its ``s`` parameter.

    Other query parameters of ``base_url`` are kept; an existing ``s`` is replaced.

    Parameters
    ----------
    scenario : the scenario
    base_url : the app's address

    Returns
    -------
    str
        The link; compare its length with ``SAFE_LINK_LENGTH``.

    Examples
    --------
    >>> share_url(Scenario(), "https://cx.example.com/app").startswith(
    ...     "https://cx.example.com/app?s=2.")
    True
    """
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LINK_PARAM]
    query.append((LINK_PARAM, encode_link(scenario)))
    return urlunsplit(parts._replace(query=urlencode(query, safe=".")))


__all__ = [
    "DEFAULT_PRESET",
    "LINK_PARAM",
    "MAX_BYTES",
    "MAX_DEPTH",
    "PRESETS_DIR",
    "SAFE_LINK_LENGTH",
    "SCHEMA_VERSION",
    "MigrationWarning",
    "PresetEntry",
    "Problem",
    "ScenarioError",
    "apply_overrides",
    "decode_link",
    "encode_link",
    "list_presets",
    "load_preset",
    "migrate",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_to_json",
    "share_url",
]
