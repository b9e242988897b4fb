"""The database side of a data load: one transaction that COPYs the export into a fresh partition and swaps it in.

Inside that transaction: COPY the good rows (streamed from emr.parsing) into a new, index-free table; add the primary
key (which also proves there are no repeated (encounter_id, measure_id) pairs, or, if there are, sends us to remove
and report them); compute the per-measure aggregates with one GROUP BY; store the rejected-row report; drop the old
partition and attach the new one; and record success. Until COMMIT, readers see the previous data, and any failure
or a killed worker rolls everything back, so a load is never half-applied.

Progress is written meanwhile by `Heartbeat`, a thread with its own connection, so other connections see it while
the big transaction is still open.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from emr.conf import setting
from emr.models import DataLoad, RejectedRow
from emr.parsing import COPY_COLUMNS, ExportReader, LoadTally, repeat_reason
from emr.rules import OUTCOME_EXCEPTION, OUTCOME_EXCLUSION, OUTCOME_MET, OUTCOME_NOT_MET, OUTCOME_NOT_REPORTED
from emr.sources import ExportFile

logger = logging.getLogger(__name__)

PARENT_TABLE = "emr_measureevent"
# First key of the two-key advisory lock that lets one load per enrollment touch its partition at a time.
ADVISORY_LOCK_CLASS = 0x454D52  # "EMR"
COPY_READ_SIZE = 1 << 20
PREFETCH_CHUNKS = 2


class LoadSuperseded(Exception):
    """This attempt no longer owns the load (it was re-queued or reaped meanwhile); it must stop and write nothing."""


class LoadBusy(Exception):
    """Another attempt of the same enrollment's load still holds its lock; a temporary condition, retried later."""


@dataclass(frozen=True)
class _Names:
    new: str
    new_key: str
    partition: str
    partition_key: str

    @classmethod
    def for_load(cls, data_load: DataLoad) -> "_Names":
        partition = f"{PARENT_TABLE}_e{int(data_load.enrollment_id)}"
        new = f"{partition}_{data_load.queue_token.hex[:8]}"
        return cls(new=new, new_key=f"{new}_pkey", partition=partition, partition_key=f"{partition}_pkey")


class Heartbeat(threading.Thread):
    """Write a running load's progress and liveness every few seconds, from this thread's own connection."""

    def __init__(self, *, data_load: DataLoad, tally: LoadTally):
        super().__init__(name=f"emr-heartbeat-{data_load.pk}", daemon=True)
        self.data_load_id = data_load.pk
        self.queue_token = data_load.queue_token
        self.tally = tally
        self.interval = setting("EMR_LOAD_HEARTBEAT_SECONDS")
        self.lost = False
        self._halt = threading.Event()

    def __enter__(self) -> "Heartbeat":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def run(self) -> None:
        try:
            while not self._halt.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's connections only

    def beat(self) -> None:
        """Record progress now; notice if the load was taken away from this attempt."""
        try:
            updated = DataLoad.objects.filter(
                pk=self.data_load_id, queue_token=self.queue_token, status=DataLoad.Status.RUNNING
            ).update(heartbeat_at=timezone.now(), rows_done=self.tally.rows, bad_rows=self.tally.bad)
        except DatabaseError as exc:
            logger.warning("heartbeat of data load %s failed: %s", self.data_load_id, exc.__class__.__name__)
            connections[connection.alias].close()  # reconnect on the next beat
            return
        if updated == 0:
            self.lost = True

    def check(self) -> None:
        """Raise LoadSuperseded if the load now belongs to another attempt (called between blocks of rows)."""
        if self.lost:
            raise LoadSuperseded

    def stop(self) -> None:
        """Stop beating and wait for the thread (and its connection) to finish."""
        self._halt.set()
        if self.is_alive():
            self.join()


class _ChunkStream:
    """A file-like view of the COPY chunks for psycopg2's copy_expert, produced one step ahead by a thread.

    psycopg2 lets go of the GIL while it sends a chunk, so the export's next megabyte is parsed while PostgreSQL
    ingests the last one: the two run on two cores instead of taking turns. An exception while producing is kept
    and the COPY ended cleanly, so psycopg2 never turns it into a database error (sending our message to the
    server); `events_load` raises it after the COPY returns.
    """

    def __init__(self, chunks: Iterator[bytes]):
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=PREFETCH_CHUNKS)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(chunks,), name="emr-parse", daemon=True)
        self._thread.start()

    def _produce(self, chunks: Iterator[bytes]) -> None:
        try:
            for chunk in chunks:
                if not self._put(chunk):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, re-raised by events_load
            self._put(exc)
            return
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # closes the file being read even when the COPY stopped early
        self._put(b"")

    def _put(self, item) -> bool:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read(self, size: int = -1) -> bytes:
        if self.error is not None or self._closed.is_set():
            return b""
        item = self._queue.get()
        if isinstance(item, BaseException):
            self.error = item
            return b""
        return item

    def close(self) -> None:
        """Stop the producer (if the COPY ended early) and wait for it."""
        self._closed.set()
        self._thread.join()


def events_load(*, data_load: DataLoad, files: list[ExportFile], year: int, tally: LoadTally,
                heartbeat: Heartbeat, record_success: Callable[[], None]) -> None:
    """Replace the enrollment's events, aggregates and rejected-row report with the export's, in one transaction."""
    names = _Names.for_load(data_load)
    timings = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, data_load.enrollment_id])
        if not cursor.fetchone()[0]:
            raise LoadBusy
        work_mem = setting("EMR_LOAD_WORK_MEM")
        cursor.execute("SELECT set_config('work_mem', %s, true), set_config('maintenance_work_mem', %s, true)",
                       [work_mem, work_mem])
        with _timed(timings, "copy"):
            _partition_create(cursor, names, data_load.enrollment_id)
            reader = ExportReader(year=year, tally=tally, on_block=heartbeat.check)
            _copy(cursor, names.new, reader.chunks(files))
        with _timed(timings, "key"):
            _primary_key_add(cursor, names, files, tally)
        with _timed(timings, "aggregates"):
            _aggregates_replace(cursor, names.new, data_load.enrollment_id)
            _rejected_replace(data_load, tally)
        heartbeat.stop()
        heartbeat.check()
        with _timed(timings, "swap"):
            _partition_swap(cursor, names, data_load.enrollment_id)
            record_success()
        commit_started = time.perf_counter()
    timings["commit"] = time.perf_counter() - commit_started
    timings["total"] = time.perf_counter() - started
    logger.info("data load %s: %s rows (%s bad) — %s", data_load.pk, tally.rows, tally.bad,
                ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))


@contextmanager
def _timed(timings: dict, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start


def _partition_create(cursor, names: _Names, enrollment_id: int) -> None:
    # A CHECK matching the partition bound lets ATTACH skip its validation scan; the default fills enrollment_id.
    enrollment_id = int(enrollment_id)
    cursor.execute(
        f'CREATE TABLE "{names.new}" (LIKE {PARENT_TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
        f"CHECK (enrollment_id = {enrollment_id}))"
    )
    cursor.execute(f'ALTER TABLE "{names.new}" ALTER COLUMN enrollment_id SET DEFAULT {enrollment_id}')


def _copy(cursor, table: str, chunks: Iterator[bytes]) -> None:
    stream = _ChunkStream(chunks)
    try:
        # Size is positional: Django's debug cursor wrapper takes no keyword arguments here.
        cursor.copy_expert(f'COPY "{table}" ({", ".join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv)', stream,
                           COPY_READ_SIZE)
    finally:
        stream.close()
    if stream.error is not None:
        raise stream.error


def _primary_key_add(cursor, names: _Names, files: list[ExportFile], tally: LoadTally) -> None:
    """Add the primary key; if repeated (encounter_id, measure_id) pairs prevent it, reject the repeats and retry."""
    add_key = (f'ALTER TABLE "{names.new}" ADD CONSTRAINT "{names.new_key}" '
               "PRIMARY KEY (enrollment_id, encounter_id, measure_id)")
    if not tally.repeats_likely:
        try:
            with transaction.atomic():
                cursor.execute(add_key)
            return
        except IntegrityError:
            pass  # rare in practice: find the repeats (the costlier way) only now
    _repeats_remove(cursor, names.new, files, tally)
    cursor.execute(add_key)


def _repeats_remove(cursor, table: str, files: list[ExportFile], tally: LoadTally) -> None:
    """Delete every row that repeats an earlier row's (encounter_id, measure_id) and count it as a bad row."""
    cursor.execute(f"""
        CREATE TEMPORARY TABLE emr_repeats ON COMMIT DROP AS
        SELECT file_no, line, first_file, first_line FROM (
            SELECT e.file_no, e.line, first_value(e.file_no) OVER w AS first_file,
                   first_value(e.line) OVER w AS first_line, row_number() OVER w AS position
            FROM "{table}" e
            JOIN (SELECT encounter_id, measure_id FROM "{table}" GROUP BY 1, 2 HAVING count(*) > 1) d
                USING (encounter_id, measure_id)
            WINDOW w AS (PARTITION BY e.encounter_id, e.measure_id ORDER BY e.file_no, e.line)
        ) r WHERE position > 1""")
    cursor.execute(f'DELETE FROM "{table}" e USING emr_repeats r WHERE e.file_no = r.file_no AND e.line = r.line')
    repeats = cursor.rowcount
    room = max(0, tally.keep - len(tally.rejected))
    cursor.execute("SELECT file_no, line, first_file, first_line FROM emr_repeats ORDER BY 1, 2 LIMIT %s", [room])
    listed = cursor.fetchall()
    for file_no, line, first_file, first_line in listed:
        tally.reject(files[file_no].name, line, repeat_reason(files[first_file].name, first_line, files[file_no].name))
    tally.bad += repeats - len(listed)
    cursor.execute("DROP TABLE emr_repeats")


def _aggregates_replace(cursor, table: str, enrollment_id: int) -> None:
    cursor.execute("DELETE FROM emr_measureaggregate WHERE enrollment_id = %s", [enrollment_id])
    cursor.execute(f"""
        INSERT INTO emr_measureaggregate (enrollment_id, measure_id, eligible_population, performance_met,
            performance_not_met, exclusions, exceptions, not_reported, first_service_date, last_service_date)
        SELECT %s, measure_id, count(*), count(*) FILTER (WHERE outcome = %s), count(*) FILTER (WHERE outcome = %s),
            count(*) FILTER (WHERE outcome = %s), count(*) FILTER (WHERE outcome = %s),
            count(*) FILTER (WHERE outcome = %s), min(date_of_service), max(date_of_service)
        FROM "{table}" GROUP BY measure_id""",
        [enrollment_id, OUTCOME_MET, OUTCOME_NOT_MET, OUTCOME_EXCLUSION, OUTCOME_EXCEPTION, OUTCOME_NOT_REPORTED])


def _rejected_replace(data_load: DataLoad, tally: LoadTally) -> None:
    RejectedRow.objects.filter(data_load=data_load).delete()
    RejectedRow.objects.bulk_create(
        RejectedRow(data_load=data_load, file_name=r.file_name, line=r.line, reason=r.reason) for r in tally.rejected
    )


def _partition_swap(cursor, names: _Names, enrollment_id: int) -> None:
    # Dropping the old partition locks the events table for the moment until COMMIT; if readers hold it for longer
    # than the lock timeout, the attempt fails with a temporary error and is retried.
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(setting('EMR_LOAD_LOCK_TIMEOUT_SECONDS'))}s"])
    cursor.execute(f'DROP TABLE IF EXISTS "{names.partition}"')
    cursor.execute(f'ALTER TABLE "{names.new}" RENAME TO "{names.partition}"')
    cursor.execute(f'ALTER TABLE "{names.partition}" RENAME CONSTRAINT "{names.new_key}" TO "{names.partition_key}"')
    cursor.execute(
        f'ALTER TABLE {PARENT_TABLE} ATTACH PARTITION "{names.partition}" FOR VALUES IN ({int(enrollment_id)})'
    )
