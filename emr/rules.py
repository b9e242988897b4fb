"""The rules of WebPT's quality-data export (../shared/spec/emr-load.md): columns, measures, outcomes, dates."""

import datetime

from onboarding.identifiers import npi_check_digit, npi_is_valid  # noqa: F401  (the export uses the same NPI rule)

# The export's columns, in the order WebPT writes them (the loader accepts any order, by header name).
COLUMNS = ("encounter_id", "date_of_service", "patient_id", "clinician_npi", "measure_id", "outcome")

# MIPS quality measures of the PT/OT and SLP specialty sets (domain.md). The one list the loader accepts;
# when the scores app gets a measure table, read it from there instead.
VALID_MEASURE_IDS = frozenset({
    "126", "127", "128", "130", "134", "154", "155", "181", "182",
    "217", "218", "219", "220", "221", "222", "226", "281", "283", "286", "288", "318", "478",
})

OUTCOME_MET = "performance_met"
OUTCOME_NOT_MET = "performance_not_met"
OUTCOME_EXCLUSION = "denominator_exclusion"
OUTCOME_EXCEPTION = "denominator_exception"
OUTCOME_NOT_REPORTED = "not_reported"
OUTCOMES = frozenset({OUTCOME_MET, OUTCOME_NOT_MET, OUTCOME_EXCLUSION, OUTCOME_EXCEPTION, OUTCOME_NOT_REPORTED})

MAX_ID_LENGTH = 64


def year_dates(year: int) -> frozenset[str]:
    """Return every day of the year as ISO text: a row's date is valid exactly when it is in this set."""
    day = datetime.date(year, 1, 1)
    dates = set()
    while day.year == year:
        dates.add(day.isoformat())
        day += datetime.timedelta(days=1)
    return frozenset(dates)
