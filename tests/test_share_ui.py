"""Sharing and export in the app (cxcost/ui/share.py), run by AppTest.

Share links restore the same scenario and numbers, a bad link or file changes
nothing and says why, downloads parse back, chart images are made only when
asked for, and a missing browser is said plainly.
"""

from __future__ import annotations

import io
import json
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from html import escape as html_escape
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest
from widgets import downloaded, slider_value

from cxcost.evaluate import evaluate
from cxcost.i18n import format_money, t
from cxcost.optimize import optimize
from cxcost.presets import (
    DEFAULT_PRESET,
    LINK_PARAM,
    MAX_BYTES,
    SAFE_LINK_LENGTH,
    ScenarioError,
    decode_link,
    encode_link,
    link_scenario,
    load_preset,
    pair_from_json,
    scenario_from_json,
    scenario_to_json,
    share_url,
    track_sources,
)
from cxcost.report import charts, images
from cxcost.report.finding import finding_from_recommendation
from cxcost.report.images import ImageFormat, missing_browser_message
from cxcost.scenario import Scenario
from cxcost.ui import compute, share
from cxcost.ui.fields import problem_text, scenario_from_widgets, widget_key, widget_values
from cxcost.ui.markdown import escape_markdown

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
REPS = widget_key("channels.0.representatives")
CUSTOMERS = widget_key("business.customers")
MEBIBYTE = 1024 * 1024


def _app(token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if token is not None:
        at.query_params[LINK_PARAM] = token
    at.run()
    assert not at.exception
    return at


def _headline(scenario: Scenario) -> list[str]:
    """The Overview's four cards of a scenario: revenue at risk, churn + service = total."""
    result = evaluate(scenario)
    return [
        format_money(value, result.currency, "en")
        for value in (
            result.revenue_at_risk_per_year,
            result.churn_cost_per_year,
            result.service_cost_per_year,
            result.total_cx_cost_per_year,
        )
    ]


def _shown(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def _texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _edited(preset: Scenario, reps: float) -> Scenario:
    """The preset with the first channel's representatives moved, as the app tracks it."""
    edited = scenario_from_widgets(preset, widget_values(preset) | {REPS: reps})
    return track_sources(edited, [preset], {}, date.today())


def _linked_scenario() -> Scenario:
    """A preset changed in a few places, so that it matches no preset and no default."""
    scenario = load_preset("b2b-software").model_copy(deep=True)
    scenario.name = "Linked: B2B with more phone staff"
    scenario.channels[0].representatives += 3.5
    scenario.training.hours_per_rep_per_year = 17.0
    return Scenario.model_validate(scenario.model_dump())


# ---------------------------------------------------------------------------
# Upload cap


def test_upload_caps_fit_the_loader_and_stay_small() -> None:
    from cxcost.ui.calibrate import DATA_UPLOAD_LIMIT_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server_cap_mb = config["server"]["maxUploadSize"]
    assert MAX_BYTES <= share.UPLOAD_LIMIT_MB * MEBIBYTE <= server_cap_mb * MEBIBYTE
    assert share.UPLOAD_LIMIT_MB <= 2
    # The server's cap is the largest uploader's, the contact logs'; the scenario-file
    # uploader keeps its own small one, and its loader refuses more than MAX_BYTES.
    assert server_cap_mb == DATA_UPLOAD_LIMIT_MB
    source = (ROOT / "cxcost" / "ui" / "share.py").read_text(encoding="utf-8")
    assert "max_upload_size=UPLOAD_LIMIT_MB" in source


# ---------------------------------------------------------------------------
# Share links


def test_link_restores_the_same_scenario_and_headline(media: dict[str, bytes]) -> None:
    token = encode_link(_linked_scenario())
    at = _app(token)
    scenario = decode_link(token)
    assert _shown(at) == _headline(scenario)
    assert slider_value(at.slider(key=REPS)) == widget_values(scenario)[REPS]
    assert at.selectbox(key="ui.preset").value is None
    # The only warnings are the recommendation's guardrails (b2b-software has some).
    assert all(w.value.startswith(t("rec.warnings", "en")) for w in at.warning)
    assert not at.error
    assert scenario_from_json(downloaded(at, share.DOWNLOAD_KEY, media)) == scenario
    assert at.query_params[LINK_PARAM] == token


def _tampered(token: str) -> str:
    middle = len(token) // 2
    flipped = "A" if token[middle] != "A" else "B"
    return token[:middle] + flipped + token[middle + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda token: token[:-9], id="truncated"),
        pytest.param(_tampered, id="tampered"),
        pytest.param(lambda token: "hello-from-another-app", id="foreign"),
    ],
)
def test_a_broken_link_says_why_and_opens_the_default_preset(change: Callable[[str], str]) -> None:
    token = change(encode_link(_linked_scenario()))
    with pytest.raises(ScenarioError) as expected:
        decode_link(token)
    at = _app(token)
    assert _shown(at) == _headline(load_preset(DEFAULT_PRESET))
    assert at.selectbox(key="ui.preset").value == DEFAULT_PRESET
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(escape_markdown(t("share.link_broken", "en")))
    for problem in expected.value.problems:
        assert escape_markdown(problem.message) in warning
    assert LINK_PARAM not in at.query_params


def test_share_link_popover_shows_the_link_and_sets_the_address() -> None:
    at = _app()
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 4).run()
    preset = load_preset(DEFAULT_PRESET)
    scenario = _edited(preset, slider_value(at.slider(key=REPS)))
    at.session_state[share.LINK_KEY] = True
    at.run()
    # The link is "proposal vs baseline": the loaded preset travels with the edit.
    url = share_url(scenario, share.DEFAULT_BASE_URL, preset)
    assert at.code[0].value == url
    assert at.query_params[LINK_PARAM] == encode_link(scenario, preset)
    assert f"{len(url):,} characters" in _texts(at, "caption")
    assert len(url) <= SAFE_LINK_LENGTH
    assert not at.warning


def test_a_long_link_says_so_and_offers_the_file(media: dict[str, bytes]) -> None:
    scenario = load_preset(DEFAULT_PRESET).model_copy(deep=True)
    # An hourly profile of distinct, many-digit weights compresses badly: a long link.
    scenario.demand.arrival_profile = [1.0 + (hour * 7919 % 1009) / 997 for hour in range(168)]
    scenario = Scenario.model_validate(scenario.model_dump())
    at = _app(encode_link(scenario))
    at.session_state[share.LINK_KEY] = True
    at.run()
    url = at.code[0].value
    assert len(url) > SAFE_LINK_LENGTH
    # The recommendation's guardrails may warn too (since the practices levers).
    link_warnings = [w.value for w in at.warning if not w.value.startswith(t("rec.warnings", "en"))]
    assert link_warnings == [
        t("share.link_too_long", "en", length=f"{len(url):,}", limit=f"{SAFE_LINK_LENGTH:,}")
    ]
    # What the link carried: all of the scenario but its translated sources.
    assert scenario_from_json(downloaded(at, share.LINK_DOWNLOAD_KEY, media)) == link_scenario(
        scenario
    )


# ---------------------------------------------------------------------------
# Scenario files: download and upload


def test_scenario_file_download_is_the_current_scenario(media: dict[str, bytes]) -> None:
    at = _app()
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 2.5).run()
    preset = load_preset(DEFAULT_PRESET)
    expected = _edited(preset, slider_value(at.slider(key=REPS)))
    content = downloaded(at, share.DOWNLOAD_KEY, media)
    assert scenario_from_json(content) == expected
    assert pair_from_json(content).baseline == preset
    # Written when clicked, not on every run (a slider move does not pay for it).
    button = at.download_button(key=share.DOWNLOAD_KEY).proto
    assert button.deferred_file_id
    assert not button.url


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key=share.UPLOAD_KEY).set_value((name, content, "application/json"))
    return at.run()


def test_upload_of_a_good_file_loads_it_once() -> None:
    scenario = _linked_scenario()
    at = _upload(_app(), "client.json", scenario_to_json(scenario).encode())
    assert not at.exception
    assert _shown(at) == _headline(scenario)
    assert slider_value(at.slider(key=REPS)) == widget_values(scenario)[REPS]
    assert at.selectbox(key="ui.preset").value is None
    assert [s.value for s in at.success] == [
        escape_markdown(t("share.uploaded", "en", name=scenario.name, file="client.json"))
    ]
    # Later edits stay: a rerun does not apply the same upload again.
    moved = slider_value(at.slider(key=REPS)) + 6
    at.slider(key=REPS).set_value(moved).run()
    at.run()
    assert slider_value(at.slider(key=REPS)) == moved
    assert _shown(at) != _headline(scenario)


def test_upload_of_an_older_file_notes_the_update() -> None:
    old = b'{"name": "Old file", "staffing": {"salary": 40000}, "channels": [{"fte": 9}]}'
    at = _upload(_app(), "old.json", old)
    assert not at.exception
    assert slider_value(at.slider(key=REPS)) == 9
    notes = [i.value for i in at.info]
    assert len(notes) == 1
    assert escape_markdown("it was updated to schema_version 3") in notes[0]


def _file_with(changes: dict[str, object]) -> bytes:
    """A preset file with values set at dotted paths (not validated)."""
    data = json.loads(scenario_to_json(load_preset("no-bank")))
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("content", "paths"),
    [
        pytest.param(
            _file_with({"business.customers": -5, "channels.0.representatives": -1}),
            ["business.customers", "channels.0.representatives"],
            id="out-of-range",
        ),
        pytest.param(
            _file_with({"business.custmers": 5000, "training.hours": 3}),
            ["business.custmers", "training.hours"],
            id="unknown-fields",
        ),
        pytest.param(b'{"name": "half a file", "business": {', [], id="malformed-json"),
    ],
)
def test_upload_of_a_bad_file_lists_every_problem_and_changes_nothing(
    content: bytes, paths: list[str], media: dict[str, bytes]
) -> None:
    at = _app()
    moved = slider_value(at.slider(key=REPS)) + 3
    at.slider(key=REPS).set_value(moved).run()
    before = _shown(at)
    before_file = downloaded(at, share.DOWNLOAD_KEY, media)
    with pytest.raises(ScenarioError) as expected:
        scenario_from_json(content, source="upload")

    at = _upload(at, "bad.json", content)
    assert not at.exception
    (listed,) = [e.value for e in at.error]
    assert listed.startswith(escape_markdown(t("share.upload_failed", "en", file="bad.json")))
    # Each problem in a manager's words: the sidebar's label, the sidebar's units.
    loaded = load_preset(DEFAULT_PRESET)
    for problem in expected.value.problems:
        line = f"- {escape_markdown(problem_text(problem, loaded, 'en'))}"
        assert line in listed.splitlines(), (line, listed)
    assert [p.path for p in expected.value.problems if p.path] == paths
    assert _shown(at) == before
    assert slider_value(at.slider(key=REPS)) == moved
    assert at.selectbox(key="ui.preset").value == DEFAULT_PRESET
    assert downloaded(at, share.DOWNLOAD_KEY, media) == before_file


# ---------------------------------------------------------------------------
# Chart images and reports


@pytest.fixture
def counted_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every chart image the app asks for, by format (rendering itself is real)."""
    calls: list[str] = []
    real = images.figure_to_image  # what compute calls

    def counting(figure: go.Figure | dict[str, Any], fmt: ImageFormat, **kwargs: Any) -> bytes:
        calls.append(fmt)
        return real(figure, fmt, **kwargs)

    monkeypatch.setattr(compute, "figure_to_image", counting)
    compute.chart_images.clear()
    yield calls
    compute.chart_images.clear()


def test_chart_images_are_made_only_when_asked_for(
    counted_renders: list[str], media: dict[str, bytes]
) -> None:
    from PIL import Image

    at = _app()
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 1).run()
    assert counted_renders == []  # an ordinary slider rerun renders nothing
    key = f"{share.EXPORT_PREFIX}chart.drivers"
    at.session_state[key] = True
    at.run()
    assert not at.exception
    assert sorted(counted_renders) == ["pdf", "png", "svg"]
    png = Image.open(io.BytesIO(downloaded(at, f"{key}.png", media)))
    # 900 px wide at scale 2, as tall as the chart on the page
    assert png.size == (1800, 2 * charts.FIGURE_HEIGHT)
    assert downloaded(at, f"{key}.svg", media).lstrip().startswith(b"<svg")
    assert downloaded(at, f"{key}.pdf", media).startswith(b"%PDF")
    at.run()  # a rerun with the export still open renders nothing again
    assert len(counted_renders) == 3


@pytest.mark.slow
def test_without_a_browser_the_export_areas_say_so(
    monkeypatch: pytest.MonkeyPatch, counted_renders: list[str]
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    message = escape_markdown(missing_browser_message())
    at = _app()
    assert message in _texts(at, "caption")  # the sidebar's share area
    key = f"{share.EXPORT_PREFIX}chart.churners"
    at.session_state[key] = True
    at.run()
    assert not at.exception
    assert message in _texts(at, "warning")
    assert counted_renders == []
    assert not [b for b in at.download_button if b.key and b.key.startswith(key)]
    at.session_state[share.REPORTS_KEY] = True
    at.run()
    assert not at.exception
    for fmt in ("pdf", "html", "xlsx"):
        assert at.download_button(key=f"{share.REPORTS_KEY}.{fmt}")
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 1).run()
    assert not at.exception


def test_reports_follow_the_language_and_carry_the_finding(
    media: dict[str, bytes],
) -> None:
    from pypdf import PdfReader

    at = _app()
    at.radio(key="ui.language").set_value("nb").run()
    at.session_state[share.REPORTS_KEY] = True
    at.run()
    assert not at.exception
    scenario = load_preset(DEFAULT_PRESET)
    finding = finding_from_recommendation(scenario, optimize(scenario), "nb")
    pdf = PdfReader(io.BytesIO(downloaded(at, f"{share.REPORTS_KEY}.pdf", media)))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert t("report.title", "nb").upper() in text
    assert t("report.prepared", "nb", date="").strip() in text
    assert finding in text
    html = downloaded(at, f"{share.REPORTS_KEY}.html", media).decode("utf-8")
    assert '<html lang="nb">' in html
    assert html_escape(finding) in html
    xlsx = downloaded(at, f"{share.REPORTS_KEY}.xlsx", media)
    assert xlsx.startswith(b"PK")


def test_a_failed_render_says_why_and_offers_a_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxcost.report.images import ExportError

    reason = "rendering timed out after 20 s; the browser may be overloaded. Try again in a moment."
    attempts: list[str] = []

    def hung(figure: go.Figure | dict[str, Any], fmt: ImageFormat, **kwargs: Any) -> bytes:
        attempts.append(fmt)
        raise ExportError(reason)

    monkeypatch.setattr(share, "browser_available", lambda: True)
    monkeypatch.setattr(compute, "figure_to_image", hung)
    compute.chart_images.clear()
    at = _app()
    key = f"{share.EXPORT_PREFIX}chart.drivers"
    at.session_state[key] = True
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        escape_markdown(t("share.export_failed", "en", reason=reason))
    ]
    at.button(key=f"{key}.retry").click().run()
    assert len(attempts) == 2  # a failure is not cached: the retry renders again
    assert not at.exception
