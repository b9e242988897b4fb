"""`manage.py setup_staff_roles`: create or reset the reviewer and support groups (migrate also does this)."""

from django.core.management.base import BaseCommand

from staff.services import staff_roles_setup


class Command(BaseCommand):
    help = "Create or reset the staff groups: reviewer (view only) and support (view and run the set-up actions)."

    def handle(self, *args, **options):
        for name, group in staff_roles_setup().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
