"""Completion certificates as PDF: a pure function of a `CertificateDocument`.

No Flask and no database here: the caller gathers the facts, this module lays
them out on one A4 landscape page with fpdf2 and returns the bytes. The same
document always gives the same bytes (for a given fpdf2 version), because the
PDF creation date is the issue date rather than the clock.

Text is printed with DejaVu Sans, shipped (subset to the Latin blocks) in
``fonts/`` so that rendering never depends on the machine's fonts. Characters
the font lacks are folded to their base letters or printed as "?" (see
`fold_to_font`), so any name renders without an exception or a broken glyph.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, partial
from pathlib import Path

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.drawing import PaintedPath

__all__ = ["CertificateDocument", "fold_to_font", "qr_matrix", "render_certificate_pdf"]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
_FAMILY = "DejaVuSans"

LANGUAGES = ("lt", "en")


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate; see the module docstring."""

    full_name: str
    course_title: str
    hours: float  # 2 or 2.5: printed "2" / "2,5" in lt and "2" / "2.5" in en
    issued_on: date
    expires_on: date | None  # None: the certificate does not expire
    serial: str  # e.g. "LT-2026-000123"
    verify_url: str  # printed in full and encoded as the QR code
    municipality: str  # e.g. "Vilniaus miesto savivaldybė"
    lang: str  # "lt" or "en": all fixed wording in that language
    issuer: str = "elearn"  # platform/issuer name line (configurable by the app)

    def __post_init__(self) -> None:
        # Programming errors, not user input: fail loudly rather than print nonsense.
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, not {self.lang!r}")
        if not math.isfinite(self.hours) or self.hours < 0:
            raise ValueError(f"hours must be a finite number >= 0, not {self.hours!r}")
        if not self.verify_url:
            raise ValueError("verify_url is required: it is what the QR code encodes")


# All fixed wording. Lithuanian dates are ISO 8601 (LST ISO 8601 is the national
# standard); English ones are "23 November 2026", built by hand so that no
# process locale can change them.
_WORDING: dict[str, dict[str, str]] = {
    "lt": {
        "title": "Pažymėjimas",
        "heading": "Pažymėjimas",
        "certifies": "Šiuo patvirtinama, kad",
        "completed": "baigė mokymų kursą",
        "hours": "Mokymų trukmė:",
        "hours_value": "{hours} val.",
        "issued": "Išdavimo data:",
        "validity": "Galiojimas:",
        "valid_until": "iki {date}",
        "no_expiry": "neterminuotas",
        "municipality": "Savivaldybė:",
        "serial": "Pažymėjimo Nr.:",
        "check": "Pažymėjimo galiojimą galima patikrinti adresu:",
    },
    "en": {
        "title": "Certificate",
        "heading": "Certificate of completion",
        "certifies": "This certifies that",
        "completed": "has completed the course",
        "hours": "Training hours:",
        "hours_value": "{hours}",
        "issued": "Date of issue:",
        "validity": "Validity:",
        "valid_until": "until {date}",
        "no_expiry": "does not expire",
        "municipality": "Municipality:",
        "serial": "Certificate No.:",
        "check": "Check this certificate at:",
    },
}

_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date, lang: str) -> str:
    """`2026-11-23` in Lithuanian, `23 November 2026` in English."""
    if lang == "lt":
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def format_hours(hours: float, lang: str) -> str:
    """2 -> "2"; 2.5 -> "2,5" (lt) or "2.5" (en); at most two decimals."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "lt" else text


# --- font coverage and metrics --------------------------------------------------


@dataclass(frozen=True)
class _Metrics:
    """Advance widths of one font file, in em, by code point."""

    widths: dict[int, float]
    missing: float  # width of .notdef, for completeness

    def width(self, text: str, size_pt: float) -> float:
        """Width of `text` in mm at `size_pt`, as fpdf2 lays it out (no kerning)."""
        em = sum(self.widths.get(ord(ch), self.missing) for ch in text)
        return em * size_pt * 25.4 / 72


@cache
def _metrics(style: str) -> _Metrics:
    # Parsed once per process: only immutable numbers are kept. fpdf2 itself
    # re-parses the file for every FPDF, and must, since it subsets its TTFont
    # object in place when the PDF is written, so that object can't be shared.
    with TTFont(_FONT_FILES[style], lazy=True) as font:
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        widths = {cp: hmtx[glyph][0] / upem for cp, glyph in font.getBestCmap().items()}
        return _Metrics(widths=widths, missing=hmtx[".notdef"][0] / upem)


@cache
def _charset() -> frozenset[int]:
    """Code points that both the regular and the bold font can draw."""
    return frozenset(_metrics("").widths) & frozenset(_metrics("B").widths)


def fold_to_font(text: str) -> str:
    """Make `text` printable with the shipped font, never failing.

    - NFC first, so a decomposed "ė" (e + U+0307) becomes the precomposed letter
      the font has; letters the font has (ą, ķ, ß, ...) are kept as they are.
    - A character the font lacks is NFKD-decomposed and its combining marks
      dropped: "ǹ" stays (Latin Extended-B), "ṅ" -> "n", "ﬁ" -> "fi", "Ａ" -> "A".
    - What still can't be drawn (CJK, emoji, Cyrillic, Greek, ...) becomes "?",
      one per character, so the reader sees that something was there.
    - Invisible format characters (zero-width joiners, bidi marks, variation
      selectors, stray combining marks) are dropped; line breaks, tabs and
      other spaces become one plain space, and the result is stripped.
    """
    charset = _charset()
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category in ("Cc", "Zs", "Zl", "Zp"):
            out.append(" ")
        elif category in ("Cf", "Mn", "Me"):
            continue
        elif ord(ch) in charset:
            out.append(ch)
        else:
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if folded and all(ord(c) in charset for c in folded):
                out.append(folded)
            else:
                out.append("?")
    return " ".join("".join(out).split())


# --- line fitting ---------------------------------------------------------------

_ELLIPSIS = "…"
_MAX_CHARS = 1000


def _wrap(text: str, max_w: float, width: Callable[[str], float]) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= max_w:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # only reached for a word that doesn't fit on a line of its own
            if line and width(line + ch) > max_w:
                lines.append(line)
                line = ""
            line += ch
    if line or not lines:
        lines.append(line)
    return lines


def _truncate(text: str, max_w: float, width: Callable[[str], float]) -> str:
    """`text` as it is if it fits `max_w`, else cut to fit with an ellipsis."""
    return text if width(text) <= max_w else _with_ellipsis(text, max_w, width)


def _with_ellipsis(text: str, max_w: float, width: Callable[[str], float]) -> str:
    while text and width(text.rstrip() + _ELLIPSIS) > max_w:
        text = text[:-1]
    return text.rstrip() + _ELLIPSIS


def _fit(
    text: str,
    style: str,
    max_w: float,
    max_pt: float,
    min_pt: float,
    max_lines: int = 1,
) -> tuple[float, list[str]]:
    """Largest font size (max_pt down to min_pt) at which `text` fits `max_w`.

    Shrinking keeps the text on one line down to 3/4 of max_pt; below that it may
    wrap to `max_lines`. If it doesn't fit even at min_pt, the last line is cut
    with an ellipsis: the text never runs off the page.
    """
    # Far more than fits on the page even in the narrowest letters, so that a
    # pathological input can't make the wrapping below slow.
    text = text[:_MAX_CHARS]
    metrics = _metrics(style)
    size = max_pt
    while True:
        width = partial(_width_at, metrics, size)
        lines = _wrap(text, max_w, width)
        if len(lines) <= (1 if size > 0.75 * max_pt else max_lines):
            return size, lines
        if size <= min_pt:
            lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
            lines[-1] = _truncate(lines[-1], max_w, width)
            return size, lines
        size = max(min_pt, size - 1)


def _width_at(metrics: _Metrics, size_pt: float, text: str) -> float:
    return metrics.width(text, size_pt)


# --- QR code --------------------------------------------------------------------

QrMatrix = tuple[tuple[bool, ...], ...]
QR_QUIET_MODULES = 4  # the quiet zone the QR standard asks for, in modules


def qr_matrix(url: str) -> QrMatrix:
    """The QR symbol for `url` (without quiet zone): rows of dark (True) modules.

    Error correction M (15 %) survives a crease or a stain on paper; segno raises
    it further when that fits in the same symbol size.
    """
    qr = segno.make(url, error="m", micro=False)
    return tuple(tuple(bool(m) for m in row) for row in qr.matrix)


def _draw_qr(pdf: FPDF, matrix: QrMatrix, x: float, y: float, size: float) -> None:
    """Draw the symbol as vector squares, `size` mm wide, top-left at (x, y).

    Dark modules are merged into horizontal runs and filled as a single path,
    so viewers don't show hairline seams between neighbouring squares.
    """
    module = size / len(matrix)
    path = PaintedPath()
    path.style.fill_color = "#000000"
    path.style.stroke_color = None
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rectangle(x + start * module, y + r * module, (c - start) * module, module)
    # copy=False: the path is ours alone, and fpdf2's defensive deep copy of a few
    # hundred rectangles would cost more than the rest of the page.
    pdf.draw_path(path, copy=False)


# --- page layout ----------------------------------------------------------------

# A4 landscape, in mm.
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 24.0  # text keeps this far from the paper's edge
FRAME_OUTER, FRAME_INNER = 10.0, 12.0  # the two thin grey rules of the border
TEXT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 34.0  # the symbol itself; the quiet zone is added around it
QR_COL_W = 66.0  # bottom-right column: QR code, "check at" line, URL
DETAILS_TOP = 131.0  # the details rows start here; name and course stay above
CONTENT_BOTTOM = PAGE_H - 18.0
LINE = 1.3  # line height as a multiple of the font size

_PT = 25.4 / 72  # mm per point

_BLACK, _DARK_GREY, _RULE_GREY = 0, 70, 150


def _line_h(size_pt: float) -> float:
    return size_pt * _PT * LINE


def _text(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    size: float,
    text: str,
    style: str = "",
    align: str = "C",
    grey: int = _BLACK,
) -> float:
    """One line of text in a box of width `w` at (x, y); returns the y below it."""
    pdf.set_font(_FAMILY, style, size)
    pdf.set_text_color(grey)
    h = _line_h(size)
    pdf.set_xy(x, y)
    # markdown stays off (fpdf2's default, spelled out): "**" or "<b>" in a name
    # is printed as the characters it is.
    pdf.cell(w, h, text, align=align, markdown=False)
    return y + h


def _block(
    pdf: FPDF, y: float, text: str, style: str, max_pt: float, min_pt: float, max_lines: int
) -> float:
    """Centred, shrink-to-fit text across the page; returns the y below it."""
    size, lines = _fit(text, style, TEXT_W, max_pt, min_pt, max_lines)
    for line in lines:
        y = _text(pdf, MARGIN, y, TEXT_W, size, line, style)
    return y


def _block_height(text: str, style: str, max_pt: float, min_pt: float, max_lines: int) -> float:
    size, lines = _fit(text, style, TEXT_W, max_pt, min_pt, max_lines)
    return len(lines) * _line_h(size)


def _new_pdf(doc: CertificateDocument, words: dict[str, str]) -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0  # our widths are exact; no padding inside cells
    for style, path in _FONT_FILES.items():
        pdf.add_font(_FAMILY, style, path)
    issuer = fold_to_font(doc.issuer) or "elearn"
    pdf.set_title(f"{words['title']} {fold_to_font(doc.serial)}")
    pdf.set_subject(fold_to_font(doc.course_title))
    pdf.set_author(issuer)
    pdf.set_creator(issuer)
    pdf.set_lang(doc.lang)
    # The issue date, not the clock, so that the output is reproducible.
    pdf.set_creation_date(
        datetime(doc.issued_on.year, doc.issued_on.month, doc.issued_on.day, tzinfo=UTC)
    )
    return pdf


def render_certificate_pdf(doc: CertificateDocument) -> bytes:
    """Render `doc` as a one-page A4 landscape PDF and return its bytes."""
    words = _WORDING[doc.lang]
    pdf = _new_pdf(doc, words)
    pdf.add_page()

    # Border: two thin grey rules, readable in black and white.
    pdf.set_draw_color(_RULE_GREY)
    pdf.set_line_width(0.5)
    pdf.rect(FRAME_OUTER, FRAME_OUTER, PAGE_W - 2 * FRAME_OUTER, PAGE_H - 2 * FRAME_OUTER)
    pdf.set_line_width(0.2)
    pdf.rect(FRAME_INNER, FRAME_INNER, PAGE_W - 2 * FRAME_INNER, PAGE_H - 2 * FRAME_INNER)

    # Issuer line and heading.
    issuer = fold_to_font(doc.issuer)
    size, lines = _fit(issuer, "", TEXT_W, 12, 7)
    y = _text(pdf, MARGIN, 22, TEXT_W, size, lines[0], grey=_DARK_GREY)
    y = _text(pdf, MARGIN, y + 3, TEXT_W, 30, words["heading"], "B")
    rule_y = y + 3
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - 25, rule_y, PAGE_W / 2 + 25, rule_y)

    # Name and course, centred vertically between the rule and the details.
    name, title = fold_to_font(doc.full_name), fold_to_font(doc.course_title)
    name_fit = (name, "B", 28, 14, 2)
    title_fit = (title, "B", 18, 10, 2)
    gap = 3.0
    body_h = 2 * _line_h(13) + _block_height(*name_fit) + _block_height(*title_fit) + 3 * gap
    y = rule_y + max(4.0, (DETAILS_TOP - 4 - rule_y - body_h) / 2)
    y = _text(pdf, MARGIN, y, TEXT_W, 13, words["certifies"]) + gap
    y = _block(pdf, y, *name_fit) + gap
    y = _text(pdf, MARGIN, y, TEXT_W, 13, words["completed"]) + gap
    _block(pdf, y, *title_fit)

    # Details: label / value rows, bottom left, clear of the QR column.
    if doc.expires_on is None:
        validity = words["no_expiry"]
    else:
        validity = words["valid_until"].format(date=format_date(doc.expires_on, doc.lang))
    rows = [
        (words["hours"], words["hours_value"].format(hours=format_hours(doc.hours, doc.lang))),
        (words["issued"], format_date(doc.issued_on, doc.lang)),
        (words["validity"], validity),
        (words["municipality"], fold_to_font(doc.municipality)),
        (words["serial"], fold_to_font(doc.serial)),
    ]
    label_pt = value_pt = 11.0
    label_w = max(_metrics("").width(label, label_pt) for label, _ in rows) + 4
    value_w = PAGE_W - MARGIN - QR_COL_W - 8 - MARGIN - label_w
    y = DETAILS_TOP
    for label, value in rows:
        _text(pdf, MARGIN, y, label_w, label_pt, label, align="L", grey=_DARK_GREY)
        size, lines = _fit(value, "B", value_w, value_pt, 7)
        _text(pdf, MARGIN + label_w, y, value_w, size, lines[0], "B", align="L")
        y += _line_h(label_pt) + 2.2

    _draw_verification(pdf, doc.verify_url, words["check"])
    return bytes(pdf.output())


def _draw_verification(pdf: FPDF, url: str, check: str) -> None:
    """Bottom-right column: the QR code, then the "check at" line and the URL.

    Laid out from the bottom up, so the code sits as low as the text under it
    allows, never higher than the details block, and with nothing drawn in its
    quiet zone.
    """
    col_x = PAGE_W - MARGIN - QR_COL_W
    matrix = qr_matrix(url)
    quiet = QR_QUIET_MODULES * QR_SIZE / len(matrix)
    highest_qr_y = DETAILS_TOP + quiet

    check_pt, check_lines = _fit(check, "", QR_COL_W, 8, 6.5, max_lines=2)
    check_h = len(check_lines) * _line_h(check_pt)
    room = CONTENT_BOTTOM - (highest_qr_y + QR_SIZE + quiet) - check_h
    url_pt, url_lines = _url_lines(fold_to_font(url), room)

    text_h = check_h + len(url_lines) * _line_h(url_pt)
    qr_y = max(highest_qr_y, CONTENT_BOTTOM - text_h - quiet - QR_SIZE)
    _draw_qr(pdf, matrix, col_x + (QR_COL_W - QR_SIZE) / 2, qr_y, QR_SIZE)

    y = qr_y + QR_SIZE + quiet
    for line in check_lines:
        y = _text(pdf, col_x, y, QR_COL_W, check_pt, line, grey=_DARK_GREY)
    for line in url_lines:
        y = _text(pdf, col_x, y, QR_COL_W, url_pt, line)


def _url_lines(url: str, room: float) -> tuple[float, list[str]]:
    """Font size and lines for the printed URL, at most `room` mm high.

    One line if it fits at 6 pt or more; otherwise wrapped at 6.5 pt, and
    smaller down to 5 pt past three lines. The URL is printed in full unless
    it is absurdly long (a few hundred characters): then the last line that
    fits ends in an ellipsis, and only the QR code carries all of it.
    """
    for size in (7.5, 7.0, 6.5, 6.0):
        lines = _wrap_chars(url, QR_COL_W, size)
        if len(lines) == 1:
            return size, lines
    for size in (6.5, 6.0, 5.5, 5.0):
        lines = _wrap_chars(url, QR_COL_W, size)
        if len(lines) <= 3:
            return size, lines
    size = 5.0
    fits = max(1, int(room // _line_h(size)))
    if len(lines) > fits:
        last = _with_ellipsis(lines[fits - 1], QR_COL_W, _wrap_width(size))
        lines = [*lines[: fits - 1], last]
    return size, lines


def _wrap_width(size_pt: float) -> Callable[[str], float]:
    return partial(_width_at, _metrics(""), size_pt)


def _wrap_chars(text: str, max_w: float, size_pt: float) -> list[str]:
    """Break a URL into lines anywhere (it has no spaces to break at)."""
    metrics = _metrics("")
    lines = [""]
    line_w = 0.0
    for ch in text[:_MAX_CHARS]:
        ch_w = metrics.width(ch, size_pt)
        if lines[-1] and line_w + ch_w > max_w:
            lines.append("")
            line_w = 0.0
        lines[-1] += ch
        line_w += ch_w
    return lines
