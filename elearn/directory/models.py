"""A municipality's referral directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.audit.services import register_audited
from elearn.extensions import db
from elearn.publishing.models import LangText
from elearn.types import UTCDateTime, utcnow


class ReferralContact(db.Model):
    """One entry of a municipality's referral directory, shown in lessons' contacts blocks."""

    __table_args__ = (Index("ix_referral_contact_municipality_role", "municipality_code", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    role: Mapped[str] = mapped_column(String(32))  # one of content.rules.CONTACT_ROLES
    # Texts as {"lt": ..., "en": ...} (or "lv" in Latvia): the country's language is
    # required, English falls back to it.
    organisation: Mapped[LangText] = mapped_column(JSON)
    address: Mapped[LangText] = mapped_column(JSON)
    hours: Mapped[LangText] = mapped_column(JSON)
    notes: Mapped[LangText] = mapped_column(JSON)
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


register_audited(ReferralContact, {"role", "organisation", "address", "hours", "notes", "phone",
                                   "email"}, rows=True)
