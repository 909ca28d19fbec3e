"""Preset files: the shipped ones (package data) and files on disk, read safely."""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final

from cxcost.presets.migrations import MigrationWarning
from cxcost.presets.parsing import MAX_BYTES, _too_large
from cxcost.presets.problems import ScenarioError, _cut, _error_at, _printable
from cxcost.presets.scenarios import scenario_from_json
from cxcost.scenario import Scenario

PRESETS_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "presets"
"""The shipped scenarios, package data of ``cxcost`` (``cxcost/data/presets/``)."""

DEFAULT_PRESET = "us-ecommerce"
"""File stem of the preset the app opens with."""


class PresetNameWarning(UserWarning):
    """A preset name is also the name of a file in the working folder; the preset was read."""


@dataclass(frozen=True)
class PresetEntry:
    """One file in a presets folder, as listed for a picker.

    Attributes
    ----------
    path : the JSON file
    stem : file name without ``.json``; what :func:`load_preset` accepts
    name, description : the scenario's own name and description (the stem and
        "" for a file that does not load)
    error : why the file does not load, one line per problem; None if it loads
    names : the name in other languages (the file's ``translations``), by language code
    """

    path: Path
    stem: str
    name: str
    description: str
    error: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)

    def name_in(self, language: str) -> str:
        """The name to show in ``language``: its translation, else the file's own name."""
        return self.names.get(language) or self.name


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES, read without blocking.

    A folder, a named pipe or a device is refused before it is opened for
    reading (a pipe would block the server until someone writes to it), and a
    file over the limit is refused by its size, unread. Messages name the file
    by its name, never by the server's path.
    """
    name = _printable(path.name or str(path))
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise _error_at("", _not_a_file(name, mode))
        # O_NONBLOCK: should a pipe replace the file after the check, open() does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _error_at("", f"no such file: {name}") from None
    except OSError as error:
        raise _error_at("", f"cannot read {name}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _error_at("", _not_a_file(name, info.st_mode))
        if info.st_size > MAX_BYTES:
            raise _too_large(name, info.st_size)
        try:
            data = handle.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:  # grew after the size check, or its size was not known
                size, complete = _measured_size(handle, len(data))
                raise _too_large(name, size, at_least=not complete)
        except OSError as error:
            raise _error_at("", f"cannot read {name}: {error.strerror or error}") from None
    return data


_MAX_MEASURED: Final = 64 * MAX_BYTES
"""Most bytes read to tell the size of a file whose size was not known in advance."""


def _measured_size(handle: BinaryIO, already_read: int) -> tuple[int, bool]:
    """The real size of a file found over the limit while reading, and whether it is exact.

    The size on disk is asked again (the file may have grown); a file that
    reports none (some special and network files say 0) is counted to its end,
    at most ``_MAX_MEASURED`` bytes, so that the message states the real size
    and not the bytes read before stopping (issue 13: a 2.9 MB file was "1.0 MiB").
    """
    on_disk = os.fstat(handle.fileno()).st_size
    if on_disk > already_read:
        return on_disk, True
    size = already_read
    while size <= _MAX_MEASURED:
        chunk = handle.read(MAX_BYTES)
        if not chunk:
            return size, True
        size += len(chunk)
    return size, False


def _not_a_file(name: str, mode: int) -> str:
    kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device)"
    return f"{name} is {kind}, not a scenario file"


def _looks_like_path(text: str) -> bool:
    """A name with a folder separator or ending in .json is a path; anything else a preset."""
    separators = [sep for sep in ("/", os.sep, os.altsep) if sep]
    return text.endswith(".json") or any(sep in text for sep in separators)


def _resolve(path_or_stem: str | Path) -> Path:
    """The file a preset name or a path means: shipped presets first, a path if it looks like one.

    A bare name (``us-ecommerce``) is always the shipped preset, even if a
    file of that name lies in the working folder; a PresetNameWarning says so.
    """
    if isinstance(path_or_stem, Path):
        return path_or_stem
    if "\0" in path_or_stem:
        raise ValueError("NUL in a file name")
    if _looks_like_path(path_or_stem):
        return Path(path_or_stem)
    preset = PRESETS_DIR / f"{path_or_stem}.json"
    local = Path(path_or_stem)
    if local.exists():
        if preset.is_file():
            warnings.warn(
                f"{path_or_stem!r} is read as the shipped preset, not as the file of that "
                f"name in the working folder (write ./{path_or_stem} to read the file)",
                PresetNameWarning,
                stacklevel=3,
            )
        else:
            raise _error_at(
                "",
                f"no preset named {path_or_stem!r}; to read the file of that name, "
                f"write ./{path_or_stem}",
            )
    return preset


def load_preset(path_or_stem: str | Path) -> Scenario:
    """Load a shipped preset by name (``"us-ecommerce"``) or a scenario file by path.

    A string is a path when it has a folder separator or ends in ``.json``;
    otherwise it names a preset in ``PRESETS_DIR``, even if a file of that name
    lies in the working folder (a :class:`PresetNameWarning` says which was read).

    Parameters
    ----------
    path_or_stem : a path to a JSON file, or the stem of a file in ``PRESETS_DIR``

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The file is missing, not a regular file, over ``MAX_BYTES`` or
        unreadable, or its content is not a valid scenario.

    Warns
    -----
    PresetNameWarning
        A bare name matched both a shipped preset and a file in the working folder.

    Examples
    --------
    >>> load_preset(DEFAULT_PRESET).business.currency
    'USD'
    """
    try:
        path = _resolve(path_or_stem)
        exists = path.exists()
    except (OSError, ValueError) as error:  # e.g. a NUL character or an over-long name
        if isinstance(error, ScenarioError):
            raise
        shown = _cut(_printable(str(path_or_stem)))
        raise _error_at("", f"{shown!r} is not a usable file name") from None
    if not exists and path.parent == PRESETS_DIR and not isinstance(path_or_stem, Path):
        stems = ", ".join(entry.stem for entry in list_presets() if entry.error is None)
        shown = _cut(_printable(str(path_or_stem)))
        raise _error_at("", f"no preset or file named {shown!r}; presets: {stems or 'none'}")
    return scenario_from_json(_read_file(path), source="file")


def list_presets(directory: Path = PRESETS_DIR) -> list[PresetEntry]:
    """Every regular ``*.json`` file in a folder, the default first, then by name.

    A file that does not load is listed with its ``error`` instead of being
    skipped, so one corrupted file does not hide the others. Folders, named
    pipes and devices are skipped without being opened.

    Parameters
    ----------
    directory : the folder to list (default: the shipped presets)

    Returns
    -------
    list of PresetEntry
    """
    entries: list[PresetEntry] = []
    for path in sorted(directory.glob("*.json")):
        try:
            # Not opened: a folder or a named pipe called *.json is no preset.
            if not stat.S_ISREG(path.stat().st_mode):
                continue
        except OSError:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MigrationWarning)
                scenario = load_preset(path)
        except ScenarioError as error:
            entries.append(PresetEntry(path, path.stem, path.stem, "", str(error)))
        else:
            names = {
                language: text.name for language, text in scenario.translations.items() if text.name
            }
            entries.append(
                PresetEntry(path, path.stem, scenario.name, scenario.description, names=names)
            )
    entries.sort(key=lambda e: (e.stem != DEFAULT_PRESET, e.name.casefold(), e.stem))
    return entries
