"""Staff import: a supervisor's staff list (CSV or XLSX) becomes invited accounts, all
or nothing, after a preview.

Every problem is reported as "row N: message" and nothing is created until the whole
file is clean and the supervisor has seen what will be created, so she fixes her
spreadsheet and uploads it again without wondering which half went in. The preview
carries its rows to the confirming request in a signed, expiring token, so nothing is
stored between the two steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.assignments import rules
from elearn.audit import services as audit
from elearn.auth import services as accounts
from elearn.auth.models import PROFESSION_LABELS, Profession, User
from elearn.extensions import db
from elearn.i18n import today
from elearn.supervision import staff_files

log = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024  # a 5,000-person staff list is about 400 kB
MAX_ROWS = 5000
MAX_NAME = 200
MAX_WORKPLACE = 200
MAX_EMAIL = 254

# Each column as the template heads it, in the supervisor's language.
COLUMN_LABELS = {
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "workplace": _l("Workplace"),
    "profession": _l("Profession"),
}
# Other headings accepted for each column, lower-cased (the labels above are, in every
# language of the platform).
COLUMNS = {
    "name": {"name", "full name", "vardas", "vardas pavardė", "vardas, pavardė",
             "vardas ir pavardė", "vārds", "vārds uzvārds", "vārds, uzvārds",
             "vārds un uzvārds"},
    "email": {"email", "e-mail", "e-mail address", "el. paštas", "el.paštas", "el. pašto adresas",
              "elektroninis paštas", "e-pasts", "epasts", "e-pasta adrese"},
    "workplace": {"workplace", "darbovietė", "darboviete", "įstaiga", "darbo vieta",
                  "darbavieta", "darba vieta", "iestāde"},
    "profession": {"profession", "profesija", "pareigos", "position", "job title", "amats"},
}
EMPTY = {
    "name": _l("the name is empty"),
    "email": _l("the e-mail address is empty"),
    "workplace": _l("the workplace is empty"),
    "profession": _l("the profession is empty"),
}
# How offices write job titles besides the labels of the form: Lithuanian and Latvian
# titles in the masculine and the feminine, and common English synonyms (lower-case).
PROFESSION_SYNONYMS = {
    Profession.SOCIAL_WORKER: (
        "socialinis darbuotojas", "socialinė darbuotoja", "socialinio darbo organizatorius",
        "socialinio darbo organizatorė", "socialinio darbuotojo padėjėjas",
        "socialinio darbuotojo padėjėja", "atvejo vadybininkas", "atvejo vadybininkė",
        "social worker", "case worker", "case manager",
        "sociālais darbinieks", "sociālā darbiniece", "gadījuma vadītājs", "gadījuma vadītāja"),
    Profession.POLICE_OFFICER: (
        "policijos pareigūnas", "policijos pareigūnė", "policininkas", "policininkė",
        "pareigūnas", "pareigūnė", "tyrėjas", "tyrėja", "policeman", "policewoman", "police",
        "police officer", "investigator", "policists", "policiste", "policijas darbinieks",
        "policijas darbiniece", "izmeklētājs", "izmeklētāja"),
    Profession.TEACHER: (
        "mokytojas", "mokytoja", "mokyklos specialistas", "mokyklos specialistė",
        "pedagogas", "pedagogė", "socialinis pedagogas", "socialinė pedagogė",
        "mokytojas ar mokyklos specialistas", "mokytoja ar mokyklos specialistė", "teacher",
        "school specialist", "social pedagogue", "skolotājs", "skolotāja", "pedagogs",
        "pedagoģe", "sociālais pedagogs", "sociālā pedagoģe"),
    Profession.HEALTH_SPECIALIST: (
        "sveikatos priežiūros specialistas", "sveikatos priežiūros specialistė",
        "sveikatos specialistas", "sveikatos specialistė", "gydytojas", "gydytoja",
        "slaugytojas", "slaugytoja", "medikas", "medikė", "health specialist",
        "health worker", "doctor", "nurse", "ārsts", "ārste", "medmāsa", "medicīnas māsa",
        "veselības aprūpes speciālists", "veselības aprūpes speciāliste"),
    Profession.NGO_WORKER: (
        "nvo darbuotojas", "nvo darbuotoja", "nevyriausybinės organizacijos darbuotojas",
        "nevyriausybinės organizacijos darbuotoja", "ngo worker", "ngo", "nvo darbinieks",
        "nvo darbiniece", "nevalstiskās organizācijas darbinieks",
        "nevalstiskās organizācijas darbiniece"),
    Profession.OTHER: ("kita", "kitas", "kiti", "other", "cits", "cita", "citi"),
}


@dataclass(frozen=True)
class StaffRow:
    line: int  # the row number in the spreadsheet
    name: str
    email: str
    workplace: str
    profession: str


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # e-mail addresses
    already_there: list[str] = field(default_factory=list)  # "row N: address"
    not_invited: list[str] = field(default_factory=list)  # invitation mail failed
    rows: list[StaffRow] = field(default_factory=list)  # the file's rows, when all are good
    to_create: list[StaffRow] = field(default_factory=list)  # those without an account
    how: str = ""  # how the file was read

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _languages() -> list[str]:
    return list(current_app.config.get("LANGUAGES", ["lt", "en"]))


def profession_names() -> dict[str, str]:
    """Every accepted spelling of a profession (value, its label in every language, the
    synonyms above) -> value."""
    names: dict[str, str] = {}
    for profession, label in PROFESSION_LABELS.items():
        names[profession.value] = profession.value
        names[profession.value.replace("_", " ")] = profession.value
        for spelling in PROFESSION_SYNONYMS.get(profession, ()):
            names[_key(spelling)] = profession.value
        for lang in _languages():
            with force_locale(lang):
                names[_key(str(label))] = profession.value
    return names


def column_names() -> dict[str, str]:
    """Every accepted heading (lower-cased) -> its column."""
    names = {_key(spelling): column for column, spellings in COLUMNS.items()
             for spelling in spellings}
    for lang in _languages():
        with force_locale(lang):
            names.update({_key(str(label)): column for column, label in COLUMN_LABELS.items()})
    return names


def template_header() -> list[str]:
    return [str(COLUMN_LABELS[column]) for column in COLUMN_LABELS]


def _quoted(text: str) -> str:
    return _("“%(text)s”", text=text)  # Lithuanian quotes: „…“


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = column_names()
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = names.get(_key(name))
        if column is not None and column not in positions:
            positions[column] = index
    missing = [c for c in COLUMN_LABELS if c not in positions]
    return positions, missing


def parse(sheet: staff_files.Sheet, errors: list[str]) -> list[StaffRow]:
    """The rows of the file; problems are appended to errors as "row N: message"."""
    if sheet.error:
        errors.append(sheet.error)
        return []
    if not sheet.rows:
        errors.append(_("The file is empty."))
        return []
    (first, header), records = sheet.rows[0], sheet.rows[1:]
    positions, missing = _header_map(header)
    if missing:
        errors.append(_("row %(row)d: the first row must head the columns %(columns)s; "
                        "missing: %(missing)s", row=first,
                        columns=", ".join(_quoted(label) for label in template_header()),
                        missing=", ".join(_quoted(str(COLUMN_LABELS[c])) for c in missing)))
        return []
    professions = profession_names()
    rows: list[StaffRow] = []
    for number, record in records:
        if len(rows) >= MAX_ROWS:
            errors.append(_("row %(row)d: a file may hold at most %(max)d people; split it "
                            "into several files", row=number, max=MAX_ROWS))
            return rows
        row = _check_row(number, record, positions, professions, errors)
        if row is not None:
            rows.append(row)
    return rows


def _check_row(line: int, record: list[str], positions: dict[str, int],
               professions: dict[str, str], errors: list[str]) -> StaffRow | None:
    values = {c: (record[i].strip() if i < len(record) else "") for c, i in positions.items()}
    problems = [str(EMPTY[column]) for column in COLUMN_LABELS if not values[column]]
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
    profession = professions.get(_key(values["profession"]))
    if values["profession"] and profession is None:
        problems.append(_("unknown profession “%(value)s”; use one of: %(choices)s",
                          value=values["profession"],
                          # the labels the supervisor reads, in her language
                          choices=", ".join(str(label) for label in PROFESSION_LABELS.values())))
    if problems:
        errors.append(_("row %(row)d: %(problems)s", row=line, problems="; ".join(problems)))
        return None
    return StaffRow(line, values["name"], email, values["workplace"], profession or "")


def check_against_accounts(rows: list[StaffRow], code: str, report: ImportReport) -> list[StaffRow]:
    """Rows to create: duplicates and other municipalities' accounts are errors; accounts
    already in this municipality are skipped and reported."""
    first_line: dict[str, int] = {}
    unique: list[StaffRow] = []
    for row in rows:
        if row.email in first_line:
            report.errors.append(_("row %(row)d: %(email)s is also on row %(first)d",
                                   row=row.line, email=row.email, first=first_line[row.email]))
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
            report.already_there.append(_("row %(row)d: %(email)s", row=row.line,
                                          email=row.email))
        else:
            # Nothing says that the address has an account elsewhere, let alone where:
            # that is another municipality's business (finding 9 of the hostile review).
            report.errors.append(_(
                "row %(row)d: %(email)s cannot be imported here; ask the national "
                "coordinator", row=row.line, email=row.email))
    return to_create


PREVIEW_MAX_AGE = 3600  # seconds a preview may wait for its confirmation


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-import")


def preview(data: bytes, code: str, encoding: str = "auto") -> ImportReport:
    """Reads and checks the whole file; creates nothing. report.to_create is what the
    confirmation would create."""
    report = ImportReport()
    sheet = staff_files.read(data, encoding, limit=MAX_ROWS + 1)
    report.how = sheet.how
    rows = parse(sheet, report.errors)
    to_create = check_against_accounts(rows, code, report)
    if not report.errors:
        report.rows, report.to_create = rows, to_create
    return report


def preview_token(rows: list[StaffRow], code: str, user_id: int) -> str:
    """The preview's rows, signed for this municipality and supervisor (compressed: a
    5,000-person list fits in a form field)."""
    return _serializer().dumps(
        {"m": code, "u": user_id,
         "r": [[r.line, r.name, r.email, r.workplace, r.profession] for r in rows]})


def rows_from_token(token: str, code: str, user_id: int) -> list[StaffRow] | None:
    """The rows a preview_token carries; None when it is forged, expired or another's."""
    try:
        payload = _serializer().loads(token, max_age=PREVIEW_MAX_AGE)
        if payload["m"] != code or payload["u"] != user_id:
            return None
        return [StaffRow(int(line), str(name), str(email), str(workplace), str(profession))
                for line, name, email, workplace, profession in payload["r"]][:MAX_ROWS]
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def create_staff(rows: list[StaffRow], code: str, send_invitation) -> ImportReport:
    """Checks the previewed rows against the accounts again (time has passed), then
    creates every account in one transaction and invites them; commits."""
    report = ImportReport()
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
        db.session.flush()
        if users:
            audit.record("staff.imported", "municipality", code, municipality=code,
                   after={"created": [user.id for user in users]})
        rules.apply_rules(today(), code)  # the courses everyone here must take, them too
        db.session.commit()
    except IntegrityError:  # an address was registered while the file was being checked
        db.session.rollback()
        report.errors.append(_("One of these e-mail addresses got an account a moment ago; "
                               "upload the file again."))
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


def import_staff(data: bytes, code: str, send_invitation, encoding: str = "auto") -> ImportReport:
    """Preview and create in one go (the command line; tests)."""
    report = preview(data, code, encoding)
    if not report.ok:
        return report
    return create_staff(report.rows, code, send_invitation)
