"""Closed-form estimators with 95 % intervals: patience, shares, means, rates, the week.

Each returns an :class:`Estimate` (value, low, high, n). The intervals are the
textbook ones named in each docstring; all are two-sided at 95 %.

References
----------
.. [1] A. Mandelbaum and S. Zeltyn, "Estimating characteristics of queueing
   networks using transactional data", Queueing Systems 29, 1998, pp. 75-127;
   and "The impact of customers' patience on delay and abandonment",
   Operations Research 52(1), 2004 (mean patience = E[time in queue] / P(abandon)
   under exponential patience).
.. [2] F. Garwood, "Fiducial limits for the Poisson distribution",
   Biometrika 28(3/4), 1936, pp. 437-442.
.. [3] E. B. Wilson, "Probable inference, the law of succession, and
   statistical inference", JASA 22(158), 1927, pp. 209-212.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from cxcost._lean_scipy import lean_numpy_namespace

with lean_numpy_namespace():
    from scipy import stats

Z_95: Final = float(stats.norm.ppf(0.975))
"""The standard normal quantile of a two-sided 95 % interval (1.95996...)."""


@dataclass(frozen=True)
class Estimate:
    """A value with its 95 % interval and the number of observations behind it."""

    value: float
    low: float
    high: float
    n: int


def mandelbaum_zeltyn_patience(
    time_in_queue_seconds: float, abandoned: int, contacts: int
) -> Estimate | None:
    """Mean patience from a queue's log: E[time in queue over all contacts] / P(abandon).

    With exponential patience (the model's Erlang A), every contact's time in
    queue is time at risk of abandoning, and abandonments are the events: the
    abandonment rate θ has the maximum-likelihood estimate abandoned / total
    time in queue, the same as Eq 3.2 of [1] (mean patience = mean time in
    queue / share abandoned), so mean patience = 1/θ.

    The interval is exact for a Poisson count over an exposure [2]:
    θ in [χ²(0.025; 2a) / 2T, χ²(0.975; 2a + 2) / 2T], inverted for 1/θ.

    Parameters
    ----------
    time_in_queue_seconds : T, the sum of every contact's time in queue,
        answered and abandoned ones alike [s]
    abandoned : a, contacts that abandoned [-]
    contacts : all contacts offered to the queue [-]

    Returns
    -------
    Estimate or None
        Mean patience [s]; None without an abandonment or any time in queue
        (patience cannot be told then, only that it is long).

    Examples
    --------
    Five calls wait 30, 60, 90 (abandoned), 20 (abandoned) and 0 seconds:
    200 s in queue, 2 abandonments, mean patience 100 s.

    >>> e = mandelbaum_zeltyn_patience(200.0, 2, 5)
    >>> e.value, round(e.low, 1), round(e.high, 1)
    (100.0, 27.7, 825.7)
    """
    if abandoned <= 0 or time_in_queue_seconds <= 0:
        return None
    twice_exposure = 2.0 * time_in_queue_seconds
    rate_low = float(stats.chi2.ppf(0.025, 2 * abandoned)) / twice_exposure
    rate_high = float(stats.chi2.ppf(0.975, 2 * abandoned + 2)) / twice_exposure
    return Estimate(time_in_queue_seconds / abandoned, 1.0 / rate_high, 1.0 / rate_low, contacts)


def wilson_share(successes: int, trials: int) -> Estimate | None:
    """A share with the Wilson score interval [3]; None without trials.

    Examples
    --------
    >>> e = wilson_share(12, 100)
    >>> e.value, round(e.low, 4), round(e.high, 4)
    (0.12, 0.07, 0.1981)
    """
    if trials <= 0:
        return None
    p = successes / trials
    z2 = Z_95**2
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z_95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials**2)) / (1 + z2 / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return Estimate(p, low, high, trials)


def mean_with_interval(total: float, total_of_squares: float, n: int) -> Estimate | None:
    """A mean with the Student t interval mean ± t(0.975; n - 1) s / sqrt(n); None if n < 2."""
    if n < 2:
        return None
    mean = total / n
    variance = max(total_of_squares - n * mean * mean, 0.0) / (n - 1)
    half = float(stats.t.ppf(0.975, n - 1)) * math.sqrt(variance / n)
    return Estimate(mean, mean - half, mean + half, n)


def poisson_interval(
    counts: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Garwood's exact 95 % interval of Poisson means, element-wise [2].

    Examples
    --------
    >>> low, high = poisson_interval(np.array([0.0, 10.0]))
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.0, 4.795], [3.689, 18.39])
    """
    counts = np.asarray(counts, dtype=np.float64)
    low = np.where(counts > 0, stats.chi2.ppf(0.025, 2 * np.maximum(counts, 1)) / 2, 0.0)
    high = stats.chi2.ppf(0.975, 2 * counts + 2) / 2
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def excess_return_share(
    unresolved: int, unresolved_back: int, resolved: int, resolved_back: int
) -> Estimate | None:
    """Share of unresolved contacts that bring the customer back, net of ordinary returns.

    A customer comes back within the window after an unresolved contact with
    probability p_u, after a resolved one with p_r (her ordinary next
    contact). If the issue brings her back with probability r independently
    of ordinary returns, 1 - p_u = (1 - r)(1 - p_r), so
    r = (p_u - p_r) / (1 - p_r). Interval by the delta method on the two
    independent binomial shares; the value and its ends are clipped to [0, 1].

    Examples
    --------
    >>> e = excess_return_share(1000, 550, 9000, 900)
    >>> round(e.value, 4)
    0.5
    """
    if unresolved <= 0 or resolved <= 0 or resolved_back >= resolved:
        return None
    p_u = unresolved_back / unresolved
    p_r = resolved_back / resolved
    value = (p_u - p_r) / (1.0 - p_r)
    d_u = 1.0 / (1.0 - p_r)
    d_r = (p_u - 1.0) / (1.0 - p_r) ** 2
    variance = d_u**2 * p_u * (1 - p_u) / unresolved + d_r**2 * p_r * (1 - p_r) / resolved
    half = Z_95 * math.sqrt(variance)
    return Estimate(_unit(value), _unit(value - half), _unit(value + half), unresolved)


def _unit(share: float) -> float:
    return min(max(share, 0.0), 1.0)
