"""Assignment rules: a course assigned to everyone in the municipality, at a workplace or
of a profession, which also reaches the people who join later, and assigns the course
again before a certificate of it expires.

A rule first assigns the course to the people it covers today (as any assignment does).
After that, `apply_rules` assigns it to people who joined the municipality since the
rule was made (imported, confirmed by a supervisor or moved in: their
municipality_confirmed_at), within JOIN_WINDOW_DAYS of joining, unless a supervisor
withdrew it from them since they joined. It runs after a staff import, when a learner
joins a municipality, and with `flask reminders send` every day.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, exists, insert, or_, select, update

from elearn.access import staff_of
from elearn.assignments.models import Assignment, AssignmentRule, WithdrawnAssignment
from elearn.assignments.services import AssignResult, assign
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.i18n import today
from elearn.types import utcnow

TARGETS = ("municipality", "workplace", "profession")
DEFAULT_RENEW_DAYS = 60
DEFAULT_DAYS_FOR_NEWCOMERS = 30
JOIN_WINDOW_DAYS = 30  # within the withdrawn rows' life (withdrawals.KEEP_DAYS)


def _covers(rule: AssignmentRule):
    """The rule's people, as a where-clause on User."""
    clause = staff_of(rule.municipality_code)
    if rule.target == "workplace":
        clause = and_(clause, User.workplace == rule.workplace)
    elif rule.target == "profession":
        clause = and_(clause, User.profession == rule.profession)
    return clause


def create_rule(code: str, course_id: str, due_on: date, *, target: str, workplace: str = "",
                profession: str = "", renew_days_before: int | None = DEFAULT_RENEW_DAYS,
                by_user_id: int | None) -> AssignResult:
    """Store the rule and assign the course to the people it covers today; the caller
    commits."""
    if target not in TARGETS:
        raise ValueError(target)
    rule = AssignmentRule(
        municipality_code=code, course_id=course_id, target=target,
        workplace=workplace if target == "workplace" else "",
        profession=profession if target == "profession" else "", due_on=due_on,
        days_for_newcomers=DEFAULT_DAYS_FOR_NEWCOMERS, renew_days_before=renew_days_before,
        created_by_id=by_user_id, created_at=utcnow())
    db.session.add(rule)
    db.session.flush()
    record("assignment.rule", "assignment_rule", rule.id, municipality=code,
           actor_id=by_user_id, after={"course_id": course_id, "target": target,
                                       "workplace": rule.workplace,
                                       "profession": rule.profession,
                                       "due_on": due_on.isoformat(),
                                       "renew_days_before": renew_days_before})
    ids = list(db.session.scalars(select(User.id).where(_covers(rule))))
    return assign(code, course_id, due_on, target="learners", user_ids=ids,
                  by_user_id=by_user_id)


def rules_of(code: str) -> list[AssignmentRule]:
    return list(db.session.scalars(
        select(AssignmentRule).where(AssignmentRule.municipality_code == code)
        .order_by(AssignmentRule.created_at.desc(), AssignmentRule.id.desc())))


def stop_rule(code: str, rule_id: int) -> bool:
    """The rule reaches nobody new any more; the assignments it made stay. The caller
    commits."""
    rule = db.session.scalar(select(AssignmentRule).where(
        AssignmentRule.id == rule_id, AssignmentRule.municipality_code == code))
    if rule is None:
        return False
    record("assignment.rule", "assignment_rule", rule.id, municipality=code,
           before={"course_id": rule.course_id, "target": rule.target}, after={"stopped": True})
    db.session.delete(rule)
    return True


def apply_rules(today: date, code: str | None = None) -> int:
    """Assign the rules' courses to newcomers and again before certificates expire;
    returns how many assignments were made or moved. The caller commits."""
    stmt = select(AssignmentRule)
    if code is not None:
        stmt = stmt.where(AssignmentRule.municipality_code == code)
    done = 0
    for rule in db.session.scalars(stmt).all():
        done += _newcomers(rule, today)
        if rule.renew_days_before is not None:
            done += _renewals(rule, today)
    return done


def _newcomers(rule: AssignmentRule, today: date) -> int:
    since = max(rule.created_at, utcnow() - timedelta(days=JOIN_WINDOW_DAYS))
    withdrawn = exists().where(
        WithdrawnAssignment.user_id == User.id, WithdrawnAssignment.course_id == rule.course_id,
        WithdrawnAssignment.withdrawn_at >= User.municipality_confirmed_at)
    assigned = exists().where(Assignment.user_id == User.id,
                              Assignment.course_id == rule.course_id)
    joined = db.session.execute(
        select(User.id).where(_covers(rule), User.municipality_confirmed_at > since,
                              ~assigned, ~withdrawn)).scalars().all()
    if not joined:
        return 0
    due_on = max(rule.due_on, today + timedelta(days=rule.days_for_newcomers))
    db.session.execute(insert(Assignment), [
        {"user_id": user_id, "course_id": rule.course_id, "due_on": due_on,
         "assigned_by_id": rule.created_by_id, "created_at": utcnow()} for user_id in joined])
    record("assignment.by_rule", "assignment_rule", rule.id, municipality=rule.municipality_code,
           after={"course_id": rule.course_id, "due_on": due_on.isoformat(),
                  "user_ids": sorted(joined)})
    return len(joined)


def _renewals(rule: AssignmentRule, today: date) -> int:
    """People whose newest certificate of the course expires within renew_days_before
    days: due again on the day it expires, once per certificate (an assignment already
    due after the certificate was issued is left alone)."""
    expiring = db.session.execute(
        select(Certificate.user_id, Certificate.expires_on, Certificate.issued_on,
               Assignment.id)
        .join(User, User.id == Certificate.user_id)
        .outerjoin(Assignment, and_(Assignment.user_id == Certificate.user_id,
                                    Assignment.course_id == Certificate.course_id))
        .where(_covers(rule), Certificate.course_id == rule.course_id,
               Certificate.revoked_at.is_(None), Certificate.expires_on.is_not(None),
               Certificate.expires_on <= today + timedelta(days=rule.renew_days_before),
               Certificate.superseded.is_(False),
               or_(Assignment.id.is_(None), Assignment.due_on <= Certificate.issued_on))
    ).all()
    for user_id, expires_on, _issued_on, assignment_id in expiring:
        if assignment_id is None:
            db.session.execute(insert(Assignment), [{
                "user_id": user_id, "course_id": rule.course_id, "due_on": expires_on,
                "assigned_by_id": rule.created_by_id, "created_at": utcnow()}])
        else:
            db.session.execute(update(Assignment).where(Assignment.id == assignment_id)
                               .values(due_on=expires_on, assigned_by_id=rule.created_by_id))
    if expiring:
        record("assignment.by_rule", "assignment_rule", rule.id,
               municipality=rule.municipality_code,
               after={"course_id": rule.course_id, "renewed_user_ids": sorted(
                   user_id for user_id, *_ in expiring)})
    return len(expiring)


def on_staff_joined(_sender, *, code: str) -> None:
    """Receiver of auth's staff_joined: the municipality's rules reach the newcomer in the
    same transaction."""
    apply_rules(today(), code)
