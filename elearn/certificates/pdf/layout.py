"""The page: one A4 landscape certificate, laid out in mm."""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from elearn.certificates.pdf.document import (
    CertificateDocument,
    format_date,
    format_hours,
)
from elearn.certificates.pdf.fonts import (
    FAMILY,
    FONT_FILES,
    fit,
    fold_to_font,
    metrics,
    width_function,
    with_ellipsis,
)
from elearn.certificates.pdf.qr import QR_QUIET_MODULES, draw_qr, qr_matrix
from elearn.certificates.pdf.wording import Wording

# A4 landscape, in mm.
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 24.0  # text keeps this far from the paper's edge
FRAME_OUTER, FRAME_INNER = 10.0, 12.0  # the two thin grey rules of the border
TEXT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 34.0  # the symbol itself; the quiet zone is added around it
QR_COL_W = 66.0  # bottom-right column: QR code, verification code, "check at", address
URL_MAX_W = 130.0  # the address may reach left of the column to stay on one line
DETAILS_TOP = 131.0  # the details rows start here; name and course stay above
CONTENT_BOTTOM = PAGE_H - 18.0
LINE = 1.3  # line height as a multiple of the font size
CODE_PT = 15.0  # the verification code: large enough to read and type from paper

_PT = 25.4 / 72  # mm per point

_BLACK, _DARK_GREY, _RULE_GREY = 0, 70, 150
_RED = (176, 0, 32)  # 7:1 on white: the state mark reads in black and white too
_PALE_RED = (244, 196, 202)


def line_h(size_pt: float) -> float:
    return size_pt * _PT * LINE


def _text(pdf: FPDF, x: float, y: float, w: float, size: float, text: str, style: str = "",
          align: str = "C", color: int | tuple[int, int, int] = _BLACK) -> float:
    """One line of text in a box of width `w` at (x, y); returns the y below it."""
    pdf.set_font(FAMILY, style, size)
    if isinstance(color, tuple):
        pdf.set_text_color(*color)
    else:
        pdf.set_text_color(color)
    h = line_h(size)
    pdf.set_xy(x, y)
    # markdown stays off (fpdf2's default, spelled out): "**" or "<b>" in a name
    # is printed as the characters it is.
    pdf.cell(w, h, text, align=align, markdown=False)
    return y + h


def _block(pdf: FPDF, y: float, text: str, style: str, max_pt: float, min_pt: float,
           max_lines: int, color: int | tuple[int, int, int] = _BLACK) -> float:
    """Centred, shrink-to-fit text across the page; returns the y below it."""
    size, lines = fit(text, style, TEXT_W, max_pt, min_pt, max_lines)
    for line in lines:
        y = _text(pdf, MARGIN, y, TEXT_W, size, line, style, color=color)
    return y


def _block_height(text: str, style: str, max_pt: float, min_pt: float, max_lines: int) -> float:
    size, lines = fit(text, style, TEXT_W, max_pt, min_pt, max_lines)
    return len(lines) * line_h(size)


def _new_pdf(doc: CertificateDocument, words: Wording) -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0  # our widths are exact; no padding inside cells
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, path)
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
    words = Wording(doc.lang)
    pdf = _new_pdf(doc, words)
    pdf.add_page()

    # Border: two thin grey rules, readable in black and white.
    pdf.set_draw_color(_RULE_GREY)
    pdf.set_line_width(0.5)
    pdf.rect(FRAME_OUTER, FRAME_OUTER, PAGE_W - 2 * FRAME_OUTER, PAGE_H - 2 * FRAME_OUTER)
    pdf.set_line_width(0.2)
    pdf.rect(FRAME_INNER, FRAME_INNER, PAGE_W - 2 * FRAME_INNER, PAGE_H - 2 * FRAME_INNER)

    top = 22.0
    if doc.state != "valid":
        top = _draw_state(pdf, doc, words)

    # Issuer line and heading.
    issuer = fold_to_font(doc.issuer)
    size, lines = fit(issuer, "", TEXT_W, 12, 7)
    y = _text(pdf, MARGIN, top, TEXT_W, size, lines[0], color=_DARK_GREY)
    y = _text(pdf, MARGIN, y + 3, TEXT_W, 30, words["heading"], "B")
    rule_y = y + 3
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - 25, rule_y, PAGE_W / 2 + 25, rule_y)

    # Name and course, centred vertically between the rule and the details.
    name, title = fold_to_font(doc.full_name), fold_to_font(doc.course_title)
    name_fit = (name, "B", 28, 14, 2)
    title_fit = (title, "B", 18, 10, 2)
    gap = 3.0
    body_h = 2 * line_h(13) + _block_height(*name_fit) + _block_height(*title_fit) + 3 * gap
    y = rule_y + max(4.0, (DETAILS_TOP - 4 - rule_y - body_h) / 2)
    y = _text(pdf, MARGIN, y, TEXT_W, 13, words["certifies"]) + gap
    y = _block(pdf, y, *name_fit) + gap
    y = _text(pdf, MARGIN, y, TEXT_W, 13, words["completed"]) + gap
    _block(pdf, y, *title_fit)

    _draw_details(pdf, doc, words)
    if doc.signatory_name or doc.signatory_title:
        _draw_signatory(pdf, doc)
    _draw_verification(pdf, doc, words)
    return bytes(pdf.output())


def _draw_state(pdf: FPDF, doc: CertificateDocument, words: Wording) -> float:
    """"REVOKED / PANAIKINTAS" (or EXPIRED), the date and the reason at the top, and
    the same word across the page; returns where the header starts below it."""
    # In the certificate's language and a second one: English, or for an English
    # certificate the country's own.
    other = "en" if doc.lang != "en" else doc.country_lang
    key = "revoked" if doc.state == "revoked" else "expired"
    mark = f"{words[key]} / {Wording(other)[key]}"
    if doc.state == "revoked":
        when = format_date(doc.revoked_on or doc.issued_on, doc.lang)
        detail = words.format("revoked_since", date=when,
                              reason=fold_to_font(doc.revoked_reason) or "–")
    else:
        when = format_date(doc.expires_on or doc.issued_on, doc.lang)
        detail = words.format("expired_since", date=when)

    # Across the page, pale, under everything drawn after it.
    size, lines = fit(mark, "B", 190, 54, 20)
    with pdf.rotation(angle=20, x=PAGE_W / 2, y=PAGE_H / 2 + 10):
        _text(pdf, MARGIN, PAGE_H / 2 + 10 - line_h(size) / 2, TEXT_W, size, lines[0], "B",
              color=_PALE_RED)
    y = _text(pdf, MARGIN, 13.5, TEXT_W, 11, mark, "B", color=_RED)
    return _block(pdf, y, detail, "", 8, 6, 2, color=_RED) + 1.5


def _draw_details(pdf: FPDF, doc: CertificateDocument, words: Wording) -> None:
    """Label / value rows, bottom left, clear of the QR column."""
    if doc.expires_on is None:
        validity = words["no_expiry"]
    else:
        validity = words.format("valid_until", date=format_date(doc.expires_on, doc.lang))
    rows = [
        (words["hours"], words.format("hours_value", hours=format_hours(doc.hours, doc.lang))),
        (words["issued"], format_date(doc.issued_on, doc.lang)),
        (words["validity"], validity),
        (words["municipality"], fold_to_font(doc.municipality)),
        (words["serial"], fold_to_font(doc.serial)),
    ]
    label_pt = value_pt = 11.0
    label_w = max(metrics("").width(label, label_pt) for label, _ in rows) + 4
    value_w = PAGE_W - MARGIN - QR_COL_W - 8 - MARGIN - label_w
    y = DETAILS_TOP
    for label, value in rows:
        _text(pdf, MARGIN, y, label_w, label_pt, label, align="L", color=_DARK_GREY)
        size, lines = fit(value, "B", value_w, value_pt, 7)
        _text(pdf, MARGIN + label_w, y, value_w, size, lines[0], "B", align="L")
        y += line_h(label_pt) + 2.2


def _draw_signatory(pdf: FPDF, doc: CertificateDocument) -> None:
    """A line to sign on, the name under it and the title under that, bottom left."""
    width = 80.0
    y = CONTENT_BOTTOM - line_h(10) - line_h(8.5) - 1.5
    pdf.set_draw_color(_DARK_GREY)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, y, MARGIN + width, y)
    size, lines = fit(fold_to_font(doc.signatory_name), "B", width, 10, 7)
    y = _text(pdf, MARGIN, y + 1.5, width, size, lines[0], "B", align="L")
    size, lines = fit(fold_to_font(doc.signatory_title), "", width, 8.5, 6)
    _text(pdf, MARGIN, y, width, size, lines[0], align="L", color=_DARK_GREY)


def _draw_verification(pdf: FPDF, doc: CertificateDocument, words: Wording) -> None:
    """Bottom-right column: the QR code, the verification code under it, then the
    "check at" line and the address on one line.

    Laid out from the bottom up, so the code sits as low as the text under it
    allows, never higher than the details block, and with nothing drawn in its
    quiet zone.
    """
    col_x = PAGE_W - MARGIN - QR_COL_W
    matrix = qr_matrix(doc.verify_url)
    quiet = QR_QUIET_MODULES * QR_SIZE / len(matrix)

    code = fold_to_font(doc.verification_code)
    label_pt, code_pt = 8.0, CODE_PT
    url_x, url_w, url_pt, url = _url_line(fold_to_font(doc.verify_url))
    check_pt, check_lines = fit(words["check"], "", url_w, 8, 6)
    code_h = (line_h(label_pt) + line_h(code_pt) + 1.0) if code else 0.0
    text_h = code_h + line_h(check_pt) + line_h(url_pt)
    qr_y = max(DETAILS_TOP + quiet, CONTENT_BOTTOM - text_h - quiet - QR_SIZE)
    draw_qr(pdf, matrix, col_x + (QR_COL_W - QR_SIZE) / 2, qr_y, QR_SIZE)

    y = qr_y + QR_SIZE + quiet
    if code:
        y = _text(pdf, col_x, y, QR_COL_W, label_pt, words["code"], color=_DARK_GREY)
        y = _text(pdf, col_x, y, QR_COL_W, code_pt, code, "B") + 1.0
    align = "C" if url_w == QR_COL_W else "R"
    y = _text(pdf, url_x, y, url_w, check_pt, check_lines[0], align=align, color=_DARK_GREY)
    _text(pdf, url_x, y, url_w, url_pt, url, align=align)


def _url_line(url: str) -> tuple[float, float, float, str]:
    """Where and how large the address is printed: x, width, size and the text.

    Always one line, so that it can be typed as printed: centred under the QR code
    at 6.5 pt or more when it fits the column, else right-aligned in a wider box,
    shrinking to 5 pt. Only an absurdly long address (a few hundred characters) is
    cut with an ellipsis, and then the QR code carries all of it.
    """
    for size in (8.0, 7.5, 7.0, 6.5):
        if width_function("", size)(url) <= QR_COL_W:
            return PAGE_W - MARGIN - QR_COL_W, QR_COL_W, size, url
    x = PAGE_W - MARGIN - URL_MAX_W
    for size in (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0):
        if width_function("", size)(url) <= URL_MAX_W:
            return x, URL_MAX_W, size, url
    # No line of 5 pt holds 300 characters: cut before measuring, so that it stays quick.
    return x, URL_MAX_W, 5.0, with_ellipsis(url[:300], URL_MAX_W, width_function("", 5.0))
