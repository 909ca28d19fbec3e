"""``python -m cxcost report``: write a scenario's exports to a folder, headless.

    python -m cxcost report PRESET [PRESET ...] --out DIR
        [--formats pdf,html,xlsx,png,svg] [--language en|nb] [--set PATH=VALUE]

Several presets in one call share one warm browser, so a consultant can batch
a folder of presets (``python -m cxcost report us-ecommerce my-scenarios/ --out
out``) without starting Chromium for each; a folder means its ``*.json`` files,
sorted. One PRESET is named after its file (``us-ecommerce-summary.pdf``,
``us-ecommerce-chart-drivers.png`` ...); with several, each set of files is
named after its scenario's name, slugged (``us-e-commerce-retailer-summary.pdf``),
and a name met before gets a suffix (``-2``, ``-3`` ...).

Files are written atomically through unique temporary files in the folder,
never through a symlink, and existing files are never replaced without
``--force``.

Exit status: 0 when every file was written; 2 for bad input (an unknown
format, files that exist already, a single preset that does not load), before
anything is written; with several presets, one that does not load is reported
in one line, the others are written and the status is 2; 1 when some files
could not be made (no browser for the charts, a timeout, a full disk, a later
preset's files in the way), after the others were written. Problems are printed
on stderr in one line each, never as a traceback; the written files are listed
on stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from cxcost.cli.batch import is_batch, load_each
from cxcost.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, add_set, load_scenario
from cxcost.i18n import LANGUAGES
from cxcost.report.formats import DEFAULT_TIMEOUT_SECONDS, REPORT_FORMATS, parse_formats

EXIT_INCOMPLETE: Final = 1
"""Some files were written, others (chart images) could not be made."""


def _formats(text: str) -> set[str]:
    try:
        return parse_formats(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--formats: ")) from None


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text} is outside 0-600 seconds")
    return value


def _stem(preset: str) -> str:
    """File-name stem of a PRESET argument: the file's stem, or the preset name itself."""
    return Path(preset).stem if preset.endswith(".json") else Path(preset).name


def unique_stems(names: Sequence[str], slug: Callable[[str], str]) -> list[str]:
    """One file-name stem per scenario name: its slug, with ``-2``, ``-3`` ... once taken.

    Examples
    --------
    >>> lower = str.lower
    >>> unique_stems(["Bank", "bank", "bank-2", "Shop"], lower)
    ['bank', 'bank-2', 'bank-2-2', 'shop']
    """
    taken: set[str] = set()
    stems = []
    for name in names:
        base = slug(name)
        stem, number = base, 1
        while stem in taken:
            number += 1
            stem = f"{base}-{number}"
        taken.add(stem)
        stems.append(stem)
    return stems


def add_report_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``report`` on the ``python -m cxcost`` subparsers.

    Parameters
    ----------
    subparsers : the action returned by ``ArgumentParser.add_subparsers``

    Returns
    -------
    argparse.ArgumentParser
        The ``report`` subparser.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write the PDF summary, HTML report, workbook and chart images",
        description="Write the exports of one or more scenarios into a folder. Several "
        "presets in one call share one browser for the chart images.",
    )
    parser.add_argument(
        "presets",
        nargs="+",
        metavar="PRESET",
        help="preset name, e.g. us-ecommerce, or a scenario JSON file (several allowed)",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for the files (created if missing)",
    )
    parser.add_argument(
        "--formats",
        type=_formats,
        default=set(REPORT_FORMATS),
        metavar="LIST",
        help=f"comma-separated, from {','.join(REPORT_FORMATS)} or all (default: all)",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default="en",
        help="language of the documents and charts (default: en)",
    )
    add_set(parser, "every scenario")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace files of the same names in the folder (default: refuse, write nothing)",
    )
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="give up on a chart image after this long (default: %(default)g)",
    )
    parser.set_defaults(func=run_report)
    return parser


def run_report(args: argparse.Namespace) -> int:
    """Handler of ``report``: load every preset, then write each one's files.

    Returns
    -------
    int
        0; 1 if some files could not be made; 2 if one of several presets did not
        load (each reported on stderr in one line, the others written).

    Raises
    ------
    CliError
        The one preset does not load or the folder cannot be used (exit status 2).
    """
    # The export stack (plotly, fpdf, openpyxl, kaleido) only when a report is made.
    from cxcost.report.bundle import ExistingFilesError, ReportError, build_report, slug

    failed = False
    if is_batch(args.presets):
        scenarios, failed = load_each(args.presets, args.set)
        if not scenarios:
            return EXIT_BAD_INPUT
        stems = unique_stems([scenario.name for _, scenario in scenarios], slug)
    else:
        scenarios = [(args.presets[0], load_scenario(args.presets[0], args.set))]
        stems = [_stem(args.presets[0])]
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise CliError([f"--out: {out} is a file, not a folder"])
    status = EXIT_OK
    wrote_any = False
    for (preset, scenario), stem in zip(scenarios, stems, strict=True):
        try:
            written = build_report(
                scenario,
                args.formats,
                args.language,
                out,
                stem=stem,
                timeout_seconds=args.timeout,
                replace=args.force,
            )
        except ReportError as error:
            written = error.written
            for problem in error.problems:
                print(f"error: {preset}: {problem}", file=sys.stderr)
            status = EXIT_INCOMPLETE
        except (ExistingFilesError, OSError) as error:
            reason = str(error) if isinstance(error, ExistingFilesError) else error.strerror
            line = f"--out: cannot write to {out}: {reason or error}"
            if not wrote_any:
                raise CliError([line]) from None
            print(f"error: {preset}: {line}", file=sys.stderr)
            written, status = [], EXIT_INCOMPLETE
        wrote_any = wrote_any or bool(written)
        for path in written:
            print(path)
    return EXIT_BAD_INPUT if failed else status
