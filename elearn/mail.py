"""Outgoing mail: SMTP when configured, the log otherwise, a list in tests."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


def _backend() -> str:
    return current_app.config.get("MAIL_BACKEND") or (
        "smtp" if current_app.config.get("MAIL_SERVER") else "log"
    )


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests)."""
    return current_app.extensions.setdefault("elearn_outbox", [])


def send_mail(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="elearn")
    msg.set_content(body)

    backend = _backend()
    if backend == "memory":
        outbox().append(msg)
    elif backend == "log":
        # Readable text, not the MIME encoding, so developers can follow the links.
        current_app.logger.info(
            "Mail not sent (no MAIL_SERVER set)\nTo: %s\nSubject: %s\n\n%s",
            to, subject, msg.get_content(),
        )
    else:
        smtp_cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
