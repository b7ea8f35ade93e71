"""What every template can use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.units import format_unit
from flask import Flask, request, url_for
from flask_babel import format_date, format_decimal, format_percent, get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.access import Permission, can
from elearn.i18n import current_language, local_language

# (endpoint, label, permission or None for every signed-in user, other URL prefixes
# of the same section). Entries whose endpoint is not registered are skipped.
NAVIGATION: list[tuple[str, object, Permission | None, tuple[str, ...]]] = [
    ("learning.catalogue", _l("Courses"), None, ("/learn/",)),
    ("certificates.mine", _l("My certificates"), None, ()),
    ("supervision.dashboard", _l("My team"), Permission.SUPERVISE, ()),
    ("national.overview", _l("National overview"), Permission.NATIONAL_OVERVIEW, ()),
    ("publishing.status", _l("Publishing"), Permission.VIEW_PUBLISHING, ()),
    ("admin.users", _l("People"), Permission.MANAGE_USERS, ("/admin/users/", "/admin/audit")),
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
        for endpoint, label, permission, prefixes in NAVIGATION:
            if endpoint not in app.view_functions:
                continue
            if permission is not None and not can(current_user, permission):
                continue
            url = url_for(endpoint)
            # A section is current on its own page and on every page below it.
            current = request.path == url or request.path.startswith((url + "/", url + ".",
                                                                      *prefixes))
            items.append(NavItem(url, str(label), current))
        return items

    @app.template_filter("decimal")
    def _decimal(value) -> str:
        """1.5 as "1,5" in Lithuanian and "1.5" in English; 2.0 as "2"."""
        return format_decimal(value, format="#,##0.##")

    @app.template_filter("day")
    def _day(value: date | datetime | None) -> str:
        """The one way a date is written on the site (and in e-mails): ISO 8601 in
        Lithuanian ("2026-12-01", the national standard), the long form in English
        ("1 December 2026"). A moment is shown as the platform's local day."""
        return format_day(value)

    @app.template_filter("moment")
    def _moment(value: datetime | None) -> str:
        """A date and time, local: "2026-12-01 14:05" / "1 December 2026, 14:05"."""
        return format_moment(value)

    @app.template_filter("month")
    def _month(value: date) -> str:
        """A calendar month: "2026 m. gruodis" / "December 2026"."""
        return format_month(value)

    @app.template_filter("duration_hours")
    def _duration_hours(value: float) -> str:
        """Training hours with the right plural: "1 hour", "1.5 hours", "1 valanda",
        "10 valandų" (CLDR's unit names, through Babel)."""
        return format_unit(value, "duration-hour", length="long", format="#,##0.##",
                           locale=current_language())

    @app.template_filter("percent")
    def _percent(value: float) -> str:
        """A number of percent (0 to 100, as scores and pass marks are kept) written the
        language's way: "80 %" in Lithuanian, "80%" in English. Shares (0 to 1) are
        multiplied by 100 first; this is the only percent filter."""
        return format_percent(value / 100)

    @app.template_filter("language_name")
    def _language_name(code: str) -> str:
        """A language's own name in the page's language: "Lithuanian", "anglų"."""
        try:
            return Locale.parse(code).get_display_name(current_language()) or code
        except (ValueError, TypeError):
            return code

    @app.template_filter("languages_or")
    def _languages_or(codes) -> str:
        """The languages named in the page's language, joined by "or": "Lithuanian or
        English", "latviešu vai angļu" (the sentence around it adds "valodā")."""
        page = Locale.parse(current_language())
        names = [page.languages.get(code, code) for code in codes]
        return format_list(names, style="or", locale=page)

    @app.context_processor
    def _globals():
        return {
            "current_language": current_language,
            "local_language": local_language,
            "nav_items": nav_items,
            "can": lambda permission: can(current_user, Permission(permission)),
        }


# Lithuanian writes dates as ISO 8601 (2026-12-01); English and Latvian spell the month.
DAY_PATTERNS = {"en": "d MMMM y", "lv": "y. 'gada' d. MMMM"}
MONTH_PATTERNS = {"en": "LLLL y", "lv": "y. 'gada' LLLL", "lt": "y 'm.' LLLL"}


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone()).date()
    pattern = DAY_PATTERNS.get(current_language())
    return _written_day(value, pattern, get_locale()) if pattern else value.isoformat()


@lru_cache(maxsize=4096)
def _written_day(value: date, pattern: str, locale: Locale | None) -> str:
    """A day in words, formatted once per process (a table of 50 learners writes 50 days
    of a few distinct ones, and each Babel call costs about 50 µs)."""
    return babel_format_date(value, pattern, locale=locale)


def format_moment(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(get_timezone())
    separator = ", " if current_language() in DAY_PATTERNS else " "
    return format_day(local.date()) + separator + local.strftime("%H:%M")


def format_month(value: date) -> str:
    return format_date(value, MONTH_PATTERNS.get(current_language(), "LLLL y"))
