"""Course folders to checked Course models: the pipeline's public entry points."""

import os
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

from .course_checks import CourseSettings, read_course_file
from .fields import is_language
from .folder import CourseFolder, content_hash, decode, scan_folder
from .markdown_checks import CourseFiles
from .media import read_media
from .model import Course, MediaFile, Module
from .module_checks import ModuleText, read_module_file
from .problems import Problem, Report, sort_problems
from .quiz_quality import check_quiz_quality
from .rules import COURSE_FILE, ID_RE, MODULE_FILE_RE, RESERVED_MODULE_IDS
from .translations import build_module, check_translations


def load_course(course_dir: Path) -> tuple[Course | None, list[Problem]]:
    """Read and check one course folder; the Course is returned only when nothing is wrong.

    The problems are errors only: quiz quality warnings do not stop publishing.
    """
    course, problems, _ = _read(Path(course_dir))
    return course, problems


def _read(course_dir: Path) -> tuple[Course | None, list[Problem], list[Problem]]:
    """The course (None on errors), its errors and its warnings, each sorted."""
    problems: list[Problem] = []
    reader = _CourseReader(course_dir, problems)
    course = reader.read()
    problems = sort_problems(problems)
    return (None if problems else course), problems, sort_problems(reader.warnings)


def course_hash(course_dir: Path) -> str:
    """The content hash load_course would give, from the file bytes alone (no parsing).

    Publishing compares it with the live version's to skip unchanged courses cheaply.
    """
    folder = scan_folder(Path(course_dir), [])
    return content_hash(folder.digests)


def course_folders(root: Path) -> list[Path]:
    """The course folders under root: those with a course.yml or a Markdown file.

    Only folders under root, never root itself: publishing retires every course that
    is not listed, so a course folder given by mistake must not stand for the tree.
    """
    folders = []
    with os.scandir(Path(root)) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            path = Path(entry.path)
            if entry.is_symlink() or _looks_like_course(path):
                folders.append(path)
    return folders


def _looks_like_course(path: Path) -> bool:
    with os.scandir(path) as entries:
        return any(e.name == COURSE_FILE or e.name.endswith(".md") for e in entries)


def load_tree(root: Path) -> dict[str, tuple[Course | None, list[Problem]]]:
    """Every course folder under root, by course id (the folder name)."""
    return {folder.name: load_course(folder) for folder in course_folders(root)}


def check_tree(root: Path) -> list[Problem]:
    """All problems and warnings of all courses under root, sorted by path then line."""
    problems = []
    for folder in course_folders(root):
        _, errors, warnings = _read(folder)
        problems += errors + warnings
    if (Path(root) / COURSE_FILE).exists():
        message = "this is a course folder: check the folder that holds the course folders"
        problems.append(Problem(COURSE_FILE, 1, message))
    return sort_problems(problems)


class _CourseReader:
    def __init__(self, course_dir: Path, problems: list[Problem]) -> None:
        self.course_dir = course_dir
        self.course_id = course_dir.name
        self.problems = problems
        self.warnings: list[Problem] = []
        self.course_report = self.report(COURSE_FILE)

    def report(self, rel: str) -> Report:
        return Report(f"{self.course_id}/{rel}", self.problems)

    def read(self) -> Course | None:
        if self.course_dir.is_symlink():
            Report(self.course_id, self.problems).add(1, "symbolic links are not allowed")
            return None
        if not ID_RE.fullmatch(self.course_id):
            self.course_report.add(
                1, "the folder name is the course id: use lowercase letters, digits and dashes"
            )
        folder = scan_folder(self.course_dir, self.problems)
        settings, languages = self._settings(folder)
        files = CourseFiles(
            modules=frozenset(folder.module_names),
            media=frozenset(folder.media_names),
            others=frozenset(folder.other_names | {COURSE_FILE}),
        )
        if not folder.module_names:
            self.course_report.add(
                1, "the course has no modules: add a module file such as 01-introduction.lt.md"
            )
        texts = self._module_texts(folder, languages, files)
        modules = self._modules(texts, languages)
        media = [
            read_media(rel, data, self.report(rel)) for rel, data in sorted(folder.media.items())
        ]
        if self.problems or settings is None:
            return None
        return _course(self.course_id, settings, modules, media, content_hash(folder.digests))

    def _settings(self, folder: CourseFolder) -> tuple[CourseSettings | None, tuple[str, ...]]:
        if folder.course_file is None:
            if not os.path.lexists(self.course_dir / COURSE_FILE):
                self.course_report.add(
                    1,
                    "course.yml is missing: every course folder needs one (title, summary, hours)",
                )
            return None, ()
        text = decode(folder.course_file, self.course_report)
        if text is None:
            return None, ()
        return read_course_file(text, self.course_report)

    def _module_texts(
        self, folder: CourseFolder, languages: tuple[str, ...], files: CourseFiles
    ) -> list[ModuleText]:
        """Each module file checked; only those whose language is valid are returned."""
        texts = []
        for name, data in sorted(folder.modules.items()):
            report = self.report(name)
            match = MODULE_FILE_RE.fullmatch(name)
            assert match is not None
            lang = self._language(match["lang"], languages, report)
            text = decode(data, report)
            if text is None:
                continue
            rendered_lang = lang or match["lang"] or (languages[0] if languages else "")
            module_text = read_module_file(
                text, name, rendered_lang, int(match["nn"]), match["id"], files, report
            )
            if lang is not None:
                texts.append(module_text)
        return texts

    def _language(self, code: str | None, languages: tuple[str, ...], report: Report) -> str | None:
        if code is None:
            if len(languages) > 1:
                report.add(
                    1,
                    f"this course is in {', '.join(languages)}: "
                    "name the file NN-module-id.LANG.md, one per language",
                )
                return None
            return languages[0] if languages else None
        if not is_language(code):
            report.add(1, f"'{code}' in the file name is not an ISO 639-1 language code")
            return None
        if languages and code not in languages:
            report.add(
                1,
                f"'{code}' is not one of the course's languages ({', '.join(languages)}): "
                "add it to title in course.yml or rename the file",
            )
            return None
        return code

    def _modules(self, texts: list[ModuleText], languages: tuple[str, ...]) -> list[Module]:
        """Group the language files by module id, check them together, build the modules."""
        by_id: dict[str, list[ModuleText]] = defaultdict(list)
        for text in texts:
            by_id[text.module_id].append(text)
        sound = [group for group in by_id.values() if self._sound(group, languages)]
        self._unique_numbers(by_id)
        for group in sound:
            group.sort(key=lambda t: languages.index(t.lang) if t.lang in languages else 0)
            check_translations(group)
            check_quiz_quality(group, self.warnings)
        if self.problems:
            return []
        return sorted((build_module(group) for group in sound), key=lambda m: m.position)

    def _sound(self, group: list[ModuleText], languages: tuple[str, ...]) -> bool:
        """Report a module id used twice, a reserved id or a missing translation."""
        first = min(group, key=lambda t: (t.position, t.name))
        sound = True
        if first.module_id in RESERVED_MODULE_IDS:
            first.report.add(1, f"'{first.module_id}' is reserved: choose another module id")
            sound = False
        seen: set[str] = set()
        for text in sorted(group, key=lambda t: (t.position, t.name)):
            if text.position != first.position:
                text.report.add(
                    1,
                    f"module id '{text.module_id}' is also used by {first.name}: "
                    "each module needs its own id",
                )
                sound = False
            elif text.lang in seen:
                text.report.add(1, f"the same module and language as {first.name}: keep one")
                sound = False
            seen.add(text.lang)
        for lang in languages:
            if lang not in seen:
                missing = f"{first.position:02d}-{first.module_id}.{lang}.md"
                first.report.add(1, f"missing translation: add {missing}")
                sound = False
        return sound

    def _unique_numbers(self, by_id: dict[str, list[ModuleText]]) -> None:
        """Two modules with the same NN would have no defined order: refuse it."""
        owners: dict[int, ModuleText] = {}
        for module_id in sorted(by_id, key=lambda i: min(t.name for t in by_id[i])):
            for text in sorted(by_id[module_id], key=lambda t: t.name):
                owner = owners.setdefault(text.position, text)
                if owner.module_id != text.module_id:
                    text.report.add(
                        1,
                        f"number {text.position:02d} is also used by {owner.name}: "
                        "give each module its own number",
                    )


def _course(
    course_id: str,
    settings: CourseSettings,
    modules: list[Module],
    media: list[MediaFile | None],
    digest: str,
) -> Course:
    # course.yml's settings become the Course's fields of the same names.
    copied = {f.name: getattr(settings, f.name) for f in fields(settings)}
    return Course(
        id=course_id,
        modules=tuple(modules),
        media=tuple(m for m in media if m is not None),
        content_hash=digest,
        **copied,
    )
