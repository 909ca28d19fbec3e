"""``python -m cxcost calibrate CONTACTS``: fit a scenario's assumptions from a contact log.

Reads the contact log (and a complaint log), prints each fitted value beside
the scenario's current one with its 95 % interval, and with ``--out`` writes
the scenario with every fitted value applied and sourced. Bad files exit 2 with
one line per problem (column and file rows); nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cxcost.cli.common import EXIT_OK, CliError, add_format, grid, load_scenario
from cxcost.presets import DEFAULT_PRESET, scenario_to_json

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration
    from cxcost.scenario import Scenario


def _mapping(pairs: list[str]) -> dict[str, str]:
    """``their_name=canonical`` pairs from ``--map``, every bad one named."""
    from cxcost.calibrate import CONTACT_COLUMNS

    mapping: dict[str, str] = {}
    problems: list[str] = []
    for pair in pairs:
        their, sep, canonical = pair.partition("=")
        if not sep or not their.strip():
            problems.append(f"--map {pair!r}: write THEIR_COLUMN=CANONICAL, e.g. kanal=channel")
        elif canonical.strip() not in CONTACT_COLUMNS:
            problems.append(
                f"--map {pair!r}: {canonical.strip()!r} is not a contact column; "
                f"use one of {', '.join(CONTACT_COLUMNS)}"
            )
        else:
            mapping[their.strip()] = canonical.strip()
    if problems:
        raise CliError(problems)
    return mapping


def _existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    return path


def add_calibrate_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``calibrate`` on the ``python -m cxcost`` subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calibrate",
        help="fit the scenario's assumptions from a contact log (and a complaint log)",
        description="Estimate churn responses, patience, handle times, channel mix, the "
        "weekly arrival profile and more from the company's own contact log, each with a "
        "95 %% interval. The file's columns are described in docs/calibration.md.",
    )
    parser.add_argument(
        "contacts", type=_existing_file, metavar="CONTACTS", help="CSV, XLSX or Parquet"
    )
    parser.add_argument(
        "--complaints",
        type=_existing_file,
        metavar="FILE",
        help="complaint log, one row per complaint with a reason column",
    )
    parser.add_argument(
        "--preset",
        default=DEFAULT_PRESET,
        metavar="NAME",
        help=f"the scenario to calibrate (default {DEFAULT_PRESET})",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="THEIRS=CANONICAL",
        help="map a header of the file to a canonical column, e.g. kanal=channel "
        "(unmapped headers are guessed from English and Norwegian names)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the calibrated scenario (every fitted value applied, with its source)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    add_format(parser)
    parser.set_defaults(func=_cmd_calibrate)
    return parser


def _cmd_calibrate(args: argparse.Namespace) -> int:
    # The data stack (pandera, DuckDB) loads when the command runs, not for every command.
    from cxcost.calibrate import apply_calibration, calibrate
    from cxcost.report.bundle import write_file
    from cxcost.report.calibration import calibration_json

    base = load_scenario(args.preset)
    mapping = _mapping(args.map) or None
    calibration = calibrate(
        args.contacts,
        complaints=args.complaints,
        base=base,
        mapping=mapping,
        name=args.contacts.name,
        complaints_name=args.complaints.name if args.complaints else "complaints.csv",
    )
    if args.out is not None:
        fitted = apply_calibration(base, calibration)
        try:
            write_file(args.out, scenario_to_json(fitted).encode("utf-8"), replace=args.force)
        except FileExistsError:
            raise CliError([f"{args.out}: exists; use --force to replace it"]) from None
        except OSError as error:
            raise CliError([f"{args.out}: {error.strerror or error}"]) from None
    if args.format == "json":
        print(json.dumps(calibration_json(calibration), indent=2, ensure_ascii=False))
    else:
        _print_calibration(calibration, base, sys.stdout)
        if args.out is not None:
            print(f"\nWrote {args.out}", file=sys.stdout)
    return EXIT_OK


def _print_calibration(calibration: Calibration, base: Scenario, out: TextIO) -> None:
    from cxcost.report.calibration import fit_rows, pareto_rows, period_text

    print(
        f"{calibration.file_name}: {calibration.rows:,} contacts, {period_text(calibration, 'en')}",
        file=out,
    )
    rows = fit_rows(calibration, base, "en")
    grid(
        ["Value", "Unit", "Current", "Fitted", "95 % interval", "n", "Method"],
        [[r.label, r.unit, r.current, r.fitted, r.interval, f"{r.n:,}", r.method] for r in rows],
        out,
    )
    if calibration.pareto:
        print(file=out)
        print(f"Complaint reasons ({calibration.complaint_rows:,} complaints)", file=out)
        grid(
            ["Reason", "Driver", "Count", "Cumulative", "In the 80 %"],
            [[str(cell) for cell in row] for row in pareto_rows(calibration, "en")],
            out,
        )
