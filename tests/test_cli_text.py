"""No terminal control characters from user text reach the CLI's output (issue 15, point 6).

A scenario named ``"Safe\\x1b[2K\\r\\x1b[32mALL OK…"`` cleared the line, recoloured and
retitled the terminal in ``evaluate``, ``optimize`` and ``presets``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxcost import cli
from cxcost.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_NAME = "Safe\x1b[2K\r\x1b[32mALL OK\x1b]0;pwned\x07 \x9b31m \u202egnp.exe"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    data = Scenario().model_dump(mode="json")
    data["name"] = HOSTILE_NAME
    data["description"] = "line one\x1b[1A\x1b[2Kline two"
    data["channels"][0]["name"] = "Phone\x1b[31m"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate", "{file}"],
        ["evaluate", "{file}", "--format", "json"],
        ["optimize", "{file}"],
        ["presets", "--dir", "{dir}"],
        ["presets", "--dir", "{dir}", "--format", "json"],
        ["compare", "{file}", "{file}"],
        ["staffing", "{file}", "--format", "csv"],
        ["validate", "{file}"],
    ],
)
def test_no_control_character_reaches_the_terminal(
    argv: list[str], hostile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(file=hostile_file, dir=hostile_file.parent) for a in argv]
    status, out, err = _run(capsys, *args)
    assert status == 0, err
    assert not CONTROL.search(out + err)
    if "json" in args:
        json.loads(out)
    if argv[0] in {"evaluate", "optimize", "presets", "compare"} and "json" not in args:
        assert "Safe\\u001b[2K\\u000d\\u001b[32mALL OK" in out


def test_errors_naming_user_text_are_escaped_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "evaluate", str(tmp_path / "no\x1b[2Jsuch.json"))
    assert status == 2
    assert not CONTROL.search(out + err)
    assert "no\\u001b[2Jsuch.json" in err


def test_json_keeps_the_name_exactly(
    hostile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The escapes are JSON escapes: a JSON reader gets the name back as stored."""
    status, out, _ = _run(capsys, "presets", "--dir", str(hostile_file.parent), "--format", "json")
    assert status == 0
    (row,) = json.loads(out)
    assert row["name"] == HOSTILE_NAME


def test_a_real_terminal_stream_gets_no_escape_byte(hostile_file: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cxcost", "evaluate", str(hostile_file)],
        capture_output=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert b"\x1b" not in completed.stdout + completed.stderr
    assert b"\r" not in completed.stdout + completed.stderr


@given(st.text())
def test_printable_leaves_no_control_character_and_keeps_the_rest(text: str) -> None:
    shown = cli.printable(text)
    assert not CONTROL.search(shown)
    if not CONTROL.search(text):
        assert shown == text
    assert len(shown) == len(text) + 5 * len(CONTROL.findall(text))
