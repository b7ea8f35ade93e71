"""Reading the staff lists offices really have: CSV saved by Excel in any of its usual
encodings and separators, or an Excel workbook (.xlsx).

The result is a grid of text cells with their spreadsheet row numbers and a sentence
saying how the file was read, which the preview shows, so a wrong guess is visible
before anything is created.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MAX_COLUMNS = 30  # a staff list has four; the rest of a wide sheet is ignored
MAX_UNPACKED = 30 * 1024 * 1024  # a workbook that unpacks to more is not a staff list

# Encodings a spreadsheet program saves CSV in: UTF-8 ("CSV UTF-8"), or the Windows
# code page of the office's regional settings ("CSV (comma delimited)").
ENCODINGS = {
    "utf-8": _l("UTF-8"),
    "cp1257": _l("Windows-1257 (Baltic)"),
    "cp1252": _l("Windows-1252 (Western European)"),
}
_LITHUANIAN = set("ąčęėįšųūžĄČĘĖĮŠŲŪŽ")
_LATVIAN = set("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")
# The letters whose byte means another letter in the other code page (é, ä, ö, ü, õ, ó
# are the same byte in both and decide nothing).
_HIGH = bytes(range(0x80, 0x100))
_DIFFERENT = [(a, b) for a, b in zip(_HIGH.decode("cp1252", "replace"),
                                     _HIGH.decode("cp1257", "replace"), strict=True) if a != b]
_WESTERN = {a for a, _ in _DIFFERENT if a.isalpha()}
# Letters of Windows-1257 that neither Lithuanian nor Latvian writes (ń, ś, ō, ł, ...):
# a Western text read as Baltic shows them.
_FOREIGN = {b for _, b in _DIFFERENT if b.isalpha()} - _LITHUANIAN - _LATVIAN


@dataclass
class Sheet:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    how: str = ""  # "CSV file, Windows-1257 (Baltic), columns separated by semicolons"
    error: str | None = None


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"  # a zip archive, which every .xlsx is


def read(data: bytes, encoding: str = "auto", limit: int = 10_000) -> Sheet:
    """The file's non-empty rows, at most limit + 1 of them; encoding is "auto" or a key
    of ENCODINGS (CSV only)."""
    if is_xlsx(data):
        return _read_xlsx(data, limit)
    return _read_csv(data, encoding, limit)


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str] | None:
    """(text, encoding key), or None for a binary file (a NUL byte: no database stores
    it in text) or bytes that are not in the chosen encoding."""
    if b"\x00" in data:
        return None
    if encoding != "auto":
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
        except (UnicodeDecodeError, LookupError):
            return None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a Windows code page. Baltic unless the text reads as Western European
    # and not as Lithuanian or Latvian (a tie is Baltic: these are Baltic offices).
    readings = {}
    for key in ("cp1257", "cp1252"):
        try:
            readings[key] = data.decode(key)
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    baltic_text = readings.get("cp1257", "")
    baltic = (max(sum(ch in _LITHUANIAN for ch in baltic_text),
                  sum(ch in _LATVIAN for ch in baltic_text))
              - sum(ch in _FOREIGN for ch in baltic_text))
    western = sum(ch in _WESTERN for ch in readings.get("cp1252", ""))
    if "cp1257" not in readings:
        key = "cp1252"
    elif "cp1252" not in readings:
        key = "cp1257"
    else:
        key = "cp1252" if western > baltic else "cp1257"
    return readings[key], key


def _delimiter(text: str) -> str:
    # Excel with Lithuanian regional settings writes ";", with English ones ","; the
    # header line decides (a name or workplace may hold either in the rows).
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _keep(sheet: Sheet, number: int, cells: list[str], limit: int) -> bool:
    """Adds a non-empty row; False once there are more rows than the limit."""
    if any(cells):  # blank rows and Excel's trailing ";;;" rows are skipped
        sheet.rows.append((number, cells))
    return len(sheet.rows) <= limit


def _read_csv(data: bytes, encoding: str, limit: int) -> Sheet:
    decoded = decode(data, encoding)
    if decoded is None:
        if encoding != "auto":
            return Sheet(error=_("The file is not %(encoding)s text; choose “detect "
                                 "automatically” or another encoding.",
                                 encoding=ENCODINGS.get(encoding, encoding)))
        return Sheet(error=_("The file is neither a CSV text file nor an Excel workbook "
                             "(.xlsx); save it from the spreadsheet again."))
    text, key = decoded
    delimiter = _delimiter(text)
    sheet = Sheet(how=_("CSV file, %(encoding)s, columns separated by %(separator)s",
                        encoding=ENCODINGS[key],
                        separator=_("semicolons") if delimiter == ";" else _("commas")))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return sheet
        except csv.Error:
            sheet.error = _("row %(row)d: this row is not valid CSV; save the file again "
                            "from the spreadsheet", row=number + 1)
            return sheet
        # Records, not physical lines: a quoted cell may span lines, as Excel shows it.
        number += 1
        if not _keep(sheet, number, [cell.strip() for cell in record[:MAX_COLUMNS]], limit):
            return sheet


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes, limit: int) -> Sheet:
    from openpyxl import load_workbook  # only staff imports read workbooks

    unreadable = Sheet(error=_("The file could not be read as an Excel workbook (.xlsx); "
                               "open it in Excel and save it again, or save it as CSV."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                return unreadable  # a "zip bomb": small to upload, huge to open
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds on a damaged file)
        return unreadable
    sheet = Sheet(how=_("Excel workbook, first sheet “%(sheet)s”", sheet=book.worksheets[0].title
                        if book.worksheets else ""))
    try:
        if not book.worksheets:
            return sheet
        for number, values in enumerate(
                book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if not _keep(sheet, number, [_text(value) for value in values], limit):
                break
    except Exception:  # noqa: BLE001
        return unreadable
    finally:
        book.close()
    return sheet
