"""The item analysis as CSV: one line per option, with its question's figures."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from elearn.item_analysis.services import ItemAnalysis, flag_label


def header() -> list[str]:
    return [_("Module"), _("Question id"), _("Question no."), _("Question"), _("Answered"),
            _("Facility (share correct)"), _("Discrimination (item-rest correlation)"),
            _("Flags"), _("Option no."), _("Option"), _("Correct option"), _("Chosen"),
            _("Share chosen")]


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def csv_rows(page: ItemAnalysis) -> Iterator[list]:
    for module in page.modules:
        for q in module.questions:
            flags = "; ".join(flag_label(f) for f in q.flags)
            for o in q.options:
                yield [module.key, q.key, q.number, q.text, q.answered, _round(q.facility),
                       _round(q.discrimination), flags, o.position, o.text,
                       _("yes") if o.correct else _("no"), o.chosen, _round(o.share)]
