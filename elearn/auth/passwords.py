"""Password rules and hashing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from elearn.auth.strength import weakness

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
    said = weakness(password, user_inputs)
    return " ".join(said) if said else None


# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about a tenth of
# the CPU of werkzeug's scrypt default per sign-in, and memory-hard against GPUs.
ARGON2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def _method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD") or "argon2id"


def hash_password(password: str) -> str:
    method = _method()
    if method == "argon2id":
        return ARGON2.hash(password)
    return generate_password_hash(password, method=method)  # tests: a fast pbkdf2


def verify_password(password_hash: str | None, password: str) -> bool:
    """Checks argon2id hashes and the scrypt/pbkdf2 hashes stored before them."""
    if not password_hash or len(password) > MAX_LENGTH:  # the forms refuse these first
        return False
    if password_hash.startswith("$argon2"):
        try:
            return ARGON2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """True for a hash made another way or with weaker settings than the current ones,
    to be replaced at the next successful sign-in (when the password is at hand)."""
    if _method() != "argon2id":
        return False
    if not password_hash.startswith("$argon2id$"):
        return True
    try:
        return ARGON2.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
