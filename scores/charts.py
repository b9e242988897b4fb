"""Geometry of the dashboard's server-drawn SVG charts (a half-circle gauge of the final score), so the page needs no
JavaScript. Values are 0–100; angles run from the left end of the half circle (0) over the top to the right end (100)."""

import math
from dataclasses import dataclass
from decimal import Decimal

CX, CY, RADIUS = 120, 125, 90


def _point(value: Decimal | float, radius: float) -> tuple[float, float]:
    angle = math.pi * min(max(float(value), 0.0), 100.0) / 100
    return round(CX - radius * math.cos(angle), 2), round(CY - radius * math.sin(angle), 2)


def arc_path(start: Decimal | float, end: Decimal | float, radius: float = RADIUS) -> str:
    """Return an SVG path drawing the gauge's arc from one value to another."""
    (x1, y1), (x2, y2) = _point(start, radius), _point(end, radius)
    return f"M {x1} {y1} A {radius} {radius} 0 0 1 {x2} {y2}"


@dataclass(frozen=True)
class Tick:
    value: Decimal
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Needle:
    value: Decimal
    x: float
    y: float


def gauge(*, current: Decimal, projected: Decimal, threshold: Decimal, exceptional: Decimal | None) -> dict:
    """Return the gauge's bands (below threshold, to exceptional, above), ticks at the thresholds and two needles."""
    stops = [Decimal(0), threshold, *([exceptional] if exceptional is not None else []), Decimal(100)]
    bands = [arc_path(a, b) for a, b in zip(stops, stops[1:])]
    ticks = []
    for value in stops[1:-1]:
        (x1, y1), (x2, y2), (lx, ly) = _point(value, RADIUS - 16), _point(value, RADIUS + 10), _point(value, RADIUS + 22)
        ticks.append(Tick(value, x1, y1, x2, y2, lx, ly))
    needles = {name: Needle(v, *_point(v, RADIUS - 22)) for name, v in (("current", current), ("projected", projected))}
    return {"bands": bands, "ticks": ticks, "cx": CX, "cy": CY, **needles}
