"""The columns of a contact log and a complaint log, and their names in English and Norwegian.

A company's export rarely uses the canonical names. ``guess_mapping`` matches
headers against a table of English and Norwegian names (``HEADER_NAMES``) after
normalising them (case, spaces, hyphens, slashes and a unit in brackets:
"Ventetid (sek)" reads as ``ventetid_sek``); a mapping given by the user
``{their_name: canonical}`` always wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

CONTACT_COLUMNS: Final[tuple[str, ...]] = (
    "timestamp",
    "channel",
    "wait_seconds",
    "abandoned",
    "handle_seconds",
    "resolved",
    "transferred",
    "rude",
    "courtesy_score",
    "customer_id",
    "churned",
    "complained",
)
"""Every canonical column of a contact log, in the order the docs list them."""

REQUIRED_CONTACT_COLUMNS: Final[tuple[str, ...]] = (
    "timestamp",
    "channel",
    "wait_seconds",
    "abandoned",
    "handle_seconds",
    "resolved",
    "customer_id",
    "churned",
)
"""Columns a contact log must have; ``rude`` or ``courtesy_score`` is needed as well."""

FLAG_COLUMNS: Final[tuple[str, ...]] = (
    "abandoned",
    "resolved",
    "transferred",
    "rude",
    "churned",
    "complained",
)
"""Columns holding 0 or 1 (also read: true/false, yes/no, ja/nei)."""

NUMBER_COLUMNS: Final[tuple[str, ...]] = ("wait_seconds", "handle_seconds", "courtesy_score")
TEXT_COLUMNS: Final[tuple[str, ...]] = ("channel", "customer_id")

COMPLAINT_COLUMNS: Final[tuple[str, ...]] = ("reason",)
"""Every canonical column of a complaint log (one row per complaint)."""

HEADER_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "timestamp": (
        "timestamp", "time", "datetime", "date_time", "arrival", "arrival_time", "arrived",
        "created", "created_at", "start", "start_time", "contact_time", "tidspunkt", "tid",
        "dato_tid", "dato_og_tid", "ankomst", "ankomsttid", "opprettet", "starttid",
    ),
    "channel": (
        "channel", "contact_channel", "medium", "kanal", "kontaktkanal", "henvendelseskanal",
    ),
    "wait_seconds": (
        "wait_seconds", "wait", "wait_s", "wait_sec", "wait_time", "wait_time_s",
        "wait_time_seconds", "waiting_time", "queue_time", "queue_seconds", "time_to_answer",
        "speed_of_answer", "ventetid", "ventetid_s", "ventetid_sek", "ventetid_sekunder",
        "køtid", "køtid_sek", "svartid", "svartid_sek", "tid_i_kø",
    ),
    "abandoned": (
        "abandoned", "abandon", "abandoned_flag", "hung_up", "gave_up", "avbrutt", "lagt_på",
        "forlatt", "ga_opp", "avbrutt_i_kø",
    ),
    "handle_seconds": (
        "handle_seconds", "handle", "handle_time", "handle_time_s", "handle_time_seconds",
        "handling_time", "aht", "talk_time", "behandlingstid", "behandlingstid_s",
        "behandlingstid_sek", "behandlingstid_sekunder", "samtaletid", "samtaletid_sek",
    ),
    "resolved": (
        "resolved", "solved", "fcr", "first_contact_resolution", "issue_resolved", "løst",
        "løst_ved_første_kontakt", "saken_løst", "ferdig_løst",
    ),
    "transferred": (
        "transferred", "transfer", "was_transferred", "overført", "videresendt", "satt_over",
    ),
    "rude": (
        "rude", "impolite", "unfriendly", "rude_flag", "frekk", "uhøflig", "frekk_uhøflig",
        "uhøflig_frekk", "uvennlig",
    ),
    "courtesy_score": (
        "courtesy_score", "courtesy", "politeness", "politeness_score", "friendliness",
        "høflighet", "høflighetsscore", "høflighet_score", "vennlighet", "vennlighetsscore",
    ),
    "customer_id": (
        "customer_id", "customer", "customer_no", "customer_number", "client_id", "account_id",
        "kunde_id", "kunde", "kundenummer", "kundenr", "kunde_nr", "kundeid",
    ),
    "churned": (
        "churned", "churn", "left", "lost_customer", "cancelled", "canceled", "sluttet",
        "kunde_sluttet", "churnet", "avsluttet", "forlot", "sa_opp", "oppsagt",
    ),
    "complained": (
        "complained", "complaint", "filed_complaint", "klaget", "klage", "har_klaget",
    ),
    "reason": (
        "reason", "cause", "category", "complaint_reason", "complaint_category", "topic",
        "årsak", "grunn", "kategori", "klageårsak", "klagegrunn", "tema",
    ),
}  # fmt: skip
"""Header names read as each canonical column, after ``normalise_header``."""

_UNIT_IN_BRACKETS = re.compile(r"[(\[]\s*([^)\]]*)\s*[)\]]")
_SEPARATORS = re.compile(r"[\s\-/.,:;]+")


def normalise_header(header: object) -> str:
    """A header as the table ``HEADER_NAMES`` spells it.

    Lower case, a byte order mark and surrounding space removed, a bracketed
    unit joined with an underscore, and runs of spaces, hyphens, slashes, dots
    or colons made one underscore.

    Examples
    --------
    >>> normalise_header("\\ufeffVentetid (sek)"), normalise_header("Frekk/uhøflig")
    ('ventetid_sek', 'frekk_uhøflig')
    """
    text = str(header).replace("\ufeff", "").strip().lower()
    text = _UNIT_IN_BRACKETS.sub(lambda match: " " + match.group(1), text)
    return _SEPARATORS.sub("_", text).strip("_")


_LOOKUP: Final[dict[str, str]] = {
    name: canonical for canonical, names in HEADER_NAMES.items() for name in names
}


def guess_mapping(headers: Iterable[object]) -> dict[str, str]:
    """Guess which header is which canonical column, from English and Norwegian names.

    Parameters
    ----------
    headers : the file's column headers, as read

    Returns
    -------
    dict
        ``{header: canonical}`` for every header recognised; when two headers
        read as the same column, the first wins and the other is left out
        (the user maps it by hand if it was the right one).

    Examples
    --------
    >>> guess_mapping(["Tidspunkt", "Kanal", "ventetid_sek", "Avbrutt", "Kunde-ID", "Notat"])
    {'Tidspunkt': 'timestamp', 'Kanal': 'channel', 'ventetid_sek': 'wait_seconds', \
'Avbrutt': 'abandoned', 'Kunde-ID': 'customer_id'}
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        canonical = _LOOKUP.get(normalise_header(header))
        if canonical is not None and canonical not in taken:
            mapping[str(header)] = canonical
            taken.add(canonical)
    return mapping


def resolve_mapping(
    headers: Iterable[object], mapping: Mapping[str, str] | None, canonical: Iterable[str]
) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The mapping to use for ``headers``: the user's, and guesses for the rest.

    Returns
    -------
    mapping : ``{header: canonical}`` for the headers used
    unknown_targets : ``(header, target)`` pairs of the user's mapping whose
        target is no canonical column
    duplicates : ``(first header, second header, canonical)`` where two
        headers would fill the same column
    """
    names = [str(h) for h in headers]
    allowed = set(canonical)
    guessed = {h: c for h, c in guess_mapping(names).items() if c in allowed}
    if mapping is None:
        return guessed, [], []
    unknown = [(h, c) for h, c in mapping.items() if c not in allowed]
    chosen: dict[str, str] = {h: c for h, c in mapping.items() if c in allowed and h in names}
    by_target: dict[str, str] = {}
    duplicates: list[tuple[str, str, str]] = []
    for header, target in chosen.items():
        if target in by_target:
            duplicates.append((by_target[target], header, target))
        else:
            by_target[target] = header
    # The rest of the headers are guessed, for the columns the user left unmapped.
    for header, target in guessed.items():
        if header not in mapping and target not in by_target:
            chosen[header] = target
            by_target[target] = header
    return chosen, unknown, duplicates
