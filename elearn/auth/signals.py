"""Signals other features listen to.

staff_joined is sent when a learner joins a municipality's staff (a supervisor
confirmed her, or she was moved there confirmed), inside the transaction that makes
the change, so a receiver's writes (the assignments her new municipality's rules
give her) commit or roll back with it:
    staff_joined.send(app, code="LT-57")
"""

from blinker import Namespace

_signals = Namespace()

staff_joined = _signals.signal("staff-joined")
