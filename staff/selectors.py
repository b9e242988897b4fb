"""Reads of the staff review: the set-up list (the same queries for any page), one set-up whole, and its history.

The list's status comes from annotations evaluated by PostgreSQL, and the status filter uses the very same
conditions, so what a row says and what the filter finds cannot disagree.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.utils import display_for_field
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from accounts.models import Designation, User
from emr.models import DataLoad
from emr.selectors import data_load_for_enrollment, rejected_rows_first
from onboarding.choices import Document
from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier
from onboarding.steps import STEPS
from practices.models import Enrollment, Practice

EMPTY = "—"


class SetupStatus(models.TextChoices):
    """Where a set-up stands, from designation to loaded data."""

    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    SIGNED_UP = "signed_up", _("Signed up")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    DATA_LOADING = "data_loading", _("Data loading")
    LOADED = "loaded", _("Loaded")
    LOAD_FAILED = "load_failed", _("Load failed")


def _exists(model, *conditions, **filters) -> Exists:
    return Exists(model.objects.filter(*conditions, enrollment=OuterRef("pk"), **filters))


def _value(model, field: str, **filters) -> Subquery:
    return Subquery(model.objects.filter(enrollment=OuterRef("pk"), **filters).values(field)[:1])


def _designation(**filters):
    return Designation.objects.filter(practice=OuterRef("practice_id"), **filters)


# Each step before the waiver is complete when its annotation is true (as onboarding_progress decides from the rows);
# the waiver is complete when the set-up is submitted.
STEP_DONE = {
    "profile": ("has_profile", _exists(PracticeProfile)),
    "small_practice": ("has_small_practice", _exists(SmallPractice)),
    "pi_survey": (
        "has_pi_survey",
        _exists(PiSurvey, Q(took_survey=False) | Q(pi_not_applicable_type=False) | Q(reweight_to_zero__isnull=False)),
    ),
    "exemptions": ("has_exemptions", _exists(Exemptions)),
    "tin": ("has_tin", _exists(TaxIdentifier)),
    "baa": ("has_baa", _exists(Signature, document=Document.BAA, voided_at__isnull=True)),
}
# Conditions are EXISTS clauses, not joins: in a filter PostgreSQL runs them as (anti-)semi-joins, and the list's
# query joins nothing but the practice and year, so counting 100,000 set-ups stays a plain count.
_SUBMITTED = Q(submitted_at__isnull=False)
_PROFILE = STEP_DONE["profile"][1]
_DESIGNATED, _SIGNED_UP = Exists(_designation()), Exists(_designation(user__isnull=False))


def _load(*statuses) -> Exists:
    return _exists(DataLoad, status__in=statuses) if statuses else _exists(DataLoad)


STATUS_CONDITIONS = {
    SetupStatus.LOAD_FAILED: _SUBMITTED & _load(DataLoad.Status.FAILED),
    SetupStatus.LOADED: _SUBMITTED & _load(DataLoad.Status.SUCCEEDED),
    SetupStatus.DATA_LOADING: _SUBMITTED & _load(DataLoad.Status.QUEUED, DataLoad.Status.RUNNING),
    SetupStatus.SUBMITTED: _SUBMITTED & ~_load(),
    SetupStatus.IN_PROGRESS: ~_SUBMITTED & _PROFILE,
    SetupStatus.SIGNED_UP: ~_SUBMITTED & ~_PROFILE & _SIGNED_UP,
    SetupStatus.INVITED: ~_SUBMITTED & ~_PROFILE & _DESIGNATED & ~_SIGNED_UP,
    SetupStatus.NOT_INVITED: ~_SUBMITTED & ~_PROFILE & ~_DESIGNATED,
}


def setups_annotated(queryset: models.QuerySet[Enrollment]) -> models.QuerySet[Enrollment]:
    """Return enrollments with everything the set-up list shows, as columns of one query (no per-row queries).

    The columns are correlated subqueries: cheap for the page of rows shown, and absent from the count.
    """
    return queryset.select_related("practice", "year").annotate(
        **{flag: expression for flag, expression in STEP_DONE.values()},
        admin_email=Subquery(_designation().values("email")[:1]),
        is_small=_value(SmallPractice, "is_small"),
        pi_exempt=_value(PiSurvey, "pi_exempt"),
        cost_exempt=_value(Exemptions, "cost_exempt"),
        tin_last4=_value(TaxIdentifier, "tin_last4"),
        loaded_at=_value(DataLoad, "finished_at", status=DataLoad.Status.SUCCEEDED),
        setup_status=Case(
            *(When(condition, then=Value(status.value)) for status, condition in STATUS_CONDITIONS.items()),
            output_field=models.CharField(),
        ),
    )


def setups_with_status(queryset: models.QuerySet[Enrollment], status: str) -> models.QuerySet[Enrollment]:
    """Return the annotated enrollments whose status is `status` (the same conditions the list shows)."""
    return queryset.filter(STATUS_CONDITIONS[SetupStatus(status)])


def step_reached(row: Enrollment) -> tuple[int, object]:
    """Return (number, step) of the first incomplete step of an annotated enrollment."""
    for number, step in enumerate(STEPS, 1):
        flag = STEP_DONE.get(step.name, (None,))[0]
        if flag is None or not getattr(row, flag):
            return number, step
    return len(STEPS), STEPS[-1]


def status_label(row: Enrollment) -> str:
    """Return the status of an annotated enrollment in words, with the step reached while in progress."""
    status = SetupStatus(row.setup_status)
    if status != SetupStatus.IN_PROGRESS:
        return str(status.label)
    number, step = step_reached(row)
    return f"{status.label}, step {number} of {len(STEPS)}: {step.title}"


def masked_tin(last4: str | None) -> str:
    """Return the masked TIN for its last four digits (the one format used everywhere), or a dash."""
    return TaxIdentifier(tin_last4=last4).masked if last4 else EMPTY


_TIN_LAST4 = re.compile(r"^[0-9]{4}$")
# Nine or more digits, maybe with dashes or spaces: a whole TIN, which must never be a search term.
_TIN_LIKE = re.compile(r"^[0-9][0-9 -]{7,}[0-9]$")


def setup_search(queryset: models.QuerySet[Enrollment], term: str) -> models.QuerySet[Enrollment]:
    """Return the set-ups matching a staff search: four digits match the TIN's last four, other text the practice
    name or administrator email. A whole TIN matches nothing: it must not travel in a search URL."""
    term = term.strip()
    if not term:
        return queryset
    if _TIN_LAST4.match(term):
        return queryset.filter(tax_identifier__tin_last4=term)
    if is_whole_tin(term):
        return queryset.none()
    # One IN over a UNION rather than an OR across joins: each side uses its trigram index, and the few practices
    # found drive index lookups of their enrollments.
    practices = Practice.objects.filter(name__icontains=term).order_by().values("pk").union(
        Designation.objects.filter(email__icontains=term).order_by().values("practice_id"))
    return queryset.filter(practice__in=practices)


def is_whole_tin(term: str) -> bool:
    """Return whether a search term looks like a whole TIN (refused, with a hint to use the last four digits)."""
    term = term.strip()
    return bool(_TIN_LIKE.match(term)) and sum(c.isdigit() for c in term) >= 9


# --- One set-up, whole --------------------------------------------------------------------------------------------

STEP_MODELS = {"profile": PracticeProfile, "small_practice": SmallPractice, "pi_survey": PiSurvey,
               "exemptions": Exemptions, "tin": TaxIdentifier}
# Never shown as answers: keys, bookkeeping, and the TIN's ciphertext and blind index (the masked TIN is shown).
HIDDEN_FIELDS = {"id", "enrollment", "saved_at", "year", "tin_encrypted", "tin_index", "tin_last4"}


@dataclass(frozen=True)
class StepAnswers:
    """One step of a set-up as staff read it: its answers as (label, value) pairs, or none if never saved."""

    number: int
    title: str
    answers: list = field(default_factory=list)
    saved_at: object = None
    saved: bool = False


def _answers(record) -> list[tuple[str, object]]:
    answers = [(f.verbose_name, display_for_field(f.value_from_object(record), f, EMPTY))
               for f in record._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    if isinstance(record, TaxIdentifier):
        answers.append((_("TIN"), record.masked))
    return answers


def setup_answers(enrollment: Enrollment) -> list[StepAnswers]:
    """Return every data step of the set-up with its saved answers (signature steps are shown as signatures)."""
    result = []
    for number, step in enumerate(STEPS, 1):
        model = STEP_MODELS.get(step.name)
        if model is None:
            continue
        record = model.objects.filter(enrollment=enrollment).first()
        result.append(StepAnswers(number, step.title, _answers(record) if record else [],
                                  record.saved_at if record else None, record is not None))
    return result


def setup_signatures(enrollment: Enrollment) -> list[Signature]:
    """Return every signature of the set-up, active and voided, newest first, with the signing account."""
    return list(Signature.objects.filter(enrollment=enrollment).select_related("user").order_by("document", "-signed_at"))


BAD_ROWS_SHOWN = 200


def setup_data_load(enrollment: Enrollment) -> tuple[DataLoad | None, list]:
    """Return the enrollment's data load (or None) and the first rows of its bad-row report."""
    load = data_load_for_enrollment(enrollment)
    if load is None:
        return None, []
    return load, rejected_rows_first(load, limit=BAD_ROWS_SHOWN)


# --- History ---------------------------------------------------------------------------------------------------

NOT_IN_HISTORY = {"id", "enrollment_id", "saved_at"}
EVENT_WORDS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a set-up record: when, who (and which request), what, and the values before and after."""

    at: object
    who: str
    request_id: str
    record: str
    event: str
    changes: list


def _field_for(model, key: str):
    return next((f for f in model._meta.concrete_fields if f.attname == key), None)


def _history_value(model, key: str, value) -> str:
    """Return a stored history value as staff should read it (the TIN's last four only ever masked)."""
    if value is None or value == "":
        return EMPTY
    if key == "tin_last4":
        return masked_tin(value)
    model_field = _field_for(model, key)
    if model_field is not None and model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(model_field, models.DateTimeField):
        parsed = parse_datetime(str(value))
        return formats.localize(timezone.localtime(parsed)) if parsed else str(value)
    return str(value)


def _changes(model, event: Events) -> list[tuple[str, str, str]]:
    if event.pgh_label == "update":
        pairs = {key: tuple(values) for key, values in (event.pgh_diff or {}).items()}
    elif event.pgh_label == "delete":
        pairs = {key: (value, None) for key, value in event.pgh_data.items()}
    else:
        pairs = {key: (None, value) for key, value in event.pgh_data.items()}
    order = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
    rows = []
    for key, (old, new) in sorted(pairs.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        if key in NOT_IN_HISTORY:
            continue
        model_field = _field_for(model, key)
        label = model_field.verbose_name if model_field is not None else key
        rows.append((capfirst(label), _history_value(model, key, old), _history_value(model, key, new)))
    return rows


def setup_history(enrollment: Enrollment) -> list[HistoryEntry]:
    """Return every recorded change to the set-up's records, oldest first, with who made it."""
    events = list(Events.objects.references(enrollment).order_by("pgh_created_at", "pgh_id"))
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    entries = []
    for event in events:
        context = event.pgh_context or {}
        model = apps.get_model(event.pgh_obj_model)
        who = emails.get(context.get("user")) or (str(_("unknown user")) if context.get("user") else str(_("system")))
        entries.append(HistoryEntry(
            at=event.pgh_created_at, who=who, request_id=context.get("request_id") or "",
            record=str(model._meta.verbose_name), event=str(EVENT_WORDS.get(event.pgh_label, event.pgh_label)),
            changes=_changes(model, event),
        ))
    return entries
