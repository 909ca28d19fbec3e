"""Per-preset figures for notes and docs: the scenario today and the recommended plan.

    python benchmarks/preset_figures.py [OUT.json]

Prints one JSON line per preset: churn cost, revenue at risk, total CX cost, the
recommended representatives and training hours, service level, occupancy and mean
wait at the plan, its net benefit and NPV, P(pays off) from a 2,000-draw Monte Carlo,
and the guardrail warnings.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxcost.evaluate import evaluate
from cxcost.optimize import optimize
from cxcost.presets import list_presets, load_preset
from cxcost.uncertainty import monte_carlo


def figures(stem_or_path: str | Path) -> dict[str, object]:
    """The figures of one preset."""
    started = time.perf_counter()
    scenario = load_preset(stem_or_path)
    now = evaluate(scenario)
    plan = optimize(scenario)
    after = plan.result
    mc = monte_carlo(scenario, plan.scenario, draws=2000, seed=1)
    pays = None if mc.net_benefit is None else round(float((mc.net_benefit > 0).mean()), 3)
    return {
        "churn_cost": round(now.churn_cost_per_year),
        "revenue_at_risk": round(now.revenue_at_risk_per_year),
        "total_cx_cost": round(now.total_cx_cost_per_year),
        "current_service_level": [round(c.service_level, 2) for c in now.channels],
        "recommended_representatives": [round(x, 1) for x in plan.representatives],
        "recommended_training_hours": round(plan.training_hours, 1),
        "service_level_at_plan": [round(c.service_level, 2) for c in after.channels],
        "occupancy_at_plan": [round(c.occupancy, 2) for c in after.channels],
        "mean_wait_minutes_at_plan": [round(c.mean_wait_seconds / 60, 1) for c in after.channels],
        "total_shrinkage_at_plan": round(after.total_shrinkage, 3),
        "net_benefit_per_year": round(plan.comparison.net_benefit_per_year),
        "npv": round(plan.comparison.npv),
        "probability_pays_off": pays,
        "warnings": plan.warnings,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str]) -> int:
    out = {}
    for entry in list_presets():
        out[entry.stem] = figures(entry.path)
        print(entry.stem, json.dumps(out[entry.stem]), flush=True)
    if argv:
        Path(argv[0]).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
