"""An audit entry: one change, who made it, before and after. Never updated or deleted
(the migration adds database triggers that refuse it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __table_args__ = (
        Index("ix_audit_entry_target", "target_type", "target_id"),
        Index("ix_audit_entry_municipality", "municipality_code", "id"),
        Index("ix_audit_entry_other_municipality", "other_municipality_code", "id"),
        Index("ix_audit_entry_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None: a command on the server (flask users …) or a scheduled job.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(45))  # the client's IP address
    action: Mapped[str] = mapped_column(String(40))  # "user.role", "certificate.revoked", …
    target_type: Mapped[str] = mapped_column(String(40))  # "user", "certificate", …
    target_id: Mapped[str] = mapped_column(String(64))
    # The municipalities the change concerns (before and after a move), so that their
    # supervisors see it; None for changes outside any municipality.
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    other_municipality_code: Mapped[str | None] = mapped_column(String(6))
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Further municipalities the change concerns: those a supervisor was given or lost.
    concerns: Mapped[list[AuditConcern]] = relationship(lazy="raise")


class AuditConcern(db.Model):
    """A further municipality an entry concerns, whose supervisors see it too (append-only
    like the entries: the migration adds the same triggers)."""

    __tablename__ = "audit_entry_municipality"
    __table_args__ = (Index("ix_audit_entry_municipality_code", "municipality_code", "entry_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entry.id"), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), primary_key=True)
