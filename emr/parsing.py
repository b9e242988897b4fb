"""Reading and validating an export, row by row in constant memory, into COPY data for the events table.

Speed matters (a practice-year can have millions of rows), so each block of about a megabyte of lines first tries a
fast path: one regular expression checks every line of the block at C speed, and a block whose lines all pass goes
on with only its file number and line numbers added. A block with a quote or a bad row falls back to the careful
path, which parses with the csv module and says for each bad row what is wrong. Both paths apply the same rules
(emr.rules). Repeated (encounter_id, measure_id) pairs are found afterwards in SQL (emr.loader), which needs no
memory here.
"""

import calendar
import csv
import datetime
import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from emr.rules import COLUMNS, MAX_ID_LENGTH, OUTCOMES, VALID_MEASURE_IDS, npi_is_valid, year_dates
from emr.sources import ExportFile, SourceDataError

BLOCK_BYTES = 1 << 20
NPI_CACHE_LIMIT = 100_000
CAREFUL_LINES = 64
# What the events table's COPY receives, in this order (enrollment_id comes from the partition's default).
COPY_COLUMNS = ("file_no", "line", *COLUMNS)


@dataclass(frozen=True)
class Rejected:
    """A bad row: where it is and why it was set aside."""

    file_name: str
    line: int
    reason: str


@dataclass
class LoadTally:
    """Counts of the rows read so far; the heartbeat thread reads `rows` and `bad` for the progress bar."""

    keep: int
    rows: int = 0
    bad: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    # Set when two neighbouring lines are identical, the usual way a row gets repeated: the loader then looks for
    # repeats straight away instead of first trying the primary key (a hint only; the key is the real check).
    repeats_likely: bool = False

    def reject(self, file_name: str, line: int, reason: str) -> None:
        """Count a bad row, and keep its details while fewer than `keep` are kept."""
        self.bad += 1
        if len(self.rejected) < self.keep:
            self.rejected.append(Rejected(file_name, line, reason[:200]))


def repeat_reason(first_file: str, first_line: int, file_name: str) -> str:
    """Return the reason given for a row that repeats an earlier row's encounter_id and measure_id."""
    where = f"line {first_line}" if first_file == file_name else f"line {first_line} of {first_file}"
    return f"repeats the encounter_id and measure_id of {where}"


def _date_pattern(year: int) -> str:
    last_february_day = "9" if calendar.isleap(year) else "8"
    return (rf"{year}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
            rf"|02-(?:0[1-9]|1[0-9]|2[0-{last_february_day}]))")


def fast_line_pattern(year: int) -> re.Pattern:
    """Return a pattern matching exactly the lines that pass every row rule but the NPI check digit (its one group)."""
    text_id = rf'[^,"\r\n\x00]{{1,{MAX_ID_LENGTH}}}'
    measures = "|".join(sorted(VALID_MEASURE_IDS, key=lambda m: (-len(m), m)))
    outcomes = "|".join(sorted(OUTCOMES))
    # One capturing group only: each extra group makes findall about 40% slower.
    return re.compile(
        rf"^{text_id},{_date_pattern(year)},{text_id},([0-9]{{10}}),(?:{measures}),(?:{outcomes})$", re.MULTILINE
    )


class ExportReader:
    """Turn an export's files into CSV bytes of good rows for COPY (columns COPY_COLUMNS), tallying the bad ones."""

    def __init__(self, *, year: int, tally: LoadTally, on_block: Callable[[], None] = lambda: None):
        self.year = year
        self.tally = tally
        self.on_block = on_block
        self._pattern = fast_line_pattern(year)
        self._dates = year_dates(year)
        self._npis: dict[str, bool] = {}
        self._width = len(COLUMNS)
        self._line_reached = 1

    def chunks(self, files: list[ExportFile]) -> Iterator[bytes]:
        """Yield COPY data for every file in order; raise SourceDataError if a file cannot be read as an export."""
        for file_no, export_file in enumerate(files):
            with export_file.open() as stream:
                try:
                    yield from self._file_chunks(stream, file_no, export_file.name)
                except UnicodeDecodeError:
                    raise SourceDataError(
                        f"The file {export_file.name} is not UTF-8 text (the problem is after line "
                        f"{self._line_reached}); export it again as UTF-8 CSV."
                    ) from None
                except csv.Error as exc:
                    raise SourceDataError(f"The file {export_file.name} is not a readable CSV file ({exc}).") from None

    def _file_chunks(self, stream: TextIO, file_no: int, file_name: str) -> Iterator[bytes]:
        self._line_reached = 1
        columns = self._header(stream, file_name)
        fast = self._width == len(COLUMNS) and columns == list(range(len(COLUMNS)))
        base = 2
        while lines := stream.readlines(BLOCK_BYTES):
            self.on_block()
            if fast and not any('"' in line for line in lines):
                chunk, consumed = self._unquoted(lines, base, file_no, file_name, columns), len(lines)
            else:
                chunk, consumed = self._careful(lines, stream, base, file_no, file_name, columns)
            base += consumed
            self._line_reached = base - 1
            if chunk:
                yield chunk.encode()

    def _header(self, stream: TextIO, file_name: str) -> list[int]:
        first = stream.readline()
        if not first.strip():
            raise SourceDataError(f"The file {file_name} is empty: it has no header row.")
        names = [name.strip() for name in next(csv.reader([first]))]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise SourceDataError(
                f"The file {file_name} does not start with the export's header row (missing: {', '.join(missing)})."
            )
        if len(set(names)) != len(names):
            raise SourceDataError(f"The file {file_name} has a header row that names a column twice.")
        self._width = len(names)
        return [names.index(c) for c in COLUMNS]

    def _unquoted(self, lines: list[str], base: int, file_no: int, file_name: str, columns: list[int]) -> str:
        """Return COPY text for lines without quotes: all at once if all are good, else halve until the bad ones are few."""
        npis = self._pattern.findall("".join(lines))
        if len(npis) == len(lines) and self._npis_valid(npis):
            self.tally.rows += len(lines)
            if not self.tally.repeats_likely:
                self.tally.repeats_likely = any(map(str.__eq__, lines, itertools.islice(lines, 1, None)))
            prefix = f"{file_no},"
            out = "".join([f"{prefix}{number},{line}" for number, line in enumerate(lines, base)])
            # Files are opened with universal newlines, so lines end in "\n"; only a file's last line may lack one.
            return out if out.endswith("\n") else out + "\n"
        if len(lines) <= CAREFUL_LINES:
            return self._careful(lines, iter(()), base, file_no, file_name, columns)[0]
        half = len(lines) // 2
        return (self._unquoted(lines[:half], base, file_no, file_name, columns)
                + self._unquoted(lines[half:], base + half, file_no, file_name, columns))

    def _npis_valid(self, npis: Sequence[str]) -> bool:
        distinct = set(npis)
        known = self._npis
        unknown = distinct.difference(known)
        if len(known) + len(unknown) > NPI_CACHE_LIMIT:
            known.clear()  # keeps memory flat even if every row names a different clinician
            unknown = distinct
        for npi in unknown:
            known[npi] = npi_is_valid(npi)
        return all(known[npi] for npi in distinct)

    def _careful(self, lines, more_lines, base, file_no, file_name, columns) -> tuple[str, int]:
        """Parse lines with the csv module (a quoted field may continue into more_lines); return COPY text, lines used."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        reader = csv.reader(itertools.chain(lines, more_lines))
        consumed = 0
        while consumed < len(lines):
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.tally.rows += 1
                self.tally.reject(file_name, base + consumed, f"cannot be read as CSV ({exc})")
                consumed = reader.line_num
                continue
            line, consumed = base + consumed, reader.line_num
            if not row:
                continue  # a blank line is not a row
            self.tally.rows += 1
            problem = self.row_problem(row, columns)
            if problem is None:
                writer.writerow([file_no, line, *(row[i] for i in columns)])
            else:
                self.tally.reject(file_name, line, problem)
        return buffer.getvalue(), consumed

    def row_problem(self, row: list[str], columns: list[int]) -> str | None:
        """Return why a parsed row is bad (one reason, in column order), or None if it is good."""
        if len(row) != self._width:
            return f"has {len(row)} columns instead of {self._width}"
        if any("\x00" in value for value in row):
            return "contains a NUL character"
        encounter, date, patient, npi, measure, outcome = (row[i] for i in columns)
        for name, value in (("encounter_id", encounter), ("patient_id", patient)):
            if not value:
                return f"{name} is empty"
            if len(value) > MAX_ID_LENGTH:
                return f"{name} is longer than {MAX_ID_LENGTH} characters"
        if date not in self._dates:
            return self._date_problem(date)
        if not npi_is_valid(npi):
            return f"clinician_npi {npi[:20]!r} is not a valid NPI (10 digits with a correct check digit)"
        if measure not in VALID_MEASURE_IDS:
            return f"measure_id {measure[:20]!r} is not one of the supported quality measures"
        if outcome not in OUTCOMES:
            return f"outcome {outcome[:30]!r} is not one of {', '.join(sorted(OUTCOMES))}"
        return None

    def _date_problem(self, date: str) -> str:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                return f"date_of_service {date!r} is not a real date"
            return f"date_of_service {date} is outside the performance year {self.year}"
        return f"date_of_service {date[:20]!r} is not a date in YYYY-MM-DD form"
