"""`manage.py reap_stale_loads`: re-queue data loads whose worker died (for cron; loads also reap on their own)."""

from django.core.management.base import BaseCommand

from emr.services import data_load_reap_stale


class Command(BaseCommand):
    help = "Re-queue (or fail, after the last attempt) running data loads with no heartbeat for longer than the lease."

    def handle(self, *args, **options):
        count = data_load_reap_stale()
        self.stdout.write(f"Stale data loads re-queued or failed: {count}.")
