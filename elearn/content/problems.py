"""Problems the checker reports, compiler style: ``path:line: message``.

A warning (``path:line: warning: message``) points at something that works but
weakens the course, such as a quiz a test-wise learner can pass without reading;
it does not stop publishing, except that ``flask courses check --strict`` fails on it.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class Report:
    """Collects the problems of one file; ``offset`` maps lines of an embedded block."""

    def __init__(self, path: str, sink: list[Problem], offset: int = 0) -> None:
        self.path = path
        self.offset = offset
        self.problems = sink

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(1, line + self.offset), message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(1, line + self.offset), message, True))

    def shifted(self, offset: int) -> "Report":
        """A report for a block that starts ``offset`` lines further into the same file."""
        return Report(self.path, self.problems, self.offset + offset)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line))
