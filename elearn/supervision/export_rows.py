"""The learner table's lines for the CSV and XLSX exports, built for speed: an
all-courses export of a 5,000-learner municipality is 5,000 lines of 45 cells.

The learners come in table order through a server-side cursor, ID_CHUNK at a time, so
memory does not grow with the municipality. For each chunk three narrow queries return
plain tuples (progress, assignments, current certificates); the progress rows also give
each learner's last activity, so the learner query needs no correlated subquery. Each
line starts as a copy of a template in which every course says "not started", and only
the cells that hold something are set. Labels and dates are written once per distinct
value, and timestamps become local days through LocalDays (one time-zone conversion
per UTC day, not one per cell)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, select, type_coerce

from elearn.assignments.models import Assignment
from elearn.auth.models import Profession, User
from elearn.certificates.models import Certificate
from elearn.learning.models import CourseProgress
from elearn.publishing.courses import CourseChoice
from elearn.supervision.keyset import ordered
from elearn.supervision.learner_table import ID_CHUNK, TableQuery, learner_select
from elearn.supervision.services import (
    COMPLETED,
    NOT_STARTED,
    STATE_LABELS,
    latest_certificate_only,
    rows_of,
)

# The cells of one course, in column order: every course (four columns) or one (seven).
EVERY_COURSE = {"state": 0, "due": 1, "completed": 2, "certificate": 3}
ONE_COURSE = {"state": 0, "done": 1, "total": 2, "due": 3, "completed": 4, "activity": 5,
              "certificate": 6}


class LocalDays:
    """UTC timestamps as days in one time zone, converting once per UTC day, not once
    per timestamp; `show` writes each distinct day once (ISO text for CSV, a date for
    XLSX).

    SQLite returns the timestamps as UTC text ("2026-03-29 00:59:59.000000"). On a UTC
    day whose offset is the same at its first and last microsecond, local midnight falls
    at one UTC moment, and a timestamp's local day is the one before or after it: a
    string comparison. Days on which the offset changes (summer time begins or ends) are
    converted one timestamp at a time, exactly, as are other texts and datetime objects
    (PostgreSQL's). (A zone whose offset changed and changed back within one UTC day
    would be misread on that day; no zone in the tz database does.)"""

    def __init__(self, zone: tzinfo, show: Callable[[date], Any]) -> None:
        self.zone = zone
        self.show = show
        self._days: dict[str, tuple[str, Any, Any] | None] = {}
        self._shown: dict[date, Any] = {}

    def __call__(self, moment: str | datetime) -> Any:
        if type(moment) is str and len(moment) in (19, 26) and moment[10] == " ":
            key = moment[:10]
            try:
                entry = self._days[key]
            except KeyError:
                entry = self._days[key] = self._day(key)
            if entry is not None:
                cut, before, after = entry
                return before if moment[:19] < cut else after
        return self._exact(moment)

    def _day(self, key: str) -> tuple[str, Any, Any] | None:
        try:
            start = datetime.fromisoformat(key).replace(tzinfo=UTC)
        except ValueError:
            return None
        first = start.astimezone(self.zone)
        offset = first.utcoffset()
        if offset is None or offset != (start + timedelta(days=1, microseconds=-1)
                                         ).astimezone(self.zone).utcoffset():
            return None  # the offset changes during this day
        local_day = first.date()
        # Local midnight in UTC; offsets are whole seconds, so seconds are enough.
        midnight = datetime.combine(local_day + timedelta(days=1), time()) - offset
        return (midnight.strftime("%Y-%m-%d %H:%M:%S"), self._show(local_day),
                self._show(local_day + timedelta(days=1)))

    def _exact(self, moment: str | datetime) -> Any:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return self._show(moment.astimezone(self.zone).date())

    def _show(self, day: date) -> Any:
        try:
            return self._shown[day]
        except KeyError:
            shown = self._shown[day] = self.show(day)
            return shown


def _cached(show: Callable[[date], Any]) -> Callable[[date], Any]:
    """`show` once per distinct date (due dates, expiry dates)."""
    seen: dict[date, Any] = {}

    def cached(day: date) -> Any:
        try:
            return seen[day]
        except KeyError:
            shown = seen[day] = show(day)
            return shown

    return cached


def export_lines(code: str, q: TableQuery, courses: Sequence[CourseChoice], today: date,
                 zone: tzinfo, cells) -> Iterator[Any]:
    """Every learner the filters select, in table order, one line each as `cells`
    (spreadsheets.CsvCells or ValueCells) writes it: name, e-mail address, workplace,
    profession, then one course in detail or every course's state, due date, completion
    day and certificate (with the learner's last activity before them)."""
    course_ids = [c.id for c in courses]
    one = bool(q.course)
    shown = [q.course] if one else course_ids
    at = ONE_COURSE if one else EVERY_COURSE
    width = len(at)
    place = {course_id: index * width for index, course_id in enumerate(shown)}
    states = {key: cells.label(str(label)) for key, label in STATE_LABELS.items()}
    overdue = {key: cells.label(_("%(state)s, overdue", state=str(label)))
               for key, label in STATE_LABELS.items()}
    no_expiry = cells.label(_("Does not expire"))
    professions = {p.value: str(p.label) for p in Profession}
    days = LocalDays(zone, cells.day)
    show_day = _cached(cells.day)
    empty = cells.empty
    template = ([states[NOT_STARTED]] + [empty] * (width - 1)) * len(shown)
    state, due_at, completed_at, certificate_at = (
        at["state"], at["due"], at["completed"], at["certificate"])

    stmt, keys = learner_select(code, q, course_ids, today)
    stmt = stmt.with_only_columns(User.id, User.full_name, User.email, User.workplace,
                                  User.profession)
    # A server-side cursor on PostgreSQL (SQLite reads lazily anyway).
    learners = rows_of(ordered(stmt, keys)
                       .execution_options(stream_results=True, max_row_buffer=ID_CHUNK))
    while chunk := learners.fetchmany(ID_CHUNK):
        ids = [row[0] for row in chunk]
        lines = {user_id: template.copy() for user_id in ids}
        status_of: dict[tuple[int, int], str] = {}  # (learner, place): a started state
        last: dict[int, Any] = {}
        progress = select(
            CourseProgress.user_id, CourseProgress.course_id, CourseProgress.status,
            CourseProgress.modules_done, CourseProgress.module_total,
            # UTC text on SQLite, converted by LocalDays without a datetime per cell
            type_coerce(CourseProgress.completed_at, String),
            type_coerce(CourseProgress.last_activity_at, String),
        ).where(CourseProgress.user_id.in_(ids))
        if one:
            progress = progress.where(CourseProgress.course_id == q.course)
        for user_id, course_id, status, done, total, completed, active in rows_of(progress).all():
            # The last activity in any course, retired ones too (as the dashboard shows it);
            # the UTC texts compare as the moments do.
            if active is not None and not one:
                seen = last.get(user_id)
                if seen is None or active > seen:
                    last[user_id] = active
            start = place.get(course_id)
            if start is None:
                continue
            line = lines[user_id]
            status = status or NOT_STARTED
            line[start + state] = states[status]
            if status != NOT_STARTED:
                status_of[user_id, start] = status
                if one:  # "not started", never "0 of 0 modules"
                    line[start + at["done"]] = cells.number(done or 0)
                    line[start + at["total"]] = cells.number(total or 0)
            if completed is not None:
                line[start + completed_at] = days(completed)
            if one and active is not None:
                line[start + at["activity"]] = days(active)
        for user_id, course_id, due_on in rows_of(
            select(Assignment.user_id, Assignment.course_id, Assignment.due_on)
            .where(Assignment.user_id.in_(ids), Assignment.course_id.in_(shown))
        ).all():
            if due_on is None:
                continue
            start = place[course_id]
            line = lines[user_id]
            line[start + due_at] = show_day(due_on)
            status = status_of.get((user_id, start), NOT_STARTED)
            if due_on < today and status != COMPLETED:
                line[start + state] = overdue[status]
        for user_id, course_id, expires_on in rows_of(
            select(Certificate.user_id, Certificate.course_id, Certificate.expires_on)
            .where(Certificate.user_id.in_(ids), Certificate.course_id.in_(shown),
                   Certificate.revoked_at.is_(None), latest_certificate_only())
        ).all():
            lines[user_id][place[course_id] + certificate_at] = (
                no_expiry if expires_on is None else show_day(expires_on))
        for user_id, full_name, email, workplace, profession, *_keys in chunk:
            person = [full_name, email, workplace, professions.get(profession, profession)]
            if not one:
                active = last.get(user_id)
                person.append(empty if active is None else days(active))
            yield cells.line(person, lines[user_id])
