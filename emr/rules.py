"""The rules of WebPT's quality-data export (../shared/spec/emr-load.md): columns, measures, outcomes, NPI check digit."""

import datetime

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


def npi_check_digit(base9: str) -> int:
    """Return the check digit of a 9-digit NPI base (Luhn with the implied prefix 80840, domain.md §5)."""
    total = 24
    for position, char in enumerate(reversed(base9)):
        digit = int(char)
        if position % 2 == 0:  # the rightmost base digit and every second one to its left are doubled
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    """Return whether the text is a 10-digit NPI with a correct check digit."""
    return len(npi) == 10 and npi.isascii() and npi.isdigit() and npi_check_digit(npi[:9]) == int(npi[9])


def year_dates(year: int) -> frozenset[str]:
    """Return every day of the year as ISO text: a row's date is valid exactly when it is in this set."""
    day = datetime.date(year, 1, 1)
    dates = set()
    while day.year == year:
        dates.add(day.isoformat())
        day += datetime.timedelta(days=1)
    return frozenset(dates)
