"""Checker behaviour beyond one-problem-per-case: no cascades, lines, accepted variants."""

from pathlib import Path

from elearn.content import load_course

TWO_LANGUAGES = """title:
  lt: Kursas
  en: Course
summary:
  lt: Santrauka.
  en: Summary.
hours: 2
"""
QUIZ = """```quiz
- id: first
  q: One?
  options:
    - text: "Yes"
      correct: true
    - text: "No"
- q: Two?
  options:
    - text: A
      correct: true
    - text: B
- id: "2"
  q: Three?
  options:
    - text: A
      correct: true
    - text: B
```
"""


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in load_course(folder)[1]]


def test_a_wrong_setting_is_reported_once_not_compared(write_course_folder) -> None:
    folder = write_course_folder(
        {
            "course.yml": TWO_LANGUAGES,
            "01-intro.md": None,
            "01-intro.lt.md": "---\ntitle: Įvadas\nminutes: 5\n---\n",
            "01-intro.en.md": "---\ntitle: Intro\nminutes: 0\n---\n",
        }
    )
    assert _problems(folder) == ["demo/01-intro.en.md:3: minutes must be a whole number, 1 or more"]


def test_an_explicit_id_clashing_with_a_position_points_at_the_question(
        write_course_folder) -> None:
    folder = write_course_folder({"01-intro.md": "---\ntitle: x\n---\n\n" + QUIZ})
    assert _problems(folder) == [
        "demo/01-intro.md:17: question 3: id '2' is already used by question 2: "
        "give each question its own id"
    ]


def test_a_single_language_course_may_name_the_language(write_course_folder) -> None:
    folder = write_course_folder({"01-intro.md": None, "01-intro.en.md": "---\ntitle: x\n---\n"})
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None
    assert course.modules[0].source == {"en": "01-intro.en.md"}


def test_links_to_another_language_file_of_a_module_work(write_course_folder) -> None:
    folder = write_course_folder(
        {
            "course.yml": TWO_LANGUAGES,
            "01-intro.md": None,
            "01-intro.lt.md": "---\ntitle: Įvadas\n---\n\n[toliau](02-next.lt.md)\n",
            "01-intro.en.md": "---\ntitle: Intro\n---\n\n[next](02-next.lt.md)\n",
            "02-next.lt.md": "---\ntitle: Toliau\n---\n",
            "02-next.en.md": "---\ntitle: Next\n---\n",
        }
    )
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None
    assert course.modules[0].html["en"] == '<p><a href="next">next</a></p>\n'


def test_wrong_language_codes_are_reported_once(write_course_folder) -> None:
    folder = write_course_folder(
        {"course.yml": "title:\n  xx: Kurssi\nsummary:\n  xx: Yhteenveto\nhours: 1\n"}
    )
    assert _problems(folder) == [
        "demo/course.yml:2: 'xx' is not a two-letter ISO 639-1 language code such as lt or en",
        "demo/course.yml:4: 'xx' is not a two-letter ISO 639-1 language code such as lt or en",
    ]


def test_optional_fields_left_empty_take_their_defaults(write_course_folder) -> None:
    folder = write_course_folder(
        {
            "course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 1.5\n"
            "pass_mark:\norder:\ncertificate_valid_months:\npublished: false\n"
        }
    )
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None
    assert (course.hours, course.pass_mark, course.attempts) == (1.5, 80, 3)
    assert (course.order, course.certificate_valid_months, course.published) == (
        None,
        None,
        False,
    )


def test_every_problem_of_a_file_in_one_run(write_course_folder) -> None:
    folder = write_course_folder(
        {
            "01-intro.md": "---\ntitle: x\nminuts: 3\n---\n\n# Big\n\n![](media/a.png)\n\n"
            "<span>x</span>\n\n```contacts\nroles: polise\n```\n"
        }
    )
    assert _problems(folder) == [
        "demo/01-intro.md:3: front matter: unknown field 'minuts': did you mean 'minutes'?",
        "demo/01-intro.md:6: use ## for sections: the module title is the page heading",
        "demo/01-intro.md:8: image media/a.png has no alt text: describe it, "
        "![like this](media/a.png)",
        "demo/01-intro.md:8: 'media/a.png' does not exist in the course folder",
        "demo/01-intro.md:10: raw HTML <span> is not allowed and would be removed: "
        "use Markdown instead",
        "demo/01-intro.md:13: unknown contacts role 'polise': use police, ngo, child-rights, "
        "social-services, health, education, prosecutor, other",
    ]


def test_module_links_are_file_names_alone(write_course_folder) -> None:
    folder = write_course_folder(
        {
            "01-intro.md": "---\ntitle: x\n---\n\n[a](./02-next.md#part) [b](x/../02-next.md)\n",
            "02-next.md": "---\ntitle: y\n---\n",
        }
    )
    assert _problems(folder) == [
        "demo/01-intro.md:5: 'x/../02-next.md': link to a module by its file name alone, "
        "such as 02-next.md"
    ]


def test_media_in_path_order_including_subfolders(write_course_folder) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    folder = write_course_folder({"media/b.svg": svg, "media/a/z.svg": svg, "media/c/a.svg": svg})
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None
    assert [m.path for m in course.media] == ["media/a/z.svg", "media/b.svg", "media/c/a.svg"]
