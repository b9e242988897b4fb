"""`manage.py load_qpp_data --year 2021`: CMS's measures, activities and registry benchmarks, and the year's scoring rules."""

from django.core.management.base import BaseCommand, CommandError

from scores.loading import QppDataError, qpp_data_load


class Command(BaseCommand):
    help = "Load a performance year's quality measures, improvement activities, registry benchmarks and scoring rules; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="performance year, e.g. 2021")
        parser.add_argument("--data-dir", default=None, help="qpp-measures-data directory (default: settings.QPP_MEASURES_DATA_DIR)")

    def handle(self, *args, year, data_dir, **options):
        try:
            counts = qpp_data_load(year=year, data_dir=data_dir)
        except QppDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(
                f"{year}: {counts.measures} registry quality measures, {counts.benchmarks} registry benchmarks, "
                f"{counts.activities} improvement activities, {counts.weights} weight rows."
            )
