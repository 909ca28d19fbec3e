"""The model's commands on the command line: their arguments, and the light ones' handlers.

Building the parser and running ``presets``, ``schema``, ``validate`` and ``link``
import the scenario and the preset files only. The commands that run the model
(``evaluate``, ``optimize``, ``uncertainty``, ``staffing``, ``compare``) have their
handlers in :mod:`cxcost.cli.model`, imported when one of them runs, so that
NumPy's and SciPy's start-up is paid only by the commands that need them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import warnings
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cxcost.cli.common import EXIT_BAD_INPUT, EXIT_OK, Handler, add_format, add_set, load_scenario
from cxcost.presets import (
    PRESETS_DIR,
    SAFE_LINK_LENGTH,
    MigrationWarning,
    ScenarioError,
    list_presets,
    load_preset,
    share_url,
)
from cxcost.scenario import Scenario, Training, Uncertainty

DEFAULT_TARGET_SERVICE_LEVEL_TEXT = "0.8"
"""``staffing --service-level``'s default as its help shows it: the model's
``cxcost.staffing.DEFAULT_TARGET_SERVICE_LEVEL`` (a test keeps the two equal),
written here so that the parser is built without importing the model."""

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
# Commands that need no model


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


def _model_command(name: str) -> Handler:
    """The handler ``cxcost.cli.model._cmd_<name>``, imported when the command runs."""

    def handler(args: argparse.Namespace) -> int | None:
        module = importlib.import_module("cxcost.cli.model")
        command: Handler = getattr(module, f"_cmd_{name}")
        return command(args)

    return handler


def _add_batch_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table for people (default); json with the model's field names; csv with one "
        "row per scenario, 'name' first, then the fields (nested ones dotted, e.g. "
        "channels.0.service_level)",
    )


def add_model_commands(commands: Any) -> None:
    """Register the model's commands on the ``python -m cxcost`` subparsers.

    Parameters
    ----------
    commands : the action returned by ``ArgumentParser.add_subparsers``
    """
    preset_help = "preset name, e.g. us-ecommerce, or a scenario JSON file"
    batch_help = "preset name, scenario JSON file or folder of them (several allowed)"

    sub = commands.add_parser(
        "evaluate",
        help="customers and money lost, service cost",
        description="The model's result for each scenario. Several PRESETs, or a folder "
        "(its *.json files, sorted), run in one process; a scenario that does not load is "
        "reported on stderr in one line and the others are output (exit status 2).",
    )
    sub.add_argument("presets", nargs="+", metavar="PRESET", help=batch_help)
    add_set(sub, "every scenario")
    _add_batch_format(sub)
    sub.set_defaults(func=_model_command("evaluate"))

    sub = commands.add_parser(
        "optimize",
        help="representatives and training hours with the lowest total CX cost",
        description="The recommended plan for each scenario; several PRESETs or a folder "
        "as for evaluate.",
    )
    sub.add_argument("presets", nargs="+", metavar="PRESET", help=batch_help)
    add_set(sub, "every scenario")
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
    _add_batch_format(sub)
    sub.set_defaults(func=_model_command("optimize"))

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
    sub.set_defaults(func=_model_command("uncertainty"))

    sub = commands.add_parser(
        "staffing", help="representatives needed hour by hour for a target service level"
    )
    sub.add_argument("preset", metavar="PRESET", help=preset_help)
    add_set(sub)
    sub.add_argument(
        "--service-level",
        type=_target_service_level,
        metavar="SHARE",
        help="share of contacts to answer within each channel's target time, above 0 and "
        f"below 1 (default: {DEFAULT_TARGET_SERVICE_LEVEL_TEXT})",
    )
    sub.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people (default), csv (one row per channel and open hour) or json",
    )
    sub.set_defaults(func=_model_command("staffing"))

    sub = commands.add_parser("compare", help="net benefit, ROI, payback and NPV of a change")
    sub.add_argument("base", metavar="BASE", help=preset_help)
    sub.add_argument("proposal", metavar="PROPOSAL", help=preset_help)
    add_set(sub, "the proposal")
    add_format(sub)
    sub.set_defaults(func=_model_command("compare"))

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
