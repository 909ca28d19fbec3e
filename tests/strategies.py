"""The test suite's one Hypothesis strategy for valid scenarios, and its one reader of
a field's limits.

Every field is drawn within its ``Field`` limits (read from the model, so the strategy
follows the schema). By default the numbers are narrowed where the full range makes an
example slow or numerically degenerate without testing anything new, and names, texts
and uncertainty ranges keep their defaults: the inputs of the model's property tests.
``full_range=True`` draws every field anywhere it is allowed (edge values, free text,
sources, any ISO currency, uncertainty ranges): the inputs of the robustness and
round-trip tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

import annotated_types
from babel.numbers import list_currencies
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxcost.scenario import (
    HOURS_PER_WEEK,
    MAX_SOURCE_CHARS,
    MAX_SOURCE_KEY_CHARS,
    Business,
    Channel,
    ChannelKind,
    ChurnResponse,
    Demand,
    Practices,
    Quality,
    Range,
    Scenario,
    Staffing,
    Training,
    Uncertainty,
    typical_week_profile,
)

# ---------------------------------------------------------------------------
# Field limits


@dataclass(frozen=True)
class Limits:
    """A field's limits as its ``Field`` declares them; None where it declares none."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None
    max_length: int | None = None

    @property
    def low(self) -> float:
        """The lower bound (inclusive or not), -inf without one."""
        return self.ge if self.ge is not None else self.gt if self.gt is not None else -math.inf

    @property
    def high(self) -> float:
        """The upper bound (inclusive or not), inf without one."""
        return self.le if self.le is not None else self.lt if self.lt is not None else math.inf

    def closed(self, margin: float = 1e-6) -> tuple[float, float]:
        """The allowed interval with an exclusive bound moved ``margin`` inside it
        (just above ``gt = 0``, not at a denormal where a division overflows)."""
        low = self.low + margin if self.ge is None and self.gt is not None else self.low
        high = self.high - margin if self.le is None and self.lt is not None else self.high
        return low, high


def _real(bound: object) -> float:
    assert isinstance(bound, int | float), f"a numeric limit, not {bound!r}"
    return float(bound)


def _length(bound: object) -> int:
    assert isinstance(bound, int), f"a length limit, not {bound!r}"
    return bound


def _metadata(info: FieldInfo, item: bool) -> Iterable[object]:
    if not item:
        return info.metadata
    # list[Annotated[float, Field(...)]]: the limits of each item
    (item_type,) = get_args(info.annotation)
    return [m for arg in get_args(item_type)[1:] for m in getattr(arg, "metadata", [arg])]


def field_limits(model: type[BaseModel], name: str, *, item: bool = False) -> Limits:
    """The limits of ``model``'s field ``name`` (of each item of a list field if
    ``item``), read from its ``Field`` metadata (ge, gt, le, lt, min and max length)."""
    found: dict[str, Any] = {}
    for m in _metadata(model.model_fields[name], item):
        if isinstance(m, annotated_types.Ge):
            found["ge"] = _real(m.ge)
        elif isinstance(m, annotated_types.Gt):
            found["gt"] = _real(m.gt)
        elif isinstance(m, annotated_types.Le):
            found["le"] = _real(m.le)
        elif isinstance(m, annotated_types.Lt):
            found["lt"] = _real(m.lt)
        elif isinstance(m, annotated_types.MinLen):
            found["min_length"] = _length(m.min_length)
        elif isinstance(m, annotated_types.MaxLen):
            found["max_length"] = _length(m.max_length)
    return Limits(**found)


# ---------------------------------------------------------------------------
# Fields

# Narrower than the Field limits where the full range only makes an example slow or
# numerically degenerate without testing anything new (the whole range is legal, and
# full_range=True draws it).
_SANE: dict[tuple[type[BaseModel], str], tuple[float, float]] = {
    (Business, "customers"): (1, 5_000_000),
    (Channel, "representatives"): (0.0, 2_000.0),
    # No contacts at all is its own test (test_evaluate).
    (Demand, "contacts_per_customer_per_year"): (1e-3, 100.0),
}


def number(
    model: type[BaseModel], name: str, *, full_range: bool = False
) -> st.SearchStrategy[float]:
    """A value of a numeric field: anywhere within its limits, edges included, if
    ``full_range``; else within its sane range, 0 or at least 1e-6."""
    limits = field_limits(model, name)
    integer = model.model_fields[name].annotation is int
    if full_range:
        if integer:
            low = limits.ge if limits.ge is not None else limits.low + 1
            high = limits.le if limits.le is not None else limits.high - 1
            return st.integers(int(low), int(high))
        return st.floats(
            limits.low,
            limits.high,
            exclude_min=limits.ge is None and limits.gt is not None,
            exclude_max=limits.le is None and limits.lt is not None,
        )
    low, high = _SANE.get((model, name), limits.closed())
    if integer:
        return st.integers(int(low), int(high))
    if low == 0.0:
        # Exactly 0, or a value a user could mean: 1e-300 reps or contacts only test
        # float64 underflow (channel tests cover tiny loads on their own).
        return st.one_of(st.just(0.0), st.floats(1e-6, high))
    return st.floats(low, high)


def numbers(
    model: type[BaseModel], names: tuple[str, ...], *, full_range: bool = False
) -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries(
        {name: number(model, name, full_range=full_range) for name in names}
    )


def _numeric(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(n for n, f in model.model_fields.items() if f.annotation in (int, float))


def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The values of a ``Literal`` field."""
    return get_args(model.model_fields[name].annotation)


def text(model: type[BaseModel], name: str) -> st.SearchStrategy[str]:
    """Any text of the field's allowed length."""
    limits = field_limits(model, name)
    return st.text(min_size=limits.min_length or 0, max_size=limits.max_length)


KINDS: tuple[ChannelKind, ...] = ("phone", "chat", "email", "in_person")
MAX_CHANNELS = _length(field_limits(Scenario, "channels").max_length)
BUSINESS = _numeric(Business)
STAFFING = _numeric(Staffing)
CHURN = tuple(ChurnResponse.model_fields)
# share_of_contacts is drawn for all channels together (they add up to 1).
CHANNEL = tuple(name for name in _numeric(Channel) if name != "share_of_contacts")
# The floors are drawn below the untrained shares (Quality._floors_below_untrained).
QUALITY = (
    "rude_share_untrained",
    "dismissive_share_untrained",
    "training_half_life_hours",
    "training_fade_half_life_years",
    "conflict_training_half_life_hours",
    "knowledge_training_half_life_hours",
)
PRACTICES = _numeric(Practices)
PROFILES = {
    "typical": typical_week_profile(),
    "flat": [1.0] * HOURS_PER_WEEK,
    "weekdays 9-17": ([0.0] * 9 + [1.0] * 8 + [0.0] * 7) * 5 + [0.0] * 48,
}
CURRENCIES = sorted(list_currencies())
"""The ISO 4217 codes the model accepts (Business._currency_code), in either case."""


@st.composite
def channels(
    draw: st.DrawFn, share: float, kinds: tuple[ChannelKind, ...] = KINDS, full_range: bool = False
) -> Channel:
    values = draw(numbers(Channel, CHANNEL, full_range=full_range))
    kind = draw(st.sampled_from(kinds))
    queue_model = draw(st.sampled_from(_choices(Channel, "queue_model")))
    data: dict[str, object] = {
        "kind": kind,
        "queue_model": queue_model,
        "share_of_contacts": share,
        **values,
    }
    if full_range:
        data["name"] = draw(text(Channel, "name"))
    return Channel.model_validate(data)


@st.composite
def trainings(draw: st.DrawFn, staffing: Staffing, full_range: bool = False) -> Training:
    """Ongoing and new-hire training that fit the paid time the way the scenario demands."""
    if staffing.shrinkage_includes_training:
        room = staffing.paid_hours_per_year * staffing.shrinkage
    else:
        room = staffing.paid_hours_per_year * (1 - staffing.shrinkage)
    budget = 0.99 * room * draw(st.floats(0.0, 1.0))
    attrition = staffing.attrition_per_year
    new_hire_high = field_limits(Training, "new_hire_hours").high
    if attrition > 0:
        new_hire = min(new_hire_high, budget * draw(st.floats(0.0, 1.0)) / attrition)
    else:
        new_hire = draw(st.floats(0.0, new_hire_high))
    left = max(budget - attrition * new_hire, 0.0)
    # Up to 30 % of the ongoing budget goes to the two tracks, shared evenly.
    tracks = left * draw(st.floats(0.0, 0.3))
    hours = min(field_limits(Training, "hours_per_rep_per_year").high, left - tracks)
    conflict = min(field_limits(Training, "conflict_hours_per_rep_per_year").high, tracks / 2)
    knowledge = min(field_limits(Training, "knowledge_hours_per_rep_per_year").high, tracks / 2)
    return Training(
        hours_per_rep_per_year=max(hours, 0.0),
        conflict_hours_per_rep_per_year=conflict,
        knowledge_hours_per_rep_per_year=knowledge,
        new_hire_hours=new_hire,
        cost_per_training_hour=draw(
            number(Training, "cost_per_training_hour", full_range=full_range)
        ),
    )


def _shares(weights: list[float]) -> list[float]:
    """Weights scaled to shares that add up to 1 (equal shares if every weight is 0)."""
    total = sum(weights)
    if total == 0.0:
        return [1.0 / len(weights)] * len(weights)
    shares = [w / total for w in weights]
    shares[-1] = max(0.0, 1.0 - sum(shares[:-1]))
    return shares


@st.composite
def _profiles(draw: st.DrawFn, full_range: bool) -> list[float]:
    """A named profile, or if ``full_range`` also any weights with an open hour."""
    named = st.sampled_from(sorted(PROFILES)).map(PROFILES.__getitem__)
    if not full_range:
        return draw(named)
    limits = field_limits(Demand, "arrival_profile", item=True)
    weights = st.floats(limits.low, limits.high)
    profile = draw(named | st.lists(weights, min_size=HOURS_PER_WEEK, max_size=HOURS_PER_WEEK))
    if not any(w > 0 for w in profile):
        profile = [*profile]
        profile[draw(st.integers(0, HOURS_PER_WEEK - 1))] = draw(weights.filter(bool))
    return profile


@st.composite
def _uncertainties(draw: st.DrawFn) -> Uncertainty:
    """Every range anywhere a multiplier around the value may be (Range._ordered), draws
    and seed anywhere within their limits."""
    low, high = field_limits(Range, "low"), field_limits(Range, "high")
    values: dict[str, Any] = {}
    for name, info in Uncertainty.model_fields.items():
        if info.annotation is Range:
            values[name] = Range(
                low=draw(st.floats(low.low, min(low.high, 1.0), exclude_min=low.ge is None)),
                high=draw(st.floats(max(high.low, 1.0), high.high, exclude_max=high.le is None)),
            )
        else:
            values[name] = draw(number(Uncertainty, name, full_range=True))
    return Uncertainty.model_validate(values)


@st.composite
def scenarios(
    draw: st.DrawFn,
    kinds: tuple[ChannelKind, ...] = KINDS,
    max_channels: int = 3,
    *,
    full_range: bool = False,
) -> Scenario:
    """Valid scenarios of 1 to ``max_channels`` channels of ``kinds``.

    Every numeric field is drawn within its Field limits: narrowed as ``number`` says
    unless ``full_range``, where every field of the scenario is drawn anywhere it is
    allowed.
    """
    if full_range:
        weight = number(Channel, "share_of_contacts", full_range=True)
    else:
        weight = st.floats(0.05, 1.0)
    weights = draw(st.lists(weight, min_size=1, max_size=max_channels))
    shares = _shares(weights)
    staffing = Staffing.model_validate(
        {
            "schedule": draw(st.sampled_from(_choices(Staffing, "schedule"))),
            "shrinkage_includes_training": draw(st.booleans()),
            **draw(numbers(Staffing, STAFFING, full_range=full_range)),
        }
    )
    q = draw(numbers(Quality, QUALITY, full_range=full_range))
    profile = draw(_profiles(full_range))
    business: dict[str, Any] = {
        "lost_customer_valuation": draw(
            st.sampled_from(_choices(Business, "lost_customer_valuation"))
        ),
        **draw(numbers(Business, BUSINESS, full_range=full_range)),
    }
    demand = Demand(
        contacts_per_customer_per_year=draw(
            number(Demand, "contacts_per_customer_per_year", full_range=full_range)
        ),
        arrival_profile=profile,
    )
    data: dict[str, Any] = {
        "business": business,
        "demand": demand,
        "channels": [draw(channels(share, kinds, full_range)) for share in shares],
        "staffing": staffing,
        "training": draw(trainings(staffing, full_range)),
        "quality": Quality(
            rude_share_floor=q["rude_share_untrained"] * draw(st.floats(0.0, 1.0)),
            dismissive_share_floor=q["dismissive_share_untrained"] * draw(st.floats(0.0, 1.0)),
            repeat_contact_rate=draw(number(Quality, "repeat_contact_rate", full_range=full_range)),
            **q,
        ),
        "churn": ChurnResponse.model_validate(
            draw(numbers(ChurnResponse, CHURN, full_range=full_range))
        ),
    }
    practices = draw(numbers(Practices, PRACTICES, full_range=full_range))
    if not any(c.representatives > 0 and c.share_of_contacts > 0 for c in data["channels"]):
        practices["self_service_share"] = 0.0  # a human must stay reachable
    data["practices"] = Practices.model_validate(practices)
    if full_range:
        business["currency"] = draw(
            st.sampled_from(CURRENCIES) | st.sampled_from(CURRENCIES).map(str.lower)
        )
        data["name"] = draw(text(Scenario, "name"))
        data["description"] = draw(text(Scenario, "description"))
        data["sources"] = draw(
            st.dictionaries(
                st.text(max_size=MAX_SOURCE_KEY_CHARS),
                st.text(max_size=MAX_SOURCE_CHARS),
                max_size=3,
            )
        )
        data["uncertainty"] = draw(_uncertainties())
    return Scenario.model_validate({**data, "business": Business.model_validate(business)})
