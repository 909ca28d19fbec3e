"""The handlers of the commands that run the model: evaluate, optimize, uncertainty,
staffing and compare (registered by :mod:`cxcost.cli.model_commands`, imported when one of
them runs). They never import the export stack (plotly, kaleido, fpdf, openpyxl);
the text helpers of ``cxcost.report`` (row labels, the total-cost sentence) are
imported only for the tables that show them, and the optimiser (with the levers
it searches) only by the commands that run it: ``evaluate --format json`` loads
the model it evaluates and nothing more."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from pydantic import BaseModel

from cxcost.cli.batch import flat_row, is_batch, load_each, report_failure, write_rows
from cxcost.cli.common import EXIT_BAD_INPUT, EXIT_OK, grid, load_scenario
from cxcost.evaluate import Result, evaluate
from cxcost.i18n import (
    format_duration_seconds,
    format_money,
    format_number,
    format_percent,
    npv_label,
)
from cxcost.scenario import Scenario

if TYPE_CHECKING:
    from cxcost.compare import Comparison
    from cxcost.optimize import Recommendation
    from cxcost.uncertainty import UncertaintyReport

_Output = TypeVar("_Output", Result, "Recommendation")

# ---------------------------------------------------------------------------
# Tables


def basis_line(horizon_years: int) -> str:
    """The time basis of every money figure in a table, in one line."""
    from cxcost.compare import YEARLY_BASIS

    return f"Money: {YEARLY_BASIS}; {npv_label(horizon_years, 'en')} where marked."


def _rows(rows: Sequence[tuple[str, str]], out: TextIO, indent: str = "  ") -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{indent}{label:<{width}}  {value}", file=out)


def _number(value: float, decimals: int = 0) -> str:
    return format_number(value, decimals=decimals)


def _print_result(scenario: Scenario, result: Result, out: TextIO) -> None:
    """The rows of ``RESULT_ROWS`` flagged ``summary``, then one line per channel."""
    from cxcost.report.content import total_cx_cost_explained
    from cxcost.report.rows import row_label, row_text, summary_rows

    print(f"{scenario.name} ({result.currency})", file=out)
    print(f"  {basis_line(scenario.business.horizon_years)}", file=out)
    _rows(
        [(row_label(row, result, "en"), row_text(row, result, "en")) for row in summary_rows()],
        out,
    )
    explained = total_cx_cost_explained(result, "en")
    print(textwrap.indent(textwrap.fill(explained, 86), "  "), file=out)
    print(file=out)
    grid(
        ["Channel", "Reps", "Service level", "Mean wait", "Abandoned", "Occupancy"],
        [
            [
                channel.name,
                _number(channel.representatives, 1),
                format_percent(channel.service_level),
                format_duration_seconds(channel.mean_wait_seconds),
                format_percent(channel.p_abandon),
                format_percent(channel.occupancy),
            ]
            for channel in result.channels
        ],
        out,
    )


def _comparison_rows(comparison: Comparison) -> list[tuple[str, str]]:
    money = comparison.currency
    roi = "-" if comparison.roi is None else format_percent(comparison.roi)
    payback = (
        "not within 30 years"
        if comparison.payback_months is None
        else f"{_number(comparison.payback_months, 1)} months"
    )
    return [
        ("Net benefit per year", format_money(comparison.net_benefit_per_year, money)),
        ("Extra service cost per year",
         format_money(comparison.extra_service_cost_per_year, money)),
        ("Churn cost saved per year", format_money(comparison.churn_cost_saved_per_year, money)),
        ("Revenue saved per year", format_money(comparison.revenue_saved_per_year, money)),
        ("Customers saved per year", _number(comparison.customers_saved_per_year)),
        ("One-off cost", format_money(comparison.one_off_cost, money)),
        (npv_label(comparison.horizon_years, "en"), format_money(comparison.npv, money)),
        ("ROI", roi),
        ("Payback", payback),
    ]  # fmt: skip


def _assumption_lines(comparison: Comparison) -> list[str]:
    """When the proposal also changes assumptions: what changed and its effect, apart."""
    if not comparison.changed_assumptions:
        return []
    money = comparison.currency
    return [
        "Decisions and assumptions both changed: the figures above are the decisions' effect,",
        "priced under the base's assumptions. Changed assumptions: "
        + ", ".join(comparison.changed_assumptions),
        "Effect of the changed assumptions on the total CX cost per year: "
        + format_money(comparison.assumptions_effect_per_year, money)
        + " (not a benefit of the decisions)",
    ]


def _print_recommendation(scenario: Scenario, recommendation: Recommendation, out: TextIO) -> None:
    base, best = recommendation.base_result, recommendation.result
    money = base.currency
    print(f"Recommendation for {scenario.name} ({money})", file=out)
    print(f"  {basis_line(scenario.business.horizon_years)}", file=out)
    print(f"  {recommendation.message}", file=out)
    if recommendation.warnings:
        print(file=out)
        print("Warnings (outside usual practice):", file=out)
        for warning in recommendation.warnings:
            print(f"  - {warning}", file=out)
    print(file=out)
    body = [
        [f"{channel.name} representatives", _number(channel.representatives, 1),
         _number(reps, 1)]
        for channel, reps in zip(scenario.channels, recommendation.representatives, strict=True)
    ]  # fmt: skip
    body += [
        ["Training hours per rep per year", _number(scenario.training.hours_per_rep_per_year, 1),
         _number(recommendation.training_hours, 1)],
        ["Service cost per year", format_money(base.service_cost_per_year, money),
         format_money(best.service_cost_per_year, money)],
        ["Churn cost per year", format_money(base.churn_cost_per_year, money),
         format_money(best.churn_cost_per_year, money)],
        ["Total CX cost per year", format_money(base.total_cx_cost_per_year, money),
         format_money(best.total_cx_cost_per_year, money)],
        ["Customers lost per year", _number(base.customers_lost_per_year),
         _number(best.customers_lost_per_year)],
    ]  # fmt: skip
    body += [
        [f"{b.name} service level", format_percent(b.service_level),
         format_percent(r.service_level)]
        for b, r in zip(base.channels, best.channels, strict=True)
    ]  # fmt: skip
    grid(["", "Now", "Recommended"], body, out)
    print(file=out)
    _rows(_comparison_rows(recommendation.comparison), out)


def uncertainty_json(report: UncertaintyReport, horizon_years: int) -> dict[str, Any]:
    """The ``uncertainty`` command's JSON: percentiles, headline, tornado, break-even, basis."""
    from cxcost.compare import YEARLY_BASIS

    data = report.model_dump(mode="json")
    data["basis"] = YEARLY_BASIS
    data["horizon_years"] = horizon_years
    data["tornado"] = [{key: bar[key] for key in _TORNADO_KEYS} for bar in data["tornado"]]
    return data


_TORNADO_KEYS = (
    "parameter", "label", "low", "high", "net_benefit_low", "net_benefit_high", "swing",
)  # fmt: skip


def break_even_sentence(report: UncertaintyReport) -> str:
    """The break-even in one plain sentence (English; the exports use ``cxcost.i18n``)."""
    if report.net_benefit_per_year is None:
        return "No plan to judge: the break-even needs a recommended plan."
    cut = report.break_even
    if cut is None:
        return "The plan does not pay off even if training removed every dismissive contact."
    if cut.required_cut <= 0:
        return "The plan pays off even if training cut no dismissive contacts at all."
    return (
        f"The plan pays off if training cuts dismissive contacts by at least "
        f"{format_percent(cut.required_cut)}; the model expects "
        f"{format_percent(cut.modelled_cut)}."
    )


def _print_uncertainty(report: UncertaintyReport, horizon_years: int, out: TextIO) -> None:
    money = report.currency
    print(
        f"Uncertainty of the recommended plan for {report.scenario_name} ({money}, "
        f"{_number(report.draws)} draws, seed {report.seed})",
        file=out,
    )
    print(f"  {basis_line(horizon_years)}", file=out)
    print(file=out)
    figures = [
        ("Revenue at risk per year", "revenue_at_risk_per_year", report.revenue_at_risk_per_year),
        ("Total CX cost per year", "total_cx_cost_per_year", report.total_cx_cost_per_year),
    ]
    if report.net_benefit_per_year is not None:
        figures.append(
            ("Net benefit of the plan per year", "net_benefit_per_year",
             report.net_benefit_per_year)
        )  # fmt: skip
    grid(
        ["", "P10", "P50", "P90", "At the inputs' values"],
        [
            [label, format_money(p.p10, money), format_money(p.p50, money),
             format_money(p.p90, money), format_money(report.headline[key], money)]
            for label, key, p in figures
        ],
        out,
    )  # fmt: skip
    print(file=out)
    if report.probability_pays_off is not None:
        print(
            f"  Probability the plan pays off: {format_percent(report.probability_pays_off)}",
            file=out,
        )
    print(f"  {break_even_sentence(report)}", file=out)
    if report.tornado and report.tornado[0].net_benefit_low is not None:
        print(file=out)
        print("  Tornado: net benefit of the plan per year with one input at each end", file=out)
        grid(
            ["Input (range x its value)", "Low end", "High end", "Swing"],
            [
                [f"{bar.label} ({_number(bar.low, 2)}-{_number(bar.high, 2)} x)",
                 format_money(bar.net_benefit_low or 0.0, money),
                 format_money(bar.net_benefit_high or 0.0, money),
                 format_money(bar.swing, money)]
                for bar in report.tornado
            ],
            out,
        )  # fmt: skip


def _print_staffing(scenario: Scenario, target: float, out: TextIO) -> None:
    from cxcost.staffing import DAYS, required_staffing

    plan = required_staffing(scenario, target)
    print(
        f"Representatives needed hour by hour for {plan.scenario_name}: "
        f"{format_percent(target, decimals=0)} answered within each channel's target",
        file=out,
    )
    for channel in plan.channels:
        print(file=out)
        print(
            f"{channel.channel_name} ({channel.kind}): "
            f"{_number(channel.representatives_needed, 1)} representatives needed "
            f"(now {_number(channel.current_representatives, 1)}), "
            f"answer within {format_duration_seconds(channel.target_seconds)}"
            + ("" if channel.met else "; the target cannot be met"),
            file=out,
        )
        grid(
            ["Day", "Hour", "Contacts/h", "On queue", "Scheduled", "Service level", "Occupancy"],
            [
                [DAYS[row.day], f"{row.hour:02d}:00", _number(row.contacts_per_hour, 1),
                 _number(row.agents_on_queue, 1), _number(row.representatives, 1),
                 "-" if row.service_level is None else format_percent(row.service_level),
                 "-" if row.occupancy is None else format_percent(row.occupancy)]
                for row in channel.hours
            ],
            out,
        )  # fmt: skip
    print(file=out)
    print(f"  All channels: {_number(plan.representatives_needed, 1)} representatives", file=out)


def _print_json(model: BaseModel, out: TextIO) -> None:
    # model_dump_json writes an infinite wait (a backlog that never clears) as null.
    print(model.model_dump_json(indent=2), file=out)


# ---------------------------------------------------------------------------
# Commands


def _print_results_table(results: Sequence[tuple[Scenario, Result]], out: TextIO) -> None:
    """Several scenarios' results: one line each, the reports' headline numbers."""
    from cxcost.compare import YEARLY_BASIS
    from cxcost.report.rows import headline_rows, row_label, row_text

    rows = headline_rows()
    print(f"Money: {YEARLY_BASIS}.", file=out)
    grid(
        ["Scenario", *(row_label(row, results[0][1], "en") for row in rows)],
        [[scenario.name, *(row_text(row, result, "en") for row in rows)]
         for scenario, result in results],
        out,
    )  # fmt: skip


def _print_recommendations_table(
    plans: Sequence[tuple[Scenario, Recommendation]], out: TextIO
) -> None:
    """Several scenarios' recommendations: one line each, now against recommended."""
    from cxcost.compare import YEARLY_BASIS

    print(f"Money: {YEARLY_BASIS}.", file=out)
    body = []
    for scenario, plan in plans:
        money = plan.result.currency
        body.append([
            scenario.name,
            _number(sum(channel.representatives for channel in scenario.channels), 1),
            _number(sum(plan.representatives), 1),
            _number(plan.training_hours, 1),
            format_money(plan.base_result.total_cx_cost_per_year, money),
            format_money(plan.result.total_cx_cost_per_year, money),
            format_money(plan.comparison.net_benefit_per_year, money),
            str(len(plan.warnings)),
        ])  # fmt: skip
    grid(
        ["Scenario", "Reps now", "Reps recommended", "Training h/rep", "Total CX cost now",
         "Recommended", "Net benefit", "Warnings"],
        body,
        out,
    )  # fmt: skip


def _run_each(
    args: argparse.Namespace, run: Callable[[Scenario], _Output]
) -> tuple[list[tuple[Scenario, _Output]], bool]:
    """Load every scenario of ``args.presets`` and run each; a failure costs one line."""
    loaded, failed = load_each(args.presets, args.set)
    outputs: list[tuple[Scenario, _Output]] = []
    for label, scenario in loaded:
        try:
            outputs.append((scenario, run(scenario)))
        except ValueError as error:  # a model argument check, in a manager's words
            report_failure(label, str(error).splitlines() or [type(error).__name__])
            failed = True
    return outputs, failed


def _run_command(
    args: argparse.Namespace,
    run: Callable[[Scenario], _Output],
    print_one: Callable[[Scenario, _Output, TextIO], None],
    print_several: Callable[[Sequence[tuple[Scenario, _Output]], TextIO], None],
    exclude: set[str] | None = None,
) -> int:
    """One PRESET: the command's table or JSON as ever; several, a folder or CSV: rows
    (or one table line each), a scenario that fails costs one stderr line and exit 2."""
    if not is_batch(args.presets, args.format):
        scenario = load_scenario(args.presets[0], args.set)
        output = run(scenario)
        if args.format == "json":
            _print_json(output, sys.stdout)
        else:
            print_one(scenario, output, sys.stdout)
        return EXIT_OK
    outputs, failed = _run_each(args, run)
    if args.format == "table":
        if outputs:
            print_several(outputs, sys.stdout)
    else:
        rows = [flat_row(scenario.name, output, exclude) for scenario, output in outputs]
        write_rows(rows, args.format, sys.stdout)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    return _run_command(args, evaluate, _print_result, _print_results_table)


def _cmd_optimize(args: argparse.Namespace) -> int:
    from cxcost.optimize import optimize

    def run(scenario: Scenario) -> Recommendation:
        return optimize(
            scenario,
            min_service_level=args.min_service_level,
            max_budget=args.max_budget,
            max_occupancy=args.max_occupancy,
            max_training_hours=args.max_training_hours,
        )

    # The plan's scenario is the input with the plan applied: its decisions are the
    # row's representatives.N and training_hours, the rest is the input itself.
    return _run_command(
        args, run, _print_recommendation, _print_recommendations_table, exclude={"scenario"}
    )


def _cmd_uncertainty(args: argparse.Namespace) -> int:
    from cxcost.optimize import optimize
    from cxcost.uncertainty import analyse

    scenario = load_scenario(args.preset, args.set)
    plan = optimize(scenario).scenario
    report = analyse(scenario, plan, draws=args.draws, seed=args.seed)
    horizon = scenario.business.horizon_years
    if args.format == "json":
        print(json.dumps(uncertainty_json(report, horizon), indent=2, ensure_ascii=False))
    else:
        _print_uncertainty(report, horizon, sys.stdout)
    return EXIT_OK


def _cmd_staffing(args: argparse.Namespace) -> int:
    from cxcost.staffing import DEFAULT_TARGET_SERVICE_LEVEL, required_staffing, staffing_rows

    scenario = load_scenario(args.preset, args.set)
    target = DEFAULT_TARGET_SERVICE_LEVEL if args.service_level is None else args.service_level
    if args.format == "table":
        _print_staffing(scenario, target, sys.stdout)
        return EXIT_OK
    plan = required_staffing(scenario, target)
    if args.format == "json":
        _print_json(plan, sys.stdout)
        return EXIT_OK
    rows = staffing_rows(plan)
    writer = csv.DictWriter(
        sys.stdout, fieldnames=list(rows[0]) if rows else [], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from cxcost.compare import compare

    base = load_scenario(args.base)
    proposal = load_scenario(args.proposal, args.set)
    comparison = compare(base, proposal)
    if args.format == "json":
        _print_json(comparison, sys.stdout)
    else:
        print(f"{proposal.name} against {base.name} ({comparison.currency})")
        print(f"  {basis_line(comparison.horizon_years)}")
        _rows(_comparison_rows(comparison), sys.stdout)
        for line in _assumption_lines(comparison):
            print(f"  {line}")
    return EXIT_OK
