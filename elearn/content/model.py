"""The checked course model: plain frozen dataclasses, all HTML rendered and sanitized.

Dictionaries are keyed by language code. Nothing here knows about Flask or the database;
the publishing layer stores these objects and the lesson pages serve their HTML as is.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Option:
    position: int
    correct: bool
    text: dict[str, str]
    feedback: dict[str, str]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    position: int
    multiple: bool
    text: dict[str, str]
    explain: dict[str, str]
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    position: int
    title: dict[str, str]
    minutes: int
    pass_mark: int | None
    draw: int | None
    shuffle: bool  # options shown in a new order each attempt (front matter shuffle: false)
    html: dict[str, str]
    questions: tuple[Question, ...]
    source: dict[str, str]


@dataclass(frozen=True, slots=True)
class MediaFile:
    path: str
    content_type: str
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    languages: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    hours: float
    pass_mark: int
    attempts: int
    certificate_valid_months: int | None
    published: bool
    order: int | None
    modules: tuple[Module, ...]
    media: tuple[MediaFile, ...]
    content_hash: str
