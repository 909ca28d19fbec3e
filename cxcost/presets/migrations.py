"""Older scenario file versions, updated to the current ``schema_version``."""

from __future__ import annotations

import re
import warnings
from typing import Any, TypeGuard

from cxcost.presets.problems import _error_at, _show
from cxcost.scenario import MAX_UNCERTAINTY_FACTOR, SCHEMA_VERSION

_OLDEST_VERSION = 1


class MigrationWarning(UserWarning):
    """A scenario file in an older format was read and updated to the current one."""


def _rename(section: dict[str, Any], old: str, new: str) -> None:
    if old in section and new not in section:
        section[new] = section.pop(old)


def _migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: renamed salary and fte; uncertainty is filled with defaults."""
    staffing = data.get("staffing")
    if isinstance(staffing, dict):
        data["staffing"] = staffing = dict(staffing)
        _rename(staffing, "salary", "salary_per_year")
    channels = data.get("channels")
    if isinstance(channels, list):
        data["channels"] = channels = [dict(c) if isinstance(c, dict) else c for c in channels]
        for channel in channels:
            if isinstance(channel, dict):
                _rename(channel, "fte", "representatives")
    sources = data.get("sources")
    if isinstance(sources, dict):
        renamed: dict[Any, Any] = {}
        for key, value in sources.items():
            new = key
            if isinstance(key, str):
                new = re.sub(r"^staffing\.salary$", "staffing.salary_per_year", key)
                new = re.sub(r"^(channels\.\d+)\.fte$", r"\1.representatives", new)
            renamed[new if new not in sources else key] = value
        data["sources"] = renamed
    data["schema_version"] = 2
    return data


# Version 2's defaults, which a version 2 file relied on where it gave no value.
_V2_CHURN = {"wait_churn_max": 0.08, "rude_churn": 0.10, "dismissive_churn": 0.12}


def _migrate_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 -> 3: abandonment has its own churn, uncertainty ranges become multipliers.

    - ``churn.abandon_churn`` takes the old ``wait_churn_max``, which version 2
      charged to every abandoned contact.
    - ``channels.*.wait_tolerance_minutes`` is kept: it becomes the midpoint of
      the S-shaped wait response.
    - ``uncertainty`` ranges of the churn responses were absolute; they become
      multipliers of the file's own values, and ``patience_factor`` is now
      ``patience``. A range that does not hold its value is widened to hold it.
    """
    churn = data.get("churn")
    churn = dict(churn) if isinstance(churn, dict) else {}
    if "abandon_churn" not in churn:
        churn["abandon_churn"] = churn.get("wait_churn_max", _V2_CHURN["wait_churn_max"])
        data["churn"] = churn
    uncertainty = data.get("uncertainty")
    if isinstance(uncertainty, dict):
        uncertainty = dict(uncertainty)
        _rename(uncertainty, "patience_factor", "patience")
        for name, default in _V2_CHURN.items():
            bounds = uncertainty.get(name)
            value = churn.get(name, default)
            if not (isinstance(bounds, dict) and _is_number(value)):
                continue
            low, high = bounds.get("low"), bounds.get("high")
            if not (_is_number(low) and _is_number(high)):
                # Left as written: validation names the missing or malformed end.
                continue
            if value > 0:
                uncertainty[name] = {
                    "low": min(max(low / value, 1e-3), 1.0),
                    "high": min(max(high / value, 1.0), MAX_UNCERTAINTY_FACTOR),
                }
            else:
                # No multiplier turns a value of 0 into a range: the default applies.
                del uncertainty[name]
        data["uncertainty"] = uncertainty
    sources = data.get("sources")
    if isinstance(sources, dict) and "churn.wait_churn_max" in sources:
        data["sources"] = {"churn.abandon_churn": sources["churn.wait_churn_max"], **sources}
    data["schema_version"] = 3
    return data


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


_MIGRATIONS = {1: _migrate_v1, 2: _migrate_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring parsed scenario data from any known older file format to the current one.

    Parameters
    ----------
    data : a parsed JSON object; it is not modified

    Returns
    -------
    dict
        A new dict in the current format with ``schema_version`` equal to
        ``SCHEMA_VERSION``. Fields are not validated here.

    Raises
    ------
    ScenarioError
        ``schema_version`` is not a whole number, is below 1, or is newer than
        this code reads.

    Warns
    -----
    MigrationWarning
        When the data was in an older format (or had no ``schema_version``,
        which is read as version 1).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     migrate({"schema_version": 1, "staffing": {"salary": 40000}})["staffing"]
    {'salary_per_year': 40000}
    """
    result = dict(data)
    if "schema_version" not in result:
        version = _OLDEST_VERSION
        note = f"it has no schema_version, so it was read as version {_OLDEST_VERSION}"
    else:
        version = result["schema_version"]
        note = f"it uses schema_version {version}"
        if isinstance(version, float) and float.is_integer(version):
            raise _error_at(
                "schema_version",
                f"write the version as a whole number without a decimal point: "
                f"{int(version)}, not {version!r} (cxcost reads versions {_OLDEST_VERSION} "
                f"to {SCHEMA_VERSION})",
                version,
            )
        if isinstance(version, bool) or not isinstance(version, int):
            raise _error_at(
                "schema_version",
                f"{_show(version)} must be a whole number from {_OLDEST_VERSION} to "
                f"{SCHEMA_VERSION}",
                version,
            )
    if version > SCHEMA_VERSION:
        raise _error_at(
            "schema_version",
            f"this file was written by a newer cxcost (schema_version {version}); "
            f"this version reads up to {SCHEMA_VERSION}",
            version,
        )
    if version < _OLDEST_VERSION:
        raise _error_at(
            "schema_version",
            f"{version} is not a known version; allowed range {_OLDEST_VERSION} to "
            f"{SCHEMA_VERSION}",
            version,
        )
    if version < SCHEMA_VERSION:
        warnings.warn(
            f"scenario in an older format: {note}; it was updated to schema_version "
            f"{SCHEMA_VERSION} (save it again to keep the new format)",
            MigrationWarning,
            stacklevel=2,
        )
    while version < SCHEMA_VERSION:
        result = _MIGRATIONS[version](result)
        version += 1
    result["schema_version"] = SCHEMA_VERSION
    return result
