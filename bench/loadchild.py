"""`python -m bench.loadchild <data_load_id> <queue_token>`: one attempt of a data load through the real service.

Prints JSON: the outcome, the seconds the service took, the loader's own timing of its phases, and this process's
peak resident memory (KiB) after start-up and at the end. The peak is VmHWM from /proc/self/status, the high-water
mark of this program's own memory: Linux's ru_maxrss would also count the parent's resident memory at fork time,
which it carries across exec.
"""

import json
import logging
import resource
import sys
import time
from pathlib import Path


def peak_rss_kb() -> int:
    """Return this process's peak resident memory in KiB (VmHWM; ru_maxrss where /proc is missing)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _PhaseLog(logging.Handler):
    """Keep the loader's summary line (its per-phase seconds)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def main(data_load_id: int, queue_token: str) -> dict:
    """Run the attempt and return what was measured."""
    import django

    django.setup()
    from emr.services import data_load_run

    phases = _PhaseLog()
    logging.getLogger("emr.loader").addHandler(phases)
    start_rss = peak_rss_kb()
    started = time.perf_counter()
    outcome = data_load_run(data_load_id=data_load_id, queue_token=queue_token)
    seconds = time.perf_counter() - started
    summary = next((line.split(" — ", 1)[-1] for line in phases.lines if " — " in line), "")
    return {"outcome": outcome, "seconds": seconds, "phases": summary, "start_rss_kb": start_rss,
            "maxrss_kb": peak_rss_kb()}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2])))
