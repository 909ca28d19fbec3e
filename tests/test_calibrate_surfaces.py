"""Calibration where people meet it: the CLI command, the app's Calibrate tab, the exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from scripts import load_script
from streamlit.testing.v1 import AppTest
from widgets import Upload

from cxcost import cli
from cxcost.calibrate import Calibration, calibrate
from cxcost.presets import load_preset, scenario_from_json
from cxcost.report.bundle import build_document, compute_report_inputs
from cxcost.ui.calibrate import DATA_UPLOAD_LIMIT_MB
from cxcost.ui.share import UPLOAD_LIMIT_MB

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("logs")
    contacts, complaints, _ = load_script("examples", "generate_contacts").write_logs(
        out, 20_000, 7
    )
    return contacts, complaints


@pytest.fixture(scope="module")
def calibration(logs: tuple[Path, Path]) -> Calibration:
    contacts, complaints = logs
    return calibrate(
        contacts,
        complaints=complaints,
        base=load_preset("us-ecommerce"),
        name=contacts.name,
        complaints_name=complaints.name,
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_calibrate_prints_each_fitted_value_with_its_interval(
    capsys: pytest.CaptureFixture[str], logs: tuple[Path, Path]
) -> None:
    contacts, complaints = logs
    status, out, err = run(
        capsys, "calibrate", str(contacts), "--complaints", str(complaints), "--preset",
        "us-ecommerce",
    )  # fmt: skip
    assert status == 0, err
    assert "contacts.csv:" in out
    assert "Churn after a rude contact" in out
    assert "Complaint reasons" in out


def test_cli_calibrate_json_and_out_file(
    capsys: pytest.CaptureFixture[str], logs: tuple[Path, Path], tmp_path: Path
) -> None:
    contacts, _ = logs
    out_file = tmp_path / "fitted.json"
    status, out, err = run(
        capsys, "calibrate", str(contacts), "--format", "json", "--out", str(out_file)
    )
    assert status == 0, err
    data = json.loads(out)
    paths = {value["path"] for value in data["values"]}
    assert {"churn.rude_churn", "churn.dismissive_churn", "channels.0.patience_seconds"} <= paths
    assert data["rows"] > 10_000
    fitted = scenario_from_json(out_file.read_text(encoding="utf-8"))
    rude = next(v for v in data["values"] if v["path"] == "churn.rude_churn")
    assert fitted.churn.rude_churn == pytest.approx(rude["value"])
    assert fitted.sources["churn.rude_churn"].startswith("fitted from contacts.csv, n = ")
    # Never replaced without --force; nothing half-written.
    before = out_file.read_bytes()
    status, _, err = run(capsys, "calibrate", str(contacts), "--out", str(out_file))
    assert status == 2
    assert "use --force" in err
    assert out_file.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "no rows of data", id="empty"),
        pytest.param(b"when,who\n2026-01-05,ann\n", "channel", id="missing-columns"),
        pytest.param(
            b"timestamp;channel;wait_seconds;abandoned;handle_seconds;resolved;rude;"
            b"customer_id;churned\n05.01.2026 08:13;phone;abc;0;300,5;1;0;C1;0\n",
            "wait_seconds",
            id="semicolon-bad-number",
        ),
    ],
)
def test_cli_calibrate_bad_files_exit_2_with_messages(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes,
    expected: str,
) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    out_file = tmp_path / "fitted.json"
    status, _out, err = run(capsys, "calibrate", str(path), "--out", str(out_file))
    assert status == 2
    assert expected in err
    assert "Traceback" not in err
    assert not out_file.exists()


@pytest.mark.parametrize(
    ("pair", "expected"),
    [("kanal", "THEIR_COLUMN=CANONICAL"), ("kanal=colour", "is not a contact column")],
)
def test_cli_calibrate_bad_map(
    capsys: pytest.CaptureFixture[str], logs: tuple[Path, Path], pair: str, expected: str
) -> None:
    status, _, err = run(capsys, "calibrate", str(logs[0]), "--map", pair)
    assert status == 2
    assert expected in err


def test_the_data_upload_cap_is_its_own() -> None:
    assert DATA_UPLOAD_LIMIT_MB > UPLOAD_LIMIT_MB
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert f"maxUploadSize = {DATA_UPLOAD_LIMIT_MB}" in config


def test_exports_carry_the_calibration(calibration: Calibration) -> None:
    from datetime import date

    inputs = compute_report_inputs(load_preset("us-ecommerce"))
    workbook = build_document(inputs, "xlsx", "nb", date(2026, 12, 5), calibration=calibration)
    book = load_workbook(io.BytesIO(workbook.content))
    assert "Kalibrering" in book.sheetnames
    sheet = book["Kalibrering"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("Antakelser tilpasset fra" in text for text in texts)
    assert "churn.rude_churn" in texts
    page = build_document(inputs, "html", "en", date(2026, 12, 5), calibration=calibration)
    html = page.content.decode("utf-8")
    assert "Assumptions fitted from" in html
    assert "Complaint reasons" in html or "Reason" in html
    plain = build_document(inputs, "html", "en", date(2026, 12, 5))
    assert "Assumptions fitted from" not in plain.content.decode("utf-8")


@pytest.mark.slow
def test_app_calibrate_tab_fits_and_applies(
    logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # AppTest cannot drive a file uploader, so the uploader hands over the log as the
    # browser would (the browser path is tests/e2e's).
    import streamlit

    from cxcost.ui import calibrate as tab

    uploads = {tab.CONTACTS_KEY: Upload(logs[0]), tab.COMPLAINTS_KEY: Upload(logs[1])}
    real = streamlit.file_uploader

    def uploader(label: str, *args: object, key: str | None = None, **kwargs: object) -> object:
        if key in uploads:
            return uploads[key]
        return real(label, *args, key=key, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(streamlit, "file_uploader", uploader)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    at.session_state["ui.tab"] = "Calibrate"
    at.run()
    assert not at.exception
    next(b for b in at.button if b.key == tab.RUN_KEY).click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    calibration = at.session_state[tab.RESULT_KEY]
    assert calibration is not None
    assert calibration.pareto
    next(b for b in at.button if b.key == tab.APPLY_KEY).click().run()
    assert not at.exception
    fitted = calibration.value("churn.rude_churn").value
    assert at.session_state["in.churn.rude_churn"] == pytest.approx(fitted * 100, rel=1e-6)
    assert any("fitted" in str(info.value) for info in at.info)
