"""The national coordinator's overview of every municipality."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from elearn import spreadsheets
from elearn.access import Permission, requires
from elearn.forms import ConfirmForm
from elearn.i18n import current_language
from elearn.national import bp, overview
from elearn.national import services as national
from elearn.types import utcnow


@bp.route("/national", endpoint="overview")
@requires(Permission.NATIONAL_OVERVIEW)
def national_overview():
    page = overview.overview_page(request.args, current_language(), utcnow())
    return render_template(
        "national/overview.html", courses=page.courses, course=page.course, q=page.q,
        table=page.table, total=page.total, snapshot=page.snapshot, monthly=page.monthly,
        chart=page.chart, chart_summary=page.chart_summary, month_chart=page.month_chart,
        refresh_form=ConfirmForm(),
    )


@bp.route("/national.csv", endpoint="csv")
@requires(Permission.NATIONAL_OVERVIEW)
def national_csv():
    name, header, lines = overview.overview_table(request.args, current_language(), utcnow())
    return spreadsheets.csv_download(name, header, lines,
                                     spreadsheets.csv_delimiter(current_language()))


@bp.route("/national/refresh", methods=["POST"], endpoint="refresh")
@requires(Permission.NATIONAL_OVERVIEW)
def national_refresh():
    if ConfirmForm().validate_on_submit():
        national.snapshot(utcnow(), refresh=True)
        flash(_("The figures have been recalculated."), "success")
    return redirect(url_for("national.overview"))
