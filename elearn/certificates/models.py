"""Certificates: what was true at the moment of issue, frozen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.audit.services import register_audited
from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow


class Certificate(db.Model):
    __table_args__ = (
        # Covers "the newest certificate of a course" and the dashboard's counts: a
        # learner's certificates are read from the index without visiting the table.
        Index("ix_certificate_user_course_current", "user_id", "course_id", "id",
              "revoked_at", "expires_on"),
        Index("ix_certificate_municipality_expires", "municipality_code", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str | None] = mapped_column(String(32), unique=True)  # "LT-2026-000123"
    # In the QR codes of certificates printed before verification codes existed.
    code: Mapped[str] = mapped_column(String(64), unique=True)  # 160 random bits
    # What the PDF prints and its QR code links to: 12 characters, see codes.py.
    verification_code: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    # Copied at issue: later name changes or course edits do not alter a certificate.
    full_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(5))
    hours: Mapped[float] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64))
    git_commit: Mapped[str | None] = mapped_column(String(40))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    municipality_name: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    def state(self, today: date) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and self.expires_on < today:
            return "expired"
        return "valid"


register_audited(Certificate, {"revoked_at", "full_name"})
