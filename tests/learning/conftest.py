"""Courses published straight into the database for the learner's pages."""

from __future__ import annotations

import pytest

from tests.factories import insert_course


@pytest.fixture
def published_course(app):
    """Publish a course (three modules, the middle one with a quiz) in the database;
    returns its version id. Keyword arguments as tests.factories.insert_course."""

    def factory(course_id: str = "demo", **kwargs) -> int:
        with app.app_context():
            return insert_course(course_id, **kwargs)

    return factory
