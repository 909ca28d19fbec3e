"""Tests for cxcost.channels: the week of a queued channel and of the e-mail backlog.

Public behaviour only: the redial and backlog solvers behind ``channel_week`` are
being replaced, so e-mail figures are checked against what any FIFO backlog
worked in staffed hours must give, with tolerances for its time step.
"""

from __future__ import annotations

from math import comb, log
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike

from cxcost.channels import WEEK_ARRAYS, ChannelWeek, channel_week
from cxcost.queueing import answered_wait_transform, erlang_a, erlang_c
from cxcost.scenario import HOURS_PER_WEEK, WEEKS_PER_YEAR, Channel, typical_week_profile

FLAT = [1.0] * HOURS_PER_WEEK
TYPICAL = typical_week_profile()
# Monday-Friday 09:00-17:00 with a sharp 11:00 peak (3x), closed at weekends
SPIKY = ([0.0] * 9 + [1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0] + [0.0] * 7) * 5 + [0.0] * 48
# Open every day 08:00-20:00: mail waits for the team 12 h a day
DAYTIME = ([0.0] * 8 + [1.0] * 12 + [0.0] * 4) * 7

ON_QUEUE = 27.0  # hours one representative is on the queue per week [h/week]
METRICS = ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy")

PHONE = Channel(kind="phone", handle_time_seconds=360, patience_seconds=120, representatives=17)
CHAT = Channel(
    kind="chat",
    handle_time_seconds=600,
    answer_within_seconds=60,
    patience_seconds=180,
    concurrency=2,
    wait_tolerance_minutes=3,
)
# Nobody redials: attempts are contacts and the queue is one Erlang A hour.
PHONE_NO_REDIAL = PHONE.model_copy(update={"redial_share": 0.0})
CHAT_NO_REDIAL = CHAT.model_copy(update={"redial_share": 0.0})
PHONE_C = PHONE.model_copy(update={"queue_model": "erlang_c"})
EMAIL = Channel(
    kind="email", handle_time_seconds=420, answer_within_seconds=86_400, wait_tolerance_minutes=1440
)


def _week(
    channel: Channel, profile: list[float], contacts: float, reps: ArrayLike, **kwargs: Any
) -> ChannelWeek:
    return channel_week(channel, profile, contacts, reps, ON_QUEUE, **kwargs)


def _wait_response_scale(channel: Channel) -> float:
    """tau of g(W) = (1 - exp(-W / tau))^s, from the midpoint: g(midpoint) = 1/2 [s]."""
    shape = channel.wait_response_shape
    return channel.wait_tolerance_minutes * 60.0 / -log(1.0 - 2.0 ** (-1.0 / shape))


def _g(channel: Channel, wait_seconds: float) -> float:
    return float(
        (1.0 - np.exp(-wait_seconds / _wait_response_scale(channel))) ** channel.wait_response_shape
    )


def _expected_response(channel: Channel, arrivals: float, agents: float) -> float:
    """E[g(W); answered] by the binomial expansion of g into Laplace transforms of W."""
    shape, tau = channel.wait_response_shape, _wait_response_scale(channel)
    patience = None if channel.queue_model == "erlang_c" else channel.patience_seconds
    if patience is None and arrivals * channel.handle_time_seconds / 3600.0 >= agents:
        # A saturated Erlang C queue answers every caller after an unbounded wait:
        # g -> 1 (the limit of the expansion as the load rises to the agents).
        return 1.0
    return sum(
        comb(shape, j)
        * (-1.0) ** j
        * float(
            answered_wait_transform(
                arrivals, channel.handle_time_seconds, agents, patience, j / tau
            )
        )
        for j in range(shape + 1)
    )


@pytest.mark.parametrize(
    "channel", [PHONE_NO_REDIAL, CHAT_NO_REDIAL, PHONE_C], ids=["phone", "chat", "erlang_c"]
)
@pytest.mark.parametrize("reps", [8.0, 17.0, 25.5])  # 8 reps: overloaded (2.2 erl, 1.3 agents)
def test_flat_week_equals_one_average_hour(channel: Channel, reps: float) -> None:
    contacts = 190_000.0
    week = _week(channel, FLAT, contacts, reps, schedule="hourly")
    arrivals = contacts / WEEKS_PER_YEAR / HOURS_PER_WEEK  # per hour
    agents = reps * ON_QUEUE * channel.concurrency / HOURS_PER_WEEK
    patience = None if channel.queue_model == "erlang_c" else channel.patience_seconds
    if patience is None:
        hour = erlang_c(
            arrivals, channel.handle_time_seconds, agents, channel.answer_within_seconds
        )
    else:
        hour = erlang_a(
            arrivals,
            channel.handle_time_seconds,
            agents,
            patience,
            channel.answer_within_seconds,
        )
    for name in METRICS:
        assert getattr(week, name)[0] == pytest.approx(getattr(hour, name), rel=1e-9, abs=1e-15)
    response = _expected_response(channel, arrivals, agents)
    assert week.wait_response[0] == pytest.approx(response, rel=1e-7, abs=1e-12)
    assert week.give_up_share[0] == pytest.approx(week.p_abandon[0], rel=1e-9, abs=1e-15)
    assert week.attempts_per_contact[0] == pytest.approx(1.0, rel=1e-12)
    assert week.flat_mean_wait_seconds[0] == pytest.approx(week.mean_wait_seconds[0], rel=1e-9)
    assert week.flat_service_level[0] == pytest.approx(week.service_level[0], rel=1e-9)
    assert week.agents_per_open_hour[0] == pytest.approx(reps * ON_QUEUE / 168, rel=1e-12)
    overloaded = arrivals * channel.handle_time_seconds / 3600.0 >= agents
    assert week.overloaded_hours[0] == (HOURS_PER_WEEK if overloaded else 0.0)


@pytest.mark.parametrize("channel", [PHONE, CHAT], ids=["phone", "chat"])
def test_daily_and_hourly_agree_on_a_flat_week(channel: Channel) -> None:
    hourly = _week(channel, FLAT, 190_000.0, 17.0, schedule="hourly")
    daily = _week(channel, FLAT, 190_000.0, 17.0, schedule="daily")
    for name in (*METRICS, "wait_response"):
        np.testing.assert_allclose(getattr(daily, name), getattr(hourly, name), rtol=1e-12)


@pytest.mark.parametrize("profile", [TYPICAL, SPIKY], ids=["typical", "spiky"])
@pytest.mark.parametrize("channel", [PHONE, CHAT, PHONE_C], ids=["phone", "chat", "erlang_c"])
@pytest.mark.parametrize("reps", [16.0, 20.0, 30.0])
def test_flat_average_understates_waiting(
    profile: list[float], channel: Channel, reps: float
) -> None:
    """One shift pattern a day cannot follow the intraday peaks: more waiting than flat."""
    week = _week(channel, profile, 190_000.0, reps, schedule="daily")
    assert week.mean_wait_seconds[0] >= week.flat_mean_wait_seconds[0] * (1 - 1e-12)


def test_chat_concurrency_multiplies_servers() -> None:
    """A chat rep with two sessions serves like two phone reps on the same contacts."""
    chat = CHAT.model_copy(update={"kind": "chat", "concurrency": 2.0})
    phone = CHAT.model_copy(update={"kind": "phone", "concurrency": 1.0})
    a = _week(chat, TYPICAL, 80_000.0, 6.0, schedule="daily")
    b = _week(phone, TYPICAL, 80_000.0, 12.0, schedule="daily")
    for name in (*METRICS, "wait_response", "flat_mean_wait_seconds"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-12)
    np.testing.assert_allclose(a.agents_per_open_hour * 2, b.agents_per_open_hour, rtol=1e-12)


def test_no_contacts_means_no_waiting() -> None:
    week = _week(PHONE, TYPICAL, 0.0, 10.0, schedule="daily")
    assert week.p_wait[0] == 0.0
    assert week.mean_wait_seconds[0] == 0.0
    assert week.service_level[0] == 1.0
    assert week.occupancy[0] == 0.0
    assert week.wait_response[0] == 0.0
    assert week.give_up_share[0] == 0.0


def test_no_representatives_means_everyone_abandons() -> None:
    week = _week(PHONE, TYPICAL, 190_000.0, 0.0, schedule="daily")
    assert week.p_abandon[0] == pytest.approx(1.0, abs=1e-12)
    assert week.service_level[0] == pytest.approx(0.0, abs=1e-12)
    # Nobody is answered, so no answered wait; every contact gives up for good in the
    # end, however often it redials.
    assert week.wait_response[0] == pytest.approx(0.0, abs=1e-12)
    assert week.give_up_share[0] == pytest.approx(1.0, abs=1e-9)
    assert week.overloaded_hours[0] == 66  # every open hour of the typical week


def test_vectorised_over_representatives() -> None:
    reps = np.array([5.0, 12.0, 17.0, 40.0])
    together = _week(PHONE, TYPICAL, 190_000.0, reps, schedule="daily")
    for i, r in enumerate(reps):
        alone = _week(PHONE, TYPICAL, 190_000.0, r, schedule="daily")
        for name in (*METRICS, "wait_response", "overloaded_hours"):
            assert getattr(together, name)[i] == pytest.approx(getattr(alone, name)[0], rel=1e-12)


@pytest.mark.parametrize("channel", [PHONE, CHAT], ids=["phone", "chat"])
@pytest.mark.parametrize("reps", [3.0, 10.0, 17.0, 30.0, 200.0])
def test_queued_metrics_are_shares(channel: Channel, reps: float) -> None:
    week = _week(channel, TYPICAL, 190_000.0, reps, schedule="daily")
    for name in ("p_wait", "p_abandon", "service_level", "occupancy", "wait_response"):
        assert 0.0 <= getattr(week, name)[0] <= 1.0
    assert week.p_abandon[0] <= week.p_wait[0] + 1e-12


@pytest.mark.parametrize(
    ("patience", "target"),
    [
        (120.0, 20.0),
        (180.0, 60.0),
        (60.0, 300.0),
        (120.0, 3600.0),
        # patience far shorter than the target (theta * t >= 40): every answered
        # contact is answered within the target
        (30.0, 1200.0),
        (60.0, 3600.0),
        (5.0, 300.0),
    ],
)
@pytest.mark.parametrize("reps", [1.0, 5.0, 17.0])
def test_service_level_between_answered_at_once_and_answered(
    patience: float, target: float, reps: float
) -> None:
    """Answered at once <= answered within the target <= answered at all."""
    channel = CHAT.model_copy(
        update={"patience_seconds": patience, "answer_within_seconds": target, "concurrency": 1.0}
    )
    week = _week(channel, FLAT, 20_000.0, reps, schedule="hourly")
    service_level, p_wait, p_abandon = (
        week.service_level[0],
        week.p_wait[0],
        week.p_abandon[0],
    )
    assert 1.0 - p_wait - 1e-9 <= service_level <= 1.0 - p_abandon + 1e-9


@pytest.mark.parametrize("channel", [PHONE, CHAT], ids=["phone", "chat"])
@pytest.mark.parametrize("contacts", [1e-12, 1e-6, 1e-3])
def test_almost_no_contacts_means_almost_no_waiting(channel: Channel, contacts: float) -> None:
    """A nearly idle channel (a new or tiny one): metrics near the idle values, never NaN."""
    week = _week(channel, FLAT, contacts, 17.0, schedule="hourly")
    assert week.p_wait[0] == pytest.approx(0.0, abs=1e-6)
    assert week.service_level[0] == pytest.approx(1.0, abs=1e-6)
    assert week.wait_response[0] == pytest.approx(0.0, abs=1e-6)


def test_unknown_schedule_is_refused() -> None:
    with pytest.raises(ValueError, match="schedule"):
        _week(PHONE, TYPICAL, 190_000.0, 17.0, schedule="weekly")


def test_email_open_around_the_clock_with_ample_staff_barely_waits() -> None:
    # 50,000 mails x 420 s / 52 weeks = 112 h of work a week against 40 x 27 = 1,080 h:
    # the backlog clears within hours all week long.
    week = _week(EMAIL, FLAT, 50_000.0, 40.0)
    assert week.mean_wait_seconds[0] < 3600.0
    assert week.service_level[0] == pytest.approx(1.0, abs=1e-9)
    assert week.p_abandon[0] == 0.0
    assert week.give_up_share[0] == 0.0
    assert week.overloaded_hours[0] == 0.0
    # A one-day midpoint: an hour's wait loses (almost) nobody.
    assert week.wait_response[0] < _g(EMAIL, 3600.0)


def test_email_closure_delay_reference() -> None:
    # Open 08:00-20:00 every day, mail around the clock. Mail arriving in the k-th
    # closed hour before 08:00 waits k - 1/2 h on average: 0.5 + 1.5 + ... + 11.5 = 72 h
    # over 24 arrival hours, so 3 h = 10,800 s on average before anyone reads it. With
    # ample staff that is the whole wait (tolerance: 15 min for the backlog's time step).
    week = _week(EMAIL, DAYTIME, 50_000.0, 2000.0)
    assert week.mean_wait_seconds[0] == pytest.approx(10_800.0, abs=900.0)
    assert week.overloaded_hours[0] == 0.0
    fewer = _week(EMAIL, DAYTIME, 50_000.0, 8.0)
    assert fewer.mean_wait_seconds[0] >= week.mean_wait_seconds[0]


def test_email_target_shorter_than_the_night_is_missed() -> None:
    # With a 5 h target, mail that waits 5.5 ... 11.5 h for the morning (7 of every 24
    # arrival hours) misses it whatever the staffing: service level 17/24 (tolerance
    # 0.03 for the backlog's time step at the 5 h edge).
    channel = EMAIL.model_copy(update={"answer_within_seconds": 5 * 3600.0})
    ample = _week(channel, DAYTIME, 50_000.0, 2000.0)
    assert ample.service_level[0] == pytest.approx(17 / 24, abs=0.03)
    assert _week(channel, DAYTIME, 50_000.0, 5.0).service_level[0] <= ample.service_level[0]


def test_email_backlog_that_never_clears() -> None:
    # 50,000 mails x 420 s / 52 weeks = 112 h of work a week; 3 reps x 27 h = 81 h.
    week = _week(EMAIL, TYPICAL, 50_000.0, 3.0)
    assert week.mean_wait_seconds[0] == np.inf
    assert week.flat_mean_wait_seconds[0] == np.inf
    assert week.service_level[0] == 0.0
    assert week.flat_service_level[0] == 0.0
    # Every mail waits "forever": the wait response at its maximum.
    assert week.wait_response[0] == pytest.approx(1.0, abs=1e-12)
    assert week.overloaded_hours[0] == 66
    assert week.occupancy[0] == pytest.approx(1.0, abs=1e-9)


# ---------------------------------------------------------------- the wait response


@pytest.mark.parametrize("shape", [1, 2, 3, 4])
def test_wait_response_curve_has_its_midpoint_at_one_half(shape: int) -> None:
    """The reference g used below: 0 at no wait, rising, 1/2 at the midpoint, to 1."""
    channel = PHONE_C.model_copy(update={"wait_response_shape": shape})
    midpoint = channel.wait_tolerance_minutes * 60.0
    assert _g(channel, 0.0) == 0.0
    assert _g(channel, midpoint) == pytest.approx(0.5, rel=1e-12)
    waits = np.linspace(0.0, 20 * midpoint, 200)
    assert np.all(np.diff([_g(channel, wait) for wait in waits]) >= 0.0)
    assert _g(channel, 1e6 * midpoint) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("shape", [1, 2, 3, 4])
@pytest.mark.parametrize("reps", [15.0, 17.0, 25.0])
def test_erlang_c_wait_response_reference(shape: int, reps: float) -> None:
    """Erlang C: W = 0 with prob. 1 - C, else Exp(theta), theta = (n - A) / h. So
    E[g(W)] = sum_j C(s, j) (-1)^j [1 - C + C theta / (theta + j / tau)] (hand-derived),
    tau from g(midpoint) = 1/2; C = the channel's own p_wait."""
    channel = PHONE_C.model_copy(update={"wait_response_shape": shape, "wait_tolerance_minutes": 1})
    contacts = 190_000.0
    week = _week(channel, FLAT, contacts, reps, schedule="hourly")
    arrivals = contacts / WEEKS_PER_YEAR / HOURS_PER_WEEK
    agents = reps * ON_QUEUE / HOURS_PER_WEEK
    theta = (agents - arrivals * channel.handle_time_seconds / 3600.0) / channel.handle_time_seconds
    c, tau = float(week.p_wait[0]), _wait_response_scale(channel)
    expected = sum(
        comb(shape, j) * (-1.0) ** j * (1.0 - c + c * theta / (theta + j / tau))
        for j in range(shape + 1)
    )
    assert week.wait_response[0] == pytest.approx(expected, rel=1e-7, abs=1e-12)


@pytest.mark.parametrize("channel", [PHONE, CHAT, PHONE_C], ids=["phone", "chat", "erlang_c"])
def test_wait_response_is_zero_without_waiting_and_falls_with_staff(channel: Channel) -> None:
    reps = np.array([14.0, 17.0, 20.0, 25.0, 40.0, 2000.0])
    week = _week(channel, TYPICAL, 190_000.0, reps, schedule="hourly")
    assert np.all(np.diff(week.wait_response) <= 1e-12)
    assert week.wait_response[-1] == pytest.approx(0.0, abs=1e-9)
    assert np.all((week.wait_response >= 0.0) & (week.wait_response <= 1.0))


@pytest.mark.parametrize("channel", [PHONE, CHAT, PHONE_C, EMAIL], ids=["phone", "chat", "c", "e"])
def test_a_longer_tolerance_loses_fewer_customers(channel: Channel) -> None:
    """The wait response is non-decreasing in the wait: stretching the curve (a longer
    midpoint) never raises it, and a very short midpoint counts every wait."""
    contacts, reps = (190_000.0, 17.0) if channel.kind != "email" else (50_000.0, 8.0)
    factors = np.array([0.01, 0.5, 1.0, 2.0, 10.0])
    week = _week(channel, TYPICAL, contacts, reps, schedule="hourly", tolerance_factor=factors)
    assert np.all(np.diff(week.wait_response) <= 1e-12)
    assert week.wait_response[0] > week.wait_response[-1]


# A single week is kept (``channel_week``'s cache): it must be the week computed afresh.
@given(
    reps=st.floats(0.0, 60.0),
    contacts=st.floats(1e3, 3e6),
    patience=st.floats(0.5, 2.0),
)
@settings(deadline=None, max_examples=40)
def test_a_kept_week_is_the_week_computed_afresh(
    reps: float, contacts: float, patience: float
) -> None:
    for channel in (PHONE, CHAT, EMAIL):
        # Two entries take the vectorised path, which the cache never answers.
        grid = channel_week(channel, TYPICAL, contacts, [reps, reps], ON_QUEUE, patience)
        single = channel_week(channel, TYPICAL, contacts, reps, ON_QUEUE, patience)
        again = channel_week(channel, TYPICAL, contacts, np.array([reps]), ON_QUEUE, patience)
        assert again is single
        for name in WEEK_ARRAYS:
            np.testing.assert_allclose(getattr(single, name), getattr(grid, name)[:1], rtol=1e-12)


def test_a_kept_week_is_read_only_and_follows_the_channel() -> None:
    phone = PHONE.model_copy()
    week = channel_week(phone, TYPICAL, 200_000, 17.0, ON_QUEUE)
    for name in WEEK_ARRAYS:  # the flat-average week, worked out when first read, too
        with pytest.raises(ValueError, match="read-only"):
            getattr(week, name)[0] = 0.0
    phone.handle_time_seconds = 420  # the same object, changed: not the week kept for it
    longer = channel_week(phone, TYPICAL, 200_000, 17.0, ON_QUEUE)
    assert longer is not week
    assert longer.occupancy[0] > week.occupancy[0]
    assert channel_week(PHONE.model_copy(), TYPICAL, 200_000, 17.0, ON_QUEUE) is week


def test_week_arrays_name_every_array_of_a_week() -> None:
    fields = set(ChannelWeek.__dataclass_fields__) - {"flat_week"}
    assert set(WEEK_ARRAYS) == fields | {"flat_mean_wait_seconds", "flat_service_level"}


@pytest.mark.parametrize("kind", ["phone", "email"])
def test_the_flat_week_read_later_is_the_week_of_the_channel_as_it_was(kind: str) -> None:
    """A grid's flat-average week is worked out when first read: a channel changed in
    between (a pydantic model is mutable) must not change it."""
    channel = (PHONE if kind == "phone" else EMAIL).model_copy()
    week = channel_week(channel, TYPICAL, 200_000, [17.0, 19.0], ON_QUEUE)
    fresh = channel_week(channel.model_copy(), TYPICAL, 200_000, [17.0, 19.0], ON_QUEUE)
    channel.handle_time_seconds *= 2
    np.testing.assert_array_equal(week.flat_mean_wait_seconds, fresh.flat_mean_wait_seconds)
    np.testing.assert_array_equal(week.flat_service_level, fresh.flat_service_level)
