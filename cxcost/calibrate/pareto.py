"""Pareto of complaint reasons, each reason put to a driver by keywords.

Reasons are counted (spelling variants that differ only in case and spaces
count as one, under their most frequent spelling), sorted by count, and
given their cumulative share; the "vital few" are the reasons up to and
including the one whose cumulative share first reaches 80 % (Juran's Pareto
principle [1]). Each reason is put to the first driver, in the order wait,
rudeness, dismissiveness, one of whose keywords it contains (case-folded
substring), else to "other". The keyword table is plain data the user may
replace (a dict, or its JSON): ``DEFAULT_KEYWORDS``.

References
----------
.. [1] J. M. Juran, "Quality control handbook", McGraw-Hill, 1951: the vital few
   and the useful many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from cxcost.calibrate.errors import CalibrationError, CalibrationProblem

Driver = Literal["wait", "rudeness", "dismissiveness", "other"]
KEYWORD_DRIVERS: Final[tuple[Driver, ...]] = ("wait", "rudeness", "dismissiveness")
DRIVER_LABEL_KEYS: Final[dict[Driver, str]] = {
    "wait": "driver.wait",
    "rudeness": "driver.rudeness",
    "dismissiveness": "driver.dismissiveness",
    "other": "calibrate.driver.other",
}
"""Message key of each ``ParetoRow.driver``."""
VITAL_SHARE: Final = 0.8
"""Cumulative share of complaints the vital few reasons make up [0-1]."""

DEFAULT_KEYWORDS: Final[dict[str, tuple[str, ...]]] = {
    "wait": (
        "wait", "queue", "on hold", "hold time", "slow", "no answer", "nobody answered",
        "no reply", "late reply", "response time", "took too long", "long time", "callback",
        "ventetid", "venting", "ventet lenge", "måtte vente", "kø", "treg", "sein", "lang tid",
        "tok lang", "ingen svarte", "fikk ikke svar", "svartid", "ikke svar",
    ),
    "rudeness": (
        "rude", "impolite", "unfriendly", "attitude", "disrespect", "condescend", "arrogant",
        "yelled", "shouted", "unprofessional", "frekk", "uhøflig", "uvennlig",
        "nedlatende", "kjeftet", "oppførsel", "holdning", "uprofesjonell", "respektløs",
    ),
    "dismissiveness": (
        "unresolved", "not resolved", "not solved", "ignored", "brushed off", "dismiss",
        "transferred", "passed around", "runaround", "no help", "not helped", "refused",
        "nobody took responsibility", "ask someone else", "not fixed", "ikke løst", "uløst",
        "avvist", "oversett", "ignorert", "sendt videre", "satt over", "ingen hjelp",
        "fikk ikke hjelp", "ikke hjulpet", "ingen tok ansvar", "spør noen andre", "nektet",
    ),
}  # fmt: skip
"""Keywords (English and Norwegian) that put a complaint reason to a service driver."""


@dataclass(frozen=True)
class ParetoRow:
    """One complaint reason in the Pareto table.

    Attributes
    ----------
    reason : the reason as written (its most frequent spelling)
    count : complaints with this reason
    share : count / all complaints [0-1]
    cumulative_share : this and every more frequent reason [0-1]
    vital : among the reasons that make up the first 80 %
    driver : wait, rudeness, dismissiveness or other (by the keyword table)
    """

    reason: str
    count: int
    share: float
    cumulative_share: float
    vital: bool
    driver: Driver


def check_keywords(
    keywords: Mapping[str, Sequence[str]] | None, file: str
) -> dict[str, tuple[str, ...]]:
    """The keyword table to use, checked: drivers known, keywords non-empty text.

    Raises
    ------
    CalibrationError
        Naming the unknown driver or the bad keyword.
    """
    if keywords is None:
        return dict(DEFAULT_KEYWORDS)
    problems: list[CalibrationProblem] = []
    table: dict[str, tuple[str, ...]] = {}
    for driver, words in keywords.items():
        if driver not in KEYWORD_DRIVERS:
            problems.append(
                CalibrationProblem(
                    "calibrate.error.keyword_driver",
                    {"driver": str(driver), "drivers": ", ".join(KEYWORD_DRIVERS)},
                )
            )
            continue
        if isinstance(words, str) or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(CalibrationProblem("calibrate.error.keyword_words", {"driver": driver}))
            continue
        table[driver] = tuple(w.strip().casefold() for w in words)
    if problems:
        raise CalibrationError(problems)
    return table


def driver_of(reason: str, keywords: Mapping[str, Sequence[str]]) -> Driver:
    """The driver a reason belongs to: the first whose keyword it contains, else "other".

    Examples
    --------
    >>> driver_of("Lang ventetid på telefon", DEFAULT_KEYWORDS)
    'wait'
    >>> driver_of("Rude agent", DEFAULT_KEYWORDS), driver_of("Wrong invoice", DEFAULT_KEYWORDS)
    ('rudeness', 'other')
    """
    text = reason.casefold()
    for driver in KEYWORD_DRIVERS:
        if any(word.casefold() in text for word in keywords.get(driver, ())):
            return driver
    return "other"


def pareto(reasons: pd.Series, keywords: Mapping[str, Sequence[str]]) -> tuple[ParetoRow, ...]:
    """The Pareto table of complaint reasons, most frequent first.

    Parameters
    ----------
    reasons : one reason per complaint (text)
    keywords : driver -> keywords (``check_keywords``)

    Examples
    --------
    >>> rows = pareto(pd.Series(["Long wait"] * 6 + ["rude agent"] * 3 + ["Invoice"]),
    ...               DEFAULT_KEYWORDS)
    >>> [(r.reason, r.count, r.vital, r.driver) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('Long wait', 6, True, 'wait'), ('rude agent', 3, True, 'rudeness'),
     ('Invoice', 1, False, 'other')]
    """
    text = reasons.astype("string").str.strip()
    text = text[text.notna() & (text != "")]
    if text.empty:
        return ()
    spelling = text.str.replace(r"\s+", " ", regex=True)
    key = spelling.str.casefold()
    table = pd.DataFrame({"key": key, "spelling": spelling})
    sized = table.groupby(["key", "spelling"], sort=False).size().reset_index(name="count")
    labels: dict[str, str] = {}
    totals: dict[str, int] = {}
    # Most frequent spelling first, so it names its group.
    spellings = zip(
        sized["key"].astype(str).tolist(),
        sized["spelling"].astype(str).tolist(),
        sized["count"].astype(int).tolist(),
        strict=True,
    )
    for group, written, count in sorted(spellings, key=lambda item: (-item[2], item[1])):
        labels.setdefault(group, written)
        totals[group] = totals.get(group, 0) + count
    ordered = sorted(totals.items(), key=lambda item: (-item[1], labels[item[0]]))
    total = sum(totals.values())
    rows: list[ParetoRow] = []
    running = 0
    reached = False
    for group, count in ordered:
        running += count
        cumulative = running / total
        rows.append(
            ParetoRow(
                labels[group],
                count,
                count / total,
                cumulative,
                not reached,
                driver_of(labels[group], keywords),
            )
        )
        reached = reached or cumulative >= VITAL_SHARE - 1e-12
    return tuple(rows)
