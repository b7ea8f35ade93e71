"""course.yml: the course's languages, titles and rules."""

from dataclasses import dataclass

from yaml.nodes import Node, ScalarNode

from .fields import checked, is_country, is_language, required_text
from .problems import Report
from .rules import (
    COURSE_FIELDS,
    DEFAULT_ATTEMPTS,
    DEFAULT_PASS_MARK,
    REQUIRED_COURSE_FIELDS,
    SCALAR_COURSE_FIELDS,
)
from .yamlutil import (
    Fields,
    YamlError,
    check_fields,
    compose,
    line_of,
    mapping,
    scalar,
    sequence,
)


@dataclass(frozen=True, slots=True)
class CourseSettings:
    languages: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    hours: float
    pass_mark: int
    attempts: int
    certificate_valid_months: int | None
    published: bool
    order: int | None
    countries: tuple[str, ...] | None  # ISO 3166-1 codes; None: every country


def read_course_file(text: str, report: Report) -> tuple[CourseSettings | None, tuple[str, ...]]:
    """The settings (None if any problem) and the course's languages, as far as known."""
    problems_before = len(report.problems)
    try:
        root = compose(text)
    except YamlError as exc:
        report.add(exc.line, exc.message)
        return None, ()
    shape = "course.yml must hold 'field: value' lines (title, summary, hours, …)"
    fields = mapping(root, report, shape) if root is not None else {}
    if fields is None:
        return None, ()
    check_fields(fields, COURSE_FIELDS, report, required=REQUIRED_COURSE_FIELDS)
    title, _ = _per_language(fields, "title", report)
    languages = tuple(title)
    summary, summary_keys = _per_language(fields, "summary", report)
    if title and "summary" in fields:
        _same_languages(languages, summary_keys, fields["summary"][0], report)
    values = {name: checked(fields, name, report) for name in SCALAR_COURSE_FIELDS}
    countries = _countries(fields, report)
    if len(report.problems) > problems_before:
        return None, languages
    settings = CourseSettings(
        languages=languages,
        title=title,
        summary=summary,
        hours=float(values["hours"]),
        pass_mark=_default(values["pass_mark"], DEFAULT_PASS_MARK),
        attempts=_default(values["attempts"], DEFAULT_ATTEMPTS),
        certificate_valid_months=values["certificate_valid_months"],
        published=_default(values["published"], True),
        order=values["order"],
        countries=countries,
    )
    return settings, languages


def _countries(fields: Fields, report: Report) -> tuple[str, ...] | None:
    """The countries the course is for (None: every country), as ISO 3166-1 codes."""
    if "countries" not in fields:
        return None
    node = fields["countries"][1]
    shape = "countries must list ISO 3166-1 country codes, such as [LT] or [LT, LV]"
    entries = sequence(node)
    if entries is None:
        if scalar(node) is None:
            return None  # "countries:" with nothing after it: every country, like leaving it out
        report.add(line_of(node), shape)
        return None
    if not entries:
        report.add(line_of(node), "countries is empty: list one or more countries, "
                                  "or leave the field out for a course for every country")
        return None
    codes: list[str] = []
    for entry in entries:
        # The code as written: YAML would read NO (Norway) as false and ON as true.
        code = entry.value if isinstance(entry, ScalarNode) else None
        if not isinstance(code, str) or not is_country(code.upper()):
            shown = f"'{code}'" if isinstance(code, str) else "a list or mapping"
            report.add(line_of(entry), f"countries: {shown} is not a two-letter ISO 3166-1 "
                                       "country code such as LT or LV")
        elif code != code.upper():
            report.add(line_of(entry), f"countries: write country codes in capitals: "
                                       f"{code.upper()}, not {code}")
        elif code in codes:
            report.add(line_of(entry), f"countries: {code} is listed twice: keep one")
        else:
            codes.append(code)
    return tuple(codes)


def _default(value: object, default: object) -> object:
    return default if value is None else value


def _per_language(
    fields: Fields, name: str, report: Report
) -> tuple[dict[str, str], dict[str, Node]]:
    """A {language: text} field such as title: its valid texts, and every key's node."""
    if name not in fields:
        return {}, {}
    node = fields[name][1]
    shape = f"{name} must give the text per language, on lines such as 'lt: …' and 'en: …'"
    entries = mapping(node, report, shape, prefix=f"{name}: ")
    if entries is None:
        return {}, {}
    if not entries:
        report.add(line_of(node), shape)
    texts: dict[str, str] = {}
    for code, (key, _) in entries.items():
        if not is_language(code):
            report.add(
                line_of(key),
                f"'{code}' is not a two-letter ISO 639-1 language code such as lt or en",
            )
            continue
        value = required_text(entries, code, report, f"the {name} in '{code}'")
        if value is not None:
            texts[code] = value.strip()
    return texts, {code: key for code, (key, _) in entries.items()}


def _same_languages(
    languages: tuple[str, ...], summary_keys: dict[str, Node], summary_key: Node, report: Report
) -> None:
    if not summary_keys:
        return  # already reported as badly shaped
    for code in languages:
        if code not in summary_keys:
            report.add(
                line_of(summary_key),
                f"summary has no '{code}' text: give summary the same languages as title",
            )
    for code, key in summary_keys.items():
        if code not in languages and is_language(code):
            report.add(
                line_of(key),
                f"summary has a '{code}' text but title has none: use the same languages",
            )
