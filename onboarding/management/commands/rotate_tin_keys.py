"""`manage.py rotate_tin_keys`: re-encrypt every stored TIN under the first key of TIN_ENCRYPTION_KEYS.

Rotation: put the new key first in TIN_ENCRYPTION_KEYS (keeping the old ones after it), deploy, run this command,
then remove the old keys. The blind index (TIN_INDEX_KEY) is not touched.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from onboarding.crypto import tin_reencrypt
from onboarding.models import TaxIdentifier

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every stored TIN under the current (first) TIN encryption key."

    def handle(self, *args, **options):
        done = 0
        ids = list(TaxIdentifier.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                rows = list(TaxIdentifier.objects.select_for_update().filter(pk__in=ids[start:start + BATCH]))
                for row in rows:
                    row.tin_encrypted = tin_reencrypt(row.tin_encrypted)
                TaxIdentifier.objects.bulk_update(rows, ["tin_encrypted"])
                done += len(rows)
        self.stdout.write(f"Re-encrypted {done} TINs under the current key.")
