"""Published courses: every version kept whole, so history and certificates can refer to it.

A Course is the stable identity (the folder name). Each sync that changes a course
adds a CourseVersion with its modules, questions, options and media, and points the
course's live_version at it in the same transaction. Learner progress is keyed on
course id + module key + question key, never on these rows' ids, so it survives edits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow

# Per-language texts are stored as {"lt": "...", "en": "..."} in JSON columns.
LangText = dict[str, str]


def in_language(texts: LangText, lang: str, fallback: tuple[str, ...] = ()) -> tuple[str, str]:
    """The text in lang, else in the first fallback language that has it: (text, language)."""
    for candidate in (lang, *fallback, *texts):
        if texts.get(candidate):
            return texts[candidate], candidate
    return "", lang


class Course(db.Model):
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    live_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_version.id", use_alter=True, ondelete="SET NULL")
    )
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    live_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[live_version_id], post_update=True
    )


class CourseVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    git_commit: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    languages: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[LangText] = mapped_column(JSON)
    summary: Mapped[LangText] = mapped_column(JSON)
    hours: Mapped[float] = mapped_column(Float)
    pass_mark: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)  # 0 = unlimited
    certificate_valid_months: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean)  # False: authors and admins only
    catalogue_order: Mapped[int | None] = mapped_column(Integer)
    # ISO 3166-1 codes of the deployments the course is for; None: every country.
    countries: Mapped[list[str] | None] = mapped_column(JSON)
    # Kept on the version so the catalogue needs no join over modules.
    module_count: Mapped[int] = mapped_column(Integer)
    total_minutes: Mapped[int] = mapped_column(Integer)

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    modules: Mapped[list[Module]] = relationship(
        back_populates="version", order_by="Module.position", cascade="all, delete-orphan"
    )

    def is_for(self, country: str) -> bool:
        """Whether the course is for a deployment in this country (course.yml's countries)."""
        return self.countries is None or country in self.countries

    def offered_in(self, country: str) -> bool:
        """Whether learners of a deployment in this country see it: published and for it.
        Authors and admins preview the others."""
        return self.published and self.is_for(country)


class Module(db.Model):
    __tablename__ = "course_module"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))  # the module id from its file name
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[LangText] = mapped_column(JSON)
    html: Mapped[LangText] = mapped_column(JSON)  # rendered and sanitized at publishing
    minutes: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[int] = mapped_column(Integer)  # the module's own, else the course's
    draw: Mapped[int | None] = mapped_column(Integer)
    # False: options keep the author's order (front matter shuffle: false)
    shuffle: Mapped[bool] = mapped_column(Boolean, server_default=true())
    question_count: Mapped[int] = mapped_column(Integer)

    version: Mapped[CourseVersion] = relationship(back_populates="modules")
    questions: Mapped[list[Question]] = relationship(
        back_populates="module", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def has_quiz(self) -> bool:
        return self.question_count > 0


class Question(db.Model):
    __table_args__ = (UniqueConstraint("module_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_module.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    multiple: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[LangText] = mapped_column(JSON)
    explain: Mapped[LangText] = mapped_column(JSON)

    module: Mapped[Module] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )


class Option(db.Model):
    __tablename__ = "question_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[LangText] = mapped_column(JSON)
    feedback: Mapped[LangText] = mapped_column(JSON)

    question: Mapped[Question] = relationship(back_populates="options")


class MediaBlob(db.Model):
    """File contents, stored once however many versions use them."""

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MediaFile(db.Model):
    version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), primary_key=True)
    path: Mapped[str] = mapped_column(String(255), primary_key=True)  # "media/flow.svg"
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(ForeignKey("media_blob.sha256"))


class HookDelivery(db.Model):
    """A push the hook has processed, by the git host's delivery id, kept for a day so a
    replay (or the host's own redelivery) syncs nothing twice, whichever worker gets it."""

    __tablename__ = "hook_delivery"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
