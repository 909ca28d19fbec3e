"""Presets, scenario files and share links: the one loader of scenarios.

Every scenario that enters cxcost from outside, whether a shipped preset
(``cxcost/data/presets/``), an uploaded file, a CLI ``--set`` assignment or a share link,
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
short enough for e-mail and chat (see ``SAFE_LINK_LENGTH``). No link longer
than ``MAX_LINK_CHARS`` is written or read.

Bounded work
------------
Whatever the input, the work done on it is bounded by the scenario's layout,
not by the input's size: sizes are checked before parsing, a list or a
``sources`` table longer than its limit is reported once and not looked into,
unknown fields are reported without looking into their values (close-match
suggestions only for the first few), and at most ``MAX_PROBLEMS`` problems are
listed, followed by one "and N more" line.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import json
import math
import os
import re
import stat
import types
import typing
import uuid
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeGuard
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cxcost.scenario import MAX_UNCERTAINTY_FACTOR, SCHEMA_VERSION, Scenario

_MIB = 1024 * 1024

PRESETS_DIR: Path = Path(__file__).resolve().parent / "data" / "presets"
"""The shipped scenarios, package data of ``cxcost`` (``cxcost/data/presets/``)."""

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

MAX_LINK_CHARS = 32_000
"""Longest share link written, and longest token read [characters].

``encode_link`` and ``share_url`` refuse to make a longer one (share the file
instead) and ``decode_link`` refuses a longer token unread. The Streamlit
(Tornado) server refuses request URLs above about 127,900 characters, so every
link cxcost writes is served with room to spare for a long base address; a
scenario near the cap already holds hundreds of sources, which belong in a file.
"""

MAX_PROBLEMS = 20
"""Most problems listed for one scenario; the rest are counted in one last line."""

MAX_MESSAGE_CHARS = 4000
"""Longest text of one ScenarioError [characters]; problems beyond it are counted."""

MAX_OVERRIDES = 500
"""Most ``--set`` assignments read at once; a scenario has about 300 values to set."""

_MAX_SUGGESTIONS = 3
_MAX_PROBLEM_CHARS = 300
_MAX_PATH_PART_CHARS = 60

_OLDEST_VERSION = 1
_NUMBER_DIGITS_LIMIT = 40


class MigrationWarning(UserWarning):
    """A scenario file in an older format was read and updated to the current one."""


class PresetNameWarning(UserWarning):
    """A preset name is also the name of a file in the working folder; the preset was read."""


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
        elif low is not None:
            allowed = f"allowed at least {low} {unit}"
        else:
            allowed = str(error.get("msg", "")).lower()
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


class _DuplicateKeyError(ValueError):
    """A JSON object holds the same key twice."""


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError("duplicate key")
    return result


def _loads(text: str) -> Any:
    """json.loads that keeps NaN, Infinity and oversized numbers as _NonFinite markers.

    A key given twice in one object raises _DuplicateKeyError: JSON readers keep
    the last one silently, so a file would not say what it seems to say.
    """
    return json.loads(
        text,
        parse_float=_parse_float,
        parse_int=_parse_int,
        parse_constant=_NonFinite,
        object_pairs_hook=_unique_object,
    )


# Strings (keys among them), brackets, commas and colons: enough to follow the
# structure of JSON text that has already parsed.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]', re.DOTALL)


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - text.rfind(chr(10), 0, offset)}"


def _duplicate_key_problems(text: str) -> list[Problem]:
    """Every key given twice in one object, with the positions of both (capped).

    Follows the structure of text that json has parsed: one frame per open
    object (keys seen -> offset) or list (None), each with its current path part.
    """
    problems: list[Problem] = []
    frames: list[tuple[dict[str, int] | None, list[str | int]]] = []
    last_string: tuple[str, int] = ("", 0)
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token.startswith('"'):
            last_string = (token[1:-1], match.start())
        elif token in ("{", "["):
            frames.append(({} if token == "{" else None, ["" if token == "{" else 0]))
        elif token in ("}", "]"):
            if frames:
                frames.pop()
        elif not frames:
            continue
        elif token == "," and frames[-1][0] is None:
            part = frames[-1][1]
            part[0] = int(part[0]) + 1
        elif token == ":" and (seen := frames[-1][0]) is not None:
            key, offset = last_string
            frames[-1][1][0] = key
            if key not in seen:
                seen[key] = offset
                continue
            first, again = _line_column(text, seen[key]), _line_column(text, offset)
            problems.append(
                Problem(
                    _path_text([frame[1][0] for frame in frames]),
                    f"is given twice, at {first} and at {again}; keep one "
                    "(JSON readers silently take the last)",
                )
            )
            if len(problems) > MAX_PROBLEMS:
                break
    return problems


_NUMBER_TYPES = (int, float)


class _Checker:
    """Walks parsed data along Scenario's layout, bounded by the layout, not the data.

    Collects the problems pydantic would misread or make costly: NaN/Infinity
    markers, true/false in number fields, text in number fields (``--set``
    only), lists and tables longer than their limit, unknown fields. Returns
    the data without what it reported (over-long lists, unknown fields), so
    pydantic's own validation does no per-item work on them either.
    """

    def __init__(self, text_for_number: bool = False) -> None:
        self.problems: list[Problem] = []
        self.more = 0
        self.unknown = 0
        self.text_for_number = text_for_number

    def _full(self) -> bool:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return True
        return False

    def report(self, loc: tuple[str | int, ...], message: str, value: object = None) -> None:
        if not self._full():
            self.problems.append(Problem(_path_text(loc), message, value))

    def check(self, value: Any, slot: _Slot | None, loc: tuple[str | int, ...]) -> Any:
        """``value`` with unknown fields and over-long lists taken out, reporting each."""
        annotation = _unwrap(slot.annotation) if slot else None
        limits = _limits(slot.info if slot else None)
        if isinstance(value, _NonFinite):
            if not self._full():
                what = "too large to be a number" if value[-1:].isdigit() else "not a finite number"
                self.report(loc, _with_range(f"{_cut(str(value))} is {what}", limits), str(value))
        elif isinstance(value, bool):
            if annotation in _NUMBER_TYPES and not self._full():
                self.report(loc, _with_range(f"{_show(value)} must be a number", limits), value)
        elif isinstance(value, str):
            if self.text_for_number and annotation in _NUMBER_TYPES and not self._full():
                kind = "a whole number" if annotation is int else "a number"
                message = _with_range(f"{_show(value)} must be {kind}", limits)
                self.report(loc, f"{message}; numbers are written without quotes", value)
        elif isinstance(value, dict):
            return self._check_dict(value, annotation, limits, loc)
        elif isinstance(value, list) and typing.get_origin(annotation) is list:
            if self._too_many(value, limits, loc, "items"):
                return _DROPPED
            item = _item_slot(typing.get_args(annotation)[0])
            return [self.check(v, item, (*loc, i)) for i, v in enumerate(value)]
        return value

    def _too_many(
        self,
        value: list[Any] | dict[str, Any],
        limits: dict[str, Any],
        loc: tuple[str | int, ...],
        unit: str,
    ) -> bool:
        low, high = limits.get("min_length", 0), limits.get("max_length")
        if high is None or low <= len(value) <= high:
            return False
        if low == high:
            allowed = f"exactly {low} {unit} are needed"
        elif low:
            allowed = f"allowed {low} to {high} {unit}"
        else:
            allowed = f"allowed at most {high} {unit}"
        self.report(loc, f"has {len(value):,} {unit}; {allowed}", f"{len(value)} {unit}")
        return True

    def _check_dict(
        self,
        value: dict[str, Any],
        annotation: Any,
        limits: dict[str, Any],
        loc: tuple[str | int, ...],
    ) -> Any:
        if _is_model(annotation):
            fields = annotation.model_fields
            kept: dict[str, Any] = {}
            for key, item in value.items():
                info = fields.get(key)
                if info is None:
                    self.unknown += 1
                    if not self._full():
                        suggest = self.unknown <= _MAX_SUGGESTIONS
                        self.report((*loc, key), _unknown_field_message((*loc, key), suggest))
                    continue
                checked = self.check(item, _Slot(info.annotation, info), (*loc, key))
                if checked is not _DROPPED:
                    kept[key] = checked
            return kept
        if typing.get_origin(annotation) is dict:
            if self._too_many(value, limits, loc, "entries"):
                return _DROPPED
            item = _item_slot(typing.get_args(annotation)[1])
            return {k: self.check(v, item, (*loc, k)) for k, v in value.items()}
        return value


_DROPPED = object()


def _checked(
    data: dict[str, Any], text_for_number: bool = False
) -> tuple[dict[str, Any], _Checker]:
    """Data ready for pydantic and the checker that holds the problems found on the way."""
    checker = _Checker(text_for_number)
    result = checker.check(data, _Slot(Scenario), ())
    return (result if isinstance(result, dict) else {}), checker


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


def _mib(size: int) -> str:
    return f"{size / _MIB:,.1f} MiB"


def _too_large(what: str, size: int) -> ScenarioError:
    return _error_at(
        "",
        f"{what} is {_mib(size)}; the limit is {MAX_BYTES // _MIB} MiB "
        "(a scenario is usually under 10 KiB)",
        size,
    )


def _parse(data: str | bytes, source: str) -> dict[str, Any]:
    """Bytes or text -> a JSON object, with size, depth and finiteness checked."""
    # A str holds at most 4 bytes of UTF-8 per character: count the bytes only
    # when the text may be over the limit.
    if isinstance(data, bytes) or len(data) * 4 > MAX_BYTES:
        size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _too_large(f"the {source}", size)
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
    except _DuplicateKeyError:
        raise ScenarioError(
            _duplicate_key_problems(text)
            or [Problem("", f"the {source} gives the same field twice in one object")]
        ) from None
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
        if isinstance(version, float) and float.is_integer(version):
            raise _error_at(
                "schema_version",
                f"write the version as a whole number without a decimal point: "
                f"{int(version)}, not {version!r} (cxcost reads versions {_OLDEST_VERSION} "
                f"to {SCHEMA_VERSION})",
                version,
            )
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
    migrated, checker = _checked(migrate(data))
    return _validate(migrated, checker.problems, checker.more)


def _validate(data: dict[str, Any], problems: list[Problem], more: int = 0) -> Scenario:
    """Validate data as a Scenario; raise with ``problems`` plus every validation problem.

    A validation error at a path already in ``problems``, or below one, is
    left out: it would repeat the same mistake in pydantic's words. ``more``
    counts problems found but not built.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        # The checker took out everything that is long, so these errors are bounded
        # by the scenario's layout (a few hundred at most), not by the input.
        known = {p.path for p in problems}
        fresh = [
            problem
            for problem in map(_problem_from_error, error.errors())
            if not _under(problem.path, known)
        ]
        raise ScenarioError(problems + fresh, more) from None
    if problems or more:
        raise ScenarioError(problems, more)
    return scenario


def _under(path: str, known: set[str]) -> bool:
    """``path`` is one of ``known`` or lies below one of them."""
    parts = path.split(".")
    return any(".".join(parts[:end]) in known for end in range(1, len(parts) + 1))


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
    """The bytes of a regular file of at most MAX_BYTES, read without blocking.

    A folder, a named pipe or a device is refused before it is opened for
    reading (a pipe would block the server until someone writes to it), and a
    file over the limit is refused by its size, unread. Messages name the file
    by its name, never by the server's path.
    """
    name = _printable(path.name or str(path))
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise _error_at("", _not_a_file(name, mode))
        # O_NONBLOCK: should a pipe replace the file after the check, open() does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _error_at("", f"no such file: {name}") from None
    except OSError as error:
        raise _error_at("", f"cannot read {name}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _error_at("", _not_a_file(name, info.st_mode))
        if info.st_size > MAX_BYTES:
            raise _too_large(name, info.st_size)
        try:
            data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise _error_at("", f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:  # grew after the size check
        raise _too_large(name, len(data))
    return data


def _not_a_file(name: str, mode: int) -> str:
    kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device)"
    return f"{name} is {kind}, not a scenario file"


def _looks_like_path(text: str) -> bool:
    """A name with a folder separator or ending in .json is a path; anything else a preset."""
    separators = [sep for sep in ("/", os.sep, os.altsep) if sep]
    return text.endswith(".json") or any(sep in text for sep in separators)


def _resolve(path_or_stem: str | Path) -> Path:
    """The file a preset name or a path means: shipped presets first, a path if it looks like one.

    A bare name (``us-ecommerce``) is always the shipped preset, even if a
    file of that name lies in the working folder; a PresetNameWarning says so.
    """
    if isinstance(path_or_stem, Path):
        return path_or_stem
    if "\0" in path_or_stem:
        raise ValueError("NUL in a file name")
    if _looks_like_path(path_or_stem):
        return Path(path_or_stem)
    preset = PRESETS_DIR / f"{path_or_stem}.json"
    local = Path(path_or_stem)
    if local.exists():
        if preset.is_file():
            warnings.warn(
                f"{path_or_stem!r} is read as the shipped preset, not as the file of that "
                f"name in the working folder (write ./{path_or_stem} to read the file)",
                PresetNameWarning,
                stacklevel=3,
            )
        else:
            raise _error_at(
                "",
                f"no preset named {path_or_stem!r}; to read the file of that name, "
                f"write ./{path_or_stem}",
            )
    return preset


def load_preset(path_or_stem: str | Path) -> Scenario:
    """Load a shipped preset by name (``"us-ecommerce"``) or a scenario file by path.

    A string is a path when it has a folder separator or ends in ``.json``;
    otherwise it names a preset in ``PRESETS_DIR``, even if a file of that name
    lies in the working folder (a :class:`PresetNameWarning` says which was read).

    Parameters
    ----------
    path_or_stem : a path to a JSON file, or the stem of a file in ``PRESETS_DIR``

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The file is missing, not a regular file, over ``MAX_BYTES`` or
        unreadable, or its content is not a valid scenario.

    Warns
    -----
    PresetNameWarning
        A bare name matched both a shipped preset and a file in the working folder.

    Examples
    --------
    >>> load_preset(DEFAULT_PRESET).business.currency
    'USD'
    """
    try:
        path = _resolve(path_or_stem)
        exists = path.exists()
    except (OSError, ValueError) as error:  # e.g. a NUL character or an over-long name
        if isinstance(error, ScenarioError):
            raise
        shown = _cut(_printable(str(path_or_stem)))
        raise _error_at("", f"{shown!r} is not a usable file name") from None
    if not exists and path.parent == PRESETS_DIR and not isinstance(path_or_stem, Path):
        stems = ", ".join(entry.stem for entry in list_presets() if entry.error is None)
        shown = _cut(_printable(str(path_or_stem)))
        raise _error_at("", f"no preset or file named {shown!r}; presets: {stems or 'none'}")
    return scenario_from_json(_read_file(path), source="file")


def list_presets(directory: Path = PRESETS_DIR) -> list[PresetEntry]:
    """Every regular ``*.json`` file in a folder, the default first, then by name.

    A file that does not load is listed with its ``error`` instead of being
    skipped, so one corrupted file does not hide the others. Folders, named
    pipes and devices are skipped without being opened.

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
            # Not opened: a folder or a named pipe called *.json is no preset.
            if not stat.S_ISREG(path.stat().st_mode):
                continue
        except OSError:
            continue
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


def _assign(data: dict[str, Any], path: str, text: str, suggest: bool = True) -> Problem | None:
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
    if len(text) > MAX_BYTES:
        size = f"{len(text):,} characters"
        return Problem(path, f"the value is too large: {size}; at most {MAX_BYTES:,} are read")
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
                return Problem(here, _unknown_field_message(parts[: depth + 1], suggest), text)
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
    if len(assignments) > MAX_OVERRIDES:
        raise _error_at(
            "",
            f"{len(assignments):,} assignments were given; at most {MAX_OVERRIDES} are "
            "read at once (write the changes into a scenario file instead)",
        )
    data = scenario.model_dump()
    problems: list[Problem] = []
    more = 0
    for assignment in assignments:
        path, equals, text = assignment.partition("=")
        path = path.strip()
        if not equals:
            example = "channels.0.representatives=40"
            problem: Problem | None = Problem(
                path, f"expected path=value, e.g. {example}", _cut(assignment)
            )
        else:
            problem = _assign(data, path, text.strip(), suggest=len(problems) < _MAX_SUGGESTIONS)
        if problem is None:
            continue
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)
        else:
            more += 1
    checked, checker = _checked(data, text_for_number=True)
    return _validate(checked, problems + checker.problems, more + checker.more)


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

    Raises
    ------
    ScenarioError
        The token would be longer than ``MAX_LINK_CHARS``: such a scenario
        is shared as a file.
    """
    packed = zlib.compress(_compact_json(scenario), 9)
    body = base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")
    token = f"{SCHEMA_VERSION}.{body}"
    if len(token) > MAX_LINK_CHARS:
        raise _link_too_long(len(token))
    return token


def _link_too_long(length: int) -> ScenarioError:
    return _error_at(
        "",
        f"this scenario makes a link of {length:,} characters; links hold up to "
        f"{MAX_LINK_CHARS:,}, so use a file instead (save the scenario and share the file)",
        length,
    )


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
            f"{MAX_LINK_CHARS:,} are read, so use a file instead (the preset or scenario file)",
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
            f"this link unpacks to more than {MAX_BYTES // _MIB} MiB; it was not made by cxcost",
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

    Raises
    ------
    ScenarioError
        The link would be longer than ``MAX_LINK_CHARS``: share a file instead.

    Examples
    --------
    >>> share_url(Scenario(), "https://cx.example.com/app").startswith(
    ...     f"https://cx.example.com/app?s={SCHEMA_VERSION}.")
    True
    """
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LINK_PARAM]
    query.append((LINK_PARAM, encode_link(scenario)))
    url = urlunsplit(parts._replace(query=urlencode(query, safe=".")))
    if len(url) > MAX_LINK_CHARS:
        raise _link_too_long(len(url))
    return url


__all__ = [
    "DEFAULT_PRESET",
    "LINK_PARAM",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_LINK_CHARS",
    "MAX_MESSAGE_CHARS",
    "MAX_OVERRIDES",
    "MAX_PROBLEMS",
    "PRESETS_DIR",
    "SAFE_LINK_LENGTH",
    "SCHEMA_VERSION",
    "MigrationWarning",
    "PresetEntry",
    "PresetNameWarning",
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
