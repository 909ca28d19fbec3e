"""The gettext catalogs of the user-facing strings (issue 14).

Every message the code can ask for is in both catalogs, translated, with the same
placeholders; no message is left that no code uses (a stale catalog fails); the
plural forms read right in both languages; one cached translation object per
language, never a global ``_``.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from cxcost import i18n
from cxcost.i18n import (
    DYNAMIC_KEY_PREFIXES,
    LANGUAGES,
    LOCALES,
    Language,
    catalog_path,
    message_keys,
    t,
    tn,
    translations,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "cxcost").rglob("*.py"))


def _catalog(language: Language) -> Catalog:
    with catalog_path(language).open("rb") as source:
        return read_po(source, locale=LOCALES[language])


def _forms(string: object) -> list[str]:
    """A message's text: its one form, or its plural forms (a tuple in babel's catalog)."""
    forms: list[str] = []
    for form in string if isinstance(string, tuple) else (string,):
        assert isinstance(form, str), string
        forms.append(form)
    return forms


def _ids(language: Language) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(language) if m.id}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _literal_strings() -> set[str]:
    """Every string constant in the package's sources."""
    found: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _literal_keys() -> set[str]:
    """The first argument of every ``t("...")`` and ``tn("...")`` call with a literal key."""
    keys: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"t", "tn"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_both_catalogs_hold_the_same_messages() -> None:
    assert _ids("en") == _ids("nb") == set(message_keys())
    assert len(message_keys()) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_english_placeholders(language: Language) -> None:
    english = {m.id: m.string for m in _catalog("en") if m.id}
    for message in _catalog(language):
        if not message.id:
            continue
        forms = _forms(message.string)
        assert all(form.strip() for form in forms), f"{message.id} is not translated"
        reference = _forms(english[message.id])[-1]
        for form in forms:
            assert _placeholders(form) == _placeholders(reference), message.id


def test_every_key_the_code_names_is_in_the_catalogs() -> None:
    literal = _literal_keys()
    assert len(literal) > 300
    assert sorted(literal - message_keys()) == []


def test_no_message_is_unused_a_stale_catalog_fails() -> None:
    """A message must be named somewhere in the code, or belong to a family of keys the
    code builds at run time (``DYNAMIC_KEY_PREFIXES``, e.g. ``field.<path>``)."""
    named = _literal_strings()
    unused = sorted(
        key
        for key in message_keys()
        if key not in named and not key.startswith(DYNAMIC_KEY_PREFIXES)
    )
    assert unused == []
    for prefix in DYNAMIC_KEY_PREFIXES:
        assert any(key.startswith(prefix) for key in message_keys()), f"{prefix} is empty"


def test_babel_extraction_finds_only_catalogued_keys(tmp_path: Path) -> None:
    """``pybabel extract`` (the documented command) reads the same keys from the code."""
    template = tmp_path / "cxcost.pot"
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "t", "-k", "tn:1", "--no-default-keywords", "-o", str(template), "cxcost"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with template.open("rb") as source:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    assert len(extracted) > 300
    assert sorted(extracted - message_keys()) == []
    # Babel's extractor does not look inside f-strings; the AST reader above does.
    assert extracted <= _literal_keys()


@pytest.mark.parametrize(
    ("key", "language", "one", "five"),
    [
        ("metric.npv", "en", "NPV over 1 year", "NPV over 5 years"),
        ("metric.npv", "nb", "Nåverdi over 1 år", "Nåverdi over 5 år"),
        ("basis.npv", "en", "NPV over 1 year", "NPV over 5 years"),
        ("metric.payback_months", "en", "1 month", "5 months"),
        ("metric.payback_months", "nb", "1 måned", "5 måneder"),
    ],
)
def test_plural_forms(key: str, language: Language, one: str, five: str) -> None:
    assert tn(key, 1, language, years=1, months="1") == one
    assert tn(key, 5, language, years=5, months="5") == five
    # Zero takes the plural in both languages ("0 years", "0 måneder").
    assert tn(key, 0, language, years=0, months="0") == five.replace("5", "0")


def test_a_fraction_takes_the_plural() -> None:
    assert tn("metric.payback_months", 1.5, "en", months="1.5") == "1.5 months"
    assert tn("metric.payback_months", 1.0, "nb", months="1") == "1 måned"


def test_one_translation_object_per_language_and_no_global_underscore() -> None:
    assert translations("en") is translations("en")
    assert translations("nb") is not translations("en")
    assert t("tab.overview", "nb") == "Oversikt"
    assert t("tab.overview", "en") == "Overview"
    assert not hasattr(builtins, "_")
    source = Path(i18n.__file__).read_text(encoding="utf-8")
    assert "install(" not in source


def test_unknown_keys_raise_in_both_readers() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "en")
    with pytest.raises(KeyError):
        tn("no.such.key", 2, "en")
    with pytest.raises(KeyError):
        tn("tab.overview", 2, "en")


def test_a_plural_message_cannot_be_read_without_its_number() -> None:
    with pytest.raises(ValueError, match="read it with tn"):
        t("metric.npv", "en", years=5)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_mo_is_compiled_from_the_po_as_it_is(language: Language) -> None:
    """An edited ``.po`` needs ``python -m cxcost.i18n``; until then this fails (and the
    app compiles the ``.po`` in memory rather than read the stale ``.mo``)."""
    source = catalog_path(language).read_bytes()
    recorded = i18n.source_digest_path(language).read_text(encoding="ascii").strip()
    advice = "a .po changed since its .mo was compiled: run python -m cxcost.i18n"
    assert recorded == hashlib.sha256(source).hexdigest(), advice
    assert i18n.compiled_path(language).read_bytes() == i18n._compile(language, source), advice


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mo_holds_every_message_of_the_po(language: Language) -> None:
    """The keys ``t`` knows come from the ``.mo``: a fuzzy or empty message, which a
    ``.mo`` leaves out, would make a catalogued key unknown."""
    ids = [
        message_id for message_id in i18n._mo_message_ids(i18n._compiled(language)) if message_id
    ]
    keys = {message_id.split("\0")[0] for message_id in ids}
    plural = {message_id.split("\0")[0] for message_id in ids if "\0" in message_id}
    assert keys == _ids(language)
    assert plural == {m.id[0] for m in _catalog(language) if m.id and not isinstance(m.id, str)}
    assert plural  # the plural messages are told apart


def _fresh_readers() -> None:
    for cached in (i18n._compiled, i18n.translations, i18n._english_keys):
        cached.cache_clear()


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The catalogs copied to a temporary directory that ``cxcost.i18n`` reads."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    _fresh_readers()
    yield copy
    monkeypatch.undo()
    _fresh_readers()


@pytest.mark.parametrize("digest", ["edited po", "no digest file", "unreadable digest"])
def test_a_po_edited_since_its_mo_is_read_from_the_po(locale_copy: Path, digest: str) -> None:
    po = catalog_path("nb")
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Oversikt"' in text
    po.write_text(text.replace('msgstr "Oversikt"', 'msgstr "Oversyn"'), encoding="utf-8")
    if digest == "no digest file":
        i18n.source_digest_path("nb").unlink()
    elif digest == "unreadable digest":
        i18n.source_digest_path("nb").write_bytes(b"\xff\xfe")
    assert t("tab.overview", "nb") == "Oversyn"
    assert t("tab.overview", "en") == "Overview"  # the untouched catalog is its .mo


def test_compile_catalogs_writes_what_the_readers_take(locale_copy: Path) -> None:
    po = catalog_path("en")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Overview"', 'msgstr "Summary"'), encoding="utf-8")
    written = i18n.compile_catalogs()
    assert sorted(written) == sorted(
        path(language)
        for language in LANGUAGES
        for path in (i18n.compiled_path, i18n.source_digest_path)
    )
    _fresh_readers()
    assert i18n._compiled("en") == i18n.compiled_path("en").read_bytes()
    assert t("tab.overview", "en") == "Summary"


@pytest.mark.parametrize(
    ("key", "one", "five"),
    [
        ("rec.summary", "and 1 training hour per", "and 5 training hours per"),
        ("optimizer.summary", "and 1 training hour per", "and 5 training hours per"),
        ("rec.training_heading", "recommended 1 hour per", "recommended 5 hours per"),
    ],
)
def test_a_training_hour_in_a_sentence_with_other_numbers(key: str, one: str, five: str) -> None:
    """One number picks the form of a message that holds several: the training hours (the
    representatives in all are plural in any real plan)."""
    numbers = {"reps": "37", "current_reps": "53", "current_hours": "16", "current": "16"}
    words = {"net": "USD 1M", "basis": "per year", "cost": "USD 5M"}
    for hours, expected in ((1, one), (5, five)):
        text = tn(key, hours, "en", hours=str(hours), best=str(hours), **numbers, **words)
        assert expected in text
