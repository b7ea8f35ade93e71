"""What a certificate PDF says: the facts, gathered by the caller, and their formats."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date as babel_format_date

LANGUAGES = ("lt", "lv", "en")
# Dates as each language writes them on paper: ISO 8601 in Lithuanian (LST ISO 8601, the
# national standard), the month spelt out in Latvian and English.
DATE_PATTERNS = {"lv": "y. 'gada' d. MMMM", "en": "d MMMM y"}
STATES = ("valid", "expired", "revoked")


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate."""

    full_name: str
    course_title: str
    hours: float  # 2 or 2.5: printed "2" / "2,5" in lt and "2" / "2.5" in en
    issued_on: date
    expires_on: date | None  # None: the certificate does not expire
    serial: str  # e.g. "LT-2026-000123"
    verify_url: str  # printed in full on one line and encoded as the QR code
    municipality: str  # e.g. "Vilniaus miesto savivaldybė"
    lang: str  # "lt", "lv" or "en": all fixed wording in that language
    verification_code: str = ""  # e.g. "ABCD-EFGH-JKMN", printed under the QR code
    issuer: str = "elearn"  # the issuing body, in the header
    signatory_name: str = ""  # optional: printed with a line to sign on
    signatory_title: str = ""
    state: str = "valid"  # "expired" or "revoked": marked on the page
    revoked_on: date | None = None
    revoked_reason: str = ""
    country_lang: str = "lt"  # the deployment's language: the second word of a REVOKED mark

    def __post_init__(self) -> None:
        # Programming errors, not user input: fail loudly rather than print nonsense.
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, not {self.lang!r}")
        if not math.isfinite(self.hours) or self.hours < 0:
            raise ValueError(f"hours must be a finite number >= 0, not {self.hours!r}")
        if not self.verify_url:
            raise ValueError("verify_url is required: it is what the QR code encodes")
        if self.state not in STATES:
            raise ValueError(f"state must be one of {STATES}, not {self.state!r}")


def format_date(day: date, lang: str) -> str:
    """`2026-11-23` in Lithuanian, `2026. gada 23. novembris` in Latvian, `23 November
    2026` in English; from Babel's locale data, so no process locale changes it."""
    pattern = DATE_PATTERNS.get(lang)
    return babel_format_date(day, pattern, locale=lang) if pattern else day.isoformat()


def format_hours(hours: float, lang: str) -> str:
    """2 -> "2"; 2.5 -> "2,5" (lt, lv) or "2.5" (en); at most two decimals."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")
