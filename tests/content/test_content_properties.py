"""Whatever text authors commit, the checker answers with problems, never an exception."""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.content import load_course, render_inline
from elearn.content.render import is_plain_text

COURSE_FILE = "title:\n  en: x\nsummary:\n  en: x\nhours: 1\n"
MODULE_HEAD = "---\ntitle: x\n---\n\n"
# Characters that mean something in Markdown or YAML, so examples hit the parsers' edges.
SYNTAX = "-:[]{}#>*!<>&\"'|`~^()\\/.=%@ \t\n0123456789abcxyząž"
texts = st.one_of(st.text(max_size=400), st.text(alphabet=SYNTAX, max_size=400))
snippets = st.sampled_from(
    [
        "```quiz\n",
        "```contacts\n",
        "```\n",
        "- q: ",
        "  options:\n",
        "    - text: ",
        "      correct: true\n",
        "> [!NOTE]\n",
        "![",
        "](media/x.png)",
        "<span>",
        "[^1]",
        "---\n",
        "title: ",
        "draw: 3\n",
        "&a ",
        "*a",
        "| a | b |\n|---|---|\n",
        "# ",
    ]
)
composed = st.lists(st.one_of(snippets, texts), max_size=20).map("".join)

settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(files: dict[str, str | bytes]) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        folder.mkdir()
        for name, content in files.items():
            data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        course, problems = load_course(folder)
        assert (course is None) == bool(problems)
        return [str(p) for p in problems]


@settings_
@given(body=composed)
def test_any_module_body_gives_problems_not_exceptions(body: str) -> None:
    _load({"course.yml": COURSE_FILE, "01-intro.md": MODULE_HEAD + body})


@settings_
@given(module=composed)
def test_any_module_file_gives_problems_not_exceptions(module: str) -> None:
    _load({"course.yml": COURSE_FILE, "01-intro.md": module})


@settings_
@given(course_file=composed)
def test_any_course_file_gives_problems_not_exceptions(course_file: str) -> None:
    _load({"course.yml": course_file, "01-intro.md": MODULE_HEAD})


@settings_
@given(data=st.binary(max_size=300))
def test_any_bytes_give_problems_not_exceptions(data: bytes) -> None:
    _load({"course.yml": data, "01-intro.md": data})


@settings(max_examples=50, deadline=None)
@given(body=composed)
def test_problems_point_at_real_lines(body: str) -> None:
    module = MODULE_HEAD + body
    # A line ends at \r\n, \n or a lone \r, for CommonMark and YAML alike (and editors).
    lines = len(re.split(r"\r\n|\r|\n", module))
    for problem in _load({"course.yml": COURSE_FILE, "01-intro.md": module}):
        path, line, _ = problem.split(":", 2)
        assert 1 <= int(line) <= max(lines, 1), problem


PLAIN = "aąčžAZ09 ,.;:?'\"()%+/–—„“”‘’-_*w@\t<>&[]!`~\\"


@settings(max_examples=1000, deadline=None)
@given(text=st.one_of(st.text(alphabet=PLAIN, min_size=1), st.text(min_size=1)))
def test_plain_text_shortcut_renders_like_the_parser(text: str) -> None:
    if is_plain_text(text):
        assert render_inline(text, "en") == text
