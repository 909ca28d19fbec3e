"""A self-contained interactive HTML report: one file, plotly inlined, works offline.

The page carries plotly.js itself (no CDN, no other request: a
Content-Security-Policy forbids any), the same charts as the app, the headline
numbers, the finding, the recommendation, the channels and every input with
its source. All text from a preset or a link is HTML-escaped; chart JSON is
serialised by plotly, which escapes ``<`` inside strings.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Final

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from cxcost.actions import Action
from cxcost.evaluate import Result
from cxcost.i18n import (
    Language,
    basis_label,
    currency_label,
    format_count,
    format_duration_seconds,
    format_number,
    format_percent,
    t,
)
from cxcost.optimize import Recommendation
from cxcost.report import actions as report_actions
from cxcost.report import charts, content
from cxcost.report.chart_set import ReportCharts
from cxcost.scenario import Scenario
from cxcost.uncertainty import UncertaintyReport

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)
"""No network at all: every script and style is inline (plotly needs eval for some traces)."""

_PLOTLY_CONFIG: Final = {"displaylogo": False, "responsive": True}
_SHOWN_IN_HEADER: Final = frozenset({"schema_version", "name", "description"})

_STYLE: Final = """
:root { --ink: #212529; --muted: #5f6368; --accent: #0072b2; --panel: #f3f6fa;
        --rule: #d6dce4; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 24px 48px; }
.kicker { color: var(--accent); font-weight: 700; font-size: 0.8rem; letter-spacing: 0.06em;
          text-transform: uppercase; display: flex; justify-content: space-between; }
.kicker span:last-child { color: var(--muted); font-weight: 400; letter-spacing: 0;
                          text-transform: none; }
h1 { font-size: 2rem; margin: 6px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--accent); }
.description, .intro, .muted { color: var(--muted); }
.headlines { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
             gap: 12px; margin: 20px 0; }
.headline { background: var(--panel); border-left: 4px solid var(--rule); padding: 10px 14px; }
.headline:first-child { border-left-color: var(--accent); }
.headline .label { color: var(--muted); font-size: 0.85rem; }
.headline .value { font-size: 1.7rem; font-weight: 700; }
.headline:first-child .value { color: var(--accent); }
.finding { font-size: 1.15rem; font-weight: 700; }
.recommendation { background: var(--panel); border-left: 4px solid var(--accent);
                  padding: 12px 18px; }
.recommendation p { font-weight: 700; margin: 0 0 6px; }
.recommendation ul { margin: 0; padding-left: 20px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr));
          gap: 16px; }
.chart { border: 1px solid var(--rule); padding: 4px; min-width: 0; }
.chart.wide { grid-column: 1 / -1; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule);
         vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
td.number { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--panel); }
.basis { font-size: 0.85rem; margin: -8px 0 12px; }
.explained { color: var(--muted); }
.sure { font-weight: 700; margin: 8px 0; }
.recommendation li.warning { color: #a04000; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; }
@media print { .charts { grid-template-columns: 1fr; } h2 { break-after: avoid; } }
"""


def _e(text: str) -> str:
    """Escape text from anywhere (preset, link, translation) for HTML body and attributes."""
    return html.escape(text, quote=True)


class _Figures:
    """Figures to HTML divs; plotly.js itself is inlined once in the page head."""

    def __init__(self) -> None:
        self._count = 0

    def div(self, figure: go.Figure, wide: bool = False) -> str:
        self._count += 1
        markup = figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            config=_PLOTLY_CONFIG,
            div_id=f"chart-{self._count}",
        )
        return f'<div class="chart{" wide" if wide else ""}">{markup}</div>'


def _section(title: str, body: str, intro: str | None = None) -> str:
    intro_html = f'<p class="intro">{_e(intro)}</p>' if intro else ""
    return f"<section><h2>{_e(title)}</h2>{intro_html}{body}</section>"


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: set[int],
    widths: Sequence[int] = (),
) -> str:
    columns = "".join(f'<col style="width: {w}%">' for w in widths)
    colgroup = f"<colgroup>{columns}</colgroup>" if columns else ""
    head = "".join(f"<th>{_e(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{_e(cell)}</td>' if i in numeric else f"<td>{_e(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table>{colgroup}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _calibration_section(
    calibration: Calibration, scenario: Scenario, figures: _Figures, language: Language
) -> str:
    """Fitted values beside the current ones, the fit check and the complaint Pareto."""
    from cxcost.report import calibration as calibrated  # the data stack, only when needed

    fitted = _table(
        calibrated.fit_header(language),
        [
            [
                r.label,
                r.unit,
                r.current,
                r.fitted,
                r.interval,
                format_number(r.n, language),
                r.method,
            ]
            for r in calibrated.fit_rows(calibration, scenario, language)
        ],
        numeric={2, 3, 5},
    )
    divs = [figures.div(charts.calibration_fit_figure(calibration, language))]
    pareto = ""
    if calibration.pareto:
        divs.append(figures.div(charts.pareto_figure(calibration, language)))
        pareto = _table(
            calibrated.pareto_header(language),
            [[str(cell) for cell in row] for row in calibrated.pareto_rows(calibration, language)],
            numeric={2, 3},
        )
    return _section(
        t("tab.calibrate", language),
        fitted + f'<div class="charts">{"".join(divs)}</div>' + pareto,
        calibrated.summary_line(calibration, language),
    )


def _actions_section(
    actions: list[Action], currency: str, figures: ReportCharts, divs: _Figures, language: Language
) -> str:
    """What to do first: the ranked list, its chart and each lever's effect on the drivers."""
    table = _table(
        report_actions.header(language),
        report_actions.rows(actions, currency, language),
        numeric={2, 3, 4, 5, 6},
    )
    cells = [divs.div(f) for f in (figures.actions, figures.action_drivers) if f is not None]
    return _section(
        t("tab.practices", language),
        f"<p>{_e(report_actions.best_move_sentence(actions, currency, language))}</p>"
        + table
        + f'<div class="charts">{"".join(cells)}</div>',
        t("practices.basis", language, basis=basis_label("yearly", language)),
    )


def _channels_table(result: Result, language: Language) -> str:
    header = [
        t("col.channel", language),
        t("col.representatives", language),
        t("col.service_level", language),
        t("col.mean_wait", language),
        t("col.abandonment", language),
        t("col.occupancy", language),
        t("col.overloaded", language),
    ]
    rows = [
        [
            channel.name,
            format_count(channel.representatives, language),
            format_percent(channel.service_level, language),
            format_duration_seconds(channel.mean_wait_seconds, language),
            format_percent(channel.p_abandon, language),
            format_percent(channel.occupancy, language),
            format_number(channel.overloaded_hours_per_week, language),
        ]
        for channel in result.channels
    ]
    return _table(header, rows, numeric={1, 2, 3, 4, 5, 6})


def _assumptions_table(scenario: Scenario, language: Language) -> str:
    currency = scenario.business.currency
    rows: list[list[str]] = []
    profile_done = False
    for row in content.input_rows(scenario):
        if row.path in _SHOWN_IN_HEADER:
            continue
        if row.path.startswith(content.PROFILE_PATH + "."):
            if profile_done:
                continue
            profile_done = True
            rows.append(
                [
                    t("field.demand.arrival_profile", language),
                    content.profile_summary(scenario, language),
                    content.source_text(row, language),
                    content.PROFILE_PATH,
                ]
            )
            continue
        rows.append(
            [
                content.assumption_label(row, scenario, language),
                content.format_input_value(row, currency, language),
                content.source_text(row, language),
                row.path,
            ]
        )
    header = [
        t("col.parameter", language),
        t("col.value", language),
        t("col.source", language),
        t("col.path", language),
    ]
    return _table(header, rows, numeric=set(), widths=(27, 17, 36, 20))


def _uncertainty_table(report: UncertaintyReport, language: Language) -> str:
    header = [
        t("axis.money_per_year", language, currency=currency_label(report.currency, language)),
        "P10",
        "P50",
        "P90",
        t("report.v3.point", language),
    ]
    rows = [
        [row.label, row.p10, row.p50, row.p90, row.point]
        for row in content.uncertainty_rows(report, language)
    ]
    sentences = "".join(
        f'<p class="sure">{_e(line)}</p>'
        for line in content.uncertainty_sentences(report, language)
    )
    return _table(header, rows, numeric={1, 2, 3, 4}, widths=(40, 15, 15, 15, 15)) + sentences


def html_report(
    scenario: Scenario,
    result: Result,
    recommendation: Recommendation,
    figures: ReportCharts,
    language: Language = "en",
    today: date | None = None,
    *,
    uncertainty: UncertaintyReport | None = None,
    finding: str,
    calibration: Calibration | None = None,
    actions: Sequence[Action] | None = None,
) -> str:
    """The interactive report of a scenario as one self-contained HTML document.

    Parameters
    ----------
    scenario : the scenario as it is now
    result : ``evaluate(scenario)``
    recommendation : ``optimize(scenario)``
    figures : ``cxcost.report.chart_set.report_charts(...)``: the same figures the
        chart images are drawn from
    language : "en" or "nb"
    today : date printed on the page; default today
    uncertainty : optional ``analyse(scenario, plan)``: P10/P50/P90 of revenue at
        risk, total CX cost and the plan's net benefit, the probability it pays
        off and the break-even, in a table above the uncertainty charts
    finding : the finding sentence, with the recommendation's numbers
        (``cxcost.report.finding``; ``bundle.report_finding`` computes it)
    calibration : optional calibration behind the scenario's values: adds a
        Calibration section (fitted values, the fit check chart, the complaint Pareto)
    actions : optional ``rank_actions(scenario)``: adds the Practices section (the
        ranked list, its chart and each lever's effect on the three drivers)

    Returns
    -------
    str
        A complete HTML page (UTF-8) that needs no network: plotly.js is
        inlined once and a Content-Security-Policy forbids any request.
    """
    when = today or date.today()
    divs = _Figures()
    lang = "nb" if language == "nb" else "en"
    heading = content.scenario_title(scenario, language)
    title = t("report.html.title", language, name=heading)

    headlines = "".join(
        f'<div class="headline"><div class="label">{_e(h.label)}</div>'
        f'<div class="value">{_e(h.text)}</div></div>'
        for h in content.headline_numbers(result, language)
    )
    rec_lines = content.recommendation_lines(scenario, recommendation, language)
    warned = set(content.warning_lines(recommendation, language))
    recommendation_html = (
        f'<div class="recommendation"><p>{_e(rec_lines[0])}</p>'
        + (
            "<ul>"
            + "".join(
                f'<li class="warning">{_e(line)}</li>' if line in warned else f"<li>{_e(line)}</li>"
                for line in rec_lines[1:]
            )
            + "</ul>"
            if len(rec_lines) > 1
            else ""
        )
        + "</div>"
    )

    overview_charts = [divs.div(figures.drivers), divs.div(figures.churners)]
    staffing_charts = [
        divs.div(figure)
        for channel in figures.channels
        for figure in (channel.staffing, channel.queues)
    ]
    staffing_charts.append(divs.div(figures.profile, wide=True))
    quality_charts = [
        divs.div(figures.training),
        divs.div(figures.training_quality),
        divs.div(figures.repeat_contacts),
    ]
    compare_charts = [divs.div(figures.comparison)]
    uncertainty_charts = [] if figures.tornado is None else [divs.div(figures.tornado, wide=True)]
    uncertainty_charts.append(divs.div(figures.monte_carlo))

    def grid(cells: Sequence[str]) -> str:
        return f'<div class="charts">{"".join(cells)}</div>'

    sections = [
        _section(
            t("tab.overview", language),
            grid(overview_charts)
            + f"<h3>{_e(t('overview.channels', language))}</h3>"
            + _channels_table(result, language),
        ),
        _section(t("report.recommendation", language), recommendation_html + grid(compare_charts)),
        *(
            [_actions_section(list(actions), result.currency, figures, divs, language)]
            if actions
            else []
        ),
        _section(t("tab.staffing", language), grid(staffing_charts), t("staffing.intro", language)),
        _section(t("tab.quality", language), grid(quality_charts), t("quality.intro", language)),
    ]
    if uncertainty is not None:
        sections.append(
            _section(
                t("report.v3.uncertainty", language),
                _uncertainty_table(uncertainty, language) + grid(uncertainty_charts),
                t(
                    "report.v3.uncertainty_intro",
                    language,
                    draws=format_number(uncertainty.draws, language),
                ),
            )
        )
    else:
        sections.append(
            _section(
                t("tab.uncertainty", language),
                grid(uncertainty_charts),
                t("uncertainty.intro", language),
            )
        )
    sections.append(
        _section(
            t("tab.assumptions", language),
            _assumptions_table(scenario, language),
            t("assumptions.intro", language),
        )
    )
    if calibration is not None:
        sections.append(_calibration_section(calibration, scenario, divs, language))
    description = (
        f'<p class="description">{_e(scenario.description)}</p>' if scenario.description else ""
    )
    prepared = t("report.prepared", language, date=content.report_date(when, language))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cxcost">
<title>{_e(title)}</title>
<style>{_STYLE}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<main>
<div class="kicker"><span>{_e(t("app.title", language))}</span><span>{_e(prepared)}</span></div>
<h1>{_e(heading)}</h1>
{description}
<p class="muted">{_e(t("report.html.intro", language))}</p>
<div class="headlines">{headlines}</div>
<p class="muted basis">{_e(content.basis_note(scenario.business.horizon_years, language))}</p>
<p class="finding">{_e(finding)}</p>
<p class="explained">{_e(content.total_cx_cost_explained(result, language))}</p>
{"".join(sections)}
<footer>{_e(t("report.footer", language))}</footer>
</main>
</body>
</html>
"""
