"""Words and numbers for people: the app's strings in English and Norwegian Bokmål.

This is the one formatter of money, numbers, shares and durations (Babel, CLDR
locale data) and the one table of user-facing strings (``STRINGS``), shared by
the app and every export. Nothing here imports streamlit.

Every formatter returns plain text: ASCII spaces and the ASCII minus sign
(Babel's no-break spaces and U+2212 are replaced), so the result is safe in
Latin-1 PDF fonts and compares predictably in tests.

Examples
--------
>>> format_money(1_234_567, "USD")
'USD 1.2M'
>>> format_money(1_234_567, "NOK", "nb")
'1,2 mill. kr'
>>> t("tab.overview", "nb")
'Oversikt'
"""

from __future__ import annotations

import math
from typing import Final, Literal, get_args

from babel.numbers import format_compact_decimal, format_currency, format_decimal
from babel.units import format_unit

Language = Literal["en", "nb"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
LANGUAGE_NAMES: Final[dict[Language, str]] = {"en": "English", "nb": "Norsk bokmål"}
LOCALES: Final[dict[Language, str]] = {"en": "en_US", "nb": "nb_NO"}

NOT_A_NUMBER: Final = "–"
"""Shown for an infinite or undefined value (e.g. a backlog that never clears)."""

_COMPACT_SIGNIFICANT_DIGITS = 3


def _plain(text: str) -> str:
    """Babel's typographic spaces and minus sign as plain ASCII."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def _round_significant(value: float, digits: int) -> float:
    """Round so that compact notation never shows e.g. "1000K" for 999,999."""
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _compact_number(value: float, language: Language) -> str:
    rounded = _round_significant(value, _COMPACT_SIGNIFICANT_DIGITS)
    text = format_compact_decimal(rounded, locale=LOCALES[language], fraction_digits=1)
    if language == "en":
        # House style for thousands is a lower-case k ("USD 290k"); CLDR English has "K".
        text = text.replace("K", "k")
    return _plain(text)


def currency_label(currency: str, language: Language = "en") -> str:
    """How the currency is written next to an amount: "USD"; in Norwegian "kr" for NOK.

    Examples
    --------
    >>> currency_label("NOK", "nb"), currency_label("NOK", "en"), currency_label("EUR", "nb")
    ('kr', 'NOK', 'EUR')
    """
    code = currency.upper()
    if language == "nb" and code == "NOK":
        return "kr"
    return code


def format_money(
    amount: float, currency: str, language: Language = "en", compact: bool = True
) -> str:
    """An amount of money for people, in the scenario currency.

    Parameters
    ----------
    amount : the amount [currency]
    currency : ISO 4217 code, e.g. "USD", "NOK", "EUR"
    language : "en" (ISO code first: "USD 1.2M") or "nb" (amount first:
        "1,2 mill. kr" for NOK, "1,2 mill. USD" for other currencies)
    compact : short form with 1 decimal and a magnitude word ("1.2M",
        "290k"); otherwise whole units with thousands separators (amounts
        below 100 keep up to 2 decimals)

    Returns
    -------
    str
        ``NOT_A_NUMBER`` for an infinite or NaN amount.

    Examples
    --------
    >>> format_money(290_000, "USD"), format_money(290_000, "USD", "nb")
    ('USD 290k', '290k USD')
    >>> format_money(36_920, "USD", compact=False), format_money(36_920, "NOK", "nb", compact=False)
    ('USD 36,920', '36 920 kr')
    """
    if not math.isfinite(amount):
        return NOT_A_NUMBER
    code = currency.upper()
    locale = LOCALES[language]
    if compact:
        number = _compact_number(amount, language)
        if language == "en":
            sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
            return f"{sign}{code} {digits}"
        return f"{number} {currency_label(code, language)}"
    pattern = "#,##0" if abs(amount) >= 100 else "#,##0.##"
    if language == "en":
        return _plain(
            format_currency(
                amount, code, format=f"¤¤ {pattern}", locale=locale, currency_digits=False
            )
        )
    number = _plain(format_decimal(amount, format=pattern, locale=locale))
    return f"{number} {currency_label(code, language)}"


def format_number(
    value: float, language: Language = "en", decimals: int = 0, compact: bool = False
) -> str:
    """A plain number with the locale's separators.

    Examples
    --------
    >>> format_number(12_241.9, "en"), format_number(12_241.9, "nb", 1)
    ('12,242', '12 241,9')
    >>> format_number(1_500_000, "en", compact=True)
    '1.5M'
    """
    if not math.isfinite(value):
        return NOT_A_NUMBER
    if compact:
        return _compact_number(value, language)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _plain(format_decimal(value, format=pattern, locale=LOCALES[language]))


def format_percent(share: float, language: Language = "en", decimals: int = 1) -> str:
    """A share 0-1 as a percentage: "12.3%" in English, "12,3 %" in Norwegian.

    Examples
    --------
    >>> format_percent(0.1234), format_percent(0.1234, "nb", 0)
    ('12.3%', '12 %')
    """
    if not math.isfinite(share):
        return NOT_A_NUMBER
    number = format_number(share * 100.0, language, decimals)
    return f"{number} %" if language == "nb" else f"{number}%"


_DURATION_UNITS: Final = (
    (90.0, 1.0, "duration-second"),
    (90.0 * 60.0, 60.0, "duration-minute"),
    (48.0 * 3600.0, 3600.0, "duration-hour"),
    (math.inf, 86_400.0, "duration-day"),
)


def format_duration_seconds(seconds: float, language: Language = "en") -> str:
    """A duration in words, in the largest sensible unit.

    Below 90 s in seconds, below 90 min in minutes, below 48 h in hours,
    otherwise in days; one decimal at most.

    Examples
    --------
    >>> format_duration_seconds(45), format_duration_seconds(210), format_duration_seconds(27_500)
    ('45 seconds', '3.5 minutes', '7.6 hours')
    >>> format_duration_seconds(210, "nb")
    '3,5 minutter'
    """
    if not math.isfinite(seconds):
        return t("duration.never", language)
    for limit, unit_seconds, unit in _DURATION_UNITS:
        if abs(seconds) < limit:
            value = round(seconds / unit_seconds, 1)
            text = format_unit(
                value, unit, length="long", format="#,##0.#", locale=LOCALES[language]
            )
            return _plain(text)
    raise AssertionError("unreachable: the last limit is infinite")


def t(key: str, language: Language, **kwargs: str | int | float) -> str:
    """The string ``key`` in ``language``, with ``{placeholders}`` filled from kwargs.

    Raises
    ------
    KeyError
        For an unknown key (a typo must fail loudly in the tests).

    Examples
    --------
    >>> t("finding.no_loss", "en")
    'Service costs you no customers in this scenario.'
    """
    text = STRINGS[key][language]
    return text.format(**kwargs) if kwargs else text


DRIVER_KEYS: Final = {
    "wait": "driver.wait",
    "rudeness": "driver.rudeness",
    "dismissiveness": "driver.dismissiveness",
}

STRINGS: Final[dict[str, dict[Language, str]]] = {
    # Page and navigation
    "app.title": {"en": "The cost of bad service", "nb": "Hva dårlig service koster"},
    "app.caption": {
        "en": "Customers lost to waiting, rudeness and dismissiveness, in money, "
        "against what representatives and training cost.",
        "nb": "Kunder som går tapt på grunn av venting, uhøflighet og avvisning, i kroner "
        "og øre, mot hva kundebehandlere og opplæring koster.",
    },
    "app.language": {"en": "Language", "nb": "Språk"},
    "app.preset": {"en": "Preset", "nb": "Forhåndsvalg"},
    "app.preset_help": {
        "en": "A saved scenario from the presets folder, with the source of every value.",
        "nb": "Et lagret scenario fra mappen presets, med kilde for hver verdi.",
    },
    "app.preset_broken": {
        "en": "Preset file {name} could not be loaded: {error}",
        "nb": "Forhåndsvalget {name} kunne ikke lastes: {error}",
    },
    "app.reset": {"en": "Reset to preset", "nb": "Tilbakestill til forhåndsvalg"},
    "app.reset_help": {
        "en": "Put every input back to the values of the loaded preset.",
        "nb": "Sett alle inndata tilbake til verdiene i det innlastede forhåndsvalget.",
    },
    "app.inputs": {"en": "Inputs", "nb": "Inndata"},
    "app.invalid": {
        "en": "These inputs do not fit together, so the results below are from the last "
        "valid inputs:",
        "nb": "Disse inndataene passer ikke sammen, så resultatene nedenfor er fra de siste "
        "gyldige inndataene:",
    },
    "app.invalid_field": {"en": "{field}: {message}", "nb": "{field}: {message}"},
    "app.model_error": {
        "en": "The model could not price these inputs: {message}",
        "nb": "Modellen kunne ikke regne på disse inndataene: {message}",
    },
    "tab.overview": {"en": "Overview", "nb": "Oversikt"},
    "tab.staffing": {"en": "Staffing", "nb": "Bemanning"},
    "tab.quality": {"en": "Quality & training", "nb": "Kvalitet og opplæring"},
    "tab.compare": {"en": "Compare", "nb": "Sammenlign"},
    "tab.uncertainty": {"en": "Uncertainty", "nb": "Usikkerhet"},
    "tab.assumptions": {"en": "Assumptions", "nb": "Forutsetninger"},
    # Sidebar groups
    "group.business": {"en": "Business", "nb": "Virksomheten"},
    "group.demand": {"en": "Demand & channels", "nb": "Etterspørsel og kanaler"},
    "group.staffing": {"en": "Staffing", "nb": "Bemanning"},
    "group.training": {"en": "Training", "nb": "Opplæring"},
    "group.quality": {"en": "Quality", "nb": "Kvalitet"},
    "group.churn": {"en": "Churn response", "nb": "Kundeflukt"},
    "group.uncertainty": {"en": "Uncertainty ranges", "nb": "Usikkerhetsintervaller"},
    "group.channel": {"en": "Channel: {name} ({kind})", "nb": "Kanal: {name} ({kind})"},
    "channel_kind.phone": {"en": "phone", "nb": "telefon"},
    "channel_kind.chat": {"en": "chat", "nb": "chat"},
    "channel_kind.email": {"en": "e-mail", "nb": "e-post"},
    "profile.title": {"en": "Arrivals by hour of the week", "nb": "Henvendelser per time i uka"},
    "profile.help": {
        "en": "Relative contacts per hour (0 = closed). Only the ratios matter. Source of "
        "the default shape: Gans, Koole & Mandelbaum (2003), illustrative.",
        "nb": "Relativt antall henvendelser per time (0 = stengt). Bare forholdstallene "
        "betyr noe. Kilde for standardformen: Gans, Koole og Mandelbaum (2003), illustrativt.",
    },
    "profile.hour": {"en": "Hour", "nb": "Time"},
    "profile.open_hours": {
        "en": "Open {hours} hours a week.",
        "nb": "Åpent {hours} timer i uka.",
    },
    "day.0": {"en": "Mon", "nb": "man"},
    "day.1": {"en": "Tue", "nb": "tir"},
    "day.2": {"en": "Wed", "nb": "ons"},
    "day.3": {"en": "Thu", "nb": "tor"},
    "day.4": {"en": "Fri", "nb": "fre"},
    "day.5": {"en": "Sat", "nb": "lør"},
    "day.6": {"en": "Sun", "nb": "søn"},
    "source.label": {"en": "Source: {source}", "nb": "Kilde: {source}"},
    "source.default": {
        "en": "model default (see the Assumptions tab)",
        "nb": "modellens standardverdi (se fanen Forutsetninger)",
    },
    "source.model_default": {
        "en": "model default",
        "nb": "modellens standardverdi",
    },
    "source.none": {"en": "not given", "nb": "ikke oppgitt"},
    "option.erlang_a": {"en": "Erlang A (callers hang up)", "nb": "Erlang A (kunder legger på)"},
    "option.erlang_c": {"en": "Erlang C (nobody hangs up)", "nb": "Erlang C (ingen legger på)"},
    "option.daily": {
        "en": "daily (one shift pattern a day)",
        "nb": "daglig (ett skiftmønster per dag)",
    },
    "option.hourly": {
        "en": "hourly (staff follows every hour)",
        "nb": "time for time (bemanning følger hver time)",
    },
    # Drivers and series
    "driver.wait": {"en": "Waiting", "nb": "Venting"},
    "driver.rudeness": {"en": "Rudeness", "nb": "Uhøflighet"},
    "driver.dismissiveness": {"en": "Dismissiveness", "nb": "Avvisning"},
    "series.silent": {"en": "Leave silently", "nb": "Går stille"},
    "series.complaining": {"en": "Complain, then leave", "nb": "Klager, og går"},
    "series.service_cost": {"en": "Service cost", "nb": "Servicekostnad"},
    "series.churn_cost": {"en": "Churn cost", "nb": "Kostnad av kundeflukt"},
    "series.total_cost": {"en": "Total CX cost", "nb": "Total CX-kostnad"},
    "series.training_cost": {"en": "Training cost", "nb": "Opplæringskostnad"},
    "series.revenue_at_risk": {"en": "Revenue at risk", "nb": "Omsetning i faresonen"},
    "series.service_level": {"en": "Service level", "nb": "Servicegrad"},
    "series.mean_wait": {"en": "Mean wait", "nb": "Gjennomsnittlig ventetid"},
    "series.abandonment": {"en": "Abandonment", "nb": "Avbrutte henvendelser"},
    "series.rude_share": {"en": "Rude contacts", "nb": "Uhøflige henvendelser"},
    "series.dismissive_share": {"en": "Dismissive contacts", "nb": "Avvisende henvendelser"},
    "series.repeat_contacts": {"en": "Repeat contacts", "nb": "Gjentatte henvendelser"},
    "series.cumulative_npv": {"en": "Cumulative NPV", "nb": "Akkumulert nåverdi"},
    "series.cash_flow": {"en": "Net cash flow", "nb": "Netto kontantstrøm"},
    "series.minimum": {"en": "Cheapest: {value}", "nb": "Billigst: {value}"},
    "series.current": {"en": "Now: {value}", "nb": "Nå: {value}"},
    "series.band": {
        "en": "within 1 % of the minimum: {low}-{high}",
        "nb": "innenfor 1 % av minimum: {low}-{high}",
    },
    "series.p10": {"en": "P10", "nb": "P10"},
    "series.p50": {"en": "P50", "nb": "P50"},
    "series.p90": {"en": "P90", "nb": "P90"},
    "series.low_end": {"en": "Low end of range", "nb": "Lav ende av intervallet"},
    "series.high_end": {"en": "High end of range", "nb": "Høy ende av intervallet"},
    "series.break_even": {"en": "Break-even", "nb": "Balansepunkt"},
    # Axis titles
    "axis.money_per_year": {"en": "{currency} per year", "nb": "{currency} per år"},
    "axis.money": {"en": "{currency}", "nb": "{currency}"},
    "axis.customers_per_year": {"en": "Customers per year", "nb": "Kunder per år"},
    "axis.representatives": {
        "en": "{channel} representatives (FTE)",
        "nb": "Kundebehandlere på {channel} (årsverk)",
    },
    "axis.share": {"en": "Share of contacts (%)", "nb": "Andel av henvendelsene (%)"},
    "axis.wait_minutes": {"en": "Mean wait (minutes)", "nb": "Gjennomsnittlig ventetid (minutter)"},
    "axis.wait_seconds": {
        "en": "Mean wait (seconds)",
        "nb": "Gjennomsnittlig ventetid (sekunder)",
    },
    "axis.wait_hours": {"en": "Mean wait (hours)", "nb": "Gjennomsnittlig ventetid (timer)"},
    "axis.training_hours": {
        "en": "Training per representative (hours per year)",
        "nb": "Opplæring per kundebehandler (timer per år)",
    },
    "axis.contacts_per_year": {"en": "Contacts per year", "nb": "Henvendelser per år"},
    "axis.year": {"en": "Year", "nb": "År"},
    "axis.draws": {"en": "Share of draws (%)", "nb": "Andel av trekningene (%)"},
    "axis.driver": {"en": "Driver", "nb": "Årsak"},
    "axis.revenue_at_risk_per_year": {
        "en": "Revenue at risk ({currency} per year)",
        "nb": "Omsetning i faresonen ({currency} per år)",
    },
    "axis.net_benefit_per_year": {
        "en": "Net benefit ({currency} per year)",
        "nb": "Netto gevinst ({currency} per år)",
    },
    # Chart titles (each states the finding)
    "chart.driver.title": {
        "en": "{driver} costs the most: {amount} of {total} revenue at risk a year",
        "nb": "{driver} koster mest: {amount} av {total} omsetning i faresonen per år",
    },
    "chart.driver.title_none": {
        "en": "No revenue is at risk from service",
        "nb": "Ingen omsetning er i faresonen på grunn av service",
    },
    "chart.churners.title": {
        "en": "For every complaint you hear, {ratio} customers leave silently",
        "nb": "For hver klage du hører, går {ratio} kunder stille",
    },
    "chart.churners.title_none": {
        "en": "Nobody complains before leaving: all {count} leave silently",
        "nb": "Ingen klager før de går: alle {count} går stille",
    },
    "chart.staffing.title": {
        "en": "{channel}: total cost is lowest at {best} representatives (now {current})",
        "nb": "{channel}: totalkostnaden er lavest med {best} kundebehandlere (nå {current})",
    },
    "chart.queue.title": {
        "en": "{channel}: {service_level} answered in time at {current} representatives",
        "nb": "{channel}: {service_level} besvart i tide med {current} kundebehandlere",
    },
    "chart.training.title": {
        "en": "Training: total cost is lowest at {best} hours per representative (now {current})",
        "nb": "Opplæring: totalkostnaden er lavest ved {best} timer per kundebehandler "
        "(nå {current})",
    },
    "chart.training_quality.title": {
        "en": "Training cuts rude and dismissive contacts, with diminishing returns",
        "nb": "Opplæring gir færre uhøflige og avvisende henvendelser, med avtagende effekt",
    },
    "chart.repeat.title": {
        "en": "Unresolved issues come back: {repeats} repeat contacts a year now",
        "nb": "Uløste saker kommer tilbake: {repeats} gjentatte henvendelser per år nå",
    },
    "chart.comparison.title_gain": {
        "en": "The change is worth {npv} over {years} years (NPV)",
        "nb": "Endringen er verdt {npv} over {years} år (nåverdi)",
    },
    "chart.comparison.title_loss": {
        "en": "The change loses {npv} over {years} years (NPV)",
        "nb": "Endringen taper {npv} over {years} år (nåverdi)",
    },
    "chart.mc.title": {
        "en": "Revenue at risk is between {p10} and {p90} a year in 8 of 10 draws",
        "nb": "Omsetning i faresonen ligger mellom {p10} og {p90} per år i 8 av 10 trekninger",
    },
    "chart.mc_benefit.title": {
        "en": "The change pays off in {probability} of draws (median {p50} a year)",
        "nb": "Endringen lønner seg i {probability} av trekningene (median {p50} per år)",
    },
    "chart.tornado.title_net": {
        "en": "{parameter} moves the plan's net benefit the most ({swing} a year)",
        "nb": "{parameter} flytter planens netto gevinst mest ({swing} per år)",
    },
    "chart.tornado.title": {
        "en": "{parameter} moves revenue at risk the most ({swing} a year)",
        "nb": "{parameter} flytter omsetningen i faresonen mest ({swing} per år)",
    },
    "chart.profile.title": {
        "en": "Contacts arrive {open_hours} hours a week",
        "nb": "Henvendelser kommer {open_hours} timer i uka",
    },
    "hover.money_per_year": {"en": "{value} a year", "nb": "{value} per år"},
    # Tornado parameter labels
    "param.wait_churn_max": {
        "en": "Churn after a very long wait",
        "nb": "Kundeflukt etter svært lang ventetid",
    },
    "param.abandon_churn": {
        "en": "Churn after giving up for good",
        "nb": "Kundeflukt etter å ha gitt opp for godt",
    },
    "param.rude_churn": {
        "en": "Churn after a rude contact",
        "nb": "Kundeflukt etter uhøflig behandling",
    },
    "param.dismissive_churn": {
        "en": "Churn after a dismissive contact",
        "nb": "Kundeflukt etter avvisende behandling",
    },
    "param.wait_tolerance": {
        "en": "Wait at half the maximum churn",
        "nb": "Ventetid ved halv maksimal kundeflukt",
    },
    "param.patience": {"en": "Customer patience", "nb": "Kundenes tålmodighet"},
    "param.rude_share_untrained": {
        "en": "Rude contacts without training",
        "nb": "Uhøflige henvendelser uten opplæring",
    },
    "param.rude_share_floor": {
        "en": "Rude contacts no training removes",
        "nb": "Uhøflighet ingen opplæring fjerner",
    },
    "param.dismissive_share_untrained": {
        "en": "Dismissive contacts without training",
        "nb": "Avvisende henvendelser uten opplæring",
    },
    "param.dismissive_share_floor": {
        "en": "Dismissive contacts no training removes",
        "nb": "Avvisning ingen opplæring fjerner",
    },
    "param.training_half_life": {
        "en": "Training hours that halve failures",
        "nb": "Opplæringstimer som halverer feil",
    },
    "param.training_fade": {"en": "How long training lasts", "nb": "Hvor lenge opplæringen varer"},
    "param.repeat_contact_rate": {
        "en": "Dismissed customers who contact again",
        "nb": "Avviste kunder som tar kontakt igjen",
    },
    "param.contacts_per_customer": {"en": "Contacts per customer", "nb": "Henvendelser per kunde"},
    "param.revenue_per_customer": {"en": "Revenue per customer", "nb": "Inntekt per kunde"},
    "param.gross_margin": {"en": "Gross margin", "nb": "Bruttomargin"},
    # Durations
    "duration.never": {"en": "never (backlog grows)", "nb": "aldri (køen vokser)"},
    # Overview
    "finding.no_loss": {
        "en": "Service costs you no customers in this scenario.",
        "nb": "Servicen koster deg ingen kunder i dette scenarioet.",
    },
    "finding.driver": {
        "en": "{driver} costs you {amount} a year in lost customers",
        "nb": "{driver} koster deg {amount} i året i tapte kunder",
    },
    "finding.more_reps": {
        "en": "{count} more {channel} representatives ({cost} a year) would win back {saved} of it",
        "nb": "{count} flere kundebehandlere på {channel} ({cost} i året) ville vunnet "
        "tilbake {saved} av det",
    },
    "finding.more_reps_other": {
        "en": "{count} more {channel} representatives ({cost} a year) would win back "
        "{saved} of revenue a year",
        "nb": "{count} flere kundebehandlere på {channel} ({cost} i året) ville vunnet "
        "tilbake {saved} i omsetning per år",
    },
    "finding.fewer_reps": {
        "en": "{count} fewer {channel} representatives would save {cost} a year and cut the "
        "total CX cost by {net}",
        "nb": "{count} færre kundebehandlere på {channel} ville spart {cost} i året og "
        "redusert total CX-kostnad med {net}",
    },
    "finding.more_training": {
        "en": "{hours} more training hours per representative ({cost} a year) would win "
        "back {saved} of it",
        "nb": "{hours} flere opplæringstimer per kundebehandler ({cost} i året) ville vunnet "
        "tilbake {saved} av det",
    },
    "finding.more_training_other": {
        "en": "{hours} more training hours per representative ({cost} a year) would win "
        "back {saved} of revenue a year",
        "nb": "{hours} flere opplæringstimer per kundebehandler ({cost} i året) ville vunnet "
        "tilbake {saved} i omsetning per år",
    },
    "finding.less_training": {
        "en": "{hours} fewer training hours per representative would save {cost} a year and "
        "cut the total CX cost by {net}",
        "nb": "{hours} færre opplæringstimer per kundebehandler ville spart {cost} i året og "
        "redusert total CX-kostnad med {net}",
    },
    "finding.at_best": {
        "en": "staffing and training are already at their cheapest level",
        "nb": "bemanning og opplæring er allerede på det billigste nivået",
    },
    "finding.sentence": {
        "en": "{driver_clause}; {move_clause}.",
        "nb": "{driver_clause}; {move_clause}.",
    },
    "metric.revenue_at_risk": {
        "en": "Revenue at risk per year",
        "nb": "Omsetning i faresonen per år",
    },
    "metric.customers_lost": {"en": "Customers lost per year", "nb": "Tapte kunder per år"},
    "metric.total_cx_cost": {"en": "Total CX cost per year", "nb": "Total CX-kostnad per år"},
    "metric.service_cost": {"en": "Service cost per year", "nb": "Servicekostnad per år"},
    "metric.delta_help": {
        "en": "Change against the loaded preset ({name}).",
        "nb": "Endring mot det innlastede forhåndsvalget ({name}).",
    },
    "metric.revenue_at_risk_help": {
        "en": "Annual revenue of the customers who leave each year because of waiting, "
        "rudeness or dismissiveness.",
        "nb": "Årlig omsetning fra kundene som går hvert år på grunn av venting, uhøflighet "
        "eller avvisning.",
    },
    "metric.total_cx_cost_help": {
        "en": "Service cost plus churn cost (lost lifetime margin and the cost of winning "
        "replacements): the number to minimise.",
        "nb": "Servicekostnad pluss kostnaden av kundeflukt (tapt livstidsmargin og kostnaden "
        "ved å vinne nye kunder): tallet som skal ned.",
    },
    "overview.context": {
        "en": "{lost} of {customers} customers ({rate}) leave each year because of the "
        "service; {contacts} contacts a year, {repeats} of them repeats of unresolved issues.",
        "nb": "{lost} av {customers} kunder ({rate}) går hvert år på grunn av servicen; "
        "{contacts} henvendelser i året, {repeats} av dem gjentatte henvendelser om uløste saker.",
    },
    "overview.channels": {"en": "Channels now", "nb": "Kanalene nå"},
    "col.channel": {"en": "Channel", "nb": "Kanal"},
    "col.representatives": {"en": "Representatives (FTE)", "nb": "Kundebehandlere (årsverk)"},
    "col.service_level": {"en": "Answered in time", "nb": "Besvart i tide"},
    "col.mean_wait": {"en": "Mean wait", "nb": "Gj.sn. ventetid"},
    "col.abandonment": {"en": "Hang up", "nb": "Legger på"},
    "col.occupancy": {"en": "Occupancy", "nb": "Belegg"},
    "col.overloaded": {"en": "Overloaded hours/week", "nb": "Overbelastede timer/uke"},
    # Optimiser
    "optimizer.title": {
        "en": "Constraints (optional)",
        "nb": "Krav (valgfritt)",
    },
    "optimizer.button": {
        "en": "Find the plan with these constraints",
        "nb": "Finn planen med disse kravene",
    },
    "optimizer.running": {
        "en": "Searching staffing and training levels…",
        "nb": "Leter gjennom bemanning og opplæring…",
    },
    "optimizer.min_service_level": {
        "en": "Minimum service level on every channel (%)",
        "nb": "Minste servicegrad på hver kanal (%)",
    },
    "optimizer.min_service_level_help": {
        "en": "0 = no floor. The plan must answer at least this share of contacts within "
        "each channel's target time.",
        "nb": "0 = ingen nedre grense. Planen må besvare minst denne andelen innen hver "
        "kanals måltid.",
    },
    "optimizer.max_budget": {
        "en": "Maximum service budget ({currency} per year)",
        "nb": "Høyeste servicebudsjett ({currency} per år)",
    },
    "optimizer.max_budget_help": {
        "en": "0 = no budget limit.",
        "nb": "0 = ingen budsjettgrense.",
    },
    "optimizer.summary": {
        "en": "Cheapest plan: {reps} representatives in all (now {current_reps}) and {hours} "
        "training hours per representative (now {current_hours}). It cuts the total CX cost "
        "by {net} a year.",
        "nb": "Billigste plan: {reps} kundebehandlere i alt (nå {current_reps}) og {hours} "
        "opplæringstimer per kundebehandler (nå {current_hours}). Den reduserer total "
        "CX-kostnad med {net} i året.",
    },
    "optimizer.infeasible": {
        "en": "No plan meets every constraint; this is the closest one.",
        "nb": "Ingen plan oppfyller alle kravene; dette er den nærmeste.",
    },
    "optimizer.stale": {
        "en": "The inputs changed since this plan was found; search again.",
        "nb": "Inndataene er endret siden planen ble funnet; søk på nytt.",
    },
    "optimizer.apply": {"en": "Apply this plan", "nb": "Bruk denne planen"},
    "optimizer.applied": {
        "en": "Plan applied to the inputs in the sidebar.",
        "nb": "Planen er lagt inn i inndataene i sidefeltet.",
    },
    "col.now": {"en": "Now", "nb": "Nå"},
    "col.plan": {"en": "Plan", "nb": "Plan"},
    "col.item": {"en": "", "nb": ""},
    "row.training_hours": {
        "en": "Training (hours per representative per year)",
        "nb": "Opplæring (timer per kundebehandler per år)",
    },
    "row.reps_channel": {
        "en": "{channel} representatives (FTE)",
        "nb": "Kundebehandlere på {channel} (årsverk)",
    },
    "row.service_level_channel": {
        "en": "{channel} answered in time",
        "nb": "{channel} besvart i tide",
    },
    "row.revenue_at_risk": {"en": "Revenue at risk per year", "nb": "Omsetning i faresonen per år"},
    "row.customers_lost": {"en": "Customers lost per year", "nb": "Tapte kunder per år"},
    "row.service_cost": {"en": "Service cost per year", "nb": "Servicekostnad per år"},
    "row.churn_cost": {"en": "Churn cost per year", "nb": "Kostnad av kundeflukt per år"},
    "row.total_cx_cost": {"en": "Total CX cost per year", "nb": "Total CX-kostnad per år"},
    "row.representatives": {"en": "Representatives (FTE)", "nb": "Kundebehandlere (årsverk)"},
    # Staffing tab
    "staffing.intro": {
        "en": "More representatives shorten the queues and cut wait churn while staff cost "
        "rises; the total is U-shaped. Each channel is varied with the others held as they are.",
        "nb": "Flere kundebehandlere gir kortere køer og mindre kundeflukt av venting, mens "
        "lønnskostnaden stiger; totalen blir U-formet. Hver kanal varieres mens de andre "
        "holdes fast.",
    },
    "staffing.channel": {"en": "Channel", "nb": "Kanal"},
    "staffing.flat_note": {
        "en": "Averaged over the week as if arrivals were flat, {channel} would answer "
        "{flat} in time instead of {actual}: peaks matter.",
        "nb": "Som et flatt ukesnitt ville {channel} besvart {flat} i tide i stedet for "
        "{actual}: toppene betyr noe.",
    },
    # Quality tab
    "quality.intro": {
        "en": "Training cuts rude and dismissive contacts with diminishing returns; the hours "
        "are paid and off the queues. Fewer dismissed issues also mean fewer repeat contacts.",
        "nb": "Opplæring gir færre uhøflige og avvisende henvendelser med avtagende effekt; "
        "timene er betalt og tas fra køene. Færre avviste saker gir også færre gjentatte "
        "henvendelser.",
    },
    "quality.shares": {
        "en": "Now {rude} of contacts are perceived as rude and {dismissive} are handled "
        "dismissively.",
        "nb": "Nå oppleves {rude} av henvendelsene som uhøflige, og {dismissive} behandles "
        "avvisende.",
    },
    # Compare tab
    "compare.intro": {
        "en": "The current inputs against a saved baseline (at first, the loaded preset).",
        "nb": "Dagens inndata mot en lagret sammenligningsbase (først det innlastede "
        "forhåndsvalget).",
    },
    "compare.save": {
        "en": "Save current inputs as baseline",
        "nb": "Lagre dagens inndata som base",
    },
    "compare.baseline": {"en": "Baseline", "nb": "Base"},
    "compare.current": {"en": "Current", "nb": "Nå"},
    "compare.difference": {"en": "Difference", "nb": "Differanse"},
    "compare.baseline_name": {"en": "Baseline: {name}", "nb": "Base: {name}"},
    "compare.same": {
        "en": "The current inputs equal the baseline. Change an input in the sidebar to see "
        "what the change is worth.",
        "nb": "Dagens inndata er lik basen. Endre inndata i sidefeltet for å se hva "
        "endringen er verdt.",
    },
    "compare.currency_mismatch": {
        "en": "The baseline is in {base} and the current inputs in {current}; money is "
        "compared in the baseline's currency.",
        "nb": "Basen er i {base} og dagens inndata i {current}; beløp sammenlignes i basens "
        "valuta.",
    },
    "metric.net_benefit": {"en": "Net benefit per year", "nb": "Netto gevinst per år"},
    "metric.roi": {"en": "ROI over the horizon", "nb": "Avkastning over horisonten"},
    "metric.payback": {"en": "Payback", "nb": "Tilbakebetalingstid"},
    "metric.npv": {"en": "NPV over {years} years", "nb": "Nåverdi over {years} år"},
    "metric.not_applicable": {"en": "n/a", "nb": "i.a."},
    "metric.payback_months": {"en": "{months} months", "nb": "{months} måneder"},
    "metric.payback_never": {"en": "> 30 years", "nb": "> 30 år"},
    # Uncertainty tab
    "uncertainty.intro": {
        "en": "The churn responses and customer patience are uncertain. Their ranges (sidebar, "
        "Uncertainty ranges) are sampled as triangular distributions around the current "
        "values.",
        "nb": "Kundeflukt-responsene og kundenes tålmodighet er usikre. Intervallene "
        "(sidefeltet, Usikkerhetsintervaller) trekkes som trekantfordelinger rundt dagens "
        "verdier.",
    },
    "uncertainty.run": {"en": "Run Monte Carlo", "nb": "Kjør Monte Carlo"},
    "uncertainty.running": {
        "en": "Drawing {draws} scenarios…",
        "nb": "Trekker {draws} scenarioer…",
    },
    "uncertainty.proposal_baseline": {
        "en": "Net benefit: the current inputs against the baseline ({name}).",
        "nb": "Netto gevinst: dagens inndata mot basen ({name}).",
    },
    "uncertainty.proposal_plan": {
        "en": "Net benefit: the cheapest staffing and training plan against the current inputs.",
        "nb": "Netto gevinst: billigste plan for bemanning og opplæring mot dagens inndata.",
    },
    "uncertainty.stale": {
        "en": "The inputs changed since this run; run again for current numbers.",
        "nb": "Inndataene er endret siden denne kjøringen; kjør på nytt for oppdaterte tall.",
    },
    "uncertainty.not_run": {
        "en": "Press the button to draw the scenarios (it takes a moment).",
        "nb": "Trykk på knappen for å trekke scenarioene (det tar et øyeblikk).",
    },
    "metric.rar_p10": {"en": "Revenue at risk, P10", "nb": "Omsetning i faresonen, P10"},
    "metric.rar_p50": {"en": "Revenue at risk, P50", "nb": "Omsetning i faresonen, P50"},
    "metric.rar_p90": {"en": "Revenue at risk, P90", "nb": "Omsetning i faresonen, P90"},
    "metric.nb_p10": {"en": "Net benefit, P10", "nb": "Netto gevinst, P10"},
    "metric.nb_p50": {"en": "Net benefit, P50", "nb": "Netto gevinst, P50"},
    "metric.nb_p90": {"en": "Net benefit, P90", "nb": "Netto gevinst, P90"},
    "metric.pays_off": {
        "en": "Probability it pays off",
        "nb": "Sannsynlighet for at det lønner seg",
    },
    # Assumptions tab
    "assumptions.intro": {
        "en": "Every input of the scenario with its value, unit and source.",
        "nb": "Alle inndata i scenarioet med verdi, enhet og kilde.",
    },
    "col.group": {"en": "Group", "nb": "Gruppe"},
    "col.parameter": {"en": "Parameter", "nb": "Parameter"},
    "col.value": {"en": "Value", "nb": "Verdi"},
    "col.unit": {"en": "Unit", "nb": "Enhet"},
    "col.meaning": {"en": "Meaning (model)", "nb": "Betydning (modellen)"},
    "col.source": {"en": "Source", "nb": "Kilde"},
    "col.path": {"en": "Field", "nb": "Felt"},
    "assumptions.scenario": {"en": "Scenario: {name}", "nb": "Scenario: {name}"},
    "assumptions.profile_value": {
        "en": "{hours} open hours a week, peak weight {peak}",
        "nb": "{hours} åpne timer i uka, høyeste vekt {peak}",
    },
}

# Scenario inputs: a label (with its unit) and a help text per field path; "*" stands
# for a channel's index. Kept apart from the rest so that a new Scenario field is
# easy to spot here.
FIELD_STRINGS: Final[dict[str, dict[Language, str]]] = {
    "field.business.customers": {"en": "Active customers", "nb": "Aktive kunder"},
    "help.business.customers": {
        "en": "Customers who buy from you today and could leave.",
        "nb": "Kunder som handler hos deg i dag og som kan gå.",
    },
    "field.business.revenue_per_customer": {
        "en": "Revenue per customer ({currency} per year)",
        "nb": "Omsetning per kunde ({currency} per år)",
    },
    "help.business.revenue_per_customer": {
        "en": "Annual revenue of an average customer; a lost customer takes it with them.",
        "nb": "Årlig omsetning fra en gjennomsnittlig kunde; en tapt kunde tar den med seg.",
    },
    "field.business.gross_margin": {"en": "Gross margin (%)", "nb": "Bruttomargin (%)"},
    "help.business.gross_margin": {
        "en": "Share of revenue left after the cost of goods; a lost customer's lifetime "
        "value is counted in margin, not revenue.",
        "nb": "Andel av omsetningen som er igjen etter varekostnad; en tapt kundes "
        "livstidsverdi regnes i margin, ikke omsetning.",
    },
    "field.business.baseline_churn": {
        "en": "Churn for other reasons (% per year)",
        "nb": "Kundeflukt av andre grunner (% per år)",
    },
    "help.business.baseline_churn": {
        "en": "Customers who leave each year for reasons other than service (price, "
        "moving); it sets how long a kept customer stays.",
        "nb": "Kunder som går hvert år av andre grunner enn service (pris, flytting); det "
        "avgjør hvor lenge en beholdt kunde blir.",
    },
    "field.business.discount_rate": {
        "en": "Discount rate (% per year)",
        "nb": "Diskonteringsrente (% per år)",
    },
    "help.business.discount_rate": {
        "en": "Used for customer lifetime values and the NPV of a change (Gupta & Lehmann 2003).",
        "nb": "Brukes for kunders livstidsverdi og nåverdien av en endring (Gupta og Lehmann "
        "2003).",
    },
    "field.business.acquisition_cost": {
        "en": "Cost to win a new customer ({currency})",
        "nb": "Kostnad for å vinne en ny kunde ({currency})",
    },
    "help.business.acquisition_cost": {
        "en": "Marketing and sales spent to replace one lost customer.",
        "nb": "Markedsføring og salg for å erstatte én tapt kunde.",
    },
    "field.business.horizon_years": {"en": "Horizon (years)", "nb": "Horisont (år)"},
    "help.business.horizon_years": {
        "en": "Years over which a change's NPV, ROI and payback are counted.",
        "nb": "Antall år en endrings nåverdi, avkastning og tilbakebetaling regnes over.",
    },
    "field.business.currency": {"en": "Currency", "nb": "Valuta"},
    "help.business.currency": {
        "en": "ISO 4217 code of every amount in the scenario; amounts are not converted.",
        "nb": "ISO 4217-kode for alle beløp i scenarioet; beløp blir ikke omregnet.",
    },
    "field.demand.contacts_per_customer_per_year": {
        "en": "First contacts per customer (per year)",
        "nb": "Nye henvendelser per kunde (per år)",
    },
    "help.demand.contacts_per_customer_per_year": {
        "en": "New issues a customer raises a year; repeats of unresolved issues come on top.",
        "nb": "Nye saker en kunde tar opp per år; gjentatte henvendelser om uløste saker "
        "kommer i tillegg.",
    },
    "field.demand.arrival_profile": {
        "en": "Arrivals by hour of the week",
        "nb": "Henvendelser per time i uka",
    },
    "help.demand.arrival_profile": {
        "en": "Relative contacts in each of the 168 hours of the week, Monday 00:00 first; "
        "0 = closed.",
        "nb": "Relativt antall henvendelser i hver av ukas 168 timer, mandag 00:00 først; "
        "0 = stengt.",
    },
    "field.channels.*.kind": {"en": "Channel type", "nb": "Kanaltype"},
    "help.channels.*.kind": {
        "en": "phone and chat are queues; e-mail is worked as a backlog in opening hours.",
        "nb": "Telefon og chat er køer; e-post behandles som en arbeidskø i åpningstiden.",
    },
    "field.channels.*.name": {"en": "Channel name", "nb": "Kanalnavn"},
    "help.channels.*.name": {"en": "Label shown to users.", "nb": "Navnet brukerne ser."},
    "field.channels.*.share_of_contacts": {
        "en": "Share of contacts (%)",
        "nb": "Andel av henvendelsene (%)",
    },
    "help.channels.*.share_of_contacts": {
        "en": "Share of all contacts that use this channel; the channels must add up to 100 %.",
        "nb": "Andelen av alle henvendelser som bruker denne kanalen; kanalene må til "
        "sammen bli 100 %.",
    },
    "field.channels.*.handle_time_seconds": {
        "en": "Handle time (minutes)",
        "nb": "Behandlingstid (minutter)",
    },
    "help.channels.*.handle_time_seconds": {
        "en": "Mean talk plus wrap-up time per contact.",
        "nb": "Gjennomsnittlig samtale- og etterarbeidstid per henvendelse.",
    },
    "field.channels.*.answer_within_seconds": {
        "en": "Answer within (seconds)",
        "nb": "Svar innen (sekunder)",
    },
    "field.channels.*.answer_within_seconds.email": {
        "en": "Answer within (hours)",
        "nb": "Svar innen (timer)",
    },
    "help.channels.*.answer_within_seconds": {
        "en": "Service-level target: the share of contacts answered within this time is "
        "the service level (e.g. 80 % in 20 s on the phone, 24 h for e-mail).",
        "nb": "Mål for servicegrad: andelen henvendelser besvart innen denne tiden er "
        "servicegraden (f.eks. 80 % innen 20 s på telefon, 24 t for e-post).",
    },
    "field.channels.*.patience_seconds": {
        "en": "Patience before hanging up (minutes)",
        "nb": "Tålmodighet før kunden legger på (minutter)",
    },
    "help.channels.*.patience_seconds": {
        "en": "Mean time a waiting customer holds before giving up (phone typically 1-3 "
        "minutes). Erlang A is fairly insensitive to it (Whitt 2005).",
        "nb": "Gjennomsnittlig tid en ventende kunde holder ut før den gir opp (telefon "
        "typisk 1-3 minutter). Erlang A er lite følsom for den (Whitt 2005).",
    },
    "field.channels.*.concurrency": {
        "en": "Chats at once per representative",
        "nb": "Samtidige chatter per kundebehandler",
    },
    "help.channels.*.concurrency": {
        "en": "Contacts one representative handles at the same time (chat: 2-3).",
        "nb": "Henvendelser én kundebehandler håndterer samtidig (chat: 2-3).",
    },
    "field.channels.*.representatives": {
        "en": "{channel} representatives (FTE)",
        "nb": "Kundebehandlere på {channel} (årsverk)",
    },
    "help.channels.*.representatives": {
        "en": "Full-time representatives on this channel, before shrinkage and training.",
        "nb": "Årsverk på denne kanalen, før fravær og opplæring trekkes fra.",
    },
    "field.channels.*.wait_tolerance_minutes": {
        "en": "Wait at which half the maximum churn is reached (minutes)",
        "nb": "Ventetid der halvparten av største kundeflukt er nådd (minutter)",
    },
    "field.channels.*.wait_tolerance_minutes.email": {
        "en": "Wait at which half the maximum churn is reached (hours)",
        "nb": "Ventetid der halvparten av største kundeflukt er nådd (timer)",
    },
    "help.channels.*.wait_tolerance_minutes": {
        "en": "Midpoint of the S-shaped wait response: at this wait an answered contact "
        "carries half of the maximum wait churn; shorter waits lose far fewer customers. "
        "The longer customers expect to wait on this channel, the higher. Model limits: "
        "0.01 min to 14 days.",
        "nb": "Midtpunktet i den S-formede responsen på venting: ved denne ventetiden bærer "
        "en besvart henvendelse halvparten av største kundeflukt etter venting; kortere "
        "ventetid mister langt færre kunder. Jo lenger kundene forventer å vente i kanalen, "
        "desto høyere. Modellgrenser: 0,01 min til 14 døgn.",
    },
    "field.channels.*.wait_response_shape": {
        "en": "Shape of the wait response (1-4)",
        "nb": "Form på responsen på venting (1-4)",
    },
    "help.channels.*.wait_response_shape": {
        "en": "1: every second of waiting counts from the start (no threshold); 2-4: "
        "S-shaped, a short wait loses almost nobody and churn rises steeply around the "
        "midpoint. Default 3.",
        "nb": "1: hvert sekund i kø teller fra starten (ingen terskel); 2-4: S-formet, kort "
        "venting mister nesten ingen, og kundeflukten stiger bratt rundt midtpunktet. "
        "Standard 3.",
    },
    "field.channels.*.redial_share": {
        "en": "Callers who try again after giving up (%)",
        "nb": "Kunder som prøver igjen etter å ha lagt på (%)",
    },
    "help.channels.*.redial_share": {
        "en": "Share of abandoning contacts who redial (0-95 %); they add load to the "
        "queue. Only the rest give up for good and carry the abandonment churn. "
        "Illustrative default 60 %.",
        "nb": "Andel av dem som legger på, som ringer igjen (0-95 %); de gir mer last i "
        "køen. Bare resten gir opp for godt og bærer kundeflukten ved frafall. "
        "Illustrativ standard 60 %.",
    },
    "field.channels.*.max_occupancy": {
        "en": "Highest occupancy a plan may use (%)",
        "nb": "Høyeste belegg en plan kan bruke (%)",
    },
    "help.channels.*.max_occupancy": {
        "en": "Cap on the share of queue time representatives are busy (30-100 %); the "
        "optimiser never plans above it. 85-90 % is the usual planning ceiling.",
        "nb": "Tak på andelen av kø-tiden kundebehandlerne er opptatt (30-100 %); "
        "optimeringen planlegger aldri over det. 85-90 % er vanlig tak i planlegging.",
    },
    "field.channels.*.queue_model": {"en": "Queue model", "nb": "Kømodell"},
    "help.channels.*.queue_model": {
        "en": "Erlang A lets waiting customers hang up (Palm 1946; Garnett, Mandelbaum & "
        "Reiman 2002); Erlang C assumes nobody does.",
        "nb": "Erlang A lar ventende kunder legge på (Palm 1946; Garnett, Mandelbaum og "
        "Reiman 2002); Erlang C antar at ingen gjør det.",
    },
    "field.staffing.salary_per_year": {
        "en": "Pay per representative ({currency} per year)",
        "nb": "Lønn per kundebehandler ({currency} per år)",
    },
    "help.staffing.salary_per_year": {
        "en": "Mean annual pay. Default: US BLS, May 2021, customer service representatives, "
        "USD 36,920.",
        "nb": "Gjennomsnittlig årslønn. Standard: US BLS, mai 2021, kundebehandlere, USD 36 920.",
    },
    "field.staffing.loaded_cost_multiplier": {
        "en": "Loaded cost (× pay)",
        "nb": "Full kostnad (× lønn)",
    },
    "help.staffing.loaded_cost_multiplier": {
        "en": "Benefits, overhead and tools on top of pay (about 1.3).",
        "nb": "Sosiale kostnader, overhead og verktøy i tillegg til lønn (omtrent 1,3).",
    },
    "field.staffing.paid_hours_per_year": {
        "en": "Paid hours per representative (per year)",
        "nb": "Betalte timer per kundebehandler (per år)",
    },
    "help.staffing.paid_hours_per_year": {
        "en": "Paid hours of one full-time representative (40 h × 52 weeks = 2,080).",
        "nb": "Betalte timer for ett årsverk (37,5 t × 52 uker = 1 950).",
    },
    "field.staffing.shrinkage": {"en": "Shrinkage (%)", "nb": "Fravær fra køen (%)"},
    "help.staffing.shrinkage": {
        "en": "Paid time not on the queues: breaks, meetings, absence (about 30 %).",
        "nb": "Betalt tid utenfor køene: pauser, møter, fravær (omtrent 30 %).",
    },
    "field.staffing.attrition_per_year": {
        "en": "Representatives who leave (% per year)",
        "nb": "Kundebehandlere som slutter (% per år)",
    },
    "help.staffing.attrition_per_year": {
        "en": "Staff turnover; each leaver must be recruited and onboarded again.",
        "nb": "Turnover; hver som slutter må erstattes med rekruttering og opplæring.",
    },
    "field.staffing.cost_to_replace_rep": {
        "en": "Cost to replace a representative ({currency})",
        "nb": "Kostnad for å erstatte en kundebehandler ({currency})",
    },
    "help.staffing.cost_to_replace_rep": {
        "en": "Recruiting and onboarding one representative.",
        "nb": "Rekruttering og introduksjon av én kundebehandler.",
    },
    "field.staffing.schedule": {"en": "Rosters", "nb": "Vaktplaner"},
    "help.staffing.schedule": {
        "en": "Hourly (default): staff follows every hour's load, as planners roster "
        "staggered shifts, less the scheduling efficiency. Daily: each day staffed for its "
        "load, evenly over its open hours, so intraday peaks wait longer.",
        "nb": "Time for time (standard): bemanningen følger lasten hver time, slik "
        "planleggere setter opp forskjøvede vakter, fratrukket treffsikkerheten. Daglig: "
        "hver dag bemannes etter sin last, jevnt over åpningstiden, så toppene i løpet av "
        "dagen venter lenger.",
    },
    "field.training.hours_per_rep_per_year": {
        "en": "Training per representative (hours per year)",
        "nb": "Opplæring per kundebehandler (timer per år)",
    },
    "help.training.hours_per_rep_per_year": {
        "en": "Paid and off the queues. Cuts rude and dismissive contacts with diminishing "
        "returns.",
        "nb": "Betalt og utenfor køene. Gir færre uhøflige og avvisende henvendelser, med "
        "avtagende effekt.",
    },
    "field.training.cost_per_training_hour": {
        "en": "Direct training cost ({currency} per hour)",
        "nb": "Direkte opplæringskostnad ({currency} per time)",
    },
    "help.training.cost_per_training_hour": {
        "en": "Trainer and material per representative and hour, on top of the paid time.",
        "nb": "Instruktør og materiell per kundebehandler og time, i tillegg til betalt tid.",
    },
    "field.quality.rude_share_untrained": {
        "en": "Rude contacts without training (%)",
        "nb": "Uhøflige henvendelser uten opplæring (%)",
    },
    "help.quality.rude_share_untrained": {
        "en": "Contacts the customer perceives as rude or unfriendly, with no training.",
        "nb": "Henvendelser kunden opplever som uhøflige eller uvennlige, uten opplæring.",
    },
    "field.quality.rude_share_floor": {
        "en": "Rude contacts no training removes (%)",
        "nb": "Uhøflige henvendelser som ingen opplæring fjerner (%)",
    },
    "help.quality.rude_share_floor": {
        "en": "The floor that training approaches; must not exceed the untrained share.",
        "nb": "Gulvet opplæringen nærmer seg; kan ikke være høyere enn andelen uten opplæring.",
    },
    "field.quality.dismissive_share_untrained": {
        "en": "Dismissive contacts without training (%)",
        "nb": "Avvisende henvendelser uten opplæring (%)",
    },
    "help.quality.dismissive_share_untrained": {
        "en": "Contacts brushed off, bounced ('ask someone else') or left unresolved.",
        "nb": "Henvendelser som blir avfeid, sendt videre («spør noen andre») eller ikke løst.",
    },
    "field.quality.dismissive_share_floor": {
        "en": "Dismissive contacts no training removes (%)",
        "nb": "Avvisende henvendelser som ingen opplæring fjerner (%)",
    },
    "help.quality.dismissive_share_floor": {
        "en": "The floor that training approaches; must not exceed the untrained share.",
        "nb": "Gulvet opplæringen nærmer seg; kan ikke være høyere enn andelen uten opplæring.",
    },
    "field.quality.training_half_life_hours": {
        "en": "Training hours that halve the gap (hours per year)",
        "nb": "Opplæringstimer som halverer gapet (timer per år)",
    },
    "help.quality.training_half_life_hours": {
        "en": "Every this many hours of training per year halve the distance to the floor.",
        "nb": "Hvert slikt antall opplæringstimer per år halverer avstanden til gulvet.",
    },
    "field.quality.repeat_contact_rate": {
        "en": "Dismissed customers who contact again (%)",
        "nb": "Avviste kunder som tar kontakt igjen (%)",
    },
    "help.quality.repeat_contact_rate": {
        "en": "Unresolved issues come back and add load to the queues.",
        "nb": "Uløste saker kommer tilbake og gir mer last i køene.",
    },
    "field.churn.wait_churn_max": {
        "en": "Churn after a very long wait (%)",
        "nb": "Kundeflukt etter svært lang ventetid (%)",
    },
    "help.churn.wait_churn_max": {
        "en": "Chance that an answered customer leaves after an extremely long wait: the "
        "top of the S-shaped wait response (0-100 %). Giving up for good has its own churn "
        "below. Qualtrics XM Institute (2024): about half of consumers cut spending after "
        "a very bad experience.",
        "nb": "Sjansen for at en besvart kunde går etter ekstremt lang ventetid: toppen av "
        "den S-formede responsen på venting (0-100 %). Å gi opp for godt har egen "
        "kundeflukt nedenfor. Qualtrics XM Institute (2024): omtrent halvparten av "
        "forbrukerne kutter forbruket etter en svært dårlig opplevelse.",
    },
    "field.churn.rude_churn": {
        "en": "Churn after a rude contact (%)",
        "nb": "Kundeflukt etter uhøflig behandling (%)",
    },
    "help.churn.rude_churn": {
        "en": "Chance a customer leaves after one rude or unfriendly contact.",
        "nb": "Sjansen for at en kunde går etter én uhøflig eller uvennlig henvendelse.",
    },
    "field.churn.dismissive_churn": {
        "en": "Churn after a dismissive contact (%)",
        "nb": "Kundeflukt etter avvisende behandling (%)",
    },
    "help.churn.dismissive_churn": {
        "en": "Chance a customer leaves after being brushed off or left unresolved.",
        "nb": "Sjansen for at en kunde går etter å ha blitt avfeid eller ikke fått løst saken.",
    },
    "field.churn.complain_share": {
        "en": "Leavers who complain first (%)",
        "nb": "Kunder som klager før de går (%)",
    },
    "help.churn.complain_share": {
        "en": "Most unhappy customers never complain; they just leave (silent churn).",
        "nb": "De fleste misfornøyde kunder klager aldri; de bare går (stille kundeflukt).",
    },
    "field.uncertainty.wait_churn_max": {
        "en": "Range: churn after a very long wait (× the value)",
        "nb": "Intervall: kundeflukt etter svært lang ventetid (× verdien)",
    },
    "field.uncertainty.abandon_churn": {
        "en": "Range: churn after giving up for good (× the value)",
        "nb": "Intervall: kundeflukt etter å ha gitt opp for godt (× verdien)",
    },
    "field.uncertainty.rude_churn": {
        "en": "Range: churn after a rude contact (× the value)",
        "nb": "Intervall: kundeflukt etter uhøflig behandling (× verdien)",
    },
    "field.uncertainty.dismissive_churn": {
        "en": "Range: churn after a dismissive contact (× the value)",
        "nb": "Intervall: kundeflukt etter avvisende behandling (× verdien)",
    },
    "field.uncertainty.wait_tolerance": {
        "en": "Range: wait at half the maximum churn (× the value)",
        "nb": "Intervall: ventetid ved halv maksimal kundeflukt (× verdien)",
    },
    "field.uncertainty.patience": {
        "en": "Range: customer patience (× the value)",
        "nb": "Intervall: kundenes tålmodighet (× verdien)",
    },
    "field.uncertainty.rude_share_untrained": {
        "en": "Range: rude contacts without training (× the value)",
        "nb": "Intervall: uhøflige henvendelser uten opplæring (× verdien)",
    },
    "field.uncertainty.rude_share_floor": {
        "en": "Range: rude contacts no training removes (× the value)",
        "nb": "Intervall: uhøflige henvendelser som ingen opplæring fjerner (× verdien)",
    },
    "field.uncertainty.dismissive_share_untrained": {
        "en": "Range: dismissive contacts without training (× the value)",
        "nb": "Intervall: avvisende henvendelser uten opplæring (× verdien)",
    },
    "field.uncertainty.dismissive_share_floor": {
        "en": "Range: dismissive contacts no training removes (× the value)",
        "nb": "Intervall: avvisende henvendelser som ingen opplæring fjerner (× verdien)",
    },
    "field.uncertainty.training_half_life": {
        "en": "Range: training hours that halve failures (× the value)",
        "nb": "Intervall: opplæringstimer som halverer feilene (× verdien)",
    },
    "field.uncertainty.training_fade": {
        "en": "Range: how long training lasts (× the value)",
        "nb": "Intervall: hvor lenge opplæringen varer (× verdien)",
    },
    "field.uncertainty.repeat_contact_rate": {
        "en": "Range: dismissed customers who contact again (× the value)",
        "nb": "Intervall: avviste kunder som tar kontakt igjen (× verdien)",
    },
    "field.uncertainty.contacts_per_customer": {
        "en": "Range: contacts per customer (× the value)",
        "nb": "Intervall: henvendelser per kunde (× verdien)",
    },
    "field.uncertainty.revenue_per_customer": {
        "en": "Range: revenue per customer (× the value)",
        "nb": "Intervall: inntekt per kunde (× verdien)",
    },
    "field.uncertainty.gross_margin": {
        "en": "Range: gross margin (× the value)",
        "nb": "Intervall: bruttomargin (× verdien)",
    },
    "help.uncertainty.range": {
        "en": "Plausible low and high multipliers of the input's own value (low at most 1, "
        "high at least 1, each between 0.1 and 10): 0.5-1.8 means from half to 1.8 times "
        "the value. The Monte Carlo draws from a two-piece triangle with its median at "
        "the value itself.",
        "nb": "Plausible lave og høye multiplikatorer av inndataens egen verdi (lav høyst 1, "
        "høy minst 1, hver mellom 0,1 og 10): 0,5-1,8 betyr fra halvparten til 1,8 ganger "
        "verdien. Monte Carlo trekker fra en todelt trekantfordeling med median i selve "
        "verdien.",
    },
    "field.uncertainty.draws": {"en": "Monte Carlo draws", "nb": "Monte Carlo-trekninger"},
    "help.uncertainty.draws": {
        "en": "More draws give smoother distributions and take longer.",
        "nb": "Flere trekninger gir jevnere fordelinger og tar lengre tid.",
    },
    "field.uncertainty.seed": {"en": "Random seed", "nb": "Tilfeldig frø"},
    "help.uncertainty.seed": {
        "en": "The same seed gives the same draws, so results do not jump between runs.",
        "nb": "Samme frø gir samme trekninger, så resultatene ikke hopper mellom kjøringer.",
    },
    "field.business.lost_customer_valuation": {
        "en": "Value of one lost customer",
        "nb": "Verdien av én tapt kunde",
    },
    "help.business.lost_customer_valuation": {
        "en": "A lost customer is valued once: either the discounted future margin the "
        "company loses (lifetime margin, Gupta & Lehmann 2003) or, if the company wins a "
        "replacement, what that costs (acquisition cost plus the margin lost while it ramps "
        "up). Never the sum.",
        "nb": "En tapt kunde verdsettes én gang: enten som den neddiskonterte fremtidige "
        "marginen selskapet mister (livstidsmargin, Gupta og Lehmann 2003) eller, hvis "
        "selskapet vinner en erstatter, hva det koster (anskaffelseskostnad pluss marginen "
        "som tapes mens den nye kunden trappes opp). Aldri summen.",
    },
    "option.lifetime_margin": {"en": "Lifetime margin", "nb": "Livstidsmargin"},
    "option.replacement_cost": {"en": "Replacement cost", "nb": "Erstatningskostnad"},
    "option.on": {"en": "Yes", "nb": "Ja"},
    "field.business.replacement_ramp_up_months": {
        "en": "Ramp-up of a replacement customer (months)",
        "nb": "Opptrapping av en ny kunde (måneder)",
    },
    "help.business.replacement_ramp_up_months": {
        "en": "Months of margin lost while a replacement customer grows into a full one "
        "(0-60); used only with the replacement-cost valuation.",
        "nb": "Måneder med tapt margin mens en ny kunde vokser til en full kunde (0-60); "
        "brukes bare når tapte kunder verdsettes til erstatningskostnad.",
    },
    "field.staffing.scheduling_efficiency": {
        "en": "Scheduling efficiency (%)",
        "nb": "Treffsikkerhet i vaktplanen (%)",
    },
    "help.staffing.scheduling_efficiency": {
        "en": "Share of rostered queue time that lands where the hourly load needs it "
        "(50-100 %); shifts cannot follow the load exactly. Used with hourly rosters. "
        "Illustrative default 90 %.",
        "nb": "Andel av planlagt kø-tid som havner der timelasten trenger den (50-100 %); "
        "vakter kan ikke følge lasten nøyaktig. Brukes med vaktplan time for time. "
        "Illustrativ standard 90 %.",
    },
    "field.staffing.shrinkage_includes_training": {
        "en": "Shrinkage already includes training",
        "nb": "Fraværet inkluderer allerede opplæring",
    },
    "help.staffing.shrinkage_includes_training": {
        "en": "On: training hours are part of the shrinkage above and must fit in it. Off: "
        "training is taken off the queues on top of the shrinkage. Counted once either way.",
        "nb": "På: opplæringstimene er en del av fraværet over og må få plass i det. Av: "
        "opplæring trekkes fra køen i tillegg til fraværet. Telles én gang uansett.",
    },
    "field.training.new_hire_hours": {
        "en": "Initial training per new hire (hours)",
        "nb": "Opplæring per nyansatt (timer)",
    },
    "help.training.new_hire_hours": {
        "en": "Hours of training a new representative takes before answering (0-1000 h); "
        "new hires = attrition x representatives a year. QATC 2024: most new-hire "
        "programmes run more than three weeks.",
        "nb": "Timer opplæring en ny kundebehandler får før første henvendelse (0-1000 t); "
        "nyansatte = turnover x kundebehandlere per år. QATC 2024: de fleste "
        "opplæringsprogrammer for nyansatte varer mer enn tre uker.",
    },
    "field.quality.training_fade_half_life_years": {
        "en": "Years until half a training's effect has faded",
        "nb": "År til halve effekten av opplæring er borte",
    },
    "help.quality.training_fade_half_life_years": {
        "en": "How long training lasts (0.1-50 years): after this many years half of its "
        "effect on rude and dismissive contacts is gone. Illustrative default 1 year.",
        "nb": "Hvor lenge opplæring varer (0,1-50 år): etter så mange år er halvparten av "
        "effekten på uhøflige og avvisende henvendelser borte. Illustrativ standard 1 år.",
    },
    "field.churn.abandon_churn": {
        "en": "Churn after giving up for good (%)",
        "nb": "Kundeflukt etter å ha gitt opp for godt (%)",
    },
    "help.churn.abandon_churn": {
        "en": "Probability that a contact who abandons and does not redial leaves the "
        "company (0-100 %).",
        "nb": "Sannsynligheten for at en kunde som legger på og ikke prøver igjen, forlater "
        "selskapet (0-100 %).",
    },
    "field.channels": {"en": "Channels", "nb": "Kanaler"},
    "field.schema_version": {"en": "File format version", "nb": "Filformatversjon"},
    "field.name": {"en": "Scenario name", "nb": "Scenarionavn"},
    "field.description": {"en": "Description", "nb": "Beskrivelse"},
}
STRINGS.update(FIELD_STRINGS)

# ---------------------------------------------------------------------------
# App (model v3): the cards that add up, the one recommendation, decisions apart
# from assumptions, the scenario the uncertainty describes, the planner's table.
APP_STRINGS: Final[dict[str, dict[Language, str]]] = {
    "basis.steady": {"en": "per year, steady state", "nb": "per år, stabil drift"},
    "basis.yearly": {
        "en": "per year, steady state, one-off costs spread over the horizon",
        "nb": "per år, stabil drift, engangskostnader fordelt over horisonten",
    },
    "basis.npv": {"en": "NPV over {years} years", "nb": "nåverdi over {years} år"},
    "card.revenue_at_risk": {"en": "Revenue at risk", "nb": "Omsetning i faresonen"},
    "card.churn_cost": {"en": "Churn cost", "nb": "Kostnad av kundeflukt"},
    "card.service_cost": {"en": "Service cost", "nb": "Servicekostnad"},
    "card.total_cx_cost": {"en": "Total CX cost", "nb": "Total CX-kostnad"},
    "card.plus": {"en": "+", "nb": "+"},
    "card.basis": {"en": "Money {basis}.", "nb": "Beløp {basis}."},
    "card.revenue_at_risk_help": {
        "en": "Annual revenue of the customers who leave each year because of waiting, "
        "rudeness or dismissiveness ({basis}). Revenue, not cost: the churn cost values "
        "the same customers once.",
        "nb": "Årlig omsetning fra kundene som går hvert år på grunn av venting, uhøflighet "
        "eller avvisning ({basis}). Omsetning, ikke kostnad: kostnaden av kundeflukt "
        "verdsetter de samme kundene én gang.",
    },
    "card.churn_cost_caption": {
        "en": "{lost} customers x {value} each ({valuation})",
        "nb": "{lost} kunder x {value} hver ({valuation})",
    },
    "card.churn_cost_help": {
        "en": "Customers lost to the service a year times the value of one lost customer, "
        "counted once: {valuation}, {value} per customer ({basis}).",
        "nb": "Kunder tapt på grunn av servicen per år ganger verdien av én tapt kunde, "
        "telt én gang: {valuation}, {value} per kunde ({basis}).",
    },
    "card.service_cost_help": {
        "en": "What the service costs to run: representatives' loaded pay, training (new "
        "hires included) and replacing representatives who leave ({basis}).",
        "nb": "Hva det koster å drive servicen: kundebehandlernes lønn med påslag, "
        "opplæring (nyansatte inkludert) og erstatning av kundebehandlere som slutter "
        "({basis}).",
    },
    "card.total_cx_cost_help": {
        "en": "Total CX cost = service cost + churn cost: what running the service costs "
        "plus what the customers it loses are worth. Spending more on service lowers the "
        "churn cost; the plan to choose makes the sum smallest ({basis}).",
        "nb": "Total CX-kostnad = servicekostnad + kostnad av kundeflukt: hva det koster å "
        "drive servicen pluss hva kundene den mister er verdt. Mer penger til service gir "
        "lavere kostnad av kundeflukt; planen å velge gjør summen minst ({basis}).",
    },
    "valuation.lifetime_margin": {"en": "lifetime margin", "nb": "livstidsmargin"},
    "valuation.replacement_cost": {"en": "replacement cost", "nb": "erstatningskostnad"},
    "rec.title": {"en": "Recommended plan", "nb": "Anbefalt plan"},
    "rec.summary": {
        "en": "Plan: {reps} representatives in all (now {current_reps}) and {hours} "
        "training hours per representative (now {current_hours}). Net benefit {net} a year "
        "({basis}).",
        "nb": "Plan: {reps} kundebehandlere i alt (nå {current_reps}) og {hours} "
        "opplæringstimer per kundebehandler (nå {current_hours}). Netto gevinst {net} i "
        "året ({basis}).",
    },
    "rec.running": {
        "en": "Finding the staffing and training with the lowest total CX cost…",
        "nb": "Finner bemanning og opplæring med lavest total CX-kostnad…",
    },
    "rec.sentence": {
        "en": "{driver_clause}. Recommended: {plan}; it is worth {net} a year net ({basis}).",
        "nb": "{driver_clause}. Anbefalt: {plan}; den er verdt {net} i året netto ({basis}).",
    },
    "rec.sentence_at_best": {
        "en": "{driver_clause}. Staffing and training are already at the plan with the "
        "lowest total CX cost.",
        "nb": "{driver_clause}. Bemanning og opplæring er allerede på planen med lavest "
        "total CX-kostnad.",
    },
    "rec.no_loss": {
        "en": "Service costs you no customers in this scenario",
        "nb": "Servicen koster deg ingen kunder i dette scenarioet",
    },
    "rec.reps": {
        "en": "{count} {channel} representatives",
        "nb": "{count} kundebehandlere på {channel}",
    },
    "rec.reps_now": {
        "en": "{count} {channel} representatives (now {now})",
        "nb": "{count} kundebehandlere på {channel} (nå {now})",
    },
    "rec.training": {
        "en": "{hours} training hours per representative a year (now {now})",
        "nb": "{hours} opplæringstimer per kundebehandler i året (nå {now})",
    },
    "rec.and": {"en": " and ", "nb": " og "},
    "rec.comma": {"en": ", ", "nb": ", "},
    "rec.band_reps": {
        "en": "On {channel}, anything from {low} to {high} representatives costs within 1 % "
        "of the best.",
        "nb": "På {channel} koster alt fra {low} til {high} kundebehandlere innenfor 1 % av "
        "det beste.",
    },
    "rec.band_training": {
        "en": "Anything from {low} to {high} training hours per representative costs within "
        "1 % of the best.",
        "nb": "Alt fra {low} til {high} opplæringstimer per kundebehandler koster innenfor "
        "1 % av det beste.",
    },
    "rec.warnings": {
        "en": "Outside usual practice, check before you act:",
        "nb": "Utenfor vanlig praksis, sjekk før du handler:",
    },
    "rec.warnings_language": {
        "en": "The model writes these reasons in English.",
        "nb": "(Modellens begrunnelser er på engelsk.)",
    },
    "rec.constrained": {
        "en": "Plan with your constraints",
        "nb": "Plan med dine krav",
    },
    "rec.staffing_heading": {
        "en": "{channel}: recommended {best} representatives (now {current}, total CX cost "
        "now {cost} {basis})",
        "nb": "{channel}: anbefalt {best} kundebehandlere (nå {current}, total CX-kostnad nå "
        "{cost} {basis})",
    },
    "rec.training_heading": {
        "en": "Training: recommended {best} hours per representative a year (now {current}, "
        "total CX cost now {cost} {basis})",
        "nb": "Opplæring: anbefalt {best} timer per kundebehandler i året (nå {current}, "
        "total CX-kostnad nå {cost} {basis})",
    },
    "rec.curve_note": {
        "en": "The curve varies this lever alone with everything else as it is now; the "
        "shaded band costs within 1 % of the curve's minimum. The recommendation moves every "
        "lever together, so it can sit a little off the curve's star.",
        "nb": "Kurven varierer bare denne spaken, alt annet som nå; det skraverte båndet "
        "koster innenfor 1 % av kurvens minimum. Anbefalingen flytter alle spakene samtidig, "
        "så den kan ligge litt ved siden av kurvens stjerne.",
    },
    "quality.workforce": {
        "en": "{hires} new hires a year each take {new_hire} hours of initial training; with "
        "the {ongoing} ongoing hours that averages {hours} training hours per representative "
        "a year, and {shrinkage} of paid time is off the queues.",
        "nb": "{hires} nyansatte i året får hver {new_hire} timer innledende opplæring; med "
        "de {ongoing} løpende timene blir det i snitt {hours} opplæringstimer per "
        "kundebehandler i året, og {shrinkage} av betalt tid er borte fra køen.",
    },
    "staffing.queue_title": {"en": "Queue outcomes now", "nb": "Køresultater nå"},
    "col.give_up": {"en": "Give up for good", "nb": "Gir opp for godt"},
    "col.contacts": {"en": "Contacts a year", "nb": "Henvendelser per år"},
    "col.attempts": {
        "en": "Attempts a year (with redials)",
        "nb": "Forsøk per år (med nye forsøk)",
    },
    "col.peak_occupancy": {"en": "Peak occupancy", "nb": "Høyeste belegg"},
    "col.max_occupancy": {"en": "Occupancy cap", "nb": "Tak for belegg"},
    "staffing.redials_note": {
        "en": "Redials: {channel} gets {contacts} contacts but {attempts} attempts a year "
        "(+{extra}) because callers who hang up try again.",
        "nb": "Nye forsøk: {channel} får {contacts} henvendelser, men {attempts} forsøk i "
        "året (+{extra}) fordi kunder som legger på, prøver igjen.",
    },
    "staffing.plan_title": {
        "en": "Representatives needed hour by hour for a {target} service level",
        "nb": "Kundebehandlere som trengs time for time for {target} servicegrad",
    },
    "staffing.plan_caption": {
        "en": "A planner's table: the hourly roster that answers {target} within each "
        "channel's target time ({channel} needs {needed} representatives in all). The "
        "cost-optimal plan is the curve above and the recommendation on the Overview.",
        "nb": "En planleggers tabell: vaktplanen time for time som besvarer {target} innen "
        "kanalens måltid ({channel} trenger {needed} kundebehandlere i alt). Den "
        "kostnadsoptimale planen er kurven over og anbefalingen i Oversikt.",
    },
    "staffing.plan_missing": {
        "en": "The hour-by-hour planner's table is not available in this version.",
        "nb": "Planleggerens tabell time for time er ikke tilgjengelig i denne versjonen.",
    },
    "staffing.target": {
        "en": "Target service level (%)",
        "nb": "Mål for servicegrad (%)",
    },
    "col.day": {"en": "Day", "nb": "Dag"},
    "col.hour": {"en": "Hour", "nb": "Time"},
    "col.contacts_per_hour": {"en": "Contacts per hour", "nb": "Henvendelser per time"},
    "col.agents_on_queue": {"en": "On the queue", "nb": "I køen"},
    "col.representatives_rostered": {
        "en": "Representatives (with shrinkage)",
        "nb": "Kundebehandlere (med fravær)",
    },
    "compare.decision_title": {
        "en": "What the decision is worth",
        "nb": "Hva beslutningen er verdt",
    },
    "compare.decision_caption": {
        "en": "The changed decisions (representatives, training, rosters) priced under the "
        "baseline's assumptions. Net benefit {basis}; NPV over {years} years.",
        "nb": "De endrede beslutningene (kundebehandlere, opplæring, vaktplaner) priset med "
        "basens forutsetninger. Netto gevinst {basis}; nåverdi over {years} år.",
    },
    "compare.assumptions_changed": {
        "en": "You also changed assumptions, not decisions ({count}). Their effect is shown "
        "apart and is not counted as benefit of the decision:",
        "nb": "Du har også endret forutsetninger, ikke beslutninger ({count}). Virkningen "
        "vises for seg og telles ikke som gevinst av beslutningen:",
    },
    "compare.assumptions_effect": {
        "en": "What the new assumptions change (total CX cost per year)",
        "nb": "Hva de nye forutsetningene endrer (total CX-kostnad per år)",
    },
    "compare.assumptions_effect_help": {
        "en": "Change in total CX cost that the changed assumptions make on their own "
        "({basis}); positive means the business looks costlier, not that the decision "
        "costs more.",
        "nb": "Endring i total CX-kostnad som de endrede forutsetningene gir alene "
        "({basis}); positivt betyr at virksomheten ser dyrere ut, ikke at beslutningen "
        "koster mer.",
    },
    "compare.no_decision": {
        "en": "No decision changed: only assumptions differ from the baseline.",
        "nb": "Ingen beslutning er endret: bare forutsetninger skiller seg fra basen.",
    },
    "compare.table_caption": {
        "en": "Headline figures of each scenario as it stands, assumptions included ({basis}).",
        "nb": "Hovedtall for hvert scenario slik det er, forutsetninger inkludert ({basis}).",
    },
    "metric.net_benefit_help": {
        "en": "NPV divided by the annuity factor: the steady-state saving less the one-off "
        "hiring spread over the horizon ({basis}). Same sign as the NPV and the ROI.",
        "nb": "Nåverdien delt på annuitetsfaktoren: besparelsen i stabil drift minus "
        "engangskostnaden for ansettelser fordelt over horisonten ({basis}). Samme "
        "fortegn som nåverdien og avkastningen.",
    },
    "unc.describes": {
        "en": "Describes: {name}",
        "nb": "Beskriver: {name}",
    },
    "unc.source": {"en": "Scenario", "nb": "Scenario"},
    "unc.source.current": {"en": "Current inputs", "nb": "Dagens inndata"},
    "unc.source.baseline": {"en": "Baseline ({name})", "nb": "Basen ({name})"},
    "unc.intro": {
        "en": "Sixteen assumptions a manager cannot look up (churn responses, wait "
        "tolerance, patience, failure shares, training effect and fade, repeat contacts, "
        "demand, revenue, margin) vary between the multiplier ranges in the sidebar. The "
        "plan judged is the recommended one for this scenario.",
        "nb": "Seksten forutsetninger en leder ikke kan slå opp (kundeflukt-responser, "
        "toleranse for venting, tålmodighet, feilandeler, effekt og varighet av "
        "opplæring, gjentatte henvendelser, etterspørsel, omsetning, margin) varierer "
        "innenfor multiplikator-intervallene i sidefeltet. Planen som vurderes er den "
        "anbefalte for dette scenarioet.",
    },
    "unc.plan": {
        "en": "Recommended plan: {plan}.",
        "nb": "Anbefalt plan: {plan}.",
    },
    "unc.basis": {
        "en": "{draws} draws, seed {seed}. Revenue at risk and total CX cost {steady}; net "
        "benefit {yearly}.",
        "nb": "{draws} trekninger, frø {seed}. Omsetning i faresonen og total CX-kostnad "
        "{steady}; netto gevinst {yearly}.",
    },
    "unc.row.revenue_at_risk": {"en": "Revenue at risk", "nb": "Omsetning i faresonen"},
    "unc.row.total_cx_cost": {"en": "Total CX cost", "nb": "Total CX-kostnad"},
    "unc.row.net_benefit": {
        "en": "Net benefit of the recommended plan",
        "nb": "Netto gevinst av anbefalt plan",
    },
    "unc.col.figure": {"en": "Figure", "nb": "Tall"},
    "unc.col.headline": {"en": "At the inputs' values", "nb": "Ved inndataenes verdier"},
    "unc.pays_off": {
        "en": "Probability the recommended plan pays off",
        "nb": "Sannsynlighet for at anbefalt plan lønner seg",
    },
    "unc.break_even": {
        "en": "The plan pays off as long as training cuts dismissive contacts by at least "
        "{required} (the model expects {modelled}).",
        "nb": "Planen lønner seg så lenge opplæringen kutter avvisende henvendelser med "
        "minst {required} (modellen venter {modelled}).",
    },
    "unc.break_even_free": {
        "en": "The plan pays off even if training cuts no dismissive contacts at all.",
        "nb": "Planen lønner seg selv om opplæringen ikke kutter noen avvisende henvendelser.",
    },
    "unc.break_even_never": {
        "en": "The plan does not pay off even if training removed every dismissive contact.",
        "nb": "Planen lønner seg ikke selv om opplæringen fjernet alle avvisende henvendelser.",
    },
    "unc.no_plan": {
        "en": "The current inputs are already the recommended plan; no net benefit to judge.",
        "nb": "Dagens inndata er allerede anbefalt plan; ingen netto gevinst å vurdere.",
    },
    "unc.tornado_title": {
        "en": "What moves the recommendation's net benefit",
        "nb": "Hva som flytter netto gevinst av anbefalingen",
    },
    "unc.run": {"en": "Run the uncertainty analysis", "nb": "Kjør usikkerhetsanalysen"},
    "unc.running": {
        "en": "Drawing {draws} scenarios and finding the recommended plan…",
        "nb": "Trekker {draws} scenarioer og finner anbefalt plan…",
    },
    "unc.stale": {
        "en": "The inputs changed since this run (it describes {name} as it was); run again.",
        "nb": "Inndataene er endret siden denne kjøringen (den beskriver {name} slik det "
        "var); kjør på nytt.",
    },
    "unc.not_run": {
        "en": "Press the button to run the analysis for {name} (it takes a few seconds).",
        "nb": "Trykk på knappen for å kjøre analysen for {name} (det tar noen sekunder).",
    },
    "app.field_problem": {
        "en": "{field}: {message}",
        "nb": "{field}: {message}",
    },
}
STRINGS.update(APP_STRINGS)


def basis_label(
    basis: Literal["steady", "yearly", "npv"], language: Language, years: int = 0
) -> str:
    """The time basis a money figure is on, in words ("per year, steady state", ...).

    ``steady`` for a scenario's own yearly figures, ``yearly`` for a comparison's
    net benefit (``cxcost.compare.YEARLY_BASIS``), ``npv`` for a present value
    over ``years``.
    """
    if basis == "npv":
        return t("basis.npv", language, years=years)
    return t(f"basis.{basis}", language)


# ---------------------------------------------------------------------------
# Exports (cxcost/report: PDF summary, HTML report, XLSX workbook). Every key starts
# with "report."; owned by the exports, kept apart so both blocks can be edited at once.
REPORT_STRINGS: Final[dict[str, dict[Language, str]]] = {
    "report.title": {"en": "Executive summary", "nb": "Sammendrag for ledelsen"},
    "report.prepared": {"en": "Prepared {date}", "nb": "Utarbeidet {date}"},
    "report.recommendation": {"en": "Recommendation", "nb": "Anbefaling"},
    "report.assumptions": {
        "en": "Key assumptions and sources",
        "nb": "Viktige forutsetninger og kilder",
    },
    "report.assumptions.more": {
        "en": "{count} more inputs, each with its source, are listed in the Excel workbook.",
        "nb": "{count} flere inndata, hver med sin kilde, står i Excel-arbeidsboken.",
    },
    "report.charts_missing": {
        "en": "The charts could not be drawn: {reason}",
        "nb": "Diagrammene kunne ikke tegnes: {reason}",
    },
    "report.footer": {
        "en": "Estimates from the assumptions listed. Model: Erlang A queues; churn "
        "attributed to waiting, rudeness and dismissiveness. Made with cxcost.",
        "nb": "Anslag ut fra forutsetningene som er listet. Modell: Erlang A-køer; "
        "kundeflukt fordelt på venting, uhøflighet og avvisning. Laget med cxcost.",
    },
    "report.recommendation.channel": {
        "en": "{channel}: {current} → {proposed} representatives (FTE)",
        "nb": "{channel}: {current} → {proposed} kundebehandlere (årsverk)",
    },
    "report.note.revenue": {
        "en": "{share} of annual revenue",
        "nb": "{share} av årlig omsetning",
    },
    "report.note.customers": {
        "en": "{rate} of {customers} customers",
        "nb": "{rate} av {customers} kunder",
    },
    "report.note.total": {
        "en": "of which churn {churn}",
        "nb": "herav kundeflukt {churn}",
    },
    "report.source.default": {
        "en": "model default (illustrative)",
        "nb": "modellens standardverdi (illustrativ)",
    },
    "report.note.service": {
        "en": "{reps} representatives (FTE)",
        "nb": "{reps} kundebehandlere (årsverk)",
    },
    "report.range.low": {"en": "{label}, low end", "nb": "{label}, lav ende"},
    "report.range.high": {"en": "{label}, high end", "nb": "{label}, høy ende"},
    "report.profile_hour": {"en": "{label}: {day} {hour}", "nb": "{label}: {day} {hour}"},
    "report.yes": {"en": "yes", "nb": "ja"},
    "report.no": {"en": "no", "nb": "nei"},
    # HTML report
    "report.html.title": {
        "en": "{name}: the cost of bad service",
        "nb": "{name}: hva dårlig service koster",
    },
    "report.html.intro": {
        "en": "Interactive report: hover over a chart to read its values, drag to zoom, "
        "double-click to zoom out. Everything is in this one file; it works offline.",
        "nb": "Interaktiv rapport: hold pekeren over et diagram for å lese verdiene, dra for "
        "å zoome inn, dobbeltklikk for å zoome ut. Alt ligger i denne ene filen; den virker "
        "uten nett.",
    },
    # XLSX workbook
    "report.sheet.inputs": {"en": "Inputs", "nb": "Inndata"},
    "report.sheet.results": {"en": "Results", "nb": "Resultater"},
    "report.sheet.channels": {"en": "Channels", "nb": "Kanaler"},
    "report.sheet.staffing_curve": {"en": "Staffing curve", "nb": "Bemanningskurve"},
    "report.sheet.training_curve": {"en": "Training curve", "nb": "Opplæringskurve"},
    "report.sheet.recommendation": {"en": "Recommendation", "nb": "Anbefaling"},
    "report.col.metric": {"en": "Metric", "nb": "Størrelse"},
    "report.col.label": {"en": "Input", "nb": "Inndata"},
    "report.col.kind": {"en": "Type", "nb": "Type"},
    "report.col.p_wait": {"en": "Share that waits", "nb": "Andel som venter"},
    "report.col.agents_per_open_hour": {
        "en": "Representatives on the queue per open hour",
        "nb": "Kundebehandlere i køen per åpen time",
    },
    "report.col.wait_churn": {
        "en": "Churn from waiting per contact",
        "nb": "Kundeflukt av venting per henvendelse",
    },
    "report.col.payroll": {"en": "Payroll per year", "nb": "Lønnskostnad per år"},
    "report.col.with_unit": {"en": "{label} ({unit})", "nb": "{label} ({unit})"},
    "report.unit.money_per_year": {"en": "{currency}/year", "nb": "{currency}/år"},
    "report.unit.money": {"en": "{currency}", "nb": "{currency}"},
    "report.unit.customers_per_year": {"en": "customers/year", "nb": "kunder/år"},
    "report.unit.contacts_per_year": {"en": "contacts/year", "nb": "henvendelser/år"},
    "report.unit.share": {"en": "share 0-1", "nb": "andel 0-1"},
    "report.unit.share_per_year": {"en": "share/year", "nb": "andel/år"},
    "report.unit.customers": {"en": "customers", "nb": "kunder"},
    "report.unit.fte": {"en": "FTE", "nb": "årsverk"},
    "report.unit.ratio": {"en": "ratio", "nb": "forhold"},
    "report.unit.hours_per_year": {"en": "h/year", "nb": "t/år"},
    "report.unit.seconds": {"en": "s", "nb": "s"},
    "report.unit.months": {"en": "months", "nb": "måneder"},
    "report.unit.years": {"en": "years", "nb": "år"},
    "report.unit.minutes": {"en": "min", "nb": "min"},
    "report.unit.x": {"en": "×", "nb": "×"},
    "report.unit.x_salary": {"en": "× salary", "nb": "× lønn"},
    "report.per.year": {"en": "/year", "nb": "/år"},
    "report.per.customer": {"en": "/customer", "nb": "/kunde"},
    "report.per.h": {"en": "/h", "nb": "/t"},
    "report.per.rep": {"en": "/representative", "nb": "/kundebehandler"},
    "report.result.customers_lost_driver": {
        "en": "Customers lost per year: {driver}",
        "nb": "Tapte kunder per år: {driver}",
    },
    "report.result.revenue_driver": {
        "en": "Revenue at risk per year: {driver}",
        "nb": "Omsetning i faresonen per år: {driver}",
    },
    "report.result.churn_cost_driver": {
        "en": "Churn cost per year: {driver}",
        "nb": "Kostnad av kundeflukt per år: {driver}",
    },
    "report.result.service_churn_rate": {
        "en": "Customers lost to service (share per year)",
        "nb": "Kunder tapt på grunn av service (andel per år)",
    },
    "report.result.silent": {
        "en": "Customers who leave silently per year",
        "nb": "Kunder som går stille per år",
    },
    "report.result.complaining": {
        "en": "Customers who complain, then leave, per year",
        "nb": "Kunder som klager og så går, per år",
    },
    "report.result.silent_per_complaint": {
        "en": "Silent leavers for every complaining one",
        "nb": "Stille avganger for hver som klager",
    },
    "report.result.customer_lifetime_margin": {
        "en": "Lifetime margin of one customer",
        "nb": "Livstidsmargin for én kunde",
    },
    "report.result.lost_lifetime_margin": {
        "en": "Lost lifetime margin per year",
        "nb": "Tapt livstidsmargin per år",
    },
    "report.result.replacement_cost": {
        "en": "Cost to win replacement customers per year",
        "nb": "Kostnad for å vinne nye kunder per år",
    },
    "report.result.first_contacts": {
        "en": "First contacts per year",
        "nb": "Nye henvendelser per år",
    },
    "report.result.repeat_contacts": {
        "en": "Repeat contacts per year",
        "nb": "Gjentatte henvendelser per år",
    },
    "report.result.contacts": {"en": "All contacts per year", "nb": "Alle henvendelser per år"},
    "report.result.wait_churn_per_contact": {
        "en": "Churn from waiting per contact",
        "nb": "Kundeflukt av venting per henvendelse",
    },
    "report.result.churn_per_contact": {
        "en": "Churn per contact, all drivers",
        "nb": "Kundeflukt per henvendelse, alle årsaker",
    },
    "report.result.staffing_cost": {
        "en": "Staffing cost per year (outside training)",
        "nb": "Bemanningskostnad per år (utenom opplæring)",
    },
    "report.result.training_cost": {
        "en": "Training cost per year",
        "nb": "Opplæringskostnad per år",
    },
    "report.result.attrition_cost": {
        "en": "Cost of replacing representatives who leave, per year",
        "nb": "Kostnad ved å erstatte kundebehandlere som slutter, per år",
    },
    "report.rec.extra_service_cost": {
        "en": "Extra service cost per year",
        "nb": "Ekstra servicekostnad per år",
    },
    "report.rec.churn_cost_saved": {
        "en": "Churn cost avoided per year",
        "nb": "Unngått kostnad av kundeflukt per år",
    },
    "report.rec.revenue_saved": {"en": "Revenue kept per year", "nb": "Omsetning beholdt per år"},
    "report.rec.customers_saved": {"en": "Customers kept per year", "nb": "Kunder beholdt per år"},
    "report.rec.one_off": {
        "en": "One-off cost of hiring added representatives",
        "nb": "Engangskostnad for å ansette flere kundebehandlere",
    },
    "report.rec.feasible": {"en": "Meets every constraint", "nb": "Oppfyller alle krav"},
}
STRINGS.update(REPORT_STRINGS)

# ---------------------------------------------------------------------------
# Sharing and export in the app (cxcost/ui/share.py): scenario files, share links,
# chart images and report downloads. Every key starts with "share.".
SHARE_STRINGS: Final[dict[str, dict[Language, str]]] = {
    "share.title": {"en": "Share and export", "nb": "Del og eksporter"},
    "share.from_file_or_link": {"en": "From a file or link", "nb": "Fra fil eller lenke"},
    "share.download": {"en": "Save file", "nb": "Lagre fil"},
    "share.download_help": {
        "en": "Download this scenario as a file (.json) to send to someone or to open again "
        "later with «Open file».",
        "nb": "Last ned scenarioet som en fil (.json) for å sende det til noen eller åpne det "
        "igjen senere med «Åpne fil».",
    },
    "share.open": {"en": "Open file", "nb": "Åpne fil"},
    "share.upload": {"en": "Open a scenario file (.json)", "nb": "Åpne en scenariofil (.json)"},
    "share.upload_help": {
        "en": "A file saved with «Save file», or a preset. A file with problems changes "
        "nothing; every problem is listed with its field.",
        "nb": "En fil lagret med «Lagre fil», eller et forhåndsvalg. En fil med feil endrer "
        "ingenting; hver feil listes med sitt felt.",
    },
    "share.uploaded": {
        "en": "Opened «{name}» from {file}.",
        "nb": "Åpnet «{name}» fra {file}.",
    },
    "share.upload_failed": {
        "en": "{file} was not opened and nothing was changed. What is wrong, field by field:",
        "nb": "{file} ble ikke åpnet, og ingenting ble endret. Dette er feil, felt for felt:",
    },
    "share.migrated": {
        "en": "Written by an older cxcost and updated on opening: {message}",
        "nb": "Laget av en eldre cxcost og oppdatert ved åpning: {message}",
    },
    "share.link": {"en": "Link", "nb": "Lenke"},
    "share.link_help": {
        "en": "Copy the whole scenario as a link for e-mail or chat; the address bar shows it too.",
        "nb": "Kopier hele scenarioet som en lenke for e-post eller chat; adressefeltet viser "
        "den også.",
    },
    "share.link_intro": {
        "en": "Whoever opens this link sees exactly this scenario and these numbers. Copy it "
        "with the button at its top right.",
        "nb": "Den som åpner lenken, ser akkurat dette scenarioet og disse tallene. Kopier den "
        "med knappen øverst til høyre.",
    },
    "share.link_length": {"en": "{length} characters", "nb": "{length} tegn"},
    "share.link_too_long": {
        "en": "This link is {length} characters long, more than the about {limit} that e-mail "
        "and chat programs pass on safely. Send the scenario file instead:",
        "nb": "Lenken er {length} tegn lang, mer enn de omtrent {limit} som e-post- og "
        "chatprogrammer sender trygt videre. Send heller scenariofilen:",
    },
    "share.link_refused": {
        "en": "This scenario is too large for a link (more than {limit} characters). "
        "Send the scenario file instead:",
        "nb": "Scenarioet er for stort for en lenke (mer enn {limit} tegn). "
        "Send heller scenariofilen:",
    },
    "share.link_broken": {
        "en": "The share link could not be opened, so the default scenario is shown instead. Why:",
        "nb": "Delingslenken kunne ikke åpnes, så standardscenarioet vises i stedet. Årsak:",
    },
    "share.reports": {"en": "Reports", "nb": "Rapporter"},
    "share.reports_help": {
        "en": "This scenario as an executive summary (PDF), an interactive report (HTML) and "
        "a workbook (Excel), in the language chosen above.",
        "nb": "Scenarioet som sammendrag for ledelsen (PDF), interaktiv rapport (HTML) og "
        "regneark (Excel), på språket som er valgt øverst.",
    },
    "share.reports_preparing": {"en": "Preparing the reports …", "nb": "Lager rapportene …"},
    "share.report.pdf": {"en": "Executive summary (PDF)", "nb": "Sammendrag for ledelsen (PDF)"},
    "share.report.html": {"en": "Interactive report (HTML)", "nb": "Interaktiv rapport (HTML)"},
    "share.report.xlsx": {"en": "Workbook (Excel)", "nb": "Regneark (Excel)"},
    "share.report_no_charts": {
        "en": "The summary was made without its charts: {reason}",
        "nb": "Sammendraget ble laget uten diagrammene: {reason}",
    },
    "share.export": {"en": "Export", "nb": "Eksporter"},
    "share.export_help": {
        "en": "Download this chart as an image (PNG, SVG or PDF).",
        "nb": "Last ned diagrammet som bilde (PNG, SVG eller PDF).",
    },
    "share.export_preparing": {"en": "Drawing the images …", "nb": "Tegner bildene …"},
    "share.export.png": {"en": "PNG image", "nb": "PNG-bilde"},
    "share.export.svg": {"en": "SVG (vector)", "nb": "SVG (vektor)"},
    "share.export.pdf": {"en": "PDF", "nb": "PDF"},
    "share.export_failed": {
        "en": "The chart images could not be made: {reason}",
        "nb": "Diagrambildene kunne ikke lages: {reason}",
    },
    "share.retry": {"en": "Try again", "nb": "Prøv igjen"},
}
STRINGS.update(SHARE_STRINGS)

# ---------------------------------------------------------------------------
# Exports on model v3 (cxcost/report/, cxcost/cli/): time basis of money, the value of a
# lost customer, the recommended plan in the finding, uncertainty of the plan, guardrail
# warnings, decisions apart from assumptions, the hourly staffing sheet. Keys start with
# "basis.", "valuation.", "finding.plan", "report.v3." or "chart.v3.".
EXPORT_V3_STRINGS: Final[dict[str, dict[Language, str]]] = {
    # The English wording is cxcost.compare.YEARLY_BASIS (tests/test_report.py holds them equal).
    "basis.yearly": {
        "en": "per year, steady state, one-off costs spread over the horizon",
        "nb": "per år, stabil drift, engangskostnader fordelt over horisonten",
    },
    "basis.npv": {"en": "NPV over {years} years", "nb": "nåverdi over {years} år"},
    "basis.note": {
        "en": "All money {yearly}, unless marked as {npv}.",
        "nb": "Alle beløp {yearly}, med mindre de er merket {npv}.",
    },
    "valuation.lifetime_margin": {"en": "lifetime margin", "nb": "livstidsmargin"},
    "valuation.replacement_cost": {"en": "replacement cost", "nb": "erstatningskostnad"},
    "report.v3.total_explained": {
        "en": "Total CX cost {total} = service cost {service} (representatives, training, "
        "replacing staff who leave) + churn cost {churn} (the {customers} customers lost a year "
        "x {value} each, valued at their {valuation}): what good and bad service cost together. "
        "Revenue at risk {revenue} is the yearly revenue of those customers; it is not added "
        "to the total.",
        "nb": "Total CX-kostnad {total} = servicekostnad {service} (kundebehandlere, opplæring, "
        "erstatning av ansatte som slutter) + kundeflukt {churn} (de {customers} kundene som "
        "tapes i året x {value} hver, verdsatt til {valuation}): det god og dårlig service "
        "koster til sammen. Omsetning i faresonen {revenue} er de tapte kundenes årlige "
        "omsetning; den legges ikke til totalen.",
    },
    "report.v3.note.total": {
        "en": "service {service} + churn {churn}",
        "nb": "service {service} + kundeflukt {churn}",
    },
    "finding.plan": {
        "en": "the recommended plan ({changes}) would cut the total CX cost by {net} a year",
        "nb": "den anbefalte planen ({changes}) ville redusert total CX-kostnad med {net} i året",
    },
    "finding.plan_costs": {
        "en": "the recommended plan ({changes}) would raise the total CX cost by {net} a year",
        "nb": "den anbefalte planen ({changes}) ville økt total CX-kostnad med {net} i året",
    },
    "finding.plan.training": {
        "en": "{hours} training hours per representative instead of {current}",
        "nb": "{hours} opplæringstimer per kundebehandler i stedet for {current}",
    },
    "finding.plan.representatives": {
        "en": "{count} representatives in all instead of {current}",
        "nb": "{count} kundebehandlere i alt i stedet for {current}",
    },
    "report.v3.warnings": {
        "en": "Outside usual practice",
        "nb": "Utenfor vanlig praksis",
    },
    "report.v3.assumptions_changed": {
        "en": "Decisions and assumptions both changed. The figures above are the decisions' "
        "effect, priced under today's assumptions; the changed assumptions ({paths}) move the "
        "total CX cost by {effect} a year on their own, which is not a benefit of the decisions.",
        "nb": "Både beslutninger og forutsetninger er endret. Tallene over er beslutningenes "
        "virkning, regnet med dagens forutsetninger; de endrede forutsetningene ({paths}) "
        "flytter total CX-kostnad med {effect} i året alene, og det er ikke en gevinst av "
        "beslutningene.",
    },
    "report.v3.uncertainty": {"en": "How sure is this?", "nb": "Hvor sikkert er dette?"},
    "report.v3.uncertainty_intro": {
        "en": "{draws} draws of every assumption a manager cannot look up (churn responses, "
        "patience, training response, demand, revenue, margin), each between the low and high "
        "end of its range; P10 and P90 bound 8 of 10 draws. Figures of the recommended plan "
        "against today.",
        "nb": "{draws} trekninger av alle forutsetninger en leder ikke kan slå opp "
        "(kundefluktrespons, tålmodighet, opplæringseffekt, etterspørsel, omsetning, margin), "
        "hver mellom lav og høy ende av sitt intervall; P10 og P90 rammer inn 8 av 10 "
        "trekninger. Tall for den anbefalte planen mot i dag.",
    },
    "report.v3.point": {"en": "Base case", "nb": "Basisanslag"},
    "report.v3.rar": {"en": "Revenue at risk", "nb": "Omsetning i faresonen"},
    "report.v3.total": {"en": "Total CX cost", "nb": "Total CX-kostnad"},
    "report.v3.net": {"en": "Plan's net benefit", "nb": "Planens netto gevinst"},
    "report.v3.pays_off": {
        "en": "The plan pays off in {probability} of draws.",
        "nb": "Planen lønner seg i {probability} av trekningene.",
    },
    "report.v3.break_even": {
        "en": "Break-even: the plan pays off if training cuts dismissive contacts by at least "
        "{required}; the model expects {modelled}.",
        "nb": "Balansepunkt: planen lønner seg hvis opplæringen reduserer avvisende "
        "henvendelser med minst {required}; modellen venter {modelled}.",
    },
    "report.v3.break_even_free": {
        "en": "Break-even: the plan pays off even if training cut no dismissive contacts.",
        "nb": "Balansepunkt: planen lønner seg selv om opplæringen ikke reduserte avvisende "
        "henvendelser i det hele tatt.",
    },
    "report.v3.break_even_never": {
        "en": "Break-even: the plan does not pay off even if training removed every dismissive "
        "contact.",
        "nb": "Balansepunkt: planen lønner seg ikke selv om opplæringen fjernet alle avvisende "
        "henvendelser.",
    },
    "chart.v3.tornado.title": {
        "en": "{parameter} moves the plan's net benefit the most ({swing} a year)",
        "nb": "{parameter} flytter planens netto gevinst mest ({swing} per år)",
    },
    "chart.v3.tornado.reference": {
        "en": "Base case: {value}",
        "nb": "Basisanslag: {value}",
    },
    "chart.v3.band": {
        "en": "Within 1 % of the cheapest",
        "nb": "Innenfor 1 % av det billigste",
    },
    "report.sheet.staffing": {"en": "Staffing", "nb": "Bemanning"},
    "report.sheet.uncertainty": {"en": "Uncertainty", "nb": "Usikkerhet"},
    "report.v3.col.day": {"en": "Day", "nb": "Dag"},
    "report.v3.col.hour": {"en": "Hour", "nb": "Time"},
    "report.v3.col.kind": {"en": "Kind", "nb": "Type"},
    "report.v3.col.contacts_per_hour": {"en": "Contacts per hour", "nb": "Henvendelser per time"},
    "report.v3.col.agents_on_queue": {"en": "Agents on the queue", "nb": "Agenter i køen"},
    "report.v3.col.scheduled": {
        "en": "Representatives to schedule (shrinkage incl.)",
        "nb": "Kundebehandlere å sette opp (fravær medregnet)",
    },
    "report.v3.col.needed": {
        "en": "Needed for the target (FTE)",
        "nb": "Trengs for målet (årsverk)",
    },
    "report.v3.col.optimal": {
        "en": "Cost-optimal plan (FTE)",
        "nb": "Kostnadsoptimal plan (årsverk)",
    },
    "report.v3.col.now": {"en": "Now (FTE)", "nb": "Nå (årsverk)"},
    "report.v3.staffing_target": {
        "en": "Target: {share} of contacts answered within each channel's target time",
        "nb": "Mål: {share} av henvendelsene besvart innen kanalens måltid",
    },
    "report.v3.col.p10": {"en": "P10", "nb": "P10"},
    "report.v3.col.p50": {"en": "P50", "nb": "P50"},
    "report.v3.col.p90": {"en": "P90", "nb": "P90"},
    "report.v3.col.low": {"en": "Low end", "nb": "Lav ende"},
    "report.v3.col.high": {"en": "High end", "nb": "Høy ende"},
    "report.v3.col.swing": {"en": "Swing", "nb": "Utslag"},
    "report.v3.col.range": {"en": "Range (x its value)", "nb": "Intervall (x verdien)"},
    "report.v3.basis": {"en": "Basis", "nb": "Grunnlag"},
    "report.v3.valuation": {
        "en": "Value of one lost customer ({valuation})",
        "nb": "Verdi av én tapt kunde ({valuation})",
    },
    # Tornado inputs (cxcost.uncertainty.PARAMETERS); the English is its PARAMETER_LABELS.
    "param.v3.wait_churn_max": {
        "en": "Churn after a very long wait",
        "nb": "Kundeflukt etter svært lang ventetid",
    },
    "param.v3.abandon_churn": {
        "en": "Churn after giving up for good",
        "nb": "Kundeflukt etter å ha gitt opp for godt",
    },
    "param.v3.rude_churn": {
        "en": "Churn after a rude contact",
        "nb": "Kundeflukt etter en uhøflig henvendelse",
    },
    "param.v3.dismissive_churn": {
        "en": "Churn after a dismissive contact",
        "nb": "Kundeflukt etter en avvisende henvendelse",
    },
    "param.v3.wait_tolerance": {
        "en": "Wait customers accept (tolerance)",
        "nb": "Ventetid kundene godtar (toleranse)",
    },
    "param.v3.patience": {"en": "Customer patience", "nb": "Kundenes tålmodighet"},
    "param.v3.rude_share_untrained": {
        "en": "Rude contacts without training",
        "nb": "Uhøflige henvendelser uten opplæring",
    },
    "param.v3.rude_share_floor": {
        "en": "Rude contacts no training removes",
        "nb": "Uhøflige henvendelser ingen opplæring fjerner",
    },
    "param.v3.dismissive_share_untrained": {
        "en": "Dismissive contacts without training",
        "nb": "Avvisende henvendelser uten opplæring",
    },
    "param.v3.dismissive_share_floor": {
        "en": "Dismissive contacts no training removes",
        "nb": "Avvisende henvendelser ingen opplæring fjerner",
    },
    "param.v3.training_half_life": {
        "en": "Training needed to halve failures",
        "nb": "Opplæring som trengs for å halvere feil",
    },
    "param.v3.training_fade": {
        "en": "How long training lasts",
        "nb": "Hvor lenge opplæringen varer",
    },
    "param.v3.repeat_contact_rate": {
        "en": "Dismissed customers who call again",
        "nb": "Avviste kunder som tar kontakt igjen",
    },
    "param.v3.contacts_per_customer": {
        "en": "Contacts per customer",
        "nb": "Henvendelser per kunde",
    },
    "param.v3.revenue_per_customer": {
        "en": "Revenue per customer",
        "nb": "Omsetning per kunde",
    },
    "param.v3.gross_margin": {"en": "Gross margin", "nb": "Bruttomargin"},
    "report.v3.payback_now": {
        "en": "immediately (no one-off cost)",
        "nb": "straks (ingen engangskostnad)",
    },
    "report.v3.probability": {
        "en": "Probability the plan pays off",
        "nb": "Sannsynlighet for at planen lønner seg",
    },
}
STRINGS.update(EXPORT_V3_STRINGS)
