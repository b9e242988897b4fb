import csv
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Designation, User
from emr.rules import COLUMNS
from onboarding.crypto import tin_encrypt, tin_index
from onboarding.models import TaxIdentifier
from practices.models import Enrollment, PerformanceYear, Practice

TIN = "461234567"
TIN_DASHED = "46-1234567"
NPI = "1234567893"  # domain.md §5's worked example
OTHER_NPI = "1558598797"


def good_row(encounter: str, measure: str = "182", outcome: str = "performance_met", *, date: str = "2021-03-01",
             patient: str = "PT0001", npi: str = NPI) -> list[str]:
    """Return a valid export row (column order of the export)."""
    return [encounter, date, patient, npi, measure, outcome]


def write_export(export_dir: Path, name: str, rows, *, header=COLUMNS, tin: str = TIN, year: int = 2021,
                 newline: str = "\n") -> Path:
    """Write one CSV file of an export and return its path."""
    directory = export_dir / tin / str(year)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator=newline)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def export_dir(tmp_path, settings):
    settings.EMR_EXPORT_DIR = tmp_path
    return tmp_path


@pytest.fixture
def enrollment(db):
    """A submitted 2021 enrollment with its TIN and a signed-up, designated administrator."""
    # get_or_create: transactional tests flush the rows that data migrations made.
    year, _ = PerformanceYear.objects.get_or_create(year=2021)
    practice = Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")
    user = User.objects.create_user("ada@sunrise-pt.example", "correct horse battery staple",
                                    first_name="Ada", last_name="Lovelace")
    Designation.objects.create(practice=practice, email=user.email, user=user, accepted_at=timezone.now())
    enrollment = Enrollment.objects.create(practice=practice, year=year, submitted_at=timezone.now(), submitted_by=user)
    TaxIdentifier.objects.create(enrollment=enrollment, year=year, tin_type="ein", tin_encrypted=tin_encrypt(TIN),
                                 tin_index=tin_index(TIN), tin_last4=TIN[-4:])
    return enrollment


@pytest.fixture
def administrator(enrollment):
    return enrollment.submitted_by


@pytest.fixture
def fast_settings(settings):
    """Heartbeats often enough for a test to see them; retries after the default back-off."""
    settings.EMR_LOAD_HEARTBEAT_SECONDS = 0.05
    return settings
