"""What deactivating an account changes, as its confirmation page says it (admins and
supervisors deactivate through the same service, so they read the same words)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DEACTIVATION = (
    _l("She is signed out everywhere at once and can no longer sign in."),
    _l("She counts in no report until she is reactivated."),
    _l("Her training records and certificates are kept, and her certificates still verify."),
    _l("She can be reactivated later from her page."),
)


def person_facts(person, municipality_name: str | None, local_lang: str) -> list[tuple]:
    """(term, value, lang) rows naming exactly whom a confirmation page is about."""
    return [
        (_l("Name"), person.full_name, None),
        (_l("E-mail address"), person.email, None),
        (_l("Municipality"), municipality_name, local_lang),
        (_l("Workplace"), person.workplace, None),
    ]
