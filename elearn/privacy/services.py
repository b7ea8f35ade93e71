"""Everything the platform holds about a person, as a ZIP file; erasure; the purge of
accounts inactive past the retention period."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update

from elearn.assignments.models import Assignment
from elearn.audit.models import AuditConcern, AuditEntry
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.certificates import services as certs
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.publishing.models import Option, Question
from elearn.types import utcnow

ACCOUNT_FIELDS = ("id", "email", "full_name", "municipality_code", "workplace", "profession",
                  "locale", "role", "active", "created_at", "last_seen_at",
                  "email_confirmed_at", "municipality_confirmed_at")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(model, where, fields: list[str] | None = None, order=None) -> list[dict]:
    columns = fields or [c.key for c in model.__table__.columns]
    found = db.session.scalars(select(model).where(where).order_by(*(order or ())))
    return [{name: _plain(getattr(row, name)) for name in columns} for row in found]


def my_data(user: User) -> dict[str, Any]:
    """Everything stored about the person, in plain JSON values (no password hash, no
    session token: those are secrets, not information about her)."""
    return {
        "account": {name: _plain(getattr(user, name)) for name in ACCOUNT_FIELDS},
        "supervises": sorted(m.code for m in user.supervised),
        "course_progress": _rows(CourseProgress, CourseProgress.user_id == user.id,
                                 order=[CourseProgress.course_id]),
        "module_progress": _rows(ModuleProgress, ModuleProgress.user_id == user.id,
                                 order=[ModuleProgress.course_id, ModuleProgress.module_key]),
        "quiz_attempts": _with_answer_texts(
            _rows(Attempt, Attempt.user_id == user.id, order=[Attempt.id])),
        "assignments": _rows(Assignment, Assignment.user_id == user.id, order=[Assignment.id]),
        "certificates": _rows(Certificate, Certificate.user_id == user.id,
                              order=[Certificate.id]),
        "audit_entries_about_you": _rows(
            AuditEntry, (AuditEntry.target_type == "user")
            & (AuditEntry.target_id == str(user.id)),
            ["at", "action", "before", "after", "municipality_code"], order=[AuditEntry.id]),
    }


def _with_answer_texts(attempts: list[dict]) -> list[dict]:
    """Each attempt's questions and options as she saw them, in words and in the order
    shown, and the options she chose. The stored row ids are left out: they follow the
    author's order, which would hint at the right answer of an attempt still open, and
    which options were right is not added (the result pages do not show it either)."""
    question_ids = {q["id"] for a in attempts for q in a["questions"] or []}
    option_ids = {o for a in attempts for q in a["questions"] or [] for o in q["options"]}
    questions = dict(db.session.execute(
        select(Question.id, Question.text).where(Question.id.in_(question_ids))).all()
    ) if question_ids else {}
    options = dict(db.session.execute(
        select(Option.id, Option.text).where(Option.id.in_(option_ids))).all()
    ) if option_ids else {}
    shown = []
    for attempt in attempts:
        chosen_ids = attempt.pop("answers", None) or []
        asked = attempt.pop("questions", None) or []
        attempt["questions"] = [
            {"question": questions.get(q["id"], {}),
             "options": [options.get(o, {}) for o in q["options"]]}
            for q in asked
        ]
        if attempt["submitted_at"]:
            attempt["chosen"] = [[options.get(o, {}) for o in chosen] for chosen in chosen_ids]
        shown.append(attempt)
    return shown


def data_zip(user: User) -> bytes:
    """my-data.json and every certificate's PDF, in one ZIP file."""
    data = my_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for certificate in certs.certificates_of(user.id):
            name = f"certificates/{certificate.serial or certificate.id}.pdf"
            archive.writestr(name, certs.pdf_bytes(certificate))
    return buffer.getvalue()


def erase(user: User, reason: str) -> None:
    """Anonymise the account: name, e-mail address and workplace removed, sessions ended,
    no more sign-in. Training records stay without a name (statistics), and certificates
    stay verifiable as issued to a person whose account was deleted. The caller commits."""
    record("user.erased", "user", user.id, before={"active": user.active},
           after={"reason": reason}, municipality=user.municipality_code)
    user.full_name = ""
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.workplace = ""
    user.password_hash = None
    user.active = False
    user.deleted_at = utcnow()
    user.supervised = []
    user.end_all_sessions()
    db.session.execute(update(Certificate).where(Certificate.user_id == user.id)
                       .values(full_name=""))


def inactive_since(cutoff: datetime):
    """Accounts nobody has used since the cutoff (never-used ones count from creation)."""
    return select(User).where(
        User.deleted_at.is_(None),
        func.coalesce(User.last_seen_at, User.created_at) < cutoff)


def purge(years: int, now: datetime | None = None, dry_run: bool = False) -> tuple[int, int]:
    """Anonymise accounts inactive for `years` and delete audit entries older than that;
    returns (accounts, entries). Commits (a command's whole work)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=round(365.25 * years))
    people = list(db.session.scalars(inactive_since(cutoff)))
    old_entries = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.at < cutoff)) or 0
    if dry_run:
        return len(people), old_entries
    for person in people:
        erase(person, "retention")
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        # The audit log's trigger lets this transaction, and only it, delete old entries.
        db.session.execute(text("SET LOCAL elearn.audit_purge = 'on'"))
    db.session.execute(delete(AuditConcern).where(AuditConcern.entry_id.in_(
        select(AuditEntry.id).where(AuditEntry.at < cutoff))))
    db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    db.session.commit()
    return len(people), old_entries
