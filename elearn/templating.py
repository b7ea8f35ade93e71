"""What every template can use."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.access import Permission, can

# (endpoint, label, permission or None for every signed-in user). Entries whose
# blueprint is not registered are skipped, so features can land one by one.
NAVIGATION: list[tuple[str, object, Permission | None]] = [
    ("learning.catalogue", _l("Courses"), None),
    ("certificates.mine", _l("My certificates"), None),
    ("reports.dashboard", _l("My team"), Permission.SUPERVISE),
    ("reports.national", _l("National overview"), Permission.NATIONAL_OVERVIEW),
    ("publishing.status", _l("Publishing"), Permission.VIEW_PUBLISHING),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    def nav_items() -> list[NavItem]:
        items = []
        for endpoint, label, permission in NAVIGATION:
            if endpoint not in app.view_functions:
                continue
            if permission is not None and not can(current_user, permission):
                continue
            section = (request.endpoint or "").split(".")[0]
            current = section == endpoint.split(".")[0]
            items.append(NavItem(url_for(endpoint), str(label), current))
        return items

    @app.template_filter("decimal")
    def _decimal(value) -> str:
        """1.5 as "1,5" in Lithuanian and "1.5" in English; 2.0 as "2"."""
        return format_decimal(value, format="#,##0.##")

    @app.context_processor
    def _globals():
        return {
            "current_locale": lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            "nav_items": nav_items,
            "can": lambda permission: can(current_user, Permission(permission)),
        }
