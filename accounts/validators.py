"""The password policy (NIST SP 800-63B-4): length and blocklists, never character-class rules.

Each class's help text is shown on the sign-up page as a checklist before the user types.
"""

import re
import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words that make a password guessable in this portal's context, whoever the user is.
PORTAL_WORDS = ("mips", "qpp", "webpt", "healthmonix", "portal")
MIN_PART_LENGTH = 3


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class LengthValidator:
    """At least `min_length` and at most `max_length` characters, counting each Unicode code point once."""

    def __init__(self, min_length=15, max_length=128):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("This password is too short. It must contain at least %(min)d characters."),
                code="password_too_short", params={"min": self.min_length},
            )
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long. It must contain at most %(max)d characters."),
                code="password_too_long", params={"max": self.max_length},
            )

    def get_help_text(self):
        return _("%(min)d to %(max)d characters — a passphrase of a few words works well") % {
            "min": self.min_length, "max": self.max_length,
        }


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not a common password (Django's list of 20,000), nor one repeated or padded with digits and symbols.

    Few listed passwords reach 15 characters, so the padded and repeated forms ("passwordpassword",
    "password123456789") are what a length rule alone would let through.
    """

    def validate(self, password, user=None):
        if any(candidate in self.passwords for candidate in _weak_forms(password)):
            raise ValidationError(
                _("This password is too common, or a common password repeated or padded. Try a few unrelated words."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Any characters, including spaces, accents and emoji — but not a commonly used password")


def _weak_forms(password: str) -> set[str]:
    """Return the password's lower-cased forms that a guesser tries first: as typed, unpadded, and its repeated unit."""
    compact = "".join(password.lower().split())
    forms = {password.lower().strip(), compact, compact.strip("0123456789!@#$%^&*()_-+=.?~ ")}
    for size in range(1, len(compact) // 2 + 1):
        if len(compact) % size == 0 and compact[:size] * (len(compact) // size) == compact:
            unit = compact[:size]
            # A unit of one to three characters repeated ("aaaa…", "121212…") is as weak as any listed password.
            forms.add(unit if size > 3 else "password")
            break
    return forms


class ContextWordsValidator:
    """Not containing the user's name, the email's local part, a practice's name or the portal's own words."""

    def validate(self, password, user=None):
        folded = " ".join(_fold(password).split())
        for what, words in self._context_words(user):
            if any(word in folded for word in words):
                raise ValidationError(
                    _("This password contains %(what)s. Choose words that have nothing to do with you or this portal."),
                    code="password_has_context_word", params={"what": what},
                )

    def get_help_text(self):
        return _("Does not contain your name, your email address, your practice's name or the words MIPS, QPP or WebPT")

    @staticmethod
    def _context_words(user):
        email = getattr(user, "email", "") or ""
        person = [getattr(user, "first_name", ""), getattr(user, "last_name", ""), email.split("@")[0]]
        return [
            (_("your name or email address"), _parts(person)),
            # A practice name is matched whole: its single words ("Physical", "Therapy") are ordinary words.
            (_("your practice's name"), {n for n in (" ".join(_fold(p).split()) for p in _practice_names(email)) if len(n) >= MIN_PART_LENGTH}),
            (_("the portal's name"), set(PORTAL_WORDS)),
        ]


def _parts(words) -> set[str]:
    """Return each word and each of its parts (split at spaces and punctuation) of at least three characters."""
    parts = set()
    for word in words:
        folded = _fold(word or "")
        for part in [folded.strip(), *re.split(r"[\s._+\-@'’]+", folded)]:
            if len(part) >= MIN_PART_LENGTH:
                parts.add(part)
    return parts


def _practice_names(email: str) -> list[str]:
    """Return the names of the practices this address is designated for."""
    from accounts.models import Designation

    if not email:
        return []
    return list(Designation.objects.filter(email=email.strip().lower()).values_list("practice__name", flat=True))
