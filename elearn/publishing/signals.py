"""Signals other features listen to.

version_published is sent inside the transaction that makes a version live, before
it commits, so a receiver's writes (progress settled, certificates) commit with it:
    version_published.send(app, version=version)
"""

from blinker import Namespace

_signals = Namespace()

version_published = _signals.signal("version-published")
