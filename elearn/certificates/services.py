"""Issuing, finding, revoking and rendering certificates."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from elearn.access import may_supervise_learner, supervised_learners
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.certificates import codes
from elearn.certificates.models import Certificate
from elearn.certificates.pdf import CertificateDocument, render_certificate_pdf
from elearn.certificates.pdf.document import LANGUAGES
from elearn.countries import timezone_for
from elearn.extensions import db
from elearn.i18n import local_language, today
from elearn.municipalities import Municipality
from elearn.publishing.models import CourseVersion, in_language
from elearn.types import utcnow
from elearn.urls import external_url

CODE_BYTES = 20  # 160 bits in the long codes of certificates printed before codes.py
MAX_CODE_LENGTH = 64


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_certificate(user_id: int, course_id: str) -> Certificate | None:
    """The learner's newest certificate of the course that is neither revoked nor expired."""
    return db.session.scalar(
        select(Certificate)
        .where(
            Certificate.user_id == user_id,
            Certificate.course_id == course_id,
            Certificate.revoked_at.is_(None),
            (Certificate.expires_on.is_(None)) | (Certificate.expires_on >= today()),
        )
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        .limit(1)
    )


def issue_certificate(user: User, version: CourseVersion) -> Certificate:
    """Issue the certificate for a completed course version; the caller commits.

    A learner holding a valid certificate of the course keeps it; one whose
    certificate expired (or was revoked) gets a new one, the old one stays.
    """
    existing = current_certificate(user.id, version.course_id)
    if existing is not None:
        return existing
    lang = user.locale if user.locale in version.languages else version.languages[0]
    title, lang = in_language(version.title, lang, tuple(version.languages))
    issued = today()
    municipality = db.session.get(Municipality, user.municipality_code) if (
        user.municipality_code
    ) else None
    certificate = Certificate(
        code=secrets.token_urlsafe(CODE_BYTES),
        verification_code=codes.new_code(),
        user_id=user.id,
        course_id=version.course_id,
        version_id=version.id,
        full_name=user.full_name,
        course_title=title,
        lang=lang,
        hours=version.hours,
        content_hash=version.content_hash,
        git_commit=version.git_commit,
        municipality_code=user.municipality_code,
        municipality_name=municipality.name if municipality else "",
        issued_on=issued,
        expires_on=(
            add_months(issued, version.certificate_valid_months)
            if version.certificate_valid_months else None
        ),
    )
    db.session.add(certificate)
    db.session.flush()  # the serial is built from the row's id
    country = current_app.config["COUNTRY"]
    certificate.serial = f"{country}-{issued.year}-{certificate.id:06d}"
    return certificate


def on_course_completed(sender, user: User, version: CourseVersion, **extra) -> None:
    """Receiver of learning's course_completed signal, inside its transaction."""
    issue_certificate(user, version)


def certificates_of(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    ))


def viewable_certificate(user, certificate_id: int) -> Certificate | None:
    """The certificate when the user may see it: its owner, or a supervisor of the
    municipality the owner works in now (the same people the reports show her)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return None
    if certificate.user_id == user.id:
        return certificate
    return certificate if may_supervise_learner(user, certificate.user_id) else None


def by_code(typed: str) -> Certificate | None:
    """The certificate of a verification code as typed (any case, spaces, dashes), or
    of the long code in the QR codes printed before; None for anything else."""
    code = codes.normalize(typed)
    if code is not None:
        return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))
    if not typed or len(typed) > MAX_CODE_LENGTH:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == typed))


def course_title_in(certificate: Certificate, lang: str) -> tuple[str, str]:
    """The course's title in `lang` when its version has one, else as printed; with
    the language it is in."""
    version = db.session.get(CourseVersion, certificate.version_id)
    if version is not None and lang in (version.languages or ()) and version.title.get(lang):
        return version.title[lang], lang
    return certificate.course_title, certificate.lang


def revoke(certificate: Certificate, reason: str, by: User) -> None:
    """Revoke with a reason shown to anyone who verifies it; the caller commits."""
    if certificate.revoked_at is None:
        certificate.revoked_at = utcnow()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by_id = by.id
        record("certificate.revoked", "certificate", certificate.id,
               before={"revoked": False},
               after={"revoked": True, "reason": certificate.revoked_reason,
                      "serial": certificate.serial, "course_id": certificate.course_id},
               municipality=certificate.municipality_code)


def supervised_certificates(user, municipality: str | None = None) -> list[Certificate]:
    """Certificates of the municipalities the user supervises (all for admins)."""
    query = (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(supervised_learners(user))
        .order_by(Certificate.expires_on.is_(None), Certificate.expires_on,
                  Certificate.full_name)
    )
    if municipality:
        query = query.where(User.municipality_code == municipality)
    return list(db.session.scalars(query))


def expiring_within(days: int) -> list[Certificate]:
    start = today()
    return list(db.session.scalars(
        select(Certificate)
        .where(Certificate.revoked_at.is_(None), Certificate.expires_on >= start,
               Certificate.expires_on <= start + timedelta(days=days))
        .order_by(Certificate.expires_on, Certificate.id)
    ))


def verify_url(certificate: Certificate) -> str:
    return external_url("certificates.verify", code=printed_code(certificate))


def printed_code(certificate: Certificate) -> str:
    return codes.printed(certificate.verification_code)


def issuer_for(lang: str) -> tuple[str, str, str]:
    """The issuing body, the signatory's name and title in `lang`, from the settings."""
    config = current_app.config
    suffix, local = lang.upper(), local_language().upper()
    return (
        config.get(f"CERTIFICATE_ISSUER_{suffix}") or config.get(f"CERTIFICATE_ISSUER_{local}")
        or "elearn",
        config.get("CERTIFICATE_SIGNATORY_NAME") or "",
        config.get(f"CERTIFICATE_SIGNATORY_TITLE_{suffix}") or "",
    )


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(timezone_for(current_app.config))).date()


def pdf_bytes(certificate: Certificate) -> bytes:
    """The PDF as it stands today: a revoked or expired certificate is marked so."""
    lang = certificate.lang if certificate.lang in LANGUAGES else local_language()
    issuer, signatory, title = issuer_for(lang)
    return render_certificate_pdf(
        CertificateDocument(
            full_name=certificate.full_name,
            course_title=certificate.course_title,
            hours=certificate.hours,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            serial=certificate.serial or "",
            verify_url=verify_url(certificate),
            verification_code=printed_code(certificate),
            municipality=certificate.municipality_name,
            lang=lang,
            country_lang=local_language(),
            issuer=issuer,
            signatory_name=signatory,
            signatory_title=title,
            state=certificate.state(today()),
            revoked_on=_local_day(certificate.revoked_at) if certificate.revoked_at else None,
            revoked_reason=certificate.revoked_reason or "",
        )
    )
