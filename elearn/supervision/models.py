"""What the supervision pages keep beside the figures they show."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db


class MunicipalityDataVersion(db.Model):
    """A stamp that changes with every change to what a municipality's dashboard counts:
    its staff (municipality, role, active, confirmation, name, deletion), their course
    progress states, assignments and certificates (issue, revocation, supersession).

    Database triggers set it (migration f1a2b3c4d5e6), in the same statement as the
    change and so in its transaction, whichever code makes the change (ORM objects or
    bulk statements). The value is random, not a counter: a version written by a
    transaction that rolled back is never written again for other data, so figures
    cached under it can never be mistaken for current ones. No row: nothing has changed
    since the table was created (or emptied)."""

    __tablename__ = "municipality_data_version"

    municipality_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("municipality.code", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
