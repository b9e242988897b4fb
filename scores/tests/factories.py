"""Rows the scoring tests need, built the way the set-up wizard and the data load would leave them."""

import datetime
import itertools

from django.utils import timezone

from accounts.models import Designation, User
from emr.models import DataLoad, MeasureAggregate
from onboarding.choices import Specialty
from onboarding.crypto import tin_encrypt, tin_index
from onboarding.models import Exemptions, PiSurvey, PracticeProfile, SmallPractice, TaxIdentifier
from practices.models import Enrollment, PerformanceYear, Practice
from scores.models import QualityMeasure

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def user_create(email: str | None = None) -> User:
    email = email or f"admin{next(_numbers)}@practice.example"
    return User.objects.create_user(email, PASSWORD, first_name="Ada", last_name="Lovelace")


def _steps_create(enrollment, *, specialty, is_small, is_rural, is_hpsa, pi_exempt, cost_exempt, tin):
    PracticeProfile.objects.create(
        enrollment=enrollment, first_name="Ada", last_name="Lovelace", practice_name=enrollment.practice.name,
        address_line1="1 Main St", city="Phoenix", state="AZ", zip_code="85001", phone="+16025551234",
        specialty=specialty, uses_ehr=True, ehr_vendor="webpt", is_rural=is_rural, is_hpsa=is_hpsa, in_apm=False,
        shares_deidentified_data=False,
    )
    SmallPractice.objects.create(enrollment=enrollment, is_small=is_small)
    survey = {"took_survey": True, "uses_cehrt": False, "hospital_based": False, "pi_not_applicable_type": True,
              "reports_through_other_entity": False, "reweight_to_zero": True, "pi_exempt": True} if pi_exempt else {"took_survey": False}
    PiSurvey.objects.create(enrollment=enrollment, **survey)
    Exemptions.objects.create(enrollment=enrollment, cost_exempt=cost_exempt)
    if tin:
        TaxIdentifier.objects.create(enrollment=enrollment, year=enrollment.year, tin_encrypted=tin_encrypt(tin),
                                     tin_index=tin_index(tin), tin_last4=tin[-4:])


def enrollment_create(
    *, administrator: User | None = None, submitted: bool = True, steps: bool = True,
    specialty: str = Specialty.PHYSICAL_THERAPY, is_small: bool = False, is_rural: bool = False, is_hpsa: bool = False,
    pi_exempt: bool = True, cost_exempt: bool = False, tin: str | None = "",
) -> Enrollment:
    """A 2021 enrollment, administered by `administrator`, with every set-up row unless `steps` is False.
    `tin` "" gives a TIN unique to the test run; None leaves the TIN step out."""
    practice = Practice.objects.create(name=f"Practice {next(_numbers)}", top_level_admin_email="mips-admin@webpt.example")
    submitter = administrator or user_create()
    enrollment = Enrollment.objects.create(
        practice=practice, year=PerformanceYear.objects.get(year=2021),
        submitted_at=timezone.now() if submitted else None, submitted_by=submitter if submitted else None,
    )
    if administrator:
        Designation.objects.create(practice=practice, email=administrator.email, user=administrator, accepted_at=timezone.now())
    if tin == "":
        tin = f"12{next(_numbers):07d}"
    if steps:
        _steps_create(enrollment, specialty=specialty, is_small=is_small, is_rural=is_rural, is_hpsa=is_hpsa,
                      pi_exempt=pi_exempt, cost_exempt=cost_exempt, tin=tin)
    return enrollment


def aggregate_create(
    enrollment, measure_id: str, *, met: int, not_met: int = 0, exclusions: int = 0, exceptions: int = 0,
    not_reported: int = 0, first: datetime.date = datetime.date(2021, 1, 1), last: datetime.date = datetime.date(2021, 12, 31),
) -> MeasureAggregate:
    """A measure's counts as the data load writes them (eligible population = every row of the measure)."""
    return MeasureAggregate.objects.create(
        enrollment=enrollment, measure_id=measure_id, performance_met=met, performance_not_met=not_met,
        exclusions=exclusions, exceptions=exceptions, not_reported=not_reported,
        eligible_population=met + not_met + exclusions + exceptions + not_reported,
        first_service_date=first, last_service_date=last,
    )


def data_load_succeeded(enrollment) -> DataLoad:
    now = timezone.now()
    return DataLoad.objects.create(enrollment=enrollment, status=DataLoad.Status.SUCCEEDED, queued_at=now, started_at=now,
                                   finished_at=now)


def measure(measure_id: str) -> QualityMeasure:
    return QualityMeasure.objects.select_related("benchmark").get(year__year=2021, measure_id=measure_id)
