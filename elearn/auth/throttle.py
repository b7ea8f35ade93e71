"""Slowing down password guessing without locking anyone out (OWASP's guidance).

Failures are counted per account (the e-mail address typed, known or not, so the
answers tell nothing about which accounts exist) and per pair of account and
address. Each count earns a delay that doubles with every failure beyond a few free
ones and stops growing at a minute (per account) or five (per address); an
account's count is forgotten a day after its last failure, an address's a quarter of
an hour after its own (but not while the account's is remembered). There is no
lock-out: once the delay has passed, the next try is
checked. An address that has not used up its own free failures on an account is not
held back by failures from elsewhere, so a stranger hammering a person's account
from other addresses cannot keep her out. The generous limit per address (a whole
training room shares one) is Flask-Limiter's, on the views.

The counts live in Redis when REDIS_URL is set (shared by every worker), else in
this process. docs/security.md gives the numbers and why.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from dataclasses import dataclass

from flask import current_app

from elearn.extensions import client_address

clock = time.time  # tests move time forward instead of waiting


@dataclass(frozen=True)
class Policy:
    free: int  # failures that cost no delay (typos)
    first_delay: int  # seconds, after the first failure beyond the free ones
    longest_delay: int  # seconds: the delay never grows beyond this
    forget_after: int = 15 * 60  # seconds without a failure, then the count starts again

    def delay(self, failures: int) -> int:
        beyond = failures - self.free
        if beyond <= 0:
            return 0
        return min(self.longest_delay, self.first_delay * 2 ** min(beyond - 1, 30))


@dataclass(frozen=True)
class Limits:
    name: str
    account: Policy  # failures from every address together
    pair: Policy  # failures of one address on one account


DAY = 24 * 3600
SIGN_IN = Limits("sign-in",
                 account=Policy(free=5, first_delay=2, longest_delay=60, forget_after=DAY),
                 pair=Policy(free=3, first_delay=2, longest_delay=5 * 60))
# Every reset request or registration with an address counts: each may send an e-mail.
PASSWORD_RESET = Limits("reset",
                        account=Policy(free=3, first_delay=30, longest_delay=5 * 60,
                                       forget_after=DAY),
                        pair=Policy(free=3, first_delay=30, longest_delay=5 * 60))
REGISTRATION = Limits("register",
                      account=Policy(free=3, first_delay=30, longest_delay=5 * 60,
                                     forget_after=DAY),
                      pair=Policy(free=3, first_delay=30, longest_delay=5 * 60))


@dataclass(frozen=True)
class Count:
    failures: int = 0
    last: float = 0.0

    def wait(self, policy: Policy, now: float) -> float:
        return max(0.0, self.last + policy.delay(self.failures) - now)


class MemoryCounts:
    """One worker's counts (development, tests, a single gunicorn worker)."""

    def __init__(self) -> None:
        self._counts: dict[str, Count] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Count:
        return self._counts.get(key, Count())

    def add(self, key: str, now: float, keep: int) -> None:
        with self._lock:
            if len(self._counts) > 100_000:  # forget stale keys rather than grow
                self._counts = {k: c for k, c in self._counts.items() if c.last > now - keep}
            self._counts[key] = Count(self.get(key).failures + 1, now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisCounts:
    """Counts shared by every worker through Redis."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def get(self, key: str) -> Count:
        failures, last = self._redis.hmget(self._prefix + key, "failures", "last")
        return Count(int(failures or 0), float(last or 0))

    def add(self, key: str, now: float, keep: int) -> None:
        with self._redis.pipeline() as pipe:
            pipe.hincrby(self._prefix + key, "failures", 1)
            pipe.hset(self._prefix + key, "last", now)
            pipe.expire(self._prefix + key, keep)
            pipe.execute()

    def clear(self, key: str) -> None:
        self._redis.delete(self._prefix + key)


def _counts() -> MemoryCounts | RedisCounts:
    app = current_app._get_current_object()
    store = app.extensions.get("elearn_throttle")
    if store is None:
        url = app.config.get("REDIS_URL")
        prefix = f"{app.config.get('RATELIMIT_KEY_PREFIX') or 'elearn'}-throttle:"
        store = app.extensions["elearn_throttle"] = (
            RedisCounts(url, prefix) if url else MemoryCounts())
    return store


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def address_key() -> str:
    """The client's address; IPv6 by its /64 network, which one household or office holds."""
    address = client_address()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _keys(limits: Limits, account: str, address: str) -> tuple[str, str]:
    account = account[:254]
    return f"{limits.name}:a:{account}", f"{limits.name}:p:{address}:{account}"


def _current(limits: Limits, account: str, address: str) -> tuple[Count, Count, float]:
    """The counts still remembered. An address's count outlives its quarter of an hour
    while the account's is remembered: an attacker who pauses between rounds does
    not earn its free tries again."""
    account_key, pair_key = _keys(limits, account, address)
    store, now = _counts(), clock()
    on_account, on_pair = store.get(account_key), store.get(pair_key)
    if now - on_account.last >= limits.account.forget_after:
        on_account = Count()
        if now - on_pair.last >= limits.pair.forget_after:
            on_pair = Count()
    return on_account, on_pair, now


def wait_seconds(limits: Limits, account: str, address: str | None = None) -> int:
    """How long this address must wait before its next try on the account (0: go ahead)."""
    if not _enabled():
        return 0
    address = address or address_key()
    on_account, on_pair, now = _current(limits, account, address)
    wait = on_pair.wait(limits.pair, now)
    if on_pair.failures >= limits.pair.free:  # not failures from elsewhere alone
        wait = max(wait, on_account.wait(limits.account, now))
    return math.ceil(wait)


def record(limits: Limits, account: str, address: str | None = None) -> None:
    """Count a try that earns a delay: a wrong password, a reset or registration request."""
    if not _enabled():
        return
    address = address or address_key()
    on_account, on_pair, now = _current(limits, account, address)
    store = _counts()
    keep = max(limits.account.forget_after, limits.pair.forget_after)
    for key, count in zip(_keys(limits, account, address), (on_account, on_pair), strict=True):
        if count.failures == 0:  # forgotten: start again from one
            store.clear(key)
        store.add(key, now, keep)


def forget_address(limits: Limits, account: str, address: str | None = None) -> None:
    """The right password: this address starts afresh on the account. The account's
    own count stays, or each sign-in of its owner would hand a guesser new free tries."""
    if not _enabled():
        return
    _counts().clear(_keys(limits, account, address or address_key())[1])
