"""Calibration recovers the parameters a synthetic log was drawn from (issue 11).

``examples/generate_contacts.py`` draws contact logs from known parameters with
the model's own equations. Over several seeds and two sizes, every true value
must lie inside its 95 % interval in at least 90 % of the runs, and the
intervals must shrink as the log grows (about as 1 / sqrt(n)).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scripts import load_script

from cxcost.calibrate import Calibration, calibrate
from cxcost.scenario import typical_week_profile

ROOT = Path(__file__).resolve().parents[1]
SEEDS = range(30)
SIZES = (15_000, 60_000)
COVERAGE = 0.9


generator = load_script("examples", "generate_contacts")


def true_values() -> dict[str, float]:
    """The generator's parameters at the scenario paths calibration fits."""
    truth = generator.TRUE_PARAMETERS
    years = 365.25 / generator.FOLLOW_UP_DAYS
    values = {
        "churn.wait_churn_max": truth.wait_churn_max,
        "churn.abandon_churn": truth.abandon_churn,
        "churn.rude_churn": truth.rude_churn,
        "churn.dismissive_churn": truth.dismissive_churn,
        "churn.complain_share": truth.complain_share,
        "business.baseline_churn": 1.0 - (1.0 - truth.baseline) ** years,
        "demand.contacts_per_customer_per_year": truth.contacts_per_customer_per_year,
        "quality.repeat_contact_rate": truth.repeat_contact_rate,
    }
    for index, channel in enumerate(truth.channels):
        values[f"channels.{index}.wait_tolerance_minutes"] = channel.wait_tolerance_minutes
        values[f"channels.{index}.handle_time_seconds"] = channel.handle_time_seconds
        values[f"channels.{index}.share_of_contacts"] = channel.share_of_contacts
        if math.isfinite(channel.patience_seconds):
            values[f"channels.{index}.patience_seconds"] = channel.patience_seconds
    return values


TRUE_OBSERVED = {
    "calibrate.observed.rude_share": generator.TRUE_PARAMETERS.rude_share,
    "calibrate.observed.unresolved_share": generator.TRUE_PARAMETERS.unresolved_share,
}


@cache
def run(rows: int, seed: int) -> Calibration:
    contacts, complaints, customers = generator.generate_logs(rows, seed)
    base = generator.TRUE_PARAMETERS.scenario(customers)
    return calibrate(contacts, complaints=complaints, base=base, name="synthetic.csv")


def _intervals(result: Calibration) -> dict[str, tuple[float, float]]:
    found = {
        v.path: (float(v.low), float(v.high))  # type: ignore[arg-type]
        for v in result.values
        if not isinstance(v.value, tuple)
    }
    for observation in result.observed:
        if observation.key in TRUE_OBSERVED:
            found[observation.key] = (observation.low, observation.high)
    return found


@pytest.mark.slow
def test_every_true_value_is_inside_its_interval_in_at_least_90_percent_of_runs() -> None:
    truths = {**true_values(), **TRUE_OBSERVED}
    runs = [_intervals(run(rows, seed)) for rows in SIZES for seed in SEEDS]
    missing = {path for path in truths if any(path not in r for r in runs)}
    assert missing == set()
    coverage = {
        path: float(np.mean([r[path][0] <= truth <= r[path][1] for r in runs]))
        for path, truth in truths.items()
    }
    short = {path: share for path, share in coverage.items() if share < COVERAGE}
    assert short == {}, short


@pytest.mark.slow
def test_intervals_shrink_as_the_log_grows() -> None:
    truths = {**true_values(), **TRUE_OBSERVED}
    small, large = SIZES
    for path in truths:
        widths = {
            rows: np.mean([np.subtract(*_intervals(run(rows, s))[path][::-1]) for s in SEEDS])
            for rows in SIZES
        }
        ratio = widths[large] / widths[small]
        # Four times the contacts: about half the width (1 / sqrt(4)).
        assert ratio == pytest.approx(math.sqrt(small / large), abs=0.15), path


@pytest.mark.slow
def test_the_arrival_profile_follows_the_typical_week() -> None:
    result = run(SIZES[1], 0)
    fitted = result.value("demand.arrival_profile")
    assert fitted is not None
    truth = np.asarray(typical_week_profile())
    truth = truth * len(truth) / truth.sum()
    low, high = np.asarray(fitted.low), np.asarray(fitted.high)
    assert np.mean((low <= truth) & (truth <= high)) >= COVERAGE
    assert np.all(np.asarray(fitted.value)[truth == 0] == 0)


@pytest.mark.slow
def test_the_fit_check_sums_to_the_contacts_and_matches_the_churn() -> None:
    result = run(SIZES[1], 1)
    flags = [row for row in result.fit_check if row.group == "flag"]
    waits = [row for row in result.fit_check if row.group == "wait"]
    abandoned = next(row for row in flags if row.flag == "abandoned")
    # Every answered contact is in one wait bucket (rude and unresolved may overlap).
    assert sum(row.contacts for row in waits) == result.rows - abandoned.contacts
    for row in flags:
        # A fitted model reproduces the churn of each flag within sampling noise.
        spread = 3.0 * math.sqrt(max(row.fitted, 1.0))
        assert abs(row.churned - row.fitted) <= spread, row
    # Maximum likelihood matches the abandoned contacts' churn exactly (their own parameter).
    assert abandoned.fitted == pytest.approx(abandoned.churned, rel=1e-4)


@pytest.mark.slow
def test_a_shared_tolerance_scales_the_base_midpoints() -> None:
    contacts, _, customers = generator.generate_logs(SIZES[0], 3)
    base = generator.TRUE_PARAMETERS.scenario(customers)
    result = calibrate(contacts, base=base, tolerance="shared")
    tolerances = [
        result.value(f"channels.{i}.wait_tolerance_minutes") for i in range(len(base.channels))
    ]
    factors = [
        t.value / c.wait_tolerance_minutes  # type: ignore[union-attr]
        for t, c in zip(tolerances, base.channels, strict=True)
    ]
    assert factors == pytest.approx([factors[0]] * len(factors))
    # The generator's midpoints are half the base's: one factor fits them all.
    assert factors[0] == pytest.approx(0.5, rel=0.25)
    assert all(t.method == "calibrate.method.profile_likelihood_shared" for t in tolerances)  # type: ignore[union-attr]
