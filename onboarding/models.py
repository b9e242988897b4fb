"""One model per set-up step, each one-to-one with the enrollment, in the order of the steps.

Rules that must always hold are database constraints; the signed documents are made immutable by triggers.
"""

import hashlib

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.choices import US_STATES, Document, EhrVendor, ReportingAs, Specialty, TinType
from practices.models import Enrollment, PerformanceYear

SMALL_PRACTICE_MAX = 15


def _history(**options):
    """Return a decorator keeping every insert, update and delete of a set-up record, append-only, for staff review.

    Trackers are built per model because pghistory fills in an UpdateEvent's fields on first use.
    """
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True, **options)


class StepRecord(models.Model):
    """Fields every step row has."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


@_history()
class PracticeProfile(StepRecord):
    """Step 1: who the administrator is, where the practice is, and how it reports."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="profile")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    practice_name = models.CharField(_("practice name"), max_length=200)
    address_line1 = models.CharField(_("street address"), max_length=200)
    address_line2 = models.CharField(_("street address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state, territory or military post"), max_length=2, choices=US_STATES)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    phone = models.CharField(_("phone"), max_length=12, help_text=_("E.164, e.g. +15555551234"))
    phone_extension = models.CharField(_("extension"), max_length=6, blank=True)
    specialty = models.CharField(_("specialty"), max_length=40, choices=Specialty.choices)
    group_npi = models.CharField(_("group NPI"), max_length=10, blank=True)
    uses_ehr = models.BooleanField(_("uses an EHR/EMR system"))
    ehr_vendor = models.CharField(_("EHR/EMR vendor"), max_length=40, choices=EhrVendor.choices, blank=True)
    ehr_vendor_other = models.CharField(_("other EHR/EMR vendor"), max_length=100, blank=True)
    is_rural = models.BooleanField(_("rural practice"))
    is_hpsa = models.BooleanField(_("in a Health Professional Shortage Area"))
    in_apm = models.BooleanField(_("participates in an Alternative Payment Model"))
    reporting_as = models.CharField(_("reporting as"), max_length=10, choices=ReportingAs.choices, default=ReportingAs.GROUP)
    shares_deidentified_data = models.BooleanField(_("shares de-identified data with QPP"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(zip_code__regex=r"^[0-9]{5}(-[0-9]{4})?$"), name="profile_zip_5_or_9_digits"),
            models.CheckConstraint(condition=models.Q(phone__regex=r"^\+1[2-9][0-9]{9}$"), name="profile_phone_e164_us"),
            models.CheckConstraint(condition=models.Q(phone_extension__regex=r"^[0-9]{0,6}$"), name="profile_extension_digits"),
            models.CheckConstraint(condition=models.Q(group_npi="") | models.Q(group_npi__regex=r"^[12][0-9]{9}$"), name="profile_npi_10_digits"),
            models.CheckConstraint(
                condition=(models.Q(uses_ehr=True) & ~models.Q(ehr_vendor="")) | (models.Q(uses_ehr=False) & models.Q(ehr_vendor="")),
                name="profile_vendor_iff_ehr",
            ),
            models.CheckConstraint(
                condition=(models.Q(ehr_vendor=EhrVendor.OTHER) & ~models.Q(ehr_vendor_other=""))
                | (~models.Q(ehr_vendor=EhrVendor.OTHER) & models.Q(ehr_vendor_other="")),
                name="profile_other_vendor_named",
            ),
        ]

    def __str__(self):
        return f"profile of {self.enrollment_id}"

    @property
    def phone_display(self) -> str:
        """Return the phone as US readers write it: (602) 555-1234."""
        from onboarding.identifiers import phone_display

        return phone_display(self.phone)


@_history()
class SmallPractice(StepRecord):
    """Step 2: whether the practice has 15 or fewer clinicians (PTs, OTs and SLPs)."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="small_practice")
    is_small = models.BooleanField(_("15 or fewer providers"))
    clinician_count = models.PositiveIntegerField(_("number of clinicians"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clinician_count__isnull=True)
                | models.Q(is_small=True, clinician_count__gte=1, clinician_count__lte=SMALL_PRACTICE_MAX)
                | models.Q(is_small=False, clinician_count__gt=SMALL_PRACTICE_MAX),
                name="small_practice_count_agrees",
            ),
        ]

    def __str__(self):
        return f"small practice answer of {self.enrollment_id}"


@_history()
class PiSurvey(StepRecord):
    """Step 3: the Promoting Interoperability exemption survey; `pi_exempt` is derived, never typed."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="pi_survey")
    took_survey = models.BooleanField(_("took the survey"))
    uses_cehrt = models.BooleanField(null=True, blank=True)
    hospital_based = models.BooleanField(null=True, blank=True)
    pi_not_applicable_type = models.BooleanField(null=True, blank=True)
    reports_through_other_entity = models.BooleanField(null=True, blank=True)
    reweight_to_zero = models.BooleanField(_("reweight PI to zero"), null=True, blank=True)
    pi_exempt = models.BooleanField(_("exempt from PI"), default=False, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(took_survey=False, uses_cehrt__isnull=True, hospital_based__isnull=True,
                                   pi_not_applicable_type__isnull=True, reports_through_other_entity__isnull=True,
                                   reweight_to_zero__isnull=True)
                | models.Q(took_survey=True, uses_cehrt__isnull=False, hospital_based__isnull=False,
                           pi_not_applicable_type__isnull=False, reports_through_other_entity__isnull=False),
                name="pi_survey_all_or_nothing",
            ),
            # Only qualifying answers (question 3 Yes) may carry the follow-up answer.
            models.CheckConstraint(
                condition=models.Q(reweight_to_zero__isnull=True) | models.Q(pi_not_applicable_type=True),
                name="pi_followup_only_when_qualified",
            ),
            models.CheckConstraint(
                condition=models.Q(pi_exempt=True, took_survey=True, pi_not_applicable_type=True, reweight_to_zero=True)
                | (models.Q(pi_exempt=False) & ~models.Q(took_survey=True, pi_not_applicable_type=True, reweight_to_zero=True)),
                name="pi_exempt_derived",
            ),
        ]

    def __str__(self):
        return f"PI survey of {self.enrollment_id}"

    @property
    def qualifies(self) -> bool:
        """Return whether the answers qualify the group for PI reweighting (all clinicians of a PI-exempt type)."""
        return bool(self.took_survey and self.pi_not_applicable_type)

    @property
    def is_complete(self) -> bool:
        """Return whether the step may be left: qualifying answers need the follow-up answered."""
        return not self.qualifies or self.reweight_to_zero is not None


@_history()
class Exemptions(StepRecord):
    """Step 4: anticipated scores and the Cost exemption (the PI exemption is shown from step 3)."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="exemptions")
    only_using_webpt = models.BooleanField(_("only using WebPT"), default=False)
    cost_exempt = models.BooleanField(_("exempt from Cost"), default=False, db_index=True)

    class Meta:
        verbose_name_plural = "exemptions"

    def __str__(self):
        return f"exemptions of {self.enrollment_id}"


# The TIN's history keeps only what may be shown anywhere: never the ciphertext or the blind index.
@_history(fields=["enrollment", "year", "tin_type", "tin_last4", "saved_at"], model_name="TaxIdentifierEvent")
class TaxIdentifier(StepRecord):
    """Step 5: the TIN, encrypted at rest; a keyed hash (blind index) enforces one practice per TIN per year."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="tax_identifier")
    # Copied from the enrollment so the database itself can refuse a second practice with the same TIN in a year.
    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="+")
    tin_type = models.CharField(_("TIN type"), max_length=3, choices=TinType.choices, default=TinType.EIN)
    tin_encrypted = models.TextField(editable=False)
    tin_index = models.CharField(max_length=64, editable=False)
    tin_last4 = models.CharField(_("TIN last four"), max_length=4, editable=False, db_index=True)

    class Meta:
        verbose_name = "TIN"
        constraints = [
            models.UniqueConstraint(fields=["year", "tin_index"], name="one_practice_per_tin_per_year"),
            models.CheckConstraint(condition=models.Q(tin_last4__regex=r"^[0-9]{4}$"), name="tin_last4_digits"),
        ]

    def __str__(self):
        return f"TIN {self.masked}"

    @property
    def masked(self) -> str:
        """Return the TIN as it may be shown anywhere but the form: `**-***6789`."""
        return f"**-***{self.tin_last4}"


@_history(exclude=["text"])  # the text is immutable and stays on the row; its SHA-256 is kept
class Signature(models.Model):
    """A signed BAA (step 6) or data-release waiver (step 7) with its evidence. Immutable once written.

    A change to what a signature covers voids it (voided_at is the only column that may ever be set after insert);
    the new signature is a new row.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="signatures")
    document = models.CharField(max_length=10, choices=Document.choices)
    version = models.CharField(_("document version"), max_length=20)
    text = models.TextField(_("text shown and signed"))
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    covered_entity = models.CharField(_("covered entity"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    initials = models.JSONField(_("initials per clause"), default=dict, blank=True)
    covers = models.JSONField(_("what the signature covers"), default=dict)
    consent = models.BooleanField(_("typed name serves as digital signature"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "document"], condition=models.Q(voided_at__isnull=True), name="one_active_signature_per_document"
            ),
            models.CheckConstraint(condition=models.Q(consent=True), name="signature_has_consent"),
            models.CheckConstraint(condition=models.Q(text_sha256__regex=r"^[0-9a-f]{64}$"), name="signature_sha256_hex"),
            models.CheckConstraint(condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""), name="void_has_reason"),
        ]
        triggers = [
            pgtrigger.Protect(name="signature_no_delete", operation=pgtrigger.Delete),
            pgtrigger.ReadOnly(name="signature_evidence_read_only", exclude=["voided_at", "void_reason"]),
            pgtrigger.Protect(name="signature_void_is_final", operation=pgtrigger.Update, condition=pgtrigger.Q(old__voided_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.get_document_display()} signed {self.signed_at:%Y-%m-%d}"

    @staticmethod
    def sha256_of(text: str) -> str:
        """Return the SHA-256 (hex) of a signed text."""
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def text_intact(self) -> bool:
        """Return whether the stored text still hashes to the stored SHA-256."""
        return self.sha256_of(self.text) == self.text_sha256
