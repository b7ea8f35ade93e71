"""Signals other features listen to.

course_completed is sent inside the transaction that completes the course, before
it commits, so a receiver's writes (the certificate) commit or roll back with it:
    course_completed.send(app, user=user, version=version)
"""

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("course-completed")
