"""Reads of the data load."""

from emr.models import DataLoad, RejectedRow


def data_load_for_enrollment(enrollment) -> DataLoad | None:
    """Return the enrollment's data load, or None if none was ever queued."""
    return DataLoad.objects.filter(enrollment=enrollment).first()


def rejected_rows_first(data_load: DataLoad, *, limit: int = 10) -> list[RejectedRow]:
    """Return the first rejected rows of a load, in file and line order."""
    return list(data_load.rejected_rows.all()[:limit])
