"""Staff import: a supervisor's CSV file becomes invited accounts, all or nothing.

Every problem is reported as "line N: message" and nothing is created until the
whole file is clean, so a supervisor fixes her spreadsheet and uploads it again
without wondering which half went in.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.auth import services as accounts
from elearn.auth.models import PROFESSION_LABELS, User
from elearn.extensions import db

log = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024  # a 5,000-person staff list is about 400 kB
MAX_ROWS = 5000
MAX_NAME = 200
MAX_WORKPLACE = 200
MAX_EMAIL = 254

# Header names accepted for each column, lower-cased: English and Lithuanian.
COLUMNS = {
    "name": {"name", "full name", "vardas", "vardas pavardė", "vardas, pavardė",
             "vardas ir pavardė"},
    "email": {"email", "e-mail", "e-mail address", "el. paštas", "el.paštas", "el. pašto adresas"},
    "workplace": {"workplace", "darbovietė", "darboviete"},
    "profession": {"profession", "profesija", "pareigos"},
}


@dataclass(frozen=True)
class StaffRow:
    line: int
    name: str
    email: str
    workplace: str
    profession: str


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # e-mail addresses
    already_there: list[str] = field(default_factory=list)  # "line N: address"
    not_invited: list[str] = field(default_factory=list)  # invitation mail failed

    @property
    def ok(self) -> bool:
        return not self.errors


def profession_names() -> dict[str, str]:
    """Every accepted spelling of a profession (value, English and Lithuanian label) -> value."""
    names: dict[str, str] = {}
    for profession, label in PROFESSION_LABELS.items():
        names[profession.value] = profession.value
        names[profession.value.replace("_", " ")] = profession.value
        for lang in ("en", "lt"):
            with force_locale(lang):
                names[str(label).casefold()] = profession.value
    return names


def decode(data: bytes) -> str | None:
    """UTF-8 text with or without Excel's byte order mark; None when it is not UTF-8
    text (a NUL byte means a binary file, and no database stores it in text)."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _records(reader) -> Iterator[list[str] | None]:
    """The reader's records, then None if a record is not valid CSV (too long a field)."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield None
            return


def _delimiter(header_line: str) -> str:
    # Excel with Lithuanian regional settings writes ";", everything else ",".
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(name.strip().casefold().split())
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in positions:
                positions[column] = index
    missing = [c for c in COLUMNS if c not in positions]
    return positions, missing


def parse(text: str, errors: list[str]) -> list[StaffRow]:
    """The rows of the file; problems are appended to errors as "line N: message"."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    professions = profession_names()
    rows: list[StaffRow] = []
    positions: dict[str, int] | None = None
    start = 1
    for record in _records(reader):
        if record is None:
            errors.append(_("line %(line)d: this line is not valid CSV; save the file again "
                            "from the spreadsheet", line=start))
            return []
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue  # blank lines and Excel's trailing ";;;" rows
        if positions is None:
            positions, missing = _header_map(record)
            if missing:
                errors.append(_("line %(line)d: the first line must name the columns name, "
                                "email, workplace and profession; missing: %(missing)s",
                                line=line, missing=", ".join(missing)))
                return []
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(_("line %(line)d: a file may hold at most %(max)d people; split it "
                            "into several files", line=line, max=MAX_ROWS))
            return rows
        row = _check_row(line, record, positions, professions, errors)
        if row is not None:
            rows.append(row)
    if positions is None:
        errors.append(_("line 1: the file is empty"))
    return rows


def _check_row(line: int, record: list[str], positions: dict[str, int],
               professions: dict[str, str], errors: list[str]) -> StaffRow | None:
    values = {c: (record[i].strip() if i < len(record) else "") for c, i in positions.items()}
    problems = []
    for column in COLUMNS:
        if not values[column]:
            problems.append(_("%(column)s is missing", column=column))
    if values["name"] and len(values["name"]) > MAX_NAME:
        problems.append(_("the name is longer than %(max)d characters", max=MAX_NAME))
    if values["workplace"] and len(values["workplace"]) > MAX_WORKPLACE:
        problems.append(_("the workplace is longer than %(max)d characters", max=MAX_WORKPLACE))
    email = accounts.normalize_email(values["email"])
    if email:
        try:
            validate_email(email, check_deliverability=False)
            if len(email) > MAX_EMAIL:
                raise EmailNotValidError
        except EmailNotValidError:
            problems.append(_("“%(email)s” is not an e-mail address", email=values["email"]))
    profession = professions.get(" ".join(values["profession"].casefold().split()))
    if values["profession"] and profession is None:
        problems.append(_("unknown profession “%(value)s”; use one of: %(choices)s",
                          value=values["profession"],
                          # the labels the supervisor reads, in her language
                          choices=", ".join(str(label) for label in PROFESSION_LABELS.values())))
    if problems:
        errors.append(_("line %(line)d: %(problems)s", line=line, problems="; ".join(problems)))
        return None
    return StaffRow(line, values["name"], email, values["workplace"], profession or "")


def check_against_accounts(rows: list[StaffRow], code: str, report: ImportReport) -> list[StaffRow]:
    """Rows to create: duplicates and other municipalities' accounts are errors; accounts
    already in this municipality are skipped and reported."""
    first_line: dict[str, int] = {}
    unique: list[StaffRow] = []
    for row in rows:
        if row.email in first_line:
            report.errors.append(_("line %(line)d: %(email)s is also on line %(first)d",
                                   line=row.line, email=row.email, first=first_line[row.email]))
        else:
            first_line[row.email] = row.line
            unique.append(row)
    existing: dict[str, str | None] = {}
    emails = [row.email for row in unique]
    for chunk in range(0, len(emails), 500):  # within every database's parameter limit
        existing.update(db.session.execute(
            select(User.email, User.municipality_code)
            .where(User.email.in_(emails[chunk:chunk + 500]))
        ).all())
    to_create = []
    for row in unique:
        if row.email not in existing:
            to_create.append(row)
        elif existing[row.email] == code:
            report.already_there.append(_("line %(line)d: %(email)s", line=row.line,
                                          email=row.email))
        else:
            # Nothing says that the address has an account elsewhere, let alone where:
            # that is another municipality's business (finding 9 of the hostile review).
            report.errors.append(_(
                "line %(line)d: %(email)s cannot be imported here; ask the national "
                "coordinator", line=row.line, email=row.email))
    return to_create


def import_staff(data: bytes, code: str, send_invitation) -> ImportReport:
    """Check the whole file, then create every account in one transaction and invite them."""
    report = ImportReport()
    text = decode(data)
    if text is None:
        report.errors.append(_("line 1: the file is not UTF-8 text; in Excel choose "
                               "“CSV UTF-8 (comma delimited)” when saving"))
        return report
    rows = parse(text, report.errors)
    to_create = check_against_accounts(rows, code, report)
    if report.errors:
        return report
    users = [
        accounts.create_user(email=row.email, full_name=row.name, password=None,
                             municipality_code=code, workplace=row.workplace,
                             profession=row.profession, locale=None)
        for row in to_create
    ]
    try:
        db.session.commit()
    except IntegrityError:  # an address was registered while the file was being checked
        db.session.rollback()
        report.errors.append(_("line 1: one of these e-mail addresses got an account a moment "
                               "ago; upload the file again"))
        return report
    report.created = [user.email for user in users]
    # After the commit: an invitation must never point at an account that was rolled back.
    for user in users:
        try:
            send_invitation(user)
        except Exception:  # noqa: BLE001  (one failed mail must not stop the others)
            log.exception("invitation to user %s failed", user.id)
            report.not_invited.append(user.email)
    return report
