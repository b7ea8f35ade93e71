"""Verification codes a person can read off paper and type: ABCD-EFGH-JKMN.

Twelve characters from an alphabet without 0/O, 1/I/L and U, so no two look alike
in print: 30**12 (about 5 * 10**17, 59 bits) codes, drawn with `secrets`. Guessing
one among a million certificates at the verification limit (30 a minute for each
address) takes longer than the platform will exist. Serial numbers are not codes:
they are sequential and would let anyone list the names of certificate holders.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
# "LT-2026-000123", typed as found on the certificate.
_SERIAL = re.compile(r"[A-Z]{2}\s*-?\s*\d{4}\s*-?\s*\d{1,9}", re.IGNORECASE)


def new_code() -> str:
    """A fresh code, stored as twelve characters without dashes."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str | None:
    """The stored form of a code as a person typed it (any case, with or without
    spaces and dashes), or None when it cannot be one."""
    if len(typed) > 64:
        return None
    code = _SEPARATORS.sub("", typed).upper()
    return code if _CODE.fullmatch(code) else None


def printed(code: str) -> str:
    """ABCDEFGHJKMN -> ABCD-EFGH-JKMN."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def looks_like_serial(typed: str) -> bool:
    """A serial number typed instead of the code (never a code: serials carry a 0)."""
    return normalize(typed) is None and bool(_SERIAL.fullmatch(typed.strip()))
