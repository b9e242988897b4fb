"""Signals of the set-up.

`setup_completed(sender=Enrollment, enrollment=..., user=...)` is sent inside the transaction that records a
submission, so whatever a receiver writes (the queued data load) commits or rolls back with the submission.
"""

from django.dispatch import Signal

setup_completed = Signal()
