"""Parsing scenario JSON safely: sizes and nesting checked first, duplicate keys,
NaN and oversized numbers refused, bounded work on any input.
"""

from __future__ import annotations

import json
import math
import re
import typing
from typing import Any

from cxcost.presets.problems import (
    _MAX_SUGGESTIONS,
    MAX_PROBLEMS,
    Problem,
    ScenarioError,
    _cut,
    _error_at,
    _is_model,
    _item_slot,
    _limits,
    _path_text,
    _show,
    _Slot,
    _unknown_field_message,
    _unwrap,
    _with_range,
)
from cxcost.scenario import Scenario

_MIB = 1024 * 1024


MAX_BYTES = 1024 * 1024
"""Largest scenario file, upload or decompressed link accepted [bytes]."""

MAX_DEPTH = 20
"""Deepest nesting of JSON objects and lists accepted [levels]; a scenario needs 4."""


_NUMBER_DIGITS_LIMIT = 40


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


def _too_large(what: str, size: int, *, at_least: bool = False) -> ScenarioError:
    """The size over ``MAX_BYTES`` in MiB, or in bytes where one decimal would hide the excess.

    ``at_least``: the reading stopped at ``size`` bytes, the real size is larger.
    """
    shown = _mib(size)
    limit = f"{MAX_BYTES // _MIB} MiB"
    if float(shown.removesuffix(" MiB").replace(",", "")) * _MIB <= MAX_BYTES:
        shown, limit = f"{size:,} bytes", f"{limit} ({MAX_BYTES:,} bytes)"
    return _error_at(
        "",
        f"{what} is {'more than ' if at_least else ''}{shown}; the limit is {limit} "
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
