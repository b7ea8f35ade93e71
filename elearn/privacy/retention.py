"""What the platform keeps about a person, why, and for how long: shown on the privacy
notice and the "My data" page (the README says the same)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext


@dataclass(frozen=True)
class Kept:
    what: object
    why: object
    how_long: object


def retention_years() -> int:
    return int(current_app.config["TRAINING_RECORD_RETENTION_YEARS"])


def what_is_kept() -> list[Kept]:
    """In the request's language (the periods are counted, so translated when called)."""
    return [
        Kept(_l("Your account: name, e-mail address, municipality, workplace, profession, "
                "language"),
             _l("To sign you in, put your name on certificates and show your training to "
                "your municipality's supervisors."),
             ngettext("While you use it. Deleted (anonymised) when you delete your account, "
                      "or %(num)d year after you last signed in.",
                      "While you use it. Deleted (anonymised) when you delete your account, "
                      "or %(num)d years after you last signed in.", retention_years())),
        Kept(_l("Your training records: progress, quiz attempts with your answers, courses "
                "assigned to you"),
             _l("To let you continue where you stopped, and to report your training to "
                "your employer's supervisors."),
             _l("As long as your account. Afterwards only without your name, in statistics.")),
        Kept(_l("Your certificates"),
             _l("So that you and an employer can check a certificate."),
             _l("As long as your account. After its deletion a certificate can still be "
                "verified, without your name.")),
        Kept(_l("The audit log: who changed your role, municipality, name or account, and "
                "when"),
             _l("To show that changes to accounts were made by the people allowed to."),
             ngettext("%(num)d year; then deleted.", "%(num)d years; then deleted.",
                      retention_years())),
        Kept(_l("Your session (a cookie)"),
             _l("To keep you signed in."),
             _l("Until you sign out, or 12 hours.")),
    ]
