"""Time the course checker over a large generated course tree.

Run: .venv/bin/python bench/bench_content.py [n_courses]

Generates 100 courses x 10 modules x 8 questions in two languages (2,000 module
files, each a realistic lesson with headings, an alert, a table, an image, links and
a quiz) in a temporary folder, then prints the median time of a few `check_tree`
runs over it. `generate_courses` is importable for other benchmarks (sync timings).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elearn.content import check_tree  # noqa: E402

RUNS = 3
LANGUAGES = ("lt", "en")
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40" role="img">'
    '<rect x="1" y="1" width="198" height="38" fill="none" stroke="black"/>'
    '<text x="10" y="25">Notice → Refer → Follow up</text></svg>\n'
)
PARAGRAPH = {
    "lt": (
        "Socialinis darbuotojas dažnai pirmasis pastebi ženklus, kad žmogus gali būti "
        "išnaudojamas: jis neturi savo dokumentų, nežino savo adreso, už jį kalba kitas "
        "asmuo arba jis bijo kalbėti apie savo darbą. Šie ženklai pavieniui nieko neįrodo, "
        "tačiau kartu jie rodo, kad reikia veikti pagal savivaldybės nukreipimo tvarką. "
    ),
    "en": (
        "A social worker is often the first to notice signs that a person may be "
        "exploited: they do not hold their own documents, do not know their address, "
        "someone else speaks for them, or they are afraid to talk about their work. "
        "None of these signs proves anything alone, but together they call for action "
        "under the municipality's referral procedure. "
    ),
}


def _lesson(lang: str, position: int, n_modules: int, n_questions: int) -> str:
    next_link = (
        f"[Next module]({position + 1:02d}-module-{position + 1}.{lang}.md)"
        if position < n_modules
        else "[Back to the start](01-module-1." + lang + ".md)"
    )
    sections = "\n".join(
        f"## Section {s}\n\n{PARAGRAPH[lang] * 3}\n\n- First point\n- Second point with "
        f"*emphasis*\n- Third point with a [law](https://e-tar.lt/)\n"
        for s in range(1, 4)
    )
    questions = "\n".join(
        f"- id: q{q}\n"
        f"  q: Question {q} ({lang}), which of these is an *indicator*?\n"
        "  options:\n"
        "    - text: Withheld identity documents\n"
        "      correct: true\n"
        "      feedback: A common means of control.\n"
        "    - text: A day off every week\n"
        "      feedback: That is ordinary.\n"
        f"    - text: Debt to the employer\n"
        f"      correct: {'true' if q % 2 else 'false'}\n"
        "  explain: Shown after the attempt.\n"
        for q in range(1, n_questions + 1)
    )
    return (
        f"---\ntitle: Module {position} ({lang})\nminutes: 15\n---\n\n"
        f"{PARAGRAPH[lang]}\n\n{sections}\n"
        "> [!WARNING]\n> Never confront a suspected trafficker yourself.\n\n"
        "| Sign | Weight |\n|:-----|-------:|\n| Documents | high |\n| Debt | high |\n\n"
        "![Referral flow in three steps](media/flow.svg)\n\n"
        f"```contacts\nroles: police, ngo\n```\n\n{next_link}\n\n"
        f"```quiz\n{questions}```\n"
    )


def generate_courses(
    root: Path, n_courses: int = 100, n_modules: int = 10, n_questions: int = 8
) -> Path:
    """Write n_courses valid two-language courses under root; returns root."""
    root = Path(root)
    for c in range(1, n_courses + 1):
        folder = root / f"course-{c:03d}"
        (folder / "media").mkdir(parents=True)
        (folder / "media" / "flow.svg").write_text(SVG, encoding="utf-8")
        (folder / "course.yml").write_text(
            "title:\n"
            f"  lt: Kursas {c}\n  en: Course {c}\n"
            "summary:\n"
            f"  lt: Kurso {c} santrauka.\n  en: Summary of course {c}.\n"
            f"hours: 4\norder: {c}\n",
            encoding="utf-8",
        )
        for m in range(1, n_modules + 1):
            for lang in LANGUAGES:
                (folder / f"{m:02d}-module-{m}.{lang}.md").write_text(
                    _lesson(lang, m, n_modules, n_questions), encoding="utf-8"
                )
    return root


def main() -> None:
    n_courses = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        root = generate_courses(Path(tmp), n_courses=n_courses)
        files = sum(1 for _ in root.rglob("*") if _.is_file())
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            problems = check_tree(root)
            times.append(time.perf_counter() - start)
            errors = [p for p in problems if not p.warning]  # warnings (quiz quality) allowed
            if errors:
                raise SystemExit(f"generated courses have problems: {errors[:5]}")
        median = statistics.median(times)
        reads = []
        for _ in range(RUNS):  # the baseline: reading every file's text, nothing more
            start = time.perf_counter()
            for path in root.rglob("*"):
                if path.is_file():
                    path.read_text(encoding="utf-8")
            reads.append(time.perf_counter() - start)
        baseline = statistics.median(reads)
        print(f"check_tree: {n_courses} courses, {files} files")
        print(f"  median of {RUNS} runs: {median:.2f} s ({median / files * 1000:.2f} ms per file)")
        print(f"  baseline, reading the files: {baseline * 1000:.1f} ms; "
              f"ratio check / read: {median / baseline:.0f}x")


if __name__ == "__main__":
    main()
