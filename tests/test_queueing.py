"""Tests for cxcost.queueing (Erlang C and Erlang A, M/M/n+M).

Four independent lines of evidence:

1. published values (pyworkforce README and test suite) at their printed
   precision, and pyworkforce's own ``ErlangC`` as a third-party peer;
2. an exact reference in mpmath (30 digits) that sums the birth-death chain
   term by term and shares no formula with the module (no incomplete gamma,
   no Kummer function): Erlang B recursion, chain sums, the tagged-customer
   argument for the service level;
3. Hypothesis properties (monotone in agents and target, ranges, limits);
4. edge cases: saturation, zero arrivals, zero agents, broadcasting, errors.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import mpmath as mp
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike, NDArray
from pyworkforce.queuing import ErlangC

from cxcost.queueing import (
    QueueMetrics,
    _log_gamma_scale,
    answered_wait_transform,
    erlang_a,
    erlang_c,
)

SECONDS_PER_HOUR = 3600
METRICS_C = ("p_wait", "mean_wait_seconds", "service_level", "occupancy")
METRICS_A = ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy")

# 30 significant digits leave 20 digits of headroom over the 1e-9 we assert.
# The Erlang A sums have positive terms only; the Erlang C closed forms
# subtract, but lose at most a few digits even at ρ = 0.997.
REFERENCE_DPS = 30


# --------------------------------------------------------------------------
# Exact references in mpmath
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Exact:
    """Exact queue metrics as mpmath numbers."""

    p_wait: mp.mpf
    p_abandon: mp.mpf
    mean_wait_seconds: mp.mpf
    service_level: mp.mpf
    occupancy: mp.mpf


def _geometric_tail_small(term: mp.mpf, ratio: mp.mpf, total: mp.mpf, eps: mp.mpf) -> bool:
    """True when the rest of a series with falling ratios <= ``ratio`` is below eps * total."""
    return bool(ratio < 1 and term * ratio / (1 - ratio) < eps * total)


def _mp_states_below(agents: float, load: mp.mpf, eps: mp.mpf) -> tuple[mp.mpf, mp.mpf | None]:
    """R = sum_{k<n} π_k / π_n and K = sum_{k<n} k π_k / π_n of the chain.

    Integer n: walk down the chain with π_{k-1}/π_k = k/A (ratios fall once
    k < A, so the bound on the rest is geometric). Non-integer n has no chain;
    there R = 1/B(n, A) - 1 with Jagerman's integral
    1/B(n, A) = A ∫_0^∞ e^{-Ay} (1+y)^n dy (Jagerman 1974), which equals
    the Erlang B recursion at integers; K is then not defined (None).
    """
    if agents != int(agents):
        n = mp.mpf(agents)
        inverse_b = load * mp.quad(lambda u: mp.exp(-load * u) * (1 + u) ** n, [0, 1, 10, mp.inf])
        return inverse_b - 1, None
    total = mp.mpf(0)
    busy = mp.mpf(0)
    weight = mp.mpf(1)
    for k in range(int(agents), 0, -1):
        weight = weight * k / load
        total += weight
        busy += (k - 1) * weight
        ratio = (k - 1) / load
        if _geometric_tail_small(weight, ratio, total, eps):
            break
    return total, busy


def _negative_binomial_tail(
    h_last: mp.mpf, cdf: mp.mpf, last: int, size: mp.mpf, z: mp.mpf, eps: mp.mpf
) -> mp.mpf:
    """P(X > last) for X ~ NegBin(size, 1 - z), given P(X = last) and P(X <= last).

    1 - cdf is well conditioned while cdf <= 1/2; beyond that the upper tail
    is summed, with its geometric bound (ratios fall towards z, or rise to z
    when size < 1) as the stopping rule.
    """
    if cdf <= 0.5:
        return 1 - cdf
    tail = mp.mpf(0)
    h = h_last
    j = last
    while True:
        j += 1
        h = h * z * (j - 1 + size) / j
        tail += h
        ratio = max(z * (j + size) / (j + 1), z)
        if _geometric_tail_small(h, ratio, tail, eps):
            return tail
        if j > last + 2_000_000:
            raise RuntimeError("negative binomial tail did not converge")


@functools.cache
def exact_erlang_a(
    arrivals_per_hour: float,
    handle_time_seconds: float,
    agents: float,
    patience_seconds: float,
    answer_within_seconds: float,
) -> Exact:
    """Erlang A from the birth-death chain (rate λ up; min(k,n)μ + max(k-n,0)θ down).

    With v_m = π_{n+m}/π_n = prod_{j<=m} λ/(nμ + jθ):
    P(wait) = S/Z, E[Q] = sum m v_m / Z, with S = sum v_m and Z = R + S.

    Service level: an arrival that finds m waiting moves up at rate nμ + iθ
    (i ahead of it) and abandons at rate θ; it is served with probability
    x/(x+m+1) (x = nμ/θ), and, given that, its wait is a sum of exponentials
    with rates θ(x+1), ..., θ(x+m+1), whose distribution function is
    I_z(m+1, x+1), z = 1 - e^{-θt} = P(NegBin(x+1, e^{-θt}) > m). Summing
    c_m = v_m x/(x+m+1) against that tail by parts gives
    sum_{j>=1} P(NegBin = j) * sum_{m<j} c_m, a sum of positive terms.
    ``test_tagged_customer_service_level_by_second_route`` checks this
    against a matrix exponential and against mpmath.betainc.
    """
    with mp.workdps(REFERENCE_DPS):
        eps = mp.mpf(10) ** (-REFERENCE_DPS - 3)
        lam = mp.mpf(arrivals_per_hour) / SECONDS_PER_HOUR
        mu = 1 / mp.mpf(handle_time_seconds)
        theta = 1 / mp.mpf(patience_seconds)
        n = mp.mpf(agents)
        x = n * mu / theta
        y = lam / theta
        below, busy_below = _mp_states_below(agents, lam / mu, eps)

        waiting = mp.mpf(1)
        queue = mp.mpf(0)
        in_time_weights = [x / (x + 1)]
        v = mp.mpf(1)
        m = 0
        while True:
            m += 1
            v = v * y / (x + m)
            waiting += v
            queue += m * v
            in_time_weights.append(v * x / (x + m + 1))
            ratio = y / (x + m + 1)
            # sum_{j>m} j v_j <= v * sum_k (m+k) ratio^k
            queue_rest = (
                v * (m * ratio / (1 - ratio) + ratio / (1 - ratio) ** 2) if ratio < 1 else 1
            )
            if _geometric_tail_small(v, ratio, waiting, eps) and queue_rest < eps * queue:
                break
        total = below + waiting

        t = mp.mpf(answer_within_seconds)
        answered_after_wait = mp.mpf(0)
        if t > 0:
            z = -mp.expm1(-theta * t)
            size = x + 1
            h = mp.exp(-theta * t * size)
            cdf = h
            partial = mp.mpf(0)
            for j in range(1, m + 1):
                partial += in_time_weights[j - 1]
                h = h * z * (j - 1 + size) / j
                cdf += h
                answered_after_wait += h * partial
            partial += in_time_weights[m]
            answered_after_wait += partial * _negative_binomial_tail(h, cdf, m, size, z, eps)

        mean_queue = queue / total
        if busy_below is None:
            occupancy = lam * (1 - theta * mean_queue / lam) / (n * mu)
        else:
            occupancy = (busy_below + n * waiting) / (n * total)
        return Exact(
            p_wait=waiting / total,
            p_abandon=theta * mean_queue / lam,
            mean_wait_seconds=mean_queue / lam,
            service_level=(below + answered_after_wait) / total,
            occupancy=occupancy,
        )


@functools.cache
def exact_erlang_c(
    arrivals_per_hour: float,
    handle_time_seconds: float,
    agents: float,
    answer_within_seconds: float,
) -> Exact:
    """Erlang C from the Erlang B recursion B(k) = A B(k-1) / (k + A B(k-1)).

    C = n B / (n - A (1 - B)); E[W] = C / (nμ - λ); P(W <= t) = 1 - C e^{-(nμ-λ)t}
    (the geometric queue of the chain; checked against a Poisson sum over
    the chain in ``test_tagged_customer_service_level_by_second_route``).
    Non-integer n uses Jagerman's integral instead of the recursion.
    """
    with mp.workdps(REFERENCE_DPS):
        lam = mp.mpf(arrivals_per_hour) / SECONDS_PER_HOUR
        mu = 1 / mp.mpf(handle_time_seconds)
        load = lam / mu
        n = mp.mpf(agents)
        if agents == int(agents):
            blocking = mp.mpf(1)
            for k in range(1, int(agents) + 1):
                blocking = load * blocking / (k + load * blocking)
        else:
            below, _ = _mp_states_below(agents, load, mp.mpf(10) ** (-REFERENCE_DPS - 3))
            blocking = 1 / (below + 1)
        p_wait = n * blocking / (n - load * (1 - blocking))
        drain = n * mu - lam
        return Exact(
            p_wait=p_wait,
            p_abandon=mp.mpf(0),
            mean_wait_seconds=p_wait / drain,
            service_level=1 - p_wait * mp.exp(-drain * mp.mpf(answer_within_seconds)),
            occupancy=load / n,
        )


@functools.cache
def exact_answered_wait_transform(
    arrivals_per_hour: float,
    handle_time_seconds: float,
    agents: float,
    patience_seconds: float | None,
    rate_per_second: float,
) -> mp.mpf:
    """E[exp(-κW); answered] from the chain.

    Erlang A: an arrival with m waiting ahead passes stage i (i ahead) with
    E[e^{-κT}; advance] = (nμ + iθ)/(nμ + (i+1)θ + κ); multiply over the
    m+1 stages, weight by π_{n+m}, add P(k < n) for the immediately answered.
    Erlang C: the stages are nμ/(nμ + κ), and the queue found is geometric,
    P(m | wait) = (1-ρ)ρ^m, which sums in closed form.
    """
    with mp.workdps(REFERENCE_DPS):
        eps = mp.mpf(10) ** (-REFERENCE_DPS - 3)
        lam = mp.mpf(arrivals_per_hour) / SECONDS_PER_HOUR
        mu = 1 / mp.mpf(handle_time_seconds)
        kappa = mp.mpf(rate_per_second)
        n = mp.mpf(agents)
        if patience_seconds is None:
            p_wait = exact_erlang_c(arrivals_per_hour, handle_time_seconds, agents, 0.0).p_wait
            rho = lam / (n * mu)
            stage = n * mu / (n * mu + kappa)
            return (1 - p_wait) + p_wait * (1 - rho) * stage / (1 - rho * stage)
        theta = 1 / mp.mpf(patience_seconds)
        x = n * mu / theta
        y = lam / theta
        below, _ = _mp_states_below(agents, lam / mu, eps)
        waiting = mp.mpf(1)
        stages = n * mu / (n * mu + theta + kappa)
        answered = stages
        v = mp.mpf(1)
        m = 0
        while True:
            m += 1
            v = v * y / (x + m)
            stages = stages * (n * mu + m * theta) / (n * mu + (m + 1) * theta + kappa)
            waiting += v
            answered += v * stages
            if _geometric_tail_small(v, y / (x + m + 1), waiting, eps):
                break
        return (below + answered) / (below + waiting)


# --------------------------------------------------------------------------
# Reference grid
# --------------------------------------------------------------------------


class CaseA(NamedTuple):
    arrivals_per_hour: float
    handle_time_seconds: float
    agents: float
    patience_seconds: float
    answer_within_seconds: float


class CaseC(NamedTuple):
    arrivals_per_hour: float
    handle_time_seconds: float
    agents: float
    answer_within_seconds: float


# Offered load A = arrivals_per_hour * handle / 3600 [Erl] in the comments.
CASES_A: dict[str, CaseA] = {
    "pyworkforce-14": CaseA(200, 180, 14, 300, 20),  # A = 10
    "n1-under-t0": CaseA(60, 30, 1, 10, 0),  # A = 0.5
    "n1-overload": CaseA(9, 1200, 1, 3600, 300),  # A = 3 on one agent
    "n50": CaseA(720, 240, 50, 120, 15),  # A = 48
    "n100-overload": CaseA(1560, 300, 100, 60, 60),  # A = 130
    "n500": CaseA(2880, 600, 500, 900, 120),  # A = 480
    "n300-pwait-1e-185": CaseA(3600, 30, 300, 60, 20),  # A = 30, p_wait tiny
    "near-erlang-c": CaseA(150, 60, 3, 3600, 300),  # A = 2.5, patient
    "impatient": CaseA(1200, 45, 20, 10, 5),  # A = 15
    "n5000-overload-t0": CaseA(15600, 1200, 5000, 3600, 0),  # A = 5200
    "n2000-load20000": CaseA(400_000, 180, 2000, 60, 20),  # heavy overload, SL ~ 1e-1218
    "n20000-load20000": CaseA(400_000, 180, 20000, 180, 20),  # critically loaded
    "n20000-patience10-t300": CaseA(2_280_000, 30, 20000, 10, 300),  # A = 19000
    "n20000-underflow": CaseA(72_000, 600, 20000, 600, 20),  # A = 12000, p_wait ~ 1e-965
    "non-integer-7.5": CaseA(180, 120, 7.5, 200, 30),  # A = 6
    "n18000-tiny-sl": CaseA(400_000, 180, 18000, 600, 30),  # A = 20000, SL ~ 6e-43
    "n1800-sl-1e-12": CaseA(40_000, 180, 1800, 600, 10),  # A = 2000, SL ~ 1.5e-12
    "light-traffic-t300": CaseA(0.36, 600, 1, 10, 300),  # A = 0.06, θt = 30
    "patience10-t400": CaseA(200, 180, 14, 10, 400),  # A = 10, θt = 40 (beyond 300 s)
}

CASES_C: dict[str, CaseC] = {
    "n1-t0": CaseC(60, 30, 1, 0),  # A = 0.5
    "n1-light": CaseC(1, 30, 1, 300),  # A = 1/120
    "pyworkforce-14": CaseC(200, 180, 14, 20),  # A = 10
    # The "360 calls per half hour, 4 min, 55 agents, 15 s" tutorial example.
    "n55-textbook": CaseC(720, 240, 55, 15),  # A = 48
    "n3-rho-0.997": CaseC(2.99, 3600, 3, 60),  # A = 2.99
    "n300-pwait-1e-185": CaseC(3600, 30, 300, 20),  # A = 30
    "n2000-rho-0.995": CaseC(39_800, 180, 2000, 20),  # A = 1990
    "n20000-rho-0.995": CaseC(119_400, 600, 20000, 300),  # A = 19900
    "n20050-load20000": CaseC(400_000, 180, 20050, 20),  # A = 20000
    "n20000-underflow": CaseC(90_000, 600, 20000, 20),  # A = 15000, p_wait ~ 6e-330
    "non-integer-7.5": CaseC(180, 120, 7.5, 30),  # A = 6
    "non-integer-30.25": CaseC(400, 240, 30.25, 0),  # A = 26.67
}

CASES_TRANSFORM: dict[str, tuple[float, float, float, float | None, float]] = {
    "A-pyworkforce-14": (200, 180, 14, 300, 1 / 60),
    "A-kappa0": (200, 180, 14, 300, 0.0),  # = 1 - p_abandon
    "A-n1": (60, 30, 1, 10, 0.2),
    "A-n2000-load20000": (400_000, 180, 2000, 60, 0.2),
    "A-n20000-load20000": (400_000, 180, 20000, 180, 1 / 60),
    "A-n20000-patience10": (2_280_000, 30, 20000, 10, 1 / 60),
    "A-non-integer": (180, 120, 7.5, 200, 1 / 30),
    "C-pyworkforce-14": (200, 180, 14, None, 1 / 60),
    "C-n1": (60, 30, 1, None, 1.0),
    "C-n2000-rho-0.995": (39_800, 180, 2000, None, 0.2),
    "C-n20000-rho-0.995": (119_400, 600, 20000, None, 1 / 60),
}


def _metric_params(cases: dict[str, Any], metrics: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(case, metric, id=f"{case_id}-{metric}")
        for case_id, case in cases.items()
        for metric in metrics
    ]


@pytest.mark.parametrize(("case", "metric"), _metric_params(CASES_A, METRICS_A))
def test_erlang_a_matches_exact_chain(
    case: CaseA, metric: str, reference_tolerance: dict[str, float]
) -> None:
    expected = getattr(exact_erlang_a(*case), metric)
    assert getattr(erlang_a(*case), metric) == pytest.approx(
        float(expected), rel=reference_tolerance["rel"], abs=reference_tolerance["abs"]
    )


@pytest.mark.parametrize(("case", "metric"), _metric_params(CASES_C, METRICS_C))
def test_erlang_c_matches_exact_chain(
    case: CaseC, metric: str, reference_tolerance: dict[str, float]
) -> None:
    expected = getattr(exact_erlang_c(*case), metric)
    assert getattr(erlang_c(*case), metric) == pytest.approx(
        float(expected), rel=reference_tolerance["rel"], abs=reference_tolerance["abs"]
    )


@pytest.mark.parametrize("case", list(CASES_TRANSFORM.values()), ids=list(CASES_TRANSFORM))
def test_answered_wait_transform_matches_exact_chain(
    case: tuple[float, float, float, float | None, float], reference_tolerance: dict[str, float]
) -> None:
    expected = float(exact_answered_wait_transform(*case))
    assert answered_wait_transform(*case) == pytest.approx(
        expected, rel=reference_tolerance["rel"], abs=reference_tolerance["abs"]
    )


def test_answered_wait_transform_at_zero_rate_is_answered_share() -> None:
    # κ = 0 leaves E[1; answered] = 1 - P(abandon): ties the transform to erlang_a.
    p_abandon = erlang_a(200, 180, 14, 300).p_abandon
    assert answered_wait_transform(200, 180, 14, 300, 0.0) == pytest.approx(
        1 - p_abandon, rel=1e-12
    )


# --------------------------------------------------------------------------
# The reference itself, checked by a second route on small cases
# --------------------------------------------------------------------------


def _served_within_by_matrix_exponential(
    service_rate: mp.mpf, theta: mp.mpf, ahead: int, t: mp.mpf
) -> mp.mpf:
    """P(served by t) of a tagged caller with ``ahead`` waiting in front of it.

    Transient states: i = ahead..0 callers in front; absorbing: served,
    abandoned. Solved with the matrix exponential of the generator.
    """
    size = ahead + 3
    served, abandoned = ahead + 1, ahead + 2
    generator = mp.zeros(size, size)
    for row in range(ahead + 1):
        in_front = ahead - row
        advance = service_rate + in_front * theta
        generator[row, row + 1 if in_front > 0 else served] = advance
        generator[row, abandoned] = theta
        generator[row, row] = -(advance + theta)
    return mp.expm(generator * t)[0, served]


def _erlang_a_service_level_by_betainc(case: CaseA) -> mp.mpf:
    """The service-level sum evaluated term by term with mpmath.betainc."""
    lam = mp.mpf(case.arrivals_per_hour) / SECONDS_PER_HOUR
    mu = 1 / mp.mpf(case.handle_time_seconds)
    theta = 1 / mp.mpf(case.patience_seconds)
    n = int(case.agents)
    x, y, load = n * mu / theta, lam / theta, lam / mu
    below = mp.fsum(
        mp.exp(k * mp.log(load) - mp.loggamma(k + 1) - n * mp.log(load) + mp.loggamma(n + 1))
        for k in range(n)
    )
    z = -mp.expm1(-theta * case.answer_within_seconds)
    waiting = mp.mpf(0)
    in_time = mp.mpf(0)
    v = mp.mpf(1)
    m = 0
    while m <= y or v > mp.mpf(10) ** -40 * waiting:
        waiting += v
        in_time += v * x / (x + m + 1) * mp.betainc(m + 1, x + 1, 0, z, regularized=True)
        m += 1
        v = v * y / (x + m)
    return (below + in_time) / (below + waiting)


def _erlang_c_service_level_by_poisson_sum(case: CaseC) -> mp.mpf:
    """sum_m π_{n+m} P(Poisson(nμt) >= m+1) + P(k < n), straight from the chain."""
    lam = mp.mpf(case.arrivals_per_hour) / SECONDS_PER_HOUR
    mu = 1 / mp.mpf(case.handle_time_seconds)
    n = int(case.agents)
    load, rho = lam / mu, lam / (n * mu)
    states = [load**k / mp.factorial(k) for k in range(n + 1)]
    norm = mp.fsum(states[:n]) + states[n] / (1 - rho)
    clearing = n * mu * case.answer_within_seconds
    poisson = mp.exp(-clearing)
    at_most = poisson
    in_time = mp.mpf(0)
    m = 0
    while rho**m > mp.mpf(10) ** -40:
        in_time += states[n] * rho**m * (1 - at_most)
        m += 1
        poisson *= clearing / m
        at_most += poisson
    return (mp.fsum(states[:n]) + in_time) / norm


def test_tagged_customer_service_level_by_second_route() -> None:
    with mp.workdps(REFERENCE_DPS):
        # Closed form x/(x+m+1) I_z(m+1, x+1) against the absorbing chain.
        for service_rate, theta in [
            (mp.mpf(1) / 60, mp.mpf(1) / 30),
            (mp.mpf(14) / 180, 1 / mp.mpf(300)),
        ]:
            x = service_rate / theta
            for ahead in range(7):
                for t in (1, 20, 90):
                    z = -mp.expm1(-theta * t)
                    formula = (
                        x / (x + ahead + 1) * mp.betainc(ahead + 1, x + 1, 0, z, regularized=True)
                    )
                    chain = _served_within_by_matrix_exponential(
                        service_rate, theta, ahead, mp.mpf(t)
                    )
                    assert float(abs(formula / chain - 1)) < 1e-20
        # The summed-by-parts reference against the plain term-by-term sum.
        for case in (
            CaseA(200, 180, 14, 300, 20),
            CaseA(10_800, 60, 2, 30, 40),
            CaseA(60, 30, 1, 10, 5),
        ):
            direct = _erlang_a_service_level_by_betainc(case)
            assert float(abs(exact_erlang_a(*case).service_level / direct - 1)) < 1e-20
        for case_c in (CaseC(200, 180, 14, 20), CaseC(60, 30, 1, 7), CaseC(720, 240, 55, 15)):
            direct = _erlang_c_service_level_by_poisson_sum(case_c)
            assert float(abs(exact_erlang_c(*case_c).service_level / direct - 1)) < 1e-20


def test_exact_reference_non_integer_agents_agrees_with_chain_at_integers() -> None:
    # Jagerman's integral must reproduce the chain where both exist.
    with mp.workdps(REFERENCE_DPS):
        eps = mp.mpf(10) ** -33
        load = mp.mpf(10)
        chain, _ = _mp_states_below(14, load, eps)
        n = mp.mpf(14)
        integral = load * mp.quad(lambda u: mp.exp(-load * u) * (1 + u) ** n, [0, 1, 10, mp.inf])
        assert float(abs((integral - 1) / chain - 1)) < 1e-25


# --------------------------------------------------------------------------
# Published values and a third-party peer
# --------------------------------------------------------------------------

# Both published scenarios: 100 calls per 30 min (200/h), AHT 3 min (180 s).
PUBLISHED_ERLANG_C = [
    # pyworkforce README, "Erlang C — infinite patience" (rodrigo-arenas/pyworkforce):
    # ErlangC(transactions=100, aht=3, asa=20/60, interval=30).required_positions(...)
    # -> raw_positions 14, service_level 0.8884, occupancy 0.7143,
    # waiting_probability 0.1741 (printed to 4 decimals).
    pytest.param(14, 20.0, "service_level", 0.8884, 4, id="readme-14-sl"),
    pytest.param(14, 20.0, "occupancy", 0.7143, 4, id="readme-14-occupancy"),
    pytest.param(14, 20.0, "p_wait", 0.1741, 4, id="readme-14-pwait"),
    # pyworkforce queuing/tests/test_erlang.py, test_expected_erlangc_results and
    # test_over_occupancy_erlangc: asa=0.33 min (19.8 s), rounded to 3 decimals.
    pytest.param(14, 19.8, "service_level", 0.888, 3, id="tests-14-sl"),
    pytest.param(14, 19.8, "occupancy", 0.714, 3, id="tests-14-occupancy"),
    pytest.param(14, 19.8, "p_wait", 0.174, 3, id="tests-14-pwait"),
    pytest.param(15, 19.8, "service_level", 0.941, 3, id="tests-15-sl"),
    pytest.param(15, 19.8, "occupancy", 0.667, 3, id="tests-15-occupancy"),
    pytest.param(15, 19.8, "p_wait", 0.102, 3, id="tests-15-pwait"),
]


@pytest.mark.parametrize(
    ("agents", "target", "metric", "published", "decimals"), PUBLISHED_ERLANG_C
)
def test_erlang_c_published_values(
    agents: int, target: float, metric: str, published: float, decimals: int
) -> None:
    value = getattr(erlang_c(200, 180, agents, target), metric)
    # Printed to `decimals` places: the true value is within half a unit of the last place.
    assert value == pytest.approx(published, abs=0.5 * 10.0**-decimals)


# pyworkforce queuing/tests/test_abandonment.py, test_erlanga_regression_metrics
# (exact chain + uniformisation): ErlangA(transactions=100, aht=3, asa=20/60,
# interval=30, patience=5), 14 positions. ASA is printed in minutes.
# (The pyworkforce README's Erlang A example for 13 positions -- service level
# 0.8584, abandonment 0.0253, waiting 0.2265 -- does not match the exact chain
# (0.8582, 0.0250, 0.2258 here and in mpmath) and is not used.)
PUBLISHED_ERLANG_A = [
    pytest.param("p_wait", 1.0, 0.14526, 5, id="pwait"),
    pytest.param("p_abandon", 1.0, 0.013984, 6, id="pabandon"),
    pytest.param("occupancy", 1.0, 0.704297, 6, id="occupancy"),
    pytest.param("mean_wait_seconds", 1 / 60, 0.069919, 6, id="asa-minutes"),
    pytest.param("service_level", 1.0, 0.916792, 6, id="sl"),
]


@pytest.mark.parametrize(("metric", "unit", "published", "decimals"), PUBLISHED_ERLANG_A)
def test_erlang_a_published_values(
    metric: str, unit: float, published: float, decimals: int
) -> None:
    value = getattr(erlang_a(200, 180, 14, 300, 20), metric) * unit
    assert value == pytest.approx(published, abs=0.5 * 10.0**-decimals)


PYWORKFORCE_GRID = [
    # (calls per hour, handle [s], target [s], agents above the load)
    (200, 180, 20, (11, 12, 14, 20, 40)),
    (720, 240, 15, (49, 55, 70)),
    (3600, 300, 60, (301, 305, 320)),
    (20_000, 180, 20, (1001, 1010, 1050, 1200)),
]


@pytest.mark.parametrize(
    ("arrivals_per_hour", "handle", "target", "agents"),
    [pytest.param(*row, id=f"{row[0]}/h-{row[1]}s") for row in PYWORKFORCE_GRID],
)
def test_erlang_c_matches_pyworkforce(
    arrivals_per_hour: float, handle: float, target: float, agents: tuple[int, ...]
) -> None:
    # pyworkforce counts transactions per interval and times in minutes.
    peer = ErlangC(transactions=arrivals_per_hour, aht=handle / 60, asa=target / 60, interval=60)
    ours = _fields(erlang_c(arrivals_per_hour, handle, np.array(agents), target))
    for i, positions in enumerate(agents):
        # Its float Erlang B recursion is good to about positions * 1e-16.
        assert ours["p_wait"][i] == pytest.approx(peer.waiting_probability(positions), rel=1e-9)
        assert ours["service_level"][i] == pytest.approx(peer.service_level(positions), rel=1e-9)
        assert ours["occupancy"][i] == pytest.approx(peer.achieved_occupancy(positions), rel=1e-12)


# --------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------


def _fields(metrics: QueueMetrics) -> dict[str, NDArray[np.float64]]:
    return {
        name: np.asarray(getattr(metrics, name))
        for name in ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy")
    }


@pytest.mark.parametrize(
    ("arrivals_per_hour", "handle", "agents"),
    [
        pytest.param(3600, 10, 10, id="load-equals-agents"),
        pytest.param(400_000, 180, 20000, id="load-20000-on-20000"),
        pytest.param(400_000, 180, 2000, id="load-20000-on-2000"),
        pytest.param(100, 180, 0, id="no-agents"),
        pytest.param(3600, 10, 9.5, id="non-integer-agents"),
    ],
)
def test_erlang_c_saturation(arrivals_per_hour: float, handle: float, agents: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        metrics = erlang_c(arrivals_per_hour, handle, agents, 20)
        transform = answered_wait_transform(arrivals_per_hour, handle, agents, None, 0.01)
    assert metrics.p_wait == 1.0
    assert metrics.p_abandon == 0.0
    assert metrics.mean_wait_seconds == math.inf
    assert metrics.service_level == 0.0
    assert metrics.occupancy == 1.0
    assert metrics.offered_load_erlangs == pytest.approx(arrivals_per_hour * handle / 3600)
    # Nobody is ever answered in a queue that grows without bound.
    assert transform == 0.0


def test_erlang_c_saturation_in_an_array_leaves_other_agents_alone() -> None:
    agents = np.array([1990, 1999, 2000, 2001, 2050])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = erlang_c(40_000, 180, agents, 20)  # A = 2000
    fields = _fields(curve)
    assert not any(np.isnan(v).any() for v in fields.values())
    np.testing.assert_array_equal(fields["p_wait"][:3], 1.0)
    np.testing.assert_array_equal(fields["mean_wait_seconds"][:3], np.inf)
    np.testing.assert_array_equal(fields["service_level"][:3], 0.0)
    assert np.all(np.isfinite(fields["mean_wait_seconds"][3:]))
    assert np.all((fields["p_wait"][3:] > 0) & (fields["p_wait"][3:] < 1))


def test_erlang_c_one_ulp_below_saturation_has_a_finite_wait() -> None:
    # A hair under n agents, n * mu - lambda rounds to 0 although A < n (found by
    # Hypothesis as a divide-by-zero warning): the wait must come out finite.
    handle = 2365.4976815817845
    arrivals = np.nextafter(2452.0, 0.0) / handle * 3600.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = erlang_c(arrivals, handle, 2452, 20)
        transform = answered_wait_transform(arrivals, handle, 2452, None, 1 / 60)
    assert m.offered_load_erlangs < 2452
    assert math.isfinite(m.mean_wait_seconds)
    assert m.mean_wait_seconds > 1e10
    assert 0 <= m.service_level < 1e-9
    assert 0 <= transform < 1e-9


def test_erlang_a_overload_is_finite() -> None:
    agents = np.array([0, 1, 2, 2000, 19999, 20000])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = erlang_a(400_000, 180, agents, 60, 20)  # A = 20000
    fields = _fields(curve)
    for name, values in fields.items():
        assert np.all(np.isfinite(values)), name
    # Fluid limit: in heavy overload the agents serve n/A of the offered calls.
    assert fields["p_abandon"][3] == pytest.approx(1 - 2000 / 20000, rel=1e-3)


def test_erlang_a_without_agents_every_caller_abandons() -> None:
    metrics = erlang_a(100, 180, 0, 90, 20)
    assert metrics.p_wait == 1.0
    assert metrics.p_abandon == 1.0
    # Each caller waits out its whole (exponential) patience.
    assert metrics.mean_wait_seconds == pytest.approx(90.0, rel=1e-12)
    assert metrics.service_level == 0.0
    assert metrics.occupancy == 0.0


def test_erlang_c_deep_underload_raises_no_warning() -> None:
    # p_wait here is ~1e-310: the right answer is 0 (or a subnormal), quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        metrics = erlang_c(360, 240, 385, 20)
    assert metrics.p_wait < 1e-300


@pytest.mark.parametrize(
    "model",
    [
        pytest.param(lambda a: erlang_c(0.0, 180, a, 20), id="erlang_c"),
        pytest.param(lambda a: erlang_a(0.0, 180, a, 60, 20), id="erlang_a"),
    ],
)
def test_zero_arrivals(model: Callable[[np.ndarray], QueueMetrics]) -> None:
    metrics = model(np.array([0, 1, 10]))
    fields = _fields(metrics)
    for name in ("p_wait", "p_abandon", "mean_wait_seconds", "occupancy"):
        np.testing.assert_array_equal(fields[name], 0.0)
    np.testing.assert_array_equal(fields["service_level"], 1.0)
    np.testing.assert_array_equal(metrics.offered_load_erlangs, 0.0)
    assert answered_wait_transform(0.0, 180, 10, 60, 0.1) == 1.0
    assert answered_wait_transform(0.0, 180, 10, None, 0.1) == 1.0


# Arrival rates down the rows, agents across: loads 0 to 36 Erl on 0 to 30 agents.
ARRIVALS_GRID = np.array([0.0, 60.0, 200.0, 720.0])[:, None]
AGENTS_GRID = np.array([0, 1, 7, 14, 30])
HANDLE_GRID = 180.0


@pytest.mark.parametrize(
    ("vectorised", "scalar"),
    [
        pytest.param(
            lambda: erlang_c(ARRIVALS_GRID, HANDLE_GRID, AGENTS_GRID, 20),
            lambda lam, n: erlang_c(lam, HANDLE_GRID, n, 20),
            id="erlang_c",
        ),
        pytest.param(
            lambda: erlang_a(ARRIVALS_GRID, HANDLE_GRID, AGENTS_GRID, 90, 20),
            lambda lam, n: erlang_a(lam, HANDLE_GRID, n, 90, 20),
            id="erlang_a",
        ),
        pytest.param(
            lambda: answered_wait_transform(ARRIVALS_GRID, HANDLE_GRID, AGENTS_GRID, 90, 0.02),
            lambda lam, n: answered_wait_transform(lam, HANDLE_GRID, n, 90, 0.02),
            id="transform-a",
        ),
        pytest.param(
            lambda: answered_wait_transform(ARRIVALS_GRID, HANDLE_GRID, AGENTS_GRID, None, 0.02),
            lambda lam, n: answered_wait_transform(lam, HANDLE_GRID, n, None, 0.02),
            id="transform-c",
        ),
    ],
)
def test_arrays_match_scalar_loop(
    vectorised: Callable[[], QueueMetrics | float | NDArray[np.float64]],
    scalar: Callable[[float, int], Any],
) -> None:
    grid = vectorised()
    shape = (ARRIVALS_GRID.size, AGENTS_GRID.size)
    for i, lam in enumerate(ARRIVALS_GRID[:, 0]):
        for j, n in enumerate(AGENTS_GRID):
            one = scalar(float(lam), int(n))
            if isinstance(grid, QueueMetrics):
                for name, values in _fields(grid).items():
                    assert values.shape == shape
                    assert isinstance(getattr(one, name), float)
                    # SIMD exp/log on arrays may differ from scalar libm in the last bit.
                    assert values[i, j] == pytest.approx(getattr(one, name), rel=1e-13, abs=0)
            else:
                assert np.shape(grid) == shape
                assert isinstance(one, float)
                assert np.asarray(grid)[i, j] == pytest.approx(one, rel=1e-13, abs=0)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(lambda: erlang_c(-1, 180, 10), "arrivals_per_hour", id="c-negative-arrivals"),
        pytest.param(lambda: erlang_c(math.nan, 180, 10), "arrivals_per_hour", id="c-nan-arrivals"),
        pytest.param(lambda: erlang_c(math.inf, 180, 10), "arrivals_per_hour", id="c-inf-arrivals"),
        pytest.param(lambda: erlang_c(100, 0, 10), "handle_time_seconds", id="c-zero-handle"),
        pytest.param(lambda: erlang_c(100, -5, 10), "handle_time_seconds", id="c-negative-handle"),
        pytest.param(lambda: erlang_c(100, 180, -1), "agents", id="c-negative-agents"),
        pytest.param(
            lambda: erlang_c([100, -1], 180, 10), "arrivals_per_hour", id="c-one-bad-in-array"
        ),
        pytest.param(
            lambda: erlang_a(-1, 180, 10, 60), "arrivals_per_hour", id="a-negative-arrivals"
        ),
        pytest.param(lambda: erlang_a(100, 0, 10, 60), "handle_time_seconds", id="a-zero-handle"),
        pytest.param(lambda: erlang_a(100, 180, 10, 0), "patience_seconds", id="a-zero-patience"),
        pytest.param(
            lambda: erlang_a(100, 180, 10, -60), "patience_seconds", id="a-negative-patience"
        ),
        pytest.param(
            lambda: erlang_a(100, 180, 10, [60, -1]), "patience_seconds", id="a-one-bad-in-array"
        ),
        pytest.param(
            lambda: answered_wait_transform(-1, 180, 10, 60, 0.1),
            "arrivals_per_hour",
            id="transform-a-negative-arrivals",
        ),
        pytest.param(
            lambda: answered_wait_transform(100, 0, 10, None, 0.1),
            "handle_time_seconds",
            id="transform-c-zero-handle",
        ),
        pytest.param(
            lambda: erlang_c(200, 180, 14, -20),
            "answer_within_seconds",
            id="c-negative-target",
        ),
        pytest.param(
            lambda: erlang_a(200, 180, 14, 60, math.nan),
            "answer_within_seconds",
            id="a-nan-target",
        ),
        pytest.param(
            lambda: answered_wait_transform(100, 180, 10, 0.0, 0.1),
            "patience_seconds",
            id="transform-a-zero-patience",
        ),
        pytest.param(
            lambda: answered_wait_transform(100, 180, 10, 60, -0.1),
            "rate_per_second",
            id="transform-negative-rate",
        ),
    ],
)
def test_invalid_input_raises_value_error_naming_the_field(
    call: Callable[[], object], field: str
) -> None:
    with warnings.catch_warnings():
        # A missing check may first surface as a RuntimeWarning; that is still a failure.
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match=field):
            call()


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(deadline=None, max_examples=40)

offered_loads = st.floats(min_value=0.01, max_value=20_000.0)
handle_times = st.floats(min_value=30.0, max_value=1200.0)
patiences = st.floats(min_value=10.0, max_value=3600.0)
targets = st.floats(min_value=0.0, max_value=300.0)
# How far below the load the 800-agent window starts: it covers overload,
# the critical region and underload.
window_offsets = st.integers(min_value=0, max_value=400)
WINDOW = 800
CURVE_STRATEGIES = {
    "load": offered_loads,
    "handle": handle_times,
    "patience": patiences,
    "target": targets,
    "offset": window_offsets,
}


def _agent_window(load: float, offset: int) -> np.ndarray:
    start = max(1, math.ceil(load) - offset)
    return np.arange(start, start + WINDOW)


def _curve(
    model: str, load: float, handle: float, agents: ArrayLike, patience: float, target: ArrayLike
) -> QueueMetrics:
    arrivals = load * SECONDS_PER_HOUR / handle
    if model == "erlang_c":
        return erlang_c(arrivals, handle, agents, target)
    return erlang_a(arrivals, handle, agents, patience, target)


def _assert_never_rises(values: np.ndarray, slack: float) -> None:
    """values[i+1] <= values[i] + slack * max(1, |values[i]|) (inf allowed)."""
    before, after = values[:-1], values[1:]
    allowed = before + slack * np.maximum(1.0, np.abs(before))
    bad = np.flatnonzero(~(after <= allowed))
    assert bad.size == 0, f"rises at index {bad[:5]}: {before[bad[:5]]} -> {after[bad[:5]]}"


SERVICE_LEVEL_MONOTONE = ["erlang_c", "erlang_a"]


@pytest.mark.parametrize("model", SERVICE_LEVEL_MONOTONE)
@PROPERTY_SETTINGS
@given(**CURVE_STRATEGIES)
# A = 2000 Erl on 1718 -> 1719 agents, patience 1 h: true SL ~1e-861 -> 6e-854,
# erlang_a gives 5.9e-12 -> 0 (a regression case: cancellation once gave noise here).
@example(load=2000.0, handle=30.0, patience=3600.0, target=60.0, offset=400)
# A = 0.01 Erl, patience 10 s, target 300 s: SL 1.0 on 9 agents, 0.0 on 10
# (a regression case: log1p(-1) once clipped this to 0).
@example(load=0.01, handle=30.0, patience=10.0, target=300.0, offset=0)
def test_service_level_never_falls_with_agents(
    model: str, load: float, handle: float, patience: float, target: float, offset: int
) -> None:
    curve = _curve(model, load, handle, _agent_window(load, offset), patience, target)
    _assert_never_rises(-np.asarray(curve.service_level), 1e-12)


@pytest.mark.parametrize("model", ["erlang_c", "erlang_a"])
@PROPERTY_SETTINGS
@given(**CURVE_STRATEGIES)
def test_waiting_never_grows_with_agents(
    model: str, load: float, handle: float, patience: float, target: float, offset: int
) -> None:
    curve = _curve(model, load, handle, _agent_window(load, offset), patience, target)
    for name in ("p_wait", "p_abandon", "mean_wait_seconds"):
        _assert_never_rises(np.asarray(getattr(curve, name)), 1e-12)


@pytest.mark.parametrize("model", SERVICE_LEVEL_MONOTONE)
@PROPERTY_SETTINGS
@given(
    load=offered_loads, handle=handle_times, patience=patiences, agent_share=st.floats(0.05, 2.0)
)
# A = 20000 Erl on 18000 agents, patience 1 h: SL ~1e-327 at 285 s, erlang_a
# gives 3e-10 there and 0 at 290 s (a regression case: cancellation once gave noise here).
@example(load=20_000.0, handle=30.0, patience=3600.0, agent_share=0.9)
# A = 0.0625 Erl on 1 agent, patience 10 s: SL 0.942 up to 295 s, 0.0 at 300 s
# (a regression case: log1p(-1) once clipped this to 0).
@example(load=0.0625, handle=527.0, patience=10.0, agent_share=1.0)
def test_service_level_never_falls_with_target(
    model: str, load: float, handle: float, patience: float, agent_share: float
) -> None:
    agents = max(1, round(load * agent_share))
    curve = _curve(model, load, handle, np.int64(agents), patience, np.linspace(0.0, 300.0, 61))
    _assert_never_rises(-np.asarray(curve.service_level), 1e-12)


@pytest.mark.parametrize("model", ["erlang_c", "erlang_a"])
@PROPERTY_SETTINGS
@given(**CURVE_STRATEGIES)
def test_metrics_stay_in_range(
    model: str, load: float, handle: float, patience: float, target: float, offset: int
) -> None:
    fields = _fields(_curve(model, load, handle, _agent_window(load, offset), patience, target))
    for name in ("p_wait", "p_abandon", "service_level", "occupancy"):
        assert np.all((fields[name] >= 0.0) & (fields[name] <= 1.0)), name
    assert np.all(fields["mean_wait_seconds"] >= 0.0)  # also rejects NaN
    # Only callers who wait can abandon.
    assert np.all(fields["p_abandon"] <= fields["p_wait"])


@PROPERTY_SETTINGS
@given(**CURVE_STRATEGIES)
def test_erlang_a_littles_law(
    load: float, handle: float, patience: float, target: float, offset: int
) -> None:
    # Abandonment rate θ E[Q] over arrivals λ, and mean wait E[Q] / λ, share E[Q].
    curve = _curve("erlang_a", load, handle, _agent_window(load, offset), patience, target)
    np.testing.assert_allclose(
        curve.p_abandon, np.asarray(curve.mean_wait_seconds) / patience, rtol=1e-12, atol=1e-300
    )


@PROPERTY_SETTINGS
@given(load=offered_loads, handle=handle_times, target=targets, utilisation=st.floats(0.01, 0.9))
def test_erlang_a_tends_to_erlang_c_for_patient_callers(
    load: float, handle: float, target: float, utilisation: float
) -> None:
    agents = np.int64(max(1, math.ceil(load / utilisation)))
    arrivals = load * SECONDS_PER_HOUR / handle
    # θ/μ = 1e-6: the Erlang A correction is O(θ E[W]) <= ~1e-4 at ρ <= 0.9.
    patient = erlang_a(arrivals, handle, agents, 1e6 * handle, target)
    queue = erlang_c(arrivals, handle, agents, target)
    for name in ("p_wait", "service_level", "occupancy"):
        assert getattr(patient, name) == pytest.approx(getattr(queue, name), rel=1e-3), name
    assert patient.mean_wait_seconds == pytest.approx(queue.mean_wait_seconds, rel=1e-3, abs=1e-9)
    assert patient.p_abandon <= 1e-3 * max(queue.p_wait, 1e-300) + 1e-300


# --------------------------------------------------------------------------
# Speed (spec: a 2,000-agent curve in under 10 ms)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# The scale term every closed form shares: ln(e^y y^-a Γ(a+1))
# --------------------------------------------------------------------------


def _log_gamma_scale_exact(a: float, y: float) -> float:
    """ln(e^y y^-a Γ(a+1)) in mpmath; 400 digits, as a - y can cancel to a few ulps of a."""
    with mp.workdps(400):
        a_mp, y_mp = mp.mpf(a), mp.mpf(y)
        return float(y_mp - a_mp * mp.log(y_mp) + mp.loggamma(a_mp + 1))


@PROPERTY_SETTINGS
@given(
    a=st.floats(1e-3, 1e5),
    ratio=st.one_of(
        st.floats(0.9, 1.1),  # the Taylor series near y = a
        st.floats(1e-3, 10.0),
        st.floats(-1e-12, 1e-12).map(lambda d: 1.0 + d),
    ),
)
@example(a=50.0, ratio=1.0)
@example(a=50.0, ratio=0.9000001)
@example(a=50.0, ratio=1.0999999)
def test_log_gamma_scale_matches_mpmath(a: float, ratio: float) -> None:
    """``_log_gamma_scale`` (Horner's rule near y = a, log1p and Stirling elsewhere)
    against a 400-digit reference, to a few ulps of the larger of its two parts."""
    y = a * ratio
    got = float(_log_gamma_scale(np.array([a]), np.array([y]))[0])
    exact = _log_gamma_scale_exact(a, y)
    # The two parts, a (r - 1 - ln r) >= 0 and ln Γ(a+1) - a ln a + a, add without
    # cancelling where the second is positive (a >= ~0.5); below it they may.
    scale = max(abs(exact), abs(float(mp.loggamma(a + 1) - a * mp.log(a) + a)), 1e-300)
    assert abs(got - exact) <= 1e-13 * scale, (got, exact)
