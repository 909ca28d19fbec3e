"""The planner's hour-by-hour requirement (cxcost.staffing) against independent checks."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from fixture_types import ScenarioWith

from cxcost import costs
from cxcost.i18n import Language, format_number
from cxcost.presets import PresetEntry, list_presets, load_preset
from cxcost.scenario import Scenario
from cxcost.staffing import required_staffing, staffing_rows


def _erlang_c_service_level(
    calls_per_hour: float, handle: float, agents: int, target: float
) -> mpmath.mpf:
    """Textbook Erlang C service level, 1 - C(n, A) e^{-(n-A) t / h}, in mpmath."""
    mpmath.mp.dps = 40
    a = mpmath.mpf(calls_per_hour) * handle / 3600
    if agents <= a:
        return mpmath.mpf(0)
    top = a**agents / mpmath.factorial(agents) * agents / (agents - a)
    below = mpmath.fsum(a**k / mpmath.factorial(k) for k in range(agents))
    wait = top / (below + top)
    return 1 - wait * mpmath.exp(-(agents - a) * target / handle)


@pytest.fixture(scope="module")
def erlang_c_scenario(scenario_with: ScenarioWith) -> Scenario:
    return scenario_with(
        {
            "channels.0.queue_model": "erlang_c",
            "channels.0.redial_share": 0.0,
            "channels.0.max_occupancy": 1.0,
        }
    )


def test_each_hour_has_the_fewest_agents_that_reach_the_target(erlang_c_scenario: Scenario) -> None:
    """Every phone hour: n agents reach 80 % in the target, n - 1 do not (mpmath Erlang C)."""
    plan = required_staffing(erlang_c_scenario, 0.8)
    channel = erlang_c_scenario.channels[0]
    phone = plan.channels[0]
    assert phone.met
    assert phone.hours
    for row in phone.hours[::7]:
        n = round(row.agents_on_queue)
        assert n == row.agents_on_queue
        args = (row.contacts_per_hour, channel.handle_time_seconds)
        target = channel.answer_within_seconds
        assert _erlang_c_service_level(*args, n, target) >= 0.8
        assert _erlang_c_service_level(*args, n - 1, target) < 0.8
        assert row.service_level == pytest.approx(
            float(_erlang_c_service_level(*args, n, target)), rel=1e-9
        )


def test_a_higher_target_never_needs_fewer_agents(erlang_c_scenario: Scenario) -> None:
    low, high = required_staffing(erlang_c_scenario, 0.7), required_staffing(erlang_c_scenario, 0.9)
    for a, b in zip(low.channels, high.channels, strict=True):
        assert b.representatives_needed >= a.representatives_needed - 1e-9
        if a.kind != "email":
            assert all(
                y.agents_on_queue >= x.agents_on_queue
                for x, y in zip(a.hours, b.hours, strict=True)
            )


def test_occupancy_cap_binds(scenario_with: ScenarioWith) -> None:
    capped = scenario_with({"channels.0.max_occupancy": 0.6})
    for row in required_staffing(capped).channels[0].hours:
        assert row.occupancy is not None
        assert row.occupancy <= 0.6 + 1e-12


def test_shrinkage_and_fte_follow_from_the_hours(erlang_c_scenario: Scenario) -> None:
    """Scheduled heads = agents / (1 - shrinkage); FTE = agent-hours / queue hours / efficiency."""
    s = erlang_c_scenario
    plan = required_staffing(s)
    hours = s.training.hours_per_rep_per_year
    shrinkage = costs.total_shrinkage(s.staffing, s.training, hours)
    on_queue = costs.on_queue_hours_per_week(s.staffing, s.training, hours)
    efficiency = s.staffing.scheduling_efficiency if s.staffing.schedule == "hourly" else 1.0
    assert plan.total_shrinkage == pytest.approx(shrinkage)
    for channel in plan.channels:
        agent_hours = sum(r.agents_on_queue for r in channel.hours)
        assert channel.agent_hours_per_week == pytest.approx(agent_hours)
        assert channel.representatives_needed == pytest.approx(agent_hours / on_queue / efficiency)
        for row in channel.hours:
            assert row.representatives == pytest.approx(row.agents_on_queue / (1 - shrinkage))


def test_email_meets_its_target_on_the_roster(scenario_with: ScenarioWith) -> None:
    """The e-mail requirement, evaluated by the model, answers the target share in time."""
    from cxcost.evaluate import evaluate

    s = scenario_with({})
    plan = required_staffing(s, 0.8)
    index = next(i for i, c in enumerate(s.channels) if c.kind == "email")
    email = plan.channels[index]
    assert email.met
    data = s.model_dump()
    data["channels"][index]["representatives"] = email.representatives_needed
    result = evaluate(type(s).model_validate(data)).channels[index]
    assert result.service_level >= 0.8 - 1e-6
    data["channels"][index]["representatives"] = email.representatives_needed * 0.97
    assert evaluate(type(s).model_validate(data)).channels[index].service_level < 0.8


@pytest.mark.parametrize("entry", list_presets(), ids=lambda e: e.stem)
def test_every_preset_gives_a_plan_with_one_row_per_open_hour(entry: PresetEntry) -> None:
    scenario = load_preset(entry.path)
    plan = required_staffing(scenario)
    rows = staffing_rows(plan)
    open_hours = sum(1 for w in scenario.demand.arrival_profile if w > 0)
    for channel in plan.channels:
        mine = [r for r in rows if r["channel"] == channel.channel_name]
        if channel.kind != "email":
            assert len(mine) == open_hours
        agents = [r["agents_on_queue"] for r in mine]
        assert all(isinstance(a, float) and math.isfinite(a) for a in agents)
        assert np.isfinite(channel.representatives_needed)
        assert channel.met or channel.best_service_level < plan.target_service_level


def test_target_out_of_range_is_refused(scenario_with: ScenarioWith) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        required_staffing(scenario_with({}), 1.2)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_extra_attempts_are_split_into_transfers_and_redials(language: Language) -> None:
    """A channel's attempts above its contacts are contacts queued again after a transfer
    plus callers who hung up and try again; e-mail, where nobody hangs up, has only the
    first (the note said "redials" for all of it before 2026-12-07)."""
    from cxcost import practices
    from cxcost.evaluate import evaluate
    from cxcost.presets import load_preset
    from cxcost.ui.staffing import attempts_notes
    from cxcost.ui.view import View

    scenario = load_preset("us-ecommerce")
    result = evaluate(scenario)
    json = scenario.model_dump_json()
    view = View(scenario, json, result, scenario, json, result, language, scenario)
    transfer = practices.transfer_share(scenario.practices)
    assert transfer > 0
    notes = dict(zip([c.name for c in result.channels], attempts_notes(view), strict=True))
    for channel in result.channels:
        transfers = channel.contacts_per_year * transfer
        redials = channel.attempts_per_year - channel.contacts_per_year - transfers
        note = notes[channel.name]
        assert format_number(transfers, language) in note
        if channel.kind == "email":
            assert redials == pytest.approx(0.0, abs=1e-6)
            assert note.count(";") == 0
        else:
            assert redials > 0.5
            assert format_number(redials, language) in note
