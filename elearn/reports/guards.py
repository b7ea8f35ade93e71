"""Scope checks shared by the report views: out of scope is "not found", never a hint."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from elearn.access import may_supervise
from elearn.auth.models import User
from elearn.extensions import db
from elearn.municipalities import Municipality
from elearn.reports.scope import municipality, staff_of


def municipality_or_404(code: str) -> Municipality:
    """The municipality when the signed-in user supervises it; 404 otherwise."""
    if not may_supervise(current_user, code):
        abort(404)
    place = municipality(code)
    if place is None:
        abort(404)
    return place


def learner_or_404(code: str, user_id: int) -> User:
    """A learner on the municipality's staff (checked together with the municipality)."""
    municipality_or_404(code)
    learner = db.session.scalar(select(User).where(User.id == user_id, staff_of(code)))
    if learner is None:
        abort(404)
    return learner
