"""The one place that decides who may see or do what.

Every endpoint needs a signed-in, active user unless it is marked @public.
Role-restricted endpoints say which permission they need with @requires.

Whom a supervisor may see is one rule, written once as SQL: the active learners who
work now in a municipality she supervises (supervised_learners, built from staff_of).
Every query scoped to people adds that where-clause; the Python check for a single
person (may_supervise_learner) asks the database the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from functools import wraps

from flask import Flask, abort, current_app, request
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, or_, select

from elearn.auth.models import Role, User
from elearn.extensions import db, login_manager
from elearn.municipalities import Municipality, collation_key
from elearn.types import utcnow


class Permission(StrEnum):
    PREVIEW_COURSES = "preview_courses"  # see unpublished courses, marked as preview
    VIEW_PUBLISHING = "view_publishing"  # publishing status of every course
    SUPERVISE = "supervise"  # dashboards of the municipalities one supervises
    NATIONAL_OVERVIEW = "national_overview"  # all municipalities compared
    MANAGE_USERS = "manage_users"
    REVOKE_CERTIFICATES = "revoke_certificates"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.LEARNER: frozenset(),
    Role.SUPERVISOR: frozenset({Permission.SUPERVISE}),
    Role.AUTHOR: frozenset({Permission.PREVIEW_COURSES, Permission.VIEW_PUBLISHING}),
    Role.ADMIN: frozenset(Permission),
}

# Where each role starts after signing in (the first permission the user holds); the
# learner's home, "My learning", stays in everyone's menu.
LANDING: list[tuple[Permission, str]] = [
    (Permission.NATIONAL_OVERVIEW, "national.overview"),
    (Permission.SUPERVISE, "supervision.dashboard"),
    (Permission.VIEW_PUBLISHING, "publishing.status"),
]
HOME_ENDPOINT = "main.index"

PUBLIC_ATTR = "_elearn_public"
PERMISSION_ATTR = "_elearn_permission"
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def can(user, permission: Permission) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return permission in GRANTS[Role(user.role)]


def landing_endpoint(user) -> str:
    """The page a user starts from after signing in: her role's main page."""
    return next((endpoint for permission, endpoint in LANDING if can(user, permission)),
                HOME_ENDPOINT)


def supervised_codes(user) -> list[str] | None:
    """Municipality codes the user may supervise; None means all (admins)."""
    if can(user, Permission.NATIONAL_OVERVIEW):
        return None
    if can(user, Permission.SUPERVISE):
        return sorted(m.code for m in user.supervised)
    return []


def may_supervise(user, municipality_code: str) -> bool:
    codes = supervised_codes(user)
    return codes is None or municipality_code in codes


def is_staff() -> ColumnElement[bool]:
    """The learners every report counts: active learner accounts (invited ones included,
    they have simply not started) whose municipality is confirmed (a self-registered
    learner waits for a supervisor under REGISTRATION=confirm). Supervisors, authors and
    admins are not counted."""
    return and_(User.role == Role.LEARNER.value, User.active.is_(True),
                User.municipality_confirmed_at.is_not(None))


def staff_of(code: str) -> ColumnElement[bool]:
    """The staff of one municipality: its active learners. Callers have checked that the
    user supervises it (municipality_or_404), so this is supervised_learners narrowed
    to one municipality."""
    return and_(User.municipality_code == code, is_staff())


def supervised_learners(user) -> ColumnElement[bool]:
    """The staff rule as a where-clause on User: the active learners who work now in a
    municipality the user supervises; every municipality's for admins, nobody for others."""
    codes = supervised_codes(user)
    if codes is None:
        return and_(User.municipality_code.is_not(None), is_staff())
    return and_(User.municipality_code.in_(codes), is_staff())


def may_supervise_learner(user, learner_id: int) -> bool:
    """The staff rule for one person, asked of the database with supervised_learners."""
    return db.session.scalar(
        select(User.id).where(User.id == learner_id, supervised_learners(user))
    ) is not None


def visible_municipalities(user) -> list[Municipality]:
    """The municipalities whose dashboards the user may open, in alphabetical order."""
    codes = supervised_codes(user)
    query = select(Municipality).where(Municipality.country == current_app.config["COUNTRY"])
    if codes is not None:
        query = query.where(Municipality.code.in_(codes))
    return sorted(db.session.scalars(query), key=lambda m: collation_key(m.name))


def municipality_or_404(code: str) -> Municipality:
    """The municipality when the signed-in user supervises it; 404 otherwise: out of
    scope is "not found", never a hint."""
    if not may_supervise(current_user, code):
        abort(404)
    place = db.session.get(Municipality, code)
    if place is None or place.country != current_app.config["COUNTRY"]:
        abort(404)  # another country's list, left in the database, is not this platform's
    return place


def learner_or_404(code: str, user_id: int) -> User:
    """A learner on the municipality's staff (checked together with the municipality)."""
    municipality_or_404(code)
    learner = db.session.scalar(select(User).where(User.id == user_id, staff_of(code)))
    if learner is None:
        abort(404)
    return learner


def awaiting_in(code) -> ColumnElement[bool]:
    """Self-registered learners who say they work in the municipality and wait for one of
    its supervisors to confirm it (or move them to the right one). `code` may be a column
    (grouping by municipality)."""
    return and_(User.municipality_code == code, User.role == Role.LEARNER.value,
                User.active.is_(True), User.municipality_confirmed_at.is_(None))


def former_staff_of(code: str) -> ColumnElement[bool]:
    """Deactivated learners of the municipality (leavers its supervisors may reactivate);
    erased accounts are gone for good."""
    return and_(User.municipality_code == code, User.role == Role.LEARNER.value,
                User.active.is_(False), User.deleted_at.is_(None))


def staff_member_or_404(code: str, user_id: int) -> User:
    """A learner a supervisor of the municipality may act on: on its staff, waiting for
    confirmation, or deactivated there. Anyone else, or another municipality: 404."""
    municipality_or_404(code)
    person = db.session.scalar(select(User).where(
        User.id == user_id, or_(staff_of(code), awaiting_in(code), former_staff_of(code))))
    if person is None:
        abort(404)
    return person


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def requires(permission: Permission) -> Callable[[Callable], Callable]:
    """Restrict a view to users holding the permission (403 for others)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, PERMISSION_ATTR, permission)
        return wrapped

    return decorator


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(view is not None and getattr(view, PUBLIC_ATTR, False))


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # per-user session tokens do this job

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(db.select(User).where(User.session_token == session_token))

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, url_for
        from flask_babel import gettext as _

        flash(_("Please sign in to continue."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def _require_login():
        if is_public_endpoint(current_app, request.endpoint):
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if request.method not in SAFE_METHODS:  # reading a page changes nothing
            touch_last_seen(current_user)
        return None


def touch_last_seen(user: User) -> None:
    """Remember when the user last did something (signed in, sent a form): supervisors
    see the day. Committed, at most once per LAST_SEEN_RESOLUTION."""
    now = utcnow()
    last = user.last_seen_at
    if last is None or now - last > LAST_SEEN_RESOLUTION:
        user.last_seen_at = now
        db.session.commit()
