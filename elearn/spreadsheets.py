"""Spreadsheet downloads: CSV that Excel opens with Lithuanian letters intact, and XLSX.

Cells come from people (names, workplaces), so a value that a spreadsheet would run
as a formula is neutralised: "=HYPERLINK(…)" in a workplace must stay text.

A file may start with title lines saying what it shows (one cell each), then an empty
line, then the header: a printed or forwarded export still says which course, filter
and day it is about.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from flask import Response, current_app, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | date | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CHUNK_ROWS = 500  # lines written per piece of a streamed CSV
# An XLSX is built in a temporary file (a ZIP is written whole before it can be sent);
# small ones stay in memory.
XLSX_SPOOL_BYTES = 1024 * 1024


def safe_text(value: str) -> str:
    """A leading apostrophe makes spreadsheets show the text instead of running it (OWASP)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Value) -> str | int | float:
    if type(value) is str:  # most cells: checked first, exported files have 200,000 of them
        return "'" + value if value.startswith(FORMULA_STARTS) else value
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


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Value]],
               delimiter: str = ",", title: Sequence[str] = ()) -> Iterator[bytes]:
    """The CSV file in pieces of CSV_CHUNK_ROWS lines: memory stays the same whatever
    the number of rows, as long as `rows` is itself an iterator."""
    cells = CsvCells(delimiter)
    return csv_line_chunks(header, (cells.line(row, ()) for row in rows), delimiter, title)


class _Echo:
    """A file whose write() returns what it is given: csv.writer.writerow then returns
    the encoded line instead of storing it."""

    def write(self, text: str) -> str:
        return text


class CsvCells:
    """CSV cells encoded ahead, for exports that build their lines themselves (an
    all-courses learner export has 220,000 cells, most of them one of a few labels or
    dates): a label is escaped and quoted once, not once per cell. The lines are exactly
    what csv_chunks writes for the same values."""

    empty = ""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        # The same line terminator as csv_chunks: the writer quotes the cells holding
        # one of its characters (an empty terminator would leave line breaks bare).
        self._writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")

    def label(self, text: str) -> str:
        """A text of ours (a state, a translated phrase), escaped and quoted as a cell."""
        return self._writer.writerow([_csv_cell(text)])[:-2]

    @staticmethod
    def day(value: date) -> str:
        return value.isoformat()

    @staticmethod
    def number(value: int) -> str:
        return str(value)

    def line(self, values: Sequence[Value], cells: Sequence[str]) -> str:
        """One line: `values` as csv_chunks writes them (people's text escaped), then
        `cells` already encoded by this object."""
        start = self._writer.writerow([_csv_cell(v) for v in values])
        if not cells:
            return start
        return start[:-2] + self.delimiter + self.delimiter.join(cells) + "\r\n"


class ValueCells:
    """The same interface as CsvCells for XLSX: cells stay values (dates as dates)."""

    empty = None

    @staticmethod
    def label(text: str) -> str:
        return text

    @staticmethod
    def day(value: date) -> date:
        return value

    @staticmethod
    def number(value: int) -> int:
        return value

    @staticmethod
    def line(values: Sequence[Value], cells: Sequence[Value]) -> list[Value]:
        return [*values, *cells]


def csv_line_chunks(header: Sequence[str], lines: Iterable[str], delimiter: str = ",",
                    title: Sequence[str] = ()) -> Iterator[bytes]:
    """csv_chunks for lines already encoded (CsvCells.line)."""
    cells = CsvCells(delimiter)
    # The byte order mark tells Excel the file is UTF-8; the title lines, an empty line
    # and the header come before the table.
    start = ["\ufeff", *(cells.line([line], ()) for line in title), *(["\r\n"] if title else []),
             cells.line(header, ())]
    pending = ["".join(start)]
    for count, line in enumerate(lines, 1):
        pending.append(line)
        if count % CSV_CHUNK_ROWS == 0:
            yield "".join(pending).encode("utf-8")
            pending = []
    yield "".join(pending).encode("utf-8")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Value]],
              delimiter: str = ",", title: Sequence[str] = ()) -> bytes:
    return b"".join(csv_chunks(header, rows, delimiter, title))


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


def column_width(header: str) -> float:
    """Wide enough for the heading and for a date (no "#####" in Excel), at most 40."""
    return float(min(max(len(header) + 2, 12), 40))


def write_xlsx(out, sheet_title: str, header: Sequence[str],
               rows: Iterable[Sequence[Value]], title: Sequence[str] = (),
               widths: Sequence[float | None] = ()) -> None:
    """Write the workbook to the binary file `out`. openpyxl's write-only mode keeps no
    row in memory: each is written to a temporary file as it is appended. Columns get a
    width (`widths`, or from the heading), the header stays frozen on screen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31] or "Sheet")  # Excel's limit
    for index, heading in enumerate(header):  # before any row, as write-only mode needs
        width = widths[index] if index < len(widths) and widths[index] else None
        sheet.column_dimensions[get_column_letter(index + 1)].width = (
            width or column_width(str(heading)))
    header_row = len(title) + 2 if title else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for line in title:
        sheet.append([_xlsx_cell(sheet, line, bold=line == title[0])])
    if title:
        sheet.append([])
    sheet.append([_xlsx_cell(sheet, h, bold=True) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    book.save(out)


def xlsx_bytes(sheet_title: str, header: Sequence[str],
               rows: Iterable[Sequence[Value]], title: Sequence[str] = (),
               widths: Sequence[float | None] = ()) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, sheet_title, header, rows, title, widths)
    return out.getvalue()


def download(data: bytes | Iterable[bytes], filename: str, mimetype: str) -> Response:
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"  # personal data
    return response


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Value]],
                 delimiter: str = ",", title: Sequence[str] = ()) -> Response:
    """A streamed CSV: lines leave as they are written, so a big export needs no more
    memory than a small one. The request stays open (database session and language
    included) until the last line is sent."""
    # Werkzeug adds "; charset=utf-8" to text types itself.
    return download(stream_with_context(csv_chunks(header, rows, delimiter, title)), filename,
                    "text/csv")


def csv_lines_download(filename: str, header: Sequence[str], lines: Iterable[str],
                       delimiter: str = ",", title: Sequence[str] = ()) -> Response:
    """csv_download for lines already encoded (CsvCells.line)."""
    return download(stream_with_context(csv_line_chunks(header, lines, delimiter, title)),
                    filename, "text/csv")


def xlsx_download(filename: str, sheet_title: str, header: Sequence[str],
                  rows: Iterable[Sequence[Value]], title: Sequence[str] = (),
                  widths: Sequence[float | None] = ()) -> Response:
    """An XLSX written to a temporary file (on disk once it passes XLSX_SPOOL_BYTES) and
    sent from it in pieces."""
    out = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115  (closed by the response)
    try:
        write_xlsx(out, sheet_title, header, rows, title, widths)
        size = out.tell()
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = download(_pieces(out), filename, XLSX_TYPE)
    response.content_length = size
    return response


def _pieces(file, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's content in pieces; the file is closed after the last one (or when the
    client goes away and the server closes the response)."""
    try:
        while data := file.read(size):
            yield data
    finally:
        file.close()
