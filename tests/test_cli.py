"""Tests for the command line (``python -m cxcost``), mostly in-process through main(argv)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import string
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import cxcost.optimize
from cxcost import cli
from cxcost.compare import YEARLY_BASIS, Comparison
from cxcost.evaluate import Result, evaluate
from cxcost.optimize import Recommendation, optimize
from cxcost.presets import (
    DEFAULT_PRESET,
    LINK_PARAM,
    PRESETS_DIR,
    SAFE_LINK_LENGTH,
    decode_link,
    link_scenario,
    load_preset,
    scenario_to_json,
)
from cxcost.scenario import Scenario

REPO = Path(__file__).resolve().parent.parent
PRESET_STEMS = sorted(path.stem for path in PRESETS_DIR.glob("*.json"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Scenario files: good, malformed, out of range, unknown field, newer, version 1."""
    good = tmp_path / "good.json"
    good.write_text(scenario_to_json(load_preset("utility")), encoding="utf-8")
    contents = {
        "malformed.json": '{"schema_version": 3, "business": {"customers": 5',
        "out-of-range.json": '{"schema_version": 3, "channels": [{"representatives": 30000}]}',
        "unknown-field.json": '{"schema_version": 3, "staffing": {"salary": 30000}}',
        "newer.json": '{"schema_version": 4}',
        "version-1.json": '{"schema_version": 1, "staffing": {"salary": 40000}}',
        "nan.json": '{"schema_version": 3, "business": {"gross_margin": NaN}}',
    }
    paths = {"good": good}
    for name, text in contents.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths[name.removesuffix(".json")] = path
    return paths


# ---------------------------------------------------------------------------
# evaluate


def test_evaluate_table_shows_the_key_figures(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", DEFAULT_PRESET)
    assert status == 0, err
    assert "Revenue at risk per year" in out
    assert "Total CX cost per year" in out
    assert "USD " in out
    assert "M" in out
    for channel in load_preset(DEFAULT_PRESET).channels:
        assert channel.name in out


def test_evaluate_json_uses_the_result_field_names(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", "no-bank", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert list(data) == list(Result.model_fields)
    expected = evaluate(load_preset("no-bank"))
    assert data["revenue_at_risk_per_year"] == pytest.approx(expected.revenue_at_risk_per_year)
    assert data["customers_lost_by_driver"] == pytest.approx(expected.customers_lost_by_driver)
    assert data["currency"] == "NOK"


def test_evaluate_applies_set(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "evaluate", "utility", "--format", "json",
        "--set", "channels.0.representatives=140", "--set", "business.currency=eur",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["channels"][0]["representatives"] == 140
    assert data["currency"] == "EUR"


def test_evaluate_reads_a_file_path(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, _ = run(capsys, "evaluate", str(files["good"]), "--format", "json")
    assert status == 0
    assert json.loads(out) == json.loads(evaluate(load_preset("utility")).model_dump_json())


def test_an_older_file_is_read_with_a_note(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, err = run(capsys, "evaluate", str(files["version-1"]), "--format", "json")
    assert status == 0
    assert "note:" in err
    assert "schema_version 1" in err
    assert json.loads(out)["staffing_cost_per_year"] > 0


# ---------------------------------------------------------------------------
# optimize and compare


def test_optimize_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "optimize", DEFAULT_PRESET)
    assert status == 0, err
    assert "Recommended" in out
    assert "Training hours per rep per year" in out
    assert "Net benefit per year" in out


def test_optimize_json_with_constraints(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "optimize", "utility", "--min-service-level", "0.85",
        "--max-budget", "1e9", "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert list(data) == list(Recommendation.model_fields)
    assert data["feasible"] is True
    assert all(c["service_level"] >= 0.85 - 1e-9 for c in data["result"]["channels"])


def test_optimize_says_when_no_plan_meets_the_constraints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "optimize", "utility", "--max-budget", "1000")
    assert status == 0
    assert "No plan meets a service budget of at most 1,000 USD" in out


def test_compare_json_uses_the_comparison_field_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(
        capsys, "compare", DEFAULT_PRESET, DEFAULT_PRESET, "--format", "json",
        "--set", "training.hours_per_rep_per_year=40",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert list(data) == list(Comparison.model_fields)
    assert data["net_benefit_per_year"] > 0
    assert len(data["cash_flow_by_year"]) == data["horizon_years"]


def test_compare_a_scenario_with_itself_is_neutral(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "compare", "utility", "utility")
    assert status == 0
    assert "Net benefit per year" in out
    assert "USD 0" in out


# ---------------------------------------------------------------------------
# presets, schema, validate, link


def test_presets_lists_every_preset(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "presets")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(PRESET_STEMS)
    assert lines[0].startswith(DEFAULT_PRESET)
    for stem in PRESET_STEMS:
        assert any(line.startswith(stem + " ") for line in lines)
        assert load_preset(stem).name in out


def test_presets_shows_a_broken_file_and_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "fine.json").write_text(scenario_to_json(Scenario()), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    status, out, _ = run(capsys, "presets", "--dir", str(tmp_path), "--format", "json")
    assert status == 0
    rows = {row["stem"]: row for row in json.loads(out)}
    assert rows["fine"]["error"] is None
    assert "not valid JSON" in rows["broken"]["error"]


def test_schema_is_the_scenario_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema")
    assert status == 0
    assert json.loads(out) == Scenario.model_json_schema()


def test_validate_a_mix_of_files(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    names = ["good", "malformed", "out-of-range", "unknown-field", "newer", "version-1", "nan"]
    status, out, err = run(capsys, "validate", *(str(files[n]) for n in names))
    assert status == 2
    ok_lines = out.splitlines()
    assert ok_lines[0] == f"{files['good']}: ok"
    assert ok_lines[1].startswith(f"{files['version-1']}: ok (note:")
    assert len(ok_lines) == 2
    problems = err.splitlines()
    expected = {
        "malformed": "not valid JSON (line 1, column",
        "out-of-range": "channels.0.representatives: 30000 is above the maximum 20000; "
        "allowed range 0 to 20000",
        "unknown-field": "staffing.salary: unknown field; did you mean staffing.salary_per_year?",
        "newer": "schema_version: this file was written by a newer cxcost (schema_version 4)",
        "nan": "business.gross_margin: NaN is not a finite number",
    }
    for name, text in expected.items():
        assert any(line.startswith(f"{files[name]}: ") and text in line for line in problems), (
            name,
            problems,
        )


def test_validate_all_good(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", *(str(p) for p in PRESETS_DIR.glob("*.json")))
    assert status == 0
    assert err == ""
    assert all(line.endswith(": ok") for line in out.splitlines())


def test_link_prints_a_link_that_restores_the_scenario(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "link", "no-bank", "--base-url", "https://cx.example.com/")
    assert status == 0
    url = out.strip()
    assert url.startswith("https://cx.example.com/?s=3.")
    assert decode_link(parse_qs(urlsplit(url).query)[LINK_PARAM][0]) == link_scenario(
        load_preset("no-bank")
    )
    assert f"link length: {len(url):,} characters" in err
    assert "warning" not in err


def test_link_warns_when_too_long_for_email(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    noise = random.Random(7)

    def text(length: int) -> str:
        return "".join(noise.choices(string.ascii_letters + string.digits, k=length))

    # Random text does not compress: the longest description and two of the longest sources.
    scenario = Scenario(description=text(2000), sources={"a": text(500), "b": text(500)})
    path = tmp_path / "long.json"
    path.write_text(scenario_to_json(scenario), encoding="utf-8")
    status, out, err = run(capsys, "link", str(path))
    assert status == 0
    assert len(out.strip()) > SAFE_LINK_LENGTH
    assert "warning: the link is" in err
    assert "share the scenario file instead" in err


# ---------------------------------------------------------------------------
# Bad input: exit 2, one line per problem naming field, value and range


BAD_INPUT = [
    pytest.param(["evaluate", "no-such-preset"], ["no preset or file named 'no-such-preset'"],
                 id="missing-preset"),
    pytest.param(["evaluate", "{tmp}/absent.json"], ["no such file"], id="missing-file"),
    pytest.param(["evaluate", "{malformed}"], ["not valid JSON (line 1, column"],
                 id="malformed-json"),
    pytest.param(["evaluate", "{out-of-range}"],
                 ["channels.0.representatives: 30000 is above the maximum 20000; "
                  "allowed range 0 to 20000"], id="out-of-range-in-file"),
    pytest.param(["evaluate", "{unknown-field}"], ["staffing.salary: unknown field"],
                 id="unknown-field-in-file"),
    pytest.param(["evaluate", "{newer}"], ["newer cxcost (schema_version 4)"], id="newer-file"),
    pytest.param(["evaluate", "{nan}"], ["business.gross_margin: NaN is not a finite number"],
                 id="nan-in-file"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "channels.0.representatives=30000"],
                 ["--set channels.0.representatives: 30000 is above the maximum 20000; "
                  "allowed range 0 to 20000"], id="out-of-range-set"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "staffing.salary=30000"],
                 ["--set staffing.salary: unknown field; did you mean "
                  "staffing.salary_per_year?"], id="unknown-set-path"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "business.customers=many"],
                 ['business.customers: "many" must be a whole number; allowed range 1 to'],
                 id="wrong-type-set"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "business.gross_margin=NaN"],
                 ["business.gross_margin: NaN is not a finite number"], id="nan-set"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "channels.5.name=x"],
                 ["channels.5: there is no item 5 here; valid indexes are 0 to 2"],
                 id="bad-index-set"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "nonsense"], ["expected path=value"],
                 id="set-without-value"),
    pytest.param(["evaluate", "us-ecommerce", "--set", "staffing.salary=1",
                  "--set", "business.gross_margin=5"],
                 ["staffing.salary: unknown field", "business.gross_margin: 5 is above the "
                  "maximum 1; allowed range 0 to 1"], id="several-problems"),
    pytest.param(["evaluate", "us-ecommerce", "--format", "xml"],
                 ["argument --format: invalid choice: 'xml'", "table", "json"], id="bad-format"),
    pytest.param(["optimize", "us-ecommerce", "--min-service-level", "1.5"],
                 ["--min-service-level: 1.5 is outside the allowed range 0 to 1"],
                 id="service-level-out-of-range"),
    pytest.param(["optimize", "us-ecommerce", "--min-service-level", "high"],
                 ["--min-service-level: 'high' is not a number; allowed range 0 to 1"],
                 id="service-level-not-a-number"),
    pytest.param(["optimize", "us-ecommerce", "--max-budget", "-5"],
                 ["--max-budget: -5 is outside the allowed range: 0 or more"],
                 id="negative-budget"),
    pytest.param(["compare", "us-ecommerce", "{malformed}"], ["{malformed}: ", "not valid JSON"],
                 id="compare-bad-proposal"),
    pytest.param(["link", "{out-of-range}"], ["channels.0.representatives"], id="link-bad-file"),
    pytest.param([], ["the following arguments are required: COMMAND"], id="no-command"),
    pytest.param(["frobnicate"], ["invalid choice: 'frobnicate'"], id="unknown-command"),
    pytest.param(["evaluate"], ["the following arguments are required: PRESET"],
                 id="missing-argument"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "expected"), BAD_INPUT)
def test_bad_input_exits_2_with_a_plain_message(
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Path],
    tmp_path: Path,
    argv: list[str],
    expected: list[str],
) -> None:
    names = {name: str(path) for name, path in files.items()}
    names["tmp"] = str(tmp_path)
    argv = [arg.format(**names) for arg in argv]
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    for text in expected:
        assert text.format(**names) in err, err
    assert "Traceback" not in err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for command in ("evaluate", "optimize", "compare", "presets", "schema", "validate", "link"):
        assert command in out


def test_help_lists_report_without_a_plug_in_hook(capsys: pytest.CaptureFixture[str]) -> None:
    """report ships with the CLI (cxcost.cli.report), registered like every other command."""
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "report" in out
    status, out, _ = run(capsys, "report", "--help")
    assert status == 0
    assert "--force" in out
    status, _, err = run(capsys, "report", "no-such-preset", "--out", "unused")
    assert status == 2
    assert "no preset or file named" in err


# ---------------------------------------------------------------------------
# Subprocess smoke tests: the real entry point


def _python_m(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxcost", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_python_m_cxcost_evaluate_json() -> None:
    done = _python_m("evaluate", DEFAULT_PRESET, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["customers"] == load_preset(DEFAULT_PRESET).business.customers


def test_python_m_cxcost_bad_input_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 3, "business": {"gross_margin": 2}}', encoding="utf-8")
    done = _python_m("evaluate", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "business.gross_margin: 2 is above the maximum 1; allowed range 0 to 1" in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------------------
# Model v3 contracts: optimize constraints and warnings, uncertainty, staffing, money basis

UNCERTAINTY_KEYS = {
    "currency", "draws", "seed", "scenario_name", "revenue_at_risk_per_year",
    "total_cx_cost_per_year", "net_benefit_per_year", "probability_pays_off", "headline",
    "tornado", "break_even", "basis", "horizon_years",
}  # fmt: skip
TORNADO_KEYS = {
    "parameter", "label", "low", "high", "net_benefit_low", "net_benefit_high", "swing",
}  # fmt: skip
STAFFING_HEADER = (
    "channel,kind,day,hour,contacts_per_hour,agents_on_queue,representatives,"
    "service_level,occupancy"
)


def _captured(*argv: str) -> tuple[int, str]:
    """Run the CLI outside capsys (for module-scoped fixtures): status and stdout."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = cli.main(list(argv))
    return status, buffer.getvalue()


@pytest.fixture(scope="module")
def uncertainty_json() -> dict[str, Any]:
    status, out = _captured(
        "uncertainty", "us-ecommerce", "--draws", "2000", "--seed", "7", "--format", "json"
    )
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture(scope="module")
def bank_optimize_json() -> dict[str, Any]:
    """no-bank's cheapest plan trains more than 80 h a year: a plan with warnings."""
    status, out = _captured("optimize", "no-bank", "--format", "json")
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    return data


def test_optimize_passes_the_constraints_to_the_optimiser(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    real = optimize

    def spy(scenario: Scenario, **kwargs: Any) -> Recommendation:
        seen.update(kwargs)
        return real(scenario, **kwargs)

    # The handler imports the optimiser when it runs: it finds the spy in its module.
    monkeypatch.setattr(cxcost.optimize, "optimize", spy)
    status, out, err = run(
        capsys, "optimize", "us-ecommerce", "--max-occupancy", "0.8",
        "--max-training-hours", "20", "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    assert seen == {
        "min_service_level": None,
        "max_budget": None,
        "max_occupancy": 0.8,
        "max_training_hours": 20.0,
    }
    assert json.loads(out)["training_hours"] <= 20.0


def test_optimize_json_carries_an_empty_warnings_list_when_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "optimize", "us-ecommerce", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["warnings"] == []


def test_optimize_json_carries_the_guardrail_warnings(bank_optimize_json: dict[str, Any]) -> None:
    warnings_ = bank_optimize_json["warnings"]
    assert isinstance(warnings_, list)
    assert warnings_
    assert all(isinstance(w, str) and w.endswith(".") for w in warnings_)
    assert any(w.startswith("Training:") for w in warnings_)


def test_optimize_table_prints_the_warnings_and_the_basis(
    capsys: pytest.CaptureFixture[str], bank_optimize_json: dict[str, Any]
) -> None:
    status, out, _ = run(capsys, "optimize", "no-bank")
    assert status == 0
    assert "Warnings (outside usual practice):" in out
    flat = " ".join(out.split())
    for warning in bank_optimize_json["warnings"]:
        assert " ".join(warning.split()) in flat
    assert f"Money: {YEARLY_BASIS}; NPV over 3 years where marked." in out


def test_uncertainty_json_has_exactly_the_contract_keys(
    uncertainty_json: dict[str, Any],
) -> None:
    assert set(uncertainty_json) == UNCERTAINTY_KEYS
    for key in ("revenue_at_risk_per_year", "total_cx_cost_per_year", "net_benefit_per_year"):
        assert set(uncertainty_json[key]) == {"p10", "p50", "p90"}
    assert uncertainty_json["basis"] == YEARLY_BASIS
    assert uncertainty_json["draws"] == 2000
    assert uncertainty_json["seed"] == 7
    assert 0.0 <= uncertainty_json["probability_pays_off"] <= 1.0
    assert set(uncertainty_json["break_even"]) == {"required_cut", "modelled_cut"}


def test_uncertainty_tornado_rows_are_on_net_benefit(uncertainty_json: dict[str, Any]) -> None:
    rows = uncertainty_json["tornado"]
    assert len(rows) == 16
    for row in rows:
        assert set(row) == TORNADO_KEYS
        assert row["swing"] == pytest.approx(abs(row["net_benefit_high"] - row["net_benefit_low"]))
    swings = [row["swing"] for row in rows]
    assert swings == sorted(swings, reverse=True)


@pytest.mark.parametrize(
    "key", ["revenue_at_risk_per_year", "total_cx_cost_per_year", "net_benefit_per_year"]
)
def test_uncertainty_headline_lies_inside_p10_to_p90(
    uncertainty_json: dict[str, Any], key: str
) -> None:
    band = uncertainty_json[key]
    assert band["p10"] <= band["p50"] <= band["p90"]
    assert band["p10"] <= uncertainty_json["headline"][key] <= band["p90"]


def test_uncertainty_headline_net_benefit_is_the_recommendations(
    uncertainty_json: dict[str, Any],
) -> None:
    """The plan judged is optimize()'s, on compare's basis (net benefit = NPV / annuity)."""
    status, out = _captured("optimize", "us-ecommerce", "--format", "json")
    assert status == 0
    expected = json.loads(out)["comparison"]["net_benefit_per_year"]
    assert uncertainty_json["headline"]["net_benefit_per_year"] == pytest.approx(expected, rel=1e-6)


def test_uncertainty_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "uncertainty", "us-ecommerce", "--draws", "500")
    assert status == 0, err
    for column in ("P10", "P50", "P90"):
        assert column in out
    assert "Net benefit of the plan per year" in out
    assert "Probability the plan pays off:" in out
    assert "dismissive contacts" in out  # the break-even sentence
    assert "Tornado: net benefit of the plan per year" in out
    assert f"Money: {YEARLY_BASIS}" in out


def test_staffing_csv_has_one_row_per_open_hour_per_channel(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "staffing", "us-ecommerce", "--format", "csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == STAFFING_HEADER
    rows = list(csv.DictReader(io.StringIO(out)))
    scenario = load_preset("us-ecommerce")
    open_hours = scenario.demand.opening_hours_per_week
    for channel in scenario.channels:
        mine = [r for r in rows if r["channel"] == channel.name]
        assert len(mine) == open_hours, channel.name
        assert len({(r["day"], r["hour"]) for r in mine}) == open_hours
    assert len(rows) == open_hours * len(scenario.channels)


def test_staffing_service_level_raises_the_requirement(capsys: pytest.CaptureFixture[str]) -> None:
    needed = {}
    for level in ("0.6", "0.9"):
        status, out, _ = run(
            capsys, "staffing", "us-ecommerce", "--service-level", level, "--format", "json"
        )
        assert status == 0
        data = json.loads(out)
        assert data["target_service_level"] == float(level)
        needed[level] = sum(c["representatives_needed"] for c in data["channels"])
    assert needed["0.9"] > needed["0.6"]


def test_staffing_table_names_every_channel(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "staffing", "no-bank")
    assert status == 0
    for channel in load_preset("no-bank").channels:
        assert f"{channel.name} (" in out
    assert "representatives needed" in out


def test_evaluate_table_states_the_basis_and_the_valuation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "evaluate", "us-ecommerce")
    assert status == 0
    assert f"Money: {YEARLY_BASIS}" in out
    assert "Value of one lost customer (lifetime margin)" in out
    explained = " ".join(out.split())
    assert "= service cost USD" in explained
    assert "valued at their lifetime margin" in explained


def test_compare_table_separates_decisions_from_assumptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(
        capsys, "compare", "us-ecommerce", "us-ecommerce",
        "--set", "training.hours_per_rep_per_year=40",
        "--set", "business.revenue_per_customer=250",
    )  # fmt: skip
    assert status == 0, err
    assert "Decisions and assumptions both changed" in out
    assert "business.revenue_per_customer" in out
    assert "Effect of the changed assumptions on the total CX cost per year" in out


V3_BAD_FLAGS = [
    pytest.param(["uncertainty", "us-ecommerce", "--draws", "5"],
                 "--draws: 5 is outside the allowed range 100 to 1000000", id="draws-low"),
    pytest.param(["uncertainty", "us-ecommerce", "--draws", "many"],
                 "--draws: 'many' is not a whole number; allowed range 100 to 1000000",
                 id="draws-text"),
    pytest.param(["uncertainty", "us-ecommerce", "--seed", "-1"],
                 "--seed: -1 is outside the allowed range 0 to 4294967295", id="seed-negative"),
    pytest.param(["uncertainty", "us-ecommerce", "--format", "csv"],
                 "argument --format: invalid choice: 'csv'", id="uncertainty-format"),
    pytest.param(["staffing", "us-ecommerce", "--service-level", "1"],
                 "--service-level: 1 is outside the allowed range above 0 and below 1",
                 id="service-level-one"),
    pytest.param(["staffing", "us-ecommerce", "--service-level", "high"],
                 "--service-level: 'high' is not a number; allowed range above 0 and below 1",
                 id="service-level-text"),
    pytest.param(["staffing", "us-ecommerce", "--format", "xml"],
                 "argument --format: invalid choice: 'xml'", id="staffing-format"),
    pytest.param(["optimize", "us-ecommerce", "--max-occupancy", "0"],
                 "--max-occupancy: 0 is outside the allowed range above 0 to 1",
                 id="occupancy-zero"),
    pytest.param(["optimize", "us-ecommerce", "--max-occupancy", "1.2"],
                 "--max-occupancy: 1.2 is outside the allowed range above 0 to 1",
                 id="occupancy-high"),
    pytest.param(["optimize", "us-ecommerce", "--max-training-hours", "-3"],
                 "--max-training-hours: -3 is outside the allowed range 0 to 400 hours",
                 id="training-negative"),
    pytest.param(["optimize", "us-ecommerce", "--max-training-hours", "nan"],
                 "--max-training-hours: nan is outside the allowed range 0 to 400 hours",
                 id="training-nan"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "expected"), V3_BAD_FLAGS)
def test_v3_bad_flags_exit_2_naming_flag_value_and_range(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert expected in err, err
    assert "Traceback" not in err
