"""The closed-form part of the model as live Excel formulas, for the XLSX workbook.

The workbook names its cells, so the formulas read like the model:

- every input of the Inputs sheet is a defined name, its path with "_" for ".":
  ``business_revenue_per_customer``, ``channels_0_share_of_contacts``;
- every figure of the Results sheet is one too, its key with "_" for ".":
  ``customers_lost_per_year``, ``customers_lost_by_driver_wait``, and so is every
  step of the calculation below them (``STEPS``): ``retention``,
  ``churn_hazard_wait``;
- the Channels sheet's columns are named ranges: ``channel_share``,
  ``channel_representatives``, ``channel_wait_churn``, ``channel_answered``.

Formulas (``RESULT_FORMULAS``, ``channel_formulas``): the money and everything
between the churn per contact and the money. Revenue at risk = customers lost x
revenue per customer; churn cost = customers lost x the value of one lost
customer, valued once (lifetime margin by the margin multiple m r / (1 + i - r)
at the scenario's retention, or acquisition cost plus the ramp-up margin:
``cxcost.costs.lost_customer_value``); the service cost parts
(``cxcost.costs.service_cost``); total CX cost; silent and complaining
churners; churn per contact and per year (Eq 1 and Eq 3 of ``cxcost.churn``);
the split by driver in proportion to the hazards -ln(1 - x) (Eq 4 there); the
rude and dismissive shares from the training effect (Eq 1 of
``cxcost.quality``) and the repeat contacts they cause.

Values (each cell with a note saying so): what the queue model gives per
channel (Erlang A hour by hour over the week, with redials: the wait response,
the share that gives up for good, waits, service level, occupancy) and the
training model's effect over the staff's tenure mix (``rude_gap_kept`` and ``dismissive_gap_kept``,
a quadrature). Changing an input that moves them (representatives, demand,
handle times, patience, training hours, attrition) changes the formulas'
other terms only: the notes say so.

Each formula performs the model's floating-point operations in the model's
order, so a formula engine reproduces ``cxcost.evaluate.evaluate`` to round-off
(``tests/test_xlsx_formulas.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from cxcost import practices, quality
from cxcost.churn import DRIVERS
from cxcost.evaluate import Result
from cxcost.report.rows import DECIMAL, FINE_SHARE, MONEY, SHARE
from cxcost.scenario import Scenario

HAZARD: Final = "0.00000"
PRACTICE_PARTS: Final = ("one_stop", "follow_up", "proactive", "self_service")
"""The practices' cost parts (``cxcost.practices.PracticeCost``)."""


def defined_name(key: str) -> str:
    """The workbook's name of an input path or a result key: "." becomes "_".

    Examples
    --------
    >>> defined_name("customers_lost_by_driver.wait")
    'customers_lost_by_driver_wait'
    """
    return key.replace(".", "_")


@dataclass(frozen=True)
class Step:
    """One intermediate figure below the results: its key, label, unit and number format.

    Attributes
    ----------
    key : the figure's key (and, through ``defined_name``, its name)
    label : message key of the label (``{driver}`` filled in)
    unit : message key of the unit (``{currency}`` filled in)
    number_format : XLSX number format
    driver : the driver a per-driver step is about, "" otherwise
    """

    key: str
    label: str
    unit: str
    number_format: str
    driver: str = ""


STEPS: Final[tuple[Step, ...]] = (
    Step("rude_gap_kept", "report.step.rude_gap_kept", "report.unit.share", FINE_SHARE),
    Step("dismissive_gap_kept", "report.step.dismissive_gap_kept", "report.unit.share",
         FINE_SHARE),
    Step("transfer_share", "report.step.transfer_share", "report.unit.share", FINE_SHARE),
    Step("failed_self_service_share", "report.step.failed_self_service_share",
         "report.unit.share", FINE_SHARE),
    Step("queue_wait_churn", "report.step.queue_wait_churn", "report.unit.share", FINE_SHARE),
    Step("rude_risk_per_handling", "report.step.rude_risk_per_handling", "report.unit.share",
         FINE_SHARE),
    *(Step(f"practice_cost_by_practice.{name}", label, "report.unit.money_per_year", MONEY)
      for name, label in (("one_stop", "report.step.practice_cost.one_stop"),
                          ("follow_up", "report.step.practice_cost.follow_up"),
                          ("proactive", "report.step.practice_cost.proactive"),
                          ("self_service", "report.step.practice_cost.self_service"))),
    Step("training_hours_per_rep", "report.step.training_hours_per_rep",
         "report.unit.hours_per_year", DECIMAL),
    Step("contacts_per_customer", "report.step.contacts_per_customer",
         "report.unit.contacts_per_year", DECIMAL),
    Step("answered_share", "report.step.answered_share", "report.unit.share", FINE_SHARE),
    Step("rude_churn_per_contact", "report.step.rude_churn_per_contact", "report.unit.share",
         FINE_SHARE),
    Step("dismissive_churn_per_contact", "report.step.dismissive_churn_per_contact",
         "report.unit.share", FINE_SHARE),
    *(Step(f"churn_hazard.{driver}", "report.step.hazard", "report.unit.ratio", HAZARD,
           driver=driver) for driver in DRIVERS),
    Step("retention", "report.step.retention", "report.unit.share_per_year", SHARE),
)  # fmt: skip
"""The steps between the inputs and the results, in the order the Results sheet lists them."""

VALUE_STEPS: Final = frozenset({"rude_gap_kept", "dismissive_gap_kept"})
"""Steps that are values from the model, not formulas."""

_LOADED_PAY: Final = "staffing_salary_per_year*staffing_loaded_cost_multiplier"
_LOADED_HOURLY: Final = f"({_LOADED_PAY}/staffing_paid_hours_per_year)"
_DEFLECTED: Final = "(1-practices_self_service_share*practices_self_service_resolution)"
_RISKS: Final = {
    "wait": "wait_churn_per_contact",
    "rudeness": "rude_churn_per_contact",
    "dismissiveness": "dismissive_churn_per_contact",
}
_HAZARD_TOTAL: Final = "(" + "+".join(f"churn_hazard_{d}" for d in DRIVERS) + ")"


def _trained(kind: str) -> str:
    """Eq 1 and 4 of ``cxcost.quality`` over the staff, clipped to [floor, untrained] as there:
    the gap kept is the general training's and the kind's own training track's."""
    floor, untrained = f"quality_{kind}_share_floor", f"quality_{kind}_share_untrained"
    value = f"{floor}+({untrained}-{floor})*{kind}_gap_kept"
    return f"=MIN(MAX({value},{floor}),{untrained})"


RESULT_FORMULAS: Final[dict[str, str]] = {
    # Training and quality (cxcost.costs.training_hours_per_rep, cxcost.quality)
    "training_hours_per_rep": (
        "=training_hours_per_rep_per_year+(training_conflict_hours_per_rep_per_year"
        "+training_knowledge_hours_per_rep_per_year"
        "+staffing_attrition_per_year*training_new_hire_hours)"
    ),
    "rude_share": _trained("rude"),
    "dismissive_share": _trained("dismissive"),
    # Practices (cxcost.practices, P1-P3): transfers, the share left unresolved,
    # self-service, and the contacts per customer they leave
    "transfer_share": "=practices_transfer_share*(1-practices_one_stop_share)",
    "unresolved_share": (
        "=(1-transfer_share)*dismissive_share+transfer_share"
        "*(dismissive_share+practices_transfer_fcr_drop*(1-dismissive_share))"
        "*(1-practices_follow_up_share*practices_follow_up_recovery)"
    ),
    "contacts_per_customer": (
        f"=demand_contacts_per_customer_per_year*{_DEFLECTED}"
        "/(1-unresolved_share*quality_repeat_contact_rate)"
        "*(1+practices_proactive_share*practices_proactive_inbound_share*unresolved_share)"
    ),
    "failed_self_service_share": (
        "=IF(contacts_per_customer>0,demand_contacts_per_customer_per_year"
        "*practices_self_service_share*(1-practices_self_service_resolution)"
        "/contacts_per_customer,0)"
    ),
    "first_contacts_per_year": (
        f"=business_customers*(demand_contacts_per_customer_per_year*{_DEFLECTED})"
    ),
    "contacts_per_year": "=business_customers*contacts_per_customer",
    "repeat_contacts_per_year": "=contacts_per_year-first_contacts_per_year",
    "transferred_contacts_per_year": "=contacts_per_year*answered_share*transfer_share",
    "self_service_attempts_per_year": (
        "=business_customers*demand_contacts_per_customer_per_year*practices_self_service_share"
    ),
    # Churn per contact (Eq 1 in cxcost.churn, P4 in cxcost.practices) and per year (Eq 3)
    "answered_share": "=SUMPRODUCT(channel_answered,channel_share)",
    "queue_wait_churn": "=SUMPRODUCT(channel_wait_churn,channel_share)",
    "wait_churn_per_contact": "=1-(1-queue_wait_churn)*(1-transfer_share*queue_wait_churn)",
    "rude_risk_per_handling": "=answered_share*rude_share*churn_rude_churn",
    "rude_churn_per_contact": (
        "=1-(1-rude_risk_per_handling)*(1-transfer_share*rude_risk_per_handling)"
    ),
    "dismissive_churn_per_contact": (
        "=1-(1-answered_share*unresolved_share*churn_dismissive_churn"
        "*(1-practices_proactive_share*practices_proactive_recovery))"
        "*((1-answered_share*transfer_share*practices_transfer_churn)"
        "*(1-failed_self_service_share*practices_self_service_failure_churn))"
    ),
    "churn_per_contact": (
        "=1-(1-wait_churn_per_contact)*(1-rude_churn_per_contact)*(1-dismissive_churn_per_contact)"
    ),
    "service_churn_rate": "=1-EXP(-contacts_per_customer*churn_per_contact)",
    "customers": "=business_customers",
    "customers_lost_per_year": "=business_customers*service_churn_rate",
    "complaining_churners_per_year": "=customers_lost_per_year*churn_complain_share",
    "silent_churners_per_year": "=customers_lost_per_year-complaining_churners_per_year",
    "silent_per_complaint": (
        "=IF(complaining_churners_per_year>0,"
        'silent_churners_per_year/complaining_churners_per_year,"")'
    ),
    # Split by driver in proportion to the hazards (Eq 4 in cxcost.churn)
    **{f"churn_hazard.{driver}": f"=-LN(1-MIN({risk},1-1E-15))" for driver, risk in _RISKS.items()},
    **{
        f"customers_lost_by_driver.{driver}": (
            f"=IF({_HAZARD_TOTAL}>0,"
            f"customers_lost_per_year*(churn_hazard_{driver}/{_HAZARD_TOTAL}),0)"
        )
        for driver in DRIVERS
    },
    # Money: one lost customer valued once (cxcost.costs.lost_customer_value)
    "retention": "=MIN(MAX(1-business_baseline_churn-service_churn_rate,0),1-1E-9)",
    "customer_lifetime_margin": (
        "=business_gross_margin*business_revenue_per_customer"
        "*(retention/(1+business_discount_rate-retention))"
    ),
    "lost_customer_value": (
        '=IF(business_lost_customer_valuation="replacement_cost",'
        "business_acquisition_cost+business_revenue_per_customer*business_gross_margin"
        "*business_replacement_ramp_up_months/12,customer_lifetime_margin)"
    ),
    "revenue_at_risk_per_year": "=customers_lost_per_year*business_revenue_per_customer",
    "lost_lifetime_margin_per_year": "=customers_lost_per_year*customer_lifetime_margin",
    "replacement_acquisition_cost_per_year": "=customers_lost_per_year*business_acquisition_cost",
    "churn_cost_per_year": "=customers_lost_per_year*lost_customer_value",
    **{
        f"revenue_at_risk_by_driver.{driver}": (
            f"=customers_lost_by_driver_{driver}*business_revenue_per_customer"
        )
        for driver in DRIVERS
    },
    **{
        f"churn_cost_by_driver.{driver}": f"=customers_lost_by_driver_{driver}*lost_customer_value"
        for driver in DRIVERS
    },
    # Service cost (cxcost.costs.service_cost)
    "representatives": "=SUM(channel_representatives)",
    "staffing_cost_per_year": (
        f"=representatives*{_LOADED_PAY}-representatives*training_hours_per_rep*{_LOADED_HOURLY}"
    ),
    "training_cost_per_year": (
        f"=representatives*training_hours_per_rep*{_LOADED_HOURLY}"
        "+representatives*training_hours_per_rep*training_cost_per_training_hour"
    ),
    "attrition_cost_per_year": (
        "=representatives*staffing_attrition_per_year*staffing_cost_to_replace_rep"
    ),
    # Practices' cost (cxcost.practices.practice_cost): outbound time at the loaded rate
    "practice_cost_by_practice.one_stop": (
        "=practices_one_stop_share*practices_one_stop_cost_per_rep*representatives"
    ),
    "practice_cost_by_practice.follow_up": (
        "=practices_follow_up_share*transfer_share*contacts_per_year*answered_share"
        f"*practices_follow_up_minutes/60*{_LOADED_HOURLY}"
    ),
    "practice_cost_by_practice.proactive": (
        "=practices_proactive_share*unresolved_share*contacts_per_year"
        f"*practices_proactive_minutes/60*{_LOADED_HOURLY}"
    ),
    "practice_cost_by_practice.self_service": (
        "=practices_self_service_share*demand_contacts_per_customer_per_year*business_customers"
        "*practices_self_service_cost_per_contact"
        "+IF(practices_self_service_share>0,practices_self_service_cost_per_year,0)"
    ),
    "practice_cost_per_year": "="
    + "+".join(f"practice_cost_by_practice_{name}" for name in PRACTICE_PARTS),
    "service_cost_per_year": (
        "=(staffing_cost_per_year+training_cost_per_year+attrition_cost_per_year)"
        "+practice_cost_per_year"
    ),
    "total_cx_cost_per_year": "=churn_cost_per_year+service_cost_per_year",
}
"""Excel formula of every result figure and step but ``VALUE_STEPS``, by key."""

CHANNEL_RANGES: Final[dict[str, str]] = {
    "representatives": "channel_representatives",
    "share": "channel_share",
    "wait_churn": "channel_wait_churn",
    "answered": "channel_answered",
}
"""Named ranges of the Channels sheet's columns, by column key."""


def channel_formulas(index: int, wait_response: str, give_up: str) -> dict[str, str]:
    """The Channels sheet's formulas for channel ``index`` (0-based), by column key.

    Parameters
    ----------
    index : the channel's place in ``scenario.channels``
    wait_response, give_up : addresses of the row's queue-model values (E[g(W)]
        per contact and the share that gives up for good), e.g. "O2"

    Returns
    -------
    dict of str
        ``representatives``, ``share``, ``contacts_per_year``, ``wait_churn``
        (``cxcost.churn.wait_churn_per_contact``), ``answered``,
        ``payroll_per_year``.
    """
    channel = f"channels_{index}"
    return {
        "representatives": f"={channel}_representatives",
        "share": f"={channel}_share_of_contacts",
        "contacts_per_year": f"=contacts_per_year*{channel}_share_of_contacts",
        "wait_churn": (
            f"=MIN(churn_wait_churn_max*{wait_response}+churn_abandon_churn*{give_up},1)"
        ),
        "answered": f"=1-{give_up}",
        "payroll_per_year": f"={channel}_representatives*({_LOADED_PAY})",
    }


def _training_gap_kept(scenario: Scenario, track: tuple[float, float] = (0.0, 1.0)) -> float:
    q, training = scenario.quality, scenario.training
    return float(
        quality.training_gap_kept(
            q.training_half_life_hours,
            training.hours_per_rep_per_year,
            training.new_hire_hours,
            scenario.staffing.attrition_per_year,
            q.training_fade_half_life_years,
            *track,
        )
    )


def step_values(scenario: Scenario, result: Result) -> dict[str, float]:
    """The model's value of every step, by key [as the step's unit].

    ``rude_gap_kept`` and ``dismissive_gap_kept`` are the cells' values; the others
    are the results their formulas give, stored as the formulas' cached results for
    viewers that do not calculate.
    """
    answered = result.answered_share
    q, training, p = scenario.quality, scenario.training, scenario.practices
    flow = practices.contact_flow(scenario, result.dismissive_share)
    t = practices.transfer_share(p)
    queue_wait = sum(
        c.share_of_contacts * r.wait_churn_per_contact
        for c, r in zip(scenario.channels, result.channels, strict=True)
    )
    handling = answered * result.rude_share * scenario.churn.rude_churn
    risks = practices.contact_risks(
        p,
        queue_wait,
        answered,
        result.rude_share,
        result.unresolved_share,
        flow.failed_self_service,
        scenario.churn.rude_churn,
        scenario.churn.dismissive_churn,
    )
    by_driver = {
        "wait": result.wait_churn_per_contact,
        "rudeness": float(risks.rudeness),
        "dismissiveness": float(risks.dismissiveness),
    }
    retention = 1.0 - scenario.business.baseline_churn - result.service_churn_rate
    return {
        "rude_gap_kept": _training_gap_kept(
            scenario,
            (training.conflict_hours_per_rep_per_year, q.conflict_training_half_life_hours),
        ),
        "dismissive_gap_kept": _training_gap_kept(
            scenario,
            (training.knowledge_hours_per_rep_per_year, q.knowledge_training_half_life_hours),
        ),
        "transfer_share": t,
        "failed_self_service_share": float(flow.failed_self_service),
        "queue_wait_churn": queue_wait,
        "rude_risk_per_handling": handling,
        **{
            f"practice_cost_by_practice.{name}": result.practice_cost_by_practice[name]
            for name in PRACTICE_PARTS
        },
        "training_hours_per_rep": result.training_hours_per_rep,
        "contacts_per_customer": float(flow.contacts_per_customer),
        "answered_share": answered,
        "rude_churn_per_contact": by_driver["rudeness"],
        "dismissive_churn_per_contact": by_driver["dismissiveness"],
        **{
            f"churn_hazard.{driver}": -math.log1p(-min(risk, 1.0 - 1e-15))
            for driver, risk in by_driver.items()
        },
        "retention": min(max(retention, 0.0), 1.0 - 1e-9),
    }
