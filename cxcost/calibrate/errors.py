"""Problems with a contact or complaint log, as message keys a person reads in her language.

Every problem is a key of the gettext catalogs (``calibrate.error.*``) with its
values, so the app, the CLI and the exports show it in English or Norwegian
(:meth:`CalibrationProblem.message`). A problem in the rows of a file names the
column and the first few file rows, counted as a spreadsheet shows them: the
header is row 1, the first contact row 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cxcost.i18n import Language, format_number, t, tn

MAX_PROBLEMS = 20
"""Most problems one CalibrationError lists; the rest are counted in a last line."""

ROWS_SHOWN = 5
"""File rows named in one problem; the rest are counted ("and 4,311 more")."""

FIRST_DATA_ROW = 2
"""File row of the first record: row 1 is the header, as a spreadsheet numbers them."""


@dataclass(frozen=True)
class CalibrationProblem:
    """One thing wrong with a log or a calibration request.

    Attributes
    ----------
    key : the message key in the catalogs, ``calibrate.error.*``
    values : the message's placeholders (file, column, value, limits, ...)
    column : the canonical column concerned ("" when the whole file is)
    rows : the first few file rows concerned (header = row 1), at most ``ROWS_SHOWN``
    count : how many rows are concerned in all (0 when the whole file is)
    plural : the number that picks the message's plural form ("1 value is",
        "2 values are"), None for a message without plural forms
    """

    key: str
    values: Mapping[str, str | int | float] = field(default_factory=dict)
    column: str = ""
    rows: tuple[int, ...] = ()
    count: int = 0
    plural: int | None = None

    def message(self, language: Language = "en") -> str:
        """The problem in words, with the rows it concerns."""
        values = dict(self.values)
        if self.plural is None:
            text = t(self.key, language, **values)
        else:
            text = tn(self.key, self.plural, language, **values)
        if not self.rows:
            return text
        rows = ", ".join(format_number(row, language) for row in self.rows)
        more = self.count - len(self.rows)
        if more > 0:
            where = t(
                "calibrate.error.rows_more", language, rows=rows, more=format_number(more, language)
            )
        else:
            where = tn("calibrate.error.rows", len(self.rows), language, rows=rows)
        return f"{text} {where}"

    def __str__(self) -> str:
        return self.message("en")


class CalibrationError(ValueError):
    """A log could not be used; ``problems`` holds every reason, nothing was applied.

    ``str(error)`` lists the problems in English, one a line; ``message(language)``
    in the user's language. At most ``MAX_PROBLEMS`` are kept and the rest
    counted in a last line.
    """

    def __init__(self, problems: Sequence[CalibrationProblem]) -> None:
        kept = list(problems[:MAX_PROBLEMS])
        left = len(problems) - len(kept)
        if left:
            kept.append(CalibrationProblem("calibrate.error.more", {"count": left}, plural=left))
        self.problems: tuple[CalibrationProblem, ...] = tuple(kept)
        super().__init__(self.message("en"))

    def message(self, language: Language = "en") -> str:
        """Every problem in ``language``, one a line."""
        return "\n".join(problem.message(language) for problem in self.problems)


def problem_rows(positions: Sequence[int], first_row: int = FIRST_DATA_ROW) -> tuple[int, ...]:
    """File rows of the first few record positions (0 = the first record)."""
    return tuple(int(position) + first_row for position in sorted(positions)[:ROWS_SHOWN])
