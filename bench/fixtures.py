"""Rows the benchmarks need, made quickly: administrators, practices in bulk, set-ups filled through the real services."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from accounts.models import Designation, User
from bench import loadgen
from emr.models import DataLoad
from onboarding import forms as step_forms
from onboarding import selectors, services
from onboarding.models import Exemptions, PiSurvey, PracticeProfile, SmallPractice, TaxIdentifier
from practices.models import Enrollment, PerformanceYear, Practice

PASSWORD = "bench passphrase for virtual administrators"
BATCH = 5000
EVIDENCE = services.Evidence(ip_address="127.0.0.1", user_agent="mips-bench")
_password_hash: list[str] = []


def year() -> PerformanceYear:
    """Return the 2021 performance year (made by the migrations)."""
    return PerformanceYear.objects.get(year=loadgen.YEAR)


def users_create(emails: list[str]) -> list[User]:
    """Create administrators who sign in with PASSWORD (Argon2, hashed once for all of them)."""
    if not _password_hash:
        _password_hash.append(make_password(PASSWORD))
    return User.objects.bulk_create(
        [User(email=e, password=_password_hash[0], first_name="Ada", last_name="Lovelace") for e in emails]
    )


def practices_create(*, names: list[str], user: User | None = None, designate=lambda i: True) -> list[Enrollment]:
    """Create practices, each enrolled in 2021 and designated to `user` (or to an address nobody signed up with)."""
    now, performance_year = timezone.now(), year()
    practices = Practice.objects.bulk_create(
        [Practice(name=n, top_level_admin_email="mips-admin@webpt.example") for n in names], batch_size=BATCH
    )
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(practice=p, year=performance_year) for p in practices], batch_size=BATCH
    )
    Designation.objects.bulk_create(
        [Designation(practice=p, email=user.email if user else f"admin-{p.pk}@scale.example", user=user,
                     invited_at=now, accepted_at=now if user else None)
         for i, p in enumerate(practices) if designate(i)],
        batch_size=BATCH,
    )
    return enrollments


@dataclass(frozen=True)
class Subject:
    """An administrator and one fresh set-up of theirs."""

    user: User
    enrollment: Enrollment


def subject_create(label: str) -> Subject:
    """Create an administrator with one practice whose set-up has not started."""
    user = users_create([f"{label}@bench.example"])[0]
    return Subject(user, practices_create(names=[f"Bench {label}"], user=user)[0])


def step_data(enrollment: Enrollment, step: str) -> dict:
    """Return a step's answers as the product's own form cleans them (what the wizard hands the service)."""
    answers = {"profile": loadgen.PROFILE, "small_practice": loadgen.SMALL, "exemptions": loadgen.EXEMPTIONS,
               "pi_survey": loadgen.SURVEY | {"reweight_to_zero": "True"}, "baa": loadgen.BAA}.get(step, {})
    kwargs = {}
    if step == "tin":
        answers, kwargs = {"tin_type": "ein", "tin": loadgen.tin_for(enrollment.pk)}, {"enrollment": enrollment}
        answers["tin_confirm"] = answers["tin"]
    if step == "baa":
        profile = enrollment.profile
        answers = answers | {"covered_entity": profile.practice_name, "signer_name": "Ada Lovelace",
                             "shown_sha256": services.document_for(enrollment, "baa").sha256}
        kwargs = {"rendered": services.document_for(enrollment, "baa")}
    form = dict(step_forms_by_name())[step](data=answers, **kwargs)
    if not form.is_valid():
        raise RuntimeError(f"bench answers for {step} are refused: {form.errors.as_text()}")
    return {"took_survey": True, **form.cleaned_data} if step == "pi_survey" else form.cleaned_data


def step_forms_by_name():
    """Return (step, form class) for the steps saved through onboarding_step_save."""
    return (("profile", step_forms.PracticeProfileForm), ("small_practice", step_forms.SmallPracticeForm),
            ("pi_survey", step_forms.PiSurveyForm), ("exemptions", step_forms.ExemptionsForm),
            ("tin", step_forms.TinForm), ("baa", step_forms.BaaForm))


def setup_prefill(enrollment: Enrollment, user: User) -> Enrollment:
    """Complete every step but the waiver through onboarding_step_save; return the enrollment with its steps loaded."""
    loaded = selectors.enrollment_with_steps(Enrollment.objects.all(), pk=enrollment.pk)
    for step, _form in step_forms_by_name():
        services.onboarding_step_save(enrollment=loaded, step=step, data=step_data(loaded, step), user=user,
                                      evidence=EVIDENCE)
    return loaded


def waiver_data(enrollment: Enrollment) -> dict:
    """Return the waiver's answers as its form cleans them."""
    rendered = services.document_for(enrollment, "waiver")
    answers = {f"initials_{clause}": loadgen.INITIALS for clause, _text in rendered.clauses}
    answers |= loadgen.WAIVER | {"shown_sha256": rendered.sha256}
    form = step_forms.WaiverForm(data=answers, rendered=rendered, holder_first="Ada", holder_last="Lovelace")
    if not form.is_valid():
        raise RuntimeError(f"bench answers for the waiver are refused: {form.errors.as_text()}")
    return form.cleaned_data


def practice_count() -> int:
    """Return how many practices the database holds."""
    return Practice.objects.count()


def scale_to(total: int, *, template: Enrollment) -> None:
    """Add practices until there are `total`, with a realistic mix of set-up states copied from `template`'s rows.

    Of every ten new practices: one submitted (its data load succeeded, or failed for one in ten of those), three in
    progress (profile saved, and the next steps for some), and of the rest four signed up, one invited and one never
    invited. Rows are made by INSERT ... SELECT in PostgreSQL (seconds for 100,000), columns the SQL does not name
    taking the model field's default or the template row's value.
    """
    missing = total - practice_count()
    if missing <= 0:
        return
    owner = users_create([f"scale-{total}@bench.example"])[0]
    after = Practice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start = practice_count()
    insert_select(Practice, f"SELECT g AS n FROM generate_series({start}, {start + missing - 1}) g", {
        "name": "'Scale Practice ' || lpad(s.n::text, 6, '0')", "top_level_admin_email": "'mips-admin@webpt.example'"})
    new_practices = f"SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM {Practice._meta.db_table} WHERE id > {after}"
    submitted = "mod(s.i, 10) = 0"
    insert_select(Enrollment, new_practices, {
        "practice_id": "s.id", "year_id": str(year().pk), "submitted_at": f"CASE WHEN {submitted} THEN now() END",
        "submitted_by_id": f"CASE WHEN {submitted} THEN {owner.pk} END"})
    signed_up = "mod(s.i, 10) < 8"
    insert_select(Designation, f"SELECT * FROM ({new_practices}) p WHERE mod(p.i, 10) <> 9", {
        "practice_id": "s.id", "invited_at": "now()", "accepted_at": f"CASE WHEN {signed_up} THEN now() END",
        "user_id": f"CASE WHEN {signed_up} THEN {owner.pk} END",
        "email": f"CASE WHEN {signed_up} THEN (SELECT email FROM {User._meta.db_table} WHERE id = {owner.pk}) ELSE 'admin-' || s.id || '@scale.example' END"})
    new_enrollments = (f"SELECT e.id AS enrollment_id, s.i FROM {Enrollment._meta.db_table} e "
                       f"JOIN ({new_practices}) s ON s.id = e.practice_id")
    for model, states in ((PracticeProfile, 4), (SmallPractice, 3), (PiSurvey, 2), (Exemptions, 1)):
        insert_select(model, f"{new_enrollments} WHERE mod(s.i, 10) < {states}", {"enrollment_id": "s.enrollment_id"},
                      template=model.objects.get(enrollment=template))
    insert_select(TaxIdentifier, f"{new_enrollments} WHERE mod(s.i, 10) = 0", {
        "enrollment_id": "s.enrollment_id", "tin_index": "'scale-' || s.enrollment_id",
        "tin_last4": "lpad((mod(s.enrollment_id, 10000))::text, 4, '0')"}, template=TaxIdentifier.objects.get(enrollment=template))
    failed = "mod(s.i, 100) = 0"
    insert_select(DataLoad, f"{new_enrollments} WHERE mod(s.i, 10) = 0", {
        "enrollment_id": "s.enrollment_id", "status": f"CASE WHEN {failed} THEN 'failed' ELSE 'succeeded' END",
        "failure_reason": f"CASE WHEN {failed} THEN 'No export from WebPT was found.' ELSE '' END", "attempts": "1",
        "queued_at": "now()", "started_at": "now()", "finished_at": "now()", "rows_total": "20000",
        "rows_done": "20000", "rows_loaded": "19990", "bad_rows": "10"})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by the time staff look at 100,000 set-ups


def insert_select(model, source: str, expressions: dict[str, str], *, template=None) -> None:
    """Insert one row of `model` per row of the SQL `source` (aliased s).

    `expressions` gives SQL for some columns; every other column takes the template row's value if a template is
    given, else the field's default (now() for auto_now fields).
    """
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in expressions:
            values.append(expressions[field.column])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("now()")
        else:
            value = getattr(template, field.attname) if template is not None else field.get_default()
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
                       f"SELECT {', '.join(values)} FROM ({source}) s", params)
