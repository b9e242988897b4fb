"""Listeners of other apps' signals (connected in EmrConfig.ready)."""

from emr.services import data_load_queue


def data_load_queue_on_setup_completed(sender, *, enrollment, user=None, **kwargs) -> None:
    """Queue the enrollment's data load; runs inside the submitting transaction, so it commits or rolls back with it."""
    data_load_queue(enrollment=enrollment)
