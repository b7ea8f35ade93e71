"""Push deliveries already processed, remembered for a day in the database (every
worker sees them), so a replayed or redelivered push does not sync again."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db
from elearn.publishing.models import HookDelivery
from elearn.types import utcnow

KEPT_FOR = timedelta(days=1)
# GitHub sends a UUID, GitLab too; anything else is not a delivery id.
DELIVERY_ID = re.compile(r"[A-Za-z0-9-]{1,100}")


def valid_delivery_id(value: str) -> bool:
    return DELIVERY_ID.fullmatch(value) is not None


def claim(delivery_id: str) -> bool:
    """Remember the delivery; False when it was processed within the last day."""
    db.session.execute(delete(HookDelivery).where(HookDelivery.received_at < utcnow() - KEPT_FOR))
    db.session.add(HookDelivery(id=delivery_id, received_at=utcnow()))
    try:
        db.session.commit()
    except IntegrityError:  # already there, or another worker claimed it a moment ago
        db.session.rollback()
        return False
    return True


def release(delivery_id: str) -> None:
    """Forget a delivery whose sync failed, so the git host's redelivery is processed."""
    db.session.rollback()
    db.session.execute(delete(HookDelivery).where(HookDelivery.id == delivery_id))
    db.session.commit()
