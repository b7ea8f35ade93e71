"""The page that asks before an account is deactivated: admins and supervisors
deactivate through the same service, so they read the same page (elearn/templates/
confirm.html), naming the person and what will change."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from elearn.auth.models import User
from elearn.forms import ConfirmForm
from elearn.i18n import local_language

DEACTIVATION = (
    _l("She is signed out everywhere at once and can no longer sign in."),
    _l("She counts in no report until she is reactivated."),
    _l("Her training records and certificates are kept, and her certificates still verify."),
    _l("She can be reactivated later from her page."),
)


def deactivation_page(person: User, action: str, back: str) -> str:
    """The confirmation page; its form POSTs to `action`, its way back goes to `back`."""
    facts = [
        (_("Name"), person.full_name, None),
        (_("E-mail address"), person.email, None),
        (_("Municipality"), person.municipality.name if person.municipality else None,
         local_language()),
        (_("Workplace"), person.workplace, None),
    ]
    return render_template(
        "confirm.html", heading=_("Deactivate this account?"), facts=facts,
        changes=DEACTIVATION, form=ConfirmForm(), fields=(), action=action,
        button=_("Deactivate the account"), back=back)
