"""The item-analysis pages under publishing: for authors and admins only."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _

from elearn.access import Permission, requires
from elearn.i18n import current_language
from elearn.item_analysis import bp
from elearn.item_analysis import services as items
from elearn.item_analysis.export import csv_rows, header
from elearn.spreadsheets import csv_delimiter, csv_download


@bp.route("/publishing/items")
@requires(Permission.VIEW_PUBLISHING)
def index():
    return render_template("item_analysis/index.html", versions=items.versions_with_quizzes())


def _analysis_or_404(course_id: str, version_id: int) -> items.ItemAnalysis:
    version = items.version_or_none(course_id, version_id)
    if version is None:
        abort(404)
    return items.item_analysis(version, current_language())


@bp.route("/publishing/items/<course_id>/<int:version_id>")
@requires(Permission.VIEW_PUBLISHING)
def version(course_id: str, version_id: int):
    return render_template("item_analysis/version.html",
                           page=_analysis_or_404(course_id, version_id),
                           flag_label=items.flag_label)


@bp.route("/publishing/items/<course_id>/<int:version_id>.csv")
@requires(Permission.VIEW_PUBLISHING)
def version_csv(course_id: str, version_id: int):
    page = _analysis_or_404(course_id, version_id)
    lang = current_language()
    title = [_("Item analysis: %(course)s, version %(version)s", course=page.title,
               version=page.version_id)]
    return csv_download(f"item-analysis-{page.course_id}-{page.version_id}.csv", header(),
                        csv_rows(page), delimiter=csv_delimiter(lang), title=title)
