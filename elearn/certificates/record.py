"""A learner's training record as a printable PDF for her HR file: every certificate she
holds (valid or expired; revoked ones are no record of training) with its hours and
dates, in Lithuanian or English, on A4 pages with the shipped font."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from elearn.certificates.models import Certificate
from elearn.certificates.pdf import fold_to_font, format_date, format_hours
from elearn.certificates.pdf.fonts import FAMILY, FONT_FILES


def record_pdf(full_name: str, municipality: str, certificates: list[Certificate],
               lang: str, today: date) -> bytes:
    """The PDF's bytes; certificates as certificates_of gives them (newest first)."""
    shown = [c for c in certificates if c.revoked_at is None]
    with force_locale(lang):
        words = {
            "title": _("Training record"),
            "course": _("Course"), "issued": _("Issued on"), "valid": _("Valid until"),
            "hours": _("Hours"), "serial": _("Certificate number"), "state": _("State"),
            "valid_state": _("Valid"), "expired": _("Expired"), "no_expiry": _("Does not expire"),
            "none": _("No certificates yet."),
            "printed": _("Printed on %(date)s. Each certificate can be checked with its "
                         "number or QR code at the address printed on it.",
                         date=format_date(today, lang)),
            "total": _("Training time of the valid certificates: %(hours)s h",
                       hours=format_hours(sum(c.hours for c in shown
                                              if c.state(today) == "valid"), lang)),
        }
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, path)
    pdf.set_title(f"{words['title']}: {fold_to_font(full_name)}")
    pdf.set_lang(lang)
    # The printing day, not the clock, so that the same record prints the same bytes.
    pdf.set_creation_date(datetime(today.year, today.month, today.day, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, words["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 12)
    pdf.cell(0, 7, fold_to_font(full_name), new_x="LMARGIN", new_y="NEXT")
    if municipality:
        pdf.cell(0, 7, fold_to_font(municipality), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not shown:
        pdf.multi_cell(0, 7, words["none"], new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font(FAMILY, "", 9)
        with pdf.table(col_widths=(62, 22, 24, 14, 30, 28), line_height=5.5,
                       headings_style=FontFace(emphasis="BOLD")) as table:
            table.row([words["course"], words["issued"], words["valid"], words["hours"],
                       words["serial"], words["state"]])
            for c in shown:
                table.row([
                    fold_to_font(c.course_title), format_date(c.issued_on, lang),
                    format_date(c.expires_on, lang) if c.expires_on else words["no_expiry"],
                    format_hours(c.hours, lang), fold_to_font(c.serial or ""),
                    words["valid_state"] if c.state(today) == "valid" else words["expired"],
                ])
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(0, 6, words["total"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, 5, words["printed"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
