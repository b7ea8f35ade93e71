"""Security headers on every response, and the proxy set-up they depend on."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn.inputs import has_control_characters

RAW_BODY_ATTR = "_elearn_raw_body"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Personal data must not stay in a shared office PC's browser cache.
PRIVATE = "private, no-store"


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def raw_body(view: Callable) -> Callable:
    """Mark a view that reads its body itself and stores nothing of it (the push hook
    verifies a signature over the exact bytes): its body is not parsed beforehand."""
    setattr(view, RAW_BODY_ATTR, True)
    return view


class BadJSON(ValueError):
    pass


def _json_texts(value) -> Iterator[str]:
    """Every key and string in a JSON document, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _request_texts() -> Iterator[str]:
    """Every text a request carries: query string, form fields, file names, JSON."""
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, RAW_BODY_ATTR, False):
        return
    if request.mimetype in FORM_TYPES:
        for key, value in request.form.items(multi=True):
            yield key
            yield value
        for key, upload in request.files.items(multi=True):
            yield key
            yield upload.filename or ""
    elif request.is_json:
        try:
            document = request.get_json(silent=True)
        except RecursionError as error:  # nested deeper than the parser goes
            raise BadJSON() from error
        yield from _json_texts(document)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    app.session_interface = _SessionInterface()
    if app.config.get("PUBLIC_URL", "").startswith("https://"):
        # Served over https: cookies never travel in clear, whatever a proxy says.
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.before_request
    def _refuse_control_characters():
        # No text we store may hold a NUL (PostgreSQL refuses it outright) or another
        # control character: a path with one names nothing, any other value with one
        # (query, form, multipart field or file name, JSON) is a bad request.
        if has_control_characters(request.path):
            abort(404)
        try:
            if any(has_control_characters(text) for text in _request_texts()):
                abort(400)
        except BadJSON:
            abort(400)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        # is_anonymous, not is_authenticated: the latter reads the user's `active`, which
        # a commit in the view has expired, and would cost a SELECT after every POST.
        # A signed-in person's pages are private whether or not she is still active.
        if request.endpoint != "static" and not current_user.is_anonymous:
            response.headers.setdefault("Cache-Control", PRIVATE)
            response.vary.add("Cookie")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
