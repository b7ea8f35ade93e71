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
    # minutes, pass_mark, draw, shuffle: (value, line)
    settings: dict[str, tuple[int | bool | None, int]]
    unreadable: frozenset[str]  # settings given but reported as wrong: not compared
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
    title, settings, unreadable = None, {}, frozenset()
    if tokens and tokens[0].type == "front_matter":
        title, settings, unreadable = _front_matter(tokens[0].content, report.shifted(1))
    elif text.lstrip("\ufeff").split("\n", 1)[0].rstrip() == "---":
        report.add(1, "the front matter is not closed: end it with a line '---'")
    else:
        report.add(1, "start the file with front matter: a line '---', 'title: …', and '---'")
    quizzes = check_markdown(tokens, files, report)
    quiz = read_quiz(quizzes[0], lang, files, report) if quizzes else None
    _check_draw(settings, quiz, report)
    if "shuffle" in settings and quiz is None:
        report.add(
            settings["shuffle"][1],
            "shuffle is set but the module has no quiz: remove shuffle or add a quiz",
        )
    return ModuleText(
        name=name,
        report=report,
        lang=lang,
        position=position,
        module_id=module_id,
        title=title,
        settings=settings,
        unreadable=unreadable,
        html=render_tokens(tokens, env, front_matter=True),
        words=env.get("wordcount", {}).get("words", 0),
        quiz=quiz,
    )


def _front_matter(
    content: str, report: Report
) -> tuple[str | None, dict[str, tuple[int | bool | None, int]], frozenset[str]]:
    """Title, shared settings and the settings that were wrong; ``report`` is at YAML line 1."""
    try:
        root = compose(content)
    except YamlError as exc:
        report.add(exc.line, exc.message)
        return None, {}, frozenset(SHARED_MODULE_FIELDS)
    shape = "the front matter must be 'field: value' lines such as 'title: …'"
    fields = mapping(root, report, shape, prefix="front matter: ") if root is not None else {}
    if fields is None:
        return None, {}, frozenset(SHARED_MODULE_FIELDS)
    check_fields(fields, MODULE_FIELDS, report, "front matter: ", ("title",), line=0)
    title = required_text(fields, "title", report, "title")
    settings: dict[str, tuple[int | bool | None, int]] = {}
    unreadable = set()
    for name in SHARED_MODULE_FIELDS:
        if name in fields:
            problems_before = len(report.problems)
            value = checked(fields, name, report)
            if len(report.problems) > problems_before:
                unreadable.add(name)
            else:  # lines in the module file, for reports about the whole module
                settings[name] = (value, line_of(fields[name][0]) + report.offset)
    return (title.strip() if title else None), settings, frozenset(unreadable)


def _check_draw(
    settings: dict[str, tuple[int | bool | None, int]], quiz: Quiz | None, report: Report
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
