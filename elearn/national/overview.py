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
class RateCell:
    """A rate as the table writes it: "50 %" and "2 of 4"; no percent without staff."""

    percent: str | None
    count: str


@dataclass(frozen=True)
class RateRow:
    figures: national.MunicipalityRates
    cells: list[RateCell]  # one per course, in the courses' order


@dataclass(frozen=True)
class OverviewPage(Overview):
    table: list[RateRow]
    total: RateRow
    monthly: list[national.MonthRow]
    chart: Markup | None
    chart_summary: str
    month_chart: Markup | None


# Whole-number percentages written once per language and process: the page shows up to
# 60 municipalities x every course, and a Babel call per cell costs more than reading
# the figures from the database.
_PERCENT_TEXTS: dict[str, tuple[str, ...]] = {}


def percent_texts(lang: str) -> tuple[str, ...]:
    """"0 %" … "100 %" in the request's language (which must be `lang`), by index."""
    texts = _PERCENT_TEXTS.get(lang)
    if texts is None:
        texts = _PERCENT_TEXTS[lang] = tuple(format_percent(n / 100) for n in range(101))
    return texts


def _percent(texts: tuple[str, ...], rate: float) -> str:
    return texts[max(0, min(100, round(rate * 100)))]


def _table(rows: list[national.MunicipalityRates], courses: list[CourseChoice],
           texts: tuple[str, ...]) -> list[RateRow]:
    of = _("%(done)d of %(total)d")  # the pattern, filled in below for every cell
    table = []
    for r in rows:
        cells = []
        for c in courses:
            done = r.completed.get(c.id, 0)
            rate = r.rate(c.id)
            cells.append(RateCell(None if rate is None else _percent(texts, rate),
                                  of % {"done": done, "total": r.learners}))
        table.append(RateRow(r, cells))
    return table


def overview(args: Mapping[str, str], lang: str, now: datetime) -> Overview:
    """The figures (recomputed first when the snapshot is stale), sorted as asked."""
    courses = live_courses(lang)
    query = national.NationalQuery.from_args(args, [c.id for c in courses])
    course = next((c for c in courses if c.id == query.course), None)
    snap = national.snapshot(now)
    rows = national.rates(snap.data, national.country_municipalities(), query.sort,
                          query.descending)
    return Overview(courses, course, query, snap, rows)


def _ranked(course: CourseChoice,
            rows: list[national.MunicipalityRates]) -> list[national.MunicipalityRates]:
    return sorted((r for r in rows if r.rate(course.id) is not None),
                  key=lambda r: r.rate(course.id) or 0.0, reverse=True)


def _rates_chart(course: CourseChoice, ranked: list[national.MunicipalityRates],
                 texts: tuple[str, ...]) -> Markup:
    """The chosen course's rates, highest first; municipalities without staff are left out."""
    bars = [Bar(r.name, r.rate(course.id) or 0.0, _percent(texts, r.rate(course.id) or 0.0))
            for r in ranked]
    return bar_chart(
        bars, chart_id="rates-chart", described_by="rates-table",
        title=_("Share of staff who completed “%(course)s”, by municipality",
                course=course.title),
        description=_("Horizontal bars from 0 to 100 percent, one per municipality with "
                      "staff on record, the highest share first. The same figures are in "
                      "the table below."),
        axis_labels=(texts[0], texts[50], texts[100]),
    )


def _chart_summary(course: CourseChoice, ranked: list[national.MunicipalityRates],
                   total: national.MunicipalityRates, texts: tuple[str, ...]) -> str:
    """The chart in one sentence, for those who do not see it."""
    rate = total.rate(course.id)
    if not ranked or rate is None:
        return ""
    best, worst = ranked[0], ranked[-1]
    return _("Nationally %(rate)s of staff completed the course. Highest: %(best)s, "
             "%(best_rate)s; lowest: %(worst)s, %(worst_rate)s.",
             rate=_percent(texts, rate), best=best.name,
             best_rate=_percent(texts, best.rate(course.id) or 0.0), worst=worst.name,
             worst_rate=_percent(texts, worst.rate(course.id) or 0.0))


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
    texts = percent_texts(lang)
    monthly = national.monthly_rows(found.snapshot.data, found.courses)
    total = national.national_total(found.rows)
    ranked = _ranked(found.course, found.rows) if found.course else []
    return OverviewPage(
        found.courses, found.course, found.q, found.snapshot, found.rows,
        table=_table(found.rows, found.courses, texts),
        total=_table([total], found.courses, texts)[0],
        monthly=monthly,
        chart=_rates_chart(found.course, ranked, texts) if found.course else None,
        chart_summary=(_chart_summary(found.course, ranked, total, texts)
                       if found.course else ""),
        month_chart=_months_chart(monthly),
    )


def overview_table(args: Mapping[str, str], lang: str,
                   now: datetime) -> tuple[str, list[str], list[list]]:
    """The CSV download: its file name, header and lines (percentages as whole numbers)."""
    found = overview(args, lang, now)
    header = [_("Code"), _("Municipality"), _("Staff on record"), _("Signed up")]
    for c in found.courses:
        header += [_("%(course)s: completed", course=c.title),
                   _("%(course)s: percent completed", course=c.title)]
    lines = []
    total = national.national_total(found.rows)
    for r in [*found.rows, total]:
        line: list = [r.code, r.name or _("Whole country"), r.learners, r.registered]
        for c in found.courses:
            rate = r.rate(c.id)
            line += [r.completed.get(c.id, 0), None if rate is None else round(rate * 100)]
        lines.append(line)
    name = f"national-overview-{found.snapshot.computed_at.date().isoformat()}.csv"
    return name, header, lines
