"""Child processes of a run: gunicorn serving the product, the virtual administrators, and helpers in their own process."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
START_TIMEOUT = 60


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/accounts/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def gunicorn(workers: int = 2):
    """Serve the product (bench.settings, production settings otherwise) on 127.0.0.1; yield (port, master pid)."""
    port = free_port()
    VAR.mkdir(parents=True, exist_ok=True)
    with (VAR / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "mips_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--no-control-socket"],
            cwd=ROOT, stdout=log, stderr=log,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {VAR / 'gunicorn.log'}")
                time.sleep(0.2)
            yield port, server.pid
        finally:
            stop(server)


def cpu_seconds(pids) -> float:
    """Return the CPU time (user + system) the processes have used so far; processes gone or unreadable count 0."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime (fields 14 and 15 of proc(5))
    return total / ticks


def children(pid: int) -> list[int]:
    """Return the ids of a process's children (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Ask a child process to stop, and kill it if it has not within the timeout."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


def loadgen_run(jobs: list[dict], timeout: float) -> list[dict]:
    """Run each job in its own `python -m bench.loadgen` process at once; return their outputs in order."""
    children = [
        subprocess.Popen([sys.executable, "-m", "bench.loadgen"], cwd=ROOT, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        for _job in jobs
    ]
    for child, job in zip(children, jobs):
        child.stdin.write(json.dumps(job))
        child.stdin.close()
    # Read every output to its end (a full pipe would stall a child); a watchdog kills children past the timeout.
    watchdog = threading.Timer(timeout, lambda: [c.kill() for c in children if c.poll() is None])
    watchdog.start()
    try:
        outputs = [child.stdout.read() for child in children]
    finally:
        watchdog.cancel()
    return [json.loads(out) if child.wait() == 0 and out else
            {"log": [], "errors": ["a virtual user's process failed or was stopped"], "completed": 0,
             "exhausted": False, "capture": None}
            for child, out in zip(children, outputs)]
