"""Absolute addresses for e-mails, certificates and QR codes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def safe_local_path(target: str | None, default: str) -> str:
    r"""target when it is a path on this site, else default (no open redirects).

    Browsers drop tabs and line breaks and read a backslash as a slash, so
    "/\t/evil.example" would become "//evil.example": such targets are refused.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or any(char in target for char in "\\\t\r\n")
        or urlsplit(target).netloc
    ):
        return default
    return target


def external_url(endpoint: str, **values) -> str:
    """The full address of an endpoint: PUBLIC_URL when set, else the current request's host."""
    base = current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost:5000")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
