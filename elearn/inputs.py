"""The rules every value from a request passes before it reaches a query.

One id parser for URLs, query strings and forms, and the characters no field may hold.
"""

from __future__ import annotations

import re

# The largest id an integer column holds on every database (PostgreSQL's integer).
MAX_ID = 2**31 - 1

# C0 and C1 control characters but tab, line feed and carriage return (text areas send
# them), DEL, and lone surrogates (JSON can spell them; no database can store them).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def parse_id(value: object) -> int:
    """A database id from text: ASCII digits only, at most MAX_ID; ValueError otherwise.

    The same rule as the URL converter for <int:…>, so an id is refused alike
    wherever it comes from (Flask's `type=` and WTForms' `coerce=` take it as is).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value)
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
            raise ValueError(f"not an id: {text[:20]!r}")
        number = int(text)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"not an id: {number}")
    return number


def id_or_none(value: object) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
