"""The model's commands: evaluate, optimize, uncertainty, staffing, compare, presets,
schema, validate and link. They import the model only, never the report stack."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from cxcost.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_format, add_set, grid, load_scenario
from cxcost.compare import YEARLY_BASIS, Comparison, compare
from cxcost.evaluate import Result, evaluate
from cxcost.i18n import (
    format_duration_seconds,
    format_money,
    format_number,
    format_percent,
    npv_label,
)
from cxcost.optimize import Recommendation, optimize
from cxcost.presets import (
    PRESETS_DIR,
    SAFE_LINK_LENGTH,
    MigrationWarning,
    ScenarioError,
    list_presets,
    load_preset,
    share_url,
)
from cxcost.report.content import total_cx_cost_explained
from cxcost.report.rows import row_label, row_text, summary_rows
from cxcost.scenario import Scenario, Training, Uncertainty
from cxcost.staffing import (
    DAYS,
    DEFAULT_TARGET_SERVICE_LEVEL,
    required_staffing,
    staffing_rows,
)
from cxcost.uncertainty import UncertaintyReport, analyse

# ---------------------------------------------------------------------------
# Argument types: bad option values fail in argparse with exit status 2


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; allowed range 0 to 1"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is outside the allowed range 0 to 1")
    return value


def _money_amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; allowed: 0 or more") from None
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is outside the allowed range: 0 or more")
    return value


def _bounded_number(
    text: str,
    low: float,
    high: float,
    allowed: str,
    *,
    whole: bool = False,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A number within [low, high] (ends open as asked), or an argparse error naming the range."""
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise argparse.ArgumentTypeError(
            f"{text!r} is not {kind}; allowed range {allowed}"
        ) from None
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high or value != value:
        raise argparse.ArgumentTypeError(f"{text} is outside the allowed range {allowed}")
    return value


def _occupancy(text: str) -> float:
    return _bounded_number(text, 0.0, 1.0, "above 0 to 1", low_open=True)


def _field_bounds(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """A scenario field's own ge/le limits, so a flag allows what the field allows."""
    metadata = model.model_fields[name].metadata
    low = next(m.ge for m in metadata if getattr(m, "ge", None) is not None)
    high = next(m.le for m in metadata if getattr(m, "le", None) is not None)
    return low, high


def _training_hours(text: str) -> float:
    low, high = _field_bounds(Training, "hours_per_rep_per_year")
    return _bounded_number(text, float(low), float(high), f"{low:g} to {high:g} hours")


def _draws(text: str) -> int:
    low, high = _field_bounds(Uncertainty, "draws")
    return int(_bounded_number(text, low, high, f"{low} to {high}", whole=True))


def _seed(text: str) -> int:
    low, high = _field_bounds(Uncertainty, "seed")
    return int(_bounded_number(text, low, high, f"{low} to {high}", whole=True))


def _target_service_level(text: str) -> float:
    return _bounded_number(text, 0.0, 1.0, "above 0 and below 1", low_open=True, high_open=True)


# ---------------------------------------------------------------------------
# Tables


def basis_line(horizon_years: int) -> str:
    """The time basis of every money figure in a table, in one line."""
    return f"Money: {YEARLY_BASIS}; {npv_label(horizon_years, 'en')} where marked."


def _rows(rows: Sequence[tuple[str, str]], out: TextIO, indent: str = "  ") -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{indent}{label:<{width}}  {value}", file=out)


def _number(value: float, decimals: int = 0) -> str:
    return format_number(value, decimals=decimals)


def _print_result(scenario: Scenario, result: Result, out: TextIO) -> None:
    """The rows of ``RESULT_ROWS`` flagged ``summary``, then one line per channel."""
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


def _cmd_evaluate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.preset, args.set)
    result = evaluate(scenario)
    if args.format == "json":
        _print_json(result, sys.stdout)
    else:
        _print_result(scenario, result, sys.stdout)
    return EXIT_OK


def _cmd_optimize(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.preset, args.set)
    recommendation = optimize(
        scenario,
        min_service_level=args.min_service_level,
        max_budget=args.max_budget,
        max_occupancy=args.max_occupancy,
        max_training_hours=args.max_training_hours,
    )
    if args.format == "json":
        _print_json(recommendation, sys.stdout)
    else:
        _print_recommendation(scenario, recommendation, sys.stdout)
    return EXIT_OK


def _cmd_uncertainty(args: argparse.Namespace) -> int:
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
    scenario = load_scenario(args.preset, args.set)
    if args.format == "table":
        _print_staffing(scenario, args.service_level, sys.stdout)
        return EXIT_OK
    plan = required_staffing(scenario, args.service_level)
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


def _cmd_presets(args: argparse.Namespace) -> int:
    entries = list_presets(Path(args.dir))
    if args.format == "json":
        rows = [
            {"stem": e.stem, "name": e.name, "description": e.description, "error": e.error,
             "path": str(e.path)}
            for e in entries
        ]  # fmt: skip
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print(f"no presets in {args.dir}")
        return EXIT_OK
    width = max(len(e.stem) for e in entries)
    for entry in entries:
        if entry.error is None:
            text = f"{entry.name}: {entry.description}" if entry.description else entry.name
        else:
            text = "does not load: " + entry.error.replace("\n", "; ")
        print(f"{entry.stem:<{width}}  {text}")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(Scenario.model_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for file in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MigrationWarning)
            try:
                load_preset(Path(file))
            except ScenarioError as error:
                status = EXIT_BAD_INPUT
                for problem in error.problems:
                    print(f"{file}: {problem}", file=sys.stderr)
                continue
        notes = [str(w.message) for w in caught if issubclass(w.category, MigrationWarning)]
        print(f"{file}: ok" + "".join(f" (note: {note})" for note in notes))
    return status


def _cmd_link(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.preset, args.set)
    url = share_url(scenario, args.base_url)
    print(url)
    print(f"link length: {len(url):,} characters", file=sys.stderr)
    if len(url) > SAFE_LINK_LENGTH:
        print(
            f"warning: the link is {len(url):,} characters long, above the "
            f"{SAFE_LINK_LENGTH:,} that e-mail and chat tools pass on safely; "
            "share the scenario file instead",
            file=sys.stderr,
        )
    return EXIT_OK


def add_model_commands(commands: Any) -> None:
    """Register the model's commands on the ``python -m cxcost`` subparsers.

    Parameters
    ----------
    commands : the action returned by ``ArgumentParser.add_subparsers``
    """
    preset_help = "preset name, e.g. us-ecommerce, or a scenario JSON file"

    sub = commands.add_parser("evaluate", help="customers and money lost, service cost")
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    add_format(sub)
    sub.set_defaults(func=_cmd_evaluate)

    sub = commands.add_parser(
        "optimize", help="representatives and training hours with the lowest total CX cost"
    )
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    sub.add_argument(
        "--min-service-level",
        type=_share,
        metavar="SHARE",
        help="least share of contacts answered within target on every channel, 0 to 1",
    )
    sub.add_argument(
        "--max-budget",
        type=_money_amount,
        metavar="AMOUNT",
        help="most the service may cost per year, in the scenario currency",
    )
    sub.add_argument(
        "--max-occupancy",
        type=_occupancy,
        metavar="SHARE",
        help="highest occupancy on every channel, above 0 to 1 (below each channel's own cap)",
    )
    sub.add_argument(
        "--max-training-hours",
        type=_training_hours,
        metavar="HOURS",
        help="most training per representative per year, 0 to 400 hours",
    )
    add_format(sub)
    sub.set_defaults(func=_cmd_optimize)

    sub = commands.add_parser(
        "uncertainty",
        help="P10/P50/P90, probability of paying off, tornado and break-even of the "
        "recommended plan",
    )
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    sub.add_argument(
        "--draws", type=_draws, metavar="N",
        help="Monte Carlo draws, 100 to 1000000 (default: the scenario's)",
    )  # fmt: skip
    sub.add_argument(
        "--seed", type=_seed, metavar="S",
        help="random seed, 0 to 4294967295 (default: the scenario's)",
    )  # fmt: skip
    add_format(sub)
    sub.set_defaults(func=_cmd_uncertainty)

    sub = commands.add_parser(
        "staffing", help="representatives needed hour by hour for a target service level"
    )
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    sub.add_argument(
        "--service-level",
        type=_target_service_level,
        default=DEFAULT_TARGET_SERVICE_LEVEL,
        metavar="SHARE",
        help="share of contacts to answer within each channel's target time, above 0 and "
        "below 1 (default: %(default)s)",
    )
    sub.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people (default), csv (one row per channel and open hour) or json",
    )
    sub.set_defaults(func=_cmd_staffing)

    sub = commands.add_parser("compare", help="net benefit, ROI, payback and NPV of a change")
    sub.add_argument("base", metavar="BASE", help=preset_help)
    sub.add_argument("proposal", metavar="PROPOSAL", help=preset_help)
    add_set(sub, "the proposal")
    add_format(sub)
    sub.set_defaults(func=_cmd_compare)

    sub = commands.add_parser("presets", help="list the presets with one-line descriptions")
    sub.add_argument(
        "--dir", default=str(PRESETS_DIR), help="folder of preset files (default: %(default)s)"
    )
    add_format(sub)
    sub.set_defaults(func=_cmd_presets)

    sub = commands.add_parser("schema", help="the JSON Schema of a scenario file")
    sub.set_defaults(func=_cmd_schema)

    sub = commands.add_parser(
        "validate", help="check scenario files: ok, or every problem with its field path"
    )
    sub.add_argument("files", nargs="+", metavar="FILE", help="scenario JSON files")
    sub.set_defaults(func=_cmd_validate)

    sub = commands.add_parser("link", help="print the share link of a scenario and its length")
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    sub.add_argument(
        "--base-url",
        default="http://localhost:8501/",
        metavar="URL",
        help="address of the app (default: %(default)s)",
    )
    sub.set_defaults(func=_cmd_link)
