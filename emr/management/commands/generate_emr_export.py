"""`manage.py generate_emr_export --tin 123456789 --year 2021 --rows N --seed S --bad-rows K`: a demo WebPT export."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from emr.generator import export_generate


class Command(BaseCommand):
    help = ("Write a realistic, seeded WebPT quality-data export (one CSV per quarter) to "
            "<out>/<TIN>/<year>/; --rows counts every row, --bad-rows of them deliberately bad.")

    def add_arguments(self, parser):
        parser.add_argument("--tin", required=True, help="9 digits; dashes allowed (46-1234567).")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--bad-rows", type=int, default=0)
        parser.add_argument("--clinicians", type=int, default=8)
        parser.add_argument("--out", type=Path, default=None, help="Default: the EMR_EXPORT_DIR setting.")
        parser.add_argument("--force", action="store_true", help="Replace CSV files already in the target directory.")

    def handle(self, *args, **options):
        tin = re.sub(r"[\s-]", "", options["tin"])
        if not re.fullmatch(r"[0-9]{9}", tin):
            raise CommandError("--tin must be 9 digits.")
        rows, bad_rows, clinicians = options["rows"], options["bad_rows"], options["clinicians"]
        if rows < 1 or not 0 <= bad_rows <= rows or clinicians < 1:
            raise CommandError("Need --rows ≥ 1, 0 ≤ --bad-rows ≤ --rows and --clinicians ≥ 1.")
        out = options["out"] or Path(settings.EMR_EXPORT_DIR)
        target = out / tin / str(options["year"])
        existing = sorted(target.glob("*.csv")) if target.is_dir() else []
        if existing and not options["force"]:
            raise CommandError(f"{len(existing)} CSV file(s) already there; pass --force to replace them.")
        for path in existing:
            path.unlink()
        paths = export_generate(tin=tin, year=options["year"], rows=rows, seed=options["seed"], bad_rows=bad_rows,
                                clinicians=clinicians, out_dir=out)
        # The TIN is the directory name; say only how many files and rows, not where (the path holds the TIN).
        self.stdout.write(f"Wrote {rows} rows ({bad_rows} bad) in {len(paths)} files for {options['year']}.")
