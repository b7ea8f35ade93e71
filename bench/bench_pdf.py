"""Time certificate PDF rendering against a trivial fpdf2 baseline.

Run: .venv/bin/python bench/bench_pdf.py

Renders 100 certificates with varied names (lt and en, short and long, some
with characters the font lacks) and prints the median and 95th percentile time
per certificate, next to the median time fpdf2 takes to write an empty page
with one line of Helvetica, and the ratio of the two medians.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF  # noqa: E402

from elearn.certificates.pdf import CertificateDocument, render_certificate_pdf  # noqa: E402

RUNS = 100

FIRST = ["Žydrūnė", "Līga", "Jonas", "Ąžuolas", "Ona", "Mārtiņš", "Ieva", "Łucja", "Õie", "王小明"]
LAST = ["Ąžuolaitė-Šarūnienė", "Ķēniņa", "Petraitis", "Kazlauskienė", "Müller", "Ožeškienė"]
COURSES = {
    "lt": "Prekyba žmonėmis: atpažinimas, pagalba ir nukreipimas",
    "en": "Human trafficking: recognising, helping and referring victims",
}


def documents(n: int) -> list[CertificateDocument]:
    rng = random.Random(2026)  # the same 100 documents every run
    docs = []
    for i in range(n):
        lang = "lt" if i % 3 else "en"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if i % 10 == 0:
            name = " ".join([name] * 8)  # long enough to shrink and wrap
        issued = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        docs.append(
            CertificateDocument(
                full_name=name,
                course_title=COURSES[lang],
                hours=rng.choice([1, 1.5, 2, 2.5, 4, 8]),
                issued_on=issued,
                expires_on=None if i % 4 == 0 else issued + timedelta(days=730),
                serial=f"LT-2026-{i:06d}",
                verify_url=f"https://elearn.example.lt/verify/{rng.getrandbits(128):032x}",
                municipality="Vilniaus miesto savivaldybė",
                lang=lang,
            )
        )
    return docs


def baseline() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Certificate of completion")
    return bytes(pdf.output())


def timed(fn: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    docs = documents(RUNS)
    cold = timed(render_certificate_pdf, docs[0])  # parses the font metrics once
    cert = sorted(timed(render_certificate_pdf, doc) for doc in docs)
    timed(baseline)
    base = sorted(timed(baseline) for _ in range(RUNS))

    median = statistics.median(cert)
    p95 = cert[round(0.95 * (len(cert) - 1))]
    base_median = statistics.median(base)
    print(f"certificate PDF, {RUNS} documents (ms per certificate):")
    print(f"  first (cold) {cold:7.1f}")
    print(f"  median       {median:7.1f}")
    print(f"  p95          {p95:7.1f}")
    print(f"baseline: empty page + one Helvetica line, median {base_median:.2f} ms")
    print(f"ratio certificate/baseline (medians): {median / base_median:.0f}x")


if __name__ == "__main__":
    main()
