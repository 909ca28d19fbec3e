"""Whole-number settings of an app process from its environment (no streamlit here)."""

from __future__ import annotations

import logging
import os

LOGGER = logging.getLogger(__name__)


def whole_number_from_env(name: str, default: int, minimum: int) -> int:
    """The environment variable ``name`` as a whole number, at least ``minimum``;
    ``default`` when it is unset or not a whole number (that is logged)."""
    raw = os.environ.get(name, str(default))
    try:
        return max(minimum, int(raw))
    except ValueError:
        LOGGER.warning("%s=%r is not a whole number; using %d", name, raw, default)
        return default
