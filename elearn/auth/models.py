"""Accounts, roles and the municipalities a supervisor answers for."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from elearn.audit.services import register_audited
from elearn.extensions import db
from elearn.municipalities import Municipality
from elearn.types import UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


# Letters that Unicode does not decompose into a base letter and a mark: "lukasz" must
# find "Łukasz" (Polish names are common in the Vilnius region) as "zydrune" finds
# "Žydrūnė". Lower case only: the text is case-folded first.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t",
                               "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


def search_key(text: str) -> str:
    """Lower case without diacritics, so that "zydrune" finds "Žydrūnė": what the users
    page compares with, stored in User.search_text so that no query folds every row."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class Role(StrEnum):
    LEARNER = "learner"
    SUPERVISOR = "supervisor"
    AUTHOR = "author"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.AUTHOR: _l("Course author"),
    Role.ADMIN: _l("Administrator"),
}


class Profession(StrEnum):
    SOCIAL_WORKER = "social_worker"
    POLICE_OFFICER = "police_officer"
    TEACHER = "teacher"
    HEALTH_SPECIALIST = "health_specialist"
    NGO_WORKER = "ngo_worker"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(PROFESSION_LABELS[self])


PROFESSION_LABELS = {
    Profession.SOCIAL_WORKER: _l("Social worker"),
    Profession.POLICE_OFFICER: _l("Police officer"),
    Profession.TEACHER: _l("Teacher or school specialist"),
    Profession.HEALTH_SPECIALIST: _l("Health specialist"),
    Profession.NGO_WORKER: _l("NGO worker"),
    Profession.OTHER: _l("Other"),
}

supervision = Table(
    "supervision",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_code", ForeignKey("municipality.code"), primary_key=True),
)


class User(UserMixin, db.Model):
    # The staff rule (access.is_staff) of one municipality read from the index alone:
    # every report counts a municipality's learners through it.
    __table_args__ = (
        Index("ix_user_staff", "municipality_code", "role", "active", "municipality_confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (see normalize_email), so the unique index is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))  # as it must appear on a certificate
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: invited, not yet set
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    workplace: Mapped[str] = mapped_column(String(200), default="")
    profession: Mapped[str] = mapped_column(String(32), default=Profession.OTHER.value)
    locale: Mapped[str] = mapped_column(String(5), default="lt")
    role: Mapped[str] = mapped_column(String(16), default=Role.LEARNER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotated on logout, password change and deactivation: every session ends at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None after self-registration until the link e-mailed to the address is followed.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None while a self-registered learner waits for a supervisor of her municipality to
    # confirm that she works there (REGISTRATION=confirm); she counts in no report.
    municipality_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the account was erased (anonymised) at its owner's request or by purge.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # search_key(full_name + e-mail), kept by validate_search below; indexed.
    search_text: Mapped[str] = mapped_column(String(460), default="", index=True)

    municipality: Mapped[Municipality | None] = relationship(foreign_keys=[municipality_code])
    supervised: Mapped[list[Municipality]] = relationship(secondary=supervision)

    @validates("full_name", "email")
    def validate_search(self, key: str, value: str) -> str:
        name = value if key == "full_name" else (self.full_name or "")
        email = value if key == "email" else (self.email or "")
        self.search_text = search_key(f"{name} {email}")
        return value

    @property
    def awaiting_confirmation(self) -> bool:
        return self.municipality_code is not None and self.municipality_confirmed_at is None

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def profession_label(self) -> str:
        return Profession(self.profession).label

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


register_audited(User, {"role", "municipality_code", "active", "full_name", "email",
                        "supervised"})
