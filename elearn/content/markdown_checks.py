"""Checks on parsed Markdown: headings, links, images, raw HTML and the special blocks."""

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from .problems import Report
from .render import MODULE_LINK_RE, block_name, contact_roles
from .rules import LINK_SCHEMES, MEDIA_DIR, MODULE_FILE_RE
from .sanitize import raw_html_problem


@dataclass(frozen=True, slots=True)
class CourseFiles:
    """What a link in a course may point to, by path relative to the course folder."""

    modules: frozenset[str] = frozenset()
    media: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()


def check_markdown(tokens: Sequence[Token], files: CourseFiles, report: Report) -> list[Token]:
    """Report problems in a parsed text; returns its quiz blocks, in order."""
    quizzes: list[Token] = []
    for token, line in _with_lines(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            report.add(line, "use ## for sections: the module title is the page heading")
        elif token.type in ("html_block", "html_inline"):
            if problem := raw_html_problem(token.content):
                report.add(line, problem)
        elif token.type == "link_open":
            if problem := target_problem(str(token.attrGet("href") or ""), files, image=False):
                report.add(line, problem)
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if not token.content.strip():
                shown = unquote(src)
                report.add(
                    line, f"image {shown} has no alt text: describe it, ![like this]({shown})"
                )
            if problem := target_problem(src, files, image=True):
                report.add(line, problem)
        elif token.type == "fence" and block_name(token) == "contacts":
            for index, message in contact_roles(token.content)[1]:
                report.add(line + 1 + index, message)
        elif token.type == "fence" and block_name(token) == "quiz":
            if quizzes:
                report.add(line, "a module may have only one quiz block: merge them into one")
            quizzes.append(token)
    return quizzes


def _with_lines(tokens: Sequence[Token]) -> Iterator[tuple[Token, int]]:
    """Every token, inline children included, with the 1-based line it starts on."""
    line = 1
    for token in tokens:
        if token.map is not None:
            line = token.map[0] + 1
        yield token, line
        child_line = line
        for child in token.children or ():
            yield child, child_line
            if child.type in ("softbreak", "hardbreak"):
                child_line += 1
            elif child.type == "html_inline":
                child_line += child.content.count("\n")


def target_problem(url: str, files: CourseFiles, *, image: bool) -> str | None:
    """Why a link or image address will not work on the platform, or None."""
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    shown = unquote(url)
    if parts.scheme:
        allowed = {"http", "https"} if image else LINK_SCHEMES
        if parts.scheme.lower() in allowed:
            return None
        return f"'{shown}' is not a web, mailto or tel address nor a file of the course"
    if parts.netloc:
        return f"'{shown}' has no scheme: write the full address, https://…"
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        return f"'{shown}' starts with '/': use a path relative to the course folder"
    path = posixpath.normpath(path)
    if path == ".." or path.startswith("../"):
        return f"'{shown}' points outside the course folder"
    if MODULE_FILE_RE.fullmatch(path):
        if image:
            return f"image '{shown}' is a module file: images belong in {MEDIA_DIR}/"
        if path not in files.modules:
            return f"'{shown}' links to a module file that does not exist"
        if not MODULE_LINK_RE.fullmatch(url):  # only these become links to the module
            return f"'{shown}': link to a module by its file name alone, such as {path}"
        return None
    if path in files.media:
        return None
    if path in files.others:
        return f"'{shown}' is not published: link to a module file or a file in {MEDIA_DIR}/"
    return f"'{shown}' does not exist in the course folder"
