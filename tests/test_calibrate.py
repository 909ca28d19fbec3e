"""Calibration from a company's own data (issue 11): estimators, Pareto, applying the values.

Hand-computed cases for the closed-form estimators, the complaint Pareto with
its keyword table, ``apply_calibration`` (values, sources, uncertainty
ranges, a valid scenario), and Hypothesis properties over arbitrary small logs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxcost.calibrate import (
    DEFAULT_KEYWORDS,
    Calibration,
    CalibrationError,
    FittedValue,
    apply_calibration,
    calibrate,
    format_value,
    source_text,
)
from cxcost.calibrate.calibration import _field_limits
from cxcost.calibrate.estimators import (
    excess_return_share,
    mandelbaum_zeltyn_patience,
    poisson_interval,
    wilson_share,
)
from cxcost.calibrate.pareto import driver_of, pareto
from cxcost.scenario import MAX_UNCERTAINTY_FACTOR, Scenario


def _log(
    rows: Sequence[Sequence[object]],
) -> pd.DataFrame:
    columns = ["timestamp", "channel", "wait_seconds", "abandoned", "handle_seconds",
               "resolved", "rude", "customer_id", "churned"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


# Five phone calls: they wait 30, 60, 90 (abandons), 20 (abandons) and 0 seconds.
HAND_CALLS = _log(
    [
        ("2026-01-05 08:00", "phone", 30.0, 0, 300.0, 1, 0, "A", 0),
        ("2026-01-05 09:00", "phone", 60.0, 0, 200.0, 0, 1, "B", 1),
        ("2026-01-05 10:00", "phone", 90.0, 1, None, None, 0, "C", 0),
        ("2026-01-06 11:00", "phone", 20.0, 1, None, None, 0, "D", 1),
        ("2026-01-06 12:00", "phone", 0.0, 0, 400.0, 1, 0, "E", 0),
    ]
)


def test_mandelbaum_zeltyn_patience_by_hand() -> None:
    """200 s in queue over all five calls, 2 abandonments: mean patience 100 s.

    Interval: the abandonment rate θ = a / T has the exact Poisson limits
    χ²(0.025; 2a) / 2T and χ²(0.975; 2a + 2) / 2T (Garwood 1936); with the
    table values χ²(0.975; 6) = 14.4494 and χ²(0.025; 4) = 0.484419 the
    patience interval is 400 / 14.4494 = 27.683 s to 400 / 0.484419 = 825.73 s.
    """
    estimate = mandelbaum_zeltyn_patience(200.0, 2, 5)
    assert estimate is not None
    assert estimate.value == pytest.approx(100.0)
    assert estimate.low == pytest.approx(400.0 / 14.4494, rel=1e-5)
    assert estimate.high == pytest.approx(400.0 / 0.484419, rel=1e-5)
    assert mandelbaum_zeltyn_patience(200.0, 0, 5) is None


def test_calibrate_gives_the_hand_patience_for_the_five_calls() -> None:
    result = calibrate(HAND_CALLS, base=Scenario(), name="hand.csv")
    patience = result.value("channels.0.patience_seconds")
    assert patience is not None
    assert patience.value == pytest.approx(100.0)
    assert patience.n == 5
    assert patience.current == Scenario().channels[0].patience_seconds
    assert patience.method == "calibrate.method.mandelbaum_zeltyn"
    handle = result.value("channels.0.handle_time_seconds")
    assert handle is not None
    assert handle.value == pytest.approx(300.0)  # (300 + 200 + 400) / 3 answered
    assert result.rows == 5
    assert result.period_start.isoformat() == "2026-01-05T08:00:00"


def test_wilson_interval_by_hand() -> None:
    """12 of 100: centre (0.12 + 1.96²/200) / (1 + 1.96²/100) = 0.1340, half-width
    1.96 sqrt(0.12 × 0.88 / 100 + 1.96² / 40,000) / 1.0384 = 0.0641 (Wilson 1927)."""
    estimate = wilson_share(12, 100)
    assert estimate is not None
    assert (estimate.value, estimate.low, estimate.high) == pytest.approx(
        (0.12, 0.0700, 0.1981), abs=1e-4
    )
    zero = wilson_share(0, 50)
    assert zero is not None
    assert zero.low == 0.0
    assert zero.high == pytest.approx(1.96**2 / (50 + 1.96**2), rel=1e-3)


def test_excess_return_share_takes_out_ordinary_returns() -> None:
    # 55 % come back after an unresolved contact, 10 % after a resolved one:
    # 1 - 0.45 = (1 - r)(1 - 0.10) gives r = 0.5.
    estimate = excess_return_share(1000, 550, 9000, 900)
    assert estimate is not None
    assert estimate.value == pytest.approx(0.5)
    assert estimate.low < 0.5 < estimate.high
    assert excess_return_share(0, 0, 10, 1) is None


def test_poisson_interval_of_zero_and_ten() -> None:
    low, high = poisson_interval(np.array([0.0, 10.0]))
    # Garwood (1936), Table 1: 0 -> [0, 3.689]; 10 -> [4.795, 18.390].
    assert low.tolist() == pytest.approx([0.0, 4.795], abs=1e-3)
    assert high.tolist() == pytest.approx([3.689, 18.390], abs=1e-3)


def test_pareto_marks_the_vital_few_and_maps_drivers_in_both_languages() -> None:
    reasons = pd.Series(
        ["Lang ventetid"] * 40 + ["long wait "] * 5 + ["Long  wait"] * 20
        + ["Frekk kundebehandler"] * 15 + ["Saken ble ikke løst"] * 10 + ["Feil faktura"] * 6
        + ["Transferred around"] * 4
    )  # fmt: skip
    rows = pareto(reasons, DEFAULT_KEYWORDS)
    assert [(r.reason, r.count) for r in rows] == [
        ("Lang ventetid", 40),
        ("Long wait", 25),  # "long wait " and "Long  wait" are one reason, most frequent spelling
        ("Frekk kundebehandler", 15),
        ("Saken ble ikke løst", 10),
        ("Feil faktura", 6),
        ("Transferred around", 4),
    ]
    assert [r.driver for r in rows] == [
        "wait", "wait", "rudeness", "dismissiveness", "other", "dismissiveness",
    ]  # fmt: skip
    assert [r.vital for r in rows] == [True, True, True, False, False, False]
    assert rows[2].cumulative_share == pytest.approx(0.8)
    assert sum(r.share for r in rows) == pytest.approx(1.0)


def test_the_keyword_table_is_plain_data_the_user_replaces() -> None:
    table = json.loads('{"wait": ["treghet"], "rudeness": ["sur"], "dismissiveness": []}')
    assert driver_of("Sur betjening", table) == "rudeness"
    assert driver_of("Lang ventetid", table) == "other"  # not in the user's table
    complaints = pd.DataFrame({"reason": ["Sur betjening", "Treghet i kø"]})
    result = calibrate(HAND_CALLS, complaints=complaints, base=Scenario(), keywords=table)
    assert [(r.reason, r.driver) for r in result.pareto] == [
        ("Sur betjening", "rudeness"),
        ("Treghet i kø", "wait"),
    ]
    with pytest.raises(CalibrationError, match="must be a list of texts"):
        calibrate(HAND_CALLS, base=Scenario(), keywords={"wait": "queue"})


def test_format_value_and_source_text() -> None:
    assert format_value(0.0612) == "0.061"
    assert format_value(48_213.0) == "48,213"
    fitted = FittedValue("churn.rude_churn", 0.067, 0.0612, 0.0744, 48_213,
                         "calibrate.method.profile_likelihood", 0.1)  # fmt: skip
    assert source_text(fitted, "contacts.csv") == (
        "fitted from contacts.csv, n = 48,213, 95 % CI 0.061–0.074"
    )
    assert source_text(fitted, "kontakter.csv", "nb") == (
        "tilpasset fra kontakter.csv, n = 48 213, 95 % KI 0,061–0,074"
    )


def _calibration(values: tuple[FittedValue, ...]) -> Calibration:
    start = pd.Timestamp("2026-01-05").to_pydatetime()
    return Calibration(values, (), (), 1000, start, start, "log.csv")


def test_apply_sets_values_sources_and_uncertainty_ranges() -> None:
    base = Scenario()
    calibration = _calibration(
        (
            FittedValue("churn.rude_churn", 0.2, 0.15, 0.3, 900, "m", 0.1),
            FittedValue("channels.0.patience_seconds", 100.0, 80.0, 130.0, 500, "m", 120.0),
            FittedValue("channels.1.patience_seconds", 200.0, 100.0, 220.0, 300, "m", 180.0),
            FittedValue("churn.abandon_churn", 0.5, 0.0, 1.0, 20, "m", 0.08),
        )
    )
    applied = apply_calibration(base, calibration)
    assert applied.churn.rude_churn == 0.2
    assert applied.channels[1].patience_seconds == 200.0
    assert applied.sources["churn.rude_churn"] == "fitted from log.csv, n = 900, 95 % CI 0.15–0.30"
    assert [applied.uncertainty.rude_churn.low, applied.uncertainty.rude_churn.high] == [
        pytest.approx(0.75),
        pytest.approx(1.5),
    ]
    # One range covers every channel's patience: the widest of the two.
    assert applied.uncertainty.patience.low == pytest.approx(0.5)
    assert applied.uncertainty.patience.high == pytest.approx(1.3)
    # An interval reaching 0 is clipped to the smallest multiplier a range may have.
    assert applied.uncertainty.abandon_churn.low == pytest.approx(0.01)
    assert applied.uncertainty.abandon_churn.high == pytest.approx(2.0)
    assert base.churn.rude_churn == 0.1  # the base is not changed


def test_apply_only_the_chosen_paths_and_shares_together() -> None:
    base = Scenario()
    calibration = _calibration(
        (
            FittedValue("churn.rude_churn", 0.2, 0.15, 0.3, 900, "m", 0.1),
            FittedValue("channels.0.share_of_contacts", 0.5, 0.45, 0.55, 900, "m", 0.6),
            FittedValue("channels.1.share_of_contacts", 0.3, 0.25, 0.35, 900, "m", 0.25),
            FittedValue("channels.2.share_of_contacts", 0.2, 0.15, 0.25, 900, "m", 0.15),
        )
    )
    applied = apply_calibration(base, calibration, ["channels.1.share_of_contacts"])
    assert [c.share_of_contacts for c in applied.channels] == [0.5, 0.3, 0.2]
    assert applied.churn.rude_churn == base.churn.rude_churn
    assert "churn.rude_churn" not in applied.sources
    with pytest.raises(CalibrationError, match=r"churn\.wait_churn_max was not fitted"):
        apply_calibration(base, calibration, ["churn.wait_churn_max"])


def test_apply_refuses_a_channel_the_scenario_does_not_have() -> None:
    one_channel = Scenario().model_copy(
        update={"channels": [Scenario().channels[0].model_copy(update={"share_of_contacts": 1.0})]}
    )
    calibration = _calibration(
        (FittedValue("channels.2.handle_time_seconds", 400.0, 390.0, 410.0, 90, "m", 420.0),)
    )
    with pytest.raises(CalibrationError, match=r"channels\.2\.handle_time_seconds"):
        apply_calibration(one_channel, calibration)


def test_a_fitted_untrained_share_never_falls_below_the_floor() -> None:
    base = Scenario()
    calibration = _calibration(
        (FittedValue("quality.rude_share_untrained", 0.001, 0.0, 0.01, 90, "m", 0.08),)
    )
    applied = apply_calibration(base, calibration)
    assert applied.quality.rude_share_untrained == base.quality.rude_share_floor


def test_the_training_response_maps_the_observed_share_back() -> None:
    from cxcost.quality import rude_share

    rows = [("2026-01-05 08:00", "phone", 10.0, 0, 300.0, 1, int(i % 10 == 0), f"C{i}", 0)
            for i in range(400)]  # fmt: skip
    base = Scenario()
    result = calibrate(_log(rows), base=base)
    fitted = result.value("quality.rude_share_untrained")
    assert fitted is not None
    assert fitted.observed == pytest.approx(0.1)
    applied = apply_calibration(base, result, ["quality.rude_share_untrained"])
    effective = rude_share(
        applied.quality, applied.training, applied.staffing.attrition_per_year,
        applied.training.hours_per_rep_per_year,
    )  # fmt: skip
    # The model, run with the fitted untrained share, shows the share seen in the log.
    assert effective == pytest.approx(0.1, rel=1e-9)


_CHANNELS = st.sampled_from(["phone", "chat", "email", "Telefon", "E-post"])


@st.composite
def contact_logs(draw: st.DrawFn) -> pd.DataFrame:
    """Small, arbitrary but well-formed contact logs."""
    n = draw(st.integers(3, 40))
    seconds = draw(st.lists(st.integers(0, 60 * 86_400), min_size=n, max_size=n))
    abandoned = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rows = []
    for i in range(n):
        gave_up = abandoned[i]
        rows.append(
            (
                pd.Timestamp("2026-01-05") + pd.Timedelta(seconds=seconds[i]),
                draw(_CHANNELS),
                float(draw(st.integers(0, 200_000))),
                int(gave_up),
                None if gave_up else float(draw(st.integers(0, 7200))),
                None if gave_up else int(draw(st.booleans())),
                0 if gave_up else int(draw(st.booleans())),
                f"C{draw(st.integers(0, 8))}",
                int(draw(st.booleans())),
            )
        )
    return _log(rows)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=contact_logs())
def test_fitted_values_stay_in_their_field_limits_and_apply_validly(log: pd.DataFrame) -> None:
    base = Scenario()
    result = calibrate(log, base=base)
    for fitted in result.values:
        low_limit, high_limit = _field_limits(fitted.path)
        for value in (fitted.value, fitted.low, fitted.high):
            values = value if isinstance(value, tuple) else (value,)
            assert all(low_limit <= v <= high_limit for v in values), fitted
            assert all(math.isfinite(v) for v in values), fitted
        if not isinstance(fitted.value, tuple):
            assert fitted.low <= fitted.value <= fitted.high  # type: ignore[operator]
    applied = apply_calibration(base, result)
    assert Scenario.model_validate(applied.model_dump()) == applied
    assert sum(c.share_of_contacts for c in applied.channels) == pytest.approx(1.0)
    for name in ("rude_churn", "patience", "contacts_per_customer"):
        multiplier = getattr(applied.uncertainty, name)
        assert 0 < multiplier.low <= 1 <= multiplier.high <= MAX_UNCERTAINTY_FACTOR
    answered = int((log["abandoned"] == 0).sum())
    assert sum(row.contacts for row in result.fit_check if row.group == "wait") == answered
