"""Dotted field paths (``channels.0.representatives``): the one reader and writer.

A path names a field of a :class:`~cxcost.scenario.Scenario` the way the CLI's
``--set``, the app's widget keys, the ``sources`` table and the tests write it:
names separated by dots, list items by their index. Pure Python, no I/O.

Examples
--------
>>> data = {"channels": [{"representatives": 40.0}]}
>>> set_path(data, "channels.0.representatives", 41.0)
>>> get_path(data, "channels.0.representatives")
41.0
>>> split_path("channels.0.representatives")
['channels', 0, 'representatives']
"""

from __future__ import annotations

from typing import Any


def is_index(part: str) -> bool:
    """Whether a path part is a list index: ASCII digits only ('²' is a digit to
    ``str.isdigit`` but not to ``int``)."""
    return part.isascii() and part.isdigit()


def split_path(path: str) -> list[str | int]:
    """The parts of a dotted path, list indexes as ints."""
    return [int(part) if is_index(part) else part for part in path.split(".")]


def get_path(node: Any, path: str) -> Any:
    """The value at ``path`` in a pydantic model, or in its dumped dicts and lists."""
    for part in split_path(path):
        if isinstance(part, int) or isinstance(node, dict):
            node = node[part]
        else:
            node = getattr(node, part)
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at ``path`` in dumped scenario data (dicts and lists), in place.

    Raises
    ------
    KeyError, IndexError
        When the path does not exist (``--set`` reports such paths with a message
        of its own, in ``cxcost.presets.overrides``).
    """
    *parents, last = split_path(path)
    node: Any = data
    for part in parents:
        node = node[part]
    node[last] = value
