"""The model's churn equation fitted by maximum likelihood to contact buckets.

A contact's customer leaves within the follow-up window with probability

    P = 1 - (1 - b)(1 - p_wait)(1 - rude p_rude)(1 - unresolved p_dismiss)   (Eq 1)

(``cxcost.churn``, Eq 1, with the other-reasons baseline b over the window as
a fourth factor), where for an answered contact that waited W

    p_wait = wait_churn_max g(W),  g(W) = (1 - exp(-W / τ))^s,              (Eq 2)
    τ = midpoint / -ln(1 - 2^(-1/s))

is the model's S-shaped wait response (``cxcost.queueing.expected_wait_response``,
g(midpoint) = 1/2) with the channel's shape s, and p_wait = abandon_churn for
a contact that abandoned. Rudeness and dismissiveness (unresolved) apply to
answered contacts only, as in the model. A contact whose rudeness is unknown
(no courtesy score) carries the rude term averaged over the rude share ρ
seen where it is known, 1 - ρ p_rude (exact when scores are missing at random).

The wait midpoints (``wait_tolerance_minutes``) are fitted per channel by
default: a phone queue's minutes and an e-mail's hours are different
tolerances. ``tolerance="shared"`` fits one factor on the base scenario's
midpoints instead, keeping their ratios (for small logs).

The log-likelihood of bucket counts (n contacts, k churned)

    ℓ = Σ k ln P + (n - k) ln(1 - P)                                           (Eq 3)

is maximised with ``scipy.optimize.minimize`` (TNC, bounded, analytic
gradient); contacts in one bucket share their covariates, wait taken at the
bucket's mean (buckets 10 % wide in the wait), so the cost grows with buckets,
not rows. 95 % intervals by profile likelihood: the values of one parameter
where the likelihood maximised over all others falls 1.92 (χ²₁(0.95) / 2)
below the maximum [1]. Each end is looked for between 0.8 and 1.25 Wald
half-widths from the estimate (the observed information, by differences of the
analytic gradient, is only a guide), by a parabola through the profile there,
refined with ``scipy.optimize.brentq`` when the parabola misses by more than
0.02; an end that reaches the parameter's bound is that bound.

Assumptions: contacts are independent given their covariates (a customer's
several contacts count as several observations, which makes intervals a little
narrow when customers contact often); the churn flag is observed over the
whole window; the shape s is the scenario's (a whole number, not fitted).

References
----------
.. [1] Y. Pawitan, "In all likelihood: statistical modelling and inference
   using likelihood", Oxford University Press, 2001, ch. 2.6 and 3.4
   (profile likelihood intervals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from cxcost._lean_scipy import lean_numpy_namespace

with lean_numpy_namespace():
    from scipy import optimize, stats

ToleranceMode = Literal["per_channel", "shared"]

PROFILE_DROP: Final = float(stats.chi2.ppf(0.95, 1)) / 2.0
"""Log-likelihood drop at the ends of a 95 % profile interval (1.9207...)."""

MIN_TOLERANCE_MINUTES: Final = 0.01
MAX_TOLERANCE_MINUTES: Final = 20_160.0
"""The limits of ``Channel.wait_tolerance_minutes`` [min]."""

_GAP_TOLERANCE = 0.02
"""An interval end is accepted when ℓ there is within this of its target [log-likelihood];
it moves the end by about 0.5 % of the half-width (the profile's slope there is
about 3.84 / half-width)."""
Z_95: Final = float(stats.norm.ppf(0.975))
_PROBABILITY_CAP = 0.999
_BASELINE_FLOOR = 1e-7
_NAMES: Final = ("baseline", "wait_churn_max", "abandon_churn", "rude_churn", "dismissive_churn")


@dataclass(frozen=True)
class ChurnBuckets:
    """Contacts grouped by everything the churn equation looks at.

    Attributes (arrays of one length, one entry a bucket)
    ----------
    channel : index of the scenario channel
    abandoned : 1 if the contacts abandoned, else 0
    wait_seconds : mean wait of the bucket's answered contacts [s]
    rude : 1 rude, 0 not, NaN unknown (answered contacts only; 0 for abandoned)
    unresolved : 1 if answered and not resolved, else 0
    contacts : n, contacts in the bucket
    churned : k, of them churned within the follow-up window
    """

    channel: NDArray[np.int64]
    abandoned: NDArray[np.float64]
    wait_seconds: NDArray[np.float64]
    rude: NDArray[np.float64]
    unresolved: NDArray[np.float64]
    contacts: NDArray[np.float64]
    churned: NDArray[np.float64]


@dataclass(frozen=True)
class Parameter:
    """One fitted parameter: estimate, 95 % profile interval, contacts informing it."""

    name: str
    value: float
    low: float
    high: float
    n: int
    channel: int | None = None


@dataclass(frozen=True)
class ChurnFit:
    """The churn fit: parameters (midpoints in minutes) and each bucket's fitted P."""

    parameters: tuple[Parameter, ...]
    fitted_probability: NDArray[np.float64]
    log_likelihood: float
    tolerance: ToleranceMode

    def get(self, name: str, channel: int | None = None) -> Parameter | None:
        """The parameter of that name (and channel), if it was fitted."""
        return next((p for p in self.parameters if p.name == name and p.channel == channel), None)


def midpoint_to_tau_factor(shape: NDArray[np.float64]) -> NDArray[np.float64]:
    """κ(s) = -ln(1 - 2^(-1/s)), so that τ = midpoint / κ (Eq 2)."""
    return np.asarray(-np.log1p(-np.exp2(-1.0 / shape)), dtype=np.float64)


@dataclass(frozen=True)
class _Problem:
    """The likelihood's fixed data, and which parameters are free."""

    buckets: ChurnBuckets
    answered: NDArray[np.bool_]
    kappa: NDArray[np.float64]  # κ(s) per bucket
    shape: NDArray[np.float64]  # s per bucket
    group: NDArray[np.int64]  # tolerance group per bucket, -1 without one
    offset: NDArray[np.float64]  # ln(base midpoint) per bucket in the shared mode, else 0
    rude_weight: NDArray[np.float64]  # rude, or the rude share where unknown
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    free: NDArray[np.bool_]
    scale: float  # 1 / all contacts: the objective is a mean per contact


def _parts(theta: NDArray[np.float64], problem: _Problem) -> tuple[NDArray[np.float64], ...]:
    b, wait_max, abandon, rude, dismiss = theta[:5]
    data = problem.buckets
    if len(theta) > 5:
        z = np.where(problem.group >= 0, theta[5 + np.maximum(problem.group, 0)], 0.0)
    else:
        z = np.zeros(len(problem.group))
    midpoint_seconds = 60.0 * np.exp(z + problem.offset)
    x = data.wait_seconds * problem.kappa / midpoint_seconds
    rise = -np.expm1(-x)
    g = np.where(problem.answered, rise**problem.shape, 0.0)
    # dg/dz: x falls as the midpoint grows, dx/dz = -x.
    dg_dz = np.where(
        problem.answered, -problem.shape * x * np.exp(-x) * rise ** (problem.shape - 1.0), 0.0
    )
    wait_factor = np.where(problem.answered, 1.0 - wait_max * g, 1.0 - abandon)
    rude_factor = 1.0 - problem.rude_weight * rude
    dismiss_factor = 1.0 - data.unresolved * dismiss
    survive = (1.0 - b) * wait_factor * rude_factor * dismiss_factor
    return survive, g, dg_dz, wait_factor, rude_factor, dismiss_factor


def _objective(theta: NDArray[np.float64], problem: _Problem) -> tuple[float, NDArray[np.float64]]:
    """Minus Eq 3 per contact, and its gradient."""
    survive, g, dg_dz, wait_factor, rude_factor, dismiss_factor = _parts(theta, problem)
    data = problem.buckets
    leave = np.maximum(1.0 - survive, 1e-300)
    stay = np.maximum(survive, 1e-300)
    log_likelihood = float(
        np.sum(data.churned * np.log(leave) + (data.contacts - data.churned) * np.log(stay))
    )
    weight = -data.churned / leave + (data.contacts - data.churned) / stay  # dℓ/dS
    ds = weight * survive
    grad = np.zeros_like(theta)
    grad[0] = -np.sum(ds) / (1.0 - theta[0])
    answered = problem.answered
    grad[1] = -np.sum(np.where(answered, ds * g / wait_factor, 0.0))
    grad[2] = -np.sum(np.where(answered, 0.0, ds / wait_factor))
    grad[3] = -np.sum(ds * problem.rude_weight / rude_factor)
    grad[4] = -np.sum(ds * data.unresolved / dismiss_factor)
    per_bucket = -ds * theta[1] * dg_dz / wait_factor
    for index in range(len(theta) - 5):
        grad[5 + index] = np.sum(per_bucket[problem.group == index])
    return -log_likelihood * problem.scale, -grad * problem.scale


def _maximise(
    problem: _Problem, start: NDArray[np.float64], fixed: dict[int, float]
) -> tuple[NDArray[np.float64], float]:
    """Maximise ℓ over the free parameters not in ``fixed``; returns θ and ℓ."""
    theta = start.copy()
    for index, value in fixed.items():
        theta[index] = value
    moving = problem.free.copy()
    for index in fixed:
        moving[index] = False
    if not moving.any():
        value, _ = _objective(theta, problem)
        return theta, -value / problem.scale

    def reduced(values: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        full = theta.copy()
        full[moving] = values
        value, grad = _objective(full, problem)
        return value, grad[moving]

    bounds = list(zip(problem.lower[moving], problem.upper[moving], strict=True))
    # TNC, not L-BFGS-B: on problems this small L-BFGS-B's per-iteration LAPACK calls
    # cost milliseconds when OpenBLAS threads compete for a busy machine's cores (25 times
    # slower measured on 2 cores); the estimates agree to five digits.
    result = optimize.minimize(
        reduced,
        np.clip(theta[moving], problem.lower[moving], problem.upper[moving]),
        jac=True,
        method="TNC",
        bounds=bounds,
        options={"ftol": 1e-12, "gtol": 1e-8, "xtol": 1e-8, "maxfun": 2000},
    )
    theta[moving] = result.x
    return theta, -float(result.fun) / problem.scale


def _covariance(problem: _Problem, best: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """The inverse observed information at the estimate (None where it fails).

    The Hessian of ℓ over the free parameters by central differences of the
    analytic gradient. Used only as a guide for the profiles: where each end
    lies (the Wald interval) and where the other parameters move along it.
    """
    free = np.flatnonzero(problem.free)
    hessian = np.zeros((len(free), len(free)))
    for row, index in enumerate(free):
        step = 1e-5 * max(abs(best[index]), 1e-3)
        up, down = best.copy(), best.copy()
        up[index] = min(best[index] + step, problem.upper[index])
        down[index] = max(best[index] - step, problem.lower[index])
        gradient_up = _objective(up, problem)[1][free]
        gradient_down = _objective(down, problem)[1][free]
        hessian[row] = (gradient_up - gradient_down) / (up[index] - down[index])
    hessian = 0.5 * (hessian + hessian.T) / problem.scale
    try:
        inverse = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(inverse)) or np.any(np.diag(inverse) <= 0):
        return None
    covariance = np.zeros((len(best), len(best)))
    covariance[np.ix_(free, free)] = inverse
    return covariance


def _profile_end(
    problem: _Problem,
    best: NDArray[np.float64],
    top: float,
    index: int,
    bound: float,
    covariance: NDArray[np.float64] | None,
) -> float:
    """Where parameter ``index``'s profile falls PROFILE_DROP below ``top``, toward ``bound``.

    With the covariance, the end is looked for between 0.8 and 1.25 Wald
    half-widths from the estimate, each profile point started where the
    quadratic approximation puts the other parameters; else between the
    estimate and the bound.
    """
    target = top - PROFILE_DROP
    start = float(best[index])
    trace = np.zeros_like(best) if covariance is None else covariance[:, index]
    guess = math.nan if covariance is None else Z_95 * math.sqrt(covariance[index, index])
    slope = trace / covariance[index, index] if covariance is not None else trace

    def gap(value: float) -> float:
        moved = np.clip(best + (value - start) * slope, problem.lower, problem.upper)
        _, level = _maximise(problem, moved, {index: value})
        return level - target

    if start == bound:
        return bound
    direction = 1.0 if bound > start else -1.0
    if math.isfinite(guess) and guess > 0:
        near = start + direction * 0.8 * guess
        far = start + direction * 1.25 * guess
        if (far - bound) * direction < 0:
            gap_near, gap_far = gap(near), gap(far)
            if gap_near > 0 > gap_far:
                # The profile is close to a parabola: interpolate through the estimate
                # (gap = PROFILE_DROP) and both points, and accept a root whose gap is
                # within _GAP_TOLERANCE; else refine by brentq inside the bracket.
                value = _parabola_root(
                    (start, near, far), (PROFILE_DROP, gap_near, gap_far), near, far
                )
                if abs(gap(value)) <= _GAP_TOLERANCE:
                    return value
                return float(optimize.brentq(gap, near, far, xtol=2e-3 * guess, rtol=1e-10))
    if gap(bound) >= 0.0:
        return bound
    span = abs(bound - start)
    return float(optimize.brentq(gap, start, bound, xtol=1e-6 * max(span, 1e-9), rtol=1e-10))


def _parabola_root(
    points: tuple[float, float, float], gaps: tuple[float, float, float], low: float, high: float
) -> float:
    """The root between ``low`` and ``high`` of the parabola through three (point, gap) pairs."""
    a, b, c = np.polyfit(np.asarray(points), np.asarray(gaps), 2)
    roots = np.roots([a, b, c])
    inside = [
        float(r.real)
        for r in roots
        if abs(r.imag) < 1e-12 and min(low, high) <= r.real <= max(low, high)
    ]
    if inside:
        return inside[0]
    # No root inside (a nearly straight stretch): the secant between the two points.
    return low + (high - low) * gaps[1] / (gaps[1] - gaps[2])


def fit_churn(
    buckets: ChurnBuckets,
    shapes: Sequence[int],
    base_midpoints_minutes: Sequence[float],
    *,
    tolerance: ToleranceMode = "per_channel",
    rude_share: float = 0.0,
) -> ChurnFit:
    """Fit Eq 1-2 to the buckets by maximum likelihood with profile intervals.

    Parameters
    ----------
    buckets : the contacts, grouped (``ChurnBuckets``)
    shapes : wait-response shape s of each scenario channel [-]
    base_midpoints_minutes : each channel's ``wait_tolerance_minutes`` in the
        base scenario [min]: the start of the fit, and the midpoints the shared
        factor multiplies
    tolerance : "per_channel" (one midpoint per channel with answered waits)
        or "shared" (one factor on the base midpoints)
    rude_share : ρ, the rude share where it is known, for contacts whose
        rudeness is unknown [0-1]

    Returns
    -------
    ChurnFit
        Parameters ``baseline`` (b over the window), ``wait_churn_max``,
        ``abandon_churn``, ``rude_churn``, ``dismissive_churn`` and
        ``wait_tolerance_minutes`` (per channel, or ``wait_tolerance_factor``
        shared), each only where the data hold contacts that inform it.
    """
    n_channels = len(shapes)
    shape_of = np.asarray(shapes, dtype=np.float64)
    base_mid = np.asarray(base_midpoints_minutes, dtype=np.float64)
    answered = buckets.abandoned == 0
    waited = answered & (buckets.wait_seconds > 0)
    channel = buckets.channel
    counts = buckets.contacts
    if tolerance == "per_channel":
        channels_fitted = [c for c in range(n_channels) if counts[waited & (channel == c)].sum()]
        group_of_channel = {c: i for i, c in enumerate(channels_fitted)}
        group = np.array([group_of_channel.get(int(c), -1) for c in channel], dtype=np.int64)
        group = np.where(waited, group, -1)
        offset = np.zeros(len(channel))
        starts = [float(np.log(base_mid[c])) for c in channels_fitted]
        lows = [float(np.log(MIN_TOLERANCE_MINUTES))] * len(channels_fitted)
        highs = [float(np.log(MAX_TOLERANCE_MINUTES))] * len(channels_fitted)
    else:
        channels_fitted = []
        has_waits = bool(counts[waited].sum())
        group = np.where(waited, 0, -1).astype(np.int64) if has_waits else np.full(len(channel), -1)
        offset = np.where(waited, np.log(base_mid[channel]), 0.0)
        used = np.unique(channel[waited])
        starts = [0.0] if has_waits else []
        lows = [float(np.max(np.log(MIN_TOLERANCE_MINUTES) - np.log(base_mid[used])))] * len(starts)
        highs = [float(np.min(np.log(MAX_TOLERANCE_MINUTES) - np.log(base_mid[used])))] * len(
            starts
        )
    rude_weight = np.where(np.isnan(buckets.rude), rude_share, buckets.rude)
    rude_weight = np.where(answered, rude_weight, 0.0)
    n_total = float(counts.sum())
    informed = [
        n_total,
        float(counts[waited].sum()),
        float(counts[~answered].sum()),
        float((counts * rude_weight).sum()),
        float((counts * buckets.unresolved).sum()),
    ]
    overall = float(buckets.churned.sum()) / n_total if n_total else 0.0
    start = np.array(
        [min(max(overall, 1e-4), 0.5), 0.05, 0.05, 0.05, 0.05, *starts], dtype=np.float64
    )
    lower = np.array([_BASELINE_FLOOR, 0.0, 0.0, 0.0, 0.0, *lows])
    upper = np.array([_PROBABILITY_CAP] * 5 + highs)
    free = np.array([informed[i] > 0 for i in range(5)] + [True] * len(starts))
    start = np.where(free, start, 0.0)
    problem = _Problem(
        buckets,
        answered,
        midpoint_to_tau_factor(shape_of[channel]),
        shape_of[channel],
        group,
        offset,
        rude_weight,
        lower,
        upper,
        free,
        1.0 / max(n_total, 1.0),
    )
    best, top = _maximise(problem, start, {})
    # A second start from the first optimum guards against a stop on a flat stretch.
    best, top = _maximise(problem, best, {})
    parameters: list[Parameter] = []
    covariance = _covariance(problem, best)
    for index in np.flatnonzero(free):
        low = _profile_end(problem, best, top, int(index), float(lower[index]), covariance)
        high = _profile_end(problem, best, top, int(index), float(upper[index]), covariance)
        value = float(best[index])
        if index < 5:
            parameters.append(Parameter(_NAMES[index], value, low, high, round(informed[index])))
        elif tolerance == "per_channel":
            c = channels_fitted[index - 5]
            n = int(counts[waited & (channel == c)].sum())
            parameters.append(
                Parameter(
                    "wait_tolerance_minutes",
                    float(np.exp(value)),
                    float(np.exp(low)),
                    float(np.exp(high)),
                    n,
                    channel=c,
                )
            )
        else:
            n = int(counts[waited].sum())
            parameters.append(
                Parameter(
                    "wait_tolerance_factor",
                    float(np.exp(value)),
                    float(np.exp(low)),
                    float(np.exp(high)),
                    n,
                )
            )
    survive = _parts(best, problem)[0]
    return ChurnFit(tuple(parameters), 1.0 - survive, top, tolerance)
