"""With REDIS_URL set, every worker counts against one shared limit."""

import os
import socket
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not _redis_up() and os.environ.get("ELEARN_REDIS_TESTS") != "required",
    reason=f"no Redis at {REDIS_URL} (CI starts one and sets ELEARN_REDIS_TESTS=required)",
)
def test_limits_are_counted_in_redis_for_every_worker(database_url):
    import redis

    from elearn.extensions import limiter
    from tests.apps import make_app

    prefix = f"elearn-test-{uuid.uuid4().hex}"
    first = make_app(database_url, RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL,
                     RATELIMIT_KEY_PREFIX=prefix)
    try:
        assert "redis" in type(limiter.storage).__name__.lower()
        # Two app objects stand for two gunicorn workers: they share only Redis.
        second = make_app(database_url, RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL,
                          RATELIMIT_KEY_PREFIX=prefix)
        statuses = []
        for n in range(32):
            client = (first if n % 2 else second).test_client()
            statuses.append(client.get("/verify/unknown-code").status_code)
        assert statuses[:30] == [404] * 30 and statuses[30:] == [429, 429]
        # The counts live in Redis, where a worker in another process reads them too.
        assert redis.Redis.from_url(REDIS_URL).keys(f"*{prefix}*")
    finally:
        with first.app_context():
            limiter.reset()
        limiter.enabled = False


@pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL} (CI starts one)")
def test_sign_in_delays_are_shared_by_every_worker(database_url, make_user):
    import redis

    from elearn.auth.throttle import SIGN_IN
    from elearn.extensions import limiter
    from tests.apps import make_app
    from tests.web import csrf_token

    make_user(email="ona@example.lt")
    prefix = f"elearn-test-{uuid.uuid4().hex}"
    workers = [make_app(database_url, RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL,
                        RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
    try:
        clients = [worker.test_client() for worker in workers]
        tokens = [csrf_token(client, "/account/login") for client in clients]
        statuses = []
        for n in range(SIGN_IN.pair.free + 2):  # the two workers take turns
            statuses.append(clients[n % 2].post("/account/login", data={
                "email": "ona@example.lt", "password": "wrong guess here",
                "csrf_token": tokens[n % 2]}).status_code)
        assert statuses == [422] * (SIGN_IN.pair.free + 1) + [429]
    finally:
        with workers[0].app_context():
            limiter.reset()
        limiter.enabled = False
        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)
