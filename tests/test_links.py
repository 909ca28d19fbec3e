"""Tests for share links (cxcost.presets.encode_link / decode_link / share_url).

Also the Hypothesis round trips: a generated scenario survives both the link
and the file format exactly.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import MAX_CHANNELS, scenarios

from cxcost.evaluate import evaluate
from cxcost.presets import (
    LINK_PARAM,
    MAX_BYTES,
    MAX_LINK_CHARS,
    PRESETS_DIR,
    SAFE_LINK_LENGTH,
    SCHEMA_VERSION,
    ScenarioError,
    ScenarioPair,
    decode_link,
    decode_link_pair,
    encode_link,
    link_pair,
    link_scenario,
    load_preset,
    pair_from_json,
    scenario_from_json,
    scenario_to_json,
    share_url,
    track_sources,
)
from cxcost.scenario import Scenario

PRESET_STEMS = sorted(path.stem for path in PRESETS_DIR.glob("*.json"))


def _pack(payload: bytes, version: int = SCHEMA_VERSION) -> str:
    """A token built by hand, for payloads encode_link would never make."""
    body = base64.urlsafe_b64encode(zlib.compress(payload, 9)).rstrip(b"=").decode()
    return f"{version}.{body}"


# ---------------------------------------------------------------------------
# Presets


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_preset_survives_a_link_and_the_link_is_short(
    stem: str, record_property: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = load_preset(stem)
    url = share_url(scenario)
    with capsys.disabled():
        print(f"\n  share link for {stem}: {len(url)} characters (safe limit {SAFE_LINK_LENGTH})")
    record_property("link_length", len(url))
    assert len(url) < SAFE_LINK_LENGTH
    token = parse_qs(urlsplit(url).query)[LINK_PARAM][0]
    restored = decode_link(token)
    assert restored == link_scenario(scenario)
    assert evaluate(restored) == evaluate(scenario)


def _proposal(baseline: Scenario) -> Scenario:
    """A consultant's proposal on a preset: renamed, for a client, more staff, more training."""
    data = baseline.model_dump()
    data["name"] = "Proposal: shorter queues in 2027"
    data["client"] = "ACME Retail"
    data["channels"][0]["representatives"] += 4
    data["training"]["hours_per_rep_per_year"] += 12
    edited = Scenario.model_validate(data)
    return track_sources(edited, [baseline], {}, date(2026, 12, 5))


@pytest.mark.parametrize("stem", PRESET_STEMS)
def test_a_link_carries_the_baseline_within_the_safe_length(
    stem: str, record_property: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = load_preset(stem)
    proposal = _proposal(baseline)
    alone, paired = share_url(proposal), share_url(proposal, baseline=baseline)
    with capsys.disabled():
        print(f"\n  link for {stem}: {len(alone)} characters, {len(paired)} with its baseline")
    record_property("link_length_with_baseline", len(paired))
    # zlib packs the repeated scenario into back-references: the baseline costs
    # under 200 characters. Near SAFE_LINK_LENGTH the app says so and offers the file.
    assert len(paired) - len(alone) < 200
    assert len(paired) < MAX_LINK_CHARS
    token = parse_qs(urlsplit(paired).query)[LINK_PARAM][0]
    carried = link_pair(proposal, baseline)
    assert decode_link_pair(token) == ScenarioPair(*carried)
    assert decode_link(token) == carried[0]
    # Only translated sources may stay behind: every number and own text travels.
    assert carried[0].model_dump(exclude={"translations"}) == proposal.model_dump(
        exclude={"translations"}
    )
    old = parse_qs(urlsplit(alone).query)[LINK_PARAM][0]
    assert decode_link_pair(old) == ScenarioPair(link_scenario(proposal), None)


def test_a_file_carries_the_baseline_and_an_older_file_still_opens() -> None:
    baseline = load_preset("us-ecommerce")
    proposal = _proposal(baseline)
    text = scenario_to_json(proposal, baseline)
    assert json.loads(text)["baseline"]["name"] == baseline.name
    assert pair_from_json(text) == ScenarioPair(proposal, baseline)
    assert scenario_from_json(text) == proposal
    assert pair_from_json(scenario_to_json(proposal)) == ScenarioPair(proposal, None)
    preset_file = (PRESETS_DIR / "us-ecommerce.json").read_bytes()
    assert pair_from_json(preset_file) == ScenarioPair(baseline, None)


def test_a_bad_baseline_is_named_as_the_baseline() -> None:
    data = json.loads(scenario_to_json(Scenario(), Scenario(name="Base")))
    data["baseline"]["business"]["customers"] = -5
    data["business"]["customers"] = 0
    with pytest.raises(ScenarioError) as error:
        pair_from_json(json.dumps(data))
    paths = [problem.path for problem in error.value.problems]
    assert paths == ["business.customers", "baseline.business.customers"]
    with pytest.raises(ScenarioError, match="baseline: must be an object"):
        pair_from_json('{"schema_version": 3, "baseline": [1, 2]}')


def test_token_is_url_safe_and_carries_the_version() -> None:
    token = encode_link(load_preset("no-bank"))
    assert re.fullmatch(rf"{SCHEMA_VERSION}\.[A-Za-z0-9_-]+", token)
    assert "=" not in token
    assert "+" not in token


def test_encoding_is_deterministic() -> None:
    scenario = load_preset("utility")
    assert encode_link(scenario) == encode_link(scenario.model_copy(deep=True))


def test_share_url_keeps_other_parameters_and_replaces_an_old_scenario() -> None:
    scenario = load_preset("b2b-software")
    url = share_url(scenario, "https://cx.example.com/app?lang=nb&s=old")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "cx.example.com", "/app")
    query = parse_qs(parts.query)
    assert query["lang"] == ["nb"]
    assert len(query[LINK_PARAM]) == 1
    assert decode_link(query[LINK_PARAM][0]) == link_scenario(scenario)
    assert share_url(scenario).startswith(f"http://localhost:8501/?{LINK_PARAM}=")


def test_a_link_with_surrounding_whitespace_still_opens() -> None:
    scenario = Scenario()
    assert decode_link(f"  {encode_link(scenario)}\n") == scenario


def test_constants() -> None:
    assert LINK_PARAM == "s"
    assert SAFE_LINK_LENGTH == 2000


# ---------------------------------------------------------------------------
# Damaged, foreign and hostile links


def _damaged_cases() -> list[Any]:
    token = encode_link(load_preset("us-ecommerce"))
    version, body = token.split(".", 1)
    middle = len(body) // 2
    flipped = body[:middle] + ("A" if body[middle] != "A" else "B") + body[middle + 1 :]
    return [
        pytest.param("", "this link holds no scenario", id="empty"),
        pytest.param("   ", "this link holds no scenario", id="blank"),
        pytest.param(token[: len(token) // 2], "damaged or incomplete", id="truncated-half"),
        pytest.param(token[:-7], "damaged or incomplete", id="truncated-end"),
        pytest.param(f"{version}.{flipped}", "damaged or incomplete", id="tampered"),
        pytest.param(f"{version}.{body[:20]}", "damaged or incomplete", id="short"),
        pytest.param(f"{version}.", "damaged or incomplete", id="no-body"),
        pytest.param(f"{version}.{body}A", "damaged or incomplete", id="bad-padding"),
        pytest.param(f"0.{body}", "damaged or incomplete", id="version-zero"),
        pytest.param(token.replace("-", "+").replace("_", "/") + "+/",
                     "does not hold a cxcost scenario", id="standard-base64"),
        pytest.param("hello world", "does not hold a cxcost scenario", id="foreign-text"),
        pytest.param("https://example.com/?s=2.abc", "does not hold a cxcost scenario",
                     id="a-whole-url"),
        pytest.param(body, "does not hold a cxcost scenario", id="no-version"),
        pytest.param(f"4.{body}", "this link was made by a newer cxcost (schema_version 4)",
                     id="newer"),
        pytest.param(f"999999.{body}", "newer cxcost", id="much-newer"),
        pytest.param("2.%%%%", "does not hold a cxcost scenario", id="percent-signs"),
    ]  # fmt: skip


@pytest.mark.parametrize(("token", "message"), _damaged_cases())
def test_damaged_or_foreign_links_say_so(token: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        decode_link(token)


@pytest.mark.parametrize(
    ("payload", "path", "message"),
    [
        (b"[1, 2, 3]", "", "the link must hold one JSON object"),
        (b"{not json", "", "the link is not valid JSON"),
        (b'\xff\xfe', "", "the link is not UTF-8 text"),
        (b'{"schema_version": 3, "business": {"gross_margin": 9}}', "business.gross_margin",
         "9 is above the maximum 1"),
        (b'{"schema_version": 3, "business": {"gross_margin": NaN}}', "business.gross_margin",
         "NaN is not a finite number"),
        (b'{"schema_version": 3, "evil": "<script>"}', "evil", "unknown field"),
        (b'{"schema_version": 3, "uncertainty": {"rude_churn": {"low": 0.05, "high": 0.3}}}',
         "uncertainty.rude_churn.low", "multiplier around the scenario's own value"),
        (b"[" * 5000 + b"]" * 5000, "", "levels deep"),
        (b'{"schema_version": 1}', "", "damaged or incomplete"),
    ],
)  # fmt: skip
def test_link_payload_problems_name_the_field(payload: bytes, path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        decode_link(_pack(payload))
    assert any(p.path == path and message in p.message for p in caught.value.problems), (
        caught.value.problems
    )


def test_a_zip_bomb_stops_at_the_output_cap() -> None:
    bomb = b'{"description": "' + b" " * (16 * 1024 * 1024) + b'"}'
    token = _pack(bomb)
    assert len(token) < MAX_LINK_CHARS
    with pytest.raises(ScenarioError, match="unpacks to more than 1 MiB"):
        decode_link(token)


def test_payload_just_under_the_cap_is_read() -> None:
    payload = b'{"schema_version": 3' + b" " * (MAX_BYTES - 100) + b"}"
    assert decode_link(_pack(payload)) == Scenario()


def test_an_absurdly_long_link_is_refused_unread() -> None:
    with pytest.raises(ScenarioError, match="characters long"):
        decode_link("2." + "A" * 1_000_000)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_edit_of_a_link_gives_a_scenario_or_a_clear_error(data: st.DataObject) -> None:
    token = encode_link(load_preset(data.draw(st.sampled_from(PRESET_STEMS))))
    position = data.draw(st.integers(0, len(token) - 1))
    edit = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
    char = data.draw(st.sampled_from("AZaz09-_.=+/% "))
    tampered = {
        "replace": token[:position] + char + token[position + 1 :],
        "delete": token[:position] + token[position + 1 :],
        "insert": token[:position] + char + token[position:],
        "truncate": token[:position],
    }[edit]
    try:
        decode_link(tampered)
    except ScenarioError as error:
        message = str(error)
    else:
        return
    assert message.strip()


# ---------------------------------------------------------------------------
# Hypothesis: generated scenarios survive the link and the file exactly


_fast = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(scenarios(max_channels=MAX_CHANNELS, full_range=True))
def test_generated_scenario_survives_a_link(scenario: Scenario) -> None:
    assert decode_link(encode_link(scenario)) == scenario


@_fast
@given(scenarios(max_channels=MAX_CHANNELS, full_range=True))
def test_generated_scenario_survives_a_file(scenario: Scenario) -> None:
    text = scenario_to_json(scenario)
    assert scenario_from_json(text) == scenario
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_a_link_carries_translated_names_but_not_translated_sources() -> None:
    scenario = load_preset("b2b-software")
    assert scenario.translations["nb"].sources
    restored = decode_link(encode_link(scenario))
    assert restored.translations["nb"].name == scenario.translations["nb"].name
    assert restored.translations["nb"].channels == scenario.translations["nb"].channels
    assert restored.translations["nb"].sources == {}
    assert restored.sources == scenario.sources
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


def test_markup_in_names_is_kept_as_plain_text() -> None:
    hostile = load_preset("utility").model_copy(
        update={"name": "<img src=x onerror=alert(1)>", "description": "</script>&amp;"}
    )
    restored = decode_link(encode_link(hostile))
    assert restored.name == "<img src=x onerror=alert(1)>"
    assert restored.description == "</script>&amp;"
