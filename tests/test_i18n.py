"""Every catalogue (lt, lv, en) is complete, compiled, and really used."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from elearn import PROJECT_ROOT
from elearn.countries import SUPPORTED_LANGUAGES

TRANSLATIONS = PROJECT_ROOT / "translations"


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _template_ids() -> set:
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_catalogue_is_complete(lang):
    catalog = _catalog(lang)
    ids = {m.id for m in catalog if m.id}
    assert _template_ids() - ids == set(), "run pybabel update (see docs/translations.md)"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {lang}: {message.id!r}"


def test_every_supported_language_has_a_catalogue():
    shipped = {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert shipped == set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_plural_forms_are_the_ones_cldr_defines(lang):
    """The header's plural rule sorts whole numbers into the language's CLDR categories, one
    form per category: Latvian's three (zero: 0, 10-20, 30…; one: 1, 21, 31…; other), or
    "%(count)d moduļi" picks the wrong form."""
    from gettext import c2py

    from babel import Locale

    catalog = _catalog(lang)
    form_of = c2py(catalog.plural_expr)
    category_of = Locale.parse(lang).plural_form
    pairs = {(form_of(n), category_of(n)) for n in range(0, 1001)}
    forms = {form for form, _ in pairs}
    assert forms == set(range(catalog.num_plurals)), (lang, catalog.plural_expr)
    assert len(pairs) == len(forms) == len({category for _, category in pairs}), sorted(pairs)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_translations_keep_every_placeholder(lang):
    """A translation that drops %(name)s hides the name; one that invents a new one is a
    500 at the first page that shows it."""
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {m.group(0) for m in PLACEHOLDER.finditer(ids[-1])}
        for string in strings:
            found = {m.group(0) for m in PLACEHOLDER.finditer(string)}
            # A plural form may leave out the count ("vienas modulis"), never add one.
            assert found <= wanted | {m.group(0) for m in PLACEHOLDER.finditer(ids[0])}, (
                lang, message.id, string)
            if len(strings) == 1:
                assert found == wanted, (lang, message.id, string)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_compiled_catalogue_matches_the_source(lang):
    source = _catalog(lang)
    with Path(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = read_mo(f)
    def pairs(catalog) -> dict:
        as_key = lambda value: tuple(value) if isinstance(value, list | tuple) else value  # noqa: E731
        return {as_key(m.id): as_key(m.string) for m in catalog if m.id}

    assert pairs(source) == pairs(compiled), "run pybabel compile -d translations"


def test_template_is_up_to_date_with_the_code():
    """Every string marked in the code is in messages.pot (extraction was re-run)."""
    from babel.messages.extract import extract_from_dir

    method_map = [
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2"),
        ("**/templates/**.txt", "jinja2"),
    ]
    options = {"**/templates/**.html": {"trimmed": "true", "extensions": "jinja2.ext.do"},
               "**/templates/**.txt": {"trimmed": "true"}}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT / "elearn"), method_map, options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                  "lazy_gettext": None}, directory_filter=lambda path: True,
    ):
        found.add(message)
    missing = found - _template_ids()
    assert not missing, f"not extracted yet: {sorted(map(str, missing))[:5]}"


def test_lithuanian_request_gets_lithuanian_text(client):
    html = client.get("/account/login", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert '<html lang="lt">' in html
    assert "Prisijungti" in html
    assert "Pamiršote slaptažodį?" in html


def test_english_request_gets_english_text(client):
    html = client.get("/account/login", headers={"Accept-Language": "en-GB,en"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html
    assert "Forgot your password?" in html


def test_default_language_is_lithuanian(app):
    assert '<html lang="lt">' in app.test_client().get("/").get_data(as_text=True)


def test_language_switch_is_remembered(client):
    from tests.web import csrf_token

    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "next": "/account/login",
                                               "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    html = client.get("/account/login", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_language_switch_refuses_unknown_language_and_foreign_redirects(client):
    from tests.web import csrf_token

    token = csrf_token(client, "/")
    assert client.post("/language", data={"lang": "xx", "csrf_token": token}).status_code == 400
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/",
                                               "csrf_token": token})
    assert response.headers["Location"] == "/"
