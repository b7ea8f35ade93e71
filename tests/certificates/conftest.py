import pytest

from elearn.auth.models import User
from elearn.certificates.services import issue_certificate
from elearn.extensions import db
from elearn.publishing.models import Course
from elearn.publishing.services import sync_courses
from tests.factories import write_test_course


@pytest.fixture
def synced_test_course(app, tmp_path):
    """The test course published by a sync; returns the courses folder."""
    root = tmp_path / "courses"
    root.mkdir()
    write_test_course(root)
    with app.app_context():
        sync_courses(root)
    return root


@pytest.fixture
def issue_certificate_to(app, synced_test_course):
    """Issue a certificate of the test course to a user; returns its id."""

    def do(user_id: int) -> int:
        with app.app_context():
            user = db.session.get(User, user_id)
            version = db.session.get(Course, "test-course").live_version
            certificate = issue_certificate(user, version)
            db.session.commit()
            return certificate.id

    return do
