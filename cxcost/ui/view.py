"""What every tab draws from: the current scenario, its result and the baseline."""

from __future__ import annotations

from dataclasses import dataclass

from cxcost.evaluate import Result
from cxcost.i18n import Language
from cxcost.scenario import Scenario


@dataclass(frozen=True)
class View:
    """The state a tab renders, fixed for one script run.

    Attributes
    ----------
    scenario : the current valid scenario (the last valid one while inputs are invalid),
        its texts in ``language`` (``cxcost.presets.localized_scenario``): what people read
    scenario_json : its JSON, the key of every cached model call
    result : its result
    baseline : the baseline: the scenario as loaded from the preset (or link,
        or file), or the one saved in Compare, or the one a link or file carried
    baseline_json : its JSON
    baseline_result : its result; headline deltas are against it, as Compare is
    language : "en" or "nb"
    saved : the current scenario as it is saved and shared: its own texts and every
        translation (``scenario`` is its copy for reading)
    """

    scenario: Scenario
    scenario_json: str
    result: Result
    baseline: Scenario
    baseline_json: str
    baseline_result: Result
    language: Language
    saved: Scenario

    @property
    def currency(self) -> str:
        """The scenario currency (ISO code)."""
        return self.result.currency
