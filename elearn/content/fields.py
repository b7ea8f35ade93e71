"""Scalar fields of course.yml and front matter: what each accepts, and what to say if not."""

import math
from collections.abc import Callable
from functools import cache

import pycountry

from .problems import Report
from .yamlutil import Fields, line_of, scalar, text


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


_RULES: dict[str, tuple[Callable[[object], bool], str]] = {
    "hours": (_positive_number, "hours must be a number greater than 0"),
    "pass_mark": (
        lambda v: _whole(v) and 1 <= v <= 100,
        "pass_mark must be a whole number from 1 to 100 (a percentage)",
    ),
    "attempts": (
        lambda v: _whole(v) and v >= 0,
        "attempts must be a whole number, 0 or more (0 = unlimited)",
    ),
    "certificate_valid_months": (
        lambda v: _whole(v) and v >= 1,
        "certificate_valid_months must be a whole number of months, 1 or more",
    ),
    "published": (lambda v: isinstance(v, bool), "published must be true or false"),
    "order": (_whole, "order must be a whole number"),
    "minutes": (lambda v: _whole(v) and v >= 1, "minutes must be a whole number, 1 or more"),
    "draw": (lambda v: _whole(v) and v >= 1, "draw must be a whole number, 1 or more"),
    "shuffle": (lambda v: isinstance(v, bool), "shuffle must be true or false"),
}


def checked(fields: Fields, name: str, report: Report) -> object | None:
    """The field's value when it is valid; None when absent, empty or reported."""
    if name not in fields:
        return None
    node = fields[name][1]
    value = scalar(node)
    if value is None:
        return None  # "order:" with nothing after it means the default, like leaving it out
    accepts, message = _RULES[name]
    if accepts(value):
        return value
    report.add(line_of(node), message)
    return None


def required_text(fields: Fields, name: str, report: Report, what: str) -> str | None:
    """A text field that must not be empty (titles, questions, options)."""
    if name not in fields:
        return None
    node = fields[name][1]
    value = text(node)
    if value is None or not value.strip():
        report.add(line_of(node), f"{what} must be non-empty text")
        return None
    return value


@cache
def is_language(code: str) -> bool:
    """A two-letter ISO 639-1 code, as used in file names and course.yml."""
    return len(code) == 2 and code.islower() and pycountry.languages.get(alpha_2=code) is not None
