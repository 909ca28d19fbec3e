"""The output rows of a Result: one table for the CLI, the XLSX results, the headlines.

Each row names a figure of ``cxcost.evaluate.Result`` by its dotted key, its
label (a message key), its unit and its number format. The XLSX results sheet
lists every row; the CLI's evaluate table and the headline numbers of the
reports list the rows flagged for them, in this order. A new output is one
row here plus its label in the catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from cxcost.churn import DRIVERS
from cxcost.evaluate import Result
from cxcost.i18n import (
    DRIVER_KEYS,
    Language,
    currency_label,
    format_money,
    format_number,
    format_percent,
    t,
)

ResultUnit = Literal[
    "money_per_year",
    "money",
    "customers",
    "customers_per_year",
    "contacts_per_year",
    "share",
    "share_per_year",
    "ratio",
    "fte",
]

MONEY: Final = "#,##0"
SHARE: Final = "0.0%"
FINE_SHARE: Final = "0.000%"
COUNT: Final = "#,##0"
DECIMAL: Final = "#,##0.00"

_FORMATS: Final[dict[ResultUnit, str]] = {
    "money_per_year": MONEY,
    "money": MONEY,
    "customers": COUNT,
    "customers_per_year": COUNT,
    "contacts_per_year": COUNT,
    "share": SHARE,
    "share_per_year": SHARE,
    "ratio": DECIMAL,
    "fte": DECIMAL,
}


@dataclass(frozen=True)
class ResultRow:
    """One figure of a Result as the outputs list it.

    Attributes
    ----------
    key : dotted key in ``Result``, e.g. ``customers_lost_by_driver.wait``
    label : message key of the label (``{driver}`` and ``{valuation}`` are filled in)
    unit : what the figure counts; decides its formatting and unit text
    driver : the driver a per-driver row is about, "" otherwise
    headline : one of the reports' headline numbers
    summary : a row of the CLI's evaluate table
    number_format : XLSX number format; "" means the unit's
    """

    key: str
    label: str
    unit: ResultUnit
    driver: str = ""
    headline: bool = False
    summary: bool = False
    number_format: str = ""

    @property
    def excel_format(self) -> str:
        """The XLSX number format of the row."""
        return self.number_format or _FORMATS[self.unit]

    @property
    def headline_key(self) -> str:
        """The key of the row as a headline, e.g. ``revenue_at_risk``."""
        return self.key.removesuffix("_per_year")


def _by_driver(
    key: str, label: str, unit: ResultUnit, summary: bool = False
) -> tuple[ResultRow, ...]:
    return tuple(
        ResultRow(f"{key}.{driver}", label, unit, driver=driver, summary=summary)
        for driver in DRIVERS
    )


RESULT_ROWS: Final[tuple[ResultRow, ...]] = (
    ResultRow("revenue_at_risk_per_year", "metric.revenue_at_risk", "money_per_year",
              headline=True, summary=True),
    ResultRow("customers_lost_per_year", "metric.customers_lost", "customers_per_year",
              headline=True, summary=True),
    ResultRow("total_cx_cost_per_year", "metric.total_cx_cost", "money_per_year",
              headline=True, summary=True),
    ResultRow("service_cost_per_year", "metric.service_cost", "money_per_year",
              headline=True, summary=True),
    ResultRow("churn_cost_per_year", "row.churn_cost", "money_per_year", summary=True),
    ResultRow("lost_customer_value", "report.v3.valuation", "money", summary=True),
    *_by_driver("customers_lost_by_driver", "report.result.customers_lost_driver",
                "customers_per_year", summary=True),
    *_by_driver("revenue_at_risk_by_driver", "report.result.revenue_driver", "money_per_year"),
    *_by_driver("churn_cost_by_driver", "report.result.churn_cost_driver", "money_per_year"),
    ResultRow("customers", "field.business.customers", "customers", summary=True),
    ResultRow("service_churn_rate", "report.result.service_churn_rate", "share_per_year",
              summary=True),
    ResultRow("silent_churners_per_year", "report.result.silent", "customers_per_year",
              summary=True),
    ResultRow("complaining_churners_per_year", "report.result.complaining",
              "customers_per_year"),
    ResultRow("silent_per_complaint", "report.result.silent_per_complaint", "ratio"),
    ResultRow("customer_lifetime_margin", "report.result.customer_lifetime_margin", "money"),
    ResultRow("lost_lifetime_margin_per_year", "report.result.lost_lifetime_margin",
              "money_per_year", summary=True),
    ResultRow("replacement_acquisition_cost_per_year", "report.result.replacement_cost",
              "money_per_year"),
    ResultRow("first_contacts_per_year", "report.result.first_contacts", "contacts_per_year"),
    ResultRow("repeat_contacts_per_year", "report.result.repeat_contacts", "contacts_per_year"),
    ResultRow("contacts_per_year", "report.result.contacts", "contacts_per_year"),
    ResultRow("rude_share", "series.rude_share", "share"),
    ResultRow("dismissive_share", "series.dismissive_share", "share"),
    ResultRow("wait_churn_per_contact", "report.result.wait_churn_per_contact", "share",
              number_format=FINE_SHARE),
    ResultRow("churn_per_contact", "report.result.churn_per_contact", "share",
              number_format=FINE_SHARE),
    ResultRow("representatives", "row.representatives", "fte", summary=True),
    ResultRow("staffing_cost_per_year", "report.result.staffing_cost", "money_per_year",
              summary=True),
    ResultRow("training_cost_per_year", "report.result.training_cost", "money_per_year",
              summary=True),
    ResultRow("attrition_cost_per_year", "report.result.attrition_cost", "money_per_year",
              summary=True),
    ResultRow("practice_cost_per_year", "report.result.practice_cost", "money_per_year",
              summary=True),
    ResultRow("unresolved_share", "report.result.unresolved_share", "share"),
    ResultRow("transferred_contacts_per_year", "report.result.transferred_contacts",
              "contacts_per_year"),
    ResultRow("self_service_attempts_per_year", "report.result.self_service_attempts",
              "contacts_per_year"),
)  # fmt: skip
"""Every output row of a Result, in the order the XLSX results sheet lists them."""


def row_value(result: Result, row: ResultRow) -> float | None:
    """The row's figure in ``result``; None where it has none (no complaining leaver)."""
    name, _, driver = row.key.partition(".")
    value = getattr(result, name)
    if driver:
        value = value.get(driver, 0.0)
    return None if value is None else float(value)


def row_label(row: ResultRow, result: Result, language: Language) -> str:
    """The row's label in ``language``; it may name the driver and how a loss is valued."""
    driver = t(DRIVER_KEYS[row.driver], language) if row.driver else ""
    valuation = t(f"valuation.{result.lost_customer_valuation}", language)
    return t(row.label, language, driver=driver, valuation=valuation)


_UNIT_KEYS: Final[dict[ResultUnit, str]] = {
    "money_per_year": "report.unit.money_per_year",
    "money": "report.unit.money",
    "customers": "report.unit.customers",
    "customers_per_year": "report.unit.customers_per_year",
    "contacts_per_year": "report.unit.contacts_per_year",
    "share": "report.unit.share",
    "share_per_year": "report.unit.share_per_year",
    "ratio": "report.unit.ratio",
    "fte": "report.unit.fte",
}


def unit_label(unit: ResultUnit, currency: str, language: Language) -> str:
    """The unit's words in ``language``, e.g. "NOK/year", "customers/year"."""
    return t(_UNIT_KEYS[unit], language, currency=currency_label(currency, language))


def row_text(row: ResultRow, result: Result, language: Language) -> str:
    """The row's figure formatted for people, in the result's currency."""
    value = row_value(result, row)
    if value is None:
        return t("metric.not_applicable", language)
    if row.unit in ("money_per_year", "money"):
        return format_money(value, result.currency, language)
    if row.unit in ("share", "share_per_year"):
        return format_percent(value, language)
    if row.unit in ("ratio", "fte"):
        return format_number(value, language, 1)
    return format_number(value, language)


def headline_rows() -> tuple[ResultRow, ...]:
    """The reports' headline numbers, in display order."""
    return tuple(row for row in RESULT_ROWS if row.headline)


def summary_rows() -> tuple[ResultRow, ...]:
    """The rows of the CLI's evaluate table, in display order."""
    return tuple(row for row in RESULT_ROWS if row.summary)
