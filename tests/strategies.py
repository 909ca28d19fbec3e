"""Hypothesis strategies for valid v3 scenarios, shared by the model's property tests.

Every numeric field is drawn within its ``Field`` limits (read from the model, so the
strategy follows the schema), narrowed only where the full range makes an example slow
without testing anything new.
"""

from __future__ import annotations

import math

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel

from cxcost.scenario import (
    HOURS_PER_WEEK,
    Business,
    Channel,
    ChurnResponse,
    Demand,
    Quality,
    Scenario,
    Staffing,
    Training,
    typical_week_profile,
)


def limits(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The field's allowed interval, read from its ``Field`` metadata (stays in sync)."""
    low, high = -math.inf, math.inf
    for m in model.model_fields[name].metadata:
        if isinstance(m, annotated_types.Ge):
            low = float(m.ge)
        elif isinstance(m, annotated_types.Gt):
            low = float(m.gt) + 1e-6
        elif isinstance(m, annotated_types.Le):
            high = float(m.le)
    return low, high


# Narrower than the Field limits where the full range only makes an example slow or
# numerically degenerate without testing anything new (the whole range is legal).
_SANE: dict[tuple[type[BaseModel], str], tuple[float, float]] = {
    (Business, "customers"): (1, 5_000_000),
    (Channel, "representatives"): (0.0, 2_000.0),
    # No contacts at all is its own test (test_evaluate): the stand-in e-mail backlog
    # in cxcost/_stubs.py returns NaN for a week without mail.
    (Demand, "contacts_per_customer_per_year"): (1e-3, 100.0),
}


def number(model: type[BaseModel], name: str) -> st.SearchStrategy:
    low, high = limits(model, name)
    low, high = _SANE.get((model, name), (low, high))
    if model.model_fields[name].annotation is int:
        return st.integers(int(low), int(high))
    if low == 0.0:
        # Exactly 0, or a value a user could mean: 1e-300 reps or contacts only test
        # float64 underflow (channel tests cover tiny loads on their own).
        return st.one_of(st.just(0.0), st.floats(1e-6, high))
    return st.floats(low, high)


def numbers(model: type[BaseModel], names: tuple[str, ...]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({name: number(model, name) for name in names})


def _numeric(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(n for n, f in model.model_fields.items() if f.annotation in (int, float))


BUSINESS = _numeric(Business)
STAFFING = _numeric(Staffing)
CHURN = tuple(ChurnResponse.model_fields)
CHANNEL = (
    "handle_time_seconds",
    "answer_within_seconds",
    "patience_seconds",
    "concurrency",
    "representatives",
    "wait_tolerance_minutes",
    "wait_response_shape",
    "redial_share",
    "max_occupancy",
)
QUALITY = (
    "rude_share_untrained",
    "dismissive_share_untrained",
    "training_half_life_hours",
    "training_fade_half_life_years",
)
PROFILES = {
    "typical": typical_week_profile(),
    "flat": [1.0] * HOURS_PER_WEEK,
    "weekdays 9-17": ([0.0] * 9 + [1.0] * 8 + [0.0] * 7) * 5 + [0.0] * 48,
}


@st.composite
def channels(draw: st.DrawFn, share: float, kinds: tuple[str, ...] = ("phone", "chat", "email")):
    values = draw(numbers(Channel, CHANNEL))
    return Channel(
        kind=draw(st.sampled_from(kinds)),
        queue_model=draw(st.sampled_from(["erlang_a", "erlang_c"])),
        share_of_contacts=share,
        **values,
    )


@st.composite
def trainings(draw: st.DrawFn, staffing: Staffing) -> Training:
    """Ongoing and new-hire training that fit the paid time the way the scenario demands."""
    if staffing.shrinkage_includes_training:
        room = staffing.paid_hours_per_year * staffing.shrinkage
    else:
        room = staffing.paid_hours_per_year * (1 - staffing.shrinkage)
    budget = 0.99 * room * draw(st.floats(0.0, 1.0))
    attrition = staffing.attrition_per_year
    new_hire_high = limits(Training, "new_hire_hours")[1]
    if attrition > 0:
        new_hire = min(new_hire_high, budget * draw(st.floats(0.0, 1.0)) / attrition)
    else:
        new_hire = draw(st.floats(0.0, new_hire_high))
    hours = min(limits(Training, "hours_per_rep_per_year")[1], budget - attrition * new_hire)
    return Training(
        hours_per_rep_per_year=max(hours, 0.0),
        new_hire_hours=new_hire,
        cost_per_training_hour=draw(number(Training, "cost_per_training_hour")),
    )


@st.composite
def scenarios(
    draw: st.DrawFn, kinds: tuple[str, ...] = ("phone", "chat", "email"), max_channels: int = 3
) -> Scenario:
    """Valid scenarios with every numeric field drawn within its Field limits."""
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=1, max_size=max_channels))
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - sum(shares[:-1])
    staffing = Staffing(
        schedule=draw(st.sampled_from(["daily", "hourly"])),
        shrinkage_includes_training=draw(st.booleans()),
        **draw(numbers(Staffing, STAFFING)),
    )
    q = draw(numbers(Quality, QUALITY))
    profile_name = draw(st.sampled_from(sorted(PROFILES)))
    return Scenario(
        business=Business(
            lost_customer_valuation=draw(st.sampled_from(["lifetime_margin", "replacement_cost"])),
            **draw(numbers(Business, BUSINESS)),
        ),
        demand=Demand(
            contacts_per_customer_per_year=draw(number(Demand, "contacts_per_customer_per_year")),
            arrival_profile=PROFILES[profile_name],
        ),
        channels=[draw(channels(share, kinds)) for share in shares],
        staffing=staffing,
        training=draw(trainings(staffing)),
        quality=Quality(
            rude_share_floor=q["rude_share_untrained"] * draw(st.floats(0.0, 1.0)),
            dismissive_share_floor=q["dismissive_share_untrained"] * draw(st.floats(0.0, 1.0)),
            repeat_contact_rate=draw(number(Quality, "repeat_contact_rate")),
            **q,
        ),
        churn=ChurnResponse(**draw(numbers(ChurnResponse, CHURN))),
    )
