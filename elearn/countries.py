"""The countries a deployment can serve, and what follows from `ELEARN_COUNTRY`.

A country is supported when the project ships its list of local governments
(`data/municipalities/<CODE>.csv`, see `elearn.municipalities`) and it is described
here. Nothing in this module needs Flask, so settings can be resolved before the app
exists (and outside an app context, as `i18n.local_today` does).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA time zone for the dates people see, unless ELEARN_TIMEZONE says otherwise
    language: str  # the country's language: the default interface language, the local texts


COUNTRIES = {
    "LT": Country(code="LT", timezone="Europe/Vilnius", language="lt"),
    "LV": Country(code="LV", timezone="Europe/Riga", language="lv"),
}

# The interface languages that have a complete catalogue in translations/.
SUPPORTED_LANGUAGES = ("lt", "lv", "en")

DEFAULT_COUNTRY = "LT"


def country(code: str | None) -> Country:
    """The supported country with this ISO 3166-1 code (any case); LookupError otherwise."""
    found = COUNTRIES.get((code or "").strip().upper())
    if found is None:
        supported = ", ".join(sorted(COUNTRIES))
        raise LookupError(
            f"ELEARN_COUNTRY={code!r} is not supported: use one of {supported} "
            "(a new country needs its municipality list in elearn/data/municipalities/ "
            "and an entry in elearn/countries.py)"
        )
    return found


def timezone_for(settings) -> str:
    """ELEARN_TIMEZONE when it is set, otherwise the country's own time zone.

    `settings` is a Flask config or the Config class's attributes (anything with .get)."""
    return settings.get("BABEL_DEFAULT_TIMEZONE") or country(settings.get("COUNTRY")).timezone


def languages_for(settings) -> tuple[str, ...]:
    """The interface languages offered: ELEARN_LANGUAGES when it is set (any of
    SUPPORTED_LANGUAGES, the first being the default), otherwise the country's language
    and English. ValueError names an unknown or missing language."""
    configured = settings.get("LANGUAGES")
    if not configured:
        return (country(settings.get("COUNTRY")).language, "en")
    if isinstance(configured, str):
        configured = configured.split(",")
    languages = tuple(dict.fromkeys(lang.strip().lower() for lang in configured if lang.strip()))
    unknown = [lang for lang in languages if lang not in SUPPORTED_LANGUAGES]
    if unknown or not languages:
        raise ValueError(
            f"ELEARN_LANGUAGES={','.join(configured)!r}: use some of "
            f"{', '.join(SUPPORTED_LANGUAGES)}, separated by commas (the first is the default)"
        )
    return languages
