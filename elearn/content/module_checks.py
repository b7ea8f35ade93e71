"""One module file, one language: front matter, lesson body and quiz, parsed once."""

from dataclasses import dataclass

from .fields import checked, required_text
from .markdown_checks import CourseFiles, check_markdown
from .problems import Report
from .quiz_checks import Quiz, read_quiz
from .render import parser, render_tokens
from .rules import MODULE_FIELDS, SHARED_MODULE_FIELDS
from .yamlutil import YamlError, check_fields, compose, line_of, mapping


@dataclass(frozen=True, slots=True)
class ModuleText:
    """A module in one language, checked and rendered."""

    name: str  # file name, relative to the course folder
    report: Report
    lang: str
    position: int
    module_id: str
    title: str | None
    settings: dict[str, tuple[int | None, int]]  # minutes, pass_mark, draw: (value, line)
    html: str
    words: int
    quiz: Quiz | None


def read_module_file(
    text: str,
    name: str,
    lang: str,
    position: int,
    module_id: str,
    files: CourseFiles,
    report: Report,
) -> ModuleText:
    env = {"lang": lang}
    tokens = parser(front_matter=True).parse(text, env)
    title, settings = None, {}
    if tokens and tokens[0].type == "front_matter":
        title, settings = _front_matter(tokens[0].content, report.shifted(1))
    elif text.lstrip("\ufeff").split("\n", 1)[0].rstrip() == "---":
        report.add(1, "the front matter is not closed: end it with a line '---'")
    else:
        report.add(1, "start the file with front matter: a line '---', 'title: …', and '---'")
    quizzes = check_markdown(tokens, files, report)
    quiz = read_quiz(quizzes[0], lang, files, report) if quizzes else None
    _check_draw(settings, quiz, report)
    return ModuleText(
        name=name,
        report=report,
        lang=lang,
        position=position,
        module_id=module_id,
        title=title,
        settings=settings,
        html=render_tokens(tokens, env, front_matter=True),
        words=env.get("wordcount", {}).get("words", 0),
        quiz=quiz,
    )


def _front_matter(
    content: str, report: Report
) -> tuple[str | None, dict[str, tuple[int | None, int]]]:
    """The title and the settings translations share; ``report`` starts at the YAML's line 1."""
    try:
        root = compose(content)
    except YamlError as exc:
        report.add(exc.line, exc.message)
        return None, {}
    shape = "the front matter must be 'field: value' lines such as 'title: …'"
    fields = mapping(root, report, shape, prefix="front matter: ") if root is not None else {}
    if fields is None:
        return None, {}
    check_fields(fields, MODULE_FIELDS, report, "front matter: ", ("title",), line=0)
    title = required_text(fields, "title", report, "title")
    settings = {  # with lines in the module file, for reports about the whole module
        name: (checked(fields, name, report), line_of(fields[name][0]) + report.offset)
        for name in SHARED_MODULE_FIELDS
        if name in fields
    }
    return (title.strip() if title else None), settings


def _check_draw(
    settings: dict[str, tuple[int | None, int]], quiz: Quiz | None, report: Report
) -> None:
    draw, line = settings.get("draw", (None, 1))
    if draw is None:
        return
    if quiz is None:
        report.add(line, "draw is set but the module has no quiz: remove draw or add a quiz")
    elif quiz.questions is not None and draw > len(quiz.questions):
        count = len(quiz.questions)
        report.add(
            line,
            f"draw is {draw} but the quiz has {count} question{'s' if count > 1 else ''}: "
            "lower draw or add questions",
        )
