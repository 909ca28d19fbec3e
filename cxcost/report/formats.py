"""The export formats by name: light enough for the CLI to build its parser without
importing the report stack (plotly, fpdf, openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:  # the image module starts asyncio and kaleido's helpers: not for the parser
    from cxcost.report.images import ImageFormat

DocumentFormat = Literal["pdf", "html", "xlsx"]
DOCUMENT_FORMATS: Final[tuple[DocumentFormat, ...]] = ("pdf", "html", "xlsx")
CHART_FORMATS: Final[tuple[ImageFormat, ...]] = ("png", "svg")
REPORT_FORMATS: Final[tuple[str, ...]] = (*DOCUMENT_FORMATS, *CHART_FORMATS)
"""Formats ``build_report`` writes: three documents and two chart-image formats."""
DEFAULT_TIMEOUT_SECONDS: Final = 20.0
"""Deadline for one chart image [s] (``cxcost.report.images`` and the CLI's ``--timeout``)."""

__all__ = [
    "CHART_FORMATS",
    "DEFAULT_TIMEOUT_SECONDS",
    "DOCUMENT_FORMATS",
    "REPORT_FORMATS",
    "DocumentFormat",
    "parse_formats",
]


def parse_formats(text: str | Iterable[str]) -> set[str]:
    """Formats from "pdf,html" (or an iterable); "all" means every format.

    Raises
    ------
    ValueError
        For an unknown or empty list, naming the allowed formats.
    """
    parts = text.split(",") if isinstance(text, str) else list(text)
    names = {part.strip().lower() for part in parts if part.strip()}
    if "all" in names:
        return set(REPORT_FORMATS)
    unknown = sorted(names - set(REPORT_FORMATS))
    if unknown or not names:
        what = f"unknown format {', '.join(unknown)}" if unknown else "no format given"
        raise ValueError(f"--formats: {what}; choose from {','.join(REPORT_FORMATS)} or all")
    return names
