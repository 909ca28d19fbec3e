"""Tests for cxcost.quality: the training response and repeat contacts."""

from __future__ import annotations

import annotated_types
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxcost.quality import dismissive_share, repeat_contact_factor, rude_share, trained_share
from cxcost.scenario import Quality


def _limits(name: str) -> tuple[float, float]:
    """A Quality field's allowed interval, read from its Field metadata."""
    low, high = -np.inf, np.inf
    for m in Quality.model_fields[name].metadata:
        if isinstance(m, annotated_types.Ge):
            low = float(m.ge)
        elif isinstance(m, annotated_types.Gt):
            # just above the bound, not at a denormal where h / half_life overflows
            low = max(float(m.gt), 0.0) + 1e-6
        elif isinstance(m, annotated_types.Le):
            high = float(m.le)
    return low, high


def _field(name: str) -> st.SearchStrategy[float]:
    low, high = _limits(name)
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
    # one half-life: halfway to the floor
    assert rude_share(q, 10.0) == pytest.approx(0.05, rel=1e-12)
    assert dismissive_share(q, 10.0) == pytest.approx(0.20, rel=1e-12)


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
)
def test_more_training_never_raises_rude_or_dismissive(
    quality: Quality, hours: float, more: float
) -> None:
    for share, floor, untrained in (
        (rude_share, quality.rude_share_floor, quality.rude_share_untrained),
        (dismissive_share, quality.dismissive_share_floor, quality.dismissive_share_untrained),
    ):
        before, after = share(quality, hours), share(quality, hours + more)
        assert after <= before
        assert floor <= after <= untrained


@settings(deadline=None, max_examples=100)
@given(quality=qualities(), hours=st.floats(0, 400, allow_nan=False))
def test_repeat_factor_at_least_one_and_finite(quality: Quality, hours: float) -> None:
    factor = repeat_contact_factor(dismissive_share(quality, hours), quality.repeat_contact_rate)
    # repeat rate <= 0.95, so at most 1 / (1 - 0.95) = 20 contacts per issue
    assert 1.0 <= factor <= 20.0 + 1e-9
