"""A small run of the load test (benchmarks/load_test.py), so that the script cannot rot.

Two browser sessions move sliders for a few seconds against the app on loopback;
no rerun may fail and the figures must be measured. The full run (1, 10 and 30
sessions, 30 s each) is ``python benchmarks/load_test.py``; its table is in
docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_test_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "benchmarks" / "load_test.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


load_test = _load_test_module()


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(not os.access(load_test.CHROMIUM, os.X_OK), reason="needs Debian chromium")
def test_two_sessions_move_sliders_without_errors() -> None:
    result = load_test.run_level(
        sessions=2, seconds=3.0, think_seconds=0.2, ttl_seconds=1.0, after_seconds=2.0,
        warm_up=False,
    )  # fmt: skip
    assert result.errors == 0, result.error_samples
    assert result.moves >= 2
    for figure in (result.rerun_p50_ms, result.rerun_p95_ms, result.visible_p50_ms):
        assert math.isfinite(figure)
        assert 0 < figure < 30_000
    assert result.rerun_p50_ms <= result.rerun_p95_ms
    assert 50 < result.rss_before_mib <= result.rss_peak_mib < 4096
    assert result.rss_after_mib > 0
    table = load_test.table([result])
    assert table.count("\n") == 2
    assert "| 2 |" in table


def test_rss_of_this_process_is_read_from_proc() -> None:
    assert load_test.rss_bytes(os.getpid()) > 10 * 1024 * 1024
    assert load_test.rss_bytes(2**22 + 12345) == 0


def test_configured_ttl_is_read_from_the_config(tmp_path: Path) -> None:
    assert load_test.configured_ttl(tmp_path) == load_test.STREAMLIT_DEFAULT_TTL
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text(
        "[server]\ndisconnectedSessionTTL = 42\n", encoding="utf-8"
    )
    assert load_test.configured_ttl(tmp_path) == 42
