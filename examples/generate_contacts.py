"""A synthetic contact log and complaint log from known parameters, for calibration.

The logs follow the model's own equations, so ``cxcost.calibrate.calibrate``
can recover the parameters they were drawn from (tests/test_calibrate_recovery.py):

- Customers: ``customers`` of them, each with Poisson first contacts at
  ``contacts_per_customer_per_year`` over ``days`` days (52 weeks by default,
  from Monday 5 January 2026). The hour of the week follows
  ``cxcost.scenario.typical_week_profile`` (Monday 00:00 first), the minute
  is uniform, the channel follows ``share_of_contacts``.
- Queues (phone, chat): a contact would be answered after a virtual wait V
  (0 with probability ``answered_at_once``, else exponential with mean
  ``mean_virtual_wait_seconds``) and has an exponential patience P with mean
  ``patience_seconds`` (the model's Erlang A patience); it abandons when
  P < V, after waiting P, else it is answered after V. E-mail: the first
  response comes after a log-normal time (median ``median_wait_seconds``,
  log-sd 1), and nobody abandons.
- Handling: exponential handle time with mean ``handle_time_seconds``;
  rude with probability ``rude_share``; unresolved with ``unresolved_share``;
  transferred with ``transferred_share`` (answered contacts only).
- Churn within the 180-day window, the model's Eq 1 with a baseline b:
  P = 1 - (1 - b)(1 - p_wait)(1 - rude p_rude)(1 - unresolved p_dismiss),
  p_wait = wait_churn_max (1 - exp(-W / τ))^s for answered contacts
  (τ = midpoint / -ln(1 - 2^(-1/s)), midpoint ``wait_tolerance_minutes``),
  abandon_churn for abandoned ones.
- Returns: an unresolved, unchurned contact brings the customer back
  exactly one week later (same hour of the week, same channel) with
  probability ``repeat_contact_rate``; the return is a contact like any other
  and may be unresolved again.
- A customer who churns is replaced by a new one (a new ``customer_id``), so
  the number of active customers stays ``customers``, as the model assumes.
- Complaints: a churned contact complains with probability ``complain_share``,
  any other with 1 %; the complaint log has one row per complaint with a
  reason drawn from what went wrong (long wait or abandonment, rudeness,
  unresolved, else an unrelated reason).

Usage::

    python examples/generate_contacts.py --rows 100000 --seed 1 --out /tmp/logs
    python examples/generate_contacts.py --rows 10000000 --seed 1 --out /tmp/logs --format parquet

``generate_logs(rows, seed)`` returns both logs as pandas DataFrames;
``TRUE_PARAMETERS`` holds the default known values.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# Run as a script from a checkout, the repository root is not on sys.path.
_REPOSITORY_ROOT = str(Path(__file__).resolve().parents[1])
if _REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, _REPOSITORY_ROOT)

from cxcost.scenario import Channel, Scenario, typical_week_profile  # noqa: E402

START = pd.Timestamp("2026-01-05 00:00")  # a Monday
FOLLOW_UP_DAYS = 180
REPEAT_DELAY_DAYS = 7


@dataclass(frozen=True)
class ChannelTruth:
    """Known parameters of one channel."""

    kind: str
    name: str
    share_of_contacts: float
    handle_time_seconds: float
    wait_tolerance_minutes: float
    wait_response_shape: int
    patience_seconds: float = math.inf
    answered_at_once: float = 0.0
    mean_virtual_wait_seconds: float = 0.0
    median_wait_seconds: float = 0.0


def _default_channels() -> tuple[ChannelTruth, ...]:
    return (
        ChannelTruth("phone", "Phone", 0.6, 360.0, 4.0, 3, patience_seconds=180.0,
                     answered_at_once=0.3, mean_virtual_wait_seconds=240.0),
        ChannelTruth("chat", "Chat", 0.25, 600.0, 3.0, 3, patience_seconds=300.0,
                     answered_at_once=0.2, mean_virtual_wait_seconds=180.0),
        ChannelTruth("email", "E-mail", 0.15, 420.0, 1440.0, 3,
                     median_wait_seconds=10 * 3600.0),
    )  # fmt: skip


@dataclass(frozen=True)
class Truth:
    """The known parameters a synthetic log is drawn from."""

    channels: tuple[ChannelTruth, ...] = field(default_factory=_default_channels)
    contacts_per_customer_per_year: float = 1.5
    baseline: float = 0.05
    """b: churn for other reasons within the follow-up window."""
    wait_churn_max: float = 0.15
    abandon_churn: float = 0.06
    rude_churn: float = 0.12
    dismissive_churn: float = 0.10
    rude_share: float = 0.05
    unresolved_share: float = 0.15
    transferred_share: float = 0.10
    repeat_contact_rate: float = 0.5
    complain_share: float = 0.3
    days: int = 364

    def scenario(self, customers: int) -> Scenario:
        """A scenario with these channels (and their shapes) and ``customers``."""
        base = Scenario()
        channels = [
            Channel(
                kind=c.kind,  # type: ignore[arg-type]
                name=c.name,
                share_of_contacts=c.share_of_contacts,
                handle_time_seconds=c.handle_time_seconds,
                wait_response_shape=c.wait_response_shape,
                # The base starts the fit away from the truth on purpose.
                wait_tolerance_minutes=c.wait_tolerance_minutes * 2.0,
            )
            for c in self.channels
        ]
        business = base.business.model_copy(update={"customers": customers})
        return base.model_copy(update={"channels": channels, "business": business})


TRUE_PARAMETERS = Truth()

WAIT_REASONS = ("Long wait on the phone", "Nobody answered", "Slow reply to my e-mail")
RUDE_REASONS = ("Rude agent", "Unfriendly tone")
UNRESOLVED_REASONS = ("Issue not resolved", "Transferred around", "Ignored my request")
OTHER_REASONS = ("Wrong invoice", "Late delivery", "Price increase", "Product broke")


def customers_for(rows: int, truth: Truth = TRUE_PARAMETERS) -> int:
    """Customers that give about ``rows`` contacts over the period, returns included."""
    years = truth.days / 365.25
    repeat_factor = 1.0 / (1.0 - truth.unresolved_share * truth.repeat_contact_rate)
    return max(1, round(rows / (truth.contacts_per_customer_per_year * years * repeat_factor)))


def _outcomes(rng: np.random.Generator, truth: Truth, channel: np.ndarray) -> dict[str, np.ndarray]:
    """Wait, abandonment, handling and churn of contacts on the given channels."""
    n = len(channel)
    wait = np.zeros(n)
    abandoned = np.zeros(n, dtype=bool)
    for index, c in enumerate(truth.channels):
        mine = channel == index
        m = int(mine.sum())
        if c.kind == "email":
            wait[mine] = c.median_wait_seconds * np.exp(rng.standard_normal(m))
            continue
        virtual = np.where(
            rng.random(m) < c.answered_at_once, 0.0, rng.exponential(c.mean_virtual_wait_seconds, m)
        )
        patience = rng.exponential(c.patience_seconds, m)
        gives_up = patience < virtual
        abandoned[mine] = gives_up
        wait[mine] = np.where(gives_up, patience, virtual)
    answered = ~abandoned
    wait = np.round(wait, 1)
    handle = np.where(answered, np.round(rng.exponential(1.0, n), 3), np.nan)
    for index, c in enumerate(truth.channels):
        handle[channel == index] *= c.handle_time_seconds
    handle = np.round(handle, 1)
    rude = answered & (rng.random(n) < truth.rude_share)
    unresolved = answered & (rng.random(n) < truth.unresolved_share)
    transferred = answered & (rng.random(n) < truth.transferred_share)
    shape = np.array([c.wait_response_shape for c in truth.channels], dtype=np.float64)[channel]
    midpoint = np.array([c.wait_tolerance_minutes for c in truth.channels])[channel] * 60.0
    tau = midpoint / -np.log1p(-np.exp2(-1.0 / shape))
    g = (-np.expm1(-wait / tau)) ** shape
    p_wait = np.where(answered, truth.wait_churn_max * g, truth.abandon_churn)
    survive = (
        (1.0 - truth.baseline)
        * (1.0 - p_wait)
        * (1.0 - rude * truth.rude_churn)
        * (1.0 - unresolved * truth.dismissive_churn)
    )
    churned = rng.random(n) < 1.0 - survive
    return {
        "wait_seconds": wait,
        "abandoned": abandoned,
        "handle_seconds": handle,
        "resolved": np.where(answered, (~unresolved).astype(np.float64), np.nan),
        "rude": rude,
        "transferred": transferred,
        "churned": churned,
        "unresolved": unresolved,
    }


def generate_logs(
    rows: int, seed: int, truth: Truth = TRUE_PARAMETERS
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A contact log of about ``rows`` contacts and its complaint log.

    Returns
    -------
    contacts, complaints, customers
        The logs (canonical columns) and the number of active customers.
    """
    rng = np.random.default_rng(seed)
    customers = customers_for(rows, truth)
    years = truth.days / 365.25
    first = int(rng.poisson(customers * truth.contacts_per_customer_per_year * years))
    weeks = truth.days // 7
    profile = np.asarray(typical_week_profile())
    hour_of_week = rng.choice(168, size=first, p=profile / profile.sum())
    offset_hours = rng.integers(0, weeks, first) * 168 + hour_of_week
    seconds = offset_hours * 3600.0 + np.floor(rng.random(first) * 3600.0)
    slot = rng.integers(0, customers, first)
    shares = np.array([c.share_of_contacts for c in truth.channels])
    channel = rng.choice(len(truth.channels), size=first, p=shares / shares.sum())
    parts: list[dict[str, np.ndarray]] = []
    period = truth.days * 86_400.0
    while len(slot):
        drawn = _outcomes(rng, truth, channel)
        drawn.update(seconds=seconds, slot=slot, channel=channel)
        parts.append(drawn)
        back = drawn["unresolved"] & ~drawn["churned"]
        back &= rng.random(len(slot)) < truth.repeat_contact_rate
        back &= seconds + REPEAT_DELAY_DAYS * 86_400.0 < period
        seconds = seconds[back] + REPEAT_DELAY_DAYS * 86_400.0
        slot, channel = slot[back], channel[back]
    data = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.lexsort((data["seconds"], data["slot"]))
    data = {key: value[order] for key, value in data.items()}
    # A customer who churned is replaced: the slot's later contacts are a new customer's.
    churned = data["churned"]
    same_slot = np.r_[False, data["slot"][1:] == data["slot"][:-1]]
    before = np.r_[0, np.cumsum(churned)[:-1]]
    slot_start = np.maximum.accumulate(np.where(~same_slot, np.arange(len(churned)), 0))
    generation = before - before[slot_start]
    customer = data["slot"].astype(np.int64) + generation.astype(np.int64) * customers
    complained = np.where(
        churned, rng.random(len(churned)) < truth.complain_share, rng.random(len(churned)) < 0.01
    )
    timestamp = START + pd.to_timedelta(data["seconds"], unit="s")
    names = np.array([c.name for c in truth.channels], dtype=object)
    contacts = pd.DataFrame(
        {
            "timestamp": timestamp.astype("datetime64[us]"),
            "channel": names[data["channel"]],
            "wait_seconds": data["wait_seconds"],
            "abandoned": data["abandoned"].astype(np.int8),
            "handle_seconds": data["handle_seconds"],
            "resolved": pd.array(data["resolved"], dtype="Int8"),
            "transferred": data["transferred"].astype(np.int8),
            "rude": data["rude"].astype(np.int8),
            "customer_id": customer,
            "churned": churned.astype(np.int8),
            "complained": complained.astype(np.int8),
        }
    )
    contacts = contacts.sort_values("timestamp", kind="stable").reset_index(drop=True)
    complaints = _complaints(rng, contacts)
    return contacts, complaints, customers


def _complaints(rng: np.random.Generator, contacts: pd.DataFrame) -> pd.DataFrame:
    """One reason per complaint, from what went wrong in the contact."""
    flagged = contacts[contacts["complained"] == 1]
    n = len(flagged)

    def pick(options: tuple[str, ...]) -> np.ndarray:
        return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]

    long_wait = (flagged["abandoned"] == 1).to_numpy() | (flagged["wait_seconds"] > 300).to_numpy()
    rude = (flagged["rude"] == 1).to_numpy()
    unresolved = (flagged["resolved"].fillna(1) == 0).to_numpy()
    reason = np.where(
        long_wait,
        pick(WAIT_REASONS),
        np.where(rude, pick(RUDE_REASONS), np.where(unresolved, pick(UNRESOLVED_REASONS),
                                                     pick(OTHER_REASONS))),
    )  # fmt: skip
    return pd.DataFrame(
        {
            "timestamp": flagged["timestamp"].to_numpy(),
            "customer_id": flagged["customer_id"].to_numpy(),
            "reason": reason,
        }
    )


def write_logs(
    out: Path, rows: int, seed: int, file_format: str = "csv", truth: Truth = TRUE_PARAMETERS
) -> tuple[Path, Path, int]:
    """Write ``contacts.<ext>`` and ``complaints.<ext>`` to ``out``; returns paths and customers."""
    contacts, complaints, customers = generate_logs(rows, seed, truth)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "parquet" if file_format == "parquet" else "csv"
    paths = (out / f"contacts.{suffix}", out / f"complaints.{suffix}")
    for frame, path in zip((contacts, complaints), paths, strict=True):
        if file_format == "parquet":
            with duckdb.connect() as db:
                db.register("frame", frame)
                db.execute(f"COPY frame TO '{path}' (FORMAT parquet)")
        else:
            frame.to_csv(path, index=False)
    return paths[0], paths[1], customers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="contacts, about")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write to")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args(argv)
    contacts, complaints, customers = write_logs(args.out, args.rows, args.seed, args.format)
    print(f"{contacts} and {complaints} written ({customers:,} active customers)")


if __name__ == "__main__":
    main()
