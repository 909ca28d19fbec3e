"""Contacts summed into buckets and counts with DuckDB, so fitting costs buckets, not rows.

One pass of SQL over the checked contacts (a pandas DataFrame DuckDB scans in
place) gives everything the estimators need:

- churn buckets: channel × wait bucket × abandoned × rude × unresolved, with
  contacts, churned contacts and the mean wait (wait buckets 10 % wide on a
  log scale, an exact zero wait in a bucket of its own);
- per channel: contacts, abandonments, total time in queue, handle-time sums,
  rude, unresolved and transferred counts;
- arrivals per hour of the week (Monday 00:00 first) and the period covered;
- returns: each answered contact's next contact by the same customer (a window
  over customers ordered by time), for the repeat-contact rate;
- complaints among churned contacts.

DuckDB runs with a memory limit (``DUCKDB_MEMORY_LIMIT``) and spills to a
temporary directory beyond it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Final

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cxcost.calibrate.fit import ChurnBuckets

WAIT_BUCKET_RATIO: Final = 1.1
"""Width of a wait bucket: its upper edge over its lower edge [-]."""
DUCKDB_MEMORY_LIMIT: Final = "512MB"
"""Memory DuckDB may hold before it spills to disk."""
HOURS_PER_WEEK: Final = 168


@dataclass(frozen=True)
class ChannelTotals:
    """Sums over one channel's contacts (answered = not abandoned)."""

    contacts: int
    abandoned: int
    time_in_queue_seconds: float
    handle_n: int
    handle_sum: float
    handle_sum_of_squares: float
    answered: int
    rude_known: int
    rude: int
    unresolved: int
    unresolved_stayed: int
    transferred_known: int
    transferred: int
    churned: int


@dataclass(frozen=True)
class Returns:
    """Answered, unchurned contacts with a whole window after them, and how many came back."""

    unresolved: int
    unresolved_back: int
    resolved: int
    resolved_back: int


@dataclass(frozen=True)
class Aggregates:
    """Everything calibration needs from the contacts, summed."""

    buckets: ChurnBuckets
    channels: tuple[ChannelTotals, ...]
    hour_of_week: NDArray[np.float64]
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    returns: Returns
    churned: int
    churned_complaint_known: int
    churned_complained: int


def _int(value: object) -> int:
    return int(value) if value is not None else 0  # type: ignore[call-overload]


def _float(value: object) -> float:
    return float(value) if value is not None else 0.0  # type: ignore[arg-type]


def aggregate(
    frame: pd.DataFrame, channel_index: NDArray[np.int64], n_channels: int, window_days: int
) -> Aggregates:
    """Sum the contacts (``ContactLog.frame``) with DuckDB.

    Parameters
    ----------
    frame : checked contacts, canonical columns
    channel_index : the scenario channel of each contact
    n_channels : channels in the scenario
    window_days : a return within this many days after a contact counts [days]
    """
    columns = {
        "timestamp": frame["timestamp"],
        "channel_index": pd.Series(channel_index.astype(np.int8), index=frame.index),
        "wait_seconds": frame["wait_seconds"],
        "abandoned": frame["abandoned"],
        "handle_seconds": frame["handle_seconds"],
        "resolved": frame["resolved"],
        "rude": frame["rude"],
        "customer_id": frame["customer_id"],
        "churned": frame["churned"],
    }
    for optional in ("transferred", "complained"):
        columns[optional] = (
            frame[optional]
            if optional in frame.columns
            else pd.Series(np.nan, index=frame.index, dtype=np.float64)
        )
    contacts = pd.DataFrame(columns, copy=False)
    with tempfile.TemporaryDirectory(prefix="cxcost-duckdb-") as spill, duckdb.connect() as db:
        db.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        quoted = spill.replace("'", "''")
        db.execute(f"SET temp_directory = '{quoted}'")
        db.register("contacts", contacts)
        return _aggregate(db, n_channels, window_days)


def _aggregate(db: duckdb.DuckDBPyConnection, n_channels: int, window_days: int) -> Aggregates:
    log_ratio = float(np.log(WAIT_BUCKET_RATIO))
    db.execute(
        f"""
        CREATE TEMP VIEW keyed AS
        SELECT channel_index,
               CAST(abandoned AS INTEGER) AS abandoned,
               CASE WHEN abandoned = 1 THEN -1
                    WHEN wait_seconds <= 0 THEN 0
                    ELSE 1 + greatest(0, CAST(floor(ln(wait_seconds) / {log_ratio}) AS INTEGER) + 1)
               END AS wait_bucket,
               CASE WHEN abandoned = 1 THEN 0 ELSE rude END AS rude,
               CASE WHEN abandoned = 0 AND resolved = 0 THEN 1 ELSE 0 END AS unresolved,
               wait_seconds, churned
        FROM contacts
        """
    )
    rows = db.execute(
        """
        SELECT channel_index, abandoned, wait_bucket, rude, unresolved,
               count(*) AS n, sum(churned) AS k, avg(wait_seconds) AS wait_mean
        FROM keyed GROUP BY ALL ORDER BY ALL
        """
    ).df()
    buckets = ChurnBuckets(
        channel=rows["channel_index"].to_numpy(dtype=np.int64),
        abandoned=rows["abandoned"].to_numpy(dtype=np.float64),
        wait_seconds=rows["wait_mean"].to_numpy(dtype=np.float64, na_value=np.nan),
        rude=rows["rude"].to_numpy(dtype=np.float64, na_value=np.nan),
        unresolved=rows["unresolved"].to_numpy(dtype=np.float64),
        contacts=rows["n"].to_numpy(dtype=np.float64),
        churned=rows["k"].to_numpy(dtype=np.float64),
    )
    per_channel = db.execute(
        """
        SELECT channel_index,
               count(*), sum(abandoned), sum(wait_seconds),
               count(handle_seconds) FILTER (WHERE abandoned = 0),
               sum(handle_seconds) FILTER (WHERE abandoned = 0),
               sum(handle_seconds * handle_seconds) FILTER (WHERE abandoned = 0),
               count(*) FILTER (WHERE abandoned = 0),
               count(rude) FILTER (WHERE abandoned = 0),
               sum(rude) FILTER (WHERE abandoned = 0),
               count(*) FILTER (WHERE abandoned = 0 AND resolved = 0),
               count(*) FILTER (WHERE abandoned = 0 AND resolved = 0 AND churned = 0),
               count(transferred) FILTER (WHERE abandoned = 0),
               sum(transferred) FILTER (WHERE abandoned = 0),
               sum(churned)
        FROM contacts GROUP BY channel_index
        """
    ).fetchall()
    empty = ChannelTotals(0, 0, 0.0, 0, 0.0, 0.0, 0, 0, 0, 0, 0, 0, 0, 0)
    totals = [empty] * n_channels
    for row in per_channel:
        totals[int(row[0])] = ChannelTotals(
            contacts=_int(row[1]),
            abandoned=_int(row[2]),
            time_in_queue_seconds=_float(row[3]),
            handle_n=_int(row[4]),
            handle_sum=_float(row[5]),
            handle_sum_of_squares=_float(row[6]),
            answered=_int(row[7]),
            rude_known=_int(row[8]),
            rude=_int(row[9]),
            unresolved=_int(row[10]),
            unresolved_stayed=_int(row[11]),
            transferred_known=_int(row[12]),
            transferred=_int(row[13]),
            churned=_int(row[14]),
        )
    hours = db.execute(
        """
        SELECT (isodow(timestamp) - 1) * 24 + hour(timestamp) AS hour_of_week, count(*)
        FROM contacts GROUP BY 1
        """
    ).fetchall()
    hour_of_week = np.zeros(HOURS_PER_WEEK)
    for hour, count in hours:
        hour_of_week[int(hour)] = float(count)
    span = db.execute("SELECT min(timestamp), max(timestamp) FROM contacts").fetchone()
    assert span is not None
    period_start, period_end = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    returns = db.execute(
        f"""
        WITH ordered AS (
            SELECT timestamp, abandoned, resolved, churned,
                   lead(timestamp) OVER (PARTITION BY customer_id ORDER BY timestamp) AS next_at
            FROM contacts
        )
        SELECT resolved, count(*),
               count(*) FILTER (WHERE next_at <= timestamp + INTERVAL {int(window_days)} DAY)
        FROM ordered
        WHERE abandoned = 0 AND churned = 0
          AND timestamp + INTERVAL {int(window_days)} DAY <= (SELECT max(timestamp) FROM contacts)
        GROUP BY resolved
        """
    ).fetchall()
    back = {int(row[0]): (_int(row[1]), _int(row[2])) for row in returns if row[0] is not None}
    complaint = db.execute(
        """
        SELECT count(*) FILTER (WHERE churned = 1),
               count(complained) FILTER (WHERE churned = 1),
               sum(complained) FILTER (WHERE churned = 1)
        FROM contacts
        """
    ).fetchone()
    assert complaint is not None
    return Aggregates(
        buckets=buckets,
        channels=tuple(totals),
        hour_of_week=hour_of_week,
        period_start=period_start,
        period_end=period_end,
        returns=Returns(
            unresolved=back.get(0, (0, 0))[0],
            unresolved_back=back.get(0, (0, 0))[1],
            resolved=back.get(1, (0, 0))[0],
            resolved_back=back.get(1, (0, 0))[1],
        ),
        churned=_int(complaint[0]),
        churned_complaint_known=_int(complaint[1]),
        churned_complained=_int(complaint[2]),
    )
