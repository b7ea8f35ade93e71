"""The learner table's lines for the CSV and XLSX exports, built for speed: an
all-courses export of a 5,000-learner municipality is 5,000 lines of 45 cells.

The learners come in table order through a server-side cursor, ID_CHUNK at a time, so
memory does not grow with the municipality. For each chunk three narrow queries return
plain tuples (assignments, current certificates, progress), the chunk's ids bound as one
value and each course's place in the line and each state given by SQL as small
integers; the progress rows also give each learner's last activity, so the learner
query needs no correlated subquery. Each line starts as a copy of a template in which
every course says "not started", and only the cells that hold something are set.
Labels and dates are written once per distinct value, and timestamps become local days
through LocalDays (one time-zone conversion per UTC day, not one per cell)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ARRAY, Integer, String, any_, bindparam, case, func, select, type_coerce

from elearn.assignments.models import Assignment
from elearn.auth.models import Profession, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.courses import CourseChoice
from elearn.supervision.keyset import ordered
from elearn.supervision.learner_table import ID_CHUNK, TableQuery, learner_select
from elearn.supervision.services import (
    COMPLETED,
    IN_PROGRESS,
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


def _cached(show: Callable[[date], Any]) -> Callable[[date | str], Any]:
    """`show` once per distinct date (due dates, expiry dates), given as a date or as
    ISO text (SQLite's)."""
    seen: dict[date | str, Any] = {}

    def cached(day: date | str) -> Any:
        try:
            return seen[day]
        except KeyError:
            shown = seen[day] = show(date.fromisoformat(day) if isinstance(day, str) else day)
            return shown

    return cached


def _among(column, ids: list[int]):
    """`column IN ids` with the ids as one bound value (a JSON array read by json_each on
    SQLite, an array on PostgreSQL): the statement is the same for every chunk and its
    compiled form is reused, where an IN list of 500 values is rendered anew each time."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    if dialect == "sqlite":
        listed = func.json_each(bindparam("ids", json.dumps(ids))).table_valued("value")
        return column.in_(select(listed.c.value))
    return column.in_(ids)


def _tuples(statement) -> list[tuple]:
    """The statement's rows as the driver returns them: building SQLAlchemy's rows costs
    more than reading them here (48,000 rows an export), and these columns need no
    conversion (integers, and dates and timestamps read as text on SQLite)."""
    result = rows_of(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


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
    # The states as small integers from SQL (cheaper to read than their names), and
    # their labels indexed by them; each course's place in the line likewise.
    codes = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2}
    done_code = codes[COMPLETED]
    states = [cells.label(str(STATE_LABELS[key])) for key in codes]
    overdue = [cells.label(_("%(state)s, overdue", state=str(STATE_LABELS[key])))
               for key in codes]
    no_expiry = cells.label(_("Does not expire"))
    professions = {p.value: str(p.label) for p in Profession}
    days = LocalDays(zone, cells.day)
    show_day = _cached(cells.day)
    empty = cells.empty
    today_text = today.isoformat()
    template = ([states[0]] + [empty] * (width - 1)) * len(shown)
    state, due_at, completed_at, certificate_at = (
        at["state"], at["due"], at["completed"], at["certificate"])

    def where_in_line(course_id):
        return case(place, value=course_id, else_=None)

    def state_code():
        return case(codes, value=CourseProgress.status, else_=0)

    stmt, keys = learner_select(code, q, course_ids, today)
    stmt = stmt.with_only_columns(User.id, User.full_name, User.email, User.workplace,
                                  User.profession)
    # A server-side cursor on PostgreSQL (SQLite reads lazily anyway).
    learners = rows_of(ordered(stmt, keys)
                       .execution_options(stream_results=True, max_row_buffer=ID_CHUNK))
    while chunk := learners.fetchmany(ID_CHUNK):
        ids = [row[0] for row in chunk]
        lines = {user_id: template.copy() for user_id in ids}
        late: dict[int, set[int]] = {}  # learner: the places of her overdue courses
        for user_id, start, due_on in _tuples(
            select(Assignment.user_id, where_in_line(Assignment.course_id),
                   type_coerce(Assignment.due_on, String))  # ISO text on SQLite
            .where(_among(Assignment.user_id, ids), Assignment.course_id.in_(shown))
        ):
            if due_on is None:
                continue
            line = lines[user_id]
            line[start + due_at] = show_day(due_on)
            # ISO dates compare as the days do; overdue unless completed (the progress)
            if (due_on < today_text if isinstance(due_on, str) else due_on < today):
                line[start + state] = overdue[0]
                late.setdefault(user_id, set()).add(start)
        for user_id, start, expires_on in _tuples(
            select(Certificate.user_id, where_in_line(Certificate.course_id),
                   type_coerce(Certificate.expires_on, String))  # ISO text on SQLite
            .where(_among(Certificate.user_id, ids), Certificate.course_id.in_(shown),
                   Certificate.revoked_at.is_(None), latest_certificate_only())
        ):
            lines[user_id][start + certificate_at] = (
                no_expiry if expires_on is None else show_day(expires_on))
        # UTC text on SQLite, read by LocalDays without a datetime per cell
        completed_text = type_coerce(CourseProgress.completed_at, String)
        active_text = type_coerce(CourseProgress.last_activity_at, String)
        last: dict[int, Any] = {}
        if one:
            for user_id, status, done, total, completed, active in _tuples(
                select(CourseProgress.user_id, state_code(),
                       CourseProgress.modules_done, CourseProgress.module_total,
                       completed_text, active_text)
                .where(_among(CourseProgress.user_id, ids), CourseProgress.course_id == q.course)
            ):
                line = lines[user_id]
                line[state] = (overdue if user_id in late and status != done_code
                               else states)[status]
                if status:  # started: "not started", never "0 of 0 modules"
                    line[at["done"]] = cells.number(done or 0)
                    line[at["total"]] = cells.number(total or 0)
                if completed is not None:
                    line[completed_at] = days(completed)
                if active is not None:
                    line[at["activity"]] = days(active)
        else:
            for user_id, start, status, completed, active in _tuples(
                select(CourseProgress.user_id, where_in_line(CourseProgress.course_id),
                       state_code(), completed_text, active_text)
                .where(_among(CourseProgress.user_id, ids))
            ):
                # The last activity in any course, retired ones too (as the dashboard
                # shows it); the UTC texts compare as the moments do.
                if active is not None:
                    seen = last.get(user_id)
                    if seen is None or active > seen:
                        last[user_id] = active
                if start is None:  # a course no longer published
                    continue
                line = lines[user_id]
                if user_id in late and start in late[user_id] and status != done_code:
                    line[start] = overdue[status]
                else:
                    line[start] = states[status]
                if completed is not None:
                    line[start + completed_at] = days(completed)
        for user_id, full_name, email, workplace, profession, *_keys in chunk:
            person = [full_name, email, workplace, professions.get(profession, profession)]
            if not one:
                active = last.get(user_id)
                person.append(empty if active is None else days(active))
            yield cells.line(person, lines[user_id])
