"""Password rules and hashing."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MAX_LENGTH = 128  # long enough for any passphrase, short enough to hash cheaply
_COMMON = frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)d characters.", n=minimum)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _COMMON:
        return _("This password is on a list of common passwords. Choose another one.")
    inputs = [part for value in user_inputs for part in value.replace("@", " ").split() if part]
    if zxcvbn(password, user_inputs=inputs)["score"] < 3:
        return _(
            "This password is too easy to guess. A few unrelated words together "
            "make a strong password that is easy to remember."
        )
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash or len(password) > MAX_LENGTH:  # the forms refuse these first
        return False
    return check_password_hash(password_hash, password)
