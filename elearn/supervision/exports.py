"""The learner table as spreadsheet columns, for the CSV and XLSX downloads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _

from elearn.auth.models import Profession
from elearn.publishing.courses import CourseChoice
from elearn.spreadsheets import Value
from elearn.supervision.learner_table import Cell, LearnerRow, TableQuery
from elearn.supervision.services import STATE_LABELS


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
                line += [texts.state(cell), cell.modules_done, cell.module_total, cell.due_on,
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
