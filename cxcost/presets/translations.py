"""A scenario's texts in the reader's language: name, description, sources, channel names.

A scenario file holds its own texts (``name``, ``description``, ``sources``,
``channels[i].name``) and, optionally, the same texts in other languages under
``translations``::

    "translations": {
      "nb": {
        "name": "Nettbutikk i USA",
        "description": "...",
        "sources": {"illustrative": "illustrativt"},
        "channels": {"0": {"name": "Telefon"}}
      }
    }

``sources`` is a glossary keyed by the source text in the scenario's own
language, so a source that changes (an edit, a calibration) never shows a stale
translation. Every part is optional: what a language lacks falls back to the
scenario's own text. A channel still called by its kind's standard name in any language
("Phone", "Telefon", "E-mail", ...) takes the standard name in the reader's
language (``channel_name.<kind>`` in the catalogs). Files without
``translations`` stay valid, and a saved scenario keeps them, since they are a
field of :class:`~cxcost.scenario.Scenario`.
"""

from __future__ import annotations

from cxcost.i18n import LANGUAGES, Language, t
from cxcost.scenario import Channel, Scenario

CHANNEL_NAME_PREFIX = "channel_name."


def _standard_names(kind: str) -> set[str]:
    return {t(f"{CHANNEL_NAME_PREFIX}{kind}", language).casefold() for language in LANGUAGES}


def channel_name(scenario: Scenario, index: int, language: Language) -> str:
    """The name of channel ``index`` in ``language``.

    Examples
    --------
    >>> channel_name(Scenario(), 0, "nb"), channel_name(Scenario(), 2, "nb")
    ('Telefon', 'E-post')
    """
    channel = scenario.channels[index]
    text = scenario.translations.get(language)
    translated = text.channels.get(str(index)) if text else None
    if translated is not None and translated.name:
        return translated.name
    if channel.name.casefold() in _standard_names(channel.kind):
        return t(f"{CHANNEL_NAME_PREFIX}{channel.kind}", language)
    return channel.name


def localized_scenario(scenario: Scenario, language: Language) -> Scenario:
    """``scenario`` with its texts in ``language``, for display; its numbers untouched.

    The copy is for people to read (the app, the exports): save and share the
    original, which holds every language.

    Examples
    --------
    >>> from cxcost.presets import load_preset
    >>> localized_scenario(load_preset("us-ecommerce"), "nb").name
    'Nettbutikk i USA'
    """
    text = scenario.translations.get(language)
    channels: list[Channel] = [
        channel.model_copy(update={"name": channel_name(scenario, index, language)})
        for index, channel in enumerate(scenario.channels)
    ]
    update: dict[str, object] = {"channels": channels}
    if text is not None:
        if text.name:
            update["name"] = text.name
        if text.description is not None:
            update["description"] = text.description
        if text.sources:
            update["sources"] = {
                path: text.sources.get(source, source) for path, source in scenario.sources.items()
            }
    return scenario.model_copy(update=update)
