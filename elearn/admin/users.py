"""The users page: search, filters and sort in SQL, one page at a time by keyset (the
last row's sort value and id), so that page 500 costs what page 1 does."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from elearn.auth.models import PROFESSION_LABELS, Role, User, search_key
from elearn.extensions import db
from elearn.municipalities import Municipality

SORTS = {"name": User.search_text, "email": User.email, "created": User.created_at}
STATUSES = ("active", "inactive", "awaiting", "invited")
PAGE_SIZE = 50
MAX_QUERY = 100


@dataclass(frozen=True)
class UserQuery:
    """The users page's search, filters, sort and position, as they travel in the URL."""

    q: str = ""
    role: str = ""
    municipality: str = ""
    profession: str = ""
    status: str = ""
    sort: str = "name"
    descending: bool = False
    after: str = ""  # an opaque cursor: the last row's sort value and id

    @classmethod
    def from_args(cls, args: Mapping[str, str], municipalities: set[str]) -> UserQuery:
        """Unknown values are dropped, not errors: a stale bookmark still shows a list."""
        sort = args.get("sort", "name")
        return cls(
            q=args.get("q", "").strip()[:MAX_QUERY],
            role=r if (r := args.get("role", "")) in {x.value for x in Role} else "",
            municipality=m if (m := args.get("municipality", "")) in municipalities else "",
            profession=p if (p := args.get("profession", "")) in {
                x.value for x in PROFESSION_LABELS} else "",
            status=s if (s := args.get("status", "")) in STATUSES else "",
            sort=sort if sort in SORTS else "name",
            descending=args.get("dir") == "desc",
            after=args.get("after", "")[:200],
        )

    def args(self, **changes) -> dict[str, str]:
        """Query-string arguments for a link to this list with some values changed."""
        values = {"q": self.q, "role": self.role, "municipality": self.municipality,
                  "profession": self.profession, "status": self.status, "sort": self.sort,
                  "dir": "desc" if self.descending else "", "after": self.after}
        if "page" in changes:  # the shared sort links ask for the first page
            changes.pop("page")
            changes.setdefault("after", "")
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "name")}

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.role or self.municipality or self.profession or self.status)


@dataclass(frozen=True)
class UserRow:
    id: int
    full_name: str
    email: str
    role: str
    municipality_name: str
    active: bool
    awaiting: bool
    invited: bool
    deleted: bool
    created_at: datetime
    last_seen_at: datetime | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def _encode(value, user_id: int) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, user_id]).encode()).decode().rstrip("=")


def _decode(cursor: str, sort: str):
    """(value, id) of the cursor, or None when it is not one of ours."""
    try:
        raw, user_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, str) or not isinstance(user_id, int):
            return None
        return (datetime.fromisoformat(raw) if sort == "created" else raw), user_id
    except (ValueError, TypeError):
        return None


def _filters(q: UserQuery) -> list:
    where = [User.search_text.contains(term, autoescape=True) for term in search_key(q.q).split()]
    if q.role:
        where.append(User.role == q.role)
    if q.municipality:
        where.append(User.municipality_code == q.municipality)
    if q.profession:
        where.append(User.profession == q.profession)
    if q.status == "active":
        where.append(User.active.is_(True))
    elif q.status == "inactive":
        where.append(User.active.is_(False))
    elif q.status == "awaiting":
        where += [User.active.is_(True), User.municipality_code.is_not(None),
                  User.municipality_confirmed_at.is_(None)]
    elif q.status == "invited":
        where += [User.active.is_(True), User.password_hash.is_(None)]
    return where


def matching_count(q: UserQuery) -> int:
    """How many accounts the search and filters match, on every page of them."""
    return db.session.scalar(select(func.count()).select_from(User).where(*_filters(q)))


def user_rows(q: UserQuery) -> tuple[list[UserRow], str | None]:
    """One page of users and the cursor of the next page (None on the last): one query."""
    column = SORTS[q.sort]
    stmt = (
        select(User.id, User.full_name, User.email, User.role, Municipality.name,
               User.active, User.municipality_code, User.municipality_confirmed_at,
               User.password_hash.is_(None), User.deleted_at, User.created_at,
               User.last_seen_at, column)
        .outerjoin(Municipality, Municipality.code == User.municipality_code)
        .where(*_filters(q))
    )
    position = _decode(q.after, q.sort) if q.after else None
    if position is not None:
        value, last_id = position
        if q.descending:
            stmt = stmt.where(or_(column < value, and_(column == value, User.id < last_id)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, User.id > last_id)))
    order = (column.desc(), User.id.desc()) if q.descending else (column, User.id)
    found = db.session.execute(stmt.order_by(*order).limit(PAGE_SIZE + 1)).all()
    rows = [
        UserRow(id=r[0], full_name=r[1], email=r[2], role=r[3], municipality_name=r[4] or "",
                active=r[5], awaiting=r[6] is not None and r[7] is None and r[5],
                invited=r[8], deleted=r[9] is not None, created_at=r[10], last_seen_at=r[11])
        for r in found[:PAGE_SIZE]
    ]
    following = _encode(found[PAGE_SIZE - 1][-1], found[PAGE_SIZE - 1][0]) if (
        len(found) > PAGE_SIZE) else None
    return rows, following
