"""The valid two-language course loads without problems into the expected model."""

import dataclasses
import hashlib
from pathlib import Path

import pytest

from elearn.content import Course, MediaFile, Module, check_tree, load_course, load_tree

VALID_ROOT = Path(__file__).parent / "valid"


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, problems = load_course(VALID_ROOT / "recognising-victims")
    assert [str(p) for p in problems] == []
    assert loaded is not None
    return loaded


def _module(course: Course, module_id: str) -> Module:
    return next(m for m in course.modules if m.id == module_id)


def test_tree_has_one_valid_course() -> None:
    assert check_tree(VALID_ROOT) == []
    assert list(load_tree(VALID_ROOT)) == ["recognising-victims"]


def test_course_settings(course: Course) -> None:
    assert course.id == "recognising-victims"
    assert course.languages == ("lt", "en")
    assert course.title == {
        "lt": "Prekybos žmonėmis aukų atpažinimas",
        "en": "Recognising victims of human trafficking",
    }
    assert course.summary["en"].startswith("How to recognise")
    assert (course.hours, course.pass_mark, course.attempts) == (4.0, 70, 0)
    assert course.certificate_valid_months == 36
    assert course.published is True
    assert course.order == 10


def test_model_is_frozen_and_uses_tuples(course: Course) -> None:
    assert isinstance(course.modules, tuple)
    assert isinstance(course.modules[0].questions, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.id = "other"  # type: ignore[misc]


def test_modules_in_number_order(course: Course) -> None:
    assert [(m.id, m.position) for m in course.modules] == [
        ("what-is-trafficking", 1),
        ("indicators", 2),
    ]
    first = course.modules[0]
    assert first.title == {"lt": "Kas yra prekyba žmonėmis", "en": "What human trafficking is"}
    assert first.source == {
        "lt": "01-what-is-trafficking.lt.md",
        "en": "01-what-is-trafficking.en.md",
    }
    assert (first.pass_mark, first.draw, first.shuffle) == (None, None, True)


def test_shuffle_false_keeps_the_options_in_order(valid_course: Path) -> None:
    for lang in ("lt", "en"):
        path = valid_course / f"01-what-is-trafficking.{lang}.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace("---\n", "---\nshuffle: false\n", 1),
            encoding="utf-8",
        )
    course, problems = load_course(valid_course)
    assert [str(p) for p in problems] == []
    assert course is not None
    assert course.modules[0].shuffle is False


def test_minutes_from_front_matter_or_estimated(course: Course) -> None:
    assert _module(course, "indicators").minutes == 10
    # a short text (under a minute) plus one minute for each of the two questions
    assert _module(course, "what-is-trafficking").minutes == 2


def test_questions(course: Course) -> None:
    first, second = _module(course, "what-is-trafficking").questions
    assert (first.id, first.position, first.multiple) == ("documents", 1, False)
    assert (second.id, second.position, second.multiple) == ("2", 2, True)
    assert first.text["en"] == (
        'An employer keeps a worker\'s passport "for safe keeping". What does this '
        "<em>suggest</em>?"
    )
    assert first.text["lt"].endswith("Ką tai <em>rodo</em>?")
    assert first.explain == {"lt": "Rodoma po bandymo.", "en": "Shown after the attempt."}
    assert second.explain == {"lt": "", "en": ""}
    assert [(o.position, o.correct) for o in first.options] == [(1, True), (2, False)]
    assert first.options[0].text["en"] == "A possible means of control"
    assert first.options[1].feedback["lt"].startswith("Darbdavys neturi teisės")
    assert [o.correct for o in second.options] == [True, True, False]
    assert second.options[2].feedback == {"lt": "", "en": ""}
    assert _module(course, "indicators").questions == ()


def test_alert_titles_in_the_course_languages(course: Course) -> None:
    html = _module(course, "indicators").html
    for lang, titles in {
        "lt": ("Pastaba", "Patarimas", "Svarbu", "Atsargiai"),
        "en": ("Note", "Tip", "Important", "Caution"),
    }.items():
        for kind, title in zip(("note", "tip", "important", "caution"), titles, strict=True):
            assert (
                f'<div class="alert alert-{kind}" role="note">\n<p class="alert-title">{title}</p>'
            ) in html[lang]
    warning = _module(course, "what-is-trafficking").html
    assert '<p class="alert-title">Įspėjimas</p>' in warning["lt"]
    assert '<p class="alert-title">Warning</p>' in warning["en"]


def test_contacts_placeholder(course: Course) -> None:
    assert '<div data-contacts="police,ngo"></div>' in course.modules[0].html["lt"]
    assert '<div data-contacts=""></div>' in course.modules[1].html["en"]


def test_quiz_is_not_in_the_lesson_html(course: Course) -> None:
    for module in course.modules:
        for html in module.html.values():
            assert "quiz" not in html
            assert "options:" not in html


def test_heading_anchors_keep_lithuanian_letters_and_are_unique(course: Course) -> None:
    html = course.modules[0].html
    assert '<h2 id="kas-yra-išnaudojimas">' in html["lt"]
    assert '<h2 id="kas-yra-išnaudojimas-1">' in html["lt"]
    assert '<h2 id="what-is-exploitation">' in html["en"]
    assert '<h2 id="what-is-exploitation-1">' in html["en"]


def test_links_between_modules_become_module_ids(course: Course) -> None:
    first, second = course.modules
    assert '<a href="indicators#dokumentai">' in first.html["lt"]
    assert '<a href="indicators#documents">' in first.html["en"]
    assert '<a href="what-is-trafficking">' in second.html["en"]


def test_external_links_and_media(course: Course) -> None:
    html = course.modules[0].html["en"]
    assert '<a href="https://e-tar.lt/" rel="noopener noreferrer">' in html
    assert '<img src="media/referral-flow.svg" alt="Referral flow">' in html


def test_gfm_features(course: Course) -> None:
    html = course.modules[0].html["en"]
    assert '<th class="align-left">Indicator</th>' in html
    assert '<td class="align-right">high</td>' in html
    assert 'class="task-list-item-checkbox" disabled="" type="checkbox" checked=""' in html
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in html
    assert '<li id="fn1" class="footnote-item"><p>Criminal Code, article 147.' in html


def test_media(course: Course) -> None:
    (svg,) = course.media
    data = (VALID_ROOT / "recognising-victims" / "media" / "referral-flow.svg").read_bytes()
    assert svg == MediaFile(
        "media/referral-flow.svg", "image/svg+xml", data, hashlib.sha256(data).hexdigest()
    )


def test_content_hash_is_stable(course: Course, valid_course: Path) -> None:
    again, _ = load_course(valid_course)
    assert again is not None
    assert again.content_hash == course.content_hash
    assert len(course.content_hash) == 64


@pytest.mark.parametrize(
    "rel",
    [
        "course.yml",
        "01-what-is-trafficking.lt.md",
        "02-indicators.en.md",
        "media/referral-flow.svg",
        "README.md",
    ],
)
def test_content_hash_changes_with_any_file(course: Course, valid_course: Path, rel: str) -> None:
    path = valid_course / rel
    path.write_bytes(path.read_bytes() + b"\n")
    changed, problems = load_course(valid_course)
    assert problems == []
    assert changed is not None
    assert changed.content_hash != course.content_hash


def test_content_hash_covers_file_names(course: Course, valid_course: Path) -> None:
    (valid_course / "README.md").rename(valid_course / ".notes")
    renamed, problems = load_course(valid_course)
    assert problems == []
    assert renamed is not None
    assert renamed.content_hash != course.content_hash
