"""The learner table as spreadsheet columns, for the CSV and XLSX downloads, with title
lines saying what the file shows: municipality, course, filters, when it was made."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _

from elearn.auth.models import Profession
from elearn.municipalities import Municipality
from elearn.publishing.courses import CourseChoice
from elearn.supervision.export_rows import export_lines
from elearn.supervision.learner_table import TableQuery
from elearn.supervision.services import STATE_LABELS
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


def widths(header: Sequence[str]) -> list[float | None]:
    return [*PERSON_WIDTHS, *(None for _ in header[len(PERSON_WIDTHS):])]


def header(q: TableQuery, courses: Sequence[CourseChoice]) -> list[str]:
    """The table's headings: one course in detail, or every course (export_rows.export_lines
    writes the columns in this order)."""
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
    return header


def learner_table(code: str, q: TableQuery, courses: Sequence[CourseChoice], day: date,
                  cells) -> tuple[list[str], Iterator]:
    """The learner table as spreadsheet columns, its lines written by `cells`
    (spreadsheets.CsvCells or ValueCells)."""
    # zoneinfo converts in C; the pytz zone Flask-Babel returns costs ~5x as much.
    zone = ZoneInfo(str(get_timezone()))
    return header(q, courses), export_lines(code, q, courses, day, zone, cells)
