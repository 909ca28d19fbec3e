"""Scenario: every input of the cost-of-bad-service model, as pydantic v2 models.

Each field carries its unit in the description and its allowed range as
``Field`` limits, so a bad value is rejected with the field's path, the value
and the range. Defaults describe an illustrative mid-sized US business; the
presets in ``cxcost/data/presets/`` override them with sourced values.

Sources cited by the defaults:
- [BLS] US Bureau of Labor Statistics, Occupational Employment and Wage
  Statistics, May 2021: customer service representatives (43-4051), mean
  annual wage USD 36,920.
- [XMI] Qualtrics XM Institute, "Consumer Experience Trends", 2024: bad
  experiences put about USD 3.7 trillion of sales at risk; about half of
  consumers cut spending after a very bad experience.
- [GL] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
  Marketing 17(1), 2003: the margin multiple, lifetime margin = m r / (1 + i - r)
  with margins at the end of each year.
- [QATC] QATC (Quality Assurance & Training Connection), "Agent training survey",
  2024: most contact centres run new-hire programmes of more than three weeks.
- [PWF] pyworkforce (rodrigo-arenas), ``ErlangC.required_positions``: a
  ``max_occupancy`` cap per queue; 0.85-0.90 is the usual planning ceiling.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from babel.numbers import list_currencies
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxcost.inputs import (
    CHAT,
    EMAIL,
    HOURS,
    HOURS_PER_MINUTE,
    MINUTES,
    PERCENT,
    QUEUED,
    REMOTE,
    Display,
    Input,
)

SCHEMA_VERSION = 3
HOURS_PER_WEEK = 168
MAX_PROFILE_WEIGHT = 1e6
MAX_PATIENCE_FACTOR = 100.0
MAX_REPRESENTATIVES = 20_000
"""The most representatives one channel may have [FTE] (the queueing is exact to it)."""
MAX_CHANNELS = 6
"""The most channels a scenario may have (phone, chat, e-mail, in person, ...)."""
MAX_UNCERTAINTY_FACTOR = 10.0
MIN_UNCERTAINTY_FACTOR = 0.01
"""Smallest low end of an uncertainty range [x the value]: a hundredth of the value.

Smaller multipliers mean nothing a planner would state, and denormal ones (5e-324)
drove patience and wait tolerance to values the queue maths cannot take.
"""
WEEKS_PER_YEAR = 52.0
MAX_SOURCES = 200
"""Most ``sources`` entries a scenario holds; the shipped presets need under 50."""
MAX_SOURCE_CHARS = 500
"""Longest source text [characters]; the shipped presets' longest is 163."""
MAX_SOURCE_KEY_CHARS = 120
"""Longest ``sources`` key, a field path [characters]; the longest real path has 40."""
APP_MAX_DRAWS = 100_000
"""Most Monte Carlo draws the app runs in one session [-]; the scenario default.

A scenario may ask for up to 1,000,000 (the CLI runs them); the app clamps
``uncertainty.draws`` to this. Measured on the us-ecommerce preset (issue 15):
100,000 draws take about 1.5 s of CPU with a passing peak of 125 MiB
(tracemalloc), 200,000 double both and 1,000,000 peak at 1.25 GiB, which four
sessions at once cannot afford.
"""
MIN_TRAINING_HALF_LIFE_HOURS = 0.1
"""Shortest training half-life [h]: six minutes of training; shorter ones overflow exp()."""

ChannelKind = Literal["phone", "chat", "email", "in_person"]
CURRENCIES = ("USD", "EUR", "GBP", "NOK", "SEK", "DKK", "CHF", "CAD", "AUD")
"""Currencies the sidebar offers; a preset may use any ISO 4217 code."""
# Only the ratios between hours matter; the cap keeps their sum a finite number.
HourWeight = Annotated[float, Field(ge=0, le=MAX_PROFILE_WEIGHT)]
QueueModel = Literal["erlang_a", "erlang_c"]
LostCustomerValuation = Literal["lifetime_margin", "replacement_cost"]

# Decisions a manager takes; every other input is an assumption about the
# business and its customers. ``cxcost.compare`` prices a change of decisions
# under the base's assumptions and shows changed assumptions apart.
DECISION_FIELDS = (
    "channels.*.representatives",
    "training.hours_per_rep_per_year",
    "training.conflict_hours_per_rep_per_year",
    "training.knowledge_hours_per_rep_per_year",
    "training.new_hire_hours",
    "staffing.schedule",
    "practices.one_stop_share",
    "practices.follow_up_share",
    "practices.proactive_share",
    "practices.self_service_share",
)


class RuleError(ValueError):
    """A rule between inputs is broken; the message in English, and its catalog key.

    ``cxcost.presets.problems`` turns it into a problem a person reads in her
    language: ``key`` is a message of the gettext catalogs (``problem.*``) and
    ``values`` fill its placeholders (numbers are formatted for the language).
    """

    def __init__(self, message: str, key: str, **values: str | float) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class _Model(BaseModel):
    """Strict base: unknown fields are errors, NaN and infinity are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)


def typical_week_profile() -> list[float]:
    """A typical contact-centre week: relative arrivals per hour, Monday 00:00 first.

    Open Monday-Friday 08:00-20:00 with a late-morning peak and a smaller
    after-lunch peak, Saturday 10:00-16:00 at about 40 % of a weekday, closed on
    Sunday. Shape is illustrative, after the intraday curves in N. Gans, G. Koole
    and A. Mandelbaum, "Telephone call centers: tutorial, review, and research
    prospects", MSOM 5(2), 2003, Fig. 1.

    Returns
    -------
    list of float
        168 non-negative weights; 0 means closed. Only ratios matter.
    """
    weekday = [0.0] * 24
    intraday = {8: 0.75, 9: 1.15, 10: 1.3, 11: 1.25, 12: 1.0, 13: 1.05, 14: 1.1,
                15: 1.0, 16: 0.9, 17: 0.75, 18: 0.55, 19: 0.4}  # fmt: skip
    for hour, weight in intraday.items():
        weekday[hour] = weight
    saturday = [0.0] * 24
    for hour in range(10, 16):
        saturday[hour] = 0.45 * weekday[hour]
    sunday = [0.0] * 24
    return weekday * 5 + saturday + sunday


class Business(_Model):
    """The company and its customers."""

    customers: Annotated[int, Input("customers", "number", Display(1, 1, 1_000_000_000, 1000))] = (
        Field(200_000, ge=1, le=1_000_000_000, description="Active customers")
    )
    revenue_per_customer: Annotated[
        float, Input("currency/year", "number", Display(1, 0, 10_000_000, 10))
    ] = Field(600.0, ge=0, le=10_000_000, description="Annual revenue per customer")
    gross_margin: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 1))] = (
        Field(0.35, ge=0, le=1, description="Gross margin on revenue")
    )
    baseline_churn: Annotated[
        float, Input("share/year", "slider", Display(PERCENT, 0.1, 95, 0.5))
    ] = Field(
        0.12,
        ge=0.001,
        le=0.95,
        description="Annual churn for reasons other than service (price, moves)",
    )
    discount_rate: Annotated[float, Input("share/year", "slider", Display(PERCENT, 0, 50, 0.5))] = (
        Field(0.08, ge=0, le=0.5, description="Annual discount rate for lifetime values")
    )
    acquisition_cost: Annotated[
        float, Input("currency/customer", "number", Display(1, 0, 1_000_000, 10))
    ] = Field(
        150.0,
        ge=0,
        le=1_000_000,
        description="Cost to win one replacement customer (marketing, sales)",
    )
    lost_customer_valuation: Annotated[LostCustomerValuation, Input(widget="select")] = Field(
        "lifetime_margin",
        description="How one lost customer is valued, once: 'lifetime_margin' (the discounted "
        "future margin the company loses) or 'replacement_cost' (the company wins a "
        "replacement: acquisition cost plus the margin lost while it ramps up)",
    )
    replacement_ramp_up_months: Annotated[
        float, Input("months", "slider", Display(1, 0, 60, 0.5))
    ] = Field(
        0.0,
        ge=0,
        le=60,
        description="Months of margin lost while a replacement customer ramps up to a full "
        "one; used with 'replacement_cost'",
    )
    horizon_years: Annotated[int, Input("years", "slider", Display(1, 1, 20, 1))] = Field(
        3, ge=1, le=20, description="Horizon for NPV and payback of a change"
    )
    currency: Annotated[str, Input(widget="select", options=CURRENCIES)] = Field(
        "USD", min_length=3, max_length=3, description="ISO 4217 currency code, e.g. USD, NOK, EUR"
    )

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        code = value.upper()
        if code not in _iso_currencies():
            raise ValueError(
                f"{json.dumps(value)} is not a known currency; use a three-letter ISO 4217 "
                "code such as USD, EUR or NOK"
            )
        return code


@lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    """ISO 4217 codes Babel (CLDR) knows, historic ones included."""
    return frozenset(list_currencies())


class Channel(_Model):
    """One contact channel with its own queue and its own representatives."""

    kind: ChannelKind = Field(
        "phone",
        description="phone, chat (concurrent), email (deferred) or in_person (shop, field "
        "technician: served on the spot, no queue)",
    )
    name: str = Field("Phone", min_length=1, max_length=60, description="Label shown to users")
    share_of_contacts: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 1), mix=True)
    ] = Field(1.0, ge=0, le=1, description="Share of all contacts that use this channel")
    handle_time_seconds: Annotated[
        float, Input("s", "slider", Display(MINUTES, 0.25, 30, 0.25))
    ] = Field(360.0, ge=10, le=7200, description="Mean handle time per contact, talk + wrap-up")
    answer_within_seconds: Annotated[
        float,
        Input(
            "s",
            "slider",
            Display(1, 0, 600, 5),
            kinds=QUEUED,
            variants=((EMAIL, Display(HOURS, 1, 168, 1, "email")),),
        ),
    ] = Field(
        20.0,
        ge=0,
        le=7 * 86400,
        description="Service-level target: answer within this time (e-mail: 86,400 = 24 h)",
    )
    patience_seconds: Annotated[
        float, Input("s", "slider", Display(MINUTES, 0.25, 15, 0.25), kinds=QUEUED)
    ] = Field(
        120.0,
        ge=5,
        le=3600,
        description="Mean time a waiting customer holds before abandoning (phone, chat)",
    )
    concurrency: Annotated[float, Input("-", "slider", Display(1, 1, 6, 0.5), kinds=CHAT)] = Field(
        1.0, ge=1, le=6, description="Contacts a representative handles at once (chat: 2-3)"
    )
    representatives: Annotated[
        float, Input("FTE", "slider", Display(1, 0, 40, 0.5), group="staffing", grow=3.0)
    ] = Field(
        40.0,
        ge=0,
        le=MAX_REPRESENTATIVES,
        description="Representatives assigned to this channel",
    )
    wait_tolerance_minutes: Annotated[
        float,
        Input(
            "min",
            "slider",
            Display(1, 0.5, 60, 0.5),
            kinds=QUEUED,
            variants=((EMAIL, Display(HOURS_PER_MINUTE, 1, 336, 1, "email")),),
        ),
    ] = Field(
        5.0,
        ge=0.01,
        le=20_160,
        description="Wait at which half of the maximum wait churn is reached (midpoint of "
        "the S-shaped wait response)",
    )
    wait_response_shape: Annotated[int, Input("-", "slider", Display(1, 1, 4, 1), kinds=REMOTE)] = (
        Field(
            3,
            ge=1,
            le=4,
            description="Steepness of the wait response (1 - exp(-W/tau))^shape: 1 = no threshold "
            "(steepest at zero wait), 2-4 = S-shaped, a short wait loses nobody",
        )
    )
    redial_share: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 95, 1), kinds=QUEUED)
    ] = Field(
        0.6,
        ge=0,
        le=0.95,
        description="Share of abandoning contacts who try again; only the rest give up for "
        "good (illustrative; Erlang X retrials)",
    )
    max_occupancy: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 30, 100, 1), kinds=REMOTE)
    ] = Field(
        0.9,
        ge=0.3,
        le=1,
        description="Highest occupancy a plan may run the channel at (pyworkforce's "
        "max_occupancy; 0.85-0.90 usual)",
    )
    queue_model: Annotated[QueueModel, Input(widget="select", kinds=QUEUED)] = Field(
        "erlang_a", description="erlang_a (callers abandon) or erlang_c (nobody abandons)"
    )


def _default_channels() -> list[Channel]:
    return [
        Channel(kind="phone", name="Phone", share_of_contacts=0.6, handle_time_seconds=360,
                answer_within_seconds=20, patience_seconds=120, representatives=17,
                wait_tolerance_minutes=5),
        Channel(kind="chat", name="Chat", share_of_contacts=0.25, handle_time_seconds=600,
                answer_within_seconds=60, patience_seconds=180, concurrency=2,
                representatives=6, wait_tolerance_minutes=3),
        Channel(kind="email", name="E-mail", share_of_contacts=0.15, handle_time_seconds=420,
                answer_within_seconds=86_400, representatives=5,
                wait_tolerance_minutes=24 * 60),
    ]  # fmt: skip


class Demand(_Model):
    """How many contacts arrive, through which channels, and when."""

    contacts_per_customer_per_year: Annotated[
        float, Input("contacts/year", "slider", Display(1, 0, 10, 0.1))
    ] = Field(1.5, ge=0, le=100, description="First contacts per customer per year")
    arrival_profile: Annotated[list[HourWeight], Input("-")] = Field(
        default_factory=typical_week_profile,
        min_length=HOURS_PER_WEEK,
        max_length=HOURS_PER_WEEK,
        description="Relative arrivals per hour of the week, Monday 00:00 first; 0 = closed",
    )

    @field_validator("arrival_profile")
    @classmethod
    def _profile_has_open_hours(cls, value: list[float]) -> list[float]:
        if sum(value) <= 0:
            raise ValueError("at least one hour of the week must be open (weight > 0)")
        return value

    @property
    def opening_hours_per_week(self) -> int:
        """Hours of the week with a positive arrival weight [h/week]."""
        return sum(1 for w in self.arrival_profile if w > 0)


class Staffing(_Model):
    """What a representative costs and how much of the paid time is on the queues."""

    salary_per_year: Annotated[
        float, Input("currency/year", "number", Display(1, 0, 1_000_000, 500))
    ] = Field(
        36_920.0,
        ge=0,
        le=1_000_000,
        description="Mean annual pay per representative (BLS 2021: USD 36,920)",
    )
    loaded_cost_multiplier: Annotated[
        float, Input("x salary", "slider", Display(1, 1, 3, 0.05))
    ] = Field(1.3, ge=1, le=3, description="Benefits, overhead, tools on top of pay")
    paid_hours_per_year: Annotated[float, Input("h/year", "number", Display(1, 500, 3000, 10))] = (
        Field(2080.0, ge=500, le=3000, description="Paid hours per full-time representative")
    )
    shrinkage: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 90, 1))] = Field(
        0.30,
        ge=0,
        le=0.9,
        description="Paid time not on the queues: breaks, meetings, absence; training "
        "included only if shrinkage_includes_training",
    )
    shrinkage_includes_training: Annotated[bool, Input(widget="toggle")] = Field(
        False,
        description="True: training hours are part of the shrinkage (they must fit in it); "
        "False: training is taken off the queues on top of the shrinkage",
    )
    attrition_per_year: Annotated[
        float, Input("share/year", "slider", Display(PERCENT, 0, 300, 1))
    ] = Field(0.35, ge=0, le=3, description="Representatives who leave per year")
    cost_to_replace_rep: Annotated[
        float, Input("currency/rep", "number", Display(1, 0, 500_000, 500))
    ] = Field(
        6_000.0,
        ge=0,
        le=500_000,
        description="Recruiting and hiring one representative, new-hire training excluded",
    )
    schedule: Annotated[
        Literal["daily", "hourly"], Input(widget="select", options=("hourly", "daily"))
    ] = Field(
        "hourly",
        description="How rosters follow demand: 'hourly' staffs every hour in proportion to "
        "its load, less the scheduling efficiency (staggered shifts, as planners roster); "
        "'daily' staffs each day in proportion to its load, evenly over its open hours "
        "(one shift pattern a day)",
    )
    scheduling_efficiency: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 50, 100, 1))
    ] = Field(
        0.9,
        ge=0.5,
        le=1,
        description="Share of rostered queue time that lands where the hourly load needs it; "
        "shifts cannot follow the load exactly (illustrative)",
    )


class Training(_Model):
    """Training hours: ongoing per representative, and initial for every new hire.

    Training time is paid and off the queues. New hires (attrition x
    representatives a year) take the initial programme before they answer.
    """

    hours_per_rep_per_year: Annotated[float, Input("h/year", "slider", Display(1, 0, 400, 1))] = (
        Field(
            16.0,
            ge=0,
            le=400,
            description="Ongoing general training per representative; lowers rude and "
            "dismissive handling alike",
        )
    )
    conflict_hours_per_rep_per_year: Annotated[
        float, Input("h/year", "slider", Display(1, 0, 200, 1))
    ] = Field(
        0.0,
        ge=0,
        le=200,
        description="Conflict-resolution training per representative (de-escalation, "
        "courtesy); lowers the rude share only",
    )
    knowledge_hours_per_rep_per_year: Annotated[
        float, Input("h/year", "slider", Display(1, 0, 200, 1))
    ] = Field(
        0.0,
        ge=0,
        le=200,
        description="Product-knowledge training per representative; lowers the dismissive "
        "(unresolved) share only",
    )
    new_hire_hours: Annotated[float, Input("h", "slider", Display(1, 0, 1000, 4))] = Field(
        120.0,
        ge=0,
        le=1000,
        description="Initial training of one new representative (QATC 2024: most "
        "new-hire programmes run more than 3 weeks)",
    )
    cost_per_training_hour: Annotated[
        float, Input("currency/h", "number", Display(1, 0, 10_000, 5))
    ] = Field(
        40.0,
        ge=0,
        le=10_000,
        description="Direct cost per training hour per rep: trainer, material",
    )


class Quality(_Model):
    """How often contacts are rude or dismissive, and how training changes that.

    rate(E) = floor + (untrained - floor) exp(-E ln 2 / half_life) for a
    representative whose training stock is E hours: training helps with
    diminishing returns, and its effect fades with ``training_fade_half_life_years``.
    The shares are averaged over the staff's tenure mix (``cxcost.quality``).
    """

    rude_share_untrained: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(0.08, ge=0, le=1, description="Contacts perceived as rude with no training")
    rude_share_floor: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(0.02, ge=0, le=1, description="Rude share that no training removes")
    dismissive_share_untrained: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(
        0.20,
        ge=0,
        le=1,
        description="Contacts brushed off or left unresolved with no training",
    )
    dismissive_share_floor: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(0.06, ge=0, le=1, description="Dismissive share that no training removes")
    training_half_life_hours: Annotated[float, Input("h", "slider", Display(1, 1, 200, 1))] = Field(
        24.0,
        ge=MIN_TRAINING_HALF_LIFE_HOURS,
        le=1000,
        description="Hours of training (still in effect) that halve the gap to the floor",
    )
    conflict_training_half_life_hours: Annotated[
        float, Input("h", "slider", Display(1, 1, 200, 1))
    ] = Field(
        12.0,
        ge=MIN_TRAINING_HALF_LIFE_HOURS,
        le=1000,
        description="Hours of conflict-resolution training in effect that halve the gap to "
        "the rude floor (illustrative)",
    )
    knowledge_training_half_life_hours: Annotated[
        float, Input("h", "slider", Display(1, 1, 200, 1))
    ] = Field(
        12.0,
        ge=MIN_TRAINING_HALF_LIFE_HOURS,
        le=1000,
        description="Hours of product-knowledge training in effect that halve the gap to "
        "the dismissive floor (illustrative)",
    )
    training_fade_half_life_years: Annotated[
        float, Input("years", "slider", Display(1, 0.1, 10, 0.1))
    ] = Field(
        1.0,
        ge=0.1,
        le=50,
        description="Years after which half of a training's effect has faded (illustrative) ",
    )
    repeat_contact_rate: Annotated[float, Input("0-1", "slider", Display(PERCENT, 0, 95, 1))] = (
        Field(
            0.6,
            ge=0,
            le=0.95,
            description="Share of dismissed customers who contact again about the same issue",
        )
    )

    @model_validator(mode="after")
    def _floors_below_untrained(self) -> Quality:
        if self.rude_share_floor > self.rude_share_untrained:
            raise RuleError(
                f"rude_share_floor ({self.rude_share_floor}) must not exceed "
                f"rude_share_untrained ({self.rude_share_untrained})",
                "problem.rude_floor",
                floor=self.rude_share_floor * 100,
                untrained=self.rude_share_untrained * 100,
            )
        if self.dismissive_share_floor > self.dismissive_share_untrained:
            raise RuleError(
                f"dismissive_share_floor ({self.dismissive_share_floor}) must not exceed "
                f"dismissive_share_untrained ({self.dismissive_share_untrained})",
                "problem.dismissive_floor",
                floor=self.dismissive_share_floor * 100,
                untrained=self.dismissive_share_untrained * 100,
            )
        return self


class ChurnResponse(_Model):
    """Probability that one contact makes a customer leave, by what went wrong."""

    wait_churn_max: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(
        0.08,
        ge=0,
        le=1,
        description="Churn probability of an answered contact after an extremely long wait ",
    )
    abandon_churn: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))] = (
        Field(
            0.08,
            ge=0,
            le=1,
            description="Churn probability of a contact that gives up for good (abandons and "
            "does not redial)",
        )
    )
    rude_churn: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))] = (
        Field(0.10, ge=0, le=1, description="Churn probability after a rude contact")
    )
    dismissive_churn: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 0.5))
    ] = Field(0.12, ge=0, le=1, description="Churn probability after a dismissive contact")
    complain_share: Annotated[float, Input("0-1", "slider", Display(PERCENT, 0, 100, 0.5))] = Field(
        0.04,
        ge=0,
        le=1,
        description="Share of leaving customers who complain first; the rest leave silently",
    )


class Practices(_Model):
    """Service practices: what they are today (assumptions) and the levers (decisions).

    Equations and sources in ``cxcost.practices``. Every lever at 0 leaves the
    model as it was without practices; the assumptions only matter once a lever
    or a transfer share is set.
    """

    transfer_share: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 80, 1))] = (
        Field(
            0.0,
            ge=0,
            le=0.8,
            description="Share of answered contacts transferred to another team today "
            "(each transfer is a second wait and a second handling)",
        )
    )
    transfer_fcr_drop: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 50, 1))
    ] = Field(
        0.14,
        ge=0,
        le=1,
        description="Relative drop of first-contact resolution on a transferred contact "
        "(SQM Group: 14 % lower FCR for transferred callers)",
    )
    transfer_churn: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 10, 0.1))] = (
        Field(
            0.005,
            ge=0,
            le=1,
            description="Churn probability from the effort of being transferred, per "
            "transferred contact (illustrative; SQM Group: transferred callers' satisfaction "
            "12 % lower)",
        )
    )
    one_stop_share: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 90, 5))] = (
        Field(
            0.0,
            ge=0,
            le=0.9,
            description="Lever: share of today's transfers the one-stop-resolution "
            "programme removes (reps own the issue to the end)",
        )
    )
    one_stop_cost_per_rep: Annotated[
        float, Input("currency/rep/year", "number", Display(1, 0, 100_000, 50))
    ] = Field(
        800.0,
        ge=0,
        le=100_000,
        description="Yearly cost per representative of the one-stop programme at full "
        "reach (training, broader tools and authority); scales with the share removed "
        "(illustrative)",
    )
    follow_up_share: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 5))] = (
        Field(
            0.0,
            ge=0,
            le=1,
            description="Lever: share of transferred contacts whose first representative "
            "checks back that the issue was solved",
        )
    )
    follow_up_minutes: Annotated[float, Input("min", "slider", Display(1, 0.5, 30, 0.5))] = Field(
        4.0, ge=0, le=120, description="Representative time per follow-up (illustrative)"
    )
    follow_up_recovery: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 5))
    ] = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of transferred contacts left unresolved whose issue a follow-up "
        "resolves before the customer gives up (illustrative)",
    )
    proactive_share: Annotated[float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 5))] = (
        Field(
            0.0,
            ge=0,
            le=1,
            description="Lever: share of customers with an unresolved contact whom the "
            "company contacts proactively",
        )
    )
    proactive_minutes: Annotated[float, Input("min", "slider", Display(1, 1, 60, 1))] = Field(
        8.0, ge=0, le=240, description="Representative time per proactive contact (illustrative)"
    )
    proactive_recovery: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 5))
    ] = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of those who would leave over an unresolved contact whom a "
        "proactive contact keeps (illustrative)",
    )
    proactive_inbound_share: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 1))
    ] = Field(
        0.66,
        ge=0,
        le=1,
        description="Share of customers contacted proactively who contact the company "
        "afterwards (Gartner 2022: 66 % of B2C customers); extra inbound contacts",
    )
    self_service_share: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 95, 5))
    ] = Field(
        0.0,
        ge=0,
        le=0.95,
        description="Lever: share of first contacts that try self-service first; a human "
        "stays reachable for the rest",
    )
    self_service_resolution: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 100, 1))
    ] = Field(
        0.09,
        ge=0,
        le=1,
        description="Share of self-service attempts fully resolved there (Gartner 2019: 9 %); "
        "the rest reach a human after a failed attempt",
    )
    self_service_cost_per_contact: Annotated[
        float, Input("currency/contact", "slider", Display(1, 0, 20, 0.05))
    ] = Field(
        0.10,
        ge=0,
        le=1000,
        description="Cost per self-service attempt (Gartner 2019: about USD 0.10, against "
        "USD 8.01 for a live contact)",
    )
    self_service_cost_per_year: Annotated[
        float, Input("currency/year", "number", Display(1, 0, 10_000_000, 1000))
    ] = Field(
        60_000.0,
        ge=0,
        le=100_000_000,
        description="Build and upkeep of the self-service offer per year, paid when it is "
        "used (illustrative)",
    )
    self_service_failure_churn: Annotated[
        float, Input("share 0-1", "slider", Display(PERCENT, 0, 10, 0.1))
    ] = Field(
        0.005,
        ge=0,
        le=1,
        description="Churn probability from the effort of a failed self-service attempt, per "
        "contact that reaches a human after one (illustrative)",
    )


class Range(_Model):
    """A plausible low-high range of a multiplier on an uncertain input [x]."""

    low: Annotated[float, Input("x the value")] = Field(
        ge=MIN_UNCERTAINTY_FACTOR, le=MAX_UNCERTAINTY_FACTOR, description="Low end"
    )
    high: Annotated[float, Input("x the value")] = Field(
        ge=MIN_UNCERTAINTY_FACTOR, le=MAX_UNCERTAINTY_FACTOR, description="High end"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > 1.0 or self.high < 1.0:
            raise RuleError(
                f"low ({self.low:g}) must be at most 1 and high ({self.high:g}) at least 1: "
                "the range is a multiplier around the scenario's own value",
                "problem.range_around_one",
                low=self.low,
                high=self.high,
            )
        return self


def _factors(low: float, high: float) -> Any:
    return Field(
        default_factory=lambda: Range(low=low, high=high),
        description=f"Multiplier range, illustrative default {low:g}-{high:g}",
    )


Factors = Annotated[
    Range,
    Input("x", "range", Display(1, 0.1, 3.0, 0.05), help_key="help.uncertainty.range"),
]
"""An uncertainty range: one range slider, the same help for every one."""


class Uncertainty(_Model):
    """Ranges of every assumption a manager cannot look up, as multipliers of its value.

    Each input is drawn between ``value x low`` and ``value x high`` from a
    two-piece triangular distribution whose mode and median are the value
    itself, so the headline lies at the centre of the draws (``cxcost.uncertainty``).
    Shares and probabilities are clipped to [0, 1], floors to their untrained share.
    Default ranges are illustrative.
    """

    wait_churn_max: Factors = _factors(0.5, 1.8)
    abandon_churn: Factors = _factors(0.5, 1.8)
    rude_churn: Factors = _factors(0.5, 1.8)
    dismissive_churn: Factors = _factors(0.5, 1.8)
    wait_tolerance: Factors = _factors(0.5, 2.0)
    patience: Factors = _factors(0.6, 1.6)
    rude_share_untrained: Factors = _factors(0.7, 1.4)
    rude_share_floor: Factors = _factors(0.5, 1.5)
    dismissive_share_untrained: Factors = _factors(0.7, 1.4)
    dismissive_share_floor: Factors = _factors(0.5, 1.5)
    training_half_life: Factors = _factors(0.5, 2.0)
    training_fade: Factors = _factors(0.5, 2.0)
    repeat_contact_rate: Factors = _factors(0.7, 1.3)
    contacts_per_customer: Factors = _factors(0.85, 1.15)
    revenue_per_customer: Factors = _factors(0.9, 1.1)
    gross_margin: Factors = _factors(0.9, 1.1)
    draws: Annotated[int, Input("-", "number", Display(1, 100, 1_000_000, 1000))] = Field(
        100_000, ge=100, le=1_000_000, description="Monte Carlo draws"
    )
    seed: Annotated[int, Input("-", "number", Display(1, 0, 2**32 - 1, 1))] = Field(
        20240101, ge=0, le=2**32 - 1, description="Random seed"
    )


# The uncertain inputs, each with the path of the value its range multiplies
# ("channels.*" = every channel).
UNCERTAIN_INPUTS: dict[str, str] = {
    "wait_churn_max": "churn.wait_churn_max",
    "abandon_churn": "churn.abandon_churn",
    "rude_churn": "churn.rude_churn",
    "dismissive_churn": "churn.dismissive_churn",
    "wait_tolerance": "channels.*.wait_tolerance_minutes",
    "patience": "channels.*.patience_seconds",
    "rude_share_untrained": "quality.rude_share_untrained",
    "rude_share_floor": "quality.rude_share_floor",
    "dismissive_share_untrained": "quality.dismissive_share_untrained",
    "dismissive_share_floor": "quality.dismissive_share_floor",
    "training_half_life": "quality.training_half_life_hours",
    "training_fade": "quality.training_fade_half_life_years",
    "repeat_contact_rate": "quality.repeat_contact_rate",
    "contacts_per_customer": "demand.contacts_per_customer_per_year",
    "revenue_per_customer": "business.revenue_per_customer",
    "gross_margin": "business.gross_margin",
}


Text = Annotated[str, Field(max_length=2000)]
SourceKey = Annotated[str, Field(max_length=MAX_SOURCE_KEY_CHARS)]
SourceText = Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
"""An ISO 639 language code, e.g. "nb" (Norwegian Bokmål), "en"."""
ChannelIndex = Annotated[str, Field(pattern=r"^[0-5]$")]
"""A channel's position in ``channels`` as text ("0" is the first): a JSON object key."""
MAX_TRANSLATIONS = 10
"""Most languages one scenario carries its texts in, besides its own."""


class ChannelText(_Model):
    """A channel's text in another language."""

    name: str | None = Field(None, min_length=1, max_length=60, description="Label shown")


class ScenarioText(_Model):
    """A scenario's texts in another language; a missing one falls back to the scenario's own.

    Only what people read is translated, never a number: the name, the
    description, the sources (a glossary: each source text of ``Scenario.sources``
    and its translation) and the channel names (keyed by the channel's index, "0"
    first).
    """

    name: str | None = Field(None, min_length=1, max_length=120)
    description: Text | None = None
    sources: dict[SourceText, SourceText] = Field(
        default_factory=dict,
        max_length=MAX_SOURCES,
        description="Source texts in this language, keyed by the text in the scenario's "
        "own language: a source that changes (an edit, a calibration) has no stale "
        "translation, it shows as written",
    )
    channels: dict[ChannelIndex, ChannelText] = Field(default_factory=dict, max_length=MAX_CHANNELS)


class Scenario(_Model):
    """Everything the model needs to price bad service for one business."""

    schema_version: int = Field(
        SCHEMA_VERSION,
        ge=SCHEMA_VERSION,
        le=SCHEMA_VERSION,
        description="Version of this file format (older files are migrated by cxcost.presets)",
    )
    name: str = Field("Illustrative scenario", min_length=1, max_length=120)
    description: Text = ""
    client: str = Field(
        "", max_length=120, description="Client the scenario is made for (optional)"
    )
    sources: dict[SourceKey, SourceText] = Field(
        default_factory=dict,
        max_length=MAX_SOURCES,
        description="Source or 'illustrative' for each non-default value, keyed by field path",
    )
    business: Business = Field(default_factory=Business)
    demand: Demand = Field(default_factory=Demand)
    channels: list[Channel] = Field(
        default_factory=_default_channels, min_length=1, max_length=MAX_CHANNELS
    )
    staffing: Staffing = Field(default_factory=Staffing)
    training: Training = Field(default_factory=Training)
    quality: Quality = Field(default_factory=Quality)
    churn: ChurnResponse = Field(default_factory=ChurnResponse)
    practices: Practices = Field(default_factory=Practices)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    translations: dict[LanguageCode, ScenarioText] = Field(
        default_factory=dict,
        max_length=MAX_TRANSLATIONS,
        description="The scenario's texts (name, description, sources, channel names) in "
        "other languages, keyed by language code, e.g. 'nb'; what is missing falls back "
        "to the texts above",
    )

    @model_validator(mode="after")
    def _translated_channels_exist(self) -> Scenario:
        for language, text in self.translations.items():
            for index in text.channels:
                if int(index) >= len(self.channels):
                    raise ValueError(
                        f"translations.{language}.channels.{index} names channel {index}, "
                        f"but the scenario has {len(self.channels)} channels (0 to "
                        f"{len(self.channels) - 1})"
                    )
        return self

    @model_validator(mode="after")
    def _channel_shares_sum_to_one(self) -> Scenario:
        total = sum(c.share_of_contacts for c in self.channels)
        if abs(total - 1.0) > 1e-6:
            shares = ", ".join(f"{c.name} {c.share_of_contacts:.0%}" for c in self.channels)
            raise RuleError(
                f"channels share_of_contacts must add up to 100 %, they add up to {total:.1%} "
                f"({shares})",
                "problem.shares_sum",
                total=round(total * 100, 1),
            )
        return self

    @model_validator(mode="after")
    def _human_reachable(self) -> Scenario:
        share = self.practices.self_service_share
        if share > 0 and not any(
            c.representatives > 0 and c.share_of_contacts > 0 for c in self.channels
        ):
            raise RuleError(
                f"practices.self_service_share is {share:.0%}, but no channel with contacts has "
                "representatives: self-service resolves only some issues, the rest need a "
                "human; staff at least one channel (channels.*.representatives above 0)",
                "problem.self_service_needs_human",
                share=round(share * 100, 1),
            )
        return self

    @model_validator(mode="after")
    def _training_fits_in_paid_time(self) -> Scenario:
        staffing, training = self.staffing, self.training
        per_rep = (
            training.hours_per_rep_per_year
            + training.conflict_hours_per_rep_per_year
            + training.knowledge_hours_per_rep_per_year
            + staffing.attrition_per_year * training.new_hire_hours
        )
        if staffing.shrinkage_includes_training:
            room = staffing.paid_hours_per_year * staffing.shrinkage
            where = "the shrinkage, which includes training"
            key = "problem.training_fits_shrinkage"
            fits = per_rep <= room
        else:
            room = staffing.paid_hours_per_year * (1 - staffing.shrinkage)
            where = "the paid hours left after shrinkage"
            key = "problem.training_fits_paid_hours"
            fits = per_rep < room
        if not fits:
            tracks = "".join(
                f"training.{name} {hours:g} h + "
                for name, hours in (
                    ("conflict_hours_per_rep_per_year", training.conflict_hours_per_rep_per_year),
                    ("knowledge_hours_per_rep_per_year", training.knowledge_hours_per_rep_per_year),
                )
                if hours > 0
            )
            raise RuleError(
                f"training per representative ({per_rep:g} h a year: "
                f"training.hours_per_rep_per_year {training.hours_per_rep_per_year:g} h + "
                f"{tracks}"
                f"staffing.attrition_per_year {staffing.attrition_per_year:g} x "
                f"training.new_hire_hours {training.new_hire_hours:g} h) must fit in {where} "
                f"({room:g} h)",
                key,
                hours=round(per_rep, 1),
                ongoing=training.hours_per_rep_per_year
                + training.conflict_hours_per_rep_per_year
                + training.knowledge_hours_per_rep_per_year,
                attrition=round(staffing.attrition_per_year * 100, 1),
                new_hire=training.new_hire_hours,
                room=round(room, 1),
            )
        return self
