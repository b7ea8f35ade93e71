"""The learner table as spreadsheet columns, for the CSV and XLSX downloads, with title
lines saying what the file shows: municipality, course, filters, when it was made."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _

from elearn.auth.models import Profession
from elearn.municipalities import Municipality
from elearn.publishing.courses import CourseChoice
from elearn.spreadsheets import Value
from elearn.supervision.learner_table import Cell, LearnerRow, TableQuery
from elearn.supervision.services import NOT_STARTED, STATE_LABELS
from elearn.templating import format_moment
from elearn.types import utcnow

# Columns that hold people's text get room for it; the others fit their heading.
PERSON_WIDTHS = (30.0, 32.0, 36.0, 26.0)  # name, e-mail address, workplace, profession


def title_lines(place: Municipality, q: TableQuery, courses: Sequence[CourseChoice]) -> list[str]:
    """What the export shows, in the supervisor's language: a forwarded or printed file
    still says which municipality, course, filters and moment it is about."""
    chosen = next((c.title for c in courses if c.id == q.course), None)
    filters = []
    if q.workplace:
        filters.append(_("workplace: %(workplace)s", workplace=q.workplace))
    if q.profession:
        filters.append(_("profession: %(profession)s", profession=Profession(q.profession).label))
    if q.state:
        filters.append(_("state: %(state)s", state=STATE_LABELS[q.state]))
    return [
        _("Learners' progress"),
        _("Municipality: %(municipality)s (%(code)s)", municipality=place.name, code=place.code),
        _("Course: %(course)s", course=chosen) if chosen else _("Courses: every course"),
        _("Filter: %(filters)s", filters="; ".join(filters)) if filters
        else _("Filter: none (every learner)"),
        _("Exported: %(moment)s", moment=format_moment(utcnow())),
    ]


def file_stem(code: str, q: TableQuery, day: date) -> str:
    """Municipality code, course and date: LT-57-learners-teamwork-2026-12-01."""
    return f"{code}-learners-{q.course or 'all-courses'}-{day.isoformat()}"


class _Texts:
    """Labels translated once per export, not once per cell (5,000 rows x 10 courses)."""

    def __init__(self) -> None:
        # zoneinfo converts in C; the pytz zone Flask-Babel returns costs ~5x as much per
        # timestamp, and an all-courses export converts tens of thousands.
        self.zone = ZoneInfo(str(get_timezone()))
        self.states = {key: str(label) for key, label in STATE_LABELS.items()}
        self.overdue = {key: _("%(state)s, overdue", state=label)
                        for key, label in self.states.items()}
        self.professions = {p.value: p.label for p in Profession}
        self.no_expiry = _("Does not expire")

    def day(self, moment: datetime | None) -> date | None:
        return moment.astimezone(self.zone).date() if moment else None

    def state(self, cell: Cell) -> str:
        return (self.overdue if cell.overdue else self.states)[cell.state]

    def certificate(self, cell: Cell) -> Value:
        if cell.certificate_id is None:
            return None
        return cell.certificate_expires_on or self.no_expiry


def widths(header: Sequence[str]) -> list[float | None]:
    return [*PERSON_WIDTHS, *(None for _ in header[len(PERSON_WIDTHS):])]


def learner_table(q: TableQuery, courses: Sequence[CourseChoice],
                  rows: Iterable[LearnerRow]) -> tuple[list[str], Iterator[list[Value]]]:
    """The learner table as spreadsheet columns: one course in detail, or every course."""
    header = [_("Name"), _("E-mail address"), _("Workplace"), _("Profession")]
    chosen = [c for c in courses if c.id == q.course]
    if chosen:
        header += [_("State"), _("Modules done"), _("Modules in the course"), _("Due date"),
                   _("Completed on"), _("Last activity"), _("Certificate valid until")]
    else:
        header.append(_("Last activity"))
        for course in courses:
            header += [_("%(course)s: state", course=course.title),
                       _("%(course)s: due date", course=course.title),
                       _("%(course)s: completed on", course=course.title),
                       _("%(course)s: certificate valid until", course=course.title)]

    texts = _Texts()

    def lines() -> Iterator[list[Value]]:
        for row in rows:
            line: list[Value] = [row.full_name, row.email, row.workplace,
                                 texts.professions.get(row.profession, row.profession)]
            if chosen:
                cell = row.cells[q.course]
                started = cell.state != NOT_STARTED  # "not started", never "0 of 0"
                line += [texts.state(cell), cell.modules_done if started else None,
                         cell.module_total if started else None, cell.due_on,
                         texts.day(cell.completed_at), texts.day(cell.last_activity_at),
                         texts.certificate(cell)]
            else:
                line.append(texts.day(row.last_activity_at))
                for course in courses:
                    cell = row.cells[course.id]
                    line += [texts.state(cell), cell.due_on, texts.day(cell.completed_at),
                             texts.certificate(cell)]
            yield line

    return header, lines()
