"""A new course folder that passes the checker, for authors to fill in."""

from collections.abc import Sequence
from pathlib import Path

from .fields import is_language
from .rules import COURSE_FILE, ID_RE

_TEXTS = {
    "lt": {
        "title": "Naujas kursas",
        "summary": "Trumpas kurso aprašymas katalogui.",
        "module": "Įvadas",
        "body": "Pamokos tekstą rašykite čia, GitHub Markdown formatu.",
        "section": "Kur kreiptis",
        "tip": "Kontaktai rodomi pagal besimokančiojo savivaldybę.",
        "q": "Ką daryti, jei įtariate prekybą žmonėmis?",
        "right": "Kreiptis pagal savivaldybės nukreipimo tvarką",
        "right_feedback": "Taip: tam ir skirta nukreipimo tvarka.",
        "wrong": "Palaukti, kol asmuo pats aiškiai paprašys pagalbos",
        "wrong_feedback": "Daug aukų pagalbos neprašo; laukimas palieka žmogų pavojuje.",
        "explain": "Nukreipimo kontaktai yra šios pamokos skyriuje „Kur kreiptis“.",
    },
    "en": {
        "title": "New course",
        "summary": "A short description of the course for the catalogue.",
        "module": "Introduction",
        "body": "Write the lesson here, in GitHub-flavoured Markdown.",
        "section": "Where to refer",
        "tip": "The contacts shown depend on the learner's municipality.",
        "q": "What do you do when you suspect human trafficking?",
        "right": "Follow the municipality's referral procedure",
        "right_feedback": "Yes: that is what the referral procedure is for.",
        "wrong": "Wait until the person clearly asks you for help",
        "wrong_feedback": "Many victims do not ask for help; waiting leaves the person in danger.",
        "explain": "The referral contacts are in this lesson's 'Where to refer' section.",
    },
}


def scaffold_course(root: Path, course_id: str, languages: Sequence[str] = ("lt", "en")) -> Path:
    """Write a new course folder under root and return it; ValueError for a bad id or folder."""
    languages = tuple(languages)
    if not ID_RE.fullmatch(course_id):
        raise ValueError(f"course id {course_id!r} must be lowercase letters, digits and dashes")
    if not languages or len(set(languages)) != len(languages):
        raise ValueError("give one or more languages, each once")
    for lang in languages:
        if not is_language(lang):
            raise ValueError(f"{lang!r} is not a two-letter ISO 639-1 language code")
    folder = Path(root) / course_id
    if folder.exists() or folder.is_symlink():
        raise ValueError(f"{folder} already exists")
    texts = {lang: _TEXTS.get(lang, _TEXTS["en"]) for lang in languages}
    folder.mkdir(parents=True)
    (folder / COURSE_FILE).write_text(_course_file(texts), encoding="utf-8")
    for lang, text in texts.items():
        (folder / f"01-introduction.{lang}.md").write_text(_module(text), encoding="utf-8")
    return folder


def _course_file(texts: dict[str, dict[str, str]]) -> str:
    lines = ["# The keys of title are the course's languages. See docs/authoring.md.", "title:"]
    lines += [f"  {lang}: {text['title']}" for lang, text in texts.items()]
    lines.append("summary:")
    lines += [f"  {lang}: {text['summary']}" for lang, text in texts.items()]
    lines += [
        "hours: 1",
        "# Only authors and admins see the course until this is true.",
        "published: false",
        "",
    ]
    return "\n".join(lines)


def _module(text: dict[str, str]) -> str:
    return f"""---
title: {text["module"]}
---

{text["body"]}

## {text["section"]}

> [!TIP]
> {text["tip"]}

```contacts
roles: police, ngo
```

```quiz
- id: first-step
  q: "{text["q"]}"
  options:
    - text: "{text["right"]}"
      correct: true
      feedback: "{text["right_feedback"]}"
    - text: "{text["wrong"]}"
      feedback: "{text["wrong_feedback"]}"
  explain: "{text["explain"]}"
```
"""
