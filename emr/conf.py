"""The data load's settings, with their defaults (all optional; see docs/emr-load.md)."""

from django.conf import settings

DEFAULTS = {
    # Attempts of one load before it fails for good (the first run counts as one).
    "EMR_LOAD_MAX_ATTEMPTS": 5,
    # Back-off before attempt n+1 after a temporary error: base × 2^(n-1) seconds, at most the maximum.
    "EMR_LOAD_RETRY_BASE_SECONDS": 30,
    "EMR_LOAD_RETRY_MAX_SECONDS": 3600,
    # A running load whose heartbeat is older than this belongs to a dead worker and is re-queued.
    "EMR_LOAD_LEASE_SECONDS": 300,
    "EMR_LOAD_HEARTBEAT_SECONDS": 2,
    # Rejected rows stored per load for the report (all are counted).
    "EMR_LOAD_REJECTED_ROWS_KEPT": 1000,
    # How long the final swap waits for readers of the events table before the attempt is retried.
    "EMR_LOAD_LOCK_TIMEOUT_SECONDS": 30,
    # PostgreSQL memory for the primary-key build and the search for repeated rows of one load.
    "EMR_LOAD_WORK_MEM": "256MB",
    # The django-tasks backend alias the load is queued on (a database backend queues in the same transaction).
    "EMR_TASKS_BACKEND": "default",
}


def setting(name: str):
    """Return the setting from Django settings, or its default above."""
    return getattr(settings, name, DEFAULTS[name])
