"""A scenario's texts in both languages (issue 13): the presets' translations, the file
field that holds them, the display copy, the messages of broken rules, the sliders' text."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from cxcost.evaluate import evaluate
from cxcost.i18n import format_decimal_plain, format_percent, percent_printf
from cxcost.optimize import optimize, practice_warnings, training_curve
from cxcost.presets import (
    ScenarioError,
    channel_name,
    list_presets,
    load_preset,
    localized_scenario,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_json,
)
from cxcost.report import charts
from cxcost.scenario import Scenario, ScenarioText
from cxcost.ui.app import language_from
from cxcost.ui.assumptions import assumption_table
from cxcost.ui.fields import (
    MAX_SLIDER_OPTIONS,
    BoundField,
    FieldSpec,
    bound_fields,
    slider_decimals,
    slider_options,
    slider_printf,
    slider_text,
)

PRESET_STEMS = [entry.stem for entry in list_presets() if entry.error is None]
ENGLISH_WORDS = re.compile(r"\b(illustrative|customers|staffed|the|and|of|per year)\b")


# ---------------------------------------------------------------------------
# The shipped presets read in Norwegian


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_every_preset_text_has_a_norwegian_translation(stem: str) -> None:
    scenario = load_preset(stem)
    shown = localized_scenario(scenario, "nb")
    assert shown.name != scenario.name
    assert shown.description != scenario.description
    assert set(shown.sources) == set(scenario.sources)
    for path, source in shown.sources.items():
        assert source != scenario.sources[path] or source.startswith("US BLS"), path
        assert not ENGLISH_WORDS.search(source), (path, source)
    assert not ENGLISH_WORDS.search(shown.description)
    phone = next(i for i, c in enumerate(scenario.channels) if c.kind == "phone")
    assert shown.channels[phone].name == "Telefon"


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_the_display_copy_changes_no_number(stem: str) -> None:
    scenario = load_preset(stem)
    shown = localized_scenario(scenario, "nb")
    numbers = scenario.model_dump(exclude={"name", "description", "sources", "channels"})
    assert shown.model_dump(exclude={"name", "description", "sources", "channels"}) == numbers
    assert evaluate(shown).model_dump(exclude={"channels"}) == evaluate(scenario).model_dump(
        exclude={"channels"}
    )
    assert localized_scenario(scenario, "en").name == scenario.name


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_a_saved_file_keeps_every_translation(stem: str) -> None:
    scenario = load_preset(stem)
    restored = scenario_from_json(scenario_to_json(scenario))
    assert restored.translations == scenario.translations
    assert json.loads(scenario_to_json(scenario))["translations"]["nb"]["name"]


def test_a_file_without_translations_stays_valid_and_shows_its_own_texts() -> None:
    data = json.loads(scenario_to_json(load_preset("us-ecommerce")))
    del data["translations"]
    scenario = scenario_from_dict(data)
    assert scenario.translations == {}
    shown = localized_scenario(scenario, "nb")
    assert shown.name == scenario.name
    assert shown.sources == scenario.sources
    assert [c.name for c in shown.channels] == ["Telefon", "Chat", "E-post"]


def test_standard_channel_names_follow_the_reader_and_own_names_stay() -> None:
    scenario = Scenario()
    channels = [
        scenario.channels[0].model_copy(update={"name": "Telefon"}),
        scenario.channels[1].model_copy(update={"name": "Live help"}),
        scenario.channels[2],
    ]
    renamed = scenario.model_copy(update={"channels": channels})
    assert [channel_name(renamed, i, "en") for i in range(3)] == ["Phone", "Live help", "E-mail"]
    assert [channel_name(renamed, i, "nb") for i in range(3)] == ["Telefon", "Live help", "E-post"]


def test_a_changed_source_shows_as_written_never_a_stale_translation() -> None:
    scenario = load_preset("us-ecommerce")
    edited = scenario.model_copy(
        update={"sources": {**scenario.sources, "business.customers": "our CRM, May 2026"}}
    )
    shown = localized_scenario(edited, "nb")
    assert shown.sources["business.customers"] == "our CRM, May 2026"
    assert shown.sources["business.revenue_per_customer"] == "illustrativt"


def test_a_translated_channel_must_exist() -> None:
    data = json.loads(scenario_to_json(load_preset("b2b-software")))
    data["translations"]["nb"]["channels"]["5"] = {"name": "Brev"}
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data)
    assert "translations.nb.channels.5" in str(error.value)


@pytest.mark.parametrize("code", ["NB", "norsk", "n", ""])
def test_a_translation_language_is_a_language_code(code: str) -> None:
    with pytest.raises(ValidationError):
        Scenario(translations={code: ScenarioText(name="x")})


# ---------------------------------------------------------------------------
# Broken rules in both languages


def _problem(data: dict[str, object]) -> str:
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data)
    (problem,) = error.value.problems
    return problem.text("nb")


def test_rules_between_inputs_read_in_norwegian() -> None:
    data = json.loads(scenario_to_json(load_preset("us-ecommerce")))
    data["channels"][0]["share_of_contacts"] = 0.455
    assert "må bli 100 % til sammen, men blir 110,5 %" in _problem(data)

    data = json.loads(scenario_to_json(load_preset("us-ecommerce")))
    data["quality"]["rude_share_floor"] = 0.5
    assert _problem(data).startswith("uhøflige henvendelser som ingen opplæring fjerner (50 %)")

    data = json.loads(scenario_to_json(load_preset("us-ecommerce")))
    data["staffing"]["attrition_per_year"] = 2.0
    data["training"]["new_hire_hours"] = 1000
    assert "må få plass i de betalte timene" in _problem(data)


def test_a_value_out_of_range_reads_in_norwegian_with_its_range_and_unit() -> None:
    data = json.loads(scenario_to_json(load_preset("us-ecommerce")))
    data["business"]["gross_margin"] = 1.5
    text = _problem(data)
    assert text == "1,5 er over maksimum 1; tillatt område 0 til 1 (en andel: 0,3 betyr 30 %)"


# ---------------------------------------------------------------------------
# Numbers on widgets


def test_percent_and_plain_numbers_follow_the_locale() -> None:
    assert percent_printf("nb") % 80 == format_percent(0.8, "nb", 0) == "80 %"
    assert percent_printf("en") % 80 == format_percent(0.8, "en", 0) == "80%"
    assert format_decimal_plain(1234.5, "nb") == "1 234,5"
    assert format_decimal_plain(1234.5, "en") == "1,234.5"


def _field(path: str) -> BoundField:
    return next(f for f in bound_fields(load_preset("us-ecommerce")) if f.path == path)


@pytest.mark.parametrize(
    ("path", "value", "norwegian", "english"),
    [
        ("channels.0.representatives", 26.5, "26,5", "26.5"),
        ("staffing.loaded_cost_multiplier", 1.3, "1,30", "1.30"),
        ("business.baseline_churn", 0.35 * 100, "35,0 %", "35.0%"),
        ("churn.rude_churn", 8.5, "8,5 %", "8.5%"),
        ("uncertainty.patience", 0.6, "0,60×", "0.60×"),
        ("channels.0.handle_time_seconds", 7.25, "7,25", "7.25"),
    ],
)
def test_slider_text_is_babels_and_english_printf_writes_the_same(
    path: str, value: float, norwegian: str, english: str
) -> None:
    spec = _field(path).spec
    assert slider_text(value, spec, "nb") == norwegian
    assert slider_text(value, spec, "en") == english
    assert slider_printf(spec) % value == english  # sprintf-js reads it as Python does


def test_slider_decimals_follow_the_step() -> None:
    assert slider_decimals(FieldSpec("x", "business", "slider", step=1.0)) == 0
    assert slider_decimals(FieldSpec("x", "business", "slider", step=0.5)) == 1
    assert slider_decimals(FieldSpec("x", "business", "slider", step=0.25)) == 2
    assert slider_decimals(FieldSpec("x", "business", "slider", step=1.0, integer=True)) == 0


def test_listed_slider_offers_its_grid_and_the_values_between_steps() -> None:
    field = _field("channels.0.representatives")
    options = slider_options(field, 22.37)
    assert options == sorted(options)
    assert options[0] == field.low
    assert options[-1] == field.high
    assert field.value in options
    assert 22.37 in options
    assert 22.5 in options
    ranged = _field("uncertainty.patience")
    assert {1.23, 1.61} <= set(slider_options(ranged, (1.23, 1.61)))


def test_a_very_wide_listed_slider_steps_more_coarsely() -> None:
    field = _field("channels.0.representatives")
    wide = BoundField(field.spec, field.path, field.key, 0, 4000.0, 0.0, 9000.0)
    options = slider_options(wide)
    assert MAX_SLIDER_OPTIONS // 2 < len(options) <= MAX_SLIDER_OPTIONS + 1
    assert 4000.0 in options
    assert 9000.0 in options


# ---------------------------------------------------------------------------
# The language a session opens in


@pytest.mark.parametrize(
    ("param", "locale", "expected"),
    [
        ("nb", "en-US", "nb"),
        ("en", "nb-NO", "en"),
        ("NB", None, "nb"),
        (None, "nb-NO", "nb"),
        (None, "no", "nb"),
        (None, "nn-NO", "nb"),
        (None, "en-GB", "en"),
        (None, "de-DE", "en"),
        ("xx", "nb", "nb"),
        (None, None, "en"),
    ],
)
def test_language_from_the_address_then_the_browser(
    param: str | None, locale: str | None, expected: str
) -> None:
    assert language_from(param, locale) == expected


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_the_assumptions_table_reads_in_norwegian(stem: str) -> None:
    """The table is drawn on a canvas, out of the browser test's reach: checked here."""
    shown = localized_scenario(load_preset(stem), "nb")
    table = assumption_table(shown, "nb")
    english = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(months|hours|phone|email|illustrative)\b|\d\.\d")
    for row in table.itertuples(index=False):
        for cell in row[:5]:  # the last column is the field path, a name
            assert not english.search(str(cell)), (row, cell)


def test_practice_warnings_read_in_norwegian_and_english_is_unchanged() -> None:
    plan = optimize(load_preset("no-bank"))
    english = practice_warnings(plan.scenario, plan.result)
    norwegian = practice_warnings(plan.scenario, plan.result, "nb")
    assert english == plan.warnings
    assert len(norwegian) == len(english) >= 2
    training = next(s for s in norwegian if s.startswith("Opplæring:"))
    assert training.startswith("Opplæring: den billigste planen gir ")
    assert " timer per kundebehandler i året" in training
    for sentence in norwegian:
        assert not re.search(r"\b(the|cheapest|because|churn\.|channels\.)\b", sentence)
        assert not re.search(r"\d\.\d|\d,\d{3}\b", sentence), sentence


def test_share_axes_write_percent_as_the_language_does() -> None:
    curve = training_curve(load_preset("us-ecommerce"))
    norwegian = charts.training_quality_figure(curve, "nb").layout.yaxis
    assert norwegian.ticktext[0] == "0 %"
    assert all(text.endswith(" %") and "." not in text for text in norwegian.ticktext)
    assert len(norwegian.ticktext) == len(norwegian.tickvals) >= 3
    assert charts.training_quality_figure(curve, "en").layout.yaxis.tickformat == ".0%"
