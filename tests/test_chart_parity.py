"""Chart parity: the app, the HTML report and the chart images draw the same figures.

Every chart has one builder (``cxcost.report.charts.CHART_BUILDERS``). The
registry is checked against the code (every public ``*_figure`` is listed; the
app and the exports call only listed builders; every chart the app shows has a
case here), and then, for two presets (one in English, one in Norwegian), the
app is run with AppTest and each chart it puts on the page is compared with
the same chart in the HTML report and with the figure the image export hands
to the renderer: the whole figure JSON, data and layout.

No key is excluded from the comparison. The image size is not part of the
figure: the renderer receives it beside it (checked here too), and the app and
the HTML page let the browser set the width. If a surface ever needs another
size, that is a renderer argument, never an edit of the figure.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest
from widgets import Upload

from cxcost.i18n import Language, t
from cxcost.presets import LINK_PARAM, encode_link, load_preset
from cxcost.report import charts
from cxcost.report.bundle import build_document, build_report, compute_report_inputs, slug
from cxcost.report.images import DEFAULT_WIDTH, ChartRenderer, ImageFormat
from cxcost.scenario import Scenario
from cxcost.ui.app import _BASELINE as BASELINE_KEY
from cxcost.ui.app import LANGUAGE_KEY, PRESET_KEY, TABS_KEY
from cxcost.ui.staffing import CHANNEL_KEY
from cxcost.ui.uncertainty import RUN_KEY

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TODAY = date(2026, 12, 5)

APP_CHARTS: Final[dict[str, str]] = {
    "drivers": "tab.overview",
    "churners": "tab.overview",
    "staffing": "tab.staffing",
    "queue": "tab.staffing",
    "profile": "tab.staffing",
    "training": "tab.quality",
    "training_quality": "tab.quality",
    "repeat_contacts": "tab.quality",
    "tornado": "tab.uncertainty",
    "comparison": "tab.compare",
    "actions": "tab.practices",
    "action_drivers": "tab.practices",
    "calibration_fit": "tab.calibrate",
    "pareto": "tab.calibrate",
}
"""Every chart the app shows, by registry name, and its tab."""

EXPORT_ONLY: Final = frozenset({"monte_carlo"})
"""Charts of the exports that the app does not show."""

CALIBRATION: Final = frozenset({"calibration_fit", "pareto"})
"""Shown only after a calibration (the app's Calibrate tab and the HTML report's
Calibration section): compared in their own test, with an uploaded log."""

CASES: Final[list[tuple[str, Language]]] = [("us-ecommerce", "en"), ("no-bank", "nb")]


def _image_names(chart: str, channel: int | None, channel_name: str) -> str:
    """The chart's name in the image export (``<stem>-chart-<name>.png``)."""
    if chart in ("staffing", "queue"):
        assert channel is not None
        kind = "staffing" if chart == "staffing" else "queues"
        return f"{kind}-{channel + 1}-{slug(channel_name, fallback='channel')}"
    return chart.replace("_", "-")


# ---------------------------------------------------------------------------
# The registry against the code


def _called_builders(folder: Path) -> dict[str, set[str]]:
    """Names of ``*_figure`` functions called in each module of ``folder``."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name == "charts.py":
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name.endswith("_figure"):
                    names.add(name)
        if names:
            found[path.name] = names
    return found


def _chart_keys_in_ui() -> set[str]:
    """The chart names of every ``"chart.<name>"`` element key in the app."""
    keys = set()
    for path in (ROOT / "cxcost" / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = re.fullmatch(r"chart\.([a-z_]+)", node.value)
                if match:
                    keys.add(match.group(1))
    return keys


def test_every_builder_is_registered() -> None:
    public = {
        name
        for name, member in inspect.getmembers(charts, inspect.isfunction)
        if name.endswith("_figure")
        and not name.startswith("_")
        and member.__module__ == charts.__name__
    }
    registered = {builder.__name__ for builder in charts.CHART_BUILDERS.values()}
    assert public == registered


def test_app_and_exports_call_only_registered_builders() -> None:
    registered = {builder.__name__ for builder in charts.CHART_BUILDERS.values()}
    ui = _called_builders(ROOT / "cxcost" / "ui")
    report = _called_builders(ROOT / "cxcost" / "report")
    for module, names in {**ui, **{f"report/{k}": v for k, v in report.items()}}.items():
        assert names <= registered, f"{module} calls {sorted(names - registered)}"
    shown = set().union(*ui.values())
    assert shown == {charts.CHART_BUILDERS[name].__name__ for name in APP_CHARTS}


def test_every_chart_has_a_parity_case() -> None:
    assert set(APP_CHARTS) | EXPORT_ONLY == set(charts.CHART_BUILDERS)
    assert not set(APP_CHARTS) & EXPORT_ONLY
    assert _chart_keys_in_ui() == set(APP_CHARTS)


# ---------------------------------------------------------------------------
# The figures, surface by surface


def _canonical(spec: dict[str, Any]) -> str:
    return json.dumps(
        {"data": spec["data"], "layout": spec["layout"]}, sort_keys=True, ensure_ascii=False
    )


def _plotly_json(figure: go.Figure) -> dict[str, Any]:
    """The figure as the browser receives it (Streamlit and the HTML page use this JSON)."""
    spec: dict[str, Any] = json.loads(pio.to_json(figure))
    return spec


@dataclass
class _Rendered:
    spec: dict[str, Any]
    width: int
    height: int


class _RecordingRenderer(ChartRenderer):
    """Keeps what the image export hands to the browser instead of starting one."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered: list[_Rendered] = []

    def render(
        self,
        figure: go.Figure | dict[str, Any],
        fmt: ImageFormat,
        *,
        scale: float,
        width: int,
        height: int,
        timeout_seconds: float,
    ) -> bytes:
        spec = figure if isinstance(figure, dict) else _plotly_json(figure)
        self.rendered.append(_Rendered(json.loads(json.dumps(spec)), width, height))
        return b"\x89PNG recorded"


def _html_figures(page: str) -> Iterator[dict[str, Any]]:
    """Every figure of the HTML report, as the page's ``Plotly.newPlot`` calls carry it."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r'Plotly\.newPlot\(\s*"chart-\d+",\s*', page):
        data, end = decoder.raw_decode(page, match.end())
        rest = re.match(r"\s*,\s*", page[end:])
        assert rest is not None
        layout, _ = decoder.raw_decode(page, end + rest.end())
        yield {"data": data, "layout": layout}


def _chart_specs(at: AppTest) -> dict[str, dict[str, Any]]:
    """The app's charts on the page now, by registry name."""
    specs = {}
    for element in at.get("plotly_chart"):
        name = element.proto.id.rsplit("-chart.", 1)[1]
        specs[name] = json.loads(element.proto.spec)
    return specs


def _open_tab(at: AppTest, key: str, language: Language) -> None:
    at.session_state[TABS_KEY] = t(key, language)
    at.run()
    assert not at.exception, at.exception


def _app_figures(
    stem: str, language: Language, plan: Scenario
) -> dict[tuple[str, int | None], dict[str, Any]]:
    """Every chart the app shows for a preset, keyed by (name, channel index)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.radio(key=LANGUAGE_KEY).set_value(language).run()
    at.selectbox(key=PRESET_KEY).set_value(stem).run()
    assert not at.exception, at.exception
    figures: dict[tuple[str, int | None], dict[str, Any]] = {}
    _open_tab(at, "tab.overview", language)
    figures |= {(name, None): spec for name, spec in _chart_specs(at).items()}
    _open_tab(at, "tab.staffing", language)
    for channel in range(len(load_preset(stem).channels)):
        at.radio(key=CHANNEL_KEY).set_value(channel).run()
        for name, spec in _chart_specs(at).items():
            figures[(name, channel if name in ("staffing", "queue") else None)] = spec
    _open_tab(at, "tab.quality", language)
    figures |= {(name, None): spec for name, spec in _chart_specs(at).items()}
    _open_tab(at, "tab.practices", language)
    figures |= {(name, None): spec for name, spec in _chart_specs(at).items()}
    _open_tab(at, "tab.uncertainty", language)
    at.button(key=RUN_KEY).click().run()
    assert not at.exception, at.exception
    figures |= {(name, None): spec for name, spec in _chart_specs(at).items()}
    # The Compare tab prices the change from the baseline to the current inputs. With
    # the recommended plan opened from a share link (every lever it sets, practices
    # included) and the preset kept as the baseline, that is the exports' comparison.
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params[LINK_PARAM] = encode_link(plan)
    at.run()
    at.radio(key=LANGUAGE_KEY).set_value(language).run()
    at.session_state[BASELINE_KEY] = load_preset(stem).model_dump_json()
    _open_tab(at, "tab.compare", language)
    figures |= {(name, None): spec for name, spec in _chart_specs(at).items()}
    return figures


@pytest.mark.waits_for_plan
@pytest.mark.slow
@pytest.mark.parametrize(("stem", "language"), CASES)
def test_the_app_and_the_exports_draw_the_same_figures(
    stem: str, language: Language, tmp_path: Path
) -> None:
    scenario = load_preset(stem)
    inputs = compute_report_inputs(scenario)
    renderer = _RecordingRenderer()
    written = build_report(
        scenario, {"png"}, language, tmp_path, stem=stem, inputs=inputs, renderer=renderer
    )
    prefix = f"{stem}-chart-"
    images = {
        path.name.removeprefix(prefix).removesuffix(".png"): rendered
        for path, rendered in zip(written, renderer.rendered, strict=True)
    }
    page = build_document(inputs, "html", language, TODAY).content.decode("utf-8")
    in_page = [_canonical(spec) for spec in _html_figures(page)]

    app = _app_figures(stem, language, inputs.recommendation.scenario)
    shown = {name for name, _ in app}
    assert shown == set(APP_CHARTS) - CALIBRATION
    per_channel = 2  # the staffing and the queue chart, one pair per channel
    assert len(app) == len(APP_CHARTS) - len(CALIBRATION) + per_channel * (
        len(scenario.channels) - 1
    )
    for (name, channel), spec in app.items():
        channel_name = scenario.channels[channel].name if channel is not None else ""
        image = images[_image_names(name, channel, channel_name)]
        where = f"{name} {channel}"
        assert _canonical(spec) == _canonical(image.spec), f"{where}: app and image differ"
        assert _canonical(spec) in in_page, f"{where}: not in the HTML report as the app draws it"
        assert image.width == DEFAULT_WIDTH, where
        assert image.height == spec["layout"].get("height", 500), where
    # Everything the exports draw beyond the app's charts is the export-only ones.
    beyond = set(images) - {_image_names(n, c, "") for n, c in app if c is None}
    assert {name for name in beyond if not name.startswith(("staffing-", "queues-"))} == {
        name.replace("_", "-") for name in EXPORT_ONLY
    }
    assert len(in_page) == len(images)


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "language"), CASES)
def test_the_calibration_charts_are_the_html_reports(
    stem: str, language: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit
    from scripts import load_script

    from cxcost.ui import calibrate as tab

    contacts, complaints, _ = load_script("examples", "generate_contacts").write_logs(
        tmp_path, 5_000, 7
    )
    # AppTest cannot drive a file uploader: the uploader hands over the logs as the
    # browser would.
    uploads = {tab.CONTACTS_KEY: Upload(contacts), tab.COMPLAINTS_KEY: Upload(complaints)}
    real = streamlit.file_uploader

    def uploader(label: str, *args: object, key: str | None = None, **kwargs: object) -> object:
        if key in uploads:
            return uploads[key]
        return real(label, *args, key=key, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(streamlit, "file_uploader", uploader)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.radio(key=LANGUAGE_KEY).set_value(language).run()
    at.selectbox(key=PRESET_KEY).set_value(stem).run()
    _open_tab(at, "tab.calibrate", language)
    at.button(key=tab.RUN_KEY).click().run()
    assert not at.exception, at.exception
    app = _chart_specs(at)
    assert set(app) == CALIBRATION
    calibration = at.session_state[tab.RESULT_KEY]
    inputs = compute_report_inputs(load_preset(stem))
    page = build_document(inputs, "html", language, TODAY, calibration=calibration)
    in_page = [_canonical(spec) for spec in _html_figures(page.content.decode("utf-8"))]
    for name, spec in app.items():
        assert _canonical(spec) in in_page, f"{name}: not in the HTML report as the app draws it"


def test_no_plan_to_judge_means_no_tornado_anywhere() -> None:
    from dataclasses import replace

    from cxcost.optimize import optimize
    from cxcost.report.bundle import chart_figures, plan_to_judge
    from cxcost.uncertainty import analyse

    scenario = load_preset("us-ecommerce")
    recommendation = optimize(scenario)
    assert plan_to_judge(scenario, recommendation) is recommendation.scenario
    # With the plan applied there is nothing left to judge: the app's Uncertainty tab
    # then analyses no proposal and shows no tornado, and neither do the exports.
    assert plan_to_judge(recommendation.scenario, recommendation) is None
    # A plan that changes only a practice is a plan too.
    path, setting = next(iter(recommendation.practices.items()))
    practice_only = recommendation.model_copy(update={"practices": {path: setting + 0.05}})
    assert plan_to_judge(recommendation.scenario, practice_only) is recommendation.scenario
    inputs = compute_report_inputs(scenario)
    unjudged = replace(inputs, uncertainty=analyse(scenario, None, draws=2_000))
    figures = chart_figures(unjudged, "en")
    assert "tornado" not in figures
    assert "tornado" in chart_figures(inputs, "en")
    page = build_document(unjudged, "html", "en", TODAY).content.decode("utf-8")
    assert len(list(_html_figures(page))) == len(figures)


# ---------------------------------------------------------------------------
# The tornado


@pytest.fixture(scope="module")
def bank_figures() -> dict[str, go.Figure]:
    from cxcost.report.bundle import chart_figures

    return chart_figures(compute_report_inputs(load_preset("no-bank")), "nb")


def test_tornado_has_low_and_high_bars_around_a_reference_line(
    bank_figures: dict[str, go.Figure],
) -> None:
    fig = bank_figures["tornado"]
    low, high = fig.data
    assert low.marker.color != high.marker.color
    # Each input has a bar to each end: neither series hides behind the other.
    assert fig.layout.barmode == "group"
    assert low.offsetgroup != high.offsetgroup
    assert any(x != 0 for x in low.x)
    assert any(x != 0 for x in high.x)
    assert list(low.base) == list(high.base)
    reference = low.base[0]
    centre = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1 == reference]
    assert len(centre) == 1
    assert centre[0].yref == "paper"
    assert (centre[0].y0, centre[0].y1) == (0, 1)


def test_tornado_tick_labels_keep_clear_of_the_axis_title_and_the_legend(
    bank_figures: dict[str, go.Figure],
) -> None:
    layout = bank_figures["tornado"].layout
    # The axes grow the margins to hold their tick labels, and the axis title keeps
    # its distance from them however they are turned.
    assert layout.xaxis.automargin is True
    assert layout.yaxis.automargin is True
    assert layout.xaxis.title.text
    assert layout.xaxis.title.standoff >= 10
    # The legend sits at the foot of the whole figure (not at a share of the plot's
    # height below it), so rotated tick labels push it down instead of reaching it.
    assert layout.legend.yref == "container"
    assert (layout.legend.y, layout.legend.yanchor) == (0, "bottom")
    # Room on the left for the inputs' names.
    assert layout.margin.l >= 250
