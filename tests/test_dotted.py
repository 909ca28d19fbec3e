"""cxcost.dotted: the one dotted-path reader and writer (issue 14: there were three)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxcost.dotted import get_path, is_index, set_path, split_path
from cxcost.presets import load_preset


def _leaf_paths(node: Any, prefix: str = "") -> list[str]:
    items: Iterable[tuple[object, Any]]
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return [prefix]
    return [p for key, value in items for p in _leaf_paths(value, f"{prefix}{key}.")] or [prefix]


@pytest.mark.parametrize("stem", ["us-ecommerce", "no-bank"])
def test_every_leaf_reads_the_same_from_the_model_and_its_dump(stem: str) -> None:
    scenario = load_preset(stem)
    data = scenario.model_dump()
    paths = [p.rstrip(".") for p in _leaf_paths(data) if p]
    assert len(paths) > 100
    for path in paths:
        if path.startswith("sources.") or ".sources." in path:
            # Keys are field paths (or, in translations, source texts) with dots of their own.
            continue
        assert get_path(data, path) == get_path(scenario, path), path


@given(st.floats(0, 20_000), st.integers(0, 2))
def test_set_then_get_gives_the_value_back(value: float, channel: int) -> None:
    data = load_preset("us-ecommerce").model_dump()
    path = f"channels.{channel}.representatives"
    set_path(data, path, value)
    assert get_path(data, path) == value
    assert data["channels"][channel]["representatives"] == value


def test_parts_and_indexes() -> None:
    assert split_path("channels.10.name") == ["channels", 10, "name"]
    assert is_index("12")
    assert not is_index("²")
    assert not is_index("1a")
    with pytest.raises(IndexError):
        set_path(load_preset("us-ecommerce").model_dump(), "channels.9.name", "x")
