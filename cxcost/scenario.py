"""Scenario: every input of the cost-of-bad-service model, as pydantic v2 models.

Each field carries its unit in the description and its allowed range as
``Field`` limits, so a bad value is rejected with the field's path, the value
and the range. Defaults describe an illustrative mid-sized US business; the
presets in ``presets/`` override them with sourced values.

Sources cited by the defaults:
- [BLS] US Bureau of Labor Statistics, Occupational Employment and Wage
  Statistics, May 2021: customer service representatives (43-4051), mean
  annual wage USD 36,920.
- [XMI] Qualtrics XM Institute, "Consumer Experience Trends", 2024: bad
  experiences put about USD 3.7 trillion of sales at risk; about half of
  consumers cut spending after a very bad experience.
- [GL] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
  Marketing 17(1), 2003: customer lifetime value m (1+i) / (1+i-r).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 2
HOURS_PER_WEEK = 168
MAX_PROFILE_WEIGHT = 1e6
MAX_PATIENCE_FACTOR = 100.0
WEEKS_PER_YEAR = 52.0

ChannelKind = Literal["phone", "chat", "email"]
# Only the ratios between hours matter; the cap keeps their sum a finite number.
HourWeight = Annotated[float, Field(ge=0, le=MAX_PROFILE_WEIGHT)]
QueueModel = Literal["erlang_a", "erlang_c"]


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

    customers: int = Field(
        200_000, ge=1, le=1_000_000_000, description="Active customers [customers]"
    )
    revenue_per_customer: float = Field(
        600.0, ge=0, le=10_000_000, description="Annual revenue per customer [currency/year]"
    )
    gross_margin: float = Field(0.35, ge=0, le=1, description="Gross margin on revenue [share 0-1]")
    baseline_churn: float = Field(
        0.12,
        ge=0.001,
        le=0.95,
        description="Annual churn for reasons other than service (price, moves) [share/year]",
    )
    discount_rate: float = Field(
        0.08, ge=0, le=0.5, description="Annual discount rate for lifetime values [share/year]"
    )
    acquisition_cost: float = Field(
        150.0,
        ge=0,
        le=1_000_000,
        description="Cost to win one replacement customer (marketing, sales) [currency/customer]",
    )
    horizon_years: int = Field(
        3, ge=1, le=20, description="Horizon for NPV and payback of a change [years]"
    )
    currency: str = Field(
        "USD", min_length=3, max_length=3, description="ISO 4217 currency code, e.g. USD, NOK, EUR"
    )

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("currency must be a three-letter ISO 4217 code such as USD or NOK")
        return value.upper()


class Channel(_Model):
    """One contact channel with its own queue and its own representatives."""

    kind: ChannelKind = Field("phone", description="phone, chat (concurrent) or email (deferred)")
    name: str = Field("Phone", min_length=1, max_length=60, description="Label shown to users")
    share_of_contacts: float = Field(
        1.0, ge=0, le=1, description="Share of all contacts that use this channel [share 0-1]"
    )
    handle_time_seconds: float = Field(
        360.0, ge=10, le=7200, description="Mean handle time per contact, talk + wrap-up [s]"
    )
    answer_within_seconds: float = Field(
        20.0,
        ge=0,
        le=7 * 86400,
        description="Service-level target: answer within this time [s] (e-mail: 86,400 = 24 h)",
    )
    patience_seconds: float = Field(
        120.0,
        ge=5,
        le=3600,
        description="Mean time a waiting customer holds before abandoning [s] (phone, chat)",
    )
    concurrency: float = Field(
        1.0, ge=1, le=6, description="Contacts a representative handles at once [-] (chat: 2-3)"
    )
    representatives: float = Field(
        40.0, ge=0, le=20_000, description="Representatives assigned to this channel [FTE]"
    )
    wait_tolerance_minutes: float = Field(
        5.0,
        ge=0.01,
        le=20_160,
        description="Wait at which 63 % of the maximum wait-churn effect is reached [min]",
    )
    queue_model: QueueModel = Field(
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

    contacts_per_customer_per_year: float = Field(
        1.5, ge=0, le=100, description="First contacts per customer per year [contacts/year]"
    )
    arrival_profile: list[HourWeight] = Field(
        default_factory=typical_week_profile,
        min_length=HOURS_PER_WEEK,
        max_length=HOURS_PER_WEEK,
        description="Relative arrivals per hour of the week, Monday 00:00 first; 0 = closed [-]",
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

    salary_per_year: float = Field(
        36_920.0,
        ge=0,
        le=1_000_000,
        description="Mean annual pay per representative [currency/year] (BLS 2021: USD 36,920)",
    )
    loaded_cost_multiplier: float = Field(
        1.3, ge=1, le=3, description="Benefits, overhead, tools on top of pay [x salary]"
    )
    paid_hours_per_year: float = Field(
        2080.0, ge=500, le=3000, description="Paid hours per full-time representative [h/year]"
    )
    shrinkage: float = Field(
        0.30,
        ge=0,
        le=0.9,
        description="Paid time not on the queues: breaks, meetings, absence [share 0-1]",
    )
    attrition_per_year: float = Field(
        0.35, ge=0, le=3, description="Representatives who leave per year [share/year]"
    )
    cost_to_replace_rep: float = Field(
        6_000.0,
        ge=0,
        le=500_000,
        description="Recruiting and onboarding one representative [currency/rep]",
    )
    schedule: Literal["daily", "hourly"] = Field(
        "daily",
        description="How rosters follow demand: 'hourly' staffs every hour in proportion to "
        "its load (ideal, fully staggered shifts); 'daily' staffs each day in proportion to "
        "its load, evenly over its open hours (one shift pattern a day)",
    )


class Training(_Model):
    """Training hours per representative; they are paid and off the queues."""

    hours_per_rep_per_year: float = Field(
        16.0, ge=0, le=400, description="Training per representative [h/year]"
    )
    cost_per_training_hour: float = Field(
        40.0,
        ge=0,
        le=10_000,
        description="Direct cost per training hour per rep: trainer, material [currency/h]",
    )


class Quality(_Model):
    """How often contacts are rude or dismissive, and how training changes that.

    rate(h) = floor + (untrained - floor) exp(-h ln 2 / half_life): training
    helps with diminishing returns.
    """

    rude_share_untrained: float = Field(
        0.08, ge=0, le=1, description="Contacts perceived as rude with no training [share 0-1]"
    )
    rude_share_floor: float = Field(
        0.02, ge=0, le=1, description="Rude share that no training removes [share 0-1]"
    )
    dismissive_share_untrained: float = Field(
        0.20,
        ge=0,
        le=1,
        description="Contacts brushed off or left unresolved with no training [share 0-1]",
    )
    dismissive_share_floor: float = Field(
        0.06, ge=0, le=1, description="Dismissive share that no training removes [share 0-1]"
    )
    training_half_life_hours: float = Field(
        24.0,
        gt=0,
        le=1000,
        description="Training hours that halve the gap to the floor [h/year]",
    )
    repeat_contact_rate: float = Field(
        0.6,
        ge=0,
        le=0.95,
        description="Share of dismissed customers who contact again about the same issue [0-1]",
    )

    @model_validator(mode="after")
    def _floors_below_untrained(self) -> Quality:
        if self.rude_share_floor > self.rude_share_untrained:
            raise ValueError(
                f"rude_share_floor ({self.rude_share_floor}) must not exceed "
                f"rude_share_untrained ({self.rude_share_untrained})"
            )
        if self.dismissive_share_floor > self.dismissive_share_untrained:
            raise ValueError(
                f"dismissive_share_floor ({self.dismissive_share_floor}) must not exceed "
                f"dismissive_share_untrained ({self.dismissive_share_untrained})"
            )
        return self


class ChurnResponse(_Model):
    """Probability that one contact makes a customer leave, by what went wrong."""

    wait_churn_max: float = Field(
        0.08,
        ge=0,
        le=1,
        description="Churn probability after an extremely long wait or abandoning [share 0-1]",
    )
    rude_churn: float = Field(
        0.10, ge=0, le=1, description="Churn probability after a rude contact [share 0-1]"
    )
    dismissive_churn: float = Field(
        0.12, ge=0, le=1, description="Churn probability after a dismissive contact [share 0-1]"
    )
    complain_share: float = Field(
        0.04,
        ge=0,
        le=1,
        description="Share of leaving customers who complain first; the rest leave silently [0-1]",
    )


class Range(_Model):
    """A plausible low-high range for an uncertain input."""

    low: float = Field(ge=0, description="Low end of the plausible range")
    high: float = Field(ge=0, description="High end of the plausible range")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class Uncertainty(_Model):
    """Ranges for the Monte Carlo and tornado analysis (triangular around the value)."""

    wait_churn_max: Range = Field(
        default_factory=lambda: Range(low=0.04, high=0.15),
        description="Range of wait_churn_max [share 0-1]",
    )
    rude_churn: Range = Field(
        default_factory=lambda: Range(low=0.05, high=0.18),
        description="Range of rude_churn [share 0-1]",
    )
    dismissive_churn: Range = Field(
        default_factory=lambda: Range(low=0.06, high=0.22),
        description="Range of dismissive_churn [share 0-1]",
    )
    patience_factor: Range = Field(
        default_factory=lambda: Range(low=0.6, high=1.6),
        description="Multiplier on every channel's patience [x]",
    )
    draws: int = Field(100_000, ge=100, le=1_000_000, description="Monte Carlo draws [-]")
    seed: int = Field(20240101, ge=0, le=2**32 - 1, description="Random seed [-]")

    @model_validator(mode="after")
    def _ranges_in_domain(self) -> Uncertainty:
        for name in ("wait_churn_max", "rude_churn", "dismissive_churn"):
            bounds = getattr(self, name)
            if bounds.high > 1:
                raise ValueError(
                    f"{name}.high ({bounds.high:g}) must be at most 1: it is a probability"
                )
        if self.patience_factor.low <= 0:
            raise ValueError(
                f"patience_factor.low ({self.patience_factor.low:g}) must be above 0: "
                "customers need some patience"
            )
        if self.patience_factor.high > MAX_PATIENCE_FACTOR:
            raise ValueError(
                f"patience_factor.high ({self.patience_factor.high:g}) must be at most "
                f"{MAX_PATIENCE_FACTOR:g}"
            )
        return self


Text = Annotated[str, Field(max_length=2000)]


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
    sources: dict[str, Text] = Field(
        default_factory=dict,
        description="Source or 'illustrative' for each non-default value, keyed by field path",
    )
    business: Business = Field(default_factory=Business)
    demand: Demand = Field(default_factory=Demand)
    channels: list[Channel] = Field(default_factory=_default_channels, min_length=1, max_length=6)
    staffing: Staffing = Field(default_factory=Staffing)
    training: Training = Field(default_factory=Training)
    quality: Quality = Field(default_factory=Quality)
    churn: ChurnResponse = Field(default_factory=ChurnResponse)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)

    @model_validator(mode="after")
    def _channel_shares_sum_to_one(self) -> Scenario:
        total = sum(c.share_of_contacts for c in self.channels)
        if abs(total - 1.0) > 1e-6:
            shares = ", ".join(f"{c.name} {c.share_of_contacts:.0%}" for c in self.channels)
            raise ValueError(
                f"channels share_of_contacts must add up to 100 %, they add up to {total:.1%} "
                f"({shares})"
            )
        return self

    @model_validator(mode="after")
    def _training_fits_in_paid_time(self) -> Scenario:
        on_queue = self.staffing.paid_hours_per_year * (1 - self.staffing.shrinkage)
        if self.training.hours_per_rep_per_year >= on_queue:
            raise ValueError(
                f"training.hours_per_rep_per_year ({self.training.hours_per_rep_per_year:g} h) "
                f"must be below the paid hours left after shrinkage ({on_queue:g} h)"
            )
        return self
