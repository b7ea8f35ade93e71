"""The certificate PDF, read back the way a person or a checker would see it."""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import replace
from datetime import date

import pytest
import segno
from pypdf import PdfReader

from elearn.certificates.pdf import (
    QR_QUIET_MODULES,
    CertificateDocument,
    fold_to_font,
    format_hours,
    render_certificate_pdf,
)

URL = "https://elearn.example.lt/verify/3q2Xk9fLmP0aZ7tYw1"

LT = CertificateDocument(
    full_name="Žydrūnė Ąžuolaitė-Šarūnienė",
    course_title="Prekyba žmonėmis: atpažinimas ir pagalba",
    hours=2.5,
    issued_on=date(2026, 11, 23),
    expires_on=date(2028, 11, 23),
    serial="LT-2026-000123",
    verify_url=URL,
    municipality="Vilniaus miesto savivaldybė",
    lang="lt",
    verification_code="7KQM-3XHD-R9TW",
)
EN = replace(
    LT,
    lang="en",
    hours=2,
    expires_on=None,
    course_title="Human trafficking: recognising and helping victims",
)

LV = replace(
    LT,
    full_name="Līga Ozoliņa-Bērziņa",
    course_title="Cilvēku tirdzniecības upuru atpazīšana un nosūtīšana Latvijā",
    municipality="Rīga",
    serial="LV-2026-000042",
    lang="lv",
    country_lang="lv",
)

MM = 72 / 25.4  # points per mm


def read(doc: CertificateDocument) -> PdfReader:
    reader = PdfReader(io.BytesIO(render_certificate_pdf(doc)))
    assert len(reader.pages) == 1
    return reader


def text_of(doc: CertificateDocument) -> str:
    return read(doc).pages[0].extract_text()


def test_lithuanian_certificate_says_everything() -> None:
    text = text_of(LT)
    for expected in (
        "Pažymėjimas",
        "Žydrūnė Ąžuolaitė-Šarūnienė",
        "Prekyba žmonėmis: atpažinimas ir pagalba",
        "Mokymų trukmė: 2,5 val.",
        "Išdavimo data: 2026-11-23",
        "iki 2028-11-23",
        "Vilniaus miesto savivaldybė",
        "LT-2026-000123",
        "Pažymėjimo galiojimą galima patikrinti",
        URL,
    ):
        assert expected in text


def test_english_certificate_says_everything() -> None:
    text = text_of(EN)
    for expected in (
        "Certificate of completion",
        "This certifies that",
        "Žydrūnė Ąžuolaitė-Šarūnienė",
        "has completed the course",
        "Human trafficking: recognising and helping victims",
        "Training hours: 2",
        "Date of issue: 23 November 2026",
        "does not expire",
        "Check this certificate at",
        URL,
    ):
        assert expected in text
    assert "Pažymėjimas" not in text


def test_lithuanian_expiry_without_date() -> None:
    assert "neterminuotas" in text_of(replace(LT, expires_on=None))


@pytest.mark.parametrize(
    "name",
    [
        "Līga Ķēniņa",  # Latvian
        "Ģirts Ņikitins-Ļaudurgs, Ōzols Ŗ",
        "Łucja Źdźbło-Śmiałowska Żaneta Ńa",  # Polish
        "Õie Müür",  # Estonian
        "Jürgen Weiß-Größer Ärzte Öl",  # German
        "ĄČĘĖĮŠŲŪŽ ąčęėįšųūž ĀĒĢĪĶĻŅ āēģīķļņōŗ",
    ],
)
def test_names_with_diacritics_survive(name: str) -> None:
    assert name in text_of(replace(LT, full_name=name))


def test_decomposed_letters_are_composed() -> None:
    # "ė" typed as e + COMBINING DOT ABOVE, as some keyboards and macOS file names do.
    assert "Žydrūnė" in text_of(replace(LT, full_name="Z\u030cydru\u0304ne\u0307"))


def test_a4_landscape_one_page() -> None:
    page = read(LT).pages[0]
    assert math.isclose(float(page.mediabox.width), 842, abs_tol=1)
    assert math.isclose(float(page.mediabox.height), 595, abs_tol=1)


def test_font_is_embedded() -> None:
    fonts = read(LT).pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert "DejaVuSans" in font["/BaseFont"]
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor


def test_metadata() -> None:
    reader = read(LT)
    assert reader.metadata.title == "Pažymėjimas LT-2026-000123"
    assert reader.metadata.author == "elearn"
    assert reader.metadata.creator == "elearn"
    assert reader.metadata["/CreationDate"].startswith("D:20261123")
    assert reader.trailer["/Root"]["/Lang"] == "lt"

    en = read(replace(EN, issuer="Savivaldybių e. mokymai"))
    assert en.metadata.title == "Certificate LT-2026-000123"
    assert en.metadata.author == "Savivaldybių e. mokymai"
    assert en.trailer["/Root"]["/Lang"] == "en"


def test_same_document_same_bytes() -> None:
    assert render_certificate_pdf(LT) == render_certificate_pdf(LT)
    assert render_certificate_pdf(LT) != render_certificate_pdf(replace(LT, serial="LT-2026-9"))


def test_latvian_certificate_says_everything() -> None:
    """Every Latvian letter prints (ā č ē ģ ī ķ ļ ņ š ū ž), the wording is the lv
    catalogue's, the date is spelt the Latvian way and the hours have a decimal comma."""
    text = text_of(LV)
    for expected in (
        "Sertifikāts par kursa apguvi",
        "Ar šo apliecina, ka",
        "Līga Ozoliņa-Bērziņa",
        "Cilvēku tirdzniecības upuru atpazīšana un nosūtīšana Latvijā",
        "2,5",
        "2026. gada 23. novembris",
        "līdz 2028. gada 23. novembris",
        "Rīga",
        "LV-2026-000042",
        URL,
    ):
        assert expected in text, expected
    revoked = text_of(replace(LV, state="revoked", revoked_on=date(2027, 1, 5),
                              revoked_reason="kļūda"))
    assert "ANULĒTS / REVOKED" in revoked
    english = text_of(replace(LV, lang="en", state="revoked", revoked_on=date(2027, 1, 5)))
    assert "REVOKED / ANULĒTS" in english


@pytest.mark.parametrize(
    ("hours", "lang", "printed"),
    [
        (2, "lt", "2"),
        (2.5, "lv", "2,5"),
        (2.5, "lt", "2,5"),
        (2.5, "en", "2.5"),
        (1.25, "lt", "1,25"),
        (3.0, "en", "3"),
    ],
)
def test_hours_format(hours: float, lang: str, printed: str) -> None:
    assert format_hours(hours, lang) == printed


def test_programming_errors_are_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        replace(LT, lang="de")
    with pytest.raises(ValueError, match="hours"):
        replace(LT, hours=float("nan"))
    with pytest.raises(ValueError, match="verify_url"):
        replace(LT, verify_url="")


# --- text the font can't draw ----------------------------------------------------


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("Ąžuolaitė", "Ąžuolaitė"),  # the font has these: kept
        ("Ǆ ǹ", "Ǆ ǹ"),  # Latin Extended-B: kept
        ("Ṅ ẞ", "N ?"),  # not in the font: stripped of marks, or "?"
        ("ﬁ Ａ", "fi A"),  # compatibility forms fold to plain letters
        ("王小明", "???"),  # CJK: one "?" per character
        ("Ana 😀", "Ana ?"),
        ("👩\u200d💻", "??"),  # zero-width joiner dropped, each emoji a "?"
        ("Анна", "????"),  # Cyrillic is outside the subset font
        ("a\tb\n\nc\u2028d  e", "a b c d e"),  # control characters and line breaks: spaces
        ("x\u200by\u00adz\u202e", "xyz"),  # invisible format characters dropped
        ("\ud800 lone surrogate", "? lone surrogate"),
        ("", ""),
    ],
)
def test_fold_to_font(given: str, printed: str) -> None:
    assert fold_to_font(given) == printed


def test_unprintable_name_gives_a_valid_pdf(caplog: pytest.LogCaptureFixture) -> None:
    doc = replace(LT, full_name="王小明 😀 Ģirts", course_title="Курс 課程")
    with caplog.at_level(logging.WARNING):
        text = text_of(doc)
    assert "??? ? Ģirts" in text
    assert "???? ??" in text
    # fpdf2 logs "missing glyphs" when asked to draw what the font lacks: we never ask.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_markup_is_printed_literally() -> None:
    name = "<script>alert(1)</script> & \"quotes\" 'single' **bold** __u__ &amp; <b>x</b>"
    text = text_of(replace(LT, full_name=name, course_title="--strike-- ~~x~~ <i>y</i>"))
    assert name in " ".join(text.split())  # the name is long enough to wrap
    assert "--strike-- ~~x~~ <i>y</i>" in text


def test_empty_and_blank_names_render() -> None:
    for name in ("", "   ", "\n"):
        assert "LT-2026-000123" in text_of(replace(LT, full_name=name))


@pytest.mark.parametrize(
    "name",
    [
        "Žydrūnė Ąžuolaitė-Šarūnienė " * 11,  # 300+ characters of words
        "Ž" * 300,  # one 300-letter "word"
        "W" * 10_000,  # absurd: must stay fast and on the page
    ],
)
def test_long_names_wrap_to_two_lines_and_end_in_an_ellipsis(name: str) -> None:
    long_title = "Prekyba žmonėmis ir darbo išnaudojimas savivaldybėse " * 5
    text = text_of(replace(LT, full_name=name, course_title=long_title))
    lines = text.splitlines()
    name_lines = lines[
        lines.index("Šiuo patvirtinama, kad") + 1 : lines.index("baigė mokymų kursą")
    ]
    assert len(name_lines) == 2
    assert name_lines[-1].endswith("…")
    assert name.replace(" ", "").startswith("".join(name_lines)[:-1].replace(" ", ""))
    title_lines = lines[lines.index("baigė mokymų kursą") + 1 :][:3]
    assert title_lines[1].endswith("…") and title_lines[2].startswith("Mokymų trukmė")
    assert "LT-2026-000123" in text


def test_long_text_stays_inside_the_border() -> None:
    # Every piece of text starts inside the inner frame (12 mm from the edge) and,
    # measured with the font's own widths, ends inside it too.
    from elearn.certificates.pdf import fonts, layout

    doc = replace(
        LT,
        full_name="Žydrūnė Ąžuolaitė-Šarūnienė " * 11,
        course_title="W" * 400,
        municipality="Vilniaus miesto savivaldybės administracijos " * 4,
        issuer="Lietuvos savivaldybių socialinių darbuotojų mokymų platforma " * 3,
        verify_url=URL + "/" + "x" * 200,
    )
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((tm[4], tm[5], size, text))

    read(doc).pages[0].extract_text(visitor_text=visit)
    assert runs
    for x, y, _size, _text in runs:
        assert 12 * MM < x < (297 - 12) * MM
        assert 12 * MM < y < (210 - 12) * MM
    # And the widest lines the layout produced fit the text width.
    for style, max_pt, min_pt in (("B", 28, 14), ("B", 18, 10)):
        for text in (doc.full_name, doc.course_title):
            size, lines = fonts.fit(fold_to_font(text), style, layout.TEXT_W, max_pt, min_pt, 2)
            assert len(lines) <= 2
            assert all(fonts.metrics(style).width(line, size) <= layout.TEXT_W for line in lines)


def test_absurdly_long_url_is_cut_on_paper_only() -> None:
    url = URL + "/" + "x" * 2000
    text = text_of(replace(LT, verify_url=url))
    assert "https://elearn.example.lt/verify/" in text
    assert text.rstrip().endswith("…")


def test_every_character_lands_inside_the_border() -> None:
    """Ask a real PDF engine where each glyph ended up, for the longest inputs."""
    pdfium = pytest.importorskip("pypdfium2", reason="pip install pypdfium2 to measure glyphs")
    doc = replace(
        LT,
        full_name="Žydrūnė Ąžuolaitė-Šarūnienė " * 11,
        course_title="W" * 400,
        municipality="Vilniaus miesto savivaldybės administracijos " * 4,
        issuer="Lietuvos savivaldybių socialinių darbuotojų mokymų platforma " * 3,
        verify_url=URL + "/" + "x" * 300,
    )
    pdf = pdfium.PdfDocument(render_certificate_pdf(doc))
    try:
        text = pdf[0].get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    finally:
        pdf.close()
    assert len(boxes) > 500
    frame = 12 * MM
    for left, bottom, right, top in boxes:
        assert frame < left <= right < 842 - frame
        assert frame < bottom <= top < 595 - frame


# --- the QR code -----------------------------------------------------------------

_RECT = re.compile(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re")


def _qr_modules(doc: CertificateDocument) -> tuple[list[list[bool]], float, float, float]:
    """Rebuild the module grid from the vector squares drawn in the content stream.

    Returns the grid and the symbol's left, top (mm from the top-left corner) and
    module size in mm.
    """
    page = read(doc).pages[0]
    content = page.get_contents().get_data()
    # The QR code is the one path drawn in mm with a flipped y axis (fpdf2's
    # drawing API); the border rules are plain "re S" in points elsewhere.
    block = content[content.index(b" cm ") : content.index(b" f Q")]
    rects = [tuple(float(v) for v in m.groups()) for m in _RECT.finditer(block)]
    module = min(h for _x, _y, _w, h in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = min(y for _x, y, _w, _h in rects)
    size = round((max(x + w for x, _y, w, _h in rects) - left) / module)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, _h in rects:
        row = round((y - top) / module)
        first = round((x - left) / module)
        for col in range(first, first + round(w / module)):
            grid[row][col] = True
    return grid, left, top, module


def test_qr_code_is_the_verify_url_and_big_enough() -> None:
    grid, left, top, module = _qr_modules(LT)
    expected = [[bool(m) for m in row] for row in segno.make(URL, error="m", micro=False).matrix]
    assert grid == expected
    assert len(grid) * module >= 30  # mm
    # bottom right, with its quiet zone inside the page's inner frame
    quiet = QR_QUIET_MODULES * module
    assert left > 297 / 2 and top > 210 / 2
    assert left - quiet > 12 and left + len(grid) * module + quiet < 297 - 12
    assert top + len(grid) * module + quiet < 210 - 12


def test_qr_code_scans() -> None:
    """Rasterise the page and decode it, as a phone would (wheels only, no system libs)."""
    pdfium = pytest.importorskip("pypdfium2", reason="pip install pypdfium2 to scan the QR code")
    zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp to scan the QR code")
    long_url = URL + "?" + "a" * 150
    for doc in (LT, replace(EN, verify_url=long_url)):
        scale = 150 / 72  # 150 dpi
        pdf = pdfium.PdfDocument(render_certificate_pdf(doc))
        try:
            image = pdf[0].render(scale=scale).to_pil().convert("L")
        finally:
            pdf.close()
        found = zxingcpp.read_barcodes(image)
        assert [r.text for r in found] == [doc.verify_url]
        assert found[0].format == zxingcpp.BarcodeFormat.QRCode

        # The quiet zone around the symbol is blank paper.
        grid, left, top, module = _qr_modules(doc)
        px = scale * MM  # pixels per mm
        quiet = QR_QUIET_MODULES * module
        side = len(grid) * module
        outer = (left - quiet, top - quiet, left + side + quiet, top + side + quiet)
        box = tuple(round(v * px) for v in outer)
        ring = image.crop(box)
        q = round(quiet * px) - 1  # blank out the symbol (give or take a pixel)...
        ring.paste(255, (q, q, ring.width - q, ring.height - q))
        # ...and what is left, the quiet zone, must be white (anti-aliasing aside).
        assert ring.getextrema()[0] > 200, "something is drawn in the quiet zone"


# --- the verification code, the state marks, the wording -------------------------


def _runs(doc: CertificateDocument) -> list[tuple[float, float, float, str]]:
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((tm[4] / MM, 210 - tm[5] / MM, size, text.strip()))

    read(doc).pages[0].extract_text(visitor_text=visit)
    return runs


def test_the_code_is_printed_large_under_the_qr_code() -> None:
    grid, left, top, module = _qr_modules(LT)
    runs = {text: (x, y, size) for x, y, size, text in _runs(LT)}
    x, y, size = runs["7KQM-3XHD-R9TW"]
    assert y > top + len(grid) * module  # below the symbol (mm from the top)
    assert left - 20 < x < left + len(grid) * module  # in its column
    assert size >= 14
    assert "Patikros kodas" in runs


@pytest.mark.parametrize("lang", ["lt", "lv", "en"])
def test_a_long_address_stays_on_one_line(lang: str) -> None:
    url = "https://mokymai.prekyba-zmonemis.vrm.lt/verify/7KQM-3XHD-R9TW"
    doc = replace(LT, lang=lang, verify_url=url)
    assert url in text_of(doc).splitlines()


def test_a_revoked_certificate_says_so_with_the_date_and_the_reason() -> None:
    doc = replace(EN, state="revoked", revoked_on=date(2026, 12, 1),
                  revoked_reason="Issued by mistake")
    text = text_of(doc)
    assert "REVOKED / PANAIKINTAS" in text
    assert "Revoked on 1 December 2026. Reason: Issued by mistake" in text
    lt = text_of(replace(doc, lang="lt"))
    assert "PANAIKINTAS / REVOKED" in lt
    assert "Panaikintas 2026-12-01. Priežastis: Issued by mistake" in lt


def test_an_expired_certificate_says_so_with_the_date() -> None:
    text = text_of(replace(LT, state="expired", expires_on=date(2026, 11, 30)))
    assert "NEBEGALIOJA / EXPIRED" in text
    assert "Galiojo iki 2026-11-30: šis pažymėjimas nebegalioja." in text
    assert "PANAIKINTAS" not in text_of(LT) and "NEBEGALIOJA" not in text_of(LT)


def test_the_signatory_is_printed_when_given() -> None:
    text = text_of(replace(LT, signatory_name="Vardenis Pavardenis",
                           signatory_title="Viceministras"))
    assert "Vardenis Pavardenis" in text and "Viceministras" in text
    assert "Vardenis" not in text_of(LT)


def test_the_wording_comes_from_the_catalogues() -> None:
    from elearn.certificates.pdf.wording import MESSAGES, Wording

    lithuanian, english = Wording("lt"), Wording("en")
    for key, message in MESSAGES.items():
        assert english[key] == message
        if message != "%(hours)s":
            assert lithuanian[key] != message, key  # translated, not the English msgid
    assert lithuanian["heading"] == "Pažymėjimas"
