"""Quiz rules on their own: drawing, reading a form, grading, cool-downs."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elearn.learning.grading import (
    ForgedAnswer,
    PoolQuestion,
    allowance,
    attempts_ago,
    draw,
    grade,
    read_answers,
    streak_after,
)

POOL = [PoolQuestion(id=10 + n, key=f"k{n}", position=n, option_ids=(100 + 10 * n, 101 + 10 * n,
                                                                     102 + 10 * n))
        for n in range(6)]
DRAWN = [{"id": 1, "key": "a", "options": [11, 12]}, {"id": 2, "key": "b", "options": [23, 21, 22]}]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_draw_takes_all_questions_in_order_when_draw_is_unset():
    drawn = draw(POOL, None)
    assert [q["key"] for q in drawn] == [q.key for q in POOL]
    for item, question in zip(drawn, POOL, strict=True):
        assert sorted(item["options"]) == sorted(question.option_ids)


def test_draw_samples_the_requested_number_in_the_authors_order():
    drawn = draw(POOL, 3)
    positions = [int(q["key"][1:]) for q in drawn]
    assert len(drawn) == 3 and positions == sorted(positions)


def test_a_pool_of_twice_the_draw_gives_a_retry_no_question_of_the_attempt_before():
    previous: list[list[dict]] = []  # newest first
    for _ in range(40):
        drawn = draw(POOL, 3, last_seen=attempts_ago(previous))
        keys = {q["key"] for q in drawn}
        assert len(keys) == 3
        if previous:
            assert not keys & {q["key"] for q in previous[0]}
        previous.insert(0, drawn)


def test_unseen_questions_come_first_then_those_seen_longest_ago():
    # Pool of 6, draw 4: after k0-k3, the two unseen (k4, k5) and two of k0-k3.
    first = [{"key": f"k{n}"} for n in range(4)]
    drawn = {q["key"] for q in draw(POOL, 4, last_seen=attempts_ago([first]))}
    assert {"k4", "k5"} <= drawn
    # Seen two attempts ago (k0, k1) is preferred to seen in the last one (k2, k3).
    older, newer = [{"key": "k0"}, {"key": "k1"}], [{"key": "k2"}, {"key": "k3"}]
    last_seen = attempts_ago([[*newer, {"key": "k4"}, {"key": "k5"}], older])
    assert last_seen == {"k2": 1, "k3": 1, "k4": 1, "k5": 1, "k0": 2, "k1": 2}
    assert {q["key"] for q in draw(POOL, 2, last_seen=last_seen)} == {"k0", "k1"}


def test_without_a_draw_every_question_is_asked_again():
    seen = attempts_ago([[{"key": q.key} for q in POOL]])
    assert [q["key"] for q in draw(POOL, None, last_seen=seen)] == [q.key for q in POOL]


def test_options_are_shuffled_between_attempts():
    orders = {tuple(draw(POOL, None)[0]["options"]) for _ in range(60)}
    assert len(orders) > 1


def test_options_keep_their_order_when_shuffle_is_off():
    for _ in range(20):
        drawn = draw(POOL, 3, shuffle=False)
        assert [item["options"] for item in drawn] == [
            list(q.option_ids) for q in POOL if q.id in {item["id"] for item in drawn}
        ]


def test_read_answers_maps_shown_positions_to_option_ids():
    answers = read_answers({"q-0": ["1"], "q-1": ["0", "2"], "csrf_token": ["x"]}, DRAWN,
                           [False, True])
    assert answers.chosen == [[12], [23, 22]] and answers.complete


def test_unanswered_questions_are_reported_not_scored():
    answers = read_answers({"q-1": ["0"]}, DRAWN, [False, True])
    assert answers.missing == {0} and not answers.complete


@pytest.mark.parametrize("form", [
    {"q-2": ["0"]},  # no such question
    {"q-0": ["2"]},  # no such option
    {"q-0": ["-1"]},
    {"q-0": ["1e3"]},
    {"q-x": ["0"]},
    {"q-0": ["0", "1"]},  # two answers to a single-choice question
    {"q-1": ["0", "0"]},  # the same option twice
    {"q-0": ["99999999999999999999"]},
    {"q-0": ["\u00b2"]},  # a superscript two: a digit to str.isdigit(), not to int()
    {"q-\u0661": ["0"]},  # an Arabic-Indic one
    {"q-0": ["1"], "q-00": ["0"]},  # the same question twice under another name
])
def test_forged_fields_are_refused(form):
    with pytest.raises(ForgedAnswer):
        read_answers(form, DRAWN, [False, True])


@given(st.dictionaries(st.text(max_size=6), st.lists(st.text(max_size=4), max_size=4)))
def test_any_form_is_either_read_or_refused(form):
    try:
        answers = read_answers(form, DRAWN, [False, True])
    except ForgedAnswer:
        return
    for chosen, item in zip(answers.chosen, DRAWN, strict=True):
        assert set(chosen) <= set(item["options"])


def test_a_question_counts_only_with_all_and_only_the_right_options():
    right = [{12}, {21, 22}]
    assert grade([[12], [21, 22]], right, 80).passed
    result = grade([[12], [21, 22, 23]], right, 80)
    assert result.correct == [True, False] and result.score == 50 and not result.passed
    assert grade([[12], [21]], right, 50).passed


def test_pass_mark_compared_exactly():
    assert grade([[1]] * 4 + [[2]], [{1}] * 5, 80).passed  # 4 of 5 = 80 %
    two_of_three = grade([[1], [1], [2]], [{1}] * 3, 67)
    assert two_of_three.score == 66 and not two_of_three.passed


def test_cool_down_after_the_last_failed_attempt():
    assert allowance(3, 2, NOW, NOW).left == 1
    locked = allowance(3, 3, NOW, NOW + timedelta(hours=23))
    assert locked.locked_until == NOW + timedelta(hours=24) and locked.left == 0
    after = allowance(3, 3, NOW, NOW + timedelta(hours=24))
    assert after.locked_until is None and after.left == 3


def test_unlimited_attempts_never_lock():
    quota = allowance(0, 50, NOW, NOW)
    assert quota.unlimited and quota.locked_until is None and quota.left is None


def test_failed_streak_restarts_after_a_cool_down_and_clears_on_a_pass():
    assert streak_after(3, 0, passed=False) == 1
    assert streak_after(3, 2, passed=False) == 3
    assert streak_after(3, 3, passed=False) == 1
    assert streak_after(3, 2, passed=True) == 0
    assert streak_after(0, 7, passed=False) == 8
