"""What the admin's pages show, each built in one call and frozen, and the changes they
make through the auth services (the ones `flask users …` uses)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.admin.users import UserQuery, UserRow, matching_count, user_rows
from elearn.audit.queries import AuditQuery, AuditRow, audit_rows
from elearn.auth import services as accounts
from elearn.auth.models import PROFESSION_LABELS, ROLE_LABELS, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.municipalities import municipality_choices


@dataclass(frozen=True)
class UsersPage:
    q: UserQuery
    rows: list[UserRow]
    next_cursor: str | None
    total: int
    municipalities: list[tuple[str, str]]
    roles: list[tuple[str, str]]
    professions: list[tuple[str, str]]


def users_page(args: Mapping[str, str]) -> UsersPage:
    places = municipality_choices()
    q = UserQuery.from_args(args, {code for code, _ in places})
    rows, following = user_rows(q)
    return UsersPage(
        q=q, rows=rows, next_cursor=following, total=matching_count(q), municipalities=places,
        roles=[(r.value, str(label)) for r, label in ROLE_LABELS.items()],
        professions=[(p.value, str(label)) for p, label in PROFESSION_LABELS.items()],
    )


@dataclass(frozen=True)
class UserPage:
    person: User
    municipality_name: str
    supervises: list[str]
    certificate_count: int
    history: list[AuditRow]


def user_page(person: User) -> UserPage:
    places = dict(municipality_choices())
    history, _ = audit_rows(AuditQuery(person=person.id), size=20)
    return UserPage(
        person=person,
        municipality_name=places.get(person.municipality_code or "", ""),
        supervises=sorted(m.code for m in person.supervised),
        certificate_count=certificate_count(person),
        history=history,
    )


def certificate_count(person: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.user_id == person.id)
    ) or 0


def user_or_none(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def save_account(person: User, form) -> str | None:
    """The account form's changes, or the reason they cannot be saved (nothing stored)."""
    if accounts.email_taken_by_other(form.email.data, person):
        form.email.errors.append(_("Another account has this e-mail address."))
        return "email"
    renamed = form.full_name.data.strip() != person.full_name
    if renamed and certificate_count(person) and not form.confirm_name_change.data:
        form.confirm_name_change.errors.append(_(
            "She has certificates. Tick the box to confirm the new name: certificates "
            "issued from now on carry it, the ones issued so far keep the old one."))
        return "confirm"
    accounts.update_account(
        person, full_name=form.full_name.data, email=form.email.data,
        municipality_code=form.municipality.data or None, workplace=form.workplace.data or "",
        profession=form.profession.data, locale=form.locale.data)
    return None
