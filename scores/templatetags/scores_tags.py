"""The dashboard's scores panel: computed once per page with a fixed number of queries, drawn as inline SVG."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from scores import charts, services
from scores.services import Reason

register = template.Library()


def _category(name: str, weight: int, current: Decimal, projected: Decimal, note: str = "") -> dict:
    return {
        "name": name, "weight": weight, "current": current, "projected": projected, "note": note,
        "current_points": current * weight / 100, "projected_points": projected * weight / 100,
    }


def _categories(report: services.ScoreReport) -> tuple[list[dict], list[str]]:
    """Return the categories that carry weight, and the names of those reweighted to 0 %."""
    weights = report.current.weights
    if weights is None:
        return [], []
    rows = [
        _category(_("Quality"), weights.quality, report.current.quality.percent, report.projected.quality.percent),
        _category(_("Improvement Activities"), weights.ia, report.current.ia.percent, report.projected.ia.percent),
        _category(_("Promoting Interoperability"), weights.pi, Decimal(0), Decimal(0),
                  _("Not reported through this portal, so counted as 0 here.")),
        _category(_("Cost"), weights.cost, Decimal(0), Decimal(0),
                  _("Computed by CMS from claims after the year, so counted as 0 here.")),
    ]
    return [r for r in rows if r["weight"]], [r["name"] for r in rows if not r["weight"]]


@register.inclusion_tag("scores/_scores_panel.html")
def scores_panel(enrollment):
    """Render the current and projected scores of an enrollment whose data has loaded."""
    report = services.enrollment_score_compute(enrollment=enrollment)
    context = {"enrollment": enrollment, "report": report}
    if report is None:
        return context
    rules = report.rules
    if report.current.final is not None:
        context["gauge"] = charts.gauge(current=report.current.final, projected=report.projected.final,
                                        threshold=rules.performance_threshold, exceptional=rules.exceptional_threshold)
    context["categories"], context["reweighted"] = _categories(report)
    return context


@register.filter
def reason_text(score: services.MeasureScore, rules) -> str:
    """Return why a measure got its points, in words."""
    texts = {
        Reason.DECILE: _("decile plus partial points"),
        Reason.FLOOR: _("below decile 3: floor of %(floor)s"),
        Reason.TOPPED_OUT_CAP: _("topped out: capped at %(cap)s"),
        Reason.LOW_CASES: _("fewer than %(min)s cases"),
        Reason.NO_BENCHMARK: _("no benchmark"),
        Reason.NO_RATE: _("no performance rate (every case excluded or excepted)"),
        Reason.COMPLETENESS: _("data completeness under %(pct)s %%"),
    }
    return texts[score.reason] % {"d": score.decile, "floor": _plain(rules.decile_floor_points), "cap": _plain(rules.topped_out_cap),
                                  "min": rules.case_minimum, "pct": _plain(rules.data_completeness_percent)}


def _plain(number: Decimal) -> str:
    """Return a stored decimal without trailing zeros (7.00 → "7")."""
    return f"{number.normalize():f}"


@register.filter
def adjustment_text(adjustment: services.Adjustment | None) -> str:
    """Return the payment adjustment a scenario leads to, in words."""
    if adjustment is None:
        return ""
    if adjustment.direction == "negative":
        return _("negative payment adjustment of %(p)s %%") % {"p": f"{adjustment.percent:.2f}".replace("-", "−")}
    if adjustment.direction == "neutral":
        return _("neutral payment adjustment (0 %)")
    text = _("positive payment adjustment of +%(p)s %% times CMS's budget-neutrality scaling factor") % {
        "p": f"{adjustment.percent:.2f}"}
    if adjustment.exceptional:
        text += _(", plus the exceptional-performance adjustment")
    return text
