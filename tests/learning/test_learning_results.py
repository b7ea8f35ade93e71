"""What a result page gives away: after a failed attempt, only the learner's own
answers; after a passed one, everything. And a retry asks other questions when the
pool allows."""

from __future__ import annotations

from elearn.extensions import db
from elearn.learning.models import Attempt
from elearn.publishing.models import Option, Question
from tests.web import main_html, open_attempt, submit


def _fail_choosing(app, drawn, first: str, second: list[str]) -> dict[str, list[str]]:
    """Answers by option text (as seen on the page), translated to shown positions."""
    answers: dict[str, list[str]] = {}
    with app.app_context():
        attempt = db.session.get(Attempt, drawn.attempt_id)
        for index, item in enumerate(attempt.questions):
            wanted = [first] if item["key"] == "first" else second
            texts = [db.session.get(Option, oid).text["en"] for oid in item["options"]]
            answers[f"q-{index}"] = [str(texts.index(f"{w} [en]")) for w in wanted]
    return answers


def test_a_failed_attempt_shows_her_answers_and_their_feedback_only(app, client, login_as,
                                                                   published_course):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    response = submit(client, drawn, _fail_choosing(app, drawn, "No", ["C"]))
    location = response.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    html = main_html(client.get(location))
    assert "Not passed this time." in html and "(0%)" in html
    assert html.count("not correct") == 2
    assert "FEEDBACK-NO [en]" in html and "FEEDBACK-C [en]" in html  # what she chose
    for secret in ("FEEDBACK-YES", "FEEDBACK-A", "FEEDBACK-B", "EXPLAIN", "Correct answer",
                   "option-correct"):
        assert secret not in page, secret
    assert html.count("<strong>Your answer</strong>") == 2
    # The options are listed as shown, so she can see what she chose among them.
    assert "Yes [en]" in html and "A [en]" in html and "B [en]" in html


def test_the_failed_page_does_not_depend_on_which_other_option_is_right(app, client, login_as,
                                                                       published_course):
    """The same page whichever of the options she did not choose is the correct one:
    nothing on it (text, attribute, order) can tell them apart."""
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    location = submit(client, drawn, _fail_choosing(app, drawn, "No", ["C"])).headers["Location"]
    before = main_html(client.get(location))
    with app.app_context():
        second = db.session.query(Question).filter_by(key="second").one()
        for option in second.options:  # A and B were right; now only B is
            option.correct = option.text["en"] == "B [en]"
        db.session.commit()
    assert main_html(client.get(location)) == before


def test_a_passed_attempt_shows_everything(app, client, login_as, published_course):
    published_course(pass_mark=50)
    login_as()
    drawn = open_attempt(app, client)
    answers = _fail_choosing(app, drawn, "Yes", ["C"])  # first right, second wrong: 50 %
    html = main_html(client.get(submit(client, drawn, answers).headers["Location"]))
    assert "You passed." in html
    for shown in ("FEEDBACK-YES", "FEEDBACK-NO", "FEEDBACK-A", "FEEDBACK-B", "FEEDBACK-C",
                  "EXPLAIN-FIRST", "EXPLAIN-SECOND", "Correct answer"):
        assert shown in html, shown


def test_a_retry_draws_the_question_she_has_not_seen(app, client, login_as, published_course):
    published_course(draw=1)  # a pool of two, one drawn: twice the draw
    user_id = login_as()
    keys = []
    for _ in range(3):
        drawn = open_attempt(app, client)
        submit(client, drawn, drawn.wrong)
        with app.app_context():
            keys.append(db.session.get(Attempt, drawn.attempt_id).questions[0]["key"])
    assert keys[1] != keys[0] and keys[2] != keys[1]
    with app.app_context():
        assert db.session.query(Attempt).filter_by(user_id=user_id).count() == 3
