"""Identifier rules of ../shared/spec/domain.md §4–5: TIN (EIN prefix, SSN structure), NPI check digit, US phone, ZIP."""

import re
import unicodedata

import phonenumbers

# IRS campus prefixes (union of the IRS lists, as in python-stdnum's us/ein.dat); an EIN has no check digit.
VALID_EIN_PREFIXES = frozenset(
    "01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 "
    "47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 86 87 88 90 "
    "91 92 93 94 95 98 99".split()
)
KNOWN_BAD_SSNS = frozenset({"078051120", "219099999", "457555462"})


def tin_normalize(value: str) -> str | None:
    """Return the 9 digits of a TIN typed with or without dashes and spaces, or None if it is not 9 digits."""
    compact = re.sub(r"[\s-]", "", value or "")
    return compact if re.fullmatch(r"[0-9]{9}", compact) else None


def ein_problem(tin: str) -> str | None:
    """Return why 9 digits are not a plausible EIN, or None."""
    if tin[:2] not in VALID_EIN_PREFIXES:
        return f"{tin[:2]} is not a prefix the IRS uses for EINs. Check the first two digits."
    return None


def ssn_problem(tin: str) -> str | None:
    """Return why 9 digits are not a valid SSN, or None."""
    area, group, serial = tin[:3], tin[3:5], tin[5:]
    if area in {"000", "666"} or area.startswith("9"):
        return "An SSN cannot start with 000, 666 or 9. Check the first three digits."
    if group == "00":
        return "The middle two digits of an SSN cannot be 00."
    if serial == "0000":
        return "The last four digits of an SSN cannot be 0000."
    if tin in KNOWN_BAD_SSNS:
        return "This SSN is a well-known example number, not a real one."
    return None


def tin_format(tin: str, tin_type: str) -> str:
    """Return the TIN laid out as an EIN (XX-XXXXXXX) or an SSN (XXX-XX-XXXX)."""
    return f"{tin[:2]}-{tin[2:]}" if tin_type == "ein" else f"{tin[:3]}-{tin[3:5]}-{tin[5:]}"


def npi_check_digit(base9: str) -> int:
    """Return the check digit of a 9-digit NPI base: Luhn over the implied prefix 80840 (which adds 24)."""
    total = 24
    for position, char in enumerate(reversed(base9)):
        digit = int(char)
        if position % 2 == 0:  # the rightmost base digit and every second one to its left are doubled
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    """Return whether the text is 10 digits starting with 1 or 2 with a correct NPI check digit."""
    return bool(re.fullmatch(r"[12][0-9]{9}", npi or "")) and npi_check_digit(npi[:9]) == int(npi[9])


def phone_normalize(value: str) -> str | None:
    """Return a US phone number in E.164 (+1NXXNXXXXXX), or None if it is not one."""
    if re.search(r"[A-Za-z]", value or ""):
        return None
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    national = str(parsed.national_number)
    if parsed.country_code != 1 or not re.fullmatch(r"[2-9][0-9]{2}[2-9][0-9]{6}", national):
        return None
    return f"+1{national}"


def phone_display(e164: str) -> str:
    """Return +15555551234 as (555) 555-1234."""
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def zip_normalize(value: str) -> str | None:
    """Return a ZIP as 12345 or 12345-6789, or None."""
    digits = re.sub(r"[\s-]", "", value or "")
    if re.fullmatch(r"[0-9]{5}", digits):
        return digits
    if re.fullmatch(r"[0-9]{9}", digits):
        return f"{digits[:5]}-{digits[5:]}"
    return None


def name_fold(value: str) -> str:
    """Return a name as compared for signatures: Unicode NFKC, case-folded, spaces collapsed, ’ and ' the same."""
    folded = unicodedata.normalize("NFKC", value or "").replace("\u2019", "'").replace("\u2018", "'").casefold()
    return " ".join(folded.split())


def initials_accepted(first_name: str, last_name: str) -> set[str]:
    """Return the initials that match a holder's name.

    The written rule: the first letter of the first name and of the last name ("Ada Lovelace" → AL), or the first
    letter of every word of both names, hyphenated parts counting as words ("Mary Ann Smith-Jones" → MASJ).
    Typed initials are compared after name_fold with dots, spaces and apostrophes removed.
    """
    first, last = name_fold(first_name), name_fold(last_name)
    if not first or not last:
        return set()
    words = [w for w in re.split(r"[\s-]+", f"{first} {last}") if w]
    return {first[0] + last[0], "".join(w.lstrip("'")[0] for w in words if w.lstrip("'"))}


def initials_fold(value: str) -> str:
    """Return typed initials as compared: folded, without dots, spaces or apostrophes."""
    return re.sub(r"[.\s']", "", name_fold(value))
