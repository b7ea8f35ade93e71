"""Spreadsheet downloads: CSV that Excel opens with Lithuanian letters intact, and XLSX.

Cells come from people (names, workplaces), so a value that a spreadsheet would run
as a formula is neutralised: "=HYPERLINK(…)" in a workplace must stay text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response, current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | date | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """A leading apostrophe makes spreadsheets show the text instead of running it (OWASP)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return safe_text(str(value))


def csv_delimiter(locale: str) -> str:
    """Excel splits a double-clicked CSV on the list separator of the computer's regional
    settings: ";" in Lithuania, "," with English settings. (A "sep=" line would make Excel
    ignore the byte order mark and garble the letters.)"""
    return ";" if locale == "lt" else ","


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Value]],
              delimiter: str = ",") -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # the byte order mark tells Excel the file is UTF-8
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _xlsx_cell(sheet, value: Value, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheet_title: str, header: Sequence[str],
               rows: Iterable[Sequence[Value]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31] or "Sheet")  # Excel's limit
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, h, bold=True) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"  # personal data
    return response


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Value]],
                 delimiter: str = ",") -> Response:
    # Werkzeug adds "; charset=utf-8" to text types itself.
    return download(csv_bytes(header, rows, delimiter), filename, "text/csv")


def xlsx_download(filename: str, sheet_title: str, header: Sequence[str],
                  rows: Iterable[Sequence[Value]]) -> Response:
    return download(xlsx_bytes(sheet_title, header, rows), filename, XLSX_TYPE)
