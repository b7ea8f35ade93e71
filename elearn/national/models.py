"""The national overview's stored figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow


class ReportSnapshot(db.Model):
    """A national report computed by the database and kept for a few minutes.

    Comparing 60 municipalities means counting every learner's progress in the
    country; the result is stored here so the national overview reads one row, and
    is recomputed when it is older than REPORTS_SNAPSHOT_MAX_AGE or on request.
    """

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict] = mapped_column(JSON)
