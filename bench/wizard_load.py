"""Benchmark 1: the wizard under load, against a bare signed-in view and a stock formtools wizard on the same gunicorn.

N virtual administrators (one process each) sign in once through the real form. Then, in rounds, each phase runs
for the same seconds with all of them at once: the bare view, the stock wizard's GET, GETs of the product's seven
steps (on a set-up whose first six steps are complete), and the POSTs of whole set-ups (fresh enrollments, with the
values a walk read from the pages). Rounds interleave the phases, so a shared machine's swings hit all of them alike;
each figure is the median over rounds of that round's ratio. As a cross-check that other load on the machine cannot
move, the CPU time of gunicorn's workers and their PostgreSQL backends per request is reported too. Last, a walk
phase sends the administrators along a set-up's whole path (GET each page, POST it, follow the redirect, through
submission) for completions per second and per-step latencies.
"""

import os
import time
from collections import defaultdict

from django.db import connection

from bench import fixtures, loadgen, processes
from bench.results import Results, median, percentile
from onboarding.steps import STEP_NAMES

START_DELAY = 1.0  # seconds for the processes to start before the common start time


def config() -> dict:
    """Return the load settings (environment overrides for a quick or a longer run)."""
    return {"users": int(os.environ.get("BENCH_USERS", 6)), "rounds": int(os.environ.get("BENCH_ROUNDS", 5)),
            "seconds": float(os.environ.get("BENCH_SECONDS", 4)), "walk_seconds": float(os.environ.get("BENCH_WALK_SECONDS", 15)),
            "pool": int(os.environ.get("BENCH_POOL", 40))}


def administrators_create(cfg: dict) -> list[dict]:
    """Create the virtual administrators, each with a warm-up set-up, a ready one (six steps done) and fresh pools."""
    people = []
    users = fixtures.users_create([f"load-{n}@bench.example" for n in range(cfg["users"])])
    for n, user in enumerate(users):
        names = [f"Load {n} practice {i:03d}" for i in range(2 + 2 * cfg["pool"])]
        enrollments = fixtures.practices_create(names=names, user=user)
        fixtures.setup_prefill(enrollments[1], user)
        refs = [{"id": e.pk, "practice_id": e.practice_id} for e in enrollments]
        people.append({"email": user.email, "warm": refs[0], "ready": refs[1], "walk": refs[2:2 + cfg["pool"]],
                       "post": refs[2 + cfg["pool"]:]})
    return people


def phase(port: int, people: list[dict], seconds: float, make_job, max_requests: int = 100_000) -> tuple[list[dict], float]:
    """Run one job per administrator at once; return their outputs and the common start time."""
    start_at = time.time() + START_DELAY
    jobs = [{"port": port, "start_at": start_at, "seconds": seconds, "max_requests": max_requests, **make_job(p)}
            for p in people]
    return processes.loadgen_run(jobs, timeout=seconds + START_DELAY + 120), start_at


def rate(outputs: list[dict], start_at: float, seconds: float, method: str | None = None) -> float:
    """Return requests per second that completed within the phase (of one method, if given)."""
    end = start_at + seconds
    done = sum(1 for o in outputs for label, m, status, ended, _s in o["log"]
               if ended <= end and status in (200, 302) and (method is None or m == method))
    return done / seconds


def measure(results: Results) -> None:
    """Run benchmark 1 and record its figures."""
    cfg = config()
    people = administrators_create(cfg)
    with processes.gunicorn() as (port, master):
        _sign_in(results, port, people)
        _warm_up(results, port, people)
        rates, cpu = _rounds(results, port, master, people, cfg)
        walk = _walk(results, port, people, cfg)
    for name in ("bare", "stock_get", "wizard_get", "wizard_post"):
        results.info(f"load_{name}_requests_per_s", median(rates[name]))
        results.info(f"load_{name}_server_cpu_ms_per_request", median(cpu[name]))
    for name, base, target in (("wizard_get", "bare", 0.5), ("wizard_post", "bare", 0.3), ("wizard_get", "stock_get", 2.0)):
        figure = f"{name}_vs_{'bare_view' if base == 'bare' else 'stock_wizard_get'}"
        # Each round's ratio compares phases seconds apart; the median of rounds damps the shared machine's swings.
        ratios = [m / b for m, b in zip(rates[name], rates[base])]
        results.info(f"{figure}_by_round", ", ".join(f"{r:.2f}" for r in ratios))
        results.info(f"{figure}_by_server_cpu", median(cpu[base]) / median(cpu[name]))
        results.check(figure, median(ratios), at_least=target)
    _walk_figures(results, walk, cfg)


def _problems(results: Results, what: str, outputs: list[dict]) -> None:
    errors = [e for o in outputs for e in o["errors"]]
    if errors:
        results.fail(f"{what}: {len(errors)} error(s), first: {errors[0]}")


def _sign_in(results: Results, port: int, people: list[dict]) -> None:
    outputs, _ = phase(port, people, 120, lambda p: {"kind": "login", "email": p["email"], "password": fixtures.PASSWORD}, 10)
    _problems(results, "sign-in", outputs)
    for person, output in zip(people, outputs):
        person["cookies"] = output["cookies"]


def _warm_up(results: Results, port: int, people: list[dict]) -> None:
    """One whole set-up each (untimed): fills gunicorn's caches and captures the forms the POST phase sends."""
    outputs, _ = phase(port, people, 120, lambda p: {"kind": "walk", "cookies": p["cookies"], "enrollments": [p["warm"]],
                                                     "capture": True}, 100)
    _problems(results, "warm-up walk", outputs)
    for person, output in zip(people, outputs):
        person["captured"] = output["capture"]


def _rounds(results: Results, port: int, master: int, people: list[dict], cfg: dict):
    """Run every phase once per round; return each phase's requests per second and server CPU ms per request."""
    seconds, used = cfg["seconds"], defaultdict(int)
    ready_urls = lambda p: [(loadgen.setup_url(p["ready"]["practice_id"], s), f"GET {s}") for s in STEP_NAMES]
    jobs = {
        "bare": lambda p: {"kind": "hammer", "cookies": p["cookies"], "urls": [("/bench/bare/", "GET bare")]},
        "stock_get": lambda p: {"kind": "hammer", "cookies": p["cookies"], "urls": [("/bench/stock-wizard/", "GET stock")]},
        "wizard_get": lambda p: {"kind": "hammer", "cookies": p["cookies"], "urls": ready_urls(p)},
        "wizard_post": lambda p: {"kind": "post", "cookies": p["cookies"], "captured": p["captured"],
                                  "enrollments": p["post"][used[p["email"]]:]},
    }
    rates, cpu = defaultdict(list), defaultdict(list)
    for _round in range(cfg["rounds"]):
        for name, make_job in jobs.items():
            before = server_cpu(master)
            outputs, start_at = phase(port, people, seconds, make_job)
            spent = sum(seconds - before.get(pid, 0.0) for pid, seconds in server_cpu(master).items())
            _problems(results, f"{name} phase", outputs)
            if name == "wizard_post":
                _pool_used(results, people, outputs, used)
            rates[name].append(rate(outputs, start_at, seconds, "POST" if name == "wizard_post" else None))
            served = sum(1 for o in outputs for entry in o["log"] if entry[2] in (200, 302))
            cpu[name].append(spent * 1000 / max(1, served))
    return rates, cpu


def server_cpu(master: int) -> dict[int, float]:
    """Return CPU seconds used so far by each gunicorn worker and each PostgreSQL backend of this database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        backends = [row[0] for row in cursor.fetchall()]
    return {pid: processes.cpu_seconds([pid]) for pid in processes.children(master) + backends}


def _pool_used(results: Results, people: list[dict], outputs: list[dict], used: dict) -> None:
    for person, output in zip(people, outputs):
        used[person["email"]] += output["completed"] + len(output["errors"]) + 1  # +1: the one cut off by the deadline
        if output["exhausted"]:
            results.fail("the POST phase ran out of fresh set-ups before its deadline; raise BENCH_POOL")


def _walk(results: Results, port: int, people: list[dict], cfg: dict) -> tuple[list[dict], float]:
    outputs, start_at = phase(port, people, cfg["walk_seconds"],
                              lambda p: {"kind": "walk", "cookies": p["cookies"], "enrollments": p["walk"]})
    _problems(results, "walk phase", outputs)
    if any(o["exhausted"] for o in outputs):
        results.fail("the walk phase ran out of fresh set-ups before its deadline; raise BENCH_POOL")
    return outputs, start_at


def _walk_figures(results: Results, walk: tuple[list[dict], float], cfg: dict) -> None:
    outputs, start_at = walk
    end = start_at + cfg["walk_seconds"]
    submitted = sum(1 for o in outputs for label, _m, status, ended, _s in o["log"]
                    if label == "POST waiver" and status == 302 and ended <= end)
    results.info("walk_completions_per_s", submitted / cfg["walk_seconds"])
    latencies = defaultdict(list)
    for output in outputs:
        for label, _m, _status, ended, seconds in output["log"]:
            if ended <= end:
                latencies[label].append(seconds * 1000)
    for label in latencies:  # in the order of the walk
        key = label.lower().replace(" ", "_").replace(":", "_")
        results.info(f"walk_{key}_p50_ms", median(latencies[label]))
        results.info(f"walk_{key}_p95_ms", percentile(latencies[label], 0.95))
