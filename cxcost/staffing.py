"""Staffing in a planner's units: representatives needed hour by hour for a target.

The cost-optimal plan (:mod:`cxcost.optimize`) answers "how many representatives
minimise the total CX cost". A workforce planner also asks the classic question:
how many agents must be on the queue in each interval to answer a target share
of contacts within the channel's target time (e.g. 80 % in 20 s), and how many
scheduled representatives that means once shrinkage is counted.

- phone and chat: for every open hour of the week, the fewest whole agents on
  the queue whose service level (redials included, at answer time) reaches the
  target and whose occupancy stays under the channel's ``max_occupancy``
  (the same queue formulas the rest of the model uses,
  :func:`cxcost.channels.hour_metrics`). Chat agents serve ``concurrency``
  chats at once.
- e-mail: a backlog carried over nights and weekends, so one hour's need
  depends on the others. The requirement is the fewest representatives on the
  scenario's roster whose week answers the target share within the target time
  (:func:`cxcost.channels.channel_week`), shown hour by hour as that roster.

``representatives`` per hour are agents on the queue / (1 - total shrinkage),
training included (:func:`cxcost.costs.total_shrinkage`): the heads to
schedule. ``representatives_needed`` is the week's agent-hours over one
representative's hours on the queue, divided by the scheduling efficiency of
an hourly roster (shift granularity): the FTE to employ.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cxcost import costs
from cxcost.channels import ChannelWeek, channel_week, hour_metrics, staff_shape
from cxcost.evaluate import evaluate
from cxcost.practices import transfer_share
from cxcost.scenario import HOURS_PER_WEEK, WEEKS_PER_YEAR, Channel, ChannelKind, Scenario

DEFAULT_TARGET_SERVICE_LEVEL: Final = 0.8
DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_SEARCH_STEPS: Final = 64
_MAX_WIDENINGS: Final = 12


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HourStaffing(_Frozen):
    """One hour of the week on one channel."""

    day: int = Field(ge=0, le=6, description="Day of the week, Monday = 0 [-]")
    hour: int = Field(ge=0, le=23, description="Hour of the day, local time [h]")
    contacts_per_hour: float = Field(description="Contacts arriving in the hour [1/h]")
    agents_on_queue: float = Field(description="Representatives on the queue needed [-]")
    representatives: float = Field(description="Representatives to schedule, shrinkage incl. [-]")
    service_level: float | None = Field(
        description="Share answered within the target at that staffing [0-1] (e-mail: the week's)"
    )
    occupancy: float | None = Field(description="Busy share of the agents' time [0-1]")


class ChannelStaffing(_Frozen):
    """The hour-by-hour requirement of one channel."""

    channel_index: int
    channel_name: str
    kind: ChannelKind
    target_seconds: float = Field(description="Answer within this time [s]")
    target_service_level: float = Field(description="Share to answer within the target [0-1]")
    hours: list[HourStaffing] = Field(description="Every open hour (phone, chat) or staffed hour")
    agent_hours_per_week: float = Field(description="Agent-hours on the queue needed [h/week]")
    peak_agents_on_queue: float = Field(description="Most agents needed in any hour [-]")
    representatives_needed: float = Field(description="Representatives to employ [FTE]")
    current_representatives: float = Field(description="The scenario's staffing [FTE]")
    met: bool = Field(description="Whether the target could be met at all")
    best_service_level: float = Field(
        description="Best service level any staffing reaches (e-mail: opening hours cap it) [0-1]"
    )


class StaffingPlan(_Frozen):
    """Representatives needed hour by hour for a target service level, per channel."""

    scenario_name: str
    target_service_level: float
    total_shrinkage: float = Field(description="Shrinkage incl. training [0-1]")
    on_queue_hours_per_rep_week: float = Field(description="One representative's queue time [h]")
    channels: list[ChannelStaffing]

    @property
    def representatives_needed(self) -> float:
        """All channels' representatives to employ [FTE]."""
        return sum(c.representatives_needed for c in self.channels)


def _efficiency(scenario: Scenario) -> float:
    """Share of rostered queue time that lands where the load is (hourly rosters only)."""
    staffing = scenario.staffing
    return staffing.scheduling_efficiency if staffing.schedule == "hourly" else 1.0


def _contacts_per_week(scenario: Scenario) -> float:
    """Queue arrivals a week: contacts, and a transferred contact once more."""
    legs = 1.0 + transfer_share(scenario.practices)
    return evaluate(scenario).contacts_per_year * legs / WEEKS_PER_YEAR


def _fewest_servers(channel: Channel, arrivals: np.ndarray, target: float) -> np.ndarray:
    """Fewest whole agents per hour meeting the service level and the occupancy cap."""
    load = arrivals * channel.handle_time_seconds / 3600.0 / channel.concurrency
    low = np.maximum(np.floor(load), 0.0)
    need = np.full(arrivals.shape, np.nan)
    span = _SEARCH_STEPS
    for _ in range(_MAX_WIDENINGS):
        candidates = low[:, None] + np.arange(span)[None, :]
        m = hour_metrics(channel, arrivals[:, None], candidates * channel.concurrency)
        with np.errstate(invalid="ignore"):
            ok = (np.asarray(m["service_level"]) >= target) & (
                np.asarray(m["occupancy"]) <= channel.max_occupancy + 1e-12
            )
        ok &= candidates > 0
        found = ok.any(axis=1)
        first = np.argmax(ok, axis=1)
        need = np.where(found, candidates[np.arange(len(arrivals)), first], np.nan)
        if found.all():
            return need
        span *= 2
    return need


def _open_hours(scenario: Scenario, per_week: float) -> tuple[np.ndarray, np.ndarray]:
    """The open hours of the week and the contacts arriving in each [1/h]."""
    weights = np.asarray(scenario.demand.arrival_profile, dtype=np.float64)
    open_hours = np.flatnonzero(weights > 0)
    return open_hours, per_week * weights[open_hours] / weights.sum()


def _hour_rows(
    open_hours: np.ndarray,
    arrivals: np.ndarray,
    agents: np.ndarray,
    service_level: np.ndarray,
    occupancy: np.ndarray,
    shrinkage: float,
) -> list[HourStaffing]:
    """One row per open hour; no service level or occupancy in an hour without contacts."""
    return [
        HourStaffing(
            day=int(h // 24),
            hour=int(h % 24),
            contacts_per_hour=float(a),
            agents_on_queue=float(n),
            representatives=float(n / (1.0 - shrinkage)),
            service_level=float(sl) if a > 0 else None,
            occupancy=float(occ) if a > 0 and np.isfinite(occ) else None,
        )
        for h, a, n, sl, occ in zip(
            open_hours, arrivals, agents, service_level, occupancy, strict=True
        )
    ]


def _queue_channel(
    scenario: Scenario,
    index: int,
    per_week: float,
    target: float,
    shrinkage: float,
    on_queue: float,
) -> ChannelStaffing:
    channel = scenario.channels[index]
    open_hours, arrivals = _open_hours(scenario, per_week)
    agents = _fewest_servers(channel, arrivals, target)
    met = bool(np.isfinite(agents).all())
    agents = np.where(np.isfinite(agents), agents, 0.0)
    m = hour_metrics(channel, arrivals, np.maximum(agents, 1e-9) * channel.concurrency)
    rows = _hour_rows(
        open_hours,
        arrivals,
        agents,
        np.asarray(m["service_level"]),
        np.asarray(m["occupancy"]),
        shrinkage,
    )
    agent_hours = float(agents.sum())
    return _channel_result(scenario, index, target, rows, agent_hours, on_queue, met, 1.0)


def _in_person_channel(
    scenario: Scenario,
    index: int,
    per_week: float,
    target: float,
    shrinkage: float,
    on_queue: float,
) -> ChannelStaffing:
    """In person there is no queue: enough staff each hour for the work at the occupancy cap."""
    channel = scenario.channels[index]
    open_hours, arrivals = _open_hours(scenario, per_week)
    load = arrivals * channel.handle_time_seconds / 3600.0 / channel.concurrency
    agents = np.ceil(load / channel.max_occupancy - 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(agents > 0, load / agents, np.nan)
    rows = _hour_rows(open_hours, arrivals, agents, np.ones_like(arrivals), occupancy, shrinkage)
    return _channel_result(scenario, index, target, rows, float(agents.sum()), on_queue, True, 1.0)


def _channel_result(
    scenario: Scenario,
    index: int,
    target: float,
    rows: list[HourStaffing],
    agent_hours: float,
    on_queue: float,
    met: bool,
    best: float,
) -> ChannelStaffing:
    channel = scenario.channels[index]
    efficiency = _efficiency(scenario)
    return ChannelStaffing(
        channel_index=index,
        channel_name=channel.name,
        kind=channel.kind,
        target_seconds=channel.answer_within_seconds,
        target_service_level=target,
        hours=rows,
        agent_hours_per_week=agent_hours,
        peak_agents_on_queue=max((r.agents_on_queue for r in rows), default=0.0),
        representatives_needed=agent_hours / on_queue / efficiency if on_queue > 0 else 0.0,
        current_representatives=channel.representatives,
        met=met,
        best_service_level=best,
    )


def _email_channel(
    scenario: Scenario,
    index: int,
    per_week: float,
    target: float,
    shrinkage: float,
    on_queue: float,
) -> ChannelStaffing:
    channel = scenario.channels[index]
    staffing = scenario.staffing
    profile = scenario.demand.arrival_profile
    efficiency = _efficiency(scenario)

    def week(reps: np.ndarray) -> ChannelWeek:
        return channel_week(
            channel,
            profile,
            per_week * WEEKS_PER_YEAR,
            reps,
            on_queue,
            schedule=staffing.schedule,
            scheduling_efficiency=staffing.scheduling_efficiency,
        )

    work_reps = per_week * channel.handle_time_seconds / 3600.0 / (on_queue * efficiency)
    # Mail that arrives when nobody works waits for the next opening: with short
    # targets and long closures no staffing reaches the target. Then plan for
    # 99 % of the best share the opening hours allow.
    best = float(week(np.array([max(50.0 * work_reps, 1.0)])).service_level[0])
    goal = target if best >= target else 0.99 * best
    low, high = work_reps, max(2.0 * work_reps, 1.0)
    for _ in range(_MAX_WIDENINGS):
        w = week(np.array([high]))
        if w.service_level[0] >= goal and w.occupancy[0] <= channel.max_occupancy + 1e-12:
            break
        low, high = high, 2.0 * high
    for _ in range(3):  # three vectorised refinements: (high - low) / 64**3
        grid = np.linspace(low, high, _SEARCH_STEPS)
        w = week(grid)
        ok = (w.service_level >= goal) & (w.occupancy <= channel.max_occupancy + 1e-12)
        if not ok.any():
            break
        first = int(np.argmax(ok))
        low, high = (grid[first - 1] if first > 0 else low), grid[first]
    reps = high
    final = week(np.array([reps]))
    met = bool(final.service_level[0] >= target)
    shape = staff_shape(np.asarray(profile, dtype=np.float64), staffing.schedule)
    agent_hours = reps * on_queue * efficiency
    agents = agent_hours * shape
    rows = [
        HourStaffing(
            day=h // 24,
            hour=h % 24,
            contacts_per_hour=per_week / HOURS_PER_WEEK,
            agents_on_queue=float(agents[h]),
            representatives=float(agents[h] / (1.0 - shrinkage)),
            service_level=float(final.service_level[0]),
            occupancy=float(final.occupancy[0]),
        )
        for h in range(HOURS_PER_WEEK)
        if agents[h] > 0
    ]
    return _channel_result(scenario, index, target, rows, float(agent_hours), on_queue, met, best)


def required_staffing(
    scenario: Scenario, target_service_level: float = DEFAULT_TARGET_SERVICE_LEVEL
) -> StaffingPlan:
    """Representatives needed hour by hour per channel to reach ``target_service_level``.

    Parameters
    ----------
    scenario : the scenario (its demand, channels, shrinkage and training)
    target_service_level : share of contacts to answer within each channel's
        ``answer_within_seconds``, in (0, 1) [-]
    """
    if not 0.0 < target_service_level < 1.0:
        raise ValueError(
            f"target service level must lie between 0 and 1 (exclusive), not {target_service_level}"
        )
    hours = scenario.training.hours_per_rep_per_year
    on_queue = float(costs.on_queue_hours_per_week(scenario.staffing, scenario.training, hours))
    shrinkage = float(costs.total_shrinkage(scenario.staffing, scenario.training, hours))
    per_week = _contacts_per_week(scenario)
    channels = []
    for index, channel in enumerate(scenario.channels):
        build = {"email": _email_channel, "in_person": _in_person_channel}.get(
            channel.kind, _queue_channel
        )
        channels.append(
            build(
                scenario,
                index,
                per_week * channel.share_of_contacts,
                target_service_level,
                shrinkage,
                on_queue,
            )
        )
    return StaffingPlan(
        scenario_name=scenario.name,
        target_service_level=target_service_level,
        total_shrinkage=shrinkage,
        on_queue_hours_per_rep_week=on_queue,
        channels=channels,
    )


def staffing_rows(plan: StaffingPlan) -> list[dict[str, object]]:
    """The plan as flat rows for CSV and spreadsheets, one per channel and hour."""
    return [
        {
            "channel": c.channel_name,
            "kind": c.kind,
            "day": DAYS[r.day],
            "hour": r.hour,
            "contacts_per_hour": r.contacts_per_hour,
            "agents_on_queue": r.agents_on_queue,
            "representatives": r.representatives,
            "service_level": r.service_level,
            "occupancy": r.occupancy,
        }
        for c in plan.channels
        for r in c.hours
    ]
