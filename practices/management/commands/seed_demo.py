"""`manage.py seed_demo`: the demo practice, its designated administrator address and a staff login with recovery codes (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_static.models import StaticToken

from accounts import mfa
from accounts.models import Designation, User
from accounts.services import designation_set
from practices.models import PerformanceYear, Practice

DEMO_PRACTICE = "Sunrise Physical Therapy"
DEMO_ADMIN_EMAIL = "admin@sunrise-pt.example"
DEMO_STAFF_EMAIL = "staff@mips-portal.example"
DEMO_STAFF_PASSWORD = "demo staff passphrase 2021"
# A made-up EIN for the demo practice: its WebPT export is generated below, so the data load has something to load.
DEMO_TIN = "46-1234567"


class Command(BaseCommand):
    help = "Create the demo practice (designated administrator not yet signed up) and a staff superuser; safe to run again."

    def handle(self, *args, **options):
        year = PerformanceYear.objects.get(year=2021)
        practice, _ = Practice.objects.get_or_create(
            name=DEMO_PRACTICE, defaults={"top_level_admin_email": settings.TOP_LEVEL_ADMIN_EMAIL}
        )
        if not Designation.objects.filter(practice=practice).exists():
            designation_set(practice=practice, email=DEMO_ADMIN_EMAIL, year=year)
        staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first() or User.objects.create_superuser(
            DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, first_name="Demo", last_name="Staff")
        self.stdout.write(f"Demo practice {DEMO_PRACTICE!r}: administrator {DEMO_ADMIN_EMAIL}; staff {DEMO_STAFF_EMAIL}.")
        # Staff pages need a second factor: the demo staff account gets recovery codes (kept until used up).
        codes = list(StaticToken.objects.filter(device__user=staff, device__confirmed=True).values_list("token", flat=True))
        codes = codes or mfa.recovery_codes_create(user=staff)
        self.stdout.write(f"Demo staff recovery codes (each works once, {len(codes)} left): {' '.join(sorted(codes))}")
        if not any((Path(settings.EMR_EXPORT_DIR) / DEMO_TIN.replace("-", "") / str(year.year)).glob("*.csv")):
            call_command("generate_emr_export", tin=DEMO_TIN, year=year.year, rows=20_000, seed=2021, bad_rows=12,
                         stdout=self.stdout)
        self.stdout.write(f"Demo WebPT export for {year.year} is in place: type the TIN {DEMO_TIN} in the set-up wizard.")
