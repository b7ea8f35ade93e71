"""The referral directory: each municipality's contacts, kept by its supervisors."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from elearn.audit.services import changes, record
from elearn.content.rules import CONTACT_ROLES
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.publishing.models import LangText
from elearn.types import utcnow

ROLE_LABELS = {
    "police": _l("Police"),
    "ngo": _l("Organisation supporting victims (NGO)"),
    "child-rights": _l("Child rights protection"),
    "social-services": _l("Social services"),
    "health": _l("Health care"),
    "education": _l("Education"),
    "prosecutor": _l("Prosecutor's office"),
    "other": _l("Other"),
}
TRANSLATED_FIELDS = ("organisation", "address", "hours", "notes")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def role_order():
    """Directory order: the order of CONTACT_ROLES (police first), then organisation."""
    return case({role: index for index, role in enumerate(CONTACT_ROLES)},
                value=ReferralContact.role, else_=len(CONTACT_ROLES))


def contacts_of(code: str) -> list[ReferralContact]:
    return list(db.session.scalars(
        select(ReferralContact).where(ReferralContact.municipality_code == code)
        .order_by(role_order(), ReferralContact.id)
    ))


def contact_in(code: str, contact_id: int) -> ReferralContact | None:
    """The contact when it belongs to the municipality: another one's id is not found."""
    return db.session.scalar(select(ReferralContact).where(
        ReferralContact.id == contact_id, ReferralContact.municipality_code == code
    ))


@dataclass(frozen=True)
class ContactData:
    role: str
    phone: str
    email: str
    texts: dict[str, LangText]  # field -> {"lt": ..., "en": ...}


def _clean(texts: LangText) -> LangText:
    """Keep the languages that were filled in; an empty English text falls back to Lithuanian."""
    return {lang: value.strip() for lang, value in texts.items() if value and value.strip()}


def save_contact(code: str, data: ContactData, by_user_id: int,
                 contact: ReferralContact | None = None) -> ReferralContact:
    """Add or update a contact; the caller commits."""
    before = _snapshot(contact) if contact is not None else {}
    if contact is None:
        contact = ReferralContact(municipality_code=code)
        db.session.add(contact)
    contact.role = data.role
    contact.phone = data.phone.strip()
    contact.email = data.email.strip().lower()
    for field in TRANSLATED_FIELDS:
        setattr(contact, field, _clean(data.texts.get(field, {})))
    contact.updated_at = utcnow()
    contact.updated_by_id = by_user_id
    db.session.flush()  # a new contact's id, for its entry
    old, new = changes(before, _snapshot(contact))
    if new:
        record("contact.changed", "referral_contact", contact.id, before=old, after=new,
               municipality=code)
    return contact


def _snapshot(contact: ReferralContact) -> dict:
    return {"role": contact.role, "phone": contact.phone, "email": contact.email,
            **{field: dict(getattr(contact, field) or {}) for field in TRANSLATED_FIELDS}}


def delete_contact(contact: ReferralContact) -> None:
    record("contact.changed", "referral_contact", contact.id, before=_snapshot(contact),
           after={"deleted": True}, municipality=contact.municipality_code)
    db.session.delete(contact)
