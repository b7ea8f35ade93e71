"""A supervisor's staff work: who waits for confirmation, who left (deactivated), and
the corrections she may make. The changes themselves are the auth services'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.access import awaiting_in, former_staff_of, may_supervise
from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.extensions import db

LISTED = 100  # rows of each list on the dashboard; the count says how many there are


@dataclass(frozen=True)
class StaffRow:
    id: int
    full_name: str
    email: str
    workplace: str
    created_at: datetime


@dataclass(frozen=True)
class StaffList:
    rows: list[StaffRow]
    total: int


def _list(where) -> StaffList:
    rows = db.session.execute(
        select(User.id, User.full_name, User.email, User.workplace, User.created_at,
               func.count().over()).where(where)
        .order_by(User.created_at.desc(), User.id.desc()).limit(LISTED)
    ).all()
    return StaffList([StaffRow(*r[:5]) for r in rows], rows[0][5] if rows else 0)


def awaiting(code: str) -> StaffList:
    """Self-registered learners who wait for a supervisor of the municipality, newest first."""
    return _list(awaiting_in(code))


def former(code: str) -> StaffList:
    """Deactivated learners of the municipality, newest accounts first."""
    return _list(former_staff_of(code))


def awaiting_counts(codes: list[str]) -> dict[str, int]:
    """How many wait for confirmation in each municipality (for the weekly summary)."""
    return dict(db.session.execute(
        select(User.municipality_code, func.count())
        .where(User.municipality_code.in_(codes), awaiting_in(User.municipality_code))
        .group_by(User.municipality_code)).all())


def has_certificates(person: User) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.user_id == person.id)
    ) > 0


def correct(person: User, form) -> bool:
    """Save the corrected details, unless a new name on someone with certificates is not
    confirmed yet (then the form says so and nothing is stored)."""
    renamed = form.full_name.data.strip() != person.full_name
    if renamed and has_certificates(person) and not form.confirm_name_change.data:
        form.confirm_name_change.errors.append(_(
            "She has certificates. Tick the box to confirm the new name: certificates "
            "issued from now on carry it, the ones issued so far keep the old one."))
        return False
    accounts.correct_staff_details(person, full_name=form.full_name.data,
                                   workplace=form.workplace.data,
                                   profession=form.profession.data)
    return True


def move(supervisor: User, person: User, code: str) -> None:
    """Put a learner awaiting confirmation in the municipality she really works in:
    confirmed at once when the supervisor supervises that one too."""
    accounts.move_to_municipality(person, code, confirmed=may_supervise(supervisor, code))
