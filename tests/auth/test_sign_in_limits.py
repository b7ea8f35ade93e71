"""Finding 4: sign-in limits that can lock out neither an office nor a person.

Time is simulated: auth/throttle.py reads its clock through `throttle.clock`. The
addresses are documentation addresses (TEST-NET) given to the test client; no
traffic leaves the process.
"""

from __future__ import annotations

import re

import pytest

from elearn.auth import throttle
from tests.factories import PASSWORD
from tests.web import csrf_token

OFFICE = "203.0.113.10"
HOME = "198.51.100.7"
ATTACKERS = [f"192.0.2.{n}" for n in range(1, 21)]
WRONG = "not the right password"
HOUR = 3600


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


class Browser:
    """One browser at one address, with its CSRF token fetched once."""

    def __init__(self, app, address: str, path: str = "/account/login") -> None:
        self.client = app.test_client()
        self.client.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
        self.path = path
        self.token = csrf_token(self.client, path)

    def post(self, **data):
        return self.client.post(self.path, data=dict(data, csrf_token=self.token))

    def sign_in(self, email: str, password: str):
        response = self.post(email=email, password=password)
        if response.status_code == 302:  # signed in: sign out, as people leave a shared PC
            token = csrf_token(self.client, "/account/profile")
            self.client.post("/account/logout", data={"csrf_token": token})
            self.token = csrf_token(self.client, self.path)
        return response


def test_a_class_of_30_behind_one_address_signs_in_with_two_typos_each(
        rate_limited_app, make_user, clock):
    emails = [f"learner{n}@example.lt" for n in range(30)]
    for email in emails:
        make_user(email=email)
    room = Browser(rate_limited_app, OFFICE)
    for email in emails:
        assert room.sign_in(email, WRONG).status_code == 422
        clock.advance(5)
        assert room.sign_in(email.upper(), PASSWORD + "x").status_code == 422
        clock.advance(5)
        assert room.sign_in(email, PASSWORD).status_code == 302, email
        clock.advance(5)


def test_a_person_attacked_from_20_addresses_still_signs_in(rate_limited_app, make_user, clock):
    make_user(email="ona@example.lt")
    attackers = [Browser(rate_limited_app, address) for address in ATTACKERS]
    refused = 0
    for _ in range(8):  # 160 guesses over five simulated minutes
        for attacker in attackers:
            refused += attacker.post(email="ona@example.lt", password=WRONG).status_code == 429
            clock.advance(2)
    assert refused > 50, "the attack was not slowed down: make it longer"
    # From a new address her right password works at once, even after a typo or two.
    assert Browser(rate_limited_app, HOME).sign_in("ona@example.lt", PASSWORD).status_code == 302
    phone = Browser(rate_limited_app, "2001:db8:1:2::5")
    assert phone.sign_in("ona@example.lt", WRONG).status_code == 422
    assert phone.sign_in("ona@example.lt", WRONG).status_code == 422
    assert phone.sign_in("ona@example.lt", PASSWORD).status_code == 302
    # An address the attack came from (her own network, say) waits at most the longest
    # documented delay once the attack stops; there is no lock-out.
    shared = attackers[0]
    paused = shared.post(email="ona@example.lt", password=PASSWORD)
    assert paused.status_code == 429
    assert re.search(r"Wait \d+ (seconds?|minutes?) and try again", paused.get_data(as_text=True))
    clock.advance(throttle.SIGN_IN.pair.longest_delay)
    assert shared.sign_in("ona@example.lt", PASSWORD).status_code == 302


def _guesses_in(attackers, clock: Clock, seconds: int, email: str) -> int:
    """Attackers taking turns, one request every 10 simulated seconds (six times what
    the account lets through): the guesses checked."""
    checked = 0
    for step in range(seconds // 10):
        response = attackers[step % len(attackers)].post(email=email, password=WRONG)
        assert response.status_code in (422, 429)
        checked += response.status_code == 422
        clock.advance(10)
    return checked


def test_an_attackers_guess_rate_per_account_stays_under_the_ceiling(
        rate_limited_app, make_user, clock):
    """docs/security.md: 3 tries per address that has not failed on the account, 5 more,
    then at most one a minute (the account's delay doubles from 2 s to 60 s)."""
    make_user(email="ona@example.lt")
    attackers = [Browser(rate_limited_app, address) for address in ATTACKERS]
    pair, account = throttle.SIGN_IN.pair, throttle.SIGN_IN.account
    half_hour = HOUR // 2
    first = _guesses_in(attackers, clock, half_hour, "ona@example.lt")
    ramp = 6  # the delays 2, 4, 8, 16, 32 s before the 60-second ceiling
    assert first <= len(ATTACKERS) * pair.free + account.free + ramp + half_hour // 60
    then = _guesses_in(attackers, clock, half_hour, "ona@example.lt")
    assert then <= half_hour // account.longest_delay + 1
    # An unknown address is slowed down exactly the same way (nothing to tell them apart).
    strangers = [Browser(rate_limited_app, address) for address in ATTACKERS]
    assert _guesses_in(strangers, clock, half_hour, "nobody@example.lt") == first


def test_registrations_and_resets_of_a_class_behind_one_address_all_go_through(
        rate_limited_app, clock):
    room = Browser(rate_limited_app, OFFICE, "/account/register")
    for n in range(30):
        person = {"full_name": f"Learner {n}", "email": f"learner{n}@example.lt",
                  "municipality": "LT-57", "workplace": "Centras",
                  "profession": "social_worker", "locale": "lt"}
        typos = [dict(person, password=PASSWORD, confirm=PASSWORD + "x"),
                 dict(person, email="learner@", password=PASSWORD, confirm=PASSWORD)]
        for typo in typos:
            assert room.post(**typo).status_code == 422
        response = room.post(**person, password=PASSWORD, confirm=PASSWORD)
        assert response.status_code in (200, 302), n
        room = Browser(rate_limited_app, OFFICE, "/account/register")  # the next person's PC
        clock.advance(20)
    resets = Browser(rate_limited_app, OFFICE, "/account/reset")
    for n in range(30):
        assert resets.post(email=f"learner{n}@example.lt").status_code == 200
        clock.advance(5)


def test_reset_requests_for_one_address_slow_down_and_then_resume(rate_limited_app, clock):
    browser = Browser(rate_limited_app, HOME, "/account/reset")
    free = throttle.PASSWORD_RESET.pair.free
    statuses = [browser.post(email="ona@example.lt").status_code for _ in range(free + 3)]
    assert statuses == [200] * (free + 1) + [429, 429]
    clock.advance(throttle.PASSWORD_RESET.pair.longest_delay)
    assert browser.post(email="ona@example.lt").status_code == 200
    assert browser.post(email="jonas@example.lt").status_code == 200  # another account
