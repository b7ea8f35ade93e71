"""The audit log: who changed what, when, from where; append-only.

Services call record() in the same session as the change, so the entry and the change
commit together or not at all. Pages that show the log live in admin/ and supervision/.
"""
