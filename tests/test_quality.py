"""Tests for cxcost.quality: the training response over a workforce's life, repeat contacts."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import field_limits

from cxcost.quality import (
    dismissive_share,
    repeat_contact_factor,
    rude_share,
    staff_trained_share,
    trained_share,
    training_gap_kept,
)
from cxcost.scenario import Quality, Training

LN2 = float(np.log(2.0))


def _field(name: str) -> st.SearchStrategy[float]:
    """A Quality field's value within its Field limits (just inside an exclusive bound,
    not at a denormal where h / half_life overflows)."""
    low, high = field_limits(Quality, name).closed()
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def qualities(draw: st.DrawFn) -> Quality:
    rude = draw(_field("rude_share_untrained"))
    dismissive = draw(_field("dismissive_share_untrained"))
    return Quality(
        rude_share_untrained=rude,
        rude_share_floor=rude * draw(st.floats(0, 1)),
        dismissive_share_untrained=dismissive,
        dismissive_share_floor=dismissive * draw(st.floats(0, 1)),
        training_half_life_hours=draw(_field("training_half_life_hours")),
        training_fade_half_life_years=draw(_field("training_fade_half_life_years")),
        repeat_contact_rate=draw(_field("repeat_contact_rate")),
    )


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0.0, 0.20),  # no training: the untrained share
        (24.0, 0.125),  # one half-life: 0.05 + 0.15 / 2
        (48.0, 0.0875),  # two half-lives: 0.05 + 0.15 / 4
        (72.0, 0.06875),  # three: 0.05 + 0.15 / 8
        (1e6, 0.05),  # "infinite" training: the floor
    ],
)
def test_trained_share_reference(hours: float, expected: float) -> None:
    # Eq 1: floor + (untrained - floor) * 2^(-h / half_life), untrained 0.2, floor 0.05
    assert trained_share(0.20, 0.05, 24.0, hours) == pytest.approx(expected, rel=1e-12)


def test_trained_share_is_vectorised() -> None:
    hours = np.array([0.0, 24.0, 48.0])
    np.testing.assert_allclose(
        trained_share(0.20, 0.05, 24.0, hours), [0.20, 0.125, 0.0875], rtol=1e-12
    )
    assert isinstance(trained_share(0.2, 0.05, 24.0, 0.0), float)


def test_floor_equal_to_untrained_is_constant() -> None:
    np.testing.assert_allclose(trained_share(0.1, 0.1, 10.0, [0.0, 5.0, 500.0]), 0.1, rtol=1e-15)


def test_rude_and_dismissive_use_their_own_fields() -> None:
    q = Quality(
        rude_share_untrained=0.09,
        rude_share_floor=0.01,
        dismissive_share_untrained=0.30,
        dismissive_share_floor=0.10,
        training_half_life_hours=10.0,
    )
    # No attrition: every rep is tenured and carries h / delta hours in effect, delta =
    # ln 2 / 1 year of fade; h = 10 ln 2 h a year keeps 10 h in effect = one half-life:
    # halfway to the floor.
    assert rude_share(q, Training(), 0.0, 10.0 * LN2) == pytest.approx(0.05, rel=1e-12)
    assert dismissive_share(q, Training(), 0.0, 10.0 * LN2) == pytest.approx(0.20, rel=1e-12)


def _staff_share_reference(
    untrained: float,
    floor: float,
    half_life: float,
    hours: float,
    new_hire: float,
    attrition: float,
    fade_years: float,
) -> float:
    """Eq 3 of cxcost.quality by mpmath quadrature, independent of its Gauss-Laguerre rule.

    Tenure t ~ Exp(attrition); training in effect E(t) = H0 e^(-d t) + (h / d)(1 - e^(-d t)),
    d = ln 2 / fade half-life; share = int_0^inf a e^(-a t) rate(E(t)) dt.
    """
    mp = mpmath.mp
    with mpmath.workdps(30):
        a, d = mp.mpf(attrition), mp.log(2) / mp.mpf(fade_years)
        k = mp.log(2) / mp.mpf(half_life)

        def rate(t: mpmath.mpf) -> mpmath.mpf:
            stock = new_hire * mp.exp(-d * t) + hours / d * (1 - mp.exp(-d * t))
            return floor + (untrained - floor) * mp.exp(-k * stock)

        edges = [0, 1 / d, 10 / d, 1 / a, 10 / a, mp.inf]
        return float(mp.quad(lambda t: a * mp.exp(-a * t) * rate(t), sorted(set(edges))))


@pytest.mark.parametrize(
    ("hours", "new_hire", "attrition", "fade_years"),
    [
        (16.0, 120.0, 0.35, 1.0),  # the defaults
        (0.0, 120.0, 0.35, 1.0),  # new hires' programme only, fading
        (88.0, 120.0, 0.35, 1.0),  # the default recommendation's hours
        (16.0, 0.0, 0.35, 1.0),  # no new-hire programme
        (40.0, 120.0, 0.45, 0.5),  # a telecom-like churn of staff, fast fade
        (16.0, 240.0, 0.2, 2.0),  # slow fade
        (8.0, 60.0, 0.7, 1.5),
    ],
)
def test_staff_trained_share_equals_an_independent_quadrature(
    hours: float, new_hire: float, attrition: float, fade_years: float
) -> None:
    model = staff_trained_share(0.20, 0.05, 24.0, hours, new_hire, attrition, fade_years)
    reference = _staff_share_reference(0.20, 0.05, 24.0, hours, new_hire, attrition, fade_years)
    assert model == pytest.approx(reference, rel=1e-6)


def test_staff_without_attrition_is_all_tenured() -> None:
    # a = 0: nobody is new, everyone carries h / d = 16 x 2 / ln 2 h (fade half-life 2 years)
    expected = trained_share(0.20, 0.05, 24.0, 16.0 * 2.0 / LN2)
    assert staff_trained_share(0.20, 0.05, 24.0, 16.0, 120.0, 0.0, 2.0) == pytest.approx(
        expected, rel=1e-12
    )


def test_new_hire_training_helps_and_fades() -> None:
    """More initial training lowers the staff's share; a faster fade raises it."""
    share = staff_trained_share
    assert share(0.2, 0.05, 24.0, 16.0, 240.0, 0.35, 1.0) < share(
        0.2, 0.05, 24.0, 16.0, 120.0, 0.35, 1.0
    )
    assert share(0.2, 0.05, 24.0, 16.0, 120.0, 0.35, 0.5) > share(
        0.2, 0.05, 24.0, 16.0, 120.0, 0.35, 1.0
    )
    # With no training of either kind nothing is in effect: the untrained share.
    assert share(0.2, 0.05, 24.0, 0.0, 0.0, 0.35, 1.0) == pytest.approx(0.2, rel=1e-12)


@pytest.mark.parametrize(
    ("dismissive", "rate"), [(0.0, 0.6), (0.2, 0.5), (0.15, 0.6), (0.9, 0.95), (1.0, 0.95)]
)
def test_repeat_contact_factor_is_the_geometric_series(dismissive: float, rate: float) -> None:
    # A first contact is dismissed with probability d, comes back with probability r,
    # may be dismissed again: contacts = sum_k (d r)^k = 1 / (1 - d r).
    ratio = dismissive * rate
    series = sum(ratio**k for k in range(5000))
    assert repeat_contact_factor(dismissive, rate) == pytest.approx(series, rel=1e-12)


def test_repeat_contact_factor_docstring_value() -> None:
    # 1 / (1 - 0.2 * 0.5) = 1 / 0.9 = 1.111...
    assert repeat_contact_factor(0.2, 0.5) == pytest.approx(10 / 9, rel=1e-15)
    np.testing.assert_allclose(
        repeat_contact_factor(np.array([0.0, 0.2]), 0.5), [1.0, 10 / 9], rtol=1e-15
    )


@settings(deadline=None, max_examples=150)
@given(
    quality=qualities(),
    hours=st.floats(0, 400, allow_nan=False),
    more=st.floats(0, 400, allow_nan=False),
    attrition=st.floats(0, 3, allow_nan=False),
)
def test_more_training_never_raises_rude_or_dismissive(
    quality: Quality, hours: float, more: float, attrition: float
) -> None:
    for share, floor, untrained in (
        (rude_share, quality.rude_share_floor, quality.rude_share_untrained),
        (dismissive_share, quality.dismissive_share_floor, quality.dismissive_share_untrained),
    ):
        before = share(quality, Training(), attrition, hours)
        after = share(quality, Training(), attrition, hours + more)
        assert after <= before
        assert floor <= after <= untrained


@settings(deadline=None, max_examples=100)
@given(quality=qualities(), hours=st.floats(0, 400, allow_nan=False))
def test_repeat_factor_at_least_one_and_finite(quality: Quality, hours: float) -> None:
    factor = repeat_contact_factor(
        dismissive_share(quality, Training(), 0.35, hours), quality.repeat_contact_rate
    )
    # repeat rate <= 0.95, so at most 1 / (1 - 0.95) = 20 contacts per issue
    assert 1.0 <= factor <= 20.0 + 1e-9


@pytest.mark.parametrize("attrition", [5e-324, 1e-310, 1e-300])
def test_vanishing_attrition_is_the_all_tenured_limit_without_warnings(attrition: float) -> None:
    """A subnormal attrition overflowed the tenure nodes (RuntimeWarning in the suite);
    its value is the limit of the staff mix as attrition -> 0: everyone tenured."""
    args = (24.0, 40.0, 120.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny = training_gap_kept(args[0], args[1], args[2], attrition, 1.5)
    assert tiny == pytest.approx(training_gap_kept(args[0], args[1], args[2], 0.0, 1.5), rel=1e-12)
