"""Wording rules the catalogues and templates must keep.

Lithuanian inflects names: "Jono Kazlausko kursai" needs the genitive, which a
template cannot produce from the stored nominative "Jonas Kazlauskas". So a
person's or a municipality's name never stands directly before a noun that would
govern it; the sentence is rephrased ("Kursai: Jonas Kazlauskas"). The same goes
for greetings: "Sveiki, Petras Petraitis," puts a name where the vocative belongs.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from babel.messages.pofile import read_po

from elearn import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "elearn" / "templates"
NAME_PLACEHOLDER = r"%\((?:name|full_name|person|learner|supervisor|municipality)\)s"
# Nouns that would need the name before them in the genitive (the known cases).
GOVERNING_NOUNS = (
    "kurs", "pažymėjim", "paskyr", "mokym", "besimokant", "darbuotoj", "rezultat",
    "profil", "kontakt", "duomen", "pažang", "sąraš", "priežiūr", "savivaldyb", "užduot",
    "bandym", "vadov",
)
NAME_BEFORE_NOUN = re.compile(
    NAME_PLACEHOLDER + r"[”“\"]?\s+(?:" + "|".join(GOVERNING_NOUNS) + r")\w*", re.IGNORECASE)
# "Savivaldybės „Vilniaus miesto savivaldybė“": the name already says what it is.
MUNICIPALITY_TWICE = re.compile(r"savivaldyb\w*\s+[„\"]?%\(municipality\)s", re.IGNORECASE)
GREETING_WITH_NAME = re.compile(r"^(?:Sveiki|Labas|Gerb\w*)\W+" + NAME_PLACEHOLDER)
TEMPLATE_NAME_BEFORE_WORD = re.compile(
    r"\{\{\s*[\w.]*(?:full_name|\.name)\s*\}\}[ \t]*(?:"
    + "|".join(GOVERNING_NOUNS) + r")", re.IGNORECASE)


def _lithuanian() -> list[tuple[str, str]]:
    with (PROJECT_ROOT / "translations" / "lt" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="lt")
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        pairs += [(msgid, s) for s in strings if s]
    return pairs


@pytest.mark.parametrize("text", [
    "%(name)s kursai", "%(name)s pažymėjimai", "„%(municipality)s“ besimokantieji",
    "%(full_name)s rezultatai",
])
def test_the_check_catches_a_name_before_a_governing_noun(text):
    assert NAME_BEFORE_NOUN.search(text)


@pytest.mark.parametrize("text", [
    "Kursai: %(name)s", "Paskirti kursą: %(name)s", "Mokymai: %(municipality)s",
    "%(municipality)s dar neužpildė šios nukreipimo kontaktų sąrašo dalies.",
])
def test_the_check_lets_a_rephrased_sentence_pass(text):
    assert not NAME_BEFORE_NOUN.search(text)


def test_no_lithuanian_message_puts_a_name_before_a_noun_that_needs_its_genitive():
    wrong = [(msgid, text) for msgid, text in _lithuanian()
             if NAME_BEFORE_NOUN.search(text) or MUNICIPALITY_TWICE.search(text)]
    assert wrong == [], "rephrase so that no name must be inflected, e.g. 'Kursai: %(name)s'"


def test_no_lithuanian_greeting_puts_a_name_where_the_vocative_belongs():
    wrong = [(msgid, text) for msgid, text in _lithuanian() if GREETING_WITH_NAME.search(text)]
    assert wrong == []


def test_no_template_writes_a_name_directly_before_a_lithuanian_noun():
    wrong = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.*")
        for match in TEMPLATE_NAME_BEFORE_WORD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_no_double_colon_in_lithuanian_or_english_text():
    wrong = [(msgid, text) for msgid, text in _lithuanian() if re.search(r":\s*:", text)]
    assert wrong == []


# --- one date format per language ---------------------------------------------------------

def test_templates_write_dates_with_the_sites_filters_only():
    """`day` and `moment` are the one format of each language; Babel's own filters with
    their "short"/"long" styles made three formats on one English page."""
    wrong = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.*")
        if re.search(r"\|\s*(?:date|datetime|time)format\b", path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("lt", "2026-12-01", "2026-12-01 14:05"),
    ("en", "1 December 2026", "1 December 2026, 14:05"),
])
def test_one_date_format_per_language(app, lang, day, moment):
    from flask_babel import force_locale

    from elearn.templating import format_day, format_moment

    with app.test_request_context(), force_locale(lang):
        assert format_day(date(2026, 12, 1)) == day
        # 12:05 UTC is 14:05 in Vilnius (winter time)
        assert format_moment(datetime(2026, 12, 1, 12, 5, tzinfo=UTC)) == moment
        assert format_day(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == day  # local day


@pytest.mark.parametrize(("lang", "hours", "text"), [
    ("en", 1, "1 hour"), ("en", 1.5, "1.5 hours"), ("en", 2, "2 hours"),
    ("lt", 1, "1 valanda"), ("lt", 1.5, "1,5 valandos"), ("lt", 10, "10 valandų"),
])
def test_training_hours_take_the_plural_the_number_needs(app, lang, hours, text):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(lang):
        assert render_template_string("{{ h|duration_hours }}", h=hours) == text
