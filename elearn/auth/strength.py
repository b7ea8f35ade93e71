"""How guessable a new password is, with the person's own details counted against it.

zxcvbn scores a password from 0 to 4; we refuse scores below 3. It is given the
person's name, e-mail address and the platform's name as words an attacker knows.
zxcvbn alone lets through passwords made of a few such pieces ("Password 2026!",
a name and a birth year, an e-mail address: each piece is cheap, but its estimate
puts a floor under three pieces), so the password is also scored with its spaces and
punctuation taken out, and once more with the person's details taken out: what is
left must be strong by itself.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MINIMUM_SCORE = 3
PLATFORM_NAME = _l("Anti-trafficking training")  # the name in the page header
SEPARATORS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Lower case without accents: "Žemaitė" and "zemaite" are the same word here."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def platform_words() -> tuple[str, ...]:
    names = []
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            names.append(str(PLATFORM_NAME))
    host = urlsplit(current_app.config.get("PUBLIC_URL") or "").hostname or ""
    return (*names, host, "elearn")


def known_words(details: tuple[str, ...]) -> list[str]:
    """The person's details and the platform's name, whole and in pieces, folded."""
    words: set[str] = set()
    for value in (*details, *platform_words()):
        folded = _fold(value or "")
        pieces = [piece for piece in SEPARATORS.split(folded) if piece]
        words.update(pieces)
        if pieces:
            words.add("".join(pieces))
        if "@" in folded:
            words.add(folded)
    return sorted(word for word in words if len(word) >= 2)


def _without(words: list[str], text: str) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def weakness(password: str, details: tuple[str, ...]) -> list[str] | None:
    """None for a strong enough password; else what to say, in the page's language."""
    words = known_words(details)
    compact = SEPARATORS.sub("", _fold(password))
    results = [zxcvbn(candidate, user_inputs=words)
               for candidate in dict.fromkeys((password, compact)) if candidate]
    weakest = min(results, key=lambda result: result["score"])
    if weakest["score"] >= MINIMUM_SCORE:
        rest = _without(words, compact)
        if rest and zxcvbn(rest, user_inputs=words)["score"] >= MINIMUM_SCORE:
            return None
        if rest != compact:
            return [_("Leave out your name, your e-mail address and the name of this "
                      "platform, or add words of your own: without them, this password "
                      "is too easy to guess.")]
        return [_("This password is too easy to guess. A few unrelated words together "
                  "make a strong password that is easy to remember.")]
    feedback = weakest["feedback"]
    said = [_("This password is too easy to guess.")]
    said += [_(text) for text in (feedback.get("warning"), *feedback.get("suggestions", ()))
             if text]
    if len(said) == 1:
        said.append(_("A few unrelated words together make a strong password that is easy "
                      "to remember."))
    return said
