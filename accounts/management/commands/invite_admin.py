"""`manage.py invite_admin EMAIL --practice NAME [--year 2021]`: designate a practice's administrator and email the invitation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import services
from practices.models import PerformanceYear, Practice


class Command(BaseCommand):
    help = "Designate EMAIL as the account administrator of the practice NAME (created if new) and send the invitation."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--practice", required=True, help="Practice name (an existing practice with this exact name, or a new one).")
        parser.add_argument("--year", type=int, help="Performance year (default: the latest open year).")

    def handle(self, *args, email, practice, year, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(f"Not a valid email address: {email!r}") from error
        year_row = None
        if year is not None:
            year_row = PerformanceYear.objects.filter(year=year).first()
            if year_row is None:
                raise CommandError(f"No performance year {year}; create it in admin first.")
        with transaction.atomic():
            practices = list(Practice.objects.filter(name=practice.strip())[:2])
            if len(practices) > 1:
                raise CommandError(f"Several practices are named {practice!r}; designate in admin instead.")
            practice_row = practices[0] if practices else Practice.objects.create(
                name=practice.strip(), top_level_admin_email=settings.TOP_LEVEL_ADMIN_EMAIL
            )
        designation = services.designation_set(practice=practice_row, email=email, year=year_row)
        if designation.invitation_error:
            self.stderr.write(f"Designated {designation.email}, but the invitation email failed: {designation.invitation_error}")
        else:
            self.stdout.write(f"Designated {designation.email} for {practice_row.name}; invitation sent.")
