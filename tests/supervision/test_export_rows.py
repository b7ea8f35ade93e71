"""The exports' fast lines: local days without a time-zone conversion per cell, CSV cells
written ahead, and an export that says the same as the cells it is made from."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from elearn.assignments.models import Assignment
from elearn.extensions import db
from elearn.i18n import today
from elearn.spreadsheets import CsvCells, csv_bytes
from elearn.supervision.export_rows import LocalDays

# Summer time begins and ends (Vilnius: 2026-03-29 and 2026-10-25 at 01:00 UTC; New York:
# 03-08 and 11-01); Lord Howe moves by half an hour, Chatham is 12:45 ahead of UTC.
ZONES = ("Europe/Vilnius", "Europe/Riga", "America/New_York", "Asia/Kolkata",
         "Australia/Lord_Howe", "Pacific/Chatham", "UTC")
WEEKS = (datetime(2026, 3, 26, tzinfo=UTC), datetime(2026, 10, 22, tzinfo=UTC),
         datetime(2026, 4, 2, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC),
         datetime(2026, 10, 29, tzinfo=UTC))


def _exact(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


@pytest.mark.parametrize("name", ZONES)
def test_local_days_match_an_exact_conversion_across_summer_time_changes(name):
    zone = ZoneInfo(name)
    days = LocalDays(zone, lambda day: day)
    for week in WEEKS:
        for step in range(0, 7 * 24 * 60, 5):  # every five minutes for a week
            moment = week + timedelta(minutes=step)
            for instant in (moment, moment - timedelta(microseconds=1)):
                expected = _exact(instant, zone)
                stored = instant.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLite keeps it
                assert days(stored) == expected, (name, stored)
                assert days(instant) == expected, (name, instant)
            assert days(moment.strftime("%Y-%m-%d %H:%M:%S")) == _exact(moment, zone)


def test_local_days_in_vilnius_at_midnight_and_at_the_changes():
    days = LocalDays(ZoneInfo("Europe/Vilnius"), date.isoformat)
    assert days("2026-03-28 21:59:59.999999") == "2026-03-28"  # 23:59:59 (UTC+2)
    assert days("2026-03-28 22:00:00.000000") == "2026-03-29"  # midnight
    assert days("2026-03-29 20:59:59.999999") == "2026-03-29"  # 23:59:59 (UTC+3)
    assert days("2026-03-29 21:00:00") == "2026-03-30"
    assert days("2026-10-24 20:59:59.999999") == "2026-10-24"  # summer time
    assert days("2026-10-24 21:00:00.000000") == "2026-10-25"
    assert days("2026-10-25 21:59:59.999999") == "2026-10-25"  # winter time again
    assert days("2026-10-25 22:00:00.000000") == "2026-10-26"
    # Other texts are read whole, an offset respected.
    assert days("2026-10-25T22:00:00+00:00") == "2026-10-26"
    assert days("2026-10-25 23:30:00+02:00") == "2026-10-25"


def _line(cells: CsvCells, values, rest) -> list[str]:
    return next(csv.reader(io.StringIO(cells.line(values, rest)), delimiter=cells.delimiter))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_cells_are_what_the_csv_writer_writes(delimiter):
    cells = CsvCells(delimiter)
    people = ["=HYPERLINK(\"http://x\")", "+370 600", "-1", "@SUM(A1)", 'a "quoted"; name, too',
              "line\nbreak", "", None, 7]
    labels = ["Not started, overdue", "Nepradėta; vėluoja", "-5", 'say "hi"']
    line = cells.line(people, [cells.label(text) for text in labels])
    expected = csv_bytes([], [people + labels], delimiter).decode("utf-8-sig")
    assert line == expected.split("\r\n", 1)[1]  # the same bytes as the whole-row writer
    parsed = _line(cells, people, [cells.label(text) for text in labels])
    assert parsed[:4] == ["'=HYPERLINK(\"http://x\")", "'+370 600", "'-1", "'@SUM(A1)"]
    assert parsed[4:6] == ['a "quoted"; name, too', "line\nbreak"]
    assert parsed[9:] == ["Not started, overdue", "Nepradėta; vėluoja", "'-5", 'say "hi"']


def _rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    return lines[lines.index([]) + 1:]


def test_export_cells_at_local_midnight_with_escaped_text(
        app, client, two_courses, make_user, record_progress, add_certificate,
        signed_in_supervisor):
    """A completion at 00:30 Vilnius time is on that day, not the UTC day before; people's
    text that a spreadsheet would run is escaped in every column it can reach."""
    ona = make_user(full_name="+Ona", email="ona@example.lt", workplace="@SUM(1)")
    jonas = make_user(full_name="-Jonas; \"J\"", workplace="Mokykla")
    record_progress(ona, "alpha", "completed", at=datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    record_progress(ona, "beta", "in_progress", at=datetime(2026, 10, 25, 21, 30, tzinfo=UTC))
    record_progress(jonas, "beta", "completed", at=datetime(2026, 10, 24, 20, 30, tzinfo=UTC))
    add_certificate(ona, "alpha", None)
    add_certificate(jonas, "beta", date(2028, 10, 24))
    with app.app_context():
        db.session.add(Assignment(user_id=ona, course_id="beta",
                                  due_on=today() - timedelta(days=1)))
        db.session.add(Assignment(user_id=jonas, course_id="beta",
                                  due_on=today() - timedelta(days=1)))
        db.session.commit()
    rows = _rows(client.get("/supervision/LT-57/export.csv").data)
    header, by_name = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[4] == "Last activity"
    ona_line, jonas_line = by_name["'+Ona"], by_name["'-Jonas; \"J\""]
    assert ona_line["Workplace"] == "'@SUM(1)"
    assert ona_line["Course alpha [en]: state"] == "Completed"
    assert ona_line["Course alpha [en]: completed on"] == "2026-03-29"  # 00:30 local
    assert ona_line["Course alpha [en]: certificate valid until"] == "Does not expire"
    assert ona_line["Course beta [en]: state"] == "In progress, overdue"
    assert ona_line["Course beta [en]: completed on"] == ""
    assert ona_line["Last activity"] == "2026-10-25"  # 23:30 local, winter time
    assert jonas_line["Course beta [en]: completed on"] == "2026-10-24"  # 23:30, summer time
    assert jonas_line["Course beta [en]: state"] == "Completed"  # done: never overdue
    assert jonas_line["Course beta [en]: certificate valid until"] == "2028-10-24"
    assert jonas_line["Course alpha [en]: state"] == "Not started"
    assert jonas_line["Last activity"] == "2026-10-24"
    # One course in detail: its own last activity, modules only once started.
    rows = _rows(client.get("/supervision/LT-57/export.csv?course=beta").data)
    detail = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert detail["'+Ona"]["Last activity"] == "2026-10-25"
    assert detail["'+Ona"]["Modules done"] == "1"
    assert detail["'+Ona"]["Modules in the course"] == "4"
    assert detail["'-Jonas; \"J\""]["Completed on"] == "2026-10-24"
    rows = _rows(client.get("/supervision/LT-57/export.csv?course=alpha").data)
    jonas_alpha = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}["'-Jonas; \"J\""]
    assert jonas_alpha["State"] == "Not started"
    assert jonas_alpha["Modules done"] == jonas_alpha["Last activity"] == ""
