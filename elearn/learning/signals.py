"""Signals other features listen to.

course_completed is sent inside the transaction that completes the course, before
it commits, so a receiver's writes (the certificate) commit or roll back with it:
    course_completed.send(app, user=user, version=version)

due_dates is asked while a learner's home page is built; each receiver returns a
select() of (course_id, due_on) rows: the courses someone asked her to complete by a
day. Learning joins them into its own query, so the page costs no extra statement and
learning never imports the feature that keeps the due dates (assignments):
    due_dates.send(app, user_id=user.id) -> [(receiver, select), ...]
"""

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("course-completed")
due_dates = _signals.signal("due-dates")
