"""Building set-ups for the staff-review tests: through the real wizard where practical, bulk for volume."""

from django.test import Client
from django.utils import timezone

from accounts.models import Designation, User
from accounts.tests.mfa import verified_staff_client
from emr.models import DataLoad
from onboarding.tests.helpers import EXEMPTIONS, PASSWORD, PROFILE, SMALL, SURVEY, baa_data, waiver_data, wizard_post
from practices.models import Enrollment, PerformanceYear, Practice

STEP_ORDER = ("profile", "small_practice", "pi_survey", "exemptions", "tin", "baa", "waiver")


def staff_client(user) -> Client:
    """Return a test client signed in as `user`; a staff account's session has also passed its second factor."""
    if user.is_staff:
        return verified_staff_client(user)
    client = Client()
    client.force_login(user)
    return client


def enrollment_create(name="Sunrise Physical Therapy", *, designate=None, administrator=None) -> Enrollment:
    """Return a new 2021 enrollment of a new practice; `designate` an email, or `administrator` a signed-up user."""
    practice = Practice.objects.create(name=name, top_level_admin_email="mips-admin@webpt.example")
    enrollment = Enrollment.objects.create(practice=practice, year=PerformanceYear.objects.get(year=2021))
    if administrator is not None:
        Designation.objects.create(practice=practice, email=administrator.email, user=administrator, accepted_at=timezone.now())
    elif designate:
        Designation.objects.create(practice=practice, email=designate)
    return enrollment


def administrator_create(email="ada@sunrise-pt.example") -> User:
    """Return an active practice administrator (Ada Lovelace, the holder the wizard's test data signs as)."""
    return User.objects.create_user(email, PASSWORD, first_name="Ada", last_name="Lovelace")


def setup_walk(enrollment, upto, *, administrator, practice_name=PROFILE["practice_name"], tin="46-1234567",
               reweight="True", exemptions=EXEMPTIONS):
    """Complete the wizard's steps up to and including `upto` as the administrator would, through its pages."""
    client = staff_client(administrator)
    posts = [
        ("profile", PROFILE | {"practice_name": practice_name}, None), ("small_practice", SMALL, None),
        ("pi_survey", SURVEY, {"action": "save"}),
        ("pi_survey", SURVEY | {"reweight_to_zero": reweight}, {"action": "continue"}),
        ("exemptions", exemptions, None),
        ("tin", {"tin_type": "ein", "tin": tin, "tin_confirm": tin}, None),
        ("baa", baa_data(practice_name), None),
        ("waiver", waiver_data(practice_name), None),
    ]
    for step, data, extra in posts:
        response = wizard_post(client, enrollment, step, data, extra=extra)
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)
        if step == upto and (step != "pi_survey" or extra["action"] == "continue"):
            break
    enrollment.refresh_from_db()
    return client


def data_load_set(enrollment, status, *, bad_rows=0, reason=""):
    """Give a submitted enrollment a data load in `status` (what the emr worker would have written)."""
    now = timezone.now()
    finished = now if status in (DataLoad.Status.SUCCEEDED, DataLoad.Status.FAILED) else None
    DataLoad.objects.update_or_create(enrollment=enrollment, defaults={
        "status": status, "queued_at": now, "finished_at": finished, "bad_rows": bad_rows,
        "failure_reason": reason or ("The export could not be read." if status == DataLoad.Status.FAILED else ""),
        "started_at": now if status != DataLoad.Status.QUEUED else None,
        "queue_token": "00000000-0000-0000-0000-000000000001" if status == DataLoad.Status.RUNNING else None,
    })
    return DataLoad.objects.get(enrollment=enrollment)


def setups_bulk_create(count: int, *, start: int = 0, submitter: User) -> list[Enrollment]:
    """Insert `count` set-ups in every state with bulk_create (a few queries per table, not per row)."""
    from onboarding import crypto
    from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier

    year, now = PerformanceYear.objects.get(year=2021), timezone.now()
    numbers = range(start, start + count)
    practices = Practice.objects.bulk_create(
        [Practice(name=f"Bulk practice {n}", top_level_admin_email="mips-admin@webpt.example") for n in numbers])
    Designation.objects.bulk_create([Designation(practice=p, email=f"admin{n}@bulk.example") for n, p in zip(numbers, practices)])
    enrollments = Enrollment.objects.bulk_create([
        Enrollment(practice=p, year=year, submitted_at=now if n % 2 else None, submitted_by=submitter if n % 2 else None)
        for n, p in zip(numbers, practices)])
    pairs = list(zip(numbers, enrollments))
    profile = {k: v for k, v in PROFILE.items() if k not in ("phone", "uses_ehr", "is_rural", "is_hpsa", "in_apm", "shares_deidentified_data")}
    PracticeProfile.objects.bulk_create([PracticeProfile(
        enrollment=e, **profile, phone="+16025551234", uses_ehr=True, is_rural=False, is_hpsa=False, in_apm=False,
        shares_deidentified_data=True) for _n, e in pairs])
    SmallPractice.objects.bulk_create([SmallPractice(enrollment=e, is_small=bool(n % 3)) for n, e in pairs])
    PiSurvey.objects.bulk_create([PiSurvey(enrollment=e, took_survey=False) for _n, e in pairs])
    Exemptions.objects.bulk_create([Exemptions(enrollment=e, cost_exempt=bool(n % 5)) for n, e in pairs])
    tins = {n: f"46{n:07d}" for n in numbers}
    TaxIdentifier.objects.bulk_create([TaxIdentifier(
        enrollment=e, year=year, tin_encrypted=crypto.tin_encrypt(tins[n]), tin_index=crypto.tin_index(tins[n]),
        tin_last4=tins[n][-4:]) for n, e in pairs])
    text = "Business Associate Agreement (bulk test copy)"
    Signature.objects.bulk_create([Signature(
        enrollment=e, document="baa", version="2021.1", text=text, text_sha256=Signature.sha256_of(text), signer_name="Ada Lovelace",
        consent=True, covers={}, user=submitter, signed_at=now) for _n, e in pairs])
    statuses = [DataLoad.Status.QUEUED, DataLoad.Status.SUCCEEDED, DataLoad.Status.FAILED]
    DataLoad.objects.bulk_create([DataLoad(
        enrollment=e, status=statuses[n % 3], queued_at=now,
        finished_at=now if statuses[n % 3] != DataLoad.Status.QUEUED else None,
        failure_reason="The export could not be read." if statuses[n % 3] == DataLoad.Status.FAILED else "")
        for n, e in pairs if e.submitted_at])
    return enrollments


def setup_in_status(status: str, *, administrator: User, name: str = "Sunrise Physical Therapy", upto: str = "pi_survey",
                    **answers) -> Enrollment:
    """Return an enrollment brought to `status` (a selectors.SetupStatus value) the way it happens for real.

    In progress means completed up to and including `upto`; `answers` go to setup_walk.
    """
    if status == "not_invited":
        return enrollment_create(name)
    if status == "invited":
        return enrollment_create(name, designate="invited@" + administrator.email.split("@")[1])
    enrollment = enrollment_create(name, administrator=administrator)
    if status == "signed_up":
        return enrollment
    setup_walk(enrollment, upto if status == "in_progress" else "waiver", administrator=administrator, **answers)
    # Whatever the submission queued, the data load is set to the state under test.
    DataLoad.objects.filter(enrollment=enrollment).delete()
    loads = {"data_loading": DataLoad.Status.QUEUED, "loaded": DataLoad.Status.SUCCEEDED, "load_failed": DataLoad.Status.FAILED}
    if status in loads:
        data_load_set(enrollment, loads[status])
    return enrollment
