"""Tests for cxcost.scenario: defaults, validation messages, JSON schema."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fixture_types import ScenarioDict, ScenarioWith
from pydantic import BaseModel, ValidationError
from strategies import field_limits

from cxcost.inputs import input_of
from cxcost.scenario import (
    HOURS_PER_WEEK,
    SCHEMA_VERSION,
    Business,
    Channel,
    ChurnResponse,
    Demand,
    Quality,
    Scenario,
    Staffing,
    Training,
    Uncertainty,
    typical_week_profile,
)

INPUT_MODELS: tuple[type[BaseModel], ...] = (
    Business,
    Channel,
    Demand,
    Staffing,
    Training,
    Quality,
    ChurnResponse,
    Uncertainty,
)


def test_defaults_are_valid_and_round_trip() -> None:
    scenario = Scenario()
    assert Scenario.model_validate(scenario.model_dump()) == scenario
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario
    assert scenario.schema_version == SCHEMA_VERSION
    assert sum(c.share_of_contacts for c in scenario.channels) == pytest.approx(1.0, abs=1e-12)


def test_paths_the_tools_rely_on_exist() -> None:
    """The spec (issue 3) names these paths; tools and tests set them by name."""
    scenario = Scenario()
    assert scenario.business.customers >= 1
    assert scenario.business.revenue_per_customer >= 0
    assert 0 <= scenario.business.gross_margin <= 1
    # BLS OEWS May 2021, 43-4051: mean annual wage USD 36,920.
    assert scenario.staffing.salary_per_year == 36_920
    assert scenario.training.hours_per_rep_per_year >= 0
    assert scenario.channels[0].representatives >= 0
    assert scenario.channels[0].handle_time_seconds > 0
    assert {c.kind for c in scenario.channels} == {"phone", "chat", "email"}


def test_typical_week_profile() -> None:
    profile = typical_week_profile()
    assert len(profile) == HOURS_PER_WEEK
    assert min(profile) == 0.0
    assert all(w >= 0 for w in profile)
    sunday = profile[6 * 24 :]
    assert sum(sunday) == 0.0
    # Monday-Friday 08:00-20:00 (12 h) and Saturday 10:00-16:00 (6 h): 5 x 12 + 6 = 66.
    assert Demand().opening_hours_per_week == 66
    monday = profile[:24]
    assert monday.index(max(monday)) == 10  # the late-morning peak


def test_json_schema_is_generated_with_ranges() -> None:
    schema = Scenario.model_json_schema()
    json.dumps(schema)  # serialisable as is
    for part in ("business", "demand", "channels", "staffing", "training", "quality", "churn"):
        assert part in schema["properties"]
    customers = schema["$defs"]["Business"]["properties"]["customers"]
    assert customers["minimum"] == 1
    assert customers["maximum"] == 1_000_000_000
    assert customers["description"] == "Active customers"
    assert customers["x-unit"] == "customers"  # from the field's cxcost.inputs.Input


def _numeric_fields() -> list[tuple[type[BaseModel], str]]:
    return [
        (model, name)
        for model in INPUT_MODELS
        for name, field in model.model_fields.items()
        if field.annotation in (int, float)
    ]


@pytest.mark.parametrize(
    ("model", "name"), _numeric_fields(), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_numeric_input_has_unit_range_and_default(model: type[BaseModel], name: str) -> None:
    field = model.model_fields[name]
    assert field.description, "no description"
    assert input_of(field).unit, "no unit (cxcost.inputs.Input on the field)"
    limits = field_limits(model, name)
    assert limits.ge is not None or limits.gt is not None, "field has no lower limit"
    assert limits.le is not None or limits.lt is not None, "field has no upper limit"
    assert not field.is_required()


# (changes to the default scenario, error location, fragments the message must contain)
INVALID = {
    "customers below range": (
        {"business.customers": 0},
        "business.customers",
        ["greater than or equal to 1"],
    ),
    "customers above range": (
        {"business.customers": 2_000_000_000},
        "business.customers",
        ["less than or equal to 1000000000"],
    ),
    "customers fractional": ({"business.customers": 1.5}, "business.customers", ["integer"]),
    "revenue wrong type": (
        {"business.revenue_per_customer": "a lot"},
        "business.revenue_per_customer",
        ["valid number"],
    ),
    "revenue NaN": (
        {"business.revenue_per_customer": math.nan},
        "business.revenue_per_customer",
        ["finite number"],
    ),
    "salary infinite": (
        {"staffing.salary_per_year": math.inf},
        "staffing.salary_per_year",
        ["finite number"],
    ),
    "margin above 1": (
        {"business.gross_margin": 1.5},
        "business.gross_margin",
        ["less than or equal to 1"],
    ),
    "baseline churn zero": (
        {"business.baseline_churn": 0.0},
        "business.baseline_churn",
        ["greater than or equal to 0.001"],
    ),
    "horizon zero": (
        {"business.horizon_years": 0},
        "business.horizon_years",
        ["greater than or equal to 1"],
    ),
    "currency too short": ({"business.currency": "US"}, "business.currency", ["3 characters"]),
    "currency not letters": (
        {"business.currency": "U$D"},
        "business.currency",
        ["three-letter ISO 4217"],
    ),
    "currency wrong type": ({"business.currency": 840}, "business.currency", ["valid string"]),
    "unknown field": ({"business.colour": "red"}, "business.colour", ["Extra inputs"]),
    "unknown top-level field": ({"colour": "red"}, "colour", ["Extra inputs"]),
    "handle time below range": (
        {"channels.0.handle_time_seconds": 5},
        "channels.0.handle_time_seconds",
        ["greater than or equal to 10"],
    ),
    "concurrency above range": (
        {"channels.1.concurrency": 7},
        "channels.1.concurrency",
        ["less than or equal to 6"],
    ),
    "representatives negative": (
        {"channels.2.representatives": -1},
        "channels.2.representatives",
        ["greater than or equal to 0"],
    ),
    "wait tolerance zero": (
        {"channels.0.wait_tolerance_minutes": 0},
        "channels.0.wait_tolerance_minutes",
        ["greater than or equal to 0.01"],
    ),
    "unknown channel kind": (
        {"channels.0.kind": "fax"},
        "channels.0.kind",
        ["'phone', 'chat', 'email' or 'in_person'"],
    ),
    "unknown queue model": (
        {"channels.0.queue_model": "erlang_b"},
        "channels.0.queue_model",
        ["'erlang_a' or 'erlang_c'"],
    ),
    "no channels": ({"channels": []}, "channels", ["at least 1 item"]),
    "shares do not sum to 1": (
        {"channels.0.share_of_contacts": 0.5},
        "",
        ["share_of_contacts", "100 %", "90.0%"],
    ),
    "shrinkage above range": (
        {"staffing.shrinkage": 0.95},
        "staffing.shrinkage",
        ["less than or equal to 0.9"],
    ),
    "unknown schedule": (
        {"staffing.schedule": "weekly"},
        "staffing.schedule",
        ["'daily' or 'hourly'"],
    ),
    "training above range": (
        {"training.hours_per_rep_per_year": 500},
        "training.hours_per_rep_per_year",
        ["less than or equal to 400"],
    ),
    "training not below available hours": (
        # 500 paid h x (1 - 0.3 shrinkage) = 350 h on the queues at most; 308 h ongoing +
        # 0.35 attrition x 120 h for new hires = 350 h does not fit
        {"staffing.paid_hours_per_year": 500, "training.hours_per_rep_per_year": 308},
        "",
        [
            "training.hours_per_rep_per_year 308 h",
            "350 h",
            "new_hire_hours 120 h",
            "must fit in the paid hours left after shrinkage",
        ],
    ),
    "training beyond the shrinkage that includes it": (
        # 2,080 h x 0.05 shrinkage = 104 h; 70 h + 0.35 x 120 h = 112 h
        {
            "staffing.shrinkage": 0.05,
            "staffing.shrinkage_includes_training": True,
            "training.hours_per_rep_per_year": 70,
        },
        "",
        ["112 h", "must fit in the shrinkage, which includes training (104 h)"],
    ),
    "rude floor above untrained": (
        {"quality.rude_share_floor": 0.1},
        "quality",
        ["rude_share_floor (0.1)", "rude_share_untrained (0.08)"],
    ),
    "dismissive floor above untrained": (
        {"quality.dismissive_share_floor": 0.3},
        "quality",
        ["dismissive_share_floor (0.3)", "dismissive_share_untrained (0.2)"],
    ),
    "half-life zero": (
        {"quality.training_half_life_hours": 0},
        "quality.training_half_life_hours",
        ["greater than or equal to 0.1"],
    ),
    "half-life next to zero": (
        {"quality.training_half_life_hours": 1e-310},
        "quality.training_half_life_hours",
        ["greater than or equal to 0.1"],
    ),
    "repeat rate above range": (
        {"quality.repeat_contact_rate": 1.0},
        "quality.repeat_contact_rate",
        ["less than or equal to 0.95"],
    ),
    "churn probability negative": (
        {"churn.rude_churn": -0.1},
        "churn.rude_churn",
        ["greater than or equal to 0"],
    ),
    "profile too short": (
        {"demand.arrival_profile": [1.0] * 167},
        "demand.arrival_profile",
        ["at least 168 items"],
    ),
    "profile negative weight": (
        {"demand.arrival_profile.5": -1.0},
        "demand.arrival_profile.5",
        ["greater than or equal to 0"],
    ),
    "profile NaN weight": (
        {"demand.arrival_profile.5": math.nan},
        "demand.arrival_profile.5",
        ["finite number"],
    ),
    "profile all closed": (
        {"demand.arrival_profile": [0.0] * 168},
        "demand.arrival_profile",
        ["at least one hour"],
    ),
    "range low above high": (
        {"uncertainty.rude_churn": {"low": 0.3, "high": 0.1}},
        "uncertainty.rude_churn",
        ["low (0.3) must be at most 1 and high (0.1) at least 1", "multiplier"],
    ),
    "range above the value": (
        # an absolute v2-style range around a churn of 0.1 is no multiplier range
        {"uncertainty.rude_churn": {"low": 1.2, "high": 1.5}},
        "uncertainty.rude_churn",
        ["low (1.2) must be at most 1", "multiplier around the scenario's own value"],
    ),
    "too few draws": (
        {"uncertainty.draws": 10},
        "uncertainty.draws",
        ["greater than or equal to 100"],
    ),
}


@pytest.mark.parametrize(("changes", "location", "fragments"), INVALID.values(), ids=INVALID)
def test_invalid_values_name_the_field_and_range(
    scenario_dict: ScenarioDict, changes: dict[str, Any], location: str, fragments: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(scenario_dict(changes))
    locations = [".".join(str(part) for part in e["loc"]) for e in info.value.errors()]
    assert location in locations
    message = str(info.value)
    if location:
        assert location in message
    for fragment in fragments:
        assert fragment in message


def test_assignment_is_validated() -> None:
    scenario = Scenario()
    # a nested model knows only its own field name, not the path from the Scenario
    with pytest.raises(
        ValidationError, match=r"customers\n  Input should be greater than or equal to 1"
    ):
        scenario.business.customers = 0
    with pytest.raises(ValidationError, match="finite number"):
        scenario.channels[0].handle_time_seconds = math.nan


def test_currency_is_normalised_to_upper_case(scenario_with: ScenarioWith) -> None:
    assert scenario_with({"business.currency": "nok"}).business.currency == "NOK"


def test_version_3_defaults() -> None:
    scenario = Scenario()
    assert scenario.schema_version == 3
    assert scenario.business.lost_customer_valuation == "lifetime_margin"
    assert scenario.business.replacement_ramp_up_months == 0.0
    assert scenario.staffing.schedule == "hourly"
    assert scenario.staffing.scheduling_efficiency == 0.9
    assert scenario.staffing.shrinkage_includes_training is False
    assert scenario.training.new_hire_hours == 120.0  # QATC 2024
    assert scenario.quality.training_fade_half_life_years == 1.0
    assert scenario.churn.abandon_churn == 0.08
    for channel in scenario.channels:
        assert (channel.wait_response_shape, channel.redial_share, channel.max_occupancy) == (
            3,
            0.6,
            0.9,
        )
