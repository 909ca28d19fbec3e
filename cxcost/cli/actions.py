"""The ``actions`` command: what to do first, each lever at its best setting, ranked."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cxcost.cli.common import EXIT_OK, add_format, add_set, grid, load_scenario


def _cmd_actions(args: argparse.Namespace) -> int:
    from cxcost.actions import rank_actions
    from cxcost.compare import YEARLY_BASIS
    from cxcost.report.actions import best_move_sentence, header, rows

    scenario = load_scenario(args.preset, args.set)
    actions = rank_actions(scenario)
    if args.format == "json":
        print(json.dumps([a.contract() for a in actions], indent=2), file=sys.stdout)
        return EXIT_OK
    currency = scenario.business.currency
    print(f"{scenario.name}: what to do first ({YEARLY_BASIS})", file=sys.stdout)
    grid(header("en"), rows(actions, currency, "en"), sys.stdout)
    print(best_move_sentence(actions, currency, "en"), file=sys.stdout)
    return EXIT_OK


def add_actions_command(commands: Any) -> None:
    """Register ``actions`` on the ``python -m cxcost`` subparsers."""
    sub = commands.add_parser(
        "actions",
        help="each lever (practices, training tracks, staffing) at its best setting, ranked",
        description="Each lever at its best setting for the scenario, one change at a time, "
        "priced like 'compare' and listed best first. JSON: a list, best first, of objects "
        "with lever, setting, cost_per_year, customers_kept_per_year, net_benefit_per_year, "
        "roi and payback_months.",
    )
    sub.add_argument(
        "preset",
        metavar="PRESET",
        help="preset name, e.g. us-ecommerce, or a scenario JSON file",
    )
    add_set(sub)
    add_format(sub)
    sub.set_defaults(func=_cmd_actions)
