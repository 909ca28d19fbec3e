"""Reading contact and complaint logs: CSV, XLSX or Parquet, from a path or bytes.

Whatever the file, the result is one typed table with the canonical columns
(``cxcost.calibrate.columns``), or a :class:`CalibrationError` naming every
problem by column and file rows; nothing is half-read.

The steps, in order:

1. Size: a file larger than ``max_bytes`` is refused before it is read.
2. Format: by the name's suffix (``.csv``, ``.txt``, ``.tsv``, ``.xlsx``,
   ``.parquet``), else by the first bytes (``PAR1``: Parquet, ``PK``: XLSX).
3. CSV dialect: the separator is the most frequent of ``;``, ``,``, tab and
   ``|`` in the header line; a file separated by semicolons (or tabs) may write
   decimals with a comma, as Excel does in Norwegian ("12,5"; spaces as
   thousands separators are dropped). UTF-8 with or without a byte order mark;
   a file that is not UTF-8 is read as Windows-1252, Excel's Western European
   default.
4. Headers: the user's mapping, and ``guess_mapping`` for the headers it
   leaves out; missing required columns are reported together.
5. Types, coerced where that is safe: numbers (decimal comma as above), flags
   (0/1, true/false, yes/no, ja/nei), timestamps (ISO 8601; also
   ``dd.mm.yyyy hh:mm[:ss]``, the Norwegian spreadsheet form), text. A
   timestamp is read as local wall-clock time: a UTC offset is dropped, so the
   hour of the week is the company's own.
6. Rules, with pandera: ranges, 0/1 flags, required values, and ``resolved``
   given for every answered contact.
7. Rows: a file with no contact rows, or more than ``max_rows``, is refused.

Steps 5 and 6 run on chunks of ``CHUNK_ROWS`` rows as they are read (Parquet
through DuckDB, CSV through pandas), so memory holds the typed columns and one
raw chunk, and a file full of errors cannot fill it with failure cases: once a
problem is found, the rest is only counted.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

import duckdb
import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from cxcost.calibrate.columns import (
    COMPLAINT_COLUMNS,
    CONTACT_COLUMNS,
    FLAG_COLUMNS,
    NUMBER_COLUMNS,
    REQUIRED_CONTACT_COLUMNS,
    resolve_mapping,
)
from cxcost.calibrate.errors import (
    FIRST_DATA_ROW,
    ROWS_SHOWN,
    CalibrationError,
    CalibrationProblem,
    problem_rows,
)
from cxcost.i18n import format_number

Source: TypeAlias = str | os.PathLike[str] | bytes | pd.DataFrame
"""A log: a path, the file's bytes, or a table already in memory."""

FileFormat = Literal["csv", "xlsx", "parquet", "table"]

MAX_ROWS: Final = 20_000_000
"""Most contact rows read from one file [rows]; about 18 months of a 500-seat centre."""
MAX_BYTES: Final = 4 * 1024**3
"""Largest file read [bytes] (4 GiB); the app sets its own, smaller upload cap."""
MAX_COMPLAINT_ROWS: Final = 5_000_000
"""Most complaint rows read from one file [rows]."""
MAX_WAIT_SECONDS: Final = 90 * 86_400.0
"""Longest wait accepted [s]: 90 days (an e-mail answered after a quarter is still data)."""
MAX_HANDLE_SECONDS: Final = 86_400.0
"""Longest handle time accepted [s]: one day."""
COURTESY_SCORE_RANGE: Final = (1.0, 5.0)
"""A courtesy score is rated 1 (very rude) to 5 (very courteous)."""
DEFAULT_COURTESY_THRESHOLD: Final = 2.0
"""A contact whose courtesy score is at most this counts as rude [1-5]."""

CHUNK_ROWS: Final = 1_000_000
"""Rows read, typed and checked at once; a larger log is read chunk by chunk."""
_PARQUET_VECTORS = CHUNK_ROWS // 2048
_SNIFF_BYTES = 65_536
_SEPARATORS = (";", ",", "\t", "|")
_TRUE_WORDS = ("1", "1.0", "true", "yes", "y", "ja", "j", "x", "sann", "t")
_FALSE_WORDS = ("0", "0.0", "false", "no", "n", "nei", "usann", "f")
_FLAG_WORDS: Final[dict[str, float]] = {
    **dict.fromkeys(_TRUE_WORDS, 1.0),
    **dict.fromkeys(_FALSE_WORDS, 0.0),
}
_OFFSET = re.compile(
    r"(?P<clock>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
)
_NORWEGIAN_DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


@dataclass(frozen=True)
class ContactLog:
    """A contact log read and checked: one row per contact, canonical columns.

    Attributes
    ----------
    frame : the contacts; columns ``timestamp`` (datetime64, local time),
        ``channel`` and ``customer_id`` (text), ``wait_seconds``,
        ``handle_seconds`` (float, NaN when not given), and the flags
        ``abandoned``, ``resolved``, ``transferred``, ``rude``, ``churned``,
        ``complained`` (float 0/1, NaN when not given); ``rude`` comes from
        ``courtesy_score`` when the file has a score instead. Row ``i`` is
        file row ``first_row + i``.
    file_name : the name problems and sources give the file
    file_format : how it was read
    mapping : which header became which canonical column
    first_row : file row of the first contact (2: row 1 is the header)
    """

    frame: pd.DataFrame
    file_name: str
    file_format: FileFormat
    mapping: Mapping[str, str]
    first_row: int = 2

    @property
    def rows(self) -> int:
        """Contacts in the log."""
        return len(self.frame)


@dataclass(frozen=True)
class ComplaintLog:
    """A complaint log read and checked: one row per complaint, column ``reason`` (text)."""

    frame: pd.DataFrame
    file_name: str
    file_format: FileFormat
    mapping: Mapping[str, str]

    @property
    def rows(self) -> int:
        """Complaints in the log."""
        return len(self.frame)


Chunks = Callable[[list[str], int], Iterator[pd.DataFrame]]
"""Given the headers to read and the row cap, the file's rows in chunks."""


@dataclass(frozen=True)
class _Opened:
    """A file whose headers are known and whose rows can be read in chunks."""

    file_format: FileFormat
    headers: list[str]
    chunks: Chunks
    decimal_comma: bool = False
    rows: int | None = None
    """The number of rows when known before reading (Parquet footer, a table in memory)."""


def _problem(key: str, **values: str | int | float) -> CalibrationError:
    return CalibrationError([CalibrationProblem(key, values)])


def _suffix_format(name: str) -> FileFormat | None:
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return None


def _magic_format(head: bytes) -> FileFormat:
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "csv"


def _size(source: str | os.PathLike[str] | bytes, name: str) -> int:
    if isinstance(source, bytes):
        return len(source)
    try:
        return os.path.getsize(source)
    except OSError as error:
        raise _problem(
            "calibrate.error.unreadable", file=name, detail=error.strerror or str(error)
        ) from error


def _head(source: str | os.PathLike[str] | bytes, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    with open(source, "rb") as handle:
        return handle.read(size)


def _buffer(source: str | os.PathLike[str] | bytes) -> str | os.PathLike[str] | io.BytesIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _csv_dialect(head: bytes) -> tuple[str, str, bool]:
    """Separator, encoding and whether decimals may use a comma, from the first bytes."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
        encoding = "cp1252"
    first_line = text.splitlines()[0] if text.splitlines() else ""
    separator = max(_SEPARATORS, key=first_line.count)
    if first_line.count(separator) == 0:
        separator = ","
    return separator, encoding, separator != ","


def _open_csv(source: str | os.PathLike[str] | bytes, name: str) -> _Opened:
    separator, encoding, decimal_comma = _csv_dialect(_head(source, _SNIFF_BYTES))

    def read(usecols: list[str] | None, nrows: int | None, chunks: bool) -> object:
        return pd.read_csv(
            _buffer(source),
            sep=separator,
            encoding=encoding,
            dtype=str,
            usecols=usecols,
            keep_default_na=False,
            na_values=[""],
            nrows=nrows,
            chunksize=CHUNK_ROWS if chunks else None,
            skipinitialspace=True,
        )

    try:
        header_frame = read(None, 0, chunks=False)
    except pd.errors.EmptyDataError as error:
        raise _problem("calibrate.error.empty", file=name) from error
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise _problem(
            "calibrate.error.unreadable", file=name, detail=_first_line(error)
        ) from error
    assert isinstance(header_frame, pd.DataFrame)
    headers = [str(h) for h in header_frame.columns]

    def chunks(columns: list[str], max_rows: int) -> Iterator[pd.DataFrame]:
        rows = 0
        reader = read(columns, None, chunks=True)
        assert isinstance(reader, pd.io.parsers.TextFileReader)
        with reader:
            for chunk in reader:
                rows += len(chunk)
                if rows > max_rows:
                    raise _too_many_rows(name, max_rows)
                yield chunk

    return _Opened("csv", headers, chunks, decimal_comma)


def _open_xlsx(source: str | os.PathLike[str] | bytes, name: str) -> _Opened:
    try:
        frame = pd.read_excel(_buffer(source), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise _problem(
            "calibrate.error.unreadable", file=name, detail=_first_line(error)
        ) from error
    headers = [str(h) for h in frame.columns]
    frame.columns = pd.Index(headers)

    return _Opened("xlsx", headers, _slices(frame, name), rows=len(frame))


def _open_parquet(source: str | os.PathLike[str] | bytes, name: str) -> _Opened:
    if isinstance(source, bytes):
        try:
            frame = pd.read_parquet(io.BytesIO(source))
        except Exception as error:  # pyarrow raises many kinds on a damaged file
            raise _problem(
                "calibrate.error.unreadable", file=name, detail=_first_line(error)
            ) from error
        headers = [str(h) for h in frame.columns]
        return _Opened("parquet", headers, _slices(frame, name), rows=len(frame))
    path = os.fspath(source)
    try:
        # DuckDB reads the row count and the schema from the footer, not the data.
        with duckdb.connect() as connection:
            relation = connection.read_parquet(path)
            headers = [str(h) for h in relation.columns]
            fetched = connection.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()
            total = int(fetched[0]) if fetched else 0
    except duckdb.Error as error:
        raise _problem(
            "calibrate.error.unreadable", file=name, detail=_first_line(error)
        ) from error

    def chunks(columns: list[str], max_rows: int) -> Iterator[pd.DataFrame]:
        if total > max_rows:
            raise _too_many_rows(name, max_rows)
        picked = ", ".join('"' + column.replace('"', '""') + '"' for column in columns)
        with duckdb.connect() as connection:
            result = connection.execute(f"SELECT {picked} FROM read_parquet(?)", [path])
            while True:
                chunk = result.fetch_df_chunk(_PARQUET_VECTORS)
                if chunk.empty:
                    return
                yield chunk

    return _Opened("parquet", headers, chunks, rows=total)


def _slices(frame: pd.DataFrame, name: str) -> Chunks:
    """A table in memory, in chunks of ``CHUNK_ROWS`` (views, not copies)."""
    headers = [str(h) for h in frame.columns]

    def chunks(columns: list[str], max_rows: int) -> Iterator[pd.DataFrame]:
        if len(frame) > max_rows:
            raise _too_many_rows(name, max_rows)
        named = frame.set_axis(headers, axis=1) if list(frame.columns) != headers else frame
        picked = named[columns]
        for start in range(0, len(picked), CHUNK_ROWS):
            yield picked.iloc[start : start + CHUNK_ROWS]

    return chunks


def _read_chunks(
    opened: _Opened, columns: list[str], max_rows: int, name: str
) -> Iterator[pd.DataFrame]:
    """The chunks, each with canonical positions as its index; a damaged file is a problem."""
    offset = 0
    try:
        for chunk in opened.chunks(columns, max_rows):
            chunk = chunk.set_axis(pd.RangeIndex(offset, offset + len(chunk)), axis=0)
            offset += len(chunk)
            yield chunk
    except CalibrationError:
        raise
    except (
        pd.errors.ParserError,
        UnicodeDecodeError,
        ValueError,
        OSError,
        duckdb.Error,
    ) as error:
        raise _problem(
            "calibrate.error.unreadable", file=name, detail=_first_line(error)
        ) from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."


def _too_many_rows(name: str, max_rows: int) -> CalibrationError:
    return _problem("calibrate.error.too_many_rows", file=name, limit=format_number(max_rows))


def _open(source: Source, name: str, max_bytes: int) -> _Opened:
    if isinstance(source, pd.DataFrame):
        headers = [str(h) for h in source.columns]
        return _Opened("table", headers, _slices(source, name), rows=len(source))
    size = _size(source, name)
    if size > max_bytes:
        raise _problem(
            "calibrate.error.too_large",
            file=name,
            size=format_number(size),
            limit=format_number(max_bytes),
        )
    if size == 0:
        raise _problem("calibrate.error.empty", file=name)
    label = name if isinstance(source, bytes) else os.fspath(source)
    file_format = _suffix_format(str(label)) or _magic_format(_head(source, 4))
    if Path(str(label)).suffix.lower() == ".xls":
        raise _problem("calibrate.error.format", file=name)
    if file_format == "xlsx":
        return _open_xlsx(source, name)
    if file_format == "parquet":
        return _open_parquet(source, name)
    return _open_csv(source, name)


# Coercion: each returns the typed column and the positions whose value could not be read.


def _text(column: pd.Series) -> pd.Series:
    """Any column as stripped text with <NA> for empty cells (12.0 reads "12")."""
    if pd.api.types.is_float_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        whole = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2.0**62)
        integers = pd.Series(np.where(whole, values, 0.0).astype(np.int64), index=column.index)
        return column.astype("string").where(~whole, integers.astype("string"))
    if column.dtype == object:
        column = column.map(_cell_text, na_action="ignore")
    text = column.astype("string").str.strip()
    return text.mask(text == "")


def _cell_text(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _number(column: pd.Series, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.astype(np.float64), np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        bad = np.isinf(values)
        values[bad] = np.nan
        return pd.Series(values, index=column.index), bad
    text = _text(column)
    given = text.notna().to_numpy()
    if decimal_comma:
        text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan, copy=True
    )
    bad = given & ~np.isfinite(values)
    values[bad] = np.nan
    return pd.Series(values, index=column.index), bad


def _flag(column: pd.Series, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
        return _number(column, decimal_comma)
    text = _text(column).str.lower()
    given = text.notna().to_numpy()
    words = text.map(_FLAG_WORDS).to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    unknown = given & np.isnan(words)
    if unknown.any():
        numbers, _ = _number(text.where(pd.Series(unknown, index=column.index)), decimal_comma)
        words = np.where(unknown, numbers.to_numpy(), words)
    bad = given & np.isnan(words)
    return pd.Series(words, index=column.index), bad


def _timestamp(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.astype("datetime64[us]"), np.zeros(len(column), dtype=bool)
    text = _text(column)
    given = text.notna().to_numpy()
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            raise ValueError("offsets")
    except (ValueError, TypeError):
        # UTC offsets: the wall-clock time as written is the company's own.
        wall = text.str.replace(_OFFSET, lambda m: m.group("clock"), regex=True)
        parsed = pd.to_datetime(wall, format="ISO8601", errors="coerce")
    missing = given & parsed.isna().to_numpy()
    for date_format in _NORWEGIAN_DATE_FORMATS:
        if not missing.any():
            break
        again = pd.to_datetime(text[missing], format=date_format, errors="coerce")
        parsed = parsed.copy()
        parsed[missing] = again
        missing = given & parsed.isna().to_numpy()
    return parsed.astype("datetime64[us]"), missing


_TYPE_KEYS: Final = {
    "number": "calibrate.error.not_number",
    "flag": "calibrate.error.not_flag",
    "timestamp": "calibrate.error.not_timestamp",
}


def _contact_schema() -> pa.DataFrameSchema:
    flag = [pa.Check.isin([0.0, 1.0])]
    return pa.DataFrameSchema(
        {
            "timestamp": pa.Column("datetime64[us]", nullable=False),
            "channel": pa.Column(nullable=False),
            "wait_seconds": pa.Column(
                float, pa.Check.in_range(0.0, MAX_WAIT_SECONDS), nullable=False
            ),
            "abandoned": pa.Column(np.float32, flag, nullable=False),
            "handle_seconds": pa.Column(
                float, pa.Check.in_range(0.0, MAX_HANDLE_SECONDS), nullable=True
            ),
            "resolved": pa.Column(np.float32, flag, nullable=True),
            "transferred": pa.Column(np.float32, flag, nullable=True, required=False),
            "rude": pa.Column(np.float32, flag, nullable=True, required=False),
            "courtesy_score": pa.Column(
                float, pa.Check.in_range(*COURTESY_SCORE_RANGE), nullable=True, required=False
            ),
            "customer_id": pa.Column(nullable=False),
            "churned": pa.Column(np.float32, flag, nullable=False),
            "complained": pa.Column(np.float32, flag, nullable=True, required=False),
        },
        checks=[
            pa.Check(
                lambda frame: frame["resolved"].notna() | (frame["abandoned"] != 0.0),
                name="resolved_when_answered",
            )
        ],
    )


_RANGE_TEXT: Final = {
    "wait_seconds": (0.0, MAX_WAIT_SECONDS),
    "handle_seconds": (0.0, MAX_HANDLE_SECONDS),
    "courtesy_score": COURTESY_SCORE_RANGE,
}


@dataclass
class _Tally:
    """Problems found chunk by chunk: per (column, check), a count, the first rows, an example."""

    file: str
    first_row: int
    found: dict[tuple[str, str], tuple[int, list[int], object]] = field(default_factory=dict)

    def add(self, column: str, check: str, positions: np.ndarray, example: object) -> None:
        """Count ``positions`` (record positions, sorted) under ``(column, check)``."""
        if not len(positions):
            return
        count, rows, first = self.found.get((column, check), (0, [], example))
        rows = (rows + positions[:ROWS_SHOWN].tolist())[:ROWS_SHOWN]
        self.found[(column, check)] = (count + len(positions), rows, first)

    def check(
        self, chunk: pd.DataFrame, schema: pa.DataFrameSchema, unreadable: Mapping[str, np.ndarray]
    ) -> None:
        """Validate one typed chunk with pandera and count what fails.

        A value already reported as of the wrong type is empty now and is not
        reported again as empty. A check over the whole frame
        (``resolved_when_answered``) lists a failing row once per column; it
        is counted once, on ``resolved``.
        """
        try:
            schema.validate(chunk, lazy=True)
        except SchemaErrors as error:
            cases = error.failure_cases
            cases = cases[cases["index"].notna()]
            grouped: dict[tuple[str, str], tuple[list[np.ndarray], object]] = {}
            for (column, check), group in cases.groupby(["column", "check"], sort=False):
                if check == "resolved_when_answered":
                    column = "resolved"
                positions = group["index"].to_numpy(dtype=np.int64)
                parts, example = grouped.get(
                    (str(column), str(check)), ([], group["failure_case"].iloc[0])
                )
                grouped[(str(column), str(check))] = ([*parts, positions], example)
            for (column, check), (parts, example) in grouped.items():
                positions = np.unique(np.concatenate(parts))
                if check == "not_nullable" and column in unreadable:
                    positions = np.setdiff1d(positions, unreadable[column], assume_unique=True)
                self.add(column, check, positions, example)

    def problems(self) -> list[CalibrationProblem]:
        """Every problem counted, in the order first found."""
        problems: list[CalibrationProblem] = []
        for (column, check), (count, rows, example) in self.found.items():
            values: dict[str, str | int | float] = {
                "file": self.file,
                "column": column,
                "count": format_number(count),
            }
            if check in _TYPE_KEYS:
                key = _TYPE_KEYS[check]
                values["example"] = _shown(example)
            elif check == "not_nullable":
                key = "calibrate.error.missing_value"
            elif check == "resolved_when_answered":
                key = "calibrate.error.resolved_missing"
            elif check.startswith("isin"):
                key = "calibrate.error.not_flag"
                values["example"] = _shown(example)
            else:
                key = "calibrate.error.out_of_range"
                low, high = _RANGE_TEXT.get(column, (0.0, 0.0))
                values.update(
                    example=_shown(example), low=format_number(low), high=format_number(high)
                )
            rows_shown = problem_rows(rows, self.first_row)
            problems.append(CalibrationProblem(key, values, column, rows_shown, count, count))
        return problems


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _mapped(
    opened: _Opened,
    mapping: Mapping[str, str] | None,
    canonical: tuple[str, ...],
    file: str,
) -> dict[str, str]:
    """The headers to read, each with its canonical column; problems if any is wrong."""
    chosen, unknown, duplicates = resolve_mapping(opened.headers, mapping, canonical)
    problems = [
        CalibrationProblem(
            "calibrate.error.mapping_target",
            {"file": file, "header": header, "target": target, "columns": ", ".join(canonical)},
        )
        for header, target in unknown
    ]
    problems += [
        CalibrationProblem(
            "calibrate.error.duplicate_column",
            {"file": file, "first": first, "second": second, "column": column},
            column=column,
        )
        for first, second, column in duplicates
    ]
    if mapping is not None:
        problems += [
            CalibrationProblem("calibrate.error.mapping_header", {"file": file, "header": header})
            for header in mapping
            if header not in opened.headers
        ]
    if problems:
        raise CalibrationError(problems)
    return chosen


def _missing_columns(
    present: set[str], required: tuple[str, ...], headers: list[str], file: str
) -> list[CalibrationProblem]:
    found = ", ".join(headers[:12]) + (", ..." if len(headers) > 12 else "")
    return [
        CalibrationProblem(
            "calibrate.error.missing_column",
            {"file": file, "column": column, "found": found or "-"},
            column=column,
        )
        for column in required
        if column not in present
    ]


def _typed_contacts(
    raw: pd.DataFrame, decimal_comma: bool, tally: _Tally
) -> tuple[dict[str, pd.Series], dict[str, np.ndarray]]:
    """One chunk with every column coerced to its type; unreadable values counted.

    Returns the typed chunk (flags as float32 0/1, NaN when empty) and, per
    column, the positions whose value could not be read.
    """
    typed: dict[str, pd.Series] = {}
    unreadable: dict[str, np.ndarray] = {}
    for column in CONTACT_COLUMNS:
        if column not in raw.columns:
            continue
        series = raw[column]
        if column == "timestamp":
            value, bad = _timestamp(series)
            kind = "timestamp"
        elif column in FLAG_COLUMNS:
            number, bad = _flag(series, decimal_comma)
            value, kind = number.astype(np.float32), "flag"
        elif column in NUMBER_COLUMNS:
            value, bad = _number(series, decimal_comma)
            kind = "number"
        elif column == "customer_id" and pd.api.types.is_integer_dtype(series.dtype):
            value, bad = series.astype(np.int64), np.zeros(len(series), dtype=bool)
            kind = "text"
        else:
            value, bad = _text(series), np.zeros(len(series), dtype=bool)
            kind = "text"
        if bad.any():
            positions = raw.index.to_numpy()[bad]
            tally.add(column, kind, positions, series[bad].iloc[0])
            unreadable[column] = positions
        typed[column] = value
    return typed, unreadable


class _Columns:
    """The typed columns of a whole log, filled chunk by chunk in place.

    Each column is allocated once at the log's most rows (the cap, or the
    count a Parquet footer or a table gives); pages never written cost no
    memory. Channels are stored as codes of a growing category list, integer
    customer ids as integers, other text as the chunks' own string arrays.
    Filling in place, rather than joining chunks at the end, keeps memory at
    the typed columns plus one chunk (joining freed the chunks' memory to the
    allocator, not to the system).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.arrays: dict[str, np.ndarray[Any, np.dtype[Any]]] = {}
        self.texts: dict[str, list[pd.Series]] = {}
        self.categories: dict[str, dict[str, int]] = {}

    def put(self, chunk: Mapping[str, pd.Series], start: int) -> None:
        """Store a typed chunk whose first row is record ``start``."""
        stop = start + len(next(iter(chunk.values())))
        for column, series in chunk.items():
            if column == "channel":
                codes, uniques = pd.factorize(series, use_na_sentinel=True)
                known = self.categories.setdefault(column, {})
                lookup = np.array([known.setdefault(str(u), len(known)) for u in uniques] + [-1])
                self._array(column, np.dtype(np.int32))[start:stop] = lookup[codes]
            elif pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
                self.texts.setdefault(column, []).append(series.reset_index(drop=True))
            else:
                values = series.to_numpy()
                self._array(column, values.dtype)[start:stop] = values

    def _array(self, column: str, dtype: np.dtype[Any]) -> np.ndarray[Any, np.dtype[Any]]:
        if column not in self.arrays:
            self.arrays[column] = np.empty(self.capacity, dtype=dtype)
        return self.arrays[column]

    def frame(self, rows: int, order: tuple[str, ...]) -> pd.DataFrame:
        """The log as one frame of ``rows`` rows, columns in ``order``."""
        columns: dict[str, object] = {}
        for column in order:
            if column in self.categories:
                names = pd.Index(list(self.categories[column]), dtype="string")
                codes = self.arrays[column][:rows].astype(np.int32, copy=False)
                columns[column] = pd.Categorical.from_codes(codes, names)
            elif column in self.arrays:
                columns[column] = self.arrays[column][:rows]
            elif column in self.texts:
                parts = self.texts.pop(column)
                columns[column] = (
                    pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
                )
        return pd.DataFrame(columns, copy=False)


def read_contacts(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    name: str = "contacts.csv",
    courtesy_threshold: float = DEFAULT_COURTESY_THRESHOLD,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> ContactLog:
    """Read and check a contact log: one row per contact, canonical columns.

    Parameters
    ----------
    source : path, the file's bytes, or a pandas DataFrame
    mapping : ``{their_header: canonical}``; the headers it leaves out are
        guessed from English and Norwegian names (``guess_mapping``), canonical
        names included. None guesses them all.
    name : the file's name in problems and sources (and, for bytes, its suffix
        tells the format)
    courtesy_threshold : with a ``courtesy_score`` (1-5) and no ``rude``
        column, a score at most this counts as rude [1-5]
    max_rows : most contact rows read [rows]
    max_bytes : largest file read [bytes]

    Returns
    -------
    ContactLog

    Raises
    ------
    CalibrationError
        With every problem found: missing columns, values of the wrong type
        or out of range (by column, with the first file rows), an empty or
        too large file.

    Examples
    --------
    >>> header = "tidspunkt;kanal;ventetid_sek;avbrutt;behandlingstid;løst;frekk;kunde_id;sluttet"
    >>> data = f"{header}\\n05.01.2026 08:13;Telefon;42,5;nei;300;ja;nei;K1;0\\n".encode()
    >>> log = read_contacts(data, name="kontakter.csv")
    >>> float(log.frame["wait_seconds"].iloc[0]), str(log.frame["timestamp"].iloc[0])
    (42.5, '2026-01-05 08:13:00')
    """
    if not 1.0 <= courtesy_threshold <= 5.0:
        raise _problem("calibrate.error.courtesy_threshold", value=courtesy_threshold)
    opened = _open(source, name, max_bytes)
    chosen = _mapped(opened, mapping, CONTACT_COLUMNS, name)
    present = set(chosen.values())
    problems = _missing_columns(present, REQUIRED_CONTACT_COLUMNS, opened.headers, name)
    if "rude" not in present and "courtesy_score" not in present:
        problems.append(
            CalibrationProblem("calibrate.error.missing_rude", {"file": name}, column="rude")
        )
    if problems:
        raise CalibrationError(problems)
    tally = _Tally(name, FIRST_DATA_ROW)
    schema = _contact_schema()
    columns = _Columns(min(opened.rows or max_rows, max_rows))
    rows = 0
    for raw in _read_chunks(opened, list(chosen), max_rows, name):
        raw = raw.set_axis([chosen[str(h)] for h in raw.columns], axis=1)
        typed, unreadable = _typed_contacts(raw, opened.decimal_comma, tally)
        tally.check(pd.DataFrame(typed, index=raw.index), schema, unreadable)
        # Once a problem is found only counting goes on: nothing is kept to return.
        if not tally.found:
            columns.put(typed, rows)
        rows += len(raw)
    if rows == 0:
        raise _problem("calibrate.error.empty", file=name)
    if tally.found:
        raise CalibrationError(tally.problems())
    frame = columns.frame(rows, CONTACT_COLUMNS)
    if "rude" not in frame.columns:
        score = frame["courtesy_score"].to_numpy()
        rude = np.where(np.isnan(score), np.nan, (score <= courtesy_threshold) * 1.0)
        frame["rude"] = rude.astype(np.float32)
    return ContactLog(frame, name, opened.file_format, dict(chosen), FIRST_DATA_ROW)


def read_complaints(
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    name: str = "complaints.csv",
    max_rows: int = MAX_COMPLAINT_ROWS,
    max_bytes: int = MAX_BYTES,
) -> ComplaintLog:
    """Read and check a complaint log: one row per complaint, with its ``reason``.

    Parameters as :func:`read_contacts`. Empty reasons are reported by row.

    Examples
    --------
    >>> data = "Årsak\\nLang ventetid\\nFrekk kundebehandler\\n".encode()
    >>> log = read_complaints(data, name="klager.csv")
    >>> log.frame["reason"].tolist()
    ['Lang ventetid', 'Frekk kundebehandler']
    """
    opened = _open(source, name, max_bytes)
    chosen = _mapped(opened, mapping, COMPLAINT_COLUMNS, name)
    problems = _missing_columns(set(chosen.values()), COMPLAINT_COLUMNS, opened.headers, name)
    if problems:
        raise CalibrationError(problems)
    tally = _Tally(name, FIRST_DATA_ROW)
    schema = pa.DataFrameSchema({"reason": pa.Column(nullable=False)})
    columns = _Columns(min(opened.rows or max_rows, max_rows))
    rows = 0
    for raw in _read_chunks(opened, list(chosen), max_rows, name):
        raw = raw.set_axis([chosen[str(h)] for h in raw.columns], axis=1)
        typed = {"reason": _text(raw["reason"])}
        tally.check(pd.DataFrame(typed, index=raw.index), schema, {})
        if not tally.found:
            columns.put(typed, rows)
        rows += len(raw)
    if rows == 0:
        raise _problem("calibrate.error.empty", file=name)
    if tally.found:
        raise CalibrationError(tally.problems())
    return ComplaintLog(
        columns.frame(rows, COMPLAINT_COLUMNS), name, opened.file_format, dict(chosen)
    )


def read_headers(
    source: Source, *, name: str = "contacts.csv", max_bytes: int = MAX_BYTES
) -> list[str]:
    """The header names of a log as written, for a column-mapping step.

    Raises
    ------
    CalibrationError
        The file is empty, too large, of an unknown format or unreadable.
    """
    return list(_open(source, name, max_bytes).headers)
