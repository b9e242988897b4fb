"""Where an enrollment's EMR export comes from. `settings.EMR_SOURCE` names the class; the loader sees only this interface.

A source hands the loader named text streams of CSV (the export format of ../shared/spec/emr-load.md). A live
WebPT API client can replace the file source by presenting its pages the same way.
"""

import abc
import errno
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from onboarding.crypto import tin_decrypt
from practices.models import Enrollment

COUNT_CHUNK = 1 << 20


class SourceDataError(Exception):
    """The export cannot be used (missing, unreadable, wrong format). Not retried; the message is shown to people.

    Messages name files by their display name only, never by path (the path holds the TIN).
    """


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: a display name safe to show anyone, and how to open it."""

    name: str
    path: Path

    def open(self) -> TextIO:
        """Return the file as UTF-8 text (a byte-order mark is allowed) with universal newlines.

        Translating CRLF here, in C, saves the loader a pass over every line; the only cost is that a line break
        quoted inside a field is stored as LF.
        """
        try:
            return self.path.open("r", encoding="utf-8-sig")
        except OSError as exc:
            raise SourceDataError(f"The file {self.name} could not be opened ({_os_reason(exc)}).") from None

    def count_lines(self) -> int | None:
        """Return the number of lines after the header (the progress bar's total), or None if unknown."""
        try:
            with self.path.open("rb") as file:
                newlines, last = 0, b"\n"
                while chunk := file.read(COUNT_CHUNK):
                    newlines += chunk.count(b"\n")
                    last = chunk[-1:]
        except OSError:
            return None  # reading it for real will report the problem
        return max(0, newlines + (last != b"\n") - 1)


class EmrSource(abc.ABC):
    """An enrollment's export for its performance year."""

    def __init__(self, *, enrollment: Enrollment):
        self.enrollment = enrollment

    @abc.abstractmethod
    def files(self) -> list[ExportFile]:
        """Return the export's files in load order, or raise SourceDataError if there is no usable export."""

    def row_total(self, files: list[ExportFile]) -> int | None:
        """Return the number of data rows (for progress), or None when the source cannot tell cheaply."""
        counts = [f.count_lines() for f in files]
        return None if None in counts else sum(counts)


class FileExportSource(EmrSource):
    """WebPT's export as files: EMR_EXPORT_DIR/<TIN, 9 digits>/<year>/*.csv, loaded in file-name order."""

    def files(self) -> list[ExportFile]:
        tin = self._tin()
        directory = Path(settings.EMR_EXPORT_DIR) / tin / str(self.enrollment.year.year)
        if not directory.is_dir():
            raise SourceDataError(
                f"No export from WebPT was found for this practice and {self.enrollment.year.year}: "
                "the practice's quality data has not been delivered yet."
            )
        try:
            paths = sorted(p for p in directory.iterdir() if p.name.endswith(".csv"))
        except OSError as exc:
            raise SourceDataError(f"The export folder could not be read ({_os_reason(exc)}).") from None
        if not paths:
            raise SourceDataError(
                f"The export from WebPT for {self.enrollment.year.year} contains no CSV files."
            )
        return [ExportFile(name=_display_name(p.name, tin), path=p) for p in paths]

    def _tin(self) -> str:
        tax_identifier = getattr(self.enrollment, "tax_identifier", None)
        if tax_identifier is None:
            raise SourceDataError("The practice's TIN is missing from its set-up, so its export cannot be found.")
        return tin_decrypt(tax_identifier.tin_encrypted)


def source_for(enrollment: Enrollment) -> EmrSource:
    """Return the configured source (settings.EMR_SOURCE) for the enrollment."""
    source_class = import_string(getattr(settings, "EMR_SOURCE", "emr.sources.FileExportSource"))
    return source_class(enrollment=enrollment)


def _display_name(name: str, tin: str) -> str:
    # File names are shown to staff and administrators and stored with rejected rows: mask a TIN in them.
    return name.replace(tin, "*" * len(tin))[:200]


def _os_reason(exc: OSError) -> str:
    # strerror never contains the path (exc.filename does), so it is safe to show.
    if isinstance(exc, io.UnsupportedOperation):
        return "it is not a regular file"
    return (exc.strerror or errno.errorcode.get(exc.errno or 0, "unknown error")).lower()
