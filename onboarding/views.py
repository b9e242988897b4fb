"""The set-up wizard (formtools' NamedUrlSessionWizardView with PostgreSQL, not the session, as the store).

formtools builds the forms, the per-step URLs and the management form. What it would do with the session is
replaced: every valid step is written through services.onboarding_step_save at once, forms are filled from those
rows, a GET never resets anything, and a step is reachable only when every earlier step is complete.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from onboarding import crypto, identifiers, selectors, services
from onboarding.choices import Document
from onboarding.steps import LAST_STEP, NOT_IN_DRAFTS, SIGNATURE_STEPS, STEP_NAMES, STEPS, STEPS_BY_NAME

security_log = logging.getLogger("onboarding.security")
ALREADY_SUBMITTED = "This set-up was already submitted; nothing was changed. Contact support if something needs correcting."
VERSIONED_RELATIONS = {"profile": "profile", "small_practice": "small_practice", "pi_survey": "pi_survey",
                       "exemptions": "exemptions", "tin": "tax_identifier"}
MODEL_STEPS = {"profile": "profile", "small_practice": "small_practice", "exemptions": "exemptions"}


def client_evidence(request) -> services.Evidence:
    """Return the signer's IP address and user agent as this server saw them."""
    return services.Evidence(ip_address=request.META.get("REMOTE_ADDR") or None, user_agent=request.META.get("HTTP_USER_AGENT", ""))


@method_decorator([sensitive_post_parameters(), never_cache, login_required], name="dispatch")
class SetupWizard(NamedUrlSessionWizardView):
    form_list = [(step.name, step.form) for step in STEPS]

    def dispatch(self, request, *args, **kwargs):
        self.enrollment = selectors.enrollment_for_setup(request.user, year=kwargs["year"], practice_id=kwargs["practice_id"])
        if self.enrollment.is_submitted:
            if request.method == "POST":
                messages.info(request, ALREADY_SUBMITTED)
            return redirect("onboarding:summary", year=kwargs["year"], practice_id=kwargs["practice_id"])
        self.progress = services.onboarding_progress(self.enrollment)
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return f"setup_{self.enrollment.pk}"

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"year": self.kwargs["year"], "practice_id": self.kwargs["practice_id"], "step": step})

    def get_template_names(self):
        return [f"onboarding/steps/{self.steps.current}.html"]

    def resume(self):
        """Redirect to the first incomplete step (the resume point)."""
        return redirect(self.get_step_url(self.progress.first_incomplete or LAST_STEP))

    # Requests -----------------------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in STEP_NAMES or not self.progress.reachable(step):
            return self.resume()
        self.storage.current_step = step
        return self.render(self.get_form(step=step))

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        management = ManagementForm(request.POST, prefix=self.prefix)
        if step not in STEP_NAMES or not management.is_valid() or management.cleaned_data["current_step"] != step:
            security_log.warning("set-up POST with a missing or tampered management form")
            raise SuspiciousOperation("The wizard's management form is missing or was tampered with.")
        if not self.progress.reachable(step):
            return self.resume()
        self.storage.current_step = step
        if request.POST.get("step_version", self.step_version(step)) != self.step_version(step) and request.POST.get("action") != "take":
            # Another tab saved this step after this page was opened: show what was typed here, warn, and let
            # the user save again on purpose rather than silently overwrite the other tab's answers.
            return self.render(self.get_form(step=step, data=request.POST), stale=True, survey_mode=True)
        goto = request.POST.get("wizard_goto_step")
        if goto:
            return self.go_to(step, goto)
        form = self.get_form(step=step, data=request.POST)
        if step == "pi_survey":
            return self.pi_survey_post(form)
        if not form.is_valid():
            return self.render(form)
        return self.save_and_continue(step, form)

    def step_version(self, step) -> str:
        """Return a token of the step's saved state: a page posts it back, so a save made meanwhile in another tab shows."""
        if step in SIGNATURE_STEPS:
            signature = self.enrollment.active_signatures.get(step)
            return str(signature.pk) if signature else ""
        row = selectors.step_record(self.enrollment, VERSIONED_RELATIONS[step])
        return row.saved_at.isoformat() if row is not None and row.pk else ""

    def go_to(self, step, goto):
        """Previous (or a progress-indicator link): keep what was typed, then move — never past the first incomplete step."""
        if goto not in STEP_NAMES:
            raise SuspiciousOperation("Unknown step requested.")
        form = self.get_form(step=step, data=self.request.POST)
        if step not in SIGNATURE_STEPS and step != "pi_survey" and form.is_valid():
            self.save(step, form)
        else:
            self.storage.set_step_data(step, {k: v for k, v in self.request.POST.lists() if k.removeprefix(f"{step}-") not in NOT_IN_DRAFTS})
        return self.resume() if not self.progress.reachable(goto) else redirect(self.get_step_url(goto))

    def save(self, step, form, data=None) -> bool:
        """Write a valid step (the form's cleaned data unless given); errors go on the form. Return whether it was saved."""
        try:
            services.onboarding_step_save(enrollment=self.enrollment, step=step, data=form.cleaned_data if data is None else data,
                                          user=self.request.user, evidence=client_evidence(self.request))
        except services.TinTaken:
            form.add_error("tin", "This TIN is already registered to another practice for this year. If that seems wrong, contact support.")
            return False
        except services.SetupIncomplete as error:
            form.add_error(None, error.problems[0][1])
            return False
        except services.StepRejected:
            form.add_error(None, "We could not save this step because some answers disagree. Check them and try again.")
            return False
        self.storage.set_step_data(step, {})
        self.progress = services.onboarding_progress(self.enrollment)  # the service kept the loaded rows current
        return True

    def save_and_continue(self, step, form):
        if step == LAST_STEP:
            return self.submit(form)
        if not self.save(step, form):
            return self.render(form)
        # The next step's GET sends the user further back if this save voided an earlier signature.
        return redirect(self.get_step_url(STEP_NAMES[STEP_NAMES.index(step) + 1]))

    def pi_survey_post(self, form):
        """The survey's buttons: take it (show the questions), skip it, save answers, or continue."""
        action = self.request.POST.get("action")
        if action == "take":
            return self.render(self.get_form(step="pi_survey"), survey_mode=True)
        if action == "skip":
            form, data = self.get_form(step="pi_survey"), {"took_survey": False}
        elif not form.is_valid():
            return self.render(form, survey_mode=True)
        else:
            data = {"took_survey": True, **form.cleaned_data}
        if not self.save("pi_survey", form, data):
            return self.render(form, survey_mode=action != "skip")
        return redirect(self.get_step_url("pi_survey" if action == "save" else "exemptions"))

    def submit(self, form):
        try:
            services.onboarding_submit(enrollment=self.enrollment, user=self.request.user, data=form.cleaned_data, evidence=client_evidence(self.request))
        except services.AlreadySubmitted:
            messages.info(self.request, ALREADY_SUBMITTED)
        except services.SetupIncomplete as error:
            step, message = error.problems[0]
            messages.error(self.request, f"{STEPS_BY_NAME[step].title}: {message}")
            return self.resume()
        return redirect("onboarding:summary", **self._scope())

    # Form construction -------------------------------------------------------------------------
    def _scope(self):
        return {"year": self.kwargs["year"], "practice_id": self.kwargs["practice_id"]}

    def get_form_kwargs(self, step=None):
        if step == "tin":
            return {"enrollment": self.enrollment}
        if step == "pi_survey":
            return {"action": self.request.POST.get("action", "continue")}
        if step in SIGNATURE_STEPS:
            kwargs = {"rendered": services.document_for(self.enrollment, step)}
            if step == "waiver":
                profile = selectors.step_record(self.enrollment, "profile")
                kwargs |= {"holder_first": profile.first_name, "holder_last": profile.last_name}
            return kwargs
        return {}

    def get_form_instance(self, step):
        relation = MODEL_STEPS.get(step)
        if relation is None:
            return None
        model = self.form_list[step]._meta.model
        # enrollment_id, not enrollment=: assigning the relation would cache this unsaved row on the enrollment.
        return selectors.step_record(self.enrollment, relation) or model(enrollment_id=self.enrollment.pk)

    def get_form_initial(self, step):
        initial = self.saved_initial(step)
        draft = self.storage.get_step_data(step)
        if draft:
            bound = self.form_list[step](data=draft, prefix=self.get_form_prefix(step), **self.get_form_kwargs(step))
            initial |= {name: bound[name].value() for name in bound.fields if f"{step}-{name}" in draft}
        return initial

    def saved_initial(self, step):
        """Return what the form shows that is not a column of its own row: read-only, derived and pre-filled values."""
        enrollment, user = self.enrollment, self.request.user
        profile = selectors.step_record(enrollment, "profile")
        if step == "profile":
            initial = {"admin_email": enrollment.practice.top_level_admin_email}
            if profile is not None:
                initial["phone"] = identifiers.phone_display(profile.phone)  # stored as E.164, shown as typed in the US
            if profile is None:
                initial |= {"first_name": user.first_name, "last_name": user.last_name, "practice_name": enrollment.practice.name}
            return initial
        if step == "exemptions":
            survey = selectors.step_record(enrollment, "pi_survey")
            return {"pi_exempt": bool(survey and survey.pi_exempt)}
        if step == "pi_survey":
            survey = selectors.step_record(enrollment, "pi_survey")
            fields = ("uses_cehrt", "hospital_based", "pi_not_applicable_type", "reports_through_other_entity", "reweight_to_zero")
            return {name: getattr(survey, name) for name in fields} if survey and survey.took_survey else {}
        if step == "tin":
            record = selectors.step_record(enrollment, "tax_identifier")
            if record is None:
                return {}
            tin = crypto.tin_decrypt(record.tin_encrypted)
            return {"tin_type": record.tin_type, "tin": tin, "tin_confirm": tin}
        if step == "baa":
            return {"covered_entity": profile.practice_name, "signer_name": user.get_full_name()}
        return {}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context |= {
            "enrollment": self.enrollment,
            "step": STEPS_BY_NAME[step],
            "step_number": STEP_NAMES.index(step) + 1,
            "progress_steps": [
                {"step": s, "number": i + 1, "complete": self.progress.complete[s.name], "current": s.name == step,
                 "url": self.get_step_url(s.name) if self.progress.reachable(s.name) and s.name != step else ""}
                for i, s in enumerate(STEPS)
            ],
            "previous_step": STEP_NAMES[STEP_NAMES.index(step) - 1] if step != STEP_NAMES[0] else None,
            "step_version": self.step_version(step),
            "stale": kwargs.get("stale", False),
        }
        if step == "pi_survey":
            survey = selectors.step_record(self.enrollment, "pi_survey")
            context["survey"] = survey
            context["survey_mode"] = kwargs.get("survey_mode") or bool(survey and survey.took_survey) or bool(self.storage.get_step_data(step))
        if step in SIGNATURE_STEPS:
            context["document"] = form.rendered
            context["holder"] = f"{getattr(form, 'holder_first', '')} {getattr(form, 'holder_last', '')}".strip()
            context["voided"] = self.enrollment.signatures.filter(document=step, voided_at__isnull=False).order_by("-voided_at").first() \
                if step not in self.enrollment.active_signatures else None
        return context

    def render(self, form=None, **kwargs):
        form = form or self.get_form()
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context)


@never_cache
@login_required
def setup_summary(request, year: int, practice_id: int):
    """The confirmation page and printable summary of a submitted set-up (TIN masked)."""
    enrollment = selectors.enrollment_for_setup(request.user, year=year, practice_id=practice_id)
    if not enrollment.is_submitted:
        return redirect("onboarding:start", year=year, practice_id=practice_id)
    return render(request, "onboarding/summary.html", {
        "enrollment": enrollment,
        "profile": enrollment.profile, "small": enrollment.small_practice, "survey": enrollment.pi_survey,
        "exemptions": enrollment.exemptions, "tin": enrollment.tax_identifier,
        "baa": enrollment.active_signatures.get(Document.BAA), "waiver": enrollment.active_signatures.get(Document.WAIVER),
    })
