"""The national coordinator's overview of every municipality."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _

from elearn import spreadsheets
from elearn.access import Permission, requires
from elearn.forms import ConfirmForm
from elearn.i18n import current_language
from elearn.national import bp
from elearn.national import services as national
from elearn.national.charts import Bar, bar_chart
from elearn.publishing.courses import live_courses
from elearn.templating import format_month
from elearn.types import utcnow


def _overview():
    courses = live_courses(current_language())
    query = national.NationalQuery.from_args(request.args, [c.id for c in courses])
    course = next((c for c in courses if c.id == query.course), None)
    snap = national.snapshot(utcnow())
    rows = national.rates(snap.data, national.country_municipalities(), query.sort,
                          query.descending)
    return courses, course, query, snap, rows


def _chart(course, rows):
    """The chosen course's rates, highest first; municipalities without learners are left out."""
    ranked = sorted((r for r in rows if r.rate(course.id) is not None),
                    key=lambda r: r.rate(course.id) or 0.0, reverse=True)
    bars = [Bar(r.name, r.rate(course.id) or 0.0, format_percent(r.rate(course.id) or 0.0))
            for r in ranked]
    return bar_chart(
        bars, chart_id="rates-chart", described_by="rates-table",
        title=_("Share of learners who completed “%(course)s”, by municipality",
                course=course.title),
        description=_("Horizontal bars from 0 to 100 percent, one per municipality with "
                      "learners, the highest share first. The same figures are in the "
                      "table below."),
        axis_labels=(format_percent(0), format_percent(0.5), format_percent(1)),
    )


@bp.route("/national", endpoint="overview")
@requires(Permission.NATIONAL_OVERVIEW)
def national_overview():
    courses, course, query, snap, rows = _overview()
    monthly = national.monthly_rows(snap.data, courses)
    month_chart = None
    if monthly:
        peak = max((m.total for m in monthly), default=0) or 1
        month_chart = bar_chart(
            [Bar(format_month(m.month), m.total / peak, str(m.total))
             for m in monthly],
            chart_id="months-chart", described_by="months-table",
            title=_("Courses completed per month, last 12 months"),
            description=_("Horizontal bars, one per month, the oldest first; the longest bar "
                          "is the busiest month. The same figures are in the table below."),
            axis_labels=("0", str(peak // 2) if peak > 1 else "", str(peak)),
        )
    return render_template(
        "national/overview.html", courses=courses, course=course, q=query, rows=rows,
        snapshot=snap, monthly=monthly,
        chart=_chart(course, rows) if course else None, month_chart=month_chart,
        refresh_form=ConfirmForm(),
    )


@bp.route("/national.csv", endpoint="csv")
@requires(Permission.NATIONAL_OVERVIEW)
def national_csv():
    courses, _course, _query, snap, rows = _overview()
    header = [_("Code"), _("Municipality"), _("Learners")]
    for c in courses:
        header += [_("%(course)s: completed", course=c.title),
                   _("%(course)s: percent completed", course=c.title)]
    lines = []
    for r in rows:
        line: list = [r.code, r.name, r.learners]
        for c in courses:
            rate = r.rate(c.id)
            line += [r.completed.get(c.id, 0), None if rate is None else round(rate * 100)]
        lines.append(line)
    name = f"national-overview-{snap.computed_at.date().isoformat()}.csv"
    return spreadsheets.csv_download(name, header, lines,
                                     spreadsheets.csv_delimiter(current_language()))


@bp.route("/national/refresh", methods=["POST"], endpoint="refresh")
@requires(Permission.NATIONAL_OVERVIEW)
def national_refresh():
    if ConfirmForm().validate_on_submit():
        national.snapshot(utcnow(), refresh=True)
        flash(_("The figures have been recalculated."), "success")
    return redirect(url_for("national.overview"))
