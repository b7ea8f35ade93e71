"""The learning feature's per-learner-per-course status table, as the reports read it.

Kept in one module so the reports depend on the learning models in one place.
"""

from __future__ import annotations

from elearn.learning.models import CourseProgress as Progress  # noqa: F401
from elearn.learning.models import Status

NOT_STARTED = Status.NOT_STARTED.value
IN_PROGRESS = Status.IN_PROGRESS.value
COMPLETED = Status.COMPLETED.value
