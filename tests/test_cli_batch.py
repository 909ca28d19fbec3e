"""The batch command line (issue 13): several scenarios or folders in one call, as rows.

In-process through ``cxcost.cli.main`` (one model start-up for the whole file); the
import check runs in a fresh interpreter.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripts import run_fresh

from cxcost import cli
from cxcost.evaluate import evaluate
from cxcost.optimize import optimize
from cxcost.presets import MAX_BYTES, PRESETS_DIR, load_preset, scenario_to_json
from cxcost.scenario import Scenario
from cxcost.staffing import DEFAULT_TARGET_SERVICE_LEVEL

ROOT = Path(__file__).resolve().parents[1]
RELATIVE = 1e-12
"""CSV and JSON numbers are written in full precision: they read back to the model's floats."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _walk(value: Any, key: str) -> Iterator[tuple[str, Any]]:
    """The test's own flattening of a model dump, to check the CLI's column names."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _walk(item, f"{key}.{name}" if key else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{key}.{index}")
    else:
        yield key, value


def _expected(model: Any, exclude: set[str] | None = None) -> dict[str, Any]:
    return dict(_walk(model.model_dump(mode="json", exclude=exclude), ""))


def _same(text: str, value: Any) -> bool:
    """A CSV cell against the model's value: numbers to 1e-12 relative, the rest as text."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return text == ""
    if isinstance(value, bool):
        return text == str(value)
    if isinstance(value, int | float):
        return math.isclose(float(text), value, rel_tol=RELATIVE, abs_tol=1e-300)
    return text == str(value)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good scenario files, written in an order other than their names'."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "b-bank.json").write_text(scenario_to_json(load_preset("no-bank")))
    (folder / "a-utility.json").write_text(scenario_to_json(load_preset("utility")))
    (folder / "notes.txt").write_text("not a scenario")
    return folder


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "too-many-reps.json"
    path.write_text('{"schema_version": 3, "channels": [{"representatives": 30000}]}')
    return path


# ---------------------------------------------------------------------------
# evaluate


def test_evaluate_csv_reads_back_to_the_models_values(capsys: pytest.CaptureFixture[str]) -> None:
    presets = ["us-ecommerce", "no-bank", "b2b-software"]
    status, out, err = run(capsys, "evaluate", *presets, "--format", "csv")
    assert (status, err) == (0, "")
    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert reader.fieldnames is not None
    assert reader.fieldnames[0] == "name"
    assert len(rows) == len(presets)
    for preset, row in zip(presets, rows, strict=True):
        scenario = load_preset(preset)
        expected = _expected(evaluate(scenario))
        assert row["name"] == scenario.name
        assert "customers_lost_by_driver.wait" in row
        assert "channels.0.service_level" in row
        for key, value in expected.items():
            assert _same(row[key], value), (preset, key, row[key], value)
        assert set(row) - {"name"} >= set(expected)


def test_evaluate_json_is_a_list_of_objects_with_the_same_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "evaluate", "us-ecommerce", "utility", "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert [item["name"] for item in data] == [
        load_preset("us-ecommerce").name,
        load_preset("utility").name,
    ]
    assert list(data[0]) == list(data[1])
    assert next(iter(data[0])) == "name"
    result = evaluate(load_preset("utility"))
    assert data[1]["total_cx_cost_per_year"] == pytest.approx(
        result.total_cx_cost_per_year, rel=RELATIVE
    )
    assert data[1]["customers_lost_by_driver.dismissiveness"] == pytest.approx(
        result.customers_lost_by_driver["dismissiveness"], rel=RELATIVE
    )


def test_a_folder_means_its_json_files_sorted_by_name(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "evaluate", str(folder), "us-ecommerce", "--format", "json")
    assert (status, err) == (0, "")
    names = [item["name"] for item in json.loads(out)]
    assert names == [load_preset(stem).name for stem in ("utility", "no-bank", "us-ecommerce")]


def test_a_folder_alone_still_gives_rows(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder is a batch even when it holds one file: scripts get a list either way."""
    (folder / "b-bank.json").unlink()
    status, out, _ = run(capsys, "evaluate", str(folder), "--format", "json")
    assert status == 0
    assert [item["name"] for item in json.loads(out)] == [load_preset("utility").name]


def test_bad_scenarios_cost_one_line_each_and_exit_2(
    folder: Path, bad_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing.json"
    status, out, err = run(
        capsys, "evaluate", str(bad_file), "us-ecommerce", str(missing), str(empty),
        str(folder), "--format", "csv",
    )  # fmt: skip
    assert status == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in rows] == [
        load_preset(stem).name for stem in ("us-ecommerce", "utility", "no-bank")
    ]
    lines = err.splitlines()
    assert lines == [
        f"error: {bad_file}: channels.0.representatives: 30000 is above the maximum 20000; "
        "allowed range 0 to 20000 FTE",
        f"error: {missing}: no such file: missing.json",
        f"error: {empty}: no scenario files (*.json) in this folder",
    ]
    assert "Traceback" not in err


def test_every_scenario_bad_gives_no_rows(
    bad_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "evaluate", str(bad_file), str(bad_file), "--format", "json")
    assert status == 2
    assert json.loads(out) == []
    assert len(err.splitlines()) == 2


def test_set_applies_to_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "evaluate", "us-ecommerce", "b2b-software", "--set",
        "business.customers=123456", "--format", "json",
    )  # fmt: skip
    assert status == 0
    assert [item["customers"] for item in json.loads(out)] == [123456, 123456]


def test_a_backlog_that_never_clears_is_null_and_an_empty_cell(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An infinite mean wait: null in JSON as for one scenario, empty in CSV, never "inf"."""
    args = ("--set", "channels.2.representatives=0.5")
    status, out, _ = run(capsys, "evaluate", "us-ecommerce", *args, "--format", "csv")
    assert status == 0
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["channels.2.mean_wait_seconds"] == ""
    status, out, _ = run(capsys, "evaluate", "us-ecommerce", "utility", *args, "--format", "json")
    assert json.loads(out)[0]["channels.2.mean_wait_seconds"] is None


def test_scenarios_with_other_channels_share_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_channel = load_preset("us-ecommerce").model_dump(mode="json")
    one_channel["channels"] = one_channel["channels"][:1]
    one_channel["channels"][0]["share_of_contacts"] = 1.0
    path = tmp_path / "phone-only.json"
    path.write_text(scenario_to_json(Scenario.model_validate(one_channel)))
    status, out, err = run(capsys, "evaluate", str(path), "us-ecommerce", "--format", "json")
    assert (status, err) == (0, "")
    first, second = json.loads(out)
    assert list(first) == list(second)
    assert first["channels.2.service_level"] is None
    assert second["channels.2.service_level"] is not None


def test_several_as_a_table_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", "us-ecommerce", "no-bank")
    assert status == 0
    lines = out.splitlines()
    assert "Revenue at risk per year" in lines[1]
    assert lines[2].strip().startswith(load_preset("us-ecommerce").name)
    assert lines[3].strip().startswith(load_preset("no-bank").name)
    assert "NOK" in lines[3]
    assert len(lines) == 4


def test_one_preset_as_csv_is_one_row(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", "utility", "--format", "csv")
    assert status == 0
    assert [row["name"] for row in csv.DictReader(io.StringIO(out))] == [
        load_preset("utility").name
    ]


# ---------------------------------------------------------------------------
# optimize


def test_optimize_csv_has_the_recommendations_fields(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "optimize", "us-ecommerce", "no-bank", "--format", "csv")
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    bank = load_preset("no-bank")
    expected = _expected(optimize(bank), exclude={"scenario"})
    row = rows[1]
    assert row["name"] == bank.name
    assert not [key for key in row if key.startswith("scenario.")]
    for key in ("representatives.0", "training_hours", "result.total_cx_cost_per_year",
                "base_result.channels.0.service_level", "comparison.net_benefit_per_year",
                "feasible", "warnings.0"):  # fmt: skip
        assert _same(row[key], expected[key]), key
    assert rows[0]["warnings.0"] == ""  # us-ecommerce's plan has no warnings


def test_optimize_several_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "optimize", "us-ecommerce", "no-bank", "--max-occupancy", "0.85")
    assert status == 0
    lines = out.splitlines()
    assert "Reps recommended" in lines[1]
    assert lines[3].strip().startswith(load_preset("no-bank").name)


# ---------------------------------------------------------------------------
# report


def test_report_writes_one_set_per_scenario_named_by_its_name(
    folder: Path, bad_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(folder / "a-utility.json", folder / "c-utility-again.json")
    out_dir = tmp_path / "out"
    status, out, err = run(
        capsys, "report", str(folder), str(bad_file), "--out", str(out_dir), "--formats", "xlsx"
    )
    assert status == 2
    assert err.splitlines() == [
        f"error: {bad_file}: channels.0.representatives: 30000 is above the maximum 20000; "
        "allowed range 0 to 20000 FTE"
    ]
    written = sorted(path.name for path in out_dir.iterdir())
    assert written == [
        "electricity-and-gas-utility-2-workbook.xlsx",
        "electricity-and-gas-utility-workbook.xlsx",
        "norwegian-retail-bank-workbook.xlsx",
    ]
    assert sorted(Path(line).name for line in out.split()) == written


def test_report_of_several_keeps_existing_files_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    kept = out_dir / "electricity-and-gas-utility-workbook.xlsx"
    kept.write_text("mine")
    args = ("report", "utility", "no-bank", "--out", str(out_dir), "--formats", "xlsx")
    status, _, err = run(capsys, *args)
    assert status == 2
    assert "already" in err or "exist" in err
    assert kept.read_text() == "mine"
    assert sorted(path.name for path in out_dir.iterdir()) == [kept.name]
    status, _, _ = run(capsys, *args, "--force")
    assert status == 0
    assert kept.read_bytes().startswith(b"PK")


def test_a_single_bad_report_writes_nothing(
    bad_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    status, _, _ = run(capsys, "report", str(bad_file), str(bad_file), "--out", str(out_dir))
    assert status == 2
    assert not out_dir.exists()


# ---------------------------------------------------------------------------
# Start-up: the light commands import neither the model's maths nor the export stack

EXPORT_STACK = ("plotly", "streamlit", "kaleido", "fpdf", "openpyxl", "choreographer")
EXPORT_MODULES = ("charts", "images", "bundle", "pdf", "html", "xlsx")
"""The exports themselves; the evaluate table borrows only the text helpers (rows, content)."""

_IMPORT_CHECK = """
import contextlib, io, json, sys
import cxcost.cli
with contextlib.redirect_stdout(io.StringIO()):
    status = cxcost.cli.main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["presets"], ("scipy", "numpy")),
        (["validate", str(PRESETS_DIR / "utility.json")], ("scipy", "numpy")),
        (["evaluate", "us-ecommerce"], ()),
        (["evaluate", "us-ecommerce", "--format", "json"],
         ("cxcost.report.rows", "cxcost.report.content")),
        (["evaluate", "us-ecommerce", "no-bank", "--format", "csv"],
         ("cxcost.report.rows", "cxcost.report.content")),
    ],
)  # fmt: skip
def test_light_commands_import_no_export_stack(argv: list[str], absent: tuple[str, ...]) -> None:
    report = run_fresh(_IMPORT_CHECK, *argv, timeout=120)
    assert report["status"] == 0
    modules = set(report["modules"])
    roots = {name.split(".")[0] for name in modules}
    assert not roots & set(EXPORT_STACK)
    assert not modules & {f"cxcost.report.{name}" for name in EXPORT_MODULES}
    assert not modules & {"cxcost.ui", "asyncio"}
    assert not [name for name in absent if name in modules or name in roots]


def test_staffings_help_shows_the_models_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "staffing", "--help")
    assert status == 0
    assert f"(default: {DEFAULT_TARGET_SERVICE_LEVEL:g})" in " ".join(out.split())


# ---------------------------------------------------------------------------
# validate states a file's real size (issue 13: a 2.9 MB file was "1.0 MiB")


def _big_file(path: Path, size: int) -> Path:
    path.write_bytes(b'{"name": "' + b"x" * (size - 12) + b'"}')
    assert path.stat().st_size == size
    return path


def test_validate_states_the_real_size_and_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = _big_file(tmp_path / "big.json", 2_900_000)  # 2.9 MB = 2.77 MiB
    status, _, err = run(capsys, "validate", str(big))
    assert status == 2
    assert err == (
        f"{big}: big.json is 2.8 MiB; the limit is 1 MiB (a scenario is usually under 10 KiB)\n"
    )


def test_just_over_the_limit_is_stated_in_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One decimal of MiB would read "1.0 MiB; the limit is 1 MiB"."""
    big = _big_file(tmp_path / "big.json", MAX_BYTES + 10)
    status, _, err = run(capsys, "validate", str(big))
    assert status == 2
    assert "big.json is 1,048,586 bytes; the limit is 1 MiB (1,048,576 bytes)" in err


@pytest.mark.parametrize("told", [0, 10])
def test_a_file_larger_than_its_size_said_is_measured(
    told: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that grew after the size check (told 10 bytes), or that reports no size (0,
    as some special and network files do), was reported by the bytes read: "1.0 MiB"."""
    big = _big_file(tmp_path / "big.json", 2_900_000)
    real_fstat = os.fstat
    calls: list[int] = []

    def fstat(descriptor: int) -> os.stat_result:
        info = real_fstat(descriptor)
        calls.append(descriptor)
        if told == 0 or len(calls) == 1:
            fields = list(info)
            fields[6] = told  # st_size
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "fstat", fstat)
    status, _, err = run(capsys, "validate", str(big))
    assert status == 2
    assert "big.json is 2.8 MiB; the limit is 1 MiB" in err
    assert "1.0 MiB" not in err


# ---------------------------------------------------------------------------
# Warnings while loading


def test_a_preset_name_that_is_also_a_file_here_warns_and_runs(tmp_path: Path) -> None:
    """The warning was handed to showwarning() while warnings were recorded, which
    recorded it again, forever: the command hung."""
    (tmp_path / "us-ecommerce").write_text("not the preset")
    for presets in (["us-ecommerce"], ["us-ecommerce", "utility"]):
        completed = subprocess.run(
            [sys.executable, "-m", "cxcost", "evaluate", *presets, "--format", "json"],
            capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr
        assert "is read as the shipped preset" in completed.stderr
        assert len(completed.stderr.splitlines()) == 1


def test_an_older_files_note_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "version-1.json"
    old.write_text('{"schema_version": 1, "staffing": {"salary": 40000}}')
    status, out, err = run(capsys, "evaluate", str(old), "utility", "--format", "json")
    assert status == 0
    assert len(json.loads(out)) == 2
    assert err.startswith(f"note: {old}: scenario in an older format")
