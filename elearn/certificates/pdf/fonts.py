"""The shipped font: its coverage, its widths, and fitting text into a width.

Text is printed with DejaVu Sans, shipped (subset to the Latin blocks) in
``certificates/fonts/`` so that rendering never depends on the machine's fonts.
Characters the font lacks are folded to their base letters or printed as "?"
(see `fold_to_font`), so any name renders without an exception or a broken glyph.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVuSans"


@dataclass(frozen=True)
class Metrics:
    """Advance widths of one font file, in em, by code point."""

    widths: dict[int, float]
    missing: float  # width of .notdef, for completeness

    def width(self, text: str, size_pt: float) -> float:
        """Width of `text` in mm at `size_pt`, as fpdf2 lays it out (no kerning)."""
        em = sum(self.widths.get(ord(ch), self.missing) for ch in text)
        return em * size_pt * 25.4 / 72


@cache
def metrics(style: str) -> Metrics:
    # Parsed once per process: only immutable numbers are kept. fpdf2 itself
    # re-parses the file for every FPDF, and must, since it subsets its TTFont
    # object in place when the PDF is written, so that object can't be shared.
    with TTFont(FONT_FILES[style], lazy=True) as font:
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        widths = {cp: hmtx[glyph][0] / upem for cp, glyph in font.getBestCmap().items()}
        return Metrics(widths=widths, missing=hmtx[".notdef"][0] / upem)


@cache
def _charset() -> frozenset[int]:
    """Code points that both the regular and the bold font can draw."""
    return frozenset(metrics("").widths) & frozenset(metrics("B").widths)


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


ELLIPSIS = "…"
MAX_CHARS = 1000


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
    return text if width(text) <= max_w else with_ellipsis(text, max_w, width)


def with_ellipsis(text: str, max_w: float, width: Callable[[str], float]) -> str:
    while text and width(text.rstrip() + ELLIPSIS) > max_w:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def fit(
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
    text = text[:MAX_CHARS]
    font = metrics(style)
    size = max_pt
    while True:
        width = partial(width_at, font, size)
        lines = _wrap(text, max_w, width)
        if len(lines) <= (1 if size > 0.75 * max_pt else max_lines):
            return size, lines
        if size <= min_pt:
            lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
            lines[-1] = _truncate(lines[-1], max_w, width)
            return size, lines
        size = max(min_pt, size - 1)


def width_at(font: Metrics, size_pt: float, text: str) -> float:
    return font.width(text, size_pt)




def width_function(style: str, size_pt: float) -> Callable[[str], float]:
    """Text -> its width in mm in the style at size_pt."""
    return partial(width_at, metrics(style), size_pt)
