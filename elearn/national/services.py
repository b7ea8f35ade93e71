"""The national overview: every municipality's completion rate per course, and
completions per month, computed by GROUP BY and kept as a short-lived snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from elearn import jobs
from elearn.access import is_staff
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from elearn.municipalities import Municipality, collation_key
from elearn.national.models import ReportSnapshot
from elearn.publishing.courses import CourseChoice
from elearn.reading import storing_on_read
from elearn.types import utcnow

SNAPSHOT_NAME = "national"
DEFAULT_MAX_AGE = timedelta(minutes=10)
MONTHS = 12


def month_bounds(now: datetime, months: int = MONTHS) -> list[datetime]:
    """The first instants of the last `months` calendar months (the current one last) in
    the platform's time zone, and of the month after: months + 1 bounds."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    index = local.year * 12 + local.month - 1 - (months - 1)
    return [datetime(i // 12, i % 12 + 1, 1, tzinfo=zone) for i in range(index, index + months + 1)]


def compute(now: datetime) -> dict:
    """The overview's figures, counted by the database in two grouped queries: staff on
    record (and how many of them have signed up) per municipality, and completions per
    municipality and course with their months."""
    learners: dict[str, int] = {}
    registered: dict[str, int] = {}
    for code, count, signed_up in db.session.execute(
        select(User.municipality_code, func.count(),
               func.count().filter(User.password_hash.is_not(None)))
        .where(is_staff(), User.municipality_code.is_not(None))
        .group_by(User.municipality_code)
    ):
        learners[code], registered[code] = count, signed_up
    bounds = month_bounds(now)
    per_month = [
        func.count().filter(CourseProgress.completed_at >= start, CourseProgress.completed_at < end)
        for start, end in zip(bounds, bounds[1:], strict=False)
    ]
    completed: dict[str, dict[str, int]] = {}
    monthly: dict[str, list[int]] = {}
    # One pass over the completions; the months are summed over the 60 grouped rows.
    for code, course_id, count, *months in db.session.execute(
        select(User.municipality_code, CourseProgress.course_id, func.count(), *per_month)
        .join(User, User.id == CourseProgress.user_id)
        .where(is_staff(), CourseProgress.status == Status.COMPLETED.value,
               User.municipality_code.is_not(None))
        .group_by(User.municipality_code, CourseProgress.course_id)
    ):
        completed.setdefault(code, {})[course_id] = count
        totals = monthly.setdefault(course_id, [0] * MONTHS)
        for index, number in enumerate(months):
            totals[index] += number
    return {
        "learners": learners,
        "registered": registered,
        "completed": completed,
        "months": [b.strftime("%Y-%m") for b in bounds[:-1]],
        "monthly": monthly,
    }


def snapshot(now: datetime, *, refresh: bool = False) -> ReportSnapshot:
    """The stored figures, recomputed first when older than REPORTS_SNAPSHOT_MAX_AGE.

    With REDIS_URL set, stale figures are returned as they are (with their time) and a
    job recomputes them: the visitor never waits for the recomputation."""
    max_age = current_app.config.get("REPORTS_SNAPSHOT_MAX_AGE", DEFAULT_MAX_AGE)
    row = db.session.get(ReportSnapshot, SNAPSHOT_NAME)
    if row is not None and not refresh and now - row.computed_at <= max_age:
        return row
    if row is not None and not refresh and jobs.enabled():
        jobs.enqueue(RECOMPUTE_JOB, key=SNAPSHOT_NAME, description="recompute the national figures")
        return row
    data = compute(now)
    if row is None:
        row = ReportSnapshot(name=SNAPSHOT_NAME)
        db.session.add(row)
    row.data, row.computed_at = data, now
    try:
        with storing_on_read():  # the overview is a GET: this is its cache, one row
            db.session.commit()
    except IntegrityError:  # another request stored the same figures a moment ago
        db.session.rollback()
        row = db.session.get(ReportSnapshot, SNAPSHOT_NAME)
    return row


RECOMPUTE_JOB = "elearn.national.services:recompute"


def recompute() -> None:
    """What the worker runs when the figures are stale."""
    snapshot(utcnow(), refresh=True)


@dataclass(frozen=True)
class MunicipalityRates:
    """One municipality's figures. The rate's denominator is its staff on record: every
    active learner account, those a supervisor imported and invited but who have not
    signed up yet included (`registered` of them have). The platform does not know a
    municipality's real headcount, so staff that nobody imported are not counted."""

    code: str
    name: str
    learners: int  # staff on record
    completed: dict[str, int]
    registered: int = 0  # of them, with a password set (signed up at least once)

    def rate(self, course_id: str) -> float | None:
        if not self.learners:
            return None
        return self.completed.get(course_id, 0) / self.learners


def rates(data: dict, municipalities: list[Municipality], sort: str,
          descending: bool) -> list[MunicipalityRates]:
    """One row per municipality of the country, sorted by name, learners or a course's rate.
    Municipalities without learners have no rate and always come last."""
    rows = [
        MunicipalityRates(m.code, m.name, data["learners"].get(m.code, 0),
                          data["completed"].get(m.code, {}),
                          data.get("registered", {}).get(m.code, 0))
        for m in municipalities
    ]
    rows.sort(key=lambda r: collation_key(r.name), reverse=descending and sort == "name")
    if sort == "learners":
        rows.sort(key=lambda r: r.learners, reverse=descending)
    elif sort != "name":
        with_rate = [r for r in rows if r.rate(sort) is not None]
        without = [r for r in rows if r.rate(sort) is None]
        with_rate.sort(key=lambda r: r.rate(sort) or 0.0, reverse=descending)
        rows = with_rate + without
    return rows


def national_total(rows: list[MunicipalityRates]) -> MunicipalityRates:
    """The whole country as one row: staff and completions summed over its municipalities."""
    completed: dict[str, int] = {}
    for row in rows:
        for course_id, count in row.completed.items():
            completed[course_id] = completed.get(course_id, 0) + count
    return MunicipalityRates("", "", sum(r.learners for r in rows), completed,
                             sum(r.registered for r in rows))


def country_municipalities() -> list[Municipality]:
    return list(db.session.scalars(
        select(Municipality).where(Municipality.country == current_app.config["COUNTRY"])
    ))


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first day of the month
    total: int
    by_course: dict[str, int]


def monthly_rows(data: dict, courses: list[CourseChoice]) -> list[MonthRow]:
    rows = []
    for index, month in enumerate(data["months"]):
        by_course = {c.id: data["monthly"].get(c.id, [0] * MONTHS)[index] for c in courses}
        first = date.fromisoformat(month + "-01")
        rows.append(MonthRow(first, sum(by_course.values()), by_course))
    return rows


@dataclass(frozen=True)
class NationalQuery:
    """The overview's sort and charted course, as they travel in the query string."""

    sort: str = "name"
    descending: bool = False
    course: str = ""

    @classmethod
    def from_args(cls, args, course_ids: list[str]) -> NationalQuery:
        sort = args.get("sort", "name")
        course = args.get("course", "")
        return cls(
            sort=sort if sort in ("name", "learners", *course_ids) else "name",
            descending=args.get("dir") == "desc",
            course=course if course in course_ids else (course_ids[0] if course_ids else ""),
        )

    def args(self, **changes) -> dict[str, str]:
        values = {"sort": self.sort, "dir": "desc" if self.descending else "",
                  "course": self.course}
        values.update({k: v for k, v in changes.items() if k in values})
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "name")}
