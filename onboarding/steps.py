"""The one list of set-up steps. Forms, URLs, templates and the progress indicator are all built from it."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.forms import (
    BaaForm,
    ExemptionsForm,
    PiSurveyForm,
    PracticeProfileForm,
    SmallPracticeForm,
    TinForm,
    WaiverForm,
)


@dataclass(frozen=True)
class Step:
    """A set-up step: `name` is its URL fragment, form prefix and template name (onboarding/steps/<name>.html)."""

    name: str
    form: type[forms.BaseForm]
    title: str
    button: str  # the words of the user guide, which users follow click by click


STEPS = (
    Step("profile", PracticeProfileForm, _("Practice profile"), _("Save and Continue")),
    Step("small_practice", SmallPracticeForm, _("Small practice"), _("Continue")),
    Step("pi_survey", PiSurveyForm, _("PI exemption survey"), _("Continue")),
    Step("exemptions", ExemptionsForm, _("Exemptions"), _("Continue")),
    Step("tin", TinForm, _("TIN / EIN"), _("Continue")),
    Step("baa", BaaForm, _("Business Associate Agreement"), _("Save and Continue")),
    Step("waiver", WaiverForm, _("Data-release waiver"), _("Save and Continue")),
)
STEP_NAMES = tuple(step.name for step in STEPS)
STEPS_BY_NAME = {step.name: step for step in STEPS}
LAST_STEP = STEPS[-1].name
# Previous never signs anything and never keeps a TIN in the session: these fields are dropped from drafts.
NOT_IN_DRAFTS = {"tin", "tin_confirm", "consent", "shown_sha256"}
SIGNATURE_STEPS = {"baa", "waiver"}
