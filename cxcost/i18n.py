"""Words and numbers for people: the app's strings in English and Norwegian Bokmål.

This is the one formatter of money, numbers, shares and durations (Babel, CLDR
locale data) and the one reader of the user-facing strings, shared by the app,
every export and the CLI. Nothing here imports streamlit.

The strings live in gettext catalogs, ``cxcost/locale/{en,nb}/LC_MESSAGES/
cxcost.po``, one message per key (``tab.overview``), with plural forms where a
number is in the text (``tn``). Each language's catalog is read once per
process and cached (``translations``); nothing installs a global ``_``, since one
Streamlit process serves every session in its own language. Keys built at run
time (``field.<path>``, ``day.<name>``, ...) start with one of
``DYNAMIC_KEY_PREFIXES``, so the extraction check knows them. To add or change
a string: edit both ``.po`` files (translators: the ``nb`` one), compile them
with ``python -m cxcost.i18n`` (each ``.mo`` beside its ``.po``; an edited ``.po``
is compiled in memory until then), and ``python -m pytest tests/test_catalogs.py``
checks that every key the code asks for is in both catalogs with the same
placeholders, that no key is unused and that the ``.mo`` files are current.
``pybabel extract -F babel.cfg -k t -k tn:1 -o cxcost/locale/cxcost.pot .``
lists the keys the code names literally.

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

import functools
import hashlib
import io
import math
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, get_args

from babel import Locale
from babel.numbers import NumberPattern, format_compact_decimal, format_currency, parse_pattern
from babel.units import format_unit

if TYPE_CHECKING:  # the catalog readers load when a string is first read (see _compile)
    from babel.support import Translations

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


@functools.cache
def _locale(language: Language) -> Locale:
    return Locale.parse(LOCALES[language])


@functools.lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _decimal(value: float, pattern: str, language: Language) -> str:
    """Babel's ``format_decimal(value, format=pattern, locale=...)``, with the pattern
    and the locale parsed once (a third of the time of each call; a slider move
    writes some 30 numbers)."""
    return _plain(_pattern(pattern).apply(value, _locale(language)))


def _round_significant(value: float, digits: int) -> float:
    """Round so that compact notation never shows e.g. "1000K" for 999,999."""
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


_NB_COMPACT_FROM: Final = 1_000_000.0
"""Norwegian writes numbers below a million in full ("59 700"): "k" is not Norwegian."""


def _compact_number(value: float, language: Language) -> str:
    return _compact_rounded(_round_significant(value, _COMPACT_SIGNIFICANT_DIGITS), language)


@functools.lru_cache(maxsize=4096)
def _compact_rounded(rounded: float, language: Language) -> str:
    # Kept: three significant digits make few distinct texts, and Babel's compact
    # format takes about 50 us, some 30 times a slider move.
    if language == "nb" and abs(rounded) < _NB_COMPACT_FROM:
        return _decimal(rounded, "#,##0.##", language)
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
    compact : short form, 3 significant digits, with 1 decimal and a magnitude
        word ("1.2M", "290k"; Norwegian only from a million on: "1,2 mill.",
        "290 000"); otherwise whole units with thousands separators (amounts
        below 100 keep up to 2 decimals)

    Returns
    -------
    str
        ``NOT_A_NUMBER`` for an infinite or NaN amount.

    Examples
    --------
    >>> format_money(290_000, "USD"), format_money(290_000, "USD", "nb")
    ('USD 290k', '290 000 USD')
    >>> format_money(59_712, "NOK", "nb"), format_money(1_234_567, "NOK", "nb")
    ('59 700 kr', '1,2 mill. kr')
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
    number = _decimal(amount, pattern, language)
    return f"{number} {currency_label(code, language)}"


def format_count(value: float, language: Language = "en") -> str:
    """A number that may be fractional (representatives, training hours, a channel's
    share in percent) as the texts show it: whole when it is whole, else to one decimal.
    A message counted by it takes the number itself to ``tn``, which picks the plural
    for any fraction ("1.5 hours").

    >>> format_count(26.0, "en"), format_count(26.5, "nb"), format_count(1_250.0, "en")
    ('26', '26,5', '1,250')
    """
    return format_number(value, language, 0 if float(value).is_integer() else 1)


def format_number(
    value: float, language: Language = "en", decimals: int = 0, compact: bool = False
) -> str:
    """A plain number with the locale's separators.

    Examples
    --------
    >>> format_number(12_241.9, "en"), format_number(12_241.9, "nb", 1)
    ('12,242', '12 241,9')
    >>> format_number(1_500_000, "en", compact=True), format_number(1_500_000, "nb", compact=True)
    ('1.5M', '1,5 mill.')
    >>> format_number(600_000, "en", compact=True), format_number(600_000, "nb", compact=True)
    ('600k', '600 000')
    """
    if not math.isfinite(value):
        return NOT_A_NUMBER
    if compact:
        return _compact_number(value, language)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _decimal(value, pattern, language)


def format_decimal_plain(value: float, language: Language = "en") -> str:
    """A number as typed, with the locale's separators and up to 6 decimals, no padding.

    Examples
    --------
    >>> format_decimal_plain(0.35, "nb"), format_decimal_plain(20_000), format_decimal_plain(2.0)
    ('0,35', '20,000', '2')
    """
    if not math.isfinite(value):
        return NOT_A_NUMBER
    return _decimal(value, "#,##0.######", language)


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


def percent_printf(language: Language) -> str:
    """A printf format of a whole percentage as ``format_percent`` writes it ("80%", "80 %"),
    for Streamlit widgets, which format with printf.

    Examples
    --------
    >>> percent_printf("en") % 80, percent_printf("nb") % 80
    ('80%', '80 %')
    """
    return "%d %%" if language == "nb" else "%d%%"


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


LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
"""The gettext catalogs: ``<language>/LC_MESSAGES/cxcost.po``."""
DOMAIN: Final = "cxcost"
DYNAMIC_KEY_PREFIXES: Final[tuple[str, ...]] = (
    "basis.",
    "channel_kind.",
    "channel_name.",
    "day.",
    "field.",
    "group.",
    "help.",
    "option.",
    "param.",
    "report.per.",
    "report.range.",
    "report.sheet.",
    "series.",
    "share.export.",
    "share.report.",
    "valuation.",
)
"""Families of keys the code builds at run time; every other key is named literally."""


def catalog_path(language: Language) -> Path:
    """The ``.po`` file of a language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled_path(language: Language) -> Path:
    """The ``.mo`` file compiled from :func:`catalog_path` (``python -m cxcost.i18n``)."""
    return catalog_path(language).with_suffix(".mo")


def source_digest_path(language: Language) -> Path:
    """The SHA-256 of the ``.po`` file the shipped ``.mo`` was compiled from."""
    return catalog_path(language).with_suffix(".mo.sha256")


def _digest(source: bytes) -> str:
    """The SHA-256 of a ``.po`` file's bytes, as its ``.mo``'s digest file records it."""
    return hashlib.sha256(source).hexdigest()


def _compile(language: Language, source: bytes) -> bytes:
    """The ``.po`` bytes ``source`` of ``language`` compiled to gettext's ``.mo`` format.

    Babel's catalog reader is imported here, not with the module: the CLI's
    ``presets``, ``validate`` and ``evaluate --format json`` read no string, and
    the others read the compiled ``.mo`` (see :func:`_compiled`).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


@functools.cache
def _compiled(language: Language) -> bytes:
    """The ``.mo`` bytes of ``language``, read once per process.

    The shipped ``.mo`` is used only when its digest file names the ``.po`` exactly
    as it is now; an edited ``.po`` is compiled in memory instead, so a stale
    ``.mo`` is never read and a checkout needs no build step. Reading the ``.mo``
    takes about 2 ms; parsing the ``.po`` took 40-60 ms of every CLI command that
    prints text.
    """
    source = catalog_path(language).read_bytes()
    try:
        recorded = source_digest_path(language).read_text(encoding="ascii").strip()
        if recorded == _digest(source):
            return compiled_path(language).read_bytes()
    except (OSError, UnicodeDecodeError):
        pass
    return _compile(language, source)


def compile_catalogs() -> list[Path]:
    """Write each language's ``.mo`` and the digest of the ``.po`` it came from.

    Run ``python -m cxcost.i18n`` after editing a ``.po`` file;
    ``tests/test_catalogs.py`` fails while a shipped ``.mo`` is stale.

    Returns
    -------
    list of Path
        The files written.
    """
    written: list[Path] = []
    for language in LANGUAGES:
        source = catalog_path(language).read_bytes()
        compiled_path(language).write_bytes(_compile(language, source))
        source_digest_path(language).write_text(_digest(source) + "\n", encoding="ascii")
        written += [compiled_path(language), source_digest_path(language)]
    return written


@functools.cache
def translations(language: Language) -> Translations:
    """The gettext translations of ``language``, built once per process."""
    from babel.support import Translations

    return Translations(io.BytesIO(_compiled(language)), domain=DOMAIN)


def _mo_message_ids(compiled: bytes) -> list[str]:
    """The message ids in a ``.mo`` file: a plural message's forms joined by NUL.

    The file's header (GNU gettext manual, "The Format of GNU MO Files"): a magic
    number that also gives the byte order, the revision, the number of messages
    and the offset of the table of (length, offset) pairs of their ids.
    """
    order = "<" if compiled[:4] == b"\xde\x12\x04\x95" else ">"
    count, table = struct.unpack_from(f"{order}2I", compiled, 8)
    ids: list[str] = []
    for index in range(count):
        length, offset = struct.unpack_from(f"{order}2I", compiled, table + 8 * index)
        ids.append(compiled[offset : offset + length].decode("utf-8"))
    return ids


@functools.cache
def _english_keys() -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the English catalog (every language has the same): all, and those
    with plural forms."""
    ids = [message_id for message_id in _mo_message_ids(_compiled("en")) if message_id]
    keys = {message_id.split("\0")[0] for message_id in ids}
    plural = {message_id.split("\0")[0] for message_id in ids if "\0" in message_id}
    return frozenset(keys), frozenset(plural)


def message_keys() -> frozenset[str]:
    """Every key of the catalogs."""
    return _english_keys()[0]


def has_message(key: str) -> bool:
    """Whether ``key`` is a message of the catalogs."""
    return key in message_keys()


def t(key: str, language: Language, **kwargs: str | int | float) -> str:
    """The string ``key`` in ``language``, with ``{placeholders}`` filled from kwargs.

    Raises
    ------
    KeyError
        For an unknown key (a typo must fail loudly in the tests).
    ValueError
        For a message with plural forms: those are read with :func:`tn`.

    Examples
    --------
    >>> t("finding.no_loss", "en")
    'Service costs you no customers in this scenario.'
    """
    keys, plural = _english_keys()
    if key not in keys:
        raise KeyError(key)
    if key in plural:
        raise ValueError(f"{key} has plural forms: read it with tn(key, number, language)")
    text = translations(language).gettext(key)
    return text.format(**kwargs) if kwargs else text


def tn(key: str, number: float, language: Language, **kwargs: str | int | float) -> str:
    """The string ``key`` in the plural form ``number`` takes in ``language``.

    A whole number picks its form by the catalog's plural rule; any other number
    takes the form of 2, the plural of both languages (CLDR: "1.5 months",
    "1,5 måneder").

    Examples
    --------
    >>> tn("metric.npv", 1, "en", years=1), tn("metric.npv", 5, "en", years=5)
    ('NPV over 1 year', 'NPV over 5 years')
    >>> tn("metric.payback_months", 1, "nb", months="1")
    '1 måned'
    """
    if key not in _english_keys()[1]:
        raise KeyError(f"{key} is not a message with plural forms")
    count = int(number) if float(number).is_integer() else 2
    text = translations(language).ngettext(key, key, count)
    return text.format(**kwargs) if kwargs else text


DRIVER_KEYS: Final = {
    "wait": "driver.wait",
    "rudeness": "driver.rudeness",
    "dismissiveness": "driver.dismissiveness",
}


def basis_label(
    basis: Literal["steady", "yearly", "npv"], language: Language, years: int = 0
) -> str:
    """The time basis a money figure is on, in words ("per year, steady state", ...).

    ``steady`` for a scenario's own yearly figures, ``yearly`` for a comparison's
    net benefit (``cxcost.compare.YEARLY_BASIS``), ``npv`` for a present value
    over ``years``.
    """
    if basis == "npv":
        return tn("basis.npv", years, language, years=years)
    return t(f"basis.{basis}", language)


def npv_label(years: int, language: Language) -> str:
    """ "NPV over 5 years" ("NPV over 1 year"): the label of a present value.

    Examples
    --------
    >>> npv_label(1, "en"), npv_label(3, "nb")
    ('NPV over 1 year', 'Nåverdi over 3 år')
    """
    return tn("metric.npv", years, language, years=years)


if __name__ == "__main__":
    for written in compile_catalogs():
        print(written)
