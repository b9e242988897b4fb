"""The CSV export of set-ups: masked TINs, and every cell safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

from django.db import models
from django.utils import timezone

from staff.selectors import masked_tin, status_label

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("Practice", "Year", "Status", "Administrator email", "Small practice", "PI exempt", "Cost exempt", "TIN",
          "Submitted at", "Loaded at")


def csv_cell(value) -> str:
    """Return the value as CSV text, prefixed with a single quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def setup_row(row) -> tuple:
    """Return the export columns of an enrollment annotated by selectors.setups_annotated."""
    return (row.practice.name, row.year.year, status_label(row), row.admin_email, row.is_small, row.pi_exempt,
            row.cost_exempt, masked_tin(row.tin_last4), row.submitted_at, row.loaded_at)


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def setups_csv_lines(queryset: models.QuerySet) -> Iterator[str]:
    """Yield the CSV lines of the annotated set-ups, reading the database in chunks (flat memory for any size)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    rows: Iterable = queryset.iterator(chunk_size=2000)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in setup_row(row)])
