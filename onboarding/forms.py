"""One form per set-up step. Rules of a single step live here; rules across steps are in services.onboarding_validate.

Wizard forms never save themselves: the wizard hands cleaned data to services.onboarding_step_save.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from mips_portal.forms import UswdsFormMixin
from onboarding import identifiers
from onboarding.choices import EhrVendor, TinType
from onboarding.models import SMALL_PRACTICE_MAX, Exemptions, PracticeProfile, SmallPractice, TaxIdentifier

YES_NO = [(True, _("Yes")), (False, _("No"))]


def yes_no(label, help_text="", required=True):
    """Return a required Yes/No question rendered as radio buttons."""
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=YES_NO, widget=forms.RadioSelect, required=required,
        coerce=lambda v: v in (True, "True"), empty_value=None,
        error_messages={"required": _("Answer Yes or No.")},
    )


def label_in_sentence(label) -> str:
    """Return a label as it reads inside a sentence: "First name" → "first name", but "ZIP code" stays."""
    text = str(label)
    first_word = text.split(" ", 1)[0]
    return text if first_word.isupper() and len(first_word) > 1 else text[:1].lower() + text[1:]


def clean_text(value: str) -> str:
    """Refuse control, zero-width and bidi-override characters that make a name display as something else."""
    if any(unicodedata.category(c) in {"Cc", "Cf"} for c in value):
        raise forms.ValidationError(_("Remove the invisible or control characters from this field."), code="control_characters")
    return value.strip()


class StepForm(UswdsFormMixin):
    """Shared behaviour of the step forms: friendly required messages and no invisible characters in text."""

    question_numbers: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                verb = _("Choose") if isinstance(field, forms.ChoiceField) else _("Enter")
                field.error_messages["required"] = f"{verb} {label_in_sentence(field.label)}."

    def _post_clean(self):
        if not isinstance(self, forms.ModelForm):
            return super()._post_clean()
        # Every database constraint of a step has a form rule with a clearer message (see test_forms), and
        # PostgreSQL enforces them again on save; Django's own check would cost a query per constraint.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        try:
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_unique=False, validate_constraints=False)
        except forms.ValidationError as error:
            self._update_errors(error)

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                try:
                    self.cleaned_data[name] = clean_text(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)


class PracticeProfileForm(StepForm, forms.ModelForm):
    """Step 1: practice profile (questions 1–17)."""

    admin_email = forms.EmailField(
        label=_("Administrator email address"), disabled=True, required=False,
        help_text=_("WebPT is your practice's top-level administrator, so this address cannot be changed."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, help_text=_("A US number where we can reach you about this account."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10, help_text=_("5 or 9 digits."),
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))
    uses_ehr = yes_no(_("Does your group use an EHR/EMR system for patient records?"))
    is_rural = yes_no(_("Is your practice rural?"), _("Rural practices get double weight for improvement activities."))
    is_hpsa = yes_no(_("Is your practice in a Health Professional Shortage Area (HPSA)?"), _("HPSA practices get double weight for improvement activities."))
    in_apm = yes_no(_("Does your practice participate in an Alternative Payment Model (APM)?"))
    shares_deidentified_data = yes_no(
        _("May de-identified data be shared with CMS's Quality Payment Program to improve the program for rehab therapy?"),
        _("We recommend Yes: it helps add outcome measures for rehab therapy. No patient is identifiable."),
    )

    question_numbers = {
        "admin_email": "1", "first_name": "2", "last_name": "2", "job_title": "3", "practice_name": "4",
        "address_line1": "5", "address_line2": "5", "city": "6", "state": "7", "zip_code": "8", "phone": "9",
        "phone_extension": "9", "specialty": "10", "group_npi": "11", "uses_ehr": "12", "ehr_vendor": "12",
        "ehr_vendor_other": "12", "is_rural": "13", "is_hpsa": "14", "in_apm": "15", "reporting_as": "16",
        "shares_deidentified_data": "17",
    }

    class Meta:
        model = PracticeProfile
        fields = [
            "first_name", "last_name", "job_title", "practice_name", "address_line1", "address_line2", "city", "state",
            "zip_code", "phone", "phone_extension", "specialty", "group_npi", "uses_ehr", "ehr_vendor", "ehr_vendor_other",
            "is_rural", "is_hpsa", "in_apm", "reporting_as", "shares_deidentified_data",
        ]
        labels = {"state": _("State or territory"), "ehr_vendor": _("EHR/EMR vendor"), "ehr_vendor_other": _("Vendor name, if Other"),
                  "phone_extension": _("Extension (optional)"), "group_npi": _("Group NPI (optional)"),
                  "job_title": _("Job title (optional)"), "address_line2": _("Street address line 2 (optional)")}
        help_texts = {
            "specialty": _("Choose the one that fits best. It does not limit which measures you can choose later."),
            "ehr_vendor": _("RevFlow and WebPT Billing users: choose WebPT (it is the company, not the product)."),
            "group_npi": _("10 digits."),
        }
        widgets = {"reporting_as": forms.RadioSelect,
                   "group_npi": forms.TextInput(attrs={"inputmode": "numeric"}),
                   "phone_extension": forms.TextInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ehr_vendor"].required = False
        self.fields["ehr_vendor"].choices = [("", _("- Select a vendor -")), *EhrVendor.choices]
        self.fields["specialty"].choices = [("", _("- Select a specialty -")), *self.fields["specialty"].choices[1:]]
        self.fields["state"].choices = [("", _("- Select -")), *self.fields["state"].choices[1:]]

    def clean_zip_code(self):
        value = identifiers.zip_normalize(self.cleaned_data["zip_code"])
        if value is None:
            raise forms.ValidationError(_("Enter a ZIP code of 5 digits (12345) or 9 digits (12345-6789)."), code="zip")
        return value

    def clean_phone(self):
        value = identifiers.phone_normalize(self.cleaned_data["phone"])
        if value is None:
            raise forms.ValidationError(_("Enter a US phone number with area code, like (555) 555-1234."), code="phone")
        return value

    def clean_phone_extension(self):
        value = self.cleaned_data["phone_extension"].strip()
        if value and not (value.isdigit() and value.isascii()):
            raise forms.ValidationError(_("Enter the extension as digits only, up to 6."), code="extension")
        return value

    def clean_group_npi(self):
        value = self.cleaned_data["group_npi"].replace(" ", "")
        if value and not identifiers.npi_is_valid(value):
            raise forms.ValidationError(_("Enter a 10-digit NPI starting with 1 or 2 — this one fails the NPI check digit. Check for a typo."), code="npi")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("uses_ehr") is True and not cleaned.get("ehr_vendor"):
            self.add_error("ehr_vendor", forms.ValidationError(_("Choose your EHR/EMR vendor (WebPT users choose WebPT)."), code="vendor_required"))
        if cleaned.get("uses_ehr") is False:
            cleaned["ehr_vendor"], cleaned["ehr_vendor_other"] = "", ""
        if cleaned.get("ehr_vendor") == EhrVendor.OTHER and not cleaned.get("ehr_vendor_other"):
            self.add_error("ehr_vendor_other", forms.ValidationError(_("Type the name of your EHR/EMR vendor."), code="vendor_other_required"))
        if cleaned.get("ehr_vendor") != EhrVendor.OTHER:
            cleaned["ehr_vendor_other"] = ""
        return cleaned

    def _post_clean(self):
        # Normalised and cleared values must reach the instance before the model's constraints are checked.
        for name in ("ehr_vendor", "ehr_vendor_other"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class SmallPracticeForm(StepForm, forms.ModelForm):
    """Step 2: 15 or fewer providers, with an optional count that must agree."""

    is_small = yes_no(
        _("Does your organization have 15 or fewer providers (PTs, OTs and SLPs)?"),
        _("Yes makes your practice eligible for the small-practice bonus in Quality and reduces the points needed for Improvement Activities. Count every PT, OT and SLP billing under your TIN."),
    )

    class Meta:
        model = SmallPractice
        fields = ["is_small", "clinician_count"]
        labels = {"clinician_count": _("How many clinicians? (optional)")}
        widgets = {"clinician_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})}

    def clean(self):
        cleaned = super().clean()
        count, is_small = cleaned.get("clinician_count"), cleaned.get("is_small")
        if count is not None and is_small is not None:
            if count < 1:
                self.add_error("clinician_count", forms.ValidationError(_("Enter at least 1 clinician, or leave this blank."), code="count_min"))
            elif is_small and count > SMALL_PRACTICE_MAX:
                self.add_error("clinician_count", forms.ValidationError(
                    _("You answered Yes (15 or fewer) but entered %(n)d clinicians. Change the answer to No or correct the count."), code="count_disagrees", params={"n": count}))
            elif not is_small and count <= SMALL_PRACTICE_MAX:
                self.add_error("clinician_count", forms.ValidationError(
                    _("You answered No (16 or more) but entered %(n)d clinicians. Change the answer to Yes or correct the count."), code="count_disagrees", params={"n": count}))
        return cleaned


class PiSurveyForm(StepForm, forms.Form):
    """Step 3: the PI exemption survey. `action` is the button pressed: take, save or continue."""

    uses_cehrt = yes_no(_("Do the clinicians in your group use certified EHR technology (CEHRT) to report Promoting Interoperability?"))
    hospital_based = yes_no(_("Are all clinicians in your group hospital-based or ambulatory-surgical-center-based?"))
    pi_not_applicable_type = yes_no(_("Are all clinicians in your group of a type for whom Promoting Interoperability does not apply (PT, OT, SLP, audiologist, …)?"))
    reports_through_other_entity = yes_no(_("Does your group report Promoting Interoperability through another group, virtual group or APM entity?"))
    reweight_to_zero = yes_no(
        _("Your group qualifies to have Promoting Interoperability reweighted to 0%. Reweight PI to zero?"), required=False,
    )

    question_numbers = {"uses_cehrt": "1", "hospital_based": "2", "pi_not_applicable_type": "3", "reports_through_other_entity": "4", "reweight_to_zero": "5"}

    def __init__(self, *args, action="continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    @property
    def qualifies(self) -> bool:
        """Return whether the answers (bound or saved) qualify for PI reweighting: question 3 is Yes."""
        value = self["pi_not_applicable_type"].value()
        return value in (True, "True")

    def clean(self):
        cleaned = super().clean()
        qualifies = cleaned.get("pi_not_applicable_type") is True
        if not qualifies:
            cleaned["reweight_to_zero"] = None
        elif self.action == "continue" and cleaned.get("reweight_to_zero") is None and "reweight_to_zero" not in self.errors:
            self.add_error("reweight_to_zero", forms.ValidationError(_("Answer this last question before you continue: Yes reweights PI to 0%."), code="followup_required"))
        return cleaned


class ExemptionsForm(StepForm, forms.ModelForm):
    """Step 4: anticipated scores and component exemptions. The PI box shows step 3's result and ignores posts."""

    pi_exempt = forms.BooleanField(label=_("This account is exempt from PI"), required=False, disabled=True,
                                   help_text=_("Set from your answers to the Promoting Interoperability survey."))

    class Meta:
        model = Exemptions
        fields = ["only_using_webpt", "cost_exempt"]
        labels = {"only_using_webpt": _("Only using WebPT"), "cost_exempt": _("This account is exempt from Cost")}
        help_texts = {"only_using_webpt": _("All of your practice's data comes from WebPT."),
                      "cost_exempt": _("Cost does not apply to therapists: CMS computes it from claims, and rehab therapists have no scorable cost measure.")}

    field_order = ["only_using_webpt", "pi_exempt", "cost_exempt"]


class TinForm(StepForm, forms.Form):
    """Step 5: the TIN, typed twice. The owning enrollment is given so a TIN of another practice is refused."""

    tin_type = forms.ChoiceField(label=_("TIN type"), choices=TinType.choices, initial=TinType.EIN, widget=forms.RadioSelect,
                                 help_text=_("Most practices use their EIN. Choose SSN only if you are a sole proprietor billing under your SSN."))
    tin = forms.CharField(label=_("TIN / EIN"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
                          help_text=_("9 digits, with or without dashes, e.g. 12-3456789."))
    tin_confirm = forms.CharField(label=_("Re-enter your TIN / EIN"), max_length=20,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}))

    def __init__(self, *args, enrollment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def clean_tin(self):
        tin = identifiers.tin_normalize(self.cleaned_data["tin"])
        if tin is None:
            raise forms.ValidationError(_("Enter the TIN as 9 digits, e.g. 12-3456789 (letters are not allowed)."), code="tin_format")
        return tin

    def clean(self):
        cleaned = super().clean()
        tin, tin_type = cleaned.get("tin"), cleaned.get("tin_type")
        if not tin:
            return cleaned
        if identifiers.tin_normalize(cleaned.get("tin_confirm", "")) != tin:
            self.add_error("tin_confirm", forms.ValidationError(_("The TINs don't match. Type the same 9 digits in both boxes."), code="tin_mismatch"))
            return cleaned
        problem = identifiers.ein_problem(tin) if tin_type == TinType.EIN else identifiers.ssn_problem(tin)
        if problem:
            self.add_error("tin", forms.ValidationError(problem, code="tin_invalid"))
        elif self.enrollment is not None and _tin_taken(tin, self.enrollment):
            self.add_error("tin", forms.ValidationError(
                _("This TIN is already registered to another practice for %(year)s. If that seems wrong, contact %(support)s."),
                code="tin_taken", params={"year": self.enrollment.year.year, "support": settings.SUPPORT_EMAIL}))
        return cleaned


def _tin_taken(tin: str, enrollment) -> bool:
    from onboarding.crypto import tin_index

    return TaxIdentifier.objects.filter(year_id=enrollment.year_id, tin_index=tin_index(tin)).exclude(enrollment=enrollment).exists()


class SignatureForm(StepForm, forms.Form):
    """Shared by the BAA and the waiver: the hash of the text shown, and the e-signature consent."""

    shown_sha256 = forms.CharField(widget=forms.HiddenInput)
    consent = forms.BooleanField(label=_("I agree that my typed name serves as my digital signature."),
                                 error_messages={"required": _("Tick the box to agree that your typed name is your signature.")})

    def __init__(self, *args, rendered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rendered = rendered
        self.fields["shown_sha256"].initial = rendered.sha256 if rendered else ""

    def clean_shown_sha256(self):
        value = self.cleaned_data["shown_sha256"]
        if self.rendered is not None and value != self.rendered.sha256:
            raise forms.ValidationError(_("The document changed since this page was opened. Read it again below, then sign."), code="document_changed")
        return value


class BaaForm(SignatureForm):
    """Step 6: the Business Associate Agreement; anyone may sign it."""

    covered_entity = forms.CharField(label=_("Covered Entity"), max_length=200, help_text=_("Your organization's name."))
    signer_name = forms.CharField(label=_("Signature (type your full name)"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    signer_title = forms.CharField(label=_("Title"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))

    field_order = ["covered_entity", "signer_name", "signer_title", "consent", "shown_sha256"]


class WaiverForm(SignatureForm):
    """Step 7: the data-release waiver, initialled clause by clause and signed by the account holder."""

    first_name = forms.CharField(label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = forms.CharField(label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, holder_first="", holder_last="", **kwargs):
        super().__init__(*args, **kwargs)
        self.holder_first, self.holder_last = holder_first, holder_last
        initial_fields = {}
        for clause_id, text in (self.rendered.clauses if self.rendered else ()):
            initial_fields[f"initials_{clause_id}"] = forms.CharField(
                label=_("Initials for clause %(n)s") % {"n": clause_id}, max_length=10, help_text=text,
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "usa-input usa-input--2xs", "spellcheck": "false"}),
                error_messages={"required": _("Type your initials next to this clause.")},
            )
        self.fields = {**initial_fields, **{k: v for k, v in self.fields.items() if k not in initial_fields}}
        self.order_fields([*initial_fields, "first_name", "last_name", "consent", "shown_sha256"])

    @property
    def initials_fields(self):
        """Return the bound initials fields in the document's order."""
        return [self[f"initials_{clause_id}"] for clause_id, _text in self.rendered.clauses]

    def clean(self):
        cleaned = super().clean()
        accepted = identifiers.initials_accepted(self.holder_first, self.holder_last)
        expected = sorted(accepted, key=len)[0].upper() if accepted else ""
        for name in [n for n in self.fields if n.startswith("initials_")]:
            value = cleaned.get(name)
            if value and identifiers.initials_fold(value) not in accepted:
                self.add_error(name, forms.ValidationError(
                    _("These initials don't match the account holder's (%(expected)s)."), code="initials_mismatch", params={"expected": expected}))
        for name, holder in (("first_name", self.holder_first), ("last_name", self.holder_last)):
            value = cleaned.get(name)
            if value and identifiers.name_fold(value) != identifiers.name_fold(holder):
                self.add_error(name, forms.ValidationError(
                    _("Type the account holder's %(which)s exactly as shown above: %(holder)s."), code="name_mismatch",
                    params={"which": label_in_sentence(self.fields[name].label), "holder": holder}))
        return cleaned
