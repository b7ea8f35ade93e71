"""Issuing, finding, revoking and rendering certificates."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from elearn.access import may_supervise_learner, supervised_learners
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.certificates.pdf import CertificateDocument, render_certificate_pdf
from elearn.extensions import db
from elearn.i18n import today
from elearn.municipalities import Municipality
from elearn.publishing.models import CourseVersion, in_language
from elearn.types import utcnow
from elearn.urls import external_url

CODE_BYTES = 20  # 160 bits of randomness in every verification code
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


def by_code(code: str) -> Certificate | None:
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


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
    return external_url("certificates.verify", code=certificate.code)


def pdf_bytes(certificate: Certificate) -> bytes:
    return render_certificate_pdf(
        CertificateDocument(
            full_name=certificate.full_name,
            course_title=certificate.course_title,
            hours=certificate.hours,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            serial=certificate.serial or "",
            verify_url=verify_url(certificate),
            municipality=certificate.municipality_name,
            lang=certificate.lang if certificate.lang in ("lt", "en") else "lt",
            issuer=current_app.config.get("CERTIFICATE_ISSUER", "elearn"),
        )
    )
