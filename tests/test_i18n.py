"""cxcost.i18n: the one formatter of money and numbers, and the string table."""

from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from cxcost import i18n
from cxcost.i18n import (
    LANGUAGES,
    NOT_A_NUMBER,
    Language,
    currency_label,
    format_duration_seconds,
    format_money,
    format_number,
    format_percent,
    t,
)


@pytest.mark.parametrize(
    ("amount", "currency", "language", "compact", "expected"),
    [
        (1_234_567, "USD", "en", True, "USD 1.2M"),
        (290_000, "USD", "en", True, "USD 290k"),
        (2_100_000, "USD", "en", True, "USD 2.1M"),
        (999_999, "USD", "en", True, "USD 1M"),
        (3.7e12, "USD", "en", True, "USD 3.7T"),
        (-250_000, "USD", "en", True, "-USD 250k"),
        (12.5, "EUR", "en", True, "EUR 12.5"),
        (0, "USD", "en", True, "USD 0"),
        (1_234_567, "NOK", "nb", True, "1,2 mill. kr"),
        (1_234_567, "USD", "nb", True, "1,2 mill. USD"),
        (290_000, "NOK", "nb", True, "290 000 kr"),
        (59_712, "NOK", "nb", True, "59 700 kr"),
        (314_159, "USD", "nb", True, "314 000 USD"),
        (999_999, "NOK", "nb", True, "1 mill. kr"),
        (2.5e9, "NOK", "nb", True, "2,5 mrd. kr"),
        (12.5, "NOK", "nb", True, "12,5 kr"),
        (-1_234_567, "NOK", "nb", True, "-1,2 mill. kr"),
        (36_920, "USD", "en", False, "USD 36,920"),
        (36_920, "NOK", "nb", False, "36 920 kr"),
        (40.5, "USD", "en", False, "USD 40.5"),
        (1_234_567.4, "NOK", "en", False, "NOK 1,234,567"),
    ],
)
def test_format_money(
    amount: float, currency: str, language: Language, compact: bool, expected: str
) -> None:
    assert format_money(amount, currency, language, compact) == expected


@pytest.mark.parametrize("amount", [math.inf, -math.inf, math.nan])
def test_format_money_of_a_non_finite_amount_is_a_dash(amount: float) -> None:
    assert format_money(amount, "USD") == NOT_A_NUMBER


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("amount", [0.0, 1.0, 999.95, 12_345.0, 7.3e6, -4.2e9, 1e13])
@pytest.mark.parametrize("compact", [True, False])
def test_money_is_plain_latin1_text(language: Language, amount: float, compact: bool) -> None:
    """PDF core fonts are Latin-1; no-break spaces and U+2212 must not leak out."""
    text = format_money(amount, "NOK", language, compact)
    text.encode("latin-1")
    assert "\u00a0" not in text
    assert "\u2212" not in text


def test_currency_label() -> None:
    assert currency_label("NOK", "nb") == "kr"
    assert currency_label("nok", "en") == "NOK"
    assert currency_label("EUR", "nb") == "EUR"


@pytest.mark.parametrize(
    ("value", "language", "decimals", "compact", "expected"),
    [
        (12_241.9, "en", 0, False, "12,242"),
        (12_241.9, "nb", 1, False, "12 241,9"),
        (1_500_000, "en", 0, True, "1.5M"),
        (1_500_000, "nb", 0, True, "1,5 mill."),
        (600_000, "nb", 0, True, "600 000"),
        (37_158, "nb", 0, True, "37 200"),
        (math.inf, "en", 0, False, NOT_A_NUMBER),
    ],
)
def test_format_number(
    value: float, language: Language, decimals: int, compact: bool, expected: str
) -> None:
    assert format_number(value, language, decimals, compact) == expected


@pytest.mark.parametrize(
    ("share", "language", "decimals", "expected"),
    [(0.1234, "en", 1, "12.3%"), (0.1234, "nb", 1, "12,3 %"), (0.5, "en", 0, "50%")],
)
def test_format_percent(share: float, language: Language, decimals: int, expected: str) -> None:
    assert format_percent(share, language, decimals) == expected


@pytest.mark.parametrize(
    ("seconds", "language", "expected"),
    [
        (45, "en", "45 seconds"),
        (1, "en", "1 second"),
        (210, "en", "3.5 minutes"),
        (210, "nb", "3,5 minutter"),
        (27_500, "en", "7.6 hours"),
        (27_500, "nb", "7,6 timer"),
        (3 * 86_400, "en", "3 days"),
    ],
)
def test_format_duration_in_words(seconds: float, language: Language, expected: str) -> None:
    assert format_duration_seconds(seconds, language) == expected


def test_an_endless_wait_is_said_in_words() -> None:
    assert format_duration_seconds(math.inf, "en") == t("duration.never", "en")


# The catalogs (cxcost/locale/*/LC_MESSAGES/cxcost.po) are tested in tests/test_catalogs.py.


def test_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_t_fills_placeholders() -> None:
    assert t("compare.baseline_name", "nb", name="Bank") == "Base: Bank"


def test_the_yearly_basis_is_the_models_own_words() -> None:
    from cxcost.compare import YEARLY_BASIS
    from cxcost.i18n import basis_label

    assert basis_label("yearly", "en") == YEARLY_BASIS
    assert basis_label("npv", "nb", 3) == "nåverdi over 3 år"
    assert basis_label("steady", "en") == "per year, steady state"


@given(
    amounts=st.lists(
        st.one_of(
            st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
            st.integers(min_value=-(10**13), max_value=10**13),
        ),
        min_size=1,
        max_size=20,
    ),
    language=st.sampled_from(LANGUAGES),
)
def test_kept_compact_texts_are_those_babel_gives(amounts: list[float], language: Language) -> None:
    """``_compact_rounded`` keeps its texts: whatever was kept before (an int equal to a
    float, -0.0 beside 0.0), each amount reads as an uncached call writes it."""
    for amount in [*amounts, -0.0, 0.0, 1500, 1500.0, 999_999.0, -999_999]:
        rounded = i18n._round_significant(amount, i18n._COMPACT_SIGNIFICANT_DIGITS)
        assert i18n._compact_number(amount, language) == i18n._compact_rounded.__wrapped__(
            rounded, language
        )


@given(
    value=st.one_of(
        st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
        st.integers(min_value=-(10**13), max_value=10**13),
    ),
    pattern=st.sampled_from(["#,##0", "#,##0.0", "#,##0.00", "#,##0.##", "#,##0.######"]),
    language=st.sampled_from(LANGUAGES),
)
def test_kept_patterns_write_what_babel_writes(
    value: float, pattern: str, language: Language
) -> None:
    """``_decimal`` parses each pattern and locale once; its text is Babel's own."""
    expected = format_decimal(value, format=pattern, locale=i18n.LOCALES[language])
    assert i18n._decimal(value, pattern, language) == i18n._plain(expected)
