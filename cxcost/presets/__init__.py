"""Presets, scenario files and share links: the one loader of scenarios.

The package in parts: ``problems`` (ScenarioError, messages), ``parsing`` (JSON,
safely), ``migrations`` (older file versions), ``scenarios`` (JSON to and from a
Scenario), ``files`` (preset files), ``overrides`` (``--set``) and ``links``
(share links). Everything public is importable from ``cxcost.presets``.

Every scenario that enters cxcost from outside, whether a shipped preset
(``cxcost/data/presets/``), an uploaded file, a CLI ``--set`` assignment or a share link,
passes through this package. It checks size and nesting before parsing,
migrates older file versions, validates against :class:`~cxcost.scenario.Scenario`
and turns every failure into a :class:`ScenarioError` whose problems name the
field path, the value and the allowed range in plain words.

File format versions (``schema_version``)
-----------------------------------------
2 (current)
    The layout of :class:`cxcost.scenario.Scenario`.
1
    The first file format. Differences from version 2:

    - ``staffing.salary`` held what is now ``staffing.salary_per_year``;
    - ``channels[i].fte`` held what is now ``channels[i].representatives``;
    - there was no ``uncertainty`` section (version 2 fills in its defaults).

    A file without ``schema_version`` is read as version 1. Reading a
    version 1 file issues a :class:`MigrationWarning` that says so.

A file with a newer ``schema_version`` than this code knows is refused rather
than guessed at.

Any version may carry ``translations``: the scenario's name, description, sources
(a glossary keyed by the source text) and channel names in other languages
(``cxcost.scenario.ScenarioText``; see ``cxcost.presets.translations``). It is
optional, so older files stay valid.

Share links
-----------
A link carries the whole scenario in one query parameter (``s``):
``"<schema_version>." + base64url(zlib(compact JSON))`` with the ``=`` padding
stripped, because Streamlit's query parameters read ``+`` as a space. The JSON
leaves out every value equal to its default and the defaults are filled in
again on decoding, so a link restores exactly the same scenario while staying
short enough for e-mail and chat (see ``SAFE_LINK_LENGTH``). No link longer
than ``MAX_LINK_CHARS`` is written or read.

Baselines
---------
A file or link may carry, besides the scenario, the baseline it is compared
with, under the key ``baseline`` (a whole scenario; ``ScenarioPair``,
``pair_from_json``, ``decode_link_pair``). Files and links without it read as
before.

Sources
-------
``track_sources`` keeps each value's source honest as values are edited
("set by the user (YYYY-MM-DD)", the preset's source back when the value is).

Bounded work
------------
Whatever the input, the work done on it is bounded by the scenario's layout,
not by the input's size: sizes are checked before parsing, a list or a
``sources`` table longer than its limit is reported once and not looked into,
unknown fields are reported without looking into their values (close-match
suggestions only for the first few), and at most ``MAX_PROBLEMS`` problems are
listed, followed by one "and N more" line.
"""

from cxcost.presets.files import (
    DEFAULT_PRESET,
    PRESETS_DIR,
    PresetEntry,
    PresetNameWarning,
    list_presets,
    load_preset,
)
from cxcost.presets.links import (
    LINK_PARAM,
    MAX_LINK_CHARS,
    SAFE_LINK_LENGTH,
    decode_link,
    decode_link_pair,
    encode_link,
    link_pair,
    link_scenario,
    share_url,
)
from cxcost.presets.migrations import MigrationWarning, migrate
from cxcost.presets.overrides import MAX_OVERRIDES, apply_overrides
from cxcost.presets.parsing import MAX_BYTES, MAX_DEPTH
from cxcost.presets.problems import MAX_MESSAGE_CHARS, MAX_PROBLEMS, Problem, ScenarioError
from cxcost.presets.scenarios import (
    BASELINE_KEY,
    ScenarioPair,
    pair_from_json,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_json,
)
from cxcost.presets.sources import track_sources, user_source, user_source_date
from cxcost.presets.translations import channel_name, localized_scenario
from cxcost.scenario import SCHEMA_VERSION

__all__ = [
    "BASELINE_KEY",
    "DEFAULT_PRESET",
    "LINK_PARAM",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_LINK_CHARS",
    "MAX_MESSAGE_CHARS",
    "MAX_OVERRIDES",
    "MAX_PROBLEMS",
    "PRESETS_DIR",
    "SAFE_LINK_LENGTH",
    "SCHEMA_VERSION",
    "MigrationWarning",
    "PresetEntry",
    "PresetNameWarning",
    "Problem",
    "ScenarioError",
    "ScenarioPair",
    "apply_overrides",
    "channel_name",
    "decode_link",
    "decode_link_pair",
    "encode_link",
    "link_pair",
    "link_scenario",
    "list_presets",
    "load_preset",
    "localized_scenario",
    "migrate",
    "pair_from_json",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_to_json",
    "share_url",
    "track_sources",
    "user_source",
    "user_source_date",
]
