"""Calibration from the company's own data: contact and complaint logs to fitted values.

The package in parts: ``columns`` (canonical columns, English and Norwegian
header names, ``guess_mapping``), ``errors`` (``CalibrationError``),
``reading`` (``read_contacts``, ``read_complaints``: CSV, XLSX, Parquet,
checked with pandera), ``aggregate`` (DuckDB sums), ``fit`` (the churn
equation by maximum likelihood, profile-likelihood intervals),
``estimators`` (patience, shares, means, rates), ``pareto`` (complaint
reasons) and ``calibration`` (``calibrate``, ``apply_calibration``).
Everything public is importable from ``cxcost.calibrate``. Pure: no
Streamlit, no output files; the logs are read, never written.

Contact log
-----------
CSV, XLSX or Parquet (a path or the file's bytes, or a pandas DataFrame),
one row per contact. Canonical columns:

============== ==========================================================
timestamp      arrival, ISO 8601 (``2026-01-05T08:13:00``; also
               ``05.01.2026 08:13``); read as local wall-clock time
channel        a channel name of the scenario, or a kind: phone, chat,
               email (also telefon, chatt, e-post, ...)
wait_seconds   time to answer or to abandon; e-mail: to the first response [s]
abandoned      0/1: the customer gave up waiting
handle_seconds handle time [s]; empty when abandoned
resolved       0/1: resolved in this contact (empty allowed when abandoned)
transferred    0/1, optional
rude           0/1, optional; or ``courtesy_score`` 1-5 (a score at most
               ``courtesy_threshold``, default 2, counts as rude; empty:
               unknown)
customer_id    the customer (any text)
churned        0/1: the customer left within the follow-up window after the
               contact (``follow_up_days``, e.g. 180)
complained     0/1, optional
============== ==========================================================

Flags also read true/false, yes/no and ja/nei. Other header names map with
``mapping={their_name: canonical}``; ``guess_mapping(headers)`` guesses from
English and Norwegian names ("tidspunkt", "kanal", "ventetid_sek",
"avbrutt", "behandlingstid", "løst", "frekk/uhøflig", "kunde_id",
"sluttet", "klaget", ...). A semicolon-separated CSV may use decimal commas
(Excel's Norwegian export); a byte order mark is fine; a file that is not
UTF-8 is read as Windows-1252.

Complaint log
-------------
Optional; one row per complaint with a ``reason`` column (also "årsak",
"grunn", "kategori", ...).

Problems
--------
Every problem is reported at once in a :class:`CalibrationError`, by column
and the first few file rows (the header is row 1): missing columns, values of
the wrong type or out of range, an empty file, a file over ``MAX_BYTES`` or
``MAX_ROWS`` (parameters ``max_bytes``, ``max_rows``), channels the scenario
does not have. Nothing is estimated from a log with a problem, and
``apply_calibration`` changes nothing unless every chosen value applies.

What is estimated
-----------------
See :func:`calibrate`: the churn responses and wait tolerances by maximum
likelihood on buckets of contacts (profile-likelihood intervals), patience
by the Mandelbaum-Zeltyn estimator, handle times, channel shares, contacts
per customer, the hour-of-week profile, rude and dismissive shares, the
repeat-contact rate, the complaining share of churners, and the Pareto of
complaint reasons by driver. docs/calibration.md has the full account.

Examples
--------
>>> from cxcost.scenario import Scenario
>>> rows = ["timestamp,channel,wait_seconds,abandoned,handle_seconds,resolved,rude,"
...         "customer_id,churned"]
>>> rows += [f"2026-01-0{5 + i % 3}T{8 + i % 10:02d}:00,phone,{20 * (i % 7)},"
...          f"{int(i % 9 == 0)},{'' if i % 9 == 0 else 300},{int(i % 5 > 0)},"
...          f"{int(i % 13 == 0)},C{i},{int(i % 11 == 0)}" for i in range(200)]
>>> base = Scenario()
>>> result = calibrate("\\n".join(rows).encode(), base=base, name="log.csv")
>>> result.rows, result.value("channels.0.handle_time_seconds").value
(200, 300.0)
>>> scenario = apply_calibration(base, result, ["channels.0.handle_time_seconds"])
>>> scenario.sources["channels.0.handle_time_seconds"]
'fitted from log.csv, n = 177, 95 % CI 300–300'
"""

from cxcost.calibrate.calibration import (
    Calibration,
    FitCheckRow,
    FittedValue,
    Observation,
    apply_calibration,
    calibrate,
    format_value,
    source_text,
)
from cxcost.calibrate.columns import (
    CONTACT_COLUMNS,
    HEADER_NAMES,
    REQUIRED_CONTACT_COLUMNS,
    guess_mapping,
)
from cxcost.calibrate.errors import CalibrationError, CalibrationProblem
from cxcost.calibrate.pareto import DEFAULT_KEYWORDS, ParetoRow
from cxcost.calibrate.reading import (
    MAX_BYTES,
    MAX_ROWS,
    ComplaintLog,
    ContactLog,
    read_complaints,
    read_contacts,
    read_headers,
)

__all__ = [
    "CONTACT_COLUMNS",
    "DEFAULT_KEYWORDS",
    "HEADER_NAMES",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_CONTACT_COLUMNS",
    "Calibration",
    "CalibrationError",
    "CalibrationProblem",
    "ComplaintLog",
    "ContactLog",
    "FitCheckRow",
    "FittedValue",
    "Observation",
    "ParetoRow",
    "apply_calibration",
    "calibrate",
    "format_value",
    "guess_mapping",
    "read_complaints",
    "read_contacts",
    "read_headers",
    "source_text",
]
