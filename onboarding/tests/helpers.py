"""Posting wizard steps the way a browser does: prefixed field names plus formtools' management form."""

from django.urls import reverse

from onboarding.documents import document_render
from onboarding.tests.answers import EXEMPTIONS, PROFILE, SMALL, SURVEY  # noqa: F401  (re-exported for the tests)

PASSWORD = "correct horse battery staple"

TIN = {"tin_type": "ein", "tin": "46-1234567", "tin_confirm": "461234567"}


def step_url(enrollment, step):
    return reverse("onboarding:step", args=[enrollment.year.year, enrollment.practice_id, step])


def wizard_post(client, enrollment, step, data, *, url_step=None, extra=None):
    """POST one step with its prefix and management form, as the page's form would."""
    payload = {f"{step}-{k}": v for k, v in data.items()}
    payload[f"setup_{enrollment.pk}-current_step"] = step
    payload.update(extra or {})
    return client.post(step_url(enrollment, url_step or step), payload)


def baa_data(practice_name="Sunrise Physical Therapy"):
    rendered = document_render("baa", covered_entity=practice_name)
    return {"covered_entity": practice_name, "signer_name": "Ada Lovelace", "signer_title": "Owner", "consent": "on", "shown_sha256": rendered.sha256}


def waiver_data(practice_name="Sunrise Physical Therapy", initials="AL", first="Ada", last="Lovelace"):
    rendered = document_render("waiver", practice_name=practice_name, year=2021)
    data = {f"initials_{clause_id}": initials for clause_id, _ in rendered.clauses}
    return data | {"first_name": first, "last_name": last, "consent": "on", "shown_sha256": rendered.sha256}


def complete_steps(client, enrollment, upto):
    """Complete every step up to and including `upto` through the wizard, asserting each is accepted."""
    posts = [
        ("profile", PROFILE, None), ("small_practice", SMALL, None),
        ("pi_survey", SURVEY, {"action": "save"}),
        ("pi_survey", SURVEY | {"reweight_to_zero": "True"}, {"action": "continue"}),
        ("exemptions", EXEMPTIONS, None), ("tin", TIN, None), ("baa", baa_data(), None), ("waiver", waiver_data(), None),
    ]
    for step, data, extra in posts:
        response = wizard_post(client, enrollment, step, data, extra=extra)
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)
        if step == upto and (step != "pi_survey" or extra["action"] == "continue"):
            return response
    return response
