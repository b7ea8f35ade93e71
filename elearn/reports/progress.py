"""The learning feature's per-learner-per-course status table, as the reports read it.

Kept in one module so the reports depend on the learning models in one place.
"""

from __future__ import annotations

from elearn.learning.models import CourseProgress as Progress  # noqa: F401

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED)
