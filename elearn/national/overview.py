"""The national overview as its page and its CSV show it: the stored figures, sorted,
with the charts drawn and the spreadsheet columns laid out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from elearn.national import services as national
from elearn.national.charts import Bar, bar_chart
from elearn.national.models import ReportSnapshot
from elearn.publishing.courses import CourseChoice, live_courses
from elearn.templating import format_month


@dataclass(frozen=True)
class Overview:
    courses: list[CourseChoice]
    course: CourseChoice | None  # the charted course
    q: national.NationalQuery
    snapshot: ReportSnapshot
    rows: list[national.MunicipalityRates]


@dataclass(frozen=True)
class OverviewPage(Overview):
    monthly: list[national.MonthRow]
    chart: Markup | None
    month_chart: Markup | None


def overview(args: Mapping[str, str], lang: str, now: datetime) -> Overview:
    """The figures (recomputed first when the snapshot is stale), sorted as asked."""
    courses = live_courses(lang)
    query = national.NationalQuery.from_args(args, [c.id for c in courses])
    course = next((c for c in courses if c.id == query.course), None)
    snap = national.snapshot(now)
    rows = national.rates(snap.data, national.country_municipalities(), query.sort,
                          query.descending)
    return Overview(courses, course, query, snap, rows)


def _rates_chart(course: CourseChoice, rows: list[national.MunicipalityRates]) -> Markup:
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


def _months_chart(monthly: list[national.MonthRow]) -> Markup | None:
    if not monthly:
        return None
    peak = max((m.total for m in monthly), default=0) or 1
    return bar_chart(
        [Bar(format_month(m.month), m.total / peak, str(m.total)) for m in monthly],
        chart_id="months-chart", described_by="months-table",
        title=_("Courses completed per month, last 12 months"),
        description=_("Horizontal bars, one per month, the oldest first; the longest bar "
                      "is the busiest month. The same figures are in the table below."),
        axis_labels=("0", str(peak // 2) if peak > 1 else "", str(peak)),
    )


def overview_page(args: Mapping[str, str], lang: str, now: datetime) -> OverviewPage:
    """Everything the overview page shows, charts drawn (in the request's language)."""
    found = overview(args, lang, now)
    monthly = national.monthly_rows(found.snapshot.data, found.courses)
    return OverviewPage(
        found.courses, found.course, found.q, found.snapshot, found.rows, monthly=monthly,
        chart=_rates_chart(found.course, found.rows) if found.course else None,
        month_chart=_months_chart(monthly),
    )


def overview_table(args: Mapping[str, str], lang: str,
                   now: datetime) -> tuple[str, list[str], list[list]]:
    """The CSV download: its file name, header and lines (percentages as whole numbers)."""
    found = overview(args, lang, now)
    header = [_("Code"), _("Municipality"), _("Learners")]
    for c in found.courses:
        header += [_("%(course)s: completed", course=c.title),
                   _("%(course)s: percent completed", course=c.title)]
    lines = []
    for r in found.rows:
        line: list = [r.code, r.name, r.learners]
        for c in found.courses:
            rate = r.rate(c.id)
            line += [r.completed.get(c.id, 0), None if rate is None else round(rate * 100)]
        lines.append(line)
    name = f"national-overview-{found.snapshot.computed_at.date().isoformat()}.csv"
    return name, header, lines
