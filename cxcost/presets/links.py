"""Share links: the whole scenario in one query parameter, within one length limit."""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cxcost.presets.migrations import _OLDEST_VERSION
from cxcost.presets.parsing import _MIB, MAX_BYTES, _parse
from cxcost.presets.problems import ScenarioError, _error_at
from cxcost.presets.scenarios import BASELINE_KEY, ScenarioPair, pair_from_dict
from cxcost.scenario import SCHEMA_VERSION, Scenario

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


_LINK_TOKEN = re.compile(r"(\d{1,6})\.([A-Za-z0-9_-]*)")
_DAMAGED = "this link is damaged or incomplete; ask for a new link or use the preset file"


LINK_BASE_ALLOWANCE = 60
"""Characters kept for the app's address before ``?s=`` when a link is sized [characters]."""


def _without_translated_sources(scenario: Scenario) -> Scenario:
    translations = {
        language: text.model_copy(update={"sources": {}})
        for language, text in scenario.translations.items()
    }
    return scenario.model_copy(update={"translations": translations})


def _compact_json(scenario: Scenario, baseline: Scenario | None = None) -> bytes:
    """The scenario (and baseline) without default values, as compact JSON bytes.

    The baseline repeats most of the scenario, which zlib's back-references
    pack into a few bytes each: with a baseline, a shipped preset's link grows
    by 100 to 170 characters (``tests/test_links.py`` keeps it under 200).
    """
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = SCHEMA_VERSION
    if baseline is not None:
        data[BASELINE_KEY] = baseline.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _token(scenario: Scenario, baseline: Scenario | None = None) -> str:
    packed = zlib.compress(_compact_json(scenario, baseline), 9)
    body = base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")
    return f"{SCHEMA_VERSION}.{body}"


def link_scenario(scenario: Scenario, baseline: Scenario | None = None) -> Scenario:
    """What a share link carries of ``scenario``: all of it, unless its translated sources
    alone push the link past ``SAFE_LINK_LENGTH``; then all of it but those.

    The translated name, description and channel names always travel; the
    sources in other languages (``translations.<language>.sources``) stay in the
    file when the link (with ``baseline``, if it carries one) would be too long
    with them. A reader of such a link sees the sources in the scenario's own
    language.
    """
    if not any(text.sources for text in scenario.translations.values()):
        return scenario
    if len(_token(scenario, baseline)) + LINK_BASE_ALLOWANCE <= SAFE_LINK_LENGTH:
        return scenario
    return _without_translated_sources(scenario)


def link_pair(
    scenario: Scenario, baseline: Scenario | None = None
) -> tuple[Scenario, Scenario | None]:
    """What a share link carries of a scenario and its baseline: both whole, or, when the
    translated sources alone make the link too long, both without them."""
    if baseline is None:
        return link_scenario(scenario), None
    shortened = link_scenario(scenario, baseline)
    if shortened is scenario:
        return scenario, baseline
    return shortened, _without_translated_sources(baseline)


def encode_link(scenario: Scenario, baseline: Scenario | None = None) -> str:
    """Encode a scenario as a share-link token: ``"3." + base64url(zlib(JSON))``.

    Values equal to their defaults are left out (they are restored on
    decoding); ``=`` padding is stripped. Decoding gives back an equal
    scenario, less its translated sources if they would make the link too
    long: ``decode_link(encode_link(s)) == link_scenario(s)``; with a baseline
    ``decode_link_pair(encode_link(s, b))`` gives both, each less its
    translated sources when the link is too long with them.

    Parameters
    ----------
    scenario : the scenario
    baseline : the baseline it is compared with ("proposal vs baseline"), or None

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
    token = _token(*link_pair(scenario, baseline))
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

    A baseline in the link is checked and left out (:func:`decode_link_pair`
    gives both).

    Parameters
    ----------
    token : the value of the ``s`` query parameter

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        As :func:`decode_link_pair`.
    """
    return decode_link_pair(token).scenario


def decode_link_pair(token: str) -> ScenarioPair:
    """Restore the scenario and its baseline (None if the link has none) from a token.

    Decompression stops at ``MAX_BYTES`` of output, so a crafted link cannot
    exhaust memory.

    Parameters
    ----------
    token : the value of the ``s`` query parameter

    Returns
    -------
    ScenarioPair

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
    return pair_from_dict(data)


def share_url(
    scenario: Scenario, base_url: str = "http://localhost:8501/", baseline: Scenario | None = None
) -> str:
    """The full share link: ``base_url`` with the scenario in its ``s`` parameter.

    Other query parameters of ``base_url`` are kept; an existing ``s`` is replaced.

    Parameters
    ----------
    scenario : the scenario
    base_url : the app's address
    baseline : the baseline the link carries as well, or None

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
    query.append((LINK_PARAM, encode_link(scenario, baseline)))
    url = urlunsplit(parts._replace(query=urlencode(query, safe=".")))
    if len(url) > MAX_LINK_CHARS:
        raise _link_too_long(len(url))
    return url
