"""Filling lessons' contacts placeholders with the learner's own municipality's directory.

Published lesson HTML stays the same for every learner: the renderer leaves
<div data-contacts="police,ngo"></div> where the author wrote a contacts block,
and each request fills it from one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import and_, select

from elearn.content.rules import CONTACT_ROLES
from elearn.directory.models import ReferralContact
from elearn.directory.services import TRANSLATED_FIELDS, role_label, role_order
from elearn.extensions import db
from elearn.i18n import local_language
from elearn.municipalities import Municipality
from elearn.publishing.models import in_language

PLACEHOLDER_RE = re.compile(r'<div data-contacts="(?P<roles>[^"<>]*)">\s*</div>')
_PHONE_KEEP_RE = re.compile(r"[^0-9+]")


@dataclass(frozen=True)
class ShownText:
    text: str
    lang: str  # the language the text is really in (a fallback is marked in the page)


@dataclass(frozen=True)
class ShownContact:
    role: str
    role_label: str
    phone: str
    phone_href: str
    email: str
    texts: dict[str, ShownText]


def placeholder_roles(value: str) -> tuple[str, ...]:
    """The known roles of a placeholder; none means every role."""
    roles = tuple(r for r in (part.strip() for part in value.split(",")) if r in CONTACT_ROLES)
    return roles or CONTACT_ROLES


def _shown(contact: ReferralContact, lang: str) -> ShownContact:
    texts = {}
    for field in TRANSLATED_FIELDS:
        text, text_lang = in_language(getattr(contact, field) or {}, lang, (local_language(), "en"))
        texts[field] = ShownText(text, text_lang)
    return ShownContact(
        role=contact.role, role_label=role_label(contact.role), phone=contact.phone,
        phone_href=_PHONE_KEEP_RE.sub("", contact.phone), email=contact.email, texts=texts,
    )


def _directory(code: str, roles: set[str]) -> tuple[str | None, list[ReferralContact]]:
    """The municipality's name and its contacts for the roles, in one query."""
    rows = db.session.execute(
        select(Municipality.name, ReferralContact)
        .outerjoin(ReferralContact, and_(
            ReferralContact.municipality_code == Municipality.code,
            ReferralContact.role.in_(sorted(roles)),
        ))
        .where(Municipality.code == code)
        .order_by(role_order(), ReferralContact.id)
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [contact for _name, contact in rows if contact is not None]


def render_contacts(html: str, municipality_code: str | None, lang: str) -> Markup:
    """The lesson HTML with every contacts placeholder filled (html is trusted, sanitized
    at publishing); every directory field is escaped by the template."""
    matches = list(PLACEHOLDER_RE.finditer(html))
    if not matches:
        return Markup(html)  # noqa: S704  (sanitized when it was published)
    wanted = [placeholder_roles(m["roles"]) for m in matches]
    name, contacts = (None, [])
    if municipality_code:
        name, contacts = _directory(municipality_code, {r for roles in wanted for r in roles})
    template = current_app.jinja_env.get_template("directory/_lesson_block.html")
    lang = lang if lang in current_app.config["LANGUAGES"] else local_language()
    with force_locale(lang):  # the block reads in the lesson's language
        shown = [_shown(c, lang) for c in contacts]
        blocks = [
            template.render(
                contacts=[c for c in shown if c.role in roles],
                municipality_name=name, has_municipality=bool(municipality_code),
                lang=lang,
            )
            for roles in wanted
        ]
    parts, last = [], 0
    for match, block in zip(matches, blocks, strict=True):
        parts.append(html[last:match.start()])
        parts.append(block)
        last = match.end()
    parts.append(html[last:])
    return Markup("".join(parts))  # noqa: S704  (lesson HTML sanitized, blocks autoescaped)
