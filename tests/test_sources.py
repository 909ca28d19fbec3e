"""Sources that follow edits (cxcost/presets/sources.py): the pure rules, no app."""

from __future__ import annotations

from datetime import date

import pytest

from cxcost.i18n import t
from cxcost.presets import load_preset, track_sources, user_source, user_source_date
from cxcost.presets.sources import value_paths
from cxcost.report.content import input_rows, shown_source, source_text
from cxcost.scenario import Scenario

DAY = date(2026, 12, 5)
REVENUE = "business.revenue_per_customer"
REPS = "channels.0.representatives"


def _with(scenario: Scenario, path: str, value: float) -> Scenario:
    """``scenario`` with one value changed, validated (its sources untouched)."""
    data = scenario.model_dump()
    section, *rest = path.split(".")
    node = data[section]
    for part in rest[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    node[rest[-1]] = value
    return Scenario.model_validate(data)


def test_an_edited_value_is_set_by_the_user_and_a_reverted_one_gets_its_source_back() -> None:
    preset = load_preset("us-ecommerce")
    assert preset.sources[REVENUE] == "illustrative"
    edited = track_sources(_with(preset, REVENUE, 310.0), [preset], {}, DAY)
    assert edited.sources[REVENUE] == "set by the user (2026-12-05)"
    assert edited.sources[REPS] == preset.sources[REPS]  # untouched values keep theirs
    reverted = track_sources(_with(edited, REVENUE, 220.0), [preset], {}, DAY)
    assert reverted.sources == preset.sources


def test_an_edited_model_default_is_set_by_the_user_not_unsourced() -> None:
    preset = load_preset("us-ecommerce")
    path = "staffing.loaded_cost_multiplier"
    assert path not in preset.sources
    edited = track_sources(_with(preset, path, 1.45), [preset], {}, DAY)
    assert edited.sources[path] == user_source(DAY)
    back = track_sources(
        _with(edited, path, preset.staffing.loaded_cost_multiplier), [preset], {}, DAY
    )
    assert path not in back.sources


def test_a_typed_source_wins_and_an_empty_one_gives_the_tracked_source_back() -> None:
    preset = load_preset("us-ecommerce")
    edited = _with(preset, REPS, 29.0)
    typed = track_sources(edited, [preset], {REPS: "  client's WFM plan 2027 "}, DAY)
    assert typed.sources[REPS] == "client's WFM plan 2027"
    unchanged = track_sources(preset, [preset], {REVENUE: "annual report 2025"}, DAY)
    assert unchanged.sources[REVENUE] == "annual report 2025"
    assert track_sources(edited, [preset], {REPS: "   "}, DAY).sources[REPS] == user_source(DAY)


def test_the_second_reference_gives_its_source_when_the_first_differs() -> None:
    preset = load_preset("us-ecommerce")
    baseline = preset.model_copy(update={"sources": {**preset.sources, REPS: "baseline plan"}})
    loaded = track_sources(_with(preset, REPS, 31.0), [preset], {}, DAY)
    back = track_sources(_with(loaded, REPS, 26.0), [loaded, baseline], {}, DAY)
    assert back.sources[REPS] == "baseline plan"


def test_an_unchanged_scenario_is_returned_as_is() -> None:
    preset = load_preset("no-bank")
    assert track_sources(preset, [preset], {}, DAY) is preset


def test_value_paths_are_the_sources_keys() -> None:
    paths = value_paths(load_preset("us-ecommerce"))
    assert {REVENUE, REPS, "demand.arrival_profile", "uncertainty.patience.low"} <= set(paths)
    assert not {"name", "client", "description", "sources"} & set(paths)
    assert not any(path.startswith("demand.arrival_profile.") for path in paths)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("set by the user (2026-12-05)", DAY),
        (" set by the user (2026-12-05) ", DAY),
        ("set by the user (2026-13-05)", None),
        ("illustrative", None),
        ("set by the user", None),
    ],
)
def test_user_source_date(text: str, expected: date | None) -> None:
    assert user_source_date(text) == expected


def test_the_user_mark_is_shown_in_the_readers_language() -> None:
    mark = user_source(DAY)
    assert shown_source(mark, "en") == "set by the user (2026-12-05)"
    assert shown_source(mark, "nb") == t("source.user", "nb", date="2026-12-05")
    assert shown_source("illustrative", "nb") == "illustrative"
    preset = load_preset("us-ecommerce")
    edited = track_sources(_with(preset, REVENUE, 310.0), [preset], {}, DAY)
    (row,) = [row for row in input_rows(edited) if row.path == REVENUE]
    assert source_text(row, "nb") == "satt av brukeren (2026-12-05)"
