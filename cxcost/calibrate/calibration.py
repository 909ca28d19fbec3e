"""Calibrate a scenario from a company's own contact and complaint logs.

``calibrate`` reads the logs, sums them with DuckDB, fits the churn equation
by maximum likelihood and estimates the rest in closed form, each value with
a 95 % interval, the number of contacts behind it, the method and the base
scenario's current value. ``apply_calibration`` writes the chosen values into
a scenario with their sources and uncertainty ranges.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import BaseModel, ValidationError

from cxcost.calibrate.aggregate import HOURS_PER_WEEK, Aggregates, aggregate
from cxcost.calibrate.columns import normalise_header
from cxcost.calibrate.errors import (
    ROWS_SHOWN,
    CalibrationError,
    CalibrationProblem,
    problem_rows,
)
from cxcost.calibrate.estimators import (
    Estimate,
    excess_return_share,
    mandelbaum_zeltyn_patience,
    mean_with_interval,
    poisson_interval,
    wilson_share,
)
from cxcost.calibrate.fit import ChurnFit, ToleranceMode, fit_churn
from cxcost.calibrate.pareto import ParetoRow, check_keywords, pareto
from cxcost.calibrate.reading import (
    DEFAULT_COURTESY_THRESHOLD,
    MAX_BYTES,
    MAX_COMPLAINT_ROWS,
    MAX_ROWS,
    ComplaintLog,
    ContactLog,
    Source,
    read_complaints,
    read_contacts,
)
from cxcost.dotted import get_path, set_path
from cxcost.i18n import Language, format_number, t
from cxcost.quality import training_gap_kept
from cxcost.scenario import (
    MAX_PROFILE_WEIGHT,
    MAX_UNCERTAINTY_FACTOR,
    UNCERTAIN_INPUTS,
    Business,
    Channel,
    ChurnResponse,
    Demand,
    Quality,
    Scenario,
)

Number = float | tuple[float, ...]

DAYS_PER_YEAR: Final = 365.25
MIN_RANGE_FACTOR: Final = 0.01
"""Lowest uncertainty multiplier ``apply_calibration`` writes (a Range's low must be > 0)."""
FOLLOW_UP_DAYS_RANGE: Final = (1, 3650)
REPEAT_WINDOW_DAYS_RANGE: Final = (1, 365)

METHOD_PROFILE: Final = "calibrate.method.profile_likelihood"
METHOD_PROFILE_ANNUAL: Final = "calibrate.method.profile_likelihood_annual"
METHOD_PROFILE_SHARED: Final = "calibrate.method.profile_likelihood_shared"
METHOD_PATIENCE: Final = "calibrate.method.mandelbaum_zeltyn"
METHOD_MEAN: Final = "calibrate.method.mean"
METHOD_SHARE: Final = "calibrate.method.wilson"
METHOD_FIRST_SHARE: Final = "calibrate.method.first_contact_share"
METHOD_RATE: Final = "calibrate.method.poisson_rate"
METHOD_PROFILE_WEEK: Final = "calibrate.method.hour_of_week"
METHOD_TRAINING: Final = "calibrate.method.training_inverse"
METHOD_RETURNS: Final = "calibrate.method.excess_returns"
"""Message keys naming how each value was estimated (``FittedValue.method``)."""

CHANNEL_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "phone": ("phone", "telephone", "tel", "call", "voice", "telefon", "samtale", "ringte"),
    "chat": ("chat", "live_chat", "webchat", "chatt", "nettprat", "prat"),
    "email": ("email", "e_mail", "mail", "e_post", "epost", "post"),
}
"""Words in a log's ``channel`` column read as a channel kind, English and Norwegian."""

FIT_CHECK_FLAG_KEYS: Final[dict[str, str]] = {
    "abandoned": "calibrate.flag.abandoned",
    "rude": "calibrate.flag.rude",
    "unresolved": "calibrate.flag.unresolved",
    "none": "calibrate.flag.none",
}
"""Message key of each ``FitCheckRow.flag``."""

WAIT_CHECK_EDGES_SECONDS: Final = (
    0.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 3600.0, 4 * 3600.0, 12 * 3600.0,
    86_400.0, 2 * 86_400.0, 7 * 86_400.0, math.inf,
)  # fmt: skip
"""Edges of the wait buckets in the goodness-of-fit rows [s]; a wait of 0 has its own."""


@dataclass(frozen=True)
class FittedValue:
    """One scenario value estimated from the logs.

    Attributes
    ----------
    path : the scenario's dotted field path, e.g. ``churn.rude_churn``,
        ``channels.0.patience_seconds``, ``demand.arrival_profile``
    value : the estimate, clipped to the field's limits (a tuple of 168 for
        the arrival profile)
    low, high : its 95 % interval, clipped likewise
    n : contacts behind the estimate
    method : message key naming the estimator (``calibrate.method.*``)
    current : the base scenario's value at ``path``
    observed : the share seen in the data when the value is derived from it
        (rude and dismissive shares before the training response), else None
    """

    path: str
    value: Number
    low: Number
    high: Number
    n: int
    method: str
    current: Number
    observed: float | None = None


@dataclass(frozen=True)
class Observation:
    """A figure seen in the logs that is no scenario field (shown beside the values).

    ``key`` is its message key (``calibrate.observed.*``); ``channel`` the
    channel's name, "" for all contacts.
    """

    key: str
    channel: str
    value: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class FitCheckRow:
    """Observed against fitted churn for one group of contacts (data for a chart).

    Attributes
    ----------
    group : "wait" (answered contacts of one channel by wait) or "flag"
        (all contacts by what went wrong)
    channel : channel name; "" for all channels
    flag : for "flag" rows: "abandoned", "rude", "unresolved" or "none"
        (answered, courteous and resolved); "" for "wait" rows
    wait_low_seconds, wait_high_seconds : the wait bucket [s] (both 0 for
        contacts answered at once; NaN for "flag" rows)
    contacts : contacts in the group
    churned : of them churned (observed)
    fitted : churned the fitted model expects (sum of the contacts' P)
    """

    group: Literal["wait", "flag"]
    channel: str
    flag: str
    wait_low_seconds: float
    wait_high_seconds: float
    contacts: int
    churned: int
    fitted: float

    @property
    def observed_share(self) -> float:
        """Churned / contacts [0-1]."""
        return self.churned / self.contacts if self.contacts else 0.0

    @property
    def fitted_share(self) -> float:
        """Fitted churned / contacts [0-1]."""
        return self.fitted / self.contacts if self.contacts else 0.0


@dataclass(frozen=True)
class Calibration:
    """What the logs say about a scenario, with uncertainty.

    Attributes
    ----------
    values : every value estimated, in the order churn, channels, demand,
        quality (``FittedValue``)
    fit_check : observed against fitted churn by wait bucket and by flag
    pareto : the complaint reasons, most frequent first (empty without a
        complaint log)
    rows : contacts used
    period_start, period_end : first and last contact (local time)
    file_name : the contact log's name
    observed : shares seen in the logs that are no scenario field
    complaint_rows : complaints in the complaint log (0 without one)
    complaints_file_name : its name ("" without one)
    tolerance : how the wait midpoints were fitted ("per_channel" or "shared")
    follow_up_days : the churn flag's window [days]
    channels : the scenario's channel names, in its order
    """

    values: tuple[FittedValue, ...]
    fit_check: tuple[FitCheckRow, ...]
    pareto: tuple[ParetoRow, ...]
    rows: int
    period_start: datetime
    period_end: datetime
    file_name: str
    observed: tuple[Observation, ...] = ()
    complaint_rows: int = 0
    complaints_file_name: str = ""
    tolerance: ToleranceMode = "per_channel"
    follow_up_days: int = 180
    channels: tuple[str, ...] = ()

    def value(self, path: str) -> FittedValue | None:
        """The fitted value at ``path``, if any."""
        return next((v for v in self.values if v.path == path), None)

    @property
    def paths(self) -> tuple[str, ...]:
        """Paths of every fitted value."""
        return tuple(v.path for v in self.values)


def _field_limits(path: str) -> tuple[float, float]:
    """The ge/le limits of a scenario field, read from its pydantic Field."""
    parts = path.split(".")
    if parts[0] == "channels":
        model: type[BaseModel] = Channel
        name = parts[2]
    elif path == "demand.arrival_profile":
        return 0.0, MAX_PROFILE_WEIGHT
    else:
        models: dict[str, type[BaseModel]] = {
            "business": Business,
            "demand": Demand,
            "quality": Quality,
            "churn": ChurnResponse,
        }
        model = models[parts[0]]
        name = parts[1]
    low, high = -math.inf, math.inf
    for item in model.model_fields[name].metadata:
        ge, le = getattr(item, "ge", None), getattr(item, "le", None)
        if ge is not None:
            low = float(ge)
        if le is not None:
            high = float(le)
    return low, high


def _clip(value: float, limits: tuple[float, float]) -> float:
    return float(min(max(value, limits[0]), limits[1]))


def _fitted(
    base: Scenario,
    path: str,
    estimate: Estimate,
    method: str,
    observed: float | None = None,
) -> FittedValue:
    """The estimate at ``path``, clipped to the field's limits, beside the base's value."""
    bounds = _field_limits(path)
    current = get_path(base, path)
    return FittedValue(
        path,
        _clip(estimate.value, bounds),
        _clip(estimate.low, bounds),
        _clip(estimate.high, bounds),
        estimate.n,
        method,
        float(current),
        observed,
    )


def _problem(key: str, **values: str | int | float) -> CalibrationProblem:
    return CalibrationProblem(key, values)


def _channel_lookup(base: Scenario) -> tuple[dict[str, int], dict[str, int | None]]:
    """Channel names, and kinds (None where the scenario has two of that kind)."""
    names = {normalise_header(c.name): i for i, c in enumerate(base.channels)}
    kinds: dict[str, int | None] = {}
    for i, channel in enumerate(base.channels):
        kinds[channel.kind] = None if channel.kind in kinds else i
    return names, kinds


def _channel_index(log: ContactLog, base: Scenario) -> NDArray[np.int64]:
    """Each contact's scenario channel, matched by name, else by kind (English or Norwegian)."""
    names, kinds = _channel_lookup(base)
    words = {normalise_header(w): kind for kind, ws in CHANNEL_WORDS.items() for w in ws}
    codes, uniques = pd.factorize(log.frame["channel"], sort=False)
    index_of_unique = np.full(len(uniques), -1, dtype=np.int64)
    for position, raw in enumerate(uniques):
        key = normalise_header(raw)
        if key in names:
            index_of_unique[position] = names[key]
        elif key in kinds or key in words:
            match = kinds.get(key if key in kinds else words[key])
            if match is not None:
                index_of_unique[position] = match
    channel = index_of_unique[codes]
    unknown = channel < 0
    if unknown.any():
        listed = ", ".join(f"{c.name} ({c.kind})" for c in base.channels)
        problems = []
        for position in np.flatnonzero(index_of_unique < 0)[:ROWS_SHOWN]:
            rows = np.flatnonzero(codes == position)
            problems.append(
                CalibrationProblem(
                    "calibrate.error.unknown_channel",
                    {"file": log.file_name, "value": str(uniques[position]), "channels": listed},
                    column="channel",
                    rows=problem_rows(rows[:ROWS_SHOWN].tolist(), log.first_row),
                    count=len(rows),
                )
            )
        raise CalibrationError(problems)
    return channel


def _check_parameter(name: str, value: int, limits: tuple[int, int]) -> list[CalibrationProblem]:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (limits[0] <= value <= limits[1])
    ):
        return [
            _problem(
                "calibrate.error.parameter",
                name=name,
                value=str(value),
                low=limits[0],
                high=limits[1],
            )
        ]
    return []


def _churn_values(base: Scenario, fit: ChurnFit, follow_up_days: int) -> list[FittedValue]:
    values: list[FittedValue] = []
    for name in ("wait_churn_max", "abandon_churn", "rude_churn", "dismissive_churn"):
        parameter = fit.get(name)
        if parameter is not None:
            estimate = Estimate(parameter.value, parameter.low, parameter.high, parameter.n)
            values.append(_fitted(base, f"churn.{name}", estimate, METHOD_PROFILE))
    baseline = fit.get("baseline")
    if baseline is not None:
        years = DAYS_PER_YEAR / follow_up_days

        def annual(b: float) -> float:
            return float(-math.expm1(years * math.log1p(-b)))

        estimate = Estimate(
            annual(baseline.value), annual(baseline.low), annual(baseline.high), baseline.n
        )
        values.append(_fitted(base, "business.baseline_churn", estimate, METHOD_PROFILE_ANNUAL))
    for index, channel in enumerate(base.channels):
        path = f"channels.{index}.wait_tolerance_minutes"
        own = fit.get("wait_tolerance_minutes", index)
        shared = fit.get("wait_tolerance_factor")
        if own is not None:
            estimate = Estimate(own.value, own.low, own.high, own.n)
            values.append(_fitted(base, path, estimate, METHOD_PROFILE))
        elif shared is not None:
            mid = channel.wait_tolerance_minutes
            estimate = Estimate(mid * shared.value, mid * shared.low, mid * shared.high, shared.n)
            values.append(_fitted(base, path, estimate, METHOD_PROFILE_SHARED))
    return values


def _first_contacts(data: Aggregates, repeat_rate: float) -> NDArray[np.float64]:
    """First contacts per channel: contacts less the estimated returns.

    A return follows an unresolved contact whose customer stayed, with
    probability ``repeat_rate`` (the model's repeat contacts); the rest are
    first contacts, the ones ``share_of_contacts`` and
    ``contacts_per_customer_per_year`` count.
    """
    return np.array(
        [max(c.contacts - repeat_rate * c.unresolved_stayed, 0.0) for c in data.channels]
    )


def _channel_values(base: Scenario, data: Aggregates, repeat_rate: float) -> list[FittedValue]:
    values: list[FittedValue] = []
    for index, (channel, totals) in enumerate(zip(base.channels, data.channels, strict=True)):
        if channel.kind in ("phone", "chat"):
            patience = mandelbaum_zeltyn_patience(
                totals.time_in_queue_seconds, totals.abandoned, totals.contacts
            )
            if patience is not None:
                values.append(
                    _fitted(base, f"channels.{index}.patience_seconds", patience, METHOD_PATIENCE)
                )
        handle = mean_with_interval(
            totals.handle_sum, totals.handle_sum_of_squares, totals.handle_n
        )
        if handle is not None:
            values.append(
                _fitted(base, f"channels.{index}.handle_time_seconds", handle, METHOD_MEAN)
            )
    first = _first_contacts(data, repeat_rate)
    total = float(first.sum())
    for index in range(len(data.channels)):
        counted = wilson_share(round(first[index]), round(total))
        if counted is None or total <= 0:
            continue
        # The share itself exactly (the shares add up to 1); the interval from whole counts.
        value = float(first[index]) / total
        share = Estimate(value, min(counted.low, value), max(counted.high, value), counted.n)
        path = f"channels.{index}.share_of_contacts"
        values.append(_fitted(base, path, share, METHOD_FIRST_SHARE))
    return values


def _period_hours(data: Aggregates) -> NDArray[np.float64]:
    """How often each hour of the week occurs in the period, Monday 00:00 first.

    The period is whole days, from the first contact's day to the last one's.
    """
    first_day = data.period_start.normalize()
    end = data.period_end.normalize() + pd.Timedelta(days=1)
    hours = pd.date_range(first_day, end, freq="h", inclusive="left")
    slot = (hours.day_of_week.to_numpy() * 24 + hours.hour.to_numpy()).astype(np.int64)
    return np.bincount(slot, minlength=HOURS_PER_WEEK).astype(np.float64)


def _demand_values(
    base: Scenario, data: Aggregates, rows: int, repeat_rate: Estimate | None
) -> list[FittedValue]:
    occurrences = _period_hours(data)
    hours = float(occurrences.sum())
    years = hours / (DAYS_PER_YEAR * 24.0)
    per_customer = 1.0 / years / base.business.customers
    first = float(_first_contacts(data, repeat_rate.value if repeat_rate else 0.0).sum())
    # The count is Poisson (Garwood); the returns taken out add the repeat rate's
    # uncertainty, combined in quadrature.
    low, high = poisson_interval(np.array([float(rows)]))
    spread_count = (float(high[0]) - float(low[0])) / 2.0
    stayed = sum(c.unresolved_stayed for c in data.channels)
    spread_returns = stayed * (repeat_rate.high - repeat_rate.low) / 2.0 if repeat_rate else 0.0
    spread = math.hypot(spread_count, spread_returns)
    contacts = Estimate(
        first * per_customer,
        max(first - spread, 0.0) * per_customer,
        (first + spread) * per_customer,
        rows,
    )
    values = [_fitted(base, "demand.contacts_per_customer_per_year", contacts, METHOD_RATE)]
    rate = np.divide(
        data.hour_of_week, occurrences, out=np.zeros(HOURS_PER_WEEK), where=occurrences > 0
    )
    if rate.sum() > 0:
        scale = HOURS_PER_WEEK / rate.sum()
        counts_low, counts_high = poisson_interval(data.hour_of_week)
        ratio = np.divide(scale, occurrences, out=np.zeros(HOURS_PER_WEEK), where=occurrences > 0)
        values.append(
            FittedValue(
                "demand.arrival_profile",
                _clip_profile(rate * scale),
                _clip_profile(counts_low * ratio),
                _clip_profile(counts_high * ratio),
                rows,
                METHOD_PROFILE_WEEK,
                tuple(float(x) for x in base.demand.arrival_profile),
            )
        )
    return values


def _clip_profile(weights: NDArray[np.float64]) -> tuple[float, ...]:
    limits = _field_limits("demand.arrival_profile")
    return tuple(float(x) for x in np.clip(weights, *limits))


def _repeat_rate(data: Aggregates) -> Estimate | None:
    """The share of unresolved contacts that bring the customer back (excess returns)."""
    returns = data.returns
    return excess_return_share(
        returns.unresolved, returns.unresolved_back, returns.resolved, returns.resolved_back
    )


def _quality_values(base: Scenario, data: Aggregates, repeat: Estimate | None) -> list[FittedValue]:
    """Rude and dismissive shares through the training response, the repeat rate, and
    the complaining share of churners."""
    gap = float(
        training_gap_kept(
            base.quality.training_half_life_hours,
            base.training.hours_per_rep_per_year,
            base.training.new_hire_hours,
            base.staffing.attrition_per_year,
            base.quality.training_fade_half_life_years,
        )
    )
    values: list[FittedValue] = []
    rude_known = sum(c.rude_known for c in data.channels)
    rude = sum(c.rude for c in data.channels)
    answered = sum(c.answered for c in data.channels)
    unresolved = sum(c.unresolved for c in data.channels)
    for name, count, trials in (
        ("rude", rude, rude_known),
        ("dismissive", unresolved, answered),
    ):
        share = wilson_share(count, trials)
        if share is None:
            continue
        floor = float(getattr(base.quality, f"{name}_share_floor"))

        def untrained(observed: float, floor: float = floor) -> float:
            # observed = floor + (untrained - floor) gap (cxcost.quality, Eq 3)
            return min(max(floor + (observed - floor) / gap, floor), 1.0)

        mapped = Estimate(
            untrained(share.value), untrained(share.low), untrained(share.high), share.n
        )
        values.append(
            _fitted(base, f"quality.{name}_share_untrained", mapped, METHOD_TRAINING, share.value)
        )
    if repeat is not None:
        values.append(_fitted(base, "quality.repeat_contact_rate", repeat, METHOD_RETURNS))
    complain = wilson_share(data.churned_complained, data.churned_complaint_known)
    if complain is not None:
        values.append(_fitted(base, "churn.complain_share", complain, METHOD_SHARE))
    return values


def _observations(base: Scenario, data: Aggregates, rows: int) -> list[Observation]:
    found: list[Observation] = []

    def add(key: str, channel: str, estimate: Estimate | None) -> None:
        if estimate is not None:
            found.append(
                Observation(key, channel, estimate.value, estimate.low, estimate.high, estimate.n)
            )

    for channel, totals in zip(base.channels, data.channels, strict=True):
        add("calibrate.observed.abandon_share", channel.name,
            wilson_share(totals.abandoned, totals.contacts))  # fmt: skip
    channels = data.channels
    answered = sum(c.answered for c in channels)
    add("calibrate.observed.churn_share", "", wilson_share(data.churned, rows))
    rude_known = sum(c.rude_known for c in channels)
    add(
        "calibrate.observed.rude_share", "", wilson_share(sum(c.rude for c in channels), rude_known)
    )
    unresolved = sum(c.unresolved for c in channels)
    add("calibrate.observed.unresolved_share", "", wilson_share(unresolved, answered))
    transferred = sum(c.transferred for c in channels)
    known = sum(c.transferred_known for c in channels)
    add("calibrate.observed.transferred_share", "", wilson_share(transferred, known))
    returns = data.returns
    add("calibrate.observed.return_after_unresolved", "",
        wilson_share(returns.unresolved_back, returns.unresolved))  # fmt: skip
    add("calibrate.observed.return_after_resolved", "",
        wilson_share(returns.resolved_back, returns.resolved))  # fmt: skip
    return found


def _fit_check(base: Scenario, data: Aggregates, fit: ChurnFit) -> list[FitCheckRow]:
    buckets = data.buckets
    expected = buckets.contacts * fit.fitted_probability
    answered = buckets.abandoned == 0
    edges = np.asarray(WAIT_CHECK_EDGES_SECONDS)
    rows: list[FitCheckRow] = []
    for index, channel in enumerate(base.channels):
        mine = answered & (buckets.channel == index)
        zero = mine & (buckets.wait_seconds <= 0)
        slot = np.searchsorted(edges, buckets.wait_seconds, side="right") - 1
        groups = [(0.0, 0.0, zero)] + [
            (float(edges[i]), float(edges[i + 1]), mine & ~zero & (slot == i))
            for i in range(len(edges) - 1)
        ]
        for low, high, members in groups:
            if buckets.contacts[members].sum() > 0:
                rows.append(
                    FitCheckRow(
                        "wait",
                        channel.name,
                        "",
                        low,
                        high,
                        int(buckets.contacts[members].sum()),
                        int(buckets.churned[members].sum()),
                        float(expected[members].sum()),
                    )
                )
    rude = np.nan_to_num(buckets.rude, nan=0.0) == 1
    unresolved = buckets.unresolved == 1
    flags: dict[str, NDArray[np.bool_]] = {
        "abandoned": ~answered,
        "rude": answered & rude,
        "unresolved": answered & unresolved,
        "none": answered & ~rude & ~unresolved & ~np.isnan(buckets.rude),
    }
    for flag, members in flags.items():
        if buckets.contacts[members].sum() > 0:
            rows.append(
                FitCheckRow(
                    "flag",
                    "",
                    flag,
                    math.nan,
                    math.nan,
                    int(buckets.contacts[members].sum()),
                    int(buckets.churned[members].sum()),
                    float(expected[members].sum()),
                )
            )
    return rows


def calibrate(
    contacts: Source | ContactLog,
    *,
    complaints: Source | ComplaintLog | None = None,
    base: Scenario,
    mapping: Mapping[str, str] | None = None,
    name: str = "contacts.csv",
    follow_up_days: int = 180,
    repeat_window_days: int = 30,
    keywords: Mapping[str, Sequence[str]] | None = None,
    complaints_mapping: Mapping[str, str] | None = None,
    complaints_name: str = "complaints.csv",
    tolerance: ToleranceMode = "per_channel",
    courtesy_threshold: float = DEFAULT_COURTESY_THRESHOLD,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> Calibration:
    """Estimate a scenario's values from the company's contact (and complaint) log.

    Parameters
    ----------
    contacts : the contact log: a path, the file's bytes, a pandas DataFrame,
        or a ``ContactLog`` already read
    complaints : the complaint log (one row per complaint, a ``reason``
        column), optional
    base : the scenario calibrated: its channels (a log's ``channel`` values
        are matched to their names, else kinds), wait-response shapes,
        training and customer count are used, and its values are the
        ``current`` ones
    mapping : ``{their_header: canonical}`` for the contact log; headers it
        leaves out are guessed (None guesses all)
    name : the contact log's name in problems and sources
    follow_up_days : the churn flag's window: a customer counts as churned
        if she left within this many days after the contact [days]
    repeat_window_days : a contact by the same customer within this many days
        after an unresolved one counts as a return [days]
    keywords : driver -> keywords for the complaint Pareto; None uses
        ``cxcost.calibrate.pareto.DEFAULT_KEYWORDS``
    complaints_mapping, complaints_name : as ``mapping`` and ``name``, for
        the complaint log
    tolerance : wait midpoints fitted "per_channel" (default) or as one
        "shared" factor on the base's midpoints
    courtesy_threshold : a courtesy score (1-5) at most this is rude
    max_rows, max_bytes : caps on the contact log [rows], [bytes]

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        With every problem of the logs and the arguments at once; nothing is
        estimated from a log with a problem.

    Notes
    -----
    Values and their estimators (all intervals 95 %):

    - ``churn.*`` (wait_churn_max, abandon_churn, rude_churn,
      dismissive_churn), ``channels.i.wait_tolerance_minutes`` and
      ``business.baseline_churn``: the churn equation by maximum likelihood,
      profile-likelihood intervals (``cxcost.calibrate.fit``); the baseline b
      over the window made annual, 1 - (1 - b)^(365.25 / follow_up_days).
    - ``channels.i.patience_seconds`` (phone, chat): Mandelbaum-Zeltyn,
      exact Poisson interval.
    - ``channels.i.handle_time_seconds``: mean of answered contacts, t interval.
    - ``channels.i.share_of_contacts``: share of first contacts (contacts less
      the estimated returns: unresolved contacts whose customer stayed × the
      repeat rate), Wilson interval.
    - ``demand.contacts_per_customer_per_year``: first contacts per year per
      ``business.customers`` of the base, Garwood interval on the count.
    - ``demand.arrival_profile``: contacts per hour of the week over the
      times that hour occurs in the period, scaled to a mean of 1 (Garwood
      intervals per hour).
    - ``quality.rude_share_untrained``, ``quality.dismissive_share_untrained``:
      the rude share (rudeness known) and unresolved share of answered
      contacts, Wilson intervals, mapped through the base's training response
      (untrained = floor + (observed - floor) / gap kept, ``cxcost.quality``).
    - ``quality.repeat_contact_rate``: the excess return rate after unresolved
      contacts over resolved ones, delta-method interval.
    - ``churn.complain_share``: complaints among churned contacts, Wilson.
    """
    problems = _check_parameter("follow_up_days", follow_up_days, FOLLOW_UP_DAYS_RANGE)
    problems += _check_parameter("repeat_window_days", repeat_window_days, REPEAT_WINDOW_DAYS_RANGE)
    log: ContactLog | None = None
    complaint_log: ComplaintLog | None = None
    table: dict[str, tuple[str, ...]] = {}
    try:
        log = (
            contacts
            if isinstance(contacts, ContactLog)
            else read_contacts(
                contacts,
                mapping=mapping,
                name=name,
                courtesy_threshold=courtesy_threshold,
                max_rows=max_rows,
                max_bytes=max_bytes,
            )
        )
    except CalibrationError as error:
        problems += error.problems
    if complaints is not None:
        try:
            complaint_log = (
                complaints
                if isinstance(complaints, ComplaintLog)
                else read_complaints(
                    complaints,
                    mapping=complaints_mapping,
                    name=complaints_name,
                    max_rows=MAX_COMPLAINT_ROWS,
                    max_bytes=max_bytes,
                )
            )
        except CalibrationError as error:
            problems += error.problems
    try:
        table = check_keywords(keywords, complaints_name)
    except CalibrationError as error:
        problems += error.problems
    channel: NDArray[np.int64] | None = None
    if log is not None:
        try:
            channel = _channel_index(log, base)
        except CalibrationError as error:
            problems += error.problems
    if problems or log is None or channel is None:
        raise CalibrationError(problems)
    data = aggregate(log.frame, channel, len(base.channels), repeat_window_days)
    rows = log.rows
    rude_known = sum(c.rude_known for c in data.channels)
    rude_share = sum(c.rude for c in data.channels) / rude_known if rude_known else 0.0
    fit = fit_churn(
        data.buckets,
        [c.wait_response_shape for c in base.channels],
        [c.wait_tolerance_minutes for c in base.channels],
        tolerance=tolerance,
        rude_share=rude_share,
    )
    repeat = _repeat_rate(data)
    repeat_rate = repeat.value if repeat is not None else 0.0
    values = (
        _churn_values(base, fit, follow_up_days)
        + _channel_values(base, data, repeat_rate)
        + _demand_values(base, data, rows, repeat)
        + _quality_values(base, data, repeat)
    )
    return Calibration(
        values=tuple(values),
        fit_check=tuple(_fit_check(base, data, fit)),
        pareto=pareto(complaint_log.frame["reason"], table) if complaint_log else (),
        rows=rows,
        period_start=data.period_start.to_pydatetime(),
        period_end=data.period_end.to_pydatetime(),
        file_name=log.file_name,
        observed=tuple(_observations(base, data, rows)),
        complaint_rows=complaint_log.rows if complaint_log else 0,
        complaints_file_name=complaint_log.file_name if complaint_log else "",
        tolerance=tolerance,
        follow_up_days=follow_up_days,
        channels=tuple(c.name for c in base.channels),
    )


def format_value(value: float, language: Language = "en") -> str:
    """A fitted number with two significant digits (no fewer whole digits).

    Examples
    --------
    >>> format_value(0.0612), format_value(120.4), format_value(5.27, "nb")
    ('0.061', '120', '5,3')
    """
    if value == 0 or not math.isfinite(value):
        return format_number(value, language)
    decimals = max(0, 1 - math.floor(math.log10(abs(value))))
    return format_number(value, language, min(decimals, 8))


def source_text(fitted: FittedValue, file_name: str, language: Language = "en") -> str:
    """'fitted from contacts.csv, n = 48,213, 95 % CI 0.061-0.074' in ``language``."""
    file = file_name if len(file_name) <= 120 else file_name[:117] + "..."
    n = format_number(fitted.n, language)
    if isinstance(fitted.low, tuple) or isinstance(fitted.high, tuple):
        return t("calibrate.source.plain", language, file=file, n=n)
    return t(
        "calibrate.source.interval",
        language,
        file=file,
        n=n,
        low=format_value(fitted.low, language),
        high=format_value(fitted.high, language),
    )


def _share_group(paths: Iterable[str], calibration: Calibration) -> set[str]:
    """Channel shares are applied together, so they keep adding up to 100 %."""
    chosen = set(paths)
    shares = {p for p in calibration.paths if p.endswith(".share_of_contacts")}
    return chosen | shares if chosen & shares else chosen


def apply_calibration(
    scenario: Scenario,
    calibration: Calibration,
    paths: Iterable[str] | None = None,
    *,
    language: Language = "en",
) -> Scenario:
    """The scenario with the chosen fitted values, their sources and uncertainty ranges.

    Parameters
    ----------
    scenario : the scenario to change (usually the calibration's base)
    calibration : from :func:`calibrate`
    paths : the values to apply; None applies all. Choosing one channel's
        ``share_of_contacts`` applies every channel's, so they add up to 100 %.
    language : language of the source texts written to ``sources``

    Returns
    -------
    Scenario
        Validated. Each value is clipped to its field's limits (and a
        quality share to at least its floor); ``sources[path]`` says
        "fitted from <file>, n = <n>, 95 % CI <low>-<high>"; where an
        ``UNCERTAIN_INPUTS`` entry covers the path, its range becomes the
        interval as multipliers of the value (low clipped to
        [MIN_RANGE_FACTOR, 1], high to [1, MAX_UNCERTAINTY_FACTOR]; several
        channels' intervals are joined into the widest).

    Raises
    ------
    CalibrationError
        For a path that was not fitted or that the scenario does not have
        (e.g. fewer channels than the calibration's base).
    """
    wanted = set(calibration.paths) if paths is None else _share_group(paths, calibration)
    problems = [
        _problem("calibrate.error.unknown_path", path=path)
        for path in sorted(wanted - set(calibration.paths))
    ]
    data: dict[str, Any] = scenario.model_dump()
    ranges: dict[str, tuple[float, float]] = {}
    for fitted in calibration.values:
        if fitted.path not in wanted:
            continue
        try:
            get_path(data, fitted.path)
        except (KeyError, IndexError):
            problems.append(_problem("calibrate.error.unknown_path", path=fitted.path))
            continue
        value: Any
        if isinstance(fitted.value, tuple):
            value = list(fitted.value)
        else:
            value = _clip(fitted.value, _field_limits(fitted.path))
            if fitted.path.startswith("quality.") and fitted.path.endswith("_untrained"):
                floor_path = fitted.path.replace("_untrained", "_floor")
                value = max(value, float(get_path(data, floor_path)))
            _widen_range(ranges, fitted, value)
        set_path(data, fitted.path, value)
        data["sources"][fitted.path] = source_text(fitted, calibration.file_name, language)
    if problems:
        raise CalibrationError(problems)
    _normalise_shares(data, wanted)
    for name, (low, high) in ranges.items():
        data["uncertainty"][name] = {"low": low, "high": high}
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise CalibrationError(
            [_problem("calibrate.error.apply", detail=str(e["msg"])) for e in error.errors()]
        ) from error


def _normalise_shares(data: dict[str, Any], applied: set[str]) -> None:
    """Channel shares applied together are made to add up to exactly 1 (rounding aside)."""
    channels = data["channels"]
    paths = [f"channels.{i}.share_of_contacts" for i in range(len(channels))]
    if not applied & set(paths):
        return
    total = sum(float(c["share_of_contacts"]) for c in channels)
    if total > 0:
        for channel in channels:
            channel["share_of_contacts"] = float(channel["share_of_contacts"]) / total


def _widen_range(ranges: dict[str, tuple[float, float]], fitted: FittedValue, value: float) -> None:
    """Join the fitted interval, as multipliers of ``value``, into its uncertainty range."""
    if value <= 0 or isinstance(fitted.low, tuple) or isinstance(fitted.high, tuple):
        return
    for name, pattern in UNCERTAIN_INPUTS.items():
        if fnmatch.fnmatchcase(fitted.path, pattern):
            low = min(max(fitted.low / value, MIN_RANGE_FACTOR), 1.0)
            high = min(max(fitted.high / value, 1.0), MAX_UNCERTAINTY_FACTOR)
            if name in ranges:
                low, high = min(low, ranges[name][0]), max(high, ranges[name][1])
            ranges[name] = (low, high)
