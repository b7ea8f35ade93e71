"""Completion certificates as PDF: a pure function of a `CertificateDocument`.

No Flask and no database here: the caller gathers the facts, this package lays
them out on one A4 landscape page with fpdf2 and returns the bytes. The same
document always gives the same bytes (for a given fpdf2 version), because the
PDF creation date is the issue date rather than the clock.

- `document`: the facts printed and their formats (dates, hours)
- `wording`: the fixed wording, from the gettext catalogues
- `fonts`: the shipped font, characters it lacks, fitting text into a width
- `qr`: the QR code of the verification address
- `layout`: the page
"""

from elearn.certificates.pdf.document import CertificateDocument, format_date, format_hours
from elearn.certificates.pdf.fonts import fold_to_font
from elearn.certificates.pdf.layout import render_certificate_pdf
from elearn.certificates.pdf.qr import QR_QUIET_MODULES, qr_matrix

__all__ = ["QR_QUIET_MODULES", "CertificateDocument", "fold_to_font", "format_date",
           "format_hours", "qr_matrix", "render_certificate_pdf"]
