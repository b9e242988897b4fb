"""The administrator's two forms: which quality measures to report, and one improvement activity with its period."""

import re

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from mips_portal.forms import UswdsFormMixin
from scores.models import ActivityAttestation, ImprovementActivity, QualityMeasure


class MeasureField(forms.ModelMultipleChoiceField):
    """Checkboxes labelled with the measure's number, title, priority and how many cases are loaded."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, cases: dict[str, int], **kwargs):
        self.cases = cases
        super().__init__(*args, **kwargs)

    def label_from_instance(self, measure: QualityMeasure) -> str:
        kind = re.sub(r"(?<!^)([A-Z])", r" \1", measure.measure_type).lower()  # CMS's camelCase type, in words
        loaded = self.cases.get(measure.measure_id)
        parts = [f"#{measure.measure_id} {measure.title}", kind, str(_("high priority")) if measure.is_high_priority else "",
                 str(_("%(n)s cases loaded") % {"n": loaded}) if loaded is not None else str(_("no data loaded"))]
        return " · ".join(p for p in parts if p)


class MeasureChoiceForm(UswdsFormMixin, forms.Form):
    """The specialty set's measures first, then every other registry measure of the year (those with data first)."""

    def __init__(self, *args, measures: QuerySet[QualityMeasure], measure_set: str | None, specialty: str, cases: dict[str, int],
                 **kwargs):
        super().__init__(*args, **kwargs)
        with_data_first = Case(When(measure_id__in=list(cases), then=Value(0)), default=Value(1), output_field=IntegerField())
        others = measures.order_by(with_data_first, "measure_id")
        if measure_set:
            self.fields["specialty_measures"] = MeasureField(
                queryset=measures.filter(measure_sets__contains=[measure_set]).order_by("measure_id"), cases=cases,
                required=False, label=_("Measures of the %(specialty)s measure set") % {"specialty": specialty},
            )
            others = others.exclude(measure_sets__contains=[measure_set])
        self.fields["other_measures"] = MeasureField(
            queryset=others, cases=cases, required=False, label=_("Other quality measures"),
            help_text=_("Any measure of the year's inventory that a registry can report."),
        )

    def clean(self):
        cleaned = super().clean()
        chosen = [*cleaned.get("specialty_measures", []), *cleaned.get("other_measures", [])]
        if not chosen and not self.errors:
            first = "specialty_measures" if "specialty_measures" in self.fields else "other_measures"
            self.add_error(first, forms.ValidationError(_("Choose at least one quality measure."), code="none_chosen"))
        cleaned["measures"] = chosen
        return cleaned


class ActivityField(forms.ModelChoiceField):
    def label_from_instance(self, activity: ImprovementActivity) -> str:
        weight = activity.get_weight_display() if activity.weight else _("full credit")
        return f"{activity.activity_id} · {weight} · {activity.title}"


class ActivityAttestationForm(UswdsFormMixin, forms.ModelForm):
    """One activity with the period the practice performed it (checked against the year by the model's clean())."""

    activity = ActivityField(queryset=ImprovementActivity.objects.none(), label=_("Improvement activity"),
                             error_messages={"required": _("Choose the activity your practice performed.")})
    group_participation = forms.BooleanField(
        label=_("At least 50 % of our group's clinicians performed this activity during this period"),
        error_messages={"required": _("Confirm that at least half of the group's clinicians took part; "
                                      "otherwise the activity does not count for a group.")},
    )

    class Meta:
        model = ActivityAttestation
        fields = ["activity", "start_date", "end_date", "group_participation"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, activities: QuerySet[ImprovementActivity], year: int, min_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["start_date"].help_text = _(
            "The first day of a period of at least %(days)s consecutive days in %(year)s, for example %(year)s-04-01."
        ) % {"days": min_days, "year": year}
        self.fields["end_date"].help_text = _("The last day of that period, in %(year)s.") % {"year": year}
