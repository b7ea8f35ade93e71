"""Reading the audit log: newest first, filtered in SQL, one page at a time by keyset
(entries older than the last one shown), with who acted and on whom in the same query."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, String, cast, column, or_, select, table

from elearn.audit.models import AuditConcern, AuditEntry
from elearn.extensions import db
from elearn.inputs import parse_id

PAGE_SIZE = 50
EXPORT_CHUNK = 1000

ACTIONS = {
    "user.role": _l("Role or supervised municipalities changed"),
    "user.details": _l("Account details changed"),
    "user.moved": _l("Moved to another municipality"),
    "user.released": _l("Released from the municipality"),
    "user.confirmed": _l("Municipality confirmed"),
    "user.activated": _l("Account reactivated"),
    "user.deactivated": _l("Account deactivated"),
    "user.erased": _l("Account deleted"),
    "certificate.revoked": _l("Certificate revoked"),
    "assignment.created": _l("Course assigned"),
    "assignment.withdrawn": _l("Assignment withdrawn"),
    "assignment.due_date": _l("Due date changed"),
    "assignment.rule": _l("Assignment rule created or stopped"),
    "assignment.by_rule": _l("Course assigned by a rule"),
    "assignment.restored": _l("Withdrawal undone"),
    "staff.imported": _l("Staff imported"),
    "contact.changed": _l("Referral contact changed"),
    "course.published": _l("Course published"),
}

# The account table without importing auth (the audit log sits below every feature).
_people = table("user", column("id"), column("full_name"), column("email"))


@dataclass(frozen=True)
class AuditQuery:
    action: str = ""
    municipality: str = ""
    person: int | None = None  # entries about this account
    before: int | None = None  # the cursor: entries older than this id

    @classmethod
    def from_args(cls, args: Mapping[str, str], municipalities: set[str]) -> AuditQuery:
        return cls(
            action=a if (a := args.get("action", "")) in ACTIONS else "",
            municipality=m if (m := args.get("municipality", "")) in municipalities else "",
            person=_id_or_none(args.get("person", "")),
            before=_id_or_none(args.get("before", "")),
        )

    def args(self, **changes) -> dict[str, Any]:
        values = {"action": self.action, "municipality": self.municipality,
                  "person": self.person, "before": self.before}
        values.update(changes)
        return {k: v for k, v in values.items() if v}


def _id_or_none(value: str) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    address: str | None
    action: str
    target_type: str
    target_id: str
    target_name: str | None
    municipality_code: str | None
    other_municipality_code: str | None
    before: dict
    after: dict

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


def in_municipalities(codes: list[str] | None) -> ColumnElement[bool] | None:
    """Entries a supervisor of these municipalities sees (None: every entry, for admins)."""
    if codes is None:
        return None
    return or_(AuditEntry.municipality_code.in_(codes),
               AuditEntry.other_municipality_code.in_(codes),
               AuditEntry.id.in_(select(AuditConcern.entry_id)
                                 .where(AuditConcern.municipality_code.in_(codes))))


def _select(q: AuditQuery, scope: ColumnElement[bool] | None):
    actor = _people.alias("actor")
    target = _people.alias("target")
    stmt = (
        select(AuditEntry, actor.c.full_name, target.c.full_name)
        .outerjoin(actor, actor.c.id == AuditEntry.actor_id)
        .outerjoin(target, (AuditEntry.target_type == "user")
                   & (cast(target.c.id, String) == AuditEntry.target_id))
    )
    if scope is not None:
        stmt = stmt.where(scope)
    if q.action:
        stmt = stmt.where(AuditEntry.action == q.action)
    if q.municipality:
        stmt = stmt.where(in_municipalities([q.municipality]))
    if q.person is not None:
        stmt = stmt.where(AuditEntry.target_type == "user",
                          AuditEntry.target_id == str(q.person))
    return stmt.order_by(AuditEntry.id.desc())


def _row(entry: AuditEntry, actor_name: str | None, target_name: str | None) -> AuditRow:
    return AuditRow(
        id=entry.id, at=entry.at, actor_id=entry.actor_id, actor_name=actor_name,
        address=entry.address, action=entry.action, target_type=entry.target_type,
        target_id=entry.target_id, target_name=target_name,
        municipality_code=entry.municipality_code,
        other_municipality_code=entry.other_municipality_code,
        before=dict(entry.before or {}), after=dict(entry.after or {}),
    )


def audit_rows(q: AuditQuery, scope: ColumnElement[bool] | None = None,
               size: int = PAGE_SIZE) -> tuple[list[AuditRow], int | None]:
    """A page of entries, newest first, and the cursor of the next (older) page."""
    stmt = _select(q, scope)
    if q.before is not None:
        stmt = stmt.where(AuditEntry.id < q.before)
    found = db.session.execute(stmt.limit(size + 1)).all()
    rows = [_row(*r) for r in found[:size]]
    return rows, (rows[-1].id if len(found) > size else None)


def all_audit_rows(q: AuditQuery, scope: ColumnElement[bool] | None = None
                   ) -> Iterator[AuditRow]:
    """Every entry the filters select, chunk by chunk (for the CSV export)."""
    before = None
    while True:
        rows, before = audit_rows(AuditQuery(q.action, q.municipality, q.person, before),
                                  scope, EXPORT_CHUNK)
        yield from rows
        if before is None:
            return


def entries_about(target_type: str, target_id: int | str) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == target_type,
                                 AuditEntry.target_id == str(target_id))
        .order_by(AuditEntry.id)))
