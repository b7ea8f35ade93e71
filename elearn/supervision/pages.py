"""What the supervisor's pages show, built in one call each and frozen, so templates
read finished data (as learning's page objects do)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from flask import get_template_attribute, url_for
from markupsafe import Markup

from elearn import spreadsheets
from elearn.access import visible_municipalities
from elearn.auth.models import Profession, User
from elearn.auth.services import workplaces
from elearn.i18n import today
from elearn.municipalities import Municipality
from elearn.publishing.courses import CourseChoice, live_courses
from elearn.supervision import exports, learner_table, services, staff


def _labels() -> dict[str, str]:
    """The state names translated once per page, not once per cell (50 rows x 10 courses)."""
    return {key: str(label) for key, label in services.STATE_LABELS.items()}


class PathLinks:
    """Links to one endpoint that differ only in one path value (a row's id, a
    municipality's code), built by url_for once: the dashboard links up to 150 learners
    and certificates (and 60 municipalities for an admin), and url_for costs ~10 µs."""

    MARK = 2_147_483_647  # a value no row has, replaced by each row's
    SAFE = "!$&'()*+,/:;=@"  # what werkzeug leaves unquoted in a path value

    def __init__(self, endpoint: str, name: str, **values):
        self._head, found, self._tail = url_for(
            endpoint, **{name: self.MARK}, **values).rpartition(str(self.MARK))
        if not found:
            raise ValueError(f"{endpoint} does not put {name} in its path")

    def __call__(self, value: int | str) -> str:
        return f"{self._head}{quote(str(value), safe=self.SAFE)}{self._tail}"


class StateCells:
    """A learner row's course cells for the all-courses table, one <td> per course.

    A cell shows only its state, overdue flag and due date, so each distinct cell is
    drawn once per page by the template's `state` macro and then reused: a macro call
    for each of the 50 rows x 10 courses was a third of the page's time."""

    def __init__(self, course_ids: Sequence[str], labels: Mapping[str, str]):
        self._macro = get_template_attribute("supervision/_macros.html", "state")
        self._course_ids = list(course_ids)
        self._labels = labels
        self._drawn: dict[tuple, Markup] = {}

    def __call__(self, row: learner_table.LearnerRow) -> Markup:
        cells = []
        for course_id in self._course_ids:
            cell = row.cells[course_id]
            key = (cell.state, cell.overdue,
                   None if cell.state == services.COMPLETED else cell.due_on)
            drawn = self._drawn.get(key)
            if drawn is None:
                drawn = self._drawn[key] = Markup("<td>%s</td>") % self._macro(cell,
                                                                                self._labels)
            cells.append(drawn)
        return Markup("").join(cells)


@dataclass(frozen=True)
class DashboardPage:
    place: Municipality
    places: list[Municipality]  # every municipality the supervisor may open
    courses: list[CourseChoice]
    q: learner_table.TableQuery
    today: date
    summary: services.Summary
    table: learner_table.LearnerPage
    workplaces: list[str]
    professions: list[tuple[str, str]]
    awaiting: staff.StaffList  # self-registered, waiting for the supervisor's confirmation
    former: staff.StaffList  # deactivated learners, who may be reactivated
    state_cells: StateCells  # a row's course cells in the all-courses table
    learner_link: PathLinks  # learner id -> her page
    certificate_link: PathLinks  # certificate id -> its page
    dashboard_link: PathLinks  # municipality code -> its dashboard
    state_labels: Mapping[str, str] = field(default_factory=lambda: _labels())


def _query(args: Mapping[str, str], courses: list[CourseChoice],
           places: list[str]) -> learner_table.TableQuery:
    return learner_table.TableQuery.from_args(
        args, courses={c.id for c in courses}, workplaces=set(places))


def dashboard_page(user: User, place: Municipality, args: Mapping[str, str],
                   lang: str) -> DashboardPage:
    """The team dashboard of a municipality the user supervises (checked by the caller):
    figures on top, then the filtered learner table."""
    courses = live_courses(lang)
    day = today()
    places = workplaces(place.code)
    query = _query(args, courses, places)
    labels = _labels()
    return DashboardPage(
        place=place, places=visible_municipalities(user), courses=courses, q=query, today=day,
        summary=services.summary(place.code, courses, day),
        table=learner_table.learner_page(place.code, query, courses, day),
        workplaces=places, professions=[(p.value, p.label) for p in Profession],
        awaiting=staff.awaiting(place.code), former=staff.former(place.code),
        state_cells=StateCells([c.id for c in courses], labels), state_labels=labels,
        learner_link=PathLinks("supervision.learner", "user_id", code=place.code),
        certificate_link=PathLinks("certificates.show", "certificate_id"),
        dashboard_link=PathLinks("supervision.municipality", "code"),
    )


@dataclass(frozen=True)
class LearnerExport:
    title: list[str]  # what the file shows, before the table
    header: list[str]
    lines: Iterator  # CSV lines (str) or XLSX rows (lists of values), as asked
    widths: list[float | None]
    name: str  # the file name without its extension


def learner_export(place: Municipality, args: Mapping[str, str], lang: str,
                   kind: str = "csv") -> LearnerExport:
    """Every learner the dashboard's filters select, as spreadsheet columns, with title
    lines saying what they are: CSV lines already encoded, or XLSX rows of values."""
    courses = live_courses(lang)
    query = _query(args, courses, workplaces(place.code))
    cells = (spreadsheets.CsvCells(spreadsheets.csv_delimiter(lang)) if kind == "csv"
             else spreadsheets.ValueCells())
    header, lines = exports.learner_table(place.code, query, courses, today(), cells)
    return LearnerExport(
        title=exports.title_lines(place, query, courses), header=header, lines=lines,
        widths=exports.widths(header),
        name=exports.file_stem(place.code, query, today()))


@dataclass(frozen=True)
class LearnerDetail:
    person: User
    courses: list[CourseChoice]
    cells: dict[str, learner_table.Cell]  # course id -> her state in it
    today: date
    state_labels: Mapping[str, str] = field(default_factory=lambda: _labels())


def learner_detail(person: User, lang: str) -> LearnerDetail:
    """One learner's state in every live course."""
    courses = live_courses(lang)
    day = today()
    found = learner_table.cells([person.id], [c.id for c in courses], day)
    return LearnerDetail(
        person=person, courses=courses, today=day,
        cells={c.id: found.get((person.id, c.id), learner_table.Cell()) for c in courses},
    )
