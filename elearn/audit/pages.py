"""The audit log as a page and as a CSV file, for admins (every entry) and supervisors
(the entries about their municipalities)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from elearn.audit.queries import (
    ACTIONS,
    AuditQuery,
    AuditRow,
    all_audit_rows,
    audit_rows,
    in_municipalities,
)
from elearn.municipalities import municipality_choices
from elearn.spreadsheets import Value


@dataclass(frozen=True)
class AuditPage:
    q: AuditQuery
    rows: list[AuditRow]
    next_cursor: int | None
    actions: list[tuple[str, str]]
    municipalities: list[tuple[str, str]]  # the ones the reader may filter by


def _query(args: Mapping[str, str], codes: list[str] | None):
    places = [(c, n) for c, n in municipality_choices() if codes is None or c in codes]
    return AuditQuery.from_args(args, {c for c, _ in places}), places


def audit_page(args: Mapping[str, str], codes: list[str] | None) -> AuditPage:
    """codes: the municipalities the reader supervises; None for every entry."""
    q, places = _query(args, codes)
    rows, following = audit_rows(q, in_municipalities(codes))
    return AuditPage(q=q, rows=rows, next_cursor=following,
                     actions=[(k, str(v)) for k, v in ACTIONS.items()], municipalities=places)


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def audit_export(args: Mapping[str, str], codes: list[str] | None
                 ) -> tuple[list[str], Iterator[list[Value]]]:
    q, _places = _query(args, codes)
    header = [_("Time (UTC)"), _("Who"), _("Who (account id)"), _("Address"), _("What"),
              _("Action"), _("Target"), _("Target id"), _("Name"), _("Municipality"),
              _("Other municipality"), _("Before"), _("After")]
    lines = (
        [row.at.strftime("%Y-%m-%d %H:%M:%S"), row.actor_name or "", row.actor_id,
         row.address or "", row.action_label, row.action, row.target_type, row.target_id,
         row.target_name or "", row.municipality_code or "",
         row.other_municipality_code or "", _json(row.before), _json(row.after)]
        for row in all_audit_rows(q, in_municipalities(codes))
    )
    return header, lines
