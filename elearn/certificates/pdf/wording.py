"""The certificate's fixed wording, from the gettext catalogues (translations/).

The PDF is printed in the certificate's language, not the request's, and without
Flask, so the catalogue of that language is loaded here with Babel. The messages
carry the context "certificate PDF": they are translated for paper and may differ
from the same English words on a web page. `pgettext` below only marks them for
`pybabel extract`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parents[3] / "translations"
CONTEXT = "certificate PDF"


def pgettext(context: str, message: str) -> str:
    """A marker for extraction; translated by `Wording`."""
    return message


MESSAGES = {
    "title": pgettext("certificate PDF", "Certificate"),
    "heading": pgettext("certificate PDF", "Certificate of completion"),
    "certifies": pgettext("certificate PDF", "This certifies that"),
    "completed": pgettext("certificate PDF", "has completed the course"),
    "hours": pgettext("certificate PDF", "Training hours:"),
    "hours_value": pgettext("certificate PDF", "%(hours)s"),
    "issued": pgettext("certificate PDF", "Date of issue:"),
    "validity": pgettext("certificate PDF", "Validity:"),
    "valid_until": pgettext("certificate PDF", "until %(date)s"),
    "no_expiry": pgettext("certificate PDF", "does not expire"),
    "municipality": pgettext("certificate PDF", "Municipality:"),
    "serial": pgettext("certificate PDF", "Certificate No.:"),
    "code": pgettext("certificate PDF", "Verification code"),
    "check": pgettext("certificate PDF", "Check this certificate at:"),
    "revoked": pgettext("certificate PDF", "REVOKED"),
    "revoked_since": pgettext("certificate PDF", "Revoked on %(date)s. Reason: %(reason)s"),
    "expired": pgettext("certificate PDF", "EXPIRED"),
    "expired_since": pgettext("certificate PDF",
                              "Valid until %(date)s: this certificate has expired."),
}


@cache
def catalogue(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (English messages when there is none)."""
    return Translations.load(str(TRANSLATIONS_DIR), [lang])


class Wording:
    """The fixed wording in one language: `words["heading"]`, `words.format(...)`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = catalogue(lang)

    def __getitem__(self, key: str) -> str:
        return self._catalogue.pgettext(CONTEXT, MESSAGES[key])

    def format(self, key: str, **values: str) -> str:
        return self[key] % values
