"""Publishing: store checked course models in the database, one course at a time.

Each course is published in its own transaction: either its new version, with
every module, question, option and media file, becomes live, or nothing changes
and the previous version stays live.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from elearn import content
from elearn.audit.services import record
from elearn.extensions import db
from elearn.publishing.models import (
    Course,
    CourseVersion,
    MediaBlob,
    MediaFile,
    Module,
    Option,
    Question,
)
from elearn.publishing.signals import version_published
from elearn.types import utcnow


@dataclass
class SyncReport:
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)  # course id -> problem lines
    git_commit: str | None = None

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        lines = []
        for label, ids in (("published", self.published), ("skipped (unchanged)", self.skipped),
                           ("retired", self.retired), ("refused", list(self.refused))):
            lines.append(f"{label}: {', '.join(ids) if ids else '-'}")
        for problems in self.refused.values():
            lines.extend(f"  {line}" for line in problems)
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"published": self.published, "skipped": self.skipped, "retired": self.retired,
                "refused": self.refused, "git_commit": self.git_commit}


def git_head(path: Path) -> str | None:
    """The commit checked out in the git work tree holding path, if any."""
    result = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "HEAD"],
        capture_output=True, text=True, check=False,
    )
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and len(commit) == 40 else None


def git_pull(path: Path) -> None:
    """Fast-forward the work tree; raises CalledProcessError with git's message."""
    subprocess.run(
        ["git", "-C", str(path), "pull", "--ff-only", "--quiet"],
        capture_output=True, text=True, check=True, timeout=120,
    )


def sync_courses(root: str | Path, *, pull: bool = False) -> SyncReport:
    """Publish every valid, changed course under root; retire courses that disappeared."""
    root = Path(root)
    if pull:
        git_pull(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder")
    report = SyncReport(git_commit=git_head(root))
    folders = content.course_folders(root)
    if not folders:
        # An empty or wrong folder must not retire every course on the platform.
        raise FileNotFoundError(f"no course folders found in {root}; nothing was changed")
    live = live_hashes()
    for folder in folders:
        course_id = folder.name
        # Hashing the files is cheap; checking and rendering them is not.
        if live.get(course_id) == content.course_hash(folder):
            report.skipped.append(course_id)
            continue
        course, problems = content.load_course(folder)
        if problems or course is None:
            report.refused[course_id] = [str(p) for p in problems]
            continue
        try:
            changed = publish_course(course, report.git_commit)
        except Exception as error:  # keep the last good version live, go on with the rest
            db.session.rollback()
            report.refused[course_id] = [f"{course_id}: publishing failed: {error}"]
            continue
        (report.published if changed else report.skipped).append(course_id)
    report.retired = retire_missing({folder.name for folder in folders})
    return report


# A lesson's reference to one of its course's files, as the sanitizer leaves it.
MEDIA_REFERENCE = re.compile(r'(\b(?:src|href)=")(media/[A-Za-z0-9_][A-Za-z0-9._/-]*)"')
MEDIA_VERSION_LENGTH = 16


def live_hashes() -> dict[str, str]:
    """Content hash of each course's live version, for courses that are not retired."""
    rows = db.session.execute(
        select(Course.id, CourseVersion.content_hash)
        .join(CourseVersion, Course.live_version_id == CourseVersion.id)
        .where(Course.retired_at.is_(None))
    )
    return dict(rows.all())


def publish_course(course: content.Course, git_commit: str | None) -> bool:
    """Make this content the live version of the course; False when it is already live."""
    existing = db.session.get(Course, course.id)
    if (
        existing is not None
        and existing.retired_at is None
        and existing.live_version is not None
        and existing.live_version.content_hash == course.content_hash
    ):
        return False
    if existing is None:
        existing = Course(id=course.id)
        db.session.add(existing)

    version = _build_version(course, git_commit)
    _version_media_references(version, course.media)
    db.session.add(version)
    db.session.flush()  # the version needs its id before media and the live pointer
    _store_media(version, course.media)
    previous = existing.live_version_id
    existing.live_version = version
    existing.retired_at = None
    record("course.published", "course", course.id, before={"version_id": previous},
           after={"version_id": version.id, "content_hash": version.content_hash,
                  "git_commit": git_commit})
    version_published.send(current_app._get_current_object(), version=version)
    db.session.commit()
    return True


def _build_version(course: content.Course, git_commit: str | None) -> CourseVersion:
    version = CourseVersion(
        course_id=course.id,
        content_hash=course.content_hash,
        git_commit=git_commit,
        published_at=utcnow(),
        languages=list(course.languages),
        title=dict(course.title),
        summary=dict(course.summary),
        hours=float(course.hours),
        pass_mark=course.pass_mark,
        attempts=course.attempts,
        certificate_valid_months=course.certificate_valid_months,
        published=course.published,
        catalogue_order=course.order,
        countries=list(course.countries) if course.countries is not None else None,
        module_count=len(course.modules),
        total_minutes=sum(m.minutes for m in course.modules),
    )
    for module in course.modules:
        version.modules.append(
            Module(
                key=module.id,
                position=module.position,
                title=dict(module.title),
                html=dict(module.html),
                minutes=module.minutes,
                pass_mark=module.pass_mark or course.pass_mark,
                draw=module.draw,
                shuffle=module.shuffle,
                question_count=len(module.questions),
                questions=[
                    Question(
                        key=q.id,
                        position=q.position,
                        multiple=q.multiple,
                        text=dict(q.text),
                        explain=dict(q.explain),
                        options=[
                            Option(position=o.position, correct=o.correct, text=dict(o.text),
                                   feedback=dict(o.feedback))
                            for o in q.options
                        ],
                    )
                    for q in module.questions
                ],
            )
        )
    return version


def _version_media_references(version: CourseVersion,
                               media: tuple[content.MediaFile, ...]) -> None:
    """Point the lessons at versioned media URLs (media/flow.svg?v=<hash>), so browsers
    may keep each file for a year and a changed file gets a new URL."""
    versions = {item.path: media_version(hashlib.sha256(item.data).hexdigest())
                for item in media}
    if not versions:
        return

    def versioned(match: re.Match) -> str:
        found = versions.get(match.group(2))
        return match.group(0) if found is None else f"{match.group(1)}{match.group(2)}?v={found}\""

    for module in version.modules:
        module.html = {lang: MEDIA_REFERENCE.sub(versioned, html)
                       for lang, html in module.html.items()}


def _store_media(version: CourseVersion, media: tuple[content.MediaFile, ...]) -> None:
    digests = {item.path: hashlib.sha256(item.data).hexdigest() for item in media}
    known = set(
        db.session.scalars(
            select(MediaBlob.sha256).where(MediaBlob.sha256.in_(set(digests.values())))
        )
    ) if digests else set()
    for item in media:
        digest = digests[item.path]
        if digest not in known:  # identical files are stored once across versions
            db.session.add(MediaBlob(sha256=digest, size=len(item.data), data=item.data))
            known.add(digest)
        db.session.add(MediaFile(version_id=version.id, path=item.path,
                                 content_type=item.content_type, sha256=digest))


def retire_missing(present: set[str]) -> list[str]:
    """Hide courses whose folder is gone; their versions, progress and certificates stay."""
    gone = list(
        db.session.scalars(
            select(Course).where(Course.retired_at.is_(None), Course.id.not_in(present))
        )
    )
    for course in gone:
        course.retired_at = utcnow()
    db.session.commit()
    return sorted(c.id for c in gone)


@dataclass(frozen=True)
class CourseStatus:
    course_id: str
    version_id: int | None
    content_hash: str | None
    git_commit: str | None
    published_at: object
    published: bool
    retired: bool
    title: dict


def course_statuses() -> list[CourseStatus]:
    """Every course with its live version, for `flask courses list` and the status page."""
    rows = db.session.execute(
        select(Course, CourseVersion)
        .outerjoin(CourseVersion, Course.live_version_id == CourseVersion.id)
        .order_by(Course.id)
    ).all()
    return [
        CourseStatus(
            course_id=course.id,
            version_id=version.id if version else None,
            content_hash=version.content_hash if version else None,
            git_commit=version.git_commit if version else None,
            published_at=version.published_at if version else None,
            published=bool(version and version.published),
            retired=course.retired_at is not None,
            title=version.title if version else {},
        )
        for course, version in rows
    ]


@dataclass(frozen=True)
class MediaHead:
    """What the media view needs before deciding to send the file: no bytes yet."""

    content_type: str
    sha256: str
    published: bool  # live and public: shared caches may keep it

    @property
    def version(self) -> str:
        """The ?v= of the file's versioned URL."""
        return media_version(self.sha256)


def media_version(sha256: str) -> str:
    return sha256[:MEDIA_VERSION_LENGTH]


def media_head(course_id: str, path: str, *, preview: bool) -> MediaHead | None:
    """Type and hash of a file of the course's live version, from the database, never
    the disk (the bytes are not read: a conditional request needs none); None when there
    is none, or the course is unpublished or retired and the reader may not preview."""
    row = db.session.execute(
        select(MediaFile.content_type, MediaFile.sha256, CourseVersion.published,
               Course.retired_at)
        .join(CourseVersion, MediaFile.version_id == CourseVersion.id)
        .join(Course, Course.live_version_id == CourseVersion.id)
        .where(Course.id == course_id, MediaFile.path == "media/" + path)
    ).first()
    if row is None:
        return None
    content_type, digest, published, retired_at = row
    public = bool(published) and retired_at is None
    if not public and not preview:
        return None
    return MediaHead(content_type, digest, public)


def media_bytes(sha256: str) -> bytes:
    return db.session.scalar(select(MediaBlob.data).where(MediaBlob.sha256 == sha256))
