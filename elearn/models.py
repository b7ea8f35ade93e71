"""Every model module, imported so that the metadata (and Alembic) sees all tables."""

from elearn.assignments.models import Assignment, ReminderLog  # noqa: F401
from elearn.audit.models import AuditEntry  # noqa: F401
from elearn.auth.models import User, supervision  # noqa: F401
from elearn.certificates.models import Certificate  # noqa: F401
from elearn.directory.models import ReferralContact  # noqa: F401
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress  # noqa: F401
from elearn.municipalities import Municipality  # noqa: F401
from elearn.national.models import ReportSnapshot  # noqa: F401
from elearn.publishing.models import (  # noqa: F401
    Course,
    CourseVersion,
    MediaBlob,
    MediaFile,
    Module,
    Option,
    Question,
)
from elearn.supervision.models import MunicipalityDataVersion  # noqa: F401
