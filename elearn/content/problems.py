"""Problems the checker reports, compiler style: ``path:line: message``."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Report:
    """Collects the problems of one file; ``offset`` maps lines of an embedded block."""

    def __init__(self, path: str, sink: list[Problem], offset: int = 0) -> None:
        self.path = path
        self.offset = offset
        self.problems = sink

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(1, line + self.offset), message))

    def shifted(self, offset: int) -> "Report":
        """A report for a block that starts ``offset`` lines further into the same file."""
        return Report(self.path, self.problems, self.offset + offset)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line))
