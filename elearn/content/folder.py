"""Reading a course folder from disk, refusing what must not be published."""

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, Report
from .rules import (
    COURSE_FILE,
    IGNORED_FILES,
    MAX_COURSE_FILE_BYTES,
    MAX_MEDIA_BYTES,
    MAX_MODULE_BYTES,
    MEDIA_DIR,
    MODULE_FILE_RE,
    SAFE_NAME_RE,
)


@dataclass
class CourseFolder:
    """The files of one course folder, by path relative to it."""

    course_file: bytes | None = None
    modules: dict[str, bytes] = field(default_factory=dict)
    media: dict[str, bytes] = field(default_factory=dict)
    module_names: set[str] = field(default_factory=set)  # including refused ones
    media_names: set[str] = field(default_factory=set)
    other_names: set[str] = field(default_factory=set)
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of every file, for the hash


class _Scanner:
    def __init__(self, course_dir: Path, problems: list[Problem]) -> None:
        self.course_dir = course_dir
        self.prefix = course_dir.name + "/"
        self.problems = problems
        self.folder = CourseFolder()

    def report(self, rel: str) -> Report:
        return Report(self.prefix + rel, self.problems)

    def scan(self) -> CourseFolder:
        pending = [""]  # folders to read, relative to the course folder, without recursion
        while pending:
            rel_dir = pending.pop()
            try:
                with os.scandir(self.course_dir / rel_dir) as found:
                    entries = sorted(found, key=lambda e: e.name)
            except OSError as exc:
                self.report(rel_dir.rstrip("/") or ".").add(1, _unreadable(exc))
                continue
            for entry in entries:
                rel = rel_dir + entry.name
                if self._entry(entry, rel, in_media=bool(rel_dir)):
                    pending.append(rel + "/")
        return self.folder

    def _entry(self, entry: os.DirEntry, rel: str, in_media: bool) -> bool:
        """Take in one directory entry; True when it is a folder to read."""
        name = entry.name
        if entry.is_symlink():
            self.report(_shown(rel)).add(1, "symbolic links are not allowed: copy the file in")
            if MODULE_FILE_RE.fullmatch(name):
                self.folder.module_names.add(rel)  # the course does have this module
            return False
        if name.startswith("."):  # .gitkeep, .DS_Store, editor folders: not course content
            if entry.is_file(follow_symlinks=False):
                self._hash_only(entry, rel)
            return False
        if not SAFE_NAME_RE.fullmatch(name):
            self.report(_shown(rel)).add(
                1,
                "rename it: use only letters a-z, digits, '-', '_' and '.', "
                "starting with a letter or digit",
            )
            return False
        if entry.is_dir(follow_symlinks=False):
            if in_media or name == MEDIA_DIR:
                return True
            self.report(rel).add(
                1, f"unexpected folder: images and other files belong in {MEDIA_DIR}/"
            )
            return False
        if not entry.is_file(follow_symlinks=False):
            self.report(rel).add(1, "not a regular file: remove it")
            return False
        size = entry.stat(follow_symlinks=False).st_size
        if in_media:
            self.folder.media_names.add(rel)
            if (data := self._read(entry, rel, size, MAX_MEDIA_BYTES)) is not None:
                self.folder.media[rel] = data
        elif name == COURSE_FILE:
            self.folder.course_file = self._read(entry, rel, size, MAX_COURSE_FILE_BYTES)
        elif MODULE_FILE_RE.fullmatch(name):
            self.folder.module_names.add(rel)
            if (data := self._read(entry, rel, size, MAX_MODULE_BYTES)) is not None:
                self.folder.modules[rel] = data
        else:
            self.folder.other_names.add(rel)
            if name in IGNORED_FILES:
                self._hash_only(entry, rel)
            else:
                self.report(rel).add(1, _unexpected(name))
        return False

    def _read(self, entry: os.DirEntry, rel: str, size: int, limit: int) -> bytes | None:
        if size > limit:
            self.report(rel).add(
                1, f"the file is too large ({_size(size)}; the limit is {_size(limit)})"
            )
            return None
        try:
            data = Path(entry.path).read_bytes()
        except OSError as exc:
            self.report(rel).add(1, _unreadable(exc))
            return None
        self.folder.digests[rel] = hashlib.sha256(data).hexdigest()
        return data

    def _hash_only(self, entry: os.DirEntry, rel: str) -> None:
        """Files that are not published still count in the content hash, streamed."""
        try:
            with open(entry.path, "rb") as handle:
                self.folder.digests[rel] = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            self.report(_shown(rel)).add(1, _unreadable(exc))


def scan_folder(course_dir: Path, problems: list[Problem]) -> CourseFolder:
    return _Scanner(course_dir, problems).scan()


def _shown(rel: str) -> str:
    """A path safe to print on one line, whatever characters the file name holds."""
    return rel if rel.isprintable() else ascii(rel)[1:-1]


def _unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc}): check the file's permissions"


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _unexpected(name: str) -> str:
    if name.endswith(".md"):
        return (
            "module file names are NN-module-id.LANG.md, such as 01-introduction.lt.md "
            "(lowercase letters, digits and dashes)"
        )
    if difflib.get_close_matches(name.lower(), [COURSE_FILE], n=1, cutoff=0.7):
        return f"unexpected file: did you mean {COURSE_FILE}?"
    return (
        f"unexpected file: a course folder holds {COURSE_FILE}, module files "
        f"(NN-module-id.LANG.md) and a {MEDIA_DIR}/ folder"
    )


def decode(data: bytes, report: Report) -> str | None:
    """A file's text, or None after reporting that it is not UTF-8 text."""
    if b"\x00" in data:
        report.add(1, "this is a binary file, not text: save it as UTF-8 text")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.add(line, "the file is not UTF-8 text: save it with UTF-8 encoding")
        return None
    return text.removeprefix("\ufeff")  # a byte-order mark some Windows editors add


def content_hash(digests: dict[str, str]) -> str:
    """SHA-256 over every file's relative path and content digest, in path order."""
    listing = "".join(f"{rel}\0{digests[rel]}\n" for rel in sorted(digests))
    return hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest()
