"""The figures of a run: printed one per line as they are measured, and written to bench/results.json."""

import json
import math
import statistics
from pathlib import Path

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"


def rounded(value):
    """Return a number with three significant digits (integers stay whole)."""
    if isinstance(value, bool) or not isinstance(value, float) or value == 0 or not math.isfinite(value):
        return value
    return round(value, max(0, 2 - int(math.floor(math.log10(abs(value))))))


def median(values) -> float:
    """Return the median of the values."""
    return statistics.median(values)


def percentile(values, fraction: float) -> float:
    """Return the nearest-rank percentile of the values (fraction 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Results:
    """Figures in the order measured: `check` for a figure with a target, `info` for a figure without one."""

    def __init__(self):
        self.figures: dict[str, dict] = {}
        self.failures: list[str] = []

    def check(self, name: str, value: float, *, at_least: float | None = None, at_most: float | None = None,
              equal_to=None) -> None:
        """Record a figure against its target and print it."""
        if at_least is not None:
            target, ok = f">= {at_least}", value >= at_least
        elif at_most is not None:
            target, ok = f"<= {at_most}", value <= at_most
        else:
            target, ok = f"== {equal_to}", value == equal_to
        self._add(name, rounded(value), target, ok)

    def info(self, name: str, value) -> None:
        """Record and print a figure that has no target (rates, latencies, the baselines themselves)."""
        self._add(name, rounded(value), None, None)

    def fail(self, message: str) -> None:
        """Record a benchmark that could not measure what it should (printed, and the run exits non-zero)."""
        self.failures.append(message)
        print(f"ERROR: {message}", flush=True)

    def _add(self, name, value, target, ok) -> None:
        self.figures[name] = {"value": value, "target": target, "ok": ok}
        verdict = "info" if ok is None else ("ok" if ok else "SHORT")
        print(f"{name}: {value} (target: {target or 'none'}) {verdict}", flush=True)
        self.write()  # after every figure, so a run stopped half-way keeps what it measured

    def write(self) -> None:
        """Write every figure to bench/results.json."""
        RESULTS_FILE.write_text(json.dumps(self.figures, indent=2) + "\n")
