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
    """Not one of the 20,000 most common passwords (Django's list)."""

    def get_help_text(self):
        return _("Any characters, including spaces, accents and emoji — but not a commonly used password")


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
