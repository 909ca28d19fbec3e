"""Hostile inputs from the loopback review (issue 15), as generator functions.

Each function builds one input that used to cost seconds of CPU or megabytes
of message; ``tests/test_hostile.py`` checks that every door answers it with
bounded work, and ``benchmarks/bench_hostile.py`` times it. Sizes follow the
review: a 200,000-value NaN profile, 100,000 unknown top-level keys, 60,000
``sources`` entries.
"""

from __future__ import annotations

import base64
import json
import zlib

from cxcost.scenario import SCHEMA_VERSION, Scenario

NAN_PROFILE_VALUES = 200_000
UNKNOWN_KEYS = 100_000
SOURCES_ENTRIES = 60_000


def _key(index: int) -> str:
    """A short unique key (base 36), so 100,000 of them fit in a 1 MiB file."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        index, digit = divmod(index, 36)
        text = digits[digit] + text
        if index == 0:
            return "q" + text


def token_of(text: str) -> str:
    """A share-link token around any JSON text, the way ``encode_link`` packs one."""
    packed = zlib.compress(text.encode("utf-8"), 9)
    return f"{SCHEMA_VERSION}." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def nan_profile_json(values: int = NAN_PROFILE_VALUES) -> str:
    """A scenario whose arrival profile is ``values`` NaNs (about 800 KB of JSON)."""
    profile = ",".join(["NaN"] * values)
    return f'{{"schema_version": {SCHEMA_VERSION}, "demand": {{"arrival_profile": [{profile}]}}}}'


def nan_profile_link(values: int = NAN_PROFILE_VALUES) -> str:
    """The NaN profile as a share-link token: about 1 KB that unpacks to 800 KB."""
    return token_of(nan_profile_json(values))


def nan_profile_override(values: int = NAN_PROFILE_VALUES) -> list[str]:
    """The NaN profile as one ``--set`` assignment."""
    return ["demand.arrival_profile=[" + ",".join(["NaN"] * values) + "]"]


def unknown_keys_json(keys: int = UNKNOWN_KEYS) -> str:
    """A scenario with ``keys`` unknown top-level fields, each close to no real field."""
    body = ",".join(f'"{_key(index)}":0' for index in range(keys))
    return f'{{"schema_version": {SCHEMA_VERSION}, {body}}}'


def unknown_keys_link(keys: int = 10_000) -> str:
    """Unknown keys as a share-link token: 10,000 make about 30,500 characters.

    They compress poorly, so that is about as many as fit under MAX_LINK_CHARS;
    more are refused by the length check before anything is unpacked.
    """
    return token_of(unknown_keys_json(keys))


def unknown_keys_overrides(keys: int = 10_000) -> list[str]:
    """``keys`` assignments to fields that do not exist, e.g. ``bussiness.q7=1``."""
    return [f"business.q{index}=1" for index in range(keys)]


def bad_sources_json(entries: int = SOURCES_ENTRIES) -> str:
    """``entries`` sources whose values are numbers, not text: one error each."""
    body = ",".join(f'"{_key(index)}":0' for index in range(entries))
    return f'{{"schema_version": {SCHEMA_VERSION}, "sources": {{{body}}}}}'


def many_sources_json(entries: int = SOURCES_ENTRIES) -> str:
    """A scenario that is valid but for its ``entries`` source texts (about 750 KB)."""
    scenario = Scenario()
    data = scenario.model_dump(mode="json")
    data["sources"] = {_key(index): "BLS" for index in range(entries)}
    return json.dumps(data, separators=(",", ":"))


def long_source_text_json(characters: int = 1900) -> str:
    """One source text far longer than a citation."""
    data = Scenario().model_dump(mode="json")
    data["sources"] = {"business.customers": "x" * characters}
    return json.dumps(data)


def duplicate_keys_json() -> str:
    """The same field twice: JSON parsers keep the last one silently."""
    return (
        f'{{"schema_version": {SCHEMA_VERSION},\n'
        '  "business": {"customers": 1000,\n'
        '               "customers": 5000}}'
    )


def tiny_half_life_json() -> str:
    """A training half-life of 1e-310 h, which overflowed exp() in the model."""
    data = Scenario().model_dump(mode="json")
    data["quality"]["training_half_life_hours"] = 1e-310
    return json.dumps(data)


def oversize_json(megabytes: int = 3) -> bytes:
    """A file of ``megabytes`` MiB: reported with its real size, refused unread."""
    return b'{"name": "' + b"x" * (megabytes * 1024 * 1024) + b'"}'


def long_link(characters: int = 2_000_000) -> str:
    """A 2 MB share-link token."""
    return f"{SCHEMA_VERSION}." + "A" * characters
