"""CSV and XLSX exports of the learner table: readable in Excel, safe to open."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import openpyxl
from openpyxl.utils import get_column_letter

from elearn.assignments.models import Assignment
from elearn.extensions import db
from elearn.i18n import today
from elearn.spreadsheets import csv_bytes, safe_text, xlsx_bytes


def test_formula_like_text_is_neutralised():
    for dangerous in ("=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_text(dangerous) == "'" + dangerous
    assert safe_text("Ona") == "Ona"


def test_csv_has_a_bom_and_escapes_cells():
    data = csv_bytes(["Vardas"], [["=1+1"], ["Žemaitė"], [3]], delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Vardas"], ["'=1+1"], ["Žemaitė"], ["3"]]


def test_xlsx_keeps_formula_like_text_as_text():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("T", ["A"], [["=1+1"], ["a\x01b"]])))
    sheet = book.active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "ab"  # control characters Excel refuses are dropped


def _csv(data: bytes, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """(title lines, table): the title ends at the first empty line."""
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    blank = lines.index([])
    return [line[0] for line in lines[:blank]], lines[blank + 1:]


def _xlsx(data: bytes):
    """(title lines, table rows, sheet)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    lines = list(sheet.iter_rows(values_only=True))
    blank = next(i for i, line in enumerate(lines) if not any(line))
    return [line[0] for line in lines[:blank]], lines[blank + 1:], sheet


def _people(app, make_user, record_progress):
    a = make_user(full_name="Ona Žemaitytė", workplace="=cmd|' /C calc'!A0")
    b = make_user(full_name="Jonas Kazlauskas", workplace="Mokykla", profession="teacher")
    record_progress(a, "alpha", "completed")
    with app.app_context():
        db.session.add(Assignment(user_id=b, course_id="alpha",
                                  due_on=today() - timedelta(days=1)))
        db.session.commit()
    return a, b


def test_csv_export_of_every_course(app, client, two_courses, make_user, record_progress,
                                    signed_in_supervisor):
    _people(app, make_user, record_progress)
    response = client.get("/supervision/LT-57/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # finding 10: once
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    title, rows = _csv(response.data)  # English: ","
    assert title[:4] == ["Learners' progress", "Municipality: Vilniaus miesto savivaldybė (LT-57)",
                         "Courses: every course", "Filter: none (every learner)"]
    assert title[4].startswith("Exported: ")
    assert rows[0][:5] == ["Name", "E-mail address", "Workplace", "Profession", "Last activity"]
    assert "Course alpha [en]: state" in rows[0]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Ona Žemaitytė"][2] == "'=cmd|' /C calc'!A0"
    state = rows[0].index("Course alpha [en]: state")
    assert by_name["Ona Žemaitytė"][state] == "Completed"
    assert by_name["Jonas Kazlauskas"][state] == "Not started, overdue"


def test_csv_export_follows_the_filters_and_uses_semicolons_in_lithuanian(
        app, client, two_courses, make_user, record_progress, signed_in_supervisor):
    _people(app, make_user, record_progress)
    with client.session_transaction() as session:
        session["lang"] = "lt"
    response = client.get("/supervision/LT-57/export.csv?course=alpha&state=completed")
    title, rows = _csv(response.data, delimiter=";")
    assert title[2:4] == ["Kursas: Course alpha [lt]", "Filtras: būsena: Baigta"]
    assert len(rows) == 2 and rows[1][0] == "Ona Žemaitytė"
    assert rows[1][4]  # the state


def test_xlsx_export(app, client, two_courses, make_user, record_progress, signed_in_supervisor):
    _people(app, make_user, record_progress)
    response = client.get("/supervision/LT-57/export.xlsx?course=alpha&sort=name")
    assert response.status_code == 200
    assert re.fullmatch(r'attachment; filename="LT-57-learners-alpha-\d{4}-\d\d-\d\d\.xlsx"',
                        response.headers["Content-Disposition"])
    title, rows, sheet = _xlsx(response.data)
    assert title[2] == "Course: Course alpha [en]"
    header_row = len(title) + 2
    assert sheet.freeze_panes == f"A{header_row + 1}"  # the header stays on screen
    assert rows[0][:5] == ("Name", "E-mail address", "Workplace", "Profession", "State")
    assert [r[0] for r in rows[1:]] == ["Jonas Kazlauskas", "Ona Žemaitytė"]
    assert rows[2][2] == "=cmd|' /C calc'!A0"
    assert sheet.cell(row=header_row + 2, column=3).data_type == "s"
    due = rows[0].index("Due date")
    assert isinstance(rows[1][due], datetime)  # a real date cell, not text
    assert sheet.cell(row=header_row + 1, column=due + 1).number_format == "yyyy-mm-dd"
    # Columns wide enough for names and dates: no "#####" in Excel.
    widths = {letter: d.width for letter, d in sheet.column_dimensions.items()}
    assert widths["A"] >= 30 and widths[get_column_letter(due + 1)] >= 12
    # Not started is a state, not "0 of 0 modules".
    jonas = rows[1]
    assert jonas[rows[0].index("State")] == "Not started, overdue"
    assert jonas[rows[0].index("Modules done")] is None
    assert jonas[rows[0].index("Modules in the course")] is None
    ona = rows[2]
    assert ona[rows[0].index("Modules done")] == ona[rows[0].index("Modules in the course")] > 0


def test_exports_are_sent_in_pieces_not_built_whole(app, client, two_courses, make_user,
                                                    record_progress, signed_in_supervisor,
                                                    monkeypatch):
    """A 5,000-learner export must not sit in memory whole: the CSV leaves a few lines at a
    time, the XLSX from a temporary file, each with the same content as the whole file."""
    from elearn import spreadsheets

    _people(app, make_user, record_progress)
    monkeypatch.setattr(spreadsheets, "CSV_CHUNK_ROWS", 1)
    with client.get("/supervision/LT-57/export.csv") as response:
        assert response.is_streamed
        pieces = list(response.iter_encoded())
    # the header and the supervisor's two learners (the supervisor is no learner)
    assert len(pieces) >= 3
    _title, rows = _csv(b"".join(pieces))
    assert sorted(r[0] for r in rows[1:]) == ["Jonas Kazlauskas", "Ona Žemaitytė"]
    with client.get("/supervision/LT-57/export.xlsx") as response:
        data = b"".join(response.iter_encoded())
        assert response.content_length == len(data)
    assert _xlsx(data)[1][0][0] == "Name"


def test_title_lines_name_the_filters_and_escape_formulas(app, client, two_courses, make_user,
                                                          record_progress, signed_in_supervisor):
    _people(app, make_user, record_progress)
    response = client.get("/supervision/LT-57/export.csv?workplace=Mokykla&profession=teacher")
    title, rows = _csv(response.data)
    assert title[3] == "Filter: workplace: Mokykla; profession: Teacher or school specialist"
    assert [r[0] for r in rows[1:]] == ["Jonas Kazlauskas"]
    assert 'filename="LT-57-learners-all-courses-' in response.headers["Content-Disposition"]
    data = csv_bytes(["A"], [], title=["=HYPERLINK(1)"])
    assert _csv(data)[0] == ["'=HYPERLINK(1)"]
