"""Fuzzing the three doors garbage can come through: preset files, share links, --set values.

Every bad input must come back as a :class:`~cxcost.presets.ScenarioError` (or, on
the command line, exit status 2 with one plain line per problem) that names the
field when there is one, never as another exception type or a traceback, and
must leave the scenario it was applied to untouched. The size and nesting caps
(``MAX_BYTES``, ``MAX_DEPTH``) are checked at their edges.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxcost import cli
from cxcost.presets import (
    DEFAULT_PRESET,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_LINK_CHARS,
    PRESETS_DIR,
    MigrationWarning,
    ScenarioError,
    apply_overrides,
    decode_link,
    encode_link,
    link_scenario,
    load_preset,
    scenario_from_json,
    scenario_to_json,
)
from cxcost.scenario import SCHEMA_VERSION, Scenario

ROOT = Path(__file__).resolve().parent.parent
TEN_MB = 10 * 1024 * 1024
DEEP = 100_000
# Bad input is refused after bounded work: CPU time of this process (not wall time, which
# a busy machine stretches), far above the ~0.1 s a refusal takes and far below the
# seconds the unbounded readers took (issue 15: 2 to 19 s). Speed bars are benchmarks/'.
BOUNDED_CPU_SECONDS = 5.0
# A message a manager can read: short lines, no Python internals.
MAX_LINE = 300
INTERNALS = (
    "Traceback",
    "pydantic.dev",
    "input_value=",
    "input_type=",
    "RecursionError",
    "  File ",
)


def _preset_text() -> str:
    return (PRESETS_DIR / f"{DEFAULT_PRESET}.json").read_text(encoding="utf-8")


def _with(path: str, value: str) -> str:
    """A scenario document (JSON text) whose field at a dotted path holds raw JSON ``value``."""
    marker = "__FUZZ_VALUE__"
    data: Any = {"schema_version": SCHEMA_VERSION}
    node = data
    parts = path.split(".")
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        if part.isdigit():
            continue  # the list item was made with its list
        if following is None:
            node[part] = marker
        elif following.isdigit():
            node[part] = [{}]
            node = node[part][0]
        else:
            node[part] = {}
            node = node[part]
    return json.dumps(data).replace(json.dumps(marker), value)


# (id, file content, field path the error must name or "" for a whole-file problem,
#  a fragment the message must contain)
BAD_FILES: list[tuple[str, str | bytes, str, str]] = [
    ("truncated", _preset_text()[: len(_preset_text()) // 2], "", "not valid JSON"),
    ("truncated-string", '{"name": "Acme', "", "not valid JSON"),
    ("trailing-comma", '{"business": {"customers": 5,}}', "", "not valid JSON"),
    ("single-quotes", "{'name': 'x'}", "", "not valid JSON"),
    ("comment", '{"name": "x"} // note', "", "not valid JSON"),
    ("empty", "", "", "empty"),
    ("whitespace", " \n\t ", "", "empty"),
    ("bom-only", "\ufeff", "", "empty"),
    ("not-utf8", b"\xff\xfe{\x00}\x00", "", "UTF-8"),
    ("binary", bytes(range(256)), "", "UTF-8"),
    ("list", "[1, 2, 3]", "", "one JSON object"),
    ("null", "null", "", "one JSON object"),
    ("number", "42", "", "one JSON object"),
    ("string", '"scenario"', "", "one JSON object"),
    ("huge-10mb-text", '{"description": "' + "x" * TEN_MB + '"}', "", "MiB"),
    ("huge-10mb-spaces", " " * TEN_MB + "{}", "", "MiB"),
    ("deep-lists", "[" * DEEP + "]" * DEEP, "", "levels deep"),
    ("deep-objects", '{"a":' * DEEP + "1" + "}" * DEEP, "", "levels deep"),
    ("deep-in-field", _with("business.customers", "[" * DEEP + "]" * DEEP), "", "levels deep"),
    ("unclosed-deep", "[" * DEEP, "", "levels deep"),
    ("nan", _with("business.gross_margin", "NaN"), "business.gross_margin", "not a finite"),
    ("infinity", _with("staffing.shrinkage", "Infinity"), "staffing.shrinkage", "finite"),
    (
        "minus-infinity",
        _with("channels.0.representatives", "-Infinity"),
        "channels.0.representatives",
        "finite",
    ),
    (
        "overflow-float",
        _with("business.revenue_per_customer", "1e999"),
        "business.revenue_per_customer",
        "too large",
    ),
    (
        "overflow-int",
        _with("business.customers", "1" + "0" * 5000),
        "business.customers",
        "too large",
    ),
    (
        "text-for-number",
        _with("business.customers", '"many"'),
        "business.customers",
        "whole number",
    ),
    (
        "bool-for-number",
        _with("staffing.shrinkage", "true"),
        "staffing.shrinkage",
        "must be a number",
    ),
    ("null-for-number", _with("staffing.salary_per_year", "null"), "staffing.salary_per_year", ""),
    ("float-for-int", _with("business.customers", "1.5"), "business.customers", "whole number"),
    ("list-for-section", _with("business", "[]"), "business", "object"),
    ("object-for-list", _with("channels", '{"0": {}}'), "channels", "list"),
    ("number-for-channel", _with("channels", "[1]"), "channels.0", "object"),
    ("number-for-text", _with("name", "5"), "name", "text"),
    ("list-for-sources", _with("sources", "[]"), "sources", "object"),
    (
        "text-for-profile",
        _with("demand.arrival_profile", '"flat"'),
        "demand.arrival_profile",
        "list",
    ),
    ("short-profile", _with("demand.arrival_profile", "[1, 2]"), "demand.arrival_profile", "168"),
    (
        "out-of-range",
        _with("business.gross_margin", "1.5"),
        "business.gross_margin",
        "allowed range",
    ),
    ("negative", _with("business.customers", "-5"), "business.customers", "minimum"),
    ("bad-enum", _with("channels.0.kind", '"fax"'), "channels.0.kind", "phone"),
    ("bad-currency", _with("business.currency", '"$$$"'), "business.currency", "ISO 4217"),
    ("long-name", _with("name", json.dumps("n" * 100_000)), "name", "characters"),
    (
        "too-many-channels",
        _with("channels", "[" + ",".join(["{}"] * 1000) + "]"),
        "channels",
        "items",
    ),
    ("no-channels", _with("channels", "[]"), "channels", "items"),
    ("unknown-top", '{"schema_version": 3, "foo": 1}', "foo", "unknown field"),
    ("unknown-typo", _with("business.custmers", "5"), "business.custmers", "did you mean"),
    ("unknown-in-channel", _with("channels.0.reps", "4"), "channels.0.reps", "unknown field"),
    (
        "unknown-unicode",
        '{"schema_version": 3, "\u00e6\u00f8\u00e5": 1}',
        "\u00e6\u00f8\u00e5",
        "unknown field",
    ),
    ("shares-do-not-add-up", _with("channels.0.share_of_contacts", "0.5"), "channels", "100 %"),
    (
        "floor-above-untrained",
        _with("quality.rude_share_floor", "0.9"),
        "quality.rude_share_floor",
        "must not exceed",
    ),
    (
        "range-reversed",
        _with("uncertainty.rude_churn", '{"low": 0.5, "high": 0.1}'),
        "uncertainty.rude_churn.low",
        "multiplier around the scenario's own value",
    ),
    ("version-text", '{"schema_version": "2"}', "schema_version", "whole number"),
    ("version-newer", '{"schema_version": 99}', "schema_version", "newer"),
    ("version-huge", '{"schema_version": 99999999999999999999}', "schema_version", "newer"),
    ("version-zero", '{"schema_version": 0}', "schema_version", "version"),
    ("version-bool", '{"schema_version": true}', "schema_version", "whole number"),
    ("lone-surrogate", '{"schema_version": 3, "name": "\\ud800"}', "name", ""),
]


def _assert_plain(error: ScenarioError, path: str, fragment: str) -> None:
    """Every problem in plain words; the expected field named; nothing from Python's insides."""
    assert error.problems, "a ScenarioError without problems"
    text = str(error)
    for line in text.splitlines():
        assert line.strip(), f"empty line in {text!r}"
        assert len(line) <= MAX_LINE, f"a {len(line)}-character line: {line[:120]}..."
    for internal in INTERNALS:
        assert internal not in text, f"{internal!r} in {text!r}"
    paths = [p.path for p in error.problems]
    assert path in paths, f"no problem at {path!r}; problems at {paths}: {text}"
    assert fragment in text, f"{fragment!r} not in {text!r}"


def _raises_scenario_error(call: Callable[[], object]) -> ScenarioError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MigrationWarning)
        with pytest.raises(ScenarioError) as info:
            call()
    return info.value


@pytest.mark.parametrize(
    ("content", "path", "fragment"),
    [pytest.param(c, p, f, id=i) for i, c, p, f in BAD_FILES],
)
def test_bad_file_gives_a_plain_error(content: str | bytes, path: str, fragment: str) -> None:
    started = time.process_time()
    error = _raises_scenario_error(lambda: scenario_from_json(content, source="upload"))
    assert time.process_time() - started < BOUNDED_CPU_SECONDS
    _assert_plain(error, path, fragment)
    if isinstance(content, str):
        error = _raises_scenario_error(lambda: scenario_from_json(content.encode("utf-8")))
        _assert_plain(error, path, fragment)


@pytest.fixture(scope="module")
def bad_file_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-presets")
    for name, content, _, _ in BAD_FILES:
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        (folder / f"{name}.json").write_bytes(data)
    return folder


@pytest.mark.parametrize(
    ("name", "path", "fragment"),
    [pytest.param(i, p, f, id=i) for i, _, p, f in BAD_FILES],
)
def test_bad_preset_file_gives_a_plain_error(
    bad_file_dir: Path, name: str, path: str, fragment: str
) -> None:
    error = _raises_scenario_error(lambda: load_preset(bad_file_dir / f"{name}.json"))
    _assert_plain(error, path, fragment)


def test_cli_validate_reports_every_bad_file_on_one_line_each(
    bad_file_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(bad_file_dir / f"{name}.json") for name, *_ in BAD_FILES]
    good = str(PRESETS_DIR / f"{DEFAULT_PRESET}.json")
    status = cli.main(["validate", good, *files])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{good}: ok" in out
    for internal in INTERNALS:
        assert internal not in err
    lines = err.splitlines()
    for (name, _, path, _), file in zip(BAD_FILES, files, strict=True):
        mine = [line for line in lines if line.startswith(f"{file}: ")]
        assert mine, f"no line for {name}"
        assert any(path in line for line in mine), f"{name}: {path!r} not named in {mine}"


def test_cli_validate_as_a_process_prints_no_traceback(bad_file_dir: Path) -> None:
    files = sorted(str(p) for p in bad_file_dir.glob("*.json"))
    run = subprocess.run(
        [sys.executable, "-m", "cxcost", "validate", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert len(run.stderr.splitlines()) >= len(files)


def test_load_preset_reads_at_most_the_cap_of_a_huge_file(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MiB of zero bytes, no disk used
    started = time.process_time()
    error = _raises_scenario_error(lambda: load_preset(huge))
    assert time.process_time() - started < BOUNDED_CPU_SECONDS
    assert "MiB" in str(error)


# ---------------------------------------------------------------------------
# Caps at their edges


def _padded(size: int) -> bytes:
    """A valid scenario file of exactly ``size`` bytes (JSON whitespace padding)."""
    text = scenario_to_json(load_preset(DEFAULT_PRESET)).encode("utf-8")
    assert len(text) <= size
    return text + b" " * (size - len(text))


def test_file_of_exactly_max_bytes_loads_and_one_more_is_refused() -> None:
    assert 64 * 1024 <= MAX_BYTES <= 2 * 1024 * 1024
    expected = load_preset(DEFAULT_PRESET)
    assert scenario_from_json(_padded(MAX_BYTES)) == expected
    error = _raises_scenario_error(lambda: scenario_from_json(_padded(MAX_BYTES + 1)))
    _assert_plain(error, "", "MiB")


def _nested(levels: int) -> str:
    """A scenario whose ``sources`` value nests lists ``levels`` deep in total."""
    return (
        '{"schema_version": 3, "sources": {"x": ' + "[" * (levels - 2) + "]" * (levels - 2) + "}}"
    )


def test_nesting_up_to_max_depth_is_parsed_and_one_more_is_refused() -> None:
    assert 4 <= MAX_DEPTH <= 64
    at_cap = _raises_scenario_error(lambda: scenario_from_json(_nested(MAX_DEPTH)))
    # Parsed: the problem is the field's type, not the nesting.
    _assert_plain(at_cap, "sources.x", "text")
    too_deep = _raises_scenario_error(lambda: scenario_from_json(_nested(MAX_DEPTH + 1)))
    _assert_plain(too_deep, "", "levels deep")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = _with("description", json.dumps("[" * 500 + "{" * 500))
    assert scenario_from_json(text).description.startswith("[[[")


# ---------------------------------------------------------------------------
# --set values


def _base() -> Scenario:
    return load_preset(DEFAULT_PRESET)


BAD_SETS: list[tuple[str, str, str]] = [
    ("business.customers=NaN", "business.customers", "not a finite"),
    ("business.customers=Infinity", "business.customers", "not a finite"),
    ("channels.0.representatives=-Infinity", "channels.0.representatives", "not a finite"),
    ("business.revenue_per_customer=1e999", "business.revenue_per_customer", "too large"),
    ("business.customers=" + "9" * 100_000, "business.customers", "too large"),
    ("business.customers=abc", "business.customers", "whole number"),
    ("business.customers=1.5", "business.customers", "whole number"),
    ("business.customers=" + "[" * DEEP, "business.customers", "whole number"),
    ("business.customers=" + "[" * DEEP + "]" * DEEP, "business.customers", "whole number"),
    ('business.customers={"a": 1}', "business.customers", "whole number"),
    ("business.customers=" + "1" * TEN_MB, "business.customers", "too large"),
    ("name=" + "x" * TEN_MB, "name", "characters"),
    ("channels.0.representatives=true", "channels.0.representatives", "must be a number"),
    ("staffing.shrinkage=0.9999", "staffing.shrinkage", "maximum"),
    ("business.currency=$$$", "business.currency", "ISO 4217"),
    ("channels.0.kind=fax", "channels.0.kind", "phone"),
    ("channels=[]", "channels", "items"),
    ("channels=null", "channels", "list"),
    ("business=5", "business", "object"),
    ("demand.arrival_profile=[1]", "demand.arrival_profile", "168"),
    ("demand.arrival_profile.3=NaN", "demand.arrival_profile.3", "finite"),
    ("business.custmers=5", "business.custmers", "did you mean"),
    ("channels.9.representatives=3", "channels.9", "no item 9"),
    ("channels.-1.representatives=3", "channels.-1", "no item"),
    ("demand.arrival_profile.999=1", "demand.arrival_profile.999", "no item"),
    ("business.customers.x=1", "business.customers.x", "single value"),
    ("business..customers=1", "business..customers", "not a field path"),
    ("business.customers", "business.customers", "path=value"),
    ("schema_version=3", "schema_version", "cannot be changed"),
    ("quality.rude_share_floor=0.99", "quality.rude_share_floor", "must not exceed"),
]


@pytest.mark.parametrize(("assignment", "path", "fragment"), BAD_SETS, ids=lambda v: str(v)[:40])
def test_bad_set_value_gives_a_plain_error_and_changes_nothing(
    assignment: str, path: str, fragment: str
) -> None:
    base = _base()
    before = base.model_dump()
    started = time.process_time()
    error = _raises_scenario_error(lambda: apply_overrides(base, [assignment]))
    assert time.process_time() - started < BOUNDED_CPU_SECONDS
    _assert_plain(error, path, fragment)
    assert base.model_dump() == before


def test_many_bad_set_values_are_all_reported_at_once() -> None:
    base = _base()
    before = base.model_dump()
    # Assignments to different fields that do not replace each other's sections.
    chosen = [
        (a, p)
        for a, p, _ in BAD_SETS
        if len(a) < 200 and not a.startswith(("channels=", "business=", "demand.arrival_profile="))
    ]
    error = _raises_scenario_error(lambda: apply_overrides(base, [a for a, _ in chosen]))
    paths = {p.path for p in error.problems}
    for assignment, path in chosen:
        assert path in paths, f"--set {assignment} not reported; problems at {sorted(paths)}"
    assert base.model_dump() == before


def test_cli_evaluate_with_bad_set_values_exits_2_with_one_line_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chosen = [
        ("business.customers=NaN", "business.customers"),
        ("channels.0.representatives=-Infinity", "channels.0.representatives"),
        ("staffing.shrinkage=0.9999", "staffing.shrinkage"),
        ("business.custmers=5", "business.custmers"),
        ("channels.9.representatives=3", "channels.9"),
        ("channels.1.kind=fax", "channels.1.kind"),
        ("demand.arrival_profile.3=NaN", "demand.arrival_profile.3"),
    ]
    argv = ["evaluate", DEFAULT_PRESET]
    for assignment, _ in chosen:
        argv += ["--set", assignment]
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    for internal in INTERNALS:
        assert internal not in err
    lines = err.splitlines()
    for assignment, path in chosen:
        assert any(path in line for line in lines), f"{path} not named for --set {assignment}"


def test_cli_evaluate_as_a_process_prints_no_traceback() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cxcost",
            "evaluate",
            DEFAULT_PRESET,
            "--set",
            "business.customers=NaN",
            "--set",
            "channels.7.representatives=3",
            "--set",
            "business.custmers=5",
            "--set",
            "name=" + "[" * 50_000,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    for path in ("business.customers", "channels.7", "business.custmers"):
        assert path in run.stderr


# ---------------------------------------------------------------------------
# Share links


def _token(raw: bytes, version: str = str(SCHEMA_VERSION)) -> str:
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")
    return f"{version}.{packed}"


GOOD_TOKEN = encode_link(load_preset(DEFAULT_PRESET))

BAD_LINKS: list[tuple[str, str, str, str]] = [
    ("empty", "", "", "no scenario"),
    ("blank", "   ", "", "no scenario"),
    ("foreign", "hello-world", "", "does not hold a cxcost scenario"),
    ("truncated", GOOD_TOKEN[: len(GOOD_TOKEN) // 2], "", "damaged"),
    ("one-char-short", GOOD_TOKEN[:-1], "", ""),
    (
        "tampered",
        GOOD_TOKEN[:12] + ("A" if GOOD_TOKEN[12] != "A" else "B") + GOOD_TOKEN[13:],
        "",
        "",
    ),
    ("extra-tail", GOOD_TOKEN + "AAAA", "", "damaged"),
    ("padding", GOOD_TOKEN + "==", "", "does not hold"),
    ("space", GOOD_TOKEN[:5] + " " + GOOD_TOKEN[5:], "", "does not hold"),
    ("newer-version", "9" + GOOD_TOKEN[1:], "", "newer"),
    ("version-zero", "0" + GOOD_TOKEN[1:], "", "damaged"),
    ("no-body", f"{SCHEMA_VERSION}.", "", "damaged"),
    ("huge-10mb", f"{SCHEMA_VERSION}." + "A" * TEN_MB, "", f"{MAX_LINK_CHARS:,}"),
    ("over-the-cap", f"{SCHEMA_VERSION}." + "A" * (MAX_LINK_CHARS + 100_000), "", "characters"),
    ("zip-bomb", _token(b" " * (16 * 1024 * 1024)), "", "MiB"),
    ("deep", _token(b"[" * DEEP + b"]" * DEEP), "", "levels deep"),
    ("not-utf8", _token(b"\xff\xfe\x00"), "", "UTF-8"),
    ("list", _token(b"[]"), "", "one JSON object"),
    ("not-json", _token(b"{nope"), "", "not valid JSON"),
    (
        "nan",
        _token(b'{"schema_version":3,"business":{"gross_margin":NaN}}'),
        "business.gross_margin",
        "finite",
    ),
    ("unknown", _token(b'{"schema_version":3,"bussiness":{}}'), "bussiness", "business"),
    ("wrong-type", _token(b'{"schema_version":3,"channels":"all"}'), "channels", "list"),
    ("version-mismatch", _token(b'{"schema_version":1}'), "", "damaged"),
    (
        "out-of-range",
        _token(b'{"schema_version":3,"staffing":{"shrinkage":5}}'),
        "staffing.shrinkage",
        "maximum",
    ),
]


@pytest.mark.parametrize(
    ("token", "path", "fragment"), [pytest.param(t, p, f, id=i) for i, t, p, f in BAD_LINKS]
)
def test_bad_link_gives_a_plain_error(token: str, path: str, fragment: str) -> None:
    started = time.process_time()
    error = _raises_scenario_error(lambda: decode_link(token))
    assert time.process_time() - started < BOUNDED_CPU_SECONDS
    _assert_plain(error, path, fragment)


def test_good_link_still_decodes() -> None:
    assert decode_link(GOOD_TOKEN) == link_scenario(load_preset(DEFAULT_PRESET))


# ---------------------------------------------------------------------------
# Random input: only ScenarioError may come out


_fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _only_scenario_errors(call: Callable[[], object]) -> None:
    """The call gives a Scenario or a ScenarioError with problems; anything else fails."""
    problems = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MigrationWarning)
        try:
            result = call()
        except ScenarioError as error:
            problems = error.problems
    if problems is None:
        assert isinstance(result, Scenario)
    else:
        assert problems
        assert all(str(p).strip() for p in problems)


@_fuzz
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_file(data: bytes) -> None:
    _only_scenario_errors(lambda: scenario_from_json(data))


@_fuzz
@given(st.text(max_size=2000))
def test_random_text_as_a_file(text: str) -> None:
    _only_scenario_errors(lambda: scenario_from_json(text))


@_fuzz
@given(st.text(max_size=500) | st.from_regex(r"\A[0-9]{1,3}\.[A-Za-z0-9_-]{0,300}\Z"))
def test_random_text_as_a_link(token: str) -> None:
    _only_scenario_errors(lambda: decode_link(token))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=30,
)


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict) and value:
        return [p for key, item in value.items() for p in _leaf_paths(item, (*path, key))]
    if isinstance(value, list) and value:
        return [p for index, item in enumerate(value) for p in _leaf_paths(item, (*path, index))]
    return [path]


PRESET_DATA = json.loads(_preset_text())
PRESET_LEAVES = _leaf_paths(PRESET_DATA)


@st.composite
def mutated_presets(draw: st.DrawFn) -> dict[str, Any]:
    """The default preset with one to three leaves replaced by random JSON values."""
    data: dict[str, Any] = json.loads(json.dumps(PRESET_DATA))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PRESET_LEAVES))
        node = data
        for part in path[:-1]:
            node = node[part]
        if path:
            node[path[-1]] = draw(json_values)
    return data


@_fuzz
@given(json_values)
def test_random_json_as_a_file_and_a_link(value: Any) -> None:
    text = json.dumps(value)
    _only_scenario_errors(lambda: scenario_from_json(text))
    _only_scenario_errors(lambda: decode_link(_token(text.encode("utf-8"))))


@_fuzz
@given(mutated_presets())
def test_mutated_preset_as_a_file_and_a_link(data: dict[str, Any]) -> None:
    text = json.dumps(data)
    _only_scenario_errors(lambda: scenario_from_json(text))
    _only_scenario_errors(lambda: decode_link(_token(text.encode("utf-8"))))


field_paths = st.sampled_from(
    [".".join(str(p) for p in path) for path in PRESET_LEAVES]
    + ["business", "channels", "channels.0", "demand", "sources.new", "name", "nope.x"]
)


@_fuzz
@given(
    st.lists(
        st.tuples(
            field_paths | st.text(max_size=30),
            st.text(max_size=60) | json_values.map(json.dumps),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_set_values_change_nothing(pairs: list[tuple[str, str]]) -> None:
    base = _base()
    before = base.model_dump()
    _only_scenario_errors(lambda: apply_overrides(base, [f"{p}={v}" for p, v in pairs]))
    assert base.model_dump() == before


@pytest.mark.parametrize(
    "path",
    [
        "channels.\u00b2.representatives",
        "channels.\u0663.representatives",
        "channels.\uff10.representatives",
    ],
)
def test_set_path_with_unicode_digits_gives_a_plain_error(path: str) -> None:
    base = _base()
    error = _raises_scenario_error(lambda: apply_overrides(base, [f"{path}=3"]))
    assert error.problems[0].path.startswith("channels.")


# ---------------------------------------------------------------------------
# The same garbage through the app's own doors (AppTest): uploader and ?s= link

APP_FILES = [
    "truncated", "not-utf8", "binary", "list", "huge-10mb-text", "deep-lists",
    "deep-in-field", "nan", "overflow-float", "text-for-number", "unknown-typo",
    "too-many-channels", "shares-do-not-add-up", "version-newer",
]  # fmt: skip
# Streamlit itself drops a query string above 524,288 characters before the app sees it
# (the app then opens the default scenario without a word), so the app's own cap,
# MAX_LINK_CHARS, is tried with a link between the two.
APP_LINKS = ["over-the-cap", "zip-bomb", "deep", "nan", "tampered"]


def _named(path: str) -> str:
    """How the app names a field in a problem: the sidebar's label, else the path."""
    from cxcost.presets import DEFAULT_PRESET, load_preset
    from cxcost.ui.fields import field_label

    try:
        return field_label(path, "en", load_preset(DEFAULT_PRESET)) if path else ""
    except (KeyError, IndexError):
        return path


def _app_test(token: str | None = None) -> Any:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if token is not None:
        app.query_params["s"] = token
    return app.run()


def _app_state(app: Any) -> tuple[list[str], dict[str, Any]]:
    """The headline numbers and every input widget's value."""
    from cxcost.ui.fields import widget_values

    keys = widget_values(load_preset(DEFAULT_PRESET)).keys()
    return [m.value for m in app.metric], {k: app.session_state[k] for k in keys}


def _unescaped(markdown: str) -> str:
    return markdown.replace("\\", "")


def test_bad_files_through_the_app_uploader_change_nothing() -> None:
    from cxcost.ui import share

    cases = {name: (content, path) for name, content, path, _ in BAD_FILES}
    app = _app_test()
    assert not app.exception
    before = _app_state(app)
    for name in APP_FILES:
        content, path = cases[name]
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        uploader = app.file_uploader(key=share.UPLOAD_KEY)
        app = uploader.set_value((f"{name}.json", data, "application/json")).run()
        assert not app.exception, name
        errors = " ".join(_unescaped(str(e.value)) for e in app.error)
        assert f"{name}.json" in errors, f"{name}: no error shown"
        # A field the sidebar shows is named by its label, any other by its path.
        assert _named(path) in errors, f"{name}: {path!r} not named"
        assert _app_state(app) == before, f"{name} changed the scenario"


@pytest.mark.parametrize("name", APP_LINKS)
def test_bad_links_open_the_default_scenario_and_say_why(name: str) -> None:
    token, path, _ = next((t, p, f) for i, t, p, f in BAD_LINKS if i == name)
    app = _app_test(token)
    assert not app.exception
    warnings_shown = " ".join(_unescaped(str(w.value)) for w in app.warning)
    assert warnings_shown, "no message about the link"
    assert _named(path) in warnings_shown
    assert _app_state(app) == _app_state(_app_test())
