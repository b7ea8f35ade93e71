"""The QR code: the verification address as vector squares on the page."""

from __future__ import annotations

import segno
from fpdf import FPDF
from fpdf.drawing import PaintedPath

QrMatrix = tuple[tuple[bool, ...], ...]
QR_QUIET_MODULES = 4  # the quiet zone the QR standard asks for, in modules


def qr_matrix(url: str) -> QrMatrix:
    """The QR symbol for `url` (without quiet zone): rows of dark (True) modules.

    Error correction M (15 %) survives a crease or a stain on paper; segno raises
    it further when that fits in the same symbol size.
    """
    qr = segno.make(url, error="m", micro=False)
    return tuple(tuple(bool(m) for m in row) for row in qr.matrix)


def draw_qr(pdf: FPDF, matrix: QrMatrix, x: float, y: float, size: float) -> None:
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
