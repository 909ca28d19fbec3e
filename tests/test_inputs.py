"""Each input's facts live on its pydantic field (cxcost.inputs); each output row in one table."""

from __future__ import annotations

import dataclasses

import pytest

from cxcost.evaluate import Result, evaluate
from cxcost.i18n import has_message
from cxcost.inputs import Input, input_fields
from cxcost.presets import ScenarioError, apply_overrides
from cxcost.report import content
from cxcost.report.rows import RESULT_ROWS, headline_rows, row_value, summary_rows
from cxcost.scenario import Scenario
from cxcost.ui.fields import FIELDS


def test_every_number_a_user_edits_has_a_unit_a_label_and_help() -> None:
    for field in input_fields(Scenario):
        spec = field.spec
        if spec.widget is None:
            continue
        assert has_message(field.help_key), field.path
        for _, display in ((spec.kinds, spec.display), *spec.variants):
            variant = f".{display.label_variant}" if display.label_variant else ""
            assert has_message(f"field.{field.path}{variant}"), field.path
        if field.info.annotation in (int, float):
            assert spec.unit, f"{field.path} has no unit"


def test_the_sidebar_specs_are_the_fields_inputs() -> None:
    paths = {spec.path for spec in FIELDS}
    editable = {f.path for f in input_fields(Scenario) if f.spec.widget is not None}
    assert paths == editable
    email = [s for s in FIELDS if s.path == "channels.*.answer_within_seconds"]
    assert [(s.scale, s.label_variant) for s in email] == [(1.0, ""), (1.0 / 3600.0, "email")]
    reps = next(s for s in FIELDS if s.path == "channels.*.representatives")
    assert (reps.group, reps.grow) == ("staffing", 3.0)


def test_units_in_the_exports_come_from_the_fields_not_from_the_descriptions() -> None:
    rows = {row.path: row for row in content.input_rows(Scenario())}
    assert rows["channels.0.handle_time_seconds"].unit == "s"
    assert rows["channels.0.handle_time_seconds"].meaning == (
        "Mean handle time per contact, talk + wrap-up"
    )
    assert rows["business.revenue_per_customer"].kind == "money"
    assert rows["uncertainty.patience.low"].unit == "x the value"
    for field in input_fields(Scenario):
        assert "[" not in (field.info.description or ""), field.path


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("channels.0.handle_time_seconds=5", "allowed range 10 to 7200 seconds"),
        ("business.gross_margin=2", "allowed range 0 to 1 (a share: 0.3 means 30 %)"),
        ("channels.0.representatives=-1", "allowed range 0 to 20000 FTE"),
        ("staffing.salary_per_year=-1", "in the scenario's currency per year"),
    ],
)
def test_a_range_in_a_message_says_its_unit(override: str, words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(Scenario(), [override])
    assert words in str(caught.value)


def test_an_input_is_frozen_metadata() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Input("s").unit = "min"  # type: ignore[misc]


def test_every_output_row_names_a_figure_of_the_result() -> None:
    result = evaluate(Scenario())
    numbers = {f for f, v in Result.model_fields.items() if v.annotation in (float, int)}
    keys = {row.key.partition(".")[0] for row in RESULT_ROWS}
    assert keys <= set(Result.model_fields)
    for row in RESULT_ROWS:
        name = row.key.partition(".")[0]
        expected = getattr(result, name)[row.driver] if row.driver else getattr(result, name)
        assert row_value(result, row) == pytest.approx(expected)
        assert has_message(row.label), row.key
    no_complaints = evaluate(Scenario.model_validate({"churn": {"complain_share": 0.0}}))
    ratio = next(row for row in RESULT_ROWS if row.key == "silent_per_complaint")
    assert row_value(no_complaints, ratio) is None
    # Every yearly money figure of the result is a row.
    assert {n for n in numbers if n.endswith("_cost_per_year")} <= keys
    assert [r.headline_key for r in headline_rows()] == [
        "revenue_at_risk",
        "customers_lost",
        "total_cx_cost",
        "service_cost",
    ]
    assert len(summary_rows()) < len(RESULT_ROWS)
