"""record(): the one way to write the audit log, inside the change's own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from elearn.audit.models import AuditConcern, AuditEntry
from elearn.extensions import db

# What the guard watches: a change of these attributes, and for the models registered
# with rows=True the insertion or deletion of a row (by the ORM or by an insert/update/
# delete statement on the model), needs an entry in the same transaction. Filled by the
# features that own the models (register_audited), so that this module imports none.
AUDITED: dict[type, frozenset[str]] = {}
AUDITED_ROWS: set[type] = set()
RECORDED = "elearn_audit_recorded"
UNRECORDED = "elearn_audit_unrecorded"


def register_audited(model: type, attributes: set[str], *, rows: bool = False) -> None:
    AUDITED[model] = frozenset(attributes)
    if rows:
        AUDITED_ROWS.add(model)


def _actor() -> tuple[int | None, str | None]:
    if not has_request_context():
        return None, None  # a command or a job
    user = current_user
    actor_id = user.id if user and user.is_authenticated else None
    return actor_id, request.remote_addr


def record(action: str, target_type: str, target_id: int | str | None, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           municipality: str | None = None, other_municipality: str | None = None,
           concerns: Iterable[str] = (), actor_id: int | None = None) -> AuditEntry:
    """Add an entry to the session; it commits with the change it describes. Values
    must be plain JSON (strings, numbers, lists) and never secrets. `concerns`: further
    municipalities whose supervisors must see it (beyond the two columns)."""
    if target_id is None:
        raise ValueError("record() needs the target's id: flush a new row first")
    request_actor, address = _actor()
    entry = AuditEntry(
        actor_id=actor_id if actor_id is not None else request_actor, address=address,
        action=action, target_type=target_type, target_id=str(target_id),
        municipality_code=municipality,
        other_municipality_code=other_municipality if other_municipality != municipality
        else None,
        before=before or {}, after=after or {},
    )
    entry.concerns = [AuditConcern(municipality_code=code)
                      for code in sorted(set(concerns) - {municipality, other_municipality, None})]
    db.session.add(entry)
    db.session.info[RECORDED] = True
    return entry


def changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict, dict]:
    """The fields that differ, as (before, after)."""
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _unrecorded_change(session: Session) -> str | None:
    for obj in session.new | session.deleted:
        if type(obj) in AUDITED_ROWS:
            return f"{type(obj).__name__} row"
    for obj in session.dirty:
        watched = AUDITED.get(type(obj))
        if not watched:
            continue
        state = db.inspect(obj)
        for name in watched:
            if state.attrs[name].history.has_changes():
                return f"{type(obj).__name__}.{name}"
    return None


def _guarding() -> bool:
    return has_request_context() and bool(current_app.config.get("AUDIT_GUARD"))


@event.listens_for(Session, "after_flush")
def _note_flushed(session, flush_context):
    """With AUDIT_GUARD on (tests), note a watched change written without an entry; the
    commit then fails loudly unless the transaction recorded one, so no view can forget
    it (a new row may be recorded after the flush that gave it its id)."""
    if _guarding() and not session.info.get(RECORDED):
        changed = _unrecorded_change(session)  # new/dirty/deleted still show the flush's
        if changed:
            session.info.setdefault(UNRECORDED, changed)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(orm_execute_state):
    """The same for insert, update and delete statements on a watched model."""
    if not (orm_execute_state.is_insert or orm_execute_state.is_update
            or orm_execute_state.is_delete) or not _guarding():
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is not None and mapper.class_ in AUDITED_ROWS:
        orm_execute_state.session.info.setdefault(UNRECORDED, f"{mapper.class_.__name__} rows")


@event.listens_for(Session, "before_commit")
def _guard(session):
    if session.info.get(RECORDED):
        return
    session.flush()  # what is still pending is noted by _note_flushed
    changed = session.info.get(UNRECORDED)
    if changed and not session.info.get(RECORDED):
        session.info.pop(UNRECORDED, None)
        raise RuntimeError(f"{changed} changed without an audit entry")


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(RECORDED, None)
    session.info.pop(UNRECORDED, None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop(RECORDED, None)
    session.info.pop(UNRECORDED, None)
