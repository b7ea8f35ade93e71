import pytest

from elearn.auth.models import User
from elearn.certificates.services import issue_certificate
from elearn.extensions import db
from elearn.publishing.models import Course
from elearn.publishing.services import sync_courses
from tests.publishing.conftest import write_course


@pytest.fixture
def published(app, tmp_path):
    root = tmp_path / "courses"
    root.mkdir()
    write_course(root)
    with app.app_context():
        sync_courses(root)
    return root


@pytest.fixture
def issue(app, published):
    """Issue a certificate of the test course to a user; returns its id."""

    def do(user_id: int) -> int:
        with app.app_context():
            user = db.session.get(User, user_id)
            version = db.session.get(Course, "test-course").live_version
            certificate = issue_certificate(user, version)
            db.session.commit()
            return certificate.id

    return do
