"""GET and HEAD requests only read (elearn/reading.py): a write they try is refused
before it reaches the database, on every database; the same write in a POST goes
through; and on PostgreSQL a reading request may still stream a query (a server-side
cursor, which needs a transaction)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from elearn.access import public
from elearn.auth.models import User
from elearn.extensions import csrf, db
from elearn.reading import ReadOnlyRequest, reads_only, storing_on_read
from tests.apps import make_app

SEEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def writing_app(app, database_url):
    """An app with pages that write whatever the method (the app fixture's routes are
    fixed once it has served a request, so these live in a second app)."""
    application = make_app(database_url)

    @public
    @csrf.exempt
    def rename(user_id: int):  # a change the audit log does not ask about
        user = db.session.get(User, user_id)
        user.last_seen_at = SEEN
        db.session.commit()
        return "changed"

    @public
    def cached(user_id: int):  # a page that stores what it computed, as a cache
        user = db.session.get(User, user_id)
        user.last_seen_at = SEEN
        with storing_on_read():
            db.session.commit()
        return {"reads_only": reads_only()}

    @public
    def streamed():
        rows = db.session.execute(
            select(User.id).order_by(User.id).execution_options(stream_results=True,
                                                                 yield_per=2))
        return {"ids": [row.id for row in rows], "reads_only": reads_only()}

    application.add_url_rule("/test/rename/<int:user_id>", "test_rename", rename,
                             methods=["GET", "HEAD", "POST"])
    application.add_url_rule("/test/streamed", "test_streamed", streamed)
    application.add_url_rule("/test/cached/<int:user_id>", "test_cached", cached)
    return application


def _seen(app, user_id: int) -> datetime | None:
    with app.app_context():
        return db.session.scalar(select(User.last_seen_at).where(User.id == user_id))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_reading_request_that_writes_is_refused_and_nothing_is_stored(
        writing_app, make_user, method):
    user_id = make_user()
    before = _seen(writing_app, user_id)
    client = writing_app.test_client()
    with pytest.raises(ReadOnlyRequest, match=f"{method} test_rename tried to write: UPDATE"):
        client.open(f"/test/rename/{user_id}", method=method)
    assert _seen(writing_app, user_id) == before != SEEN


def test_the_same_write_in_a_post_is_stored(writing_app, make_user):
    user_id = make_user()
    response = writing_app.test_client().post(f"/test/rename/{user_id}")
    assert response.status_code == 200
    assert _seen(writing_app, user_id) == SEEN


def test_a_reading_request_may_store_a_cache_when_it_says_so(writing_app, make_user):
    """The national overview stores its figures for the next visitors (storing_on_read);
    the request reads only again afterwards."""
    user_id = make_user()
    response = writing_app.test_client().get(f"/test/cached/{user_id}")
    assert response.status_code == 200
    assert response.json == {"reads_only": True}
    assert _seen(writing_app, user_id) == SEEN


def test_a_reading_request_can_stream_a_query(writing_app, make_user):
    """On PostgreSQL a streamed query is a server-side cursor, which lives only inside a
    transaction: the autocommit connection goes back to one for it."""
    ids = sorted(make_user() for _ in range(5))
    response = writing_app.test_client().get("/test/streamed")
    assert response.status_code == 200
    assert response.json == {"ids": ids, "reads_only": True}


def test_the_health_check_may_probe_with_a_write(client):
    """On SQLite it checks that the file accepts writes (a DELETE that matches nothing,
    rolled back): the one reading page exempt from the rule."""
    assert client.get("/healthz").json == {"status": "ok", "database": True}
