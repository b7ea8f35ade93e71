"""The ```quiz block of one module file: questions, options, and their inline Markdown."""

from dataclasses import dataclass

from markdown_it.token import Token
from yaml.nodes import Node

from .fields import required_text
from .markdown_checks import CourseFiles, check_markdown
from .problems import Report
from .render import is_plain_text, parser, render_tokens
from .rules import ID_RE, OPTION_FIELDS, QUESTION_FIELDS
from .yamlutil import YamlError, check_fields, compose, line_of, mapping, scalar, sequence, text


@dataclass(frozen=True, slots=True)
class OptionText:
    correct: bool | None  # None when it could not be read
    text: str
    feedback: str
    line: int = 0  # in the module file


@dataclass(frozen=True, slots=True)
class QuestionText:
    """One question in one language, its texts already rendered to HTML."""

    id: str
    line: int  # in the module file
    text: str
    explain: str
    options: tuple[OptionText, ...]


@dataclass(frozen=True, slots=True)
class Quiz:
    line: int
    questions: tuple[QuestionText, ...] | None  # None when the block has problems


def read_quiz(fence: Token, lang: str, files: CourseFiles, report: Report) -> Quiz:
    assert fence.map is not None
    line = fence.map[0] + 1
    block = report.shifted(line)  # YAML line 1 is the line after the ```quiz fence
    problems_before = len(report.problems)
    try:
        root = compose(fence.content)
    except YamlError as exc:
        block.add(exc.line, exc.message)
        return Quiz(line, None)
    items = sequence(root) if root is not None else None
    if not items:
        report.add(line, "the quiz must be a list of questions, each starting with '- q:'")
        return Quiz(line, None)
    reader = _QuizReader(lang, files, block, line)
    questions = tuple(reader.question(node, number) for number, node in enumerate(items, 1))
    if len(report.problems) > problems_before:
        return Quiz(line, None)
    return Quiz(line, questions)


class _QuizReader:
    def __init__(self, lang: str, files: CourseFiles, report: Report, fence_line: int) -> None:
        self.lang = lang
        self.files = files
        self.report = report
        self.fence_line = fence_line
        self.ids: dict[str, int] = {}

    def question(self, node: Node, number: int) -> QuestionText:
        prefix = f"question {number}: "
        shape = f"question {number} must have fields such as 'q:' and 'options:'"
        fields = mapping(node, self.report, shape, prefix=prefix)
        if fields is None:
            return QuestionText(str(number), self.fence_line + line_of(node), "", "", ())
        check_fields(fields, QUESTION_FIELDS, self.report, prefix, ("q", "options"), line_of(node))
        question_id = self._id(fields, number, prefix, line_of(node))
        options = self._options(fields, number, prefix)
        return QuestionText(
            id=question_id,
            line=self.fence_line + line_of(node),
            text=self.inline(fields, "q", f"{prefix}q"),
            explain=self.inline(fields, "explain", f"{prefix}explain", optional=True),
            options=options,
        )

    def _id(self, fields: dict, number: int, prefix: str, line: int) -> str:
        question_id = str(number)
        if "id" in fields:
            key, value = fields["id"]
            given = scalar(value)
            if isinstance(given, str) and ID_RE.fullmatch(given):
                question_id = given
            else:
                self.report.add(
                    line_of(value), f"{prefix}id must be lowercase letters, digits and dashes"
                )
        if question_id in self.ids:
            self.report.add(
                line,
                f"{prefix}id '{question_id}' is already used by question "
                f"{self.ids[question_id]}: give each question its own id",
            )
        self.ids.setdefault(question_id, number)
        return question_id

    def _options(self, fields: dict, number: int, prefix: str) -> tuple[OptionText, ...]:
        if "options" not in fields:
            return ()
        key, node = fields["options"]
        items = sequence(node)
        if items is None or len(items) < 2:
            self.report.add(line_of(key), f"{prefix}give at least two options, each '- text: …'")
            return ()
        options = tuple(
            self._option(item, f"{prefix}option {n}: ") for n, item in enumerate(items, 1)
        )
        # An option whose 'correct' is not true or false is reported on its own line.
        if not any(option.correct in (True, None) for option in options):
            self.report.add(
                line_of(key), f"{prefix}no option is correct: mark at least one 'correct: true'"
            )
        return options

    def _option(self, node: Node, prefix: str) -> OptionText:
        shape = f"{prefix}an option must have fields such as 'text:' and 'correct:'"
        fields = mapping(node, self.report, shape, prefix=prefix)
        if fields is None:
            return OptionText(None, "", "", self.fence_line + line_of(node))
        check_fields(fields, OPTION_FIELDS, self.report, prefix, ("text",), line_of(node))
        correct = False
        if "correct" in fields:
            value = fields["correct"][1]
            correct = scalar(value)
            if not isinstance(correct, bool):
                self.report.add(line_of(value), f"{prefix}correct must be true or false")
                correct = None
        return OptionText(
            correct=correct,
            text=self.inline(fields, "text", f"{prefix}text"),
            feedback=self.inline(fields, "feedback", f"{prefix}feedback", optional=True),
            line=self.fence_line + line_of(node),
        )

    def inline(self, fields: dict, name: str, what: str, optional: bool = False) -> str:
        """A field's inline Markdown, checked and rendered; '' when absent."""
        if name not in fields:
            return ""
        node = fields[name][1]
        if optional and text(node) is None:
            return ""
        value = required_text(fields, name, self.report, what)
        if value is None:
            return ""
        if is_plain_text(value):
            return value
        env = {"lang": self.lang}
        tokens = parser().parseInline(value, env)
        check_markdown(tokens, self.files, self.report.shifted(line_of(node) - 1))
        return render_tokens(tokens, env)
