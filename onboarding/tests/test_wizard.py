"""The wizard as users and attackers meet it: order, resume, Previous, two tabs, read-only fields, voiding."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier
from onboarding.tests.helpers import (
    EXEMPTIONS, PROFILE, SMALL, SURVEY, TIN, baa_data, complete_steps, step_url, waiver_data, wizard_post,
)

pytestmark = pytest.mark.django_db


def test_complete_profile_button_leads_to_the_first_step(admin_client, enrollment):
    dashboard = admin_client.get(reverse("practices:dashboard", args=[2021, enrollment.practice_id])).content.decode()
    start = reverse("onboarding:start", args=[2021, enrollment.practice_id])
    assert "Complete Profile" in dashboard and start in dashboard
    assert admin_client.get(start)["Location"] == step_url(enrollment, "profile")


def test_every_step_page_names_every_step_and_numbers_the_questions(admin_client, enrollment):
    page = admin_client.get(step_url(enrollment, "profile")).content.decode()
    for title in ["Practice profile", "Small practice", "PI exemption survey", "Exemptions", "TIN / EIN",
                  "Business Associate Agreement", "Data-release waiver"]:
        assert title in page
    assert '<span class="portal-question-number">17.</span>' in page
    assert "Save and Continue" in page


def test_profile_is_prefilled_from_practice_and_sign_up(admin_client, enrollment):
    form = admin_client.get(step_url(enrollment, "profile")).context["form"]
    assert form["admin_email"].value() == "mips-admin@webpt.example"
    assert form["first_name"].value() == "Ada" and form["practice_name"].value() == "Sunrise Physical Therapy"


# Order and integrity ------------------------------------------------------------------------------

def test_I12_a_later_step_url_redirects_to_the_first_incomplete_step(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    response = admin_client.get(step_url(enrollment, "tin"))
    assert response["Location"] == step_url(enrollment, "pi_survey")


def test_I12_an_unknown_step_name_redirects_to_the_first_incomplete_step(admin_client, enrollment):
    assert admin_client.get(step_url(enrollment, "nonsense"))["Location"] == step_url(enrollment, "profile")
    assert admin_client.get(step_url(enrollment, "done"))["Location"] == step_url(enrollment, "profile")


def test_I12_posting_a_later_step_writes_nothing_and_redirects(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "profile")
    response = wizard_post(admin_client, enrollment, "tin", TIN)
    assert response["Location"] == step_url(enrollment, "small_practice")
    assert not TaxIdentifier.objects.exists()


def test_I11_tampered_current_step_naming_a_later_step_is_refused(admin_client, enrollment):
    payload = {f"tin-{k}": v for k, v in TIN.items()} | {f"setup_{enrollment.pk}-current_step": "tin"}
    response = admin_client.post(step_url(enrollment, "profile"), payload)
    assert response.status_code == 400
    assert not TaxIdentifier.objects.exists() and not PracticeProfile.objects.exists()


@pytest.mark.parametrize("current_step", ["nonsense", "", "0"])
def test_I11_unknown_or_missing_current_step_answers_400_not_500(admin_client, enrollment, current_step):
    payload = {f"profile-{k}": v for k, v in PROFILE.items()} | {f"setup_{enrollment.pk}-current_step": current_step}
    assert admin_client.post(step_url(enrollment, "profile"), payload).status_code == 400
    assert not PracticeProfile.objects.exists()


def test_I11_missing_management_form_answers_400(admin_client, enrollment):
    response = admin_client.post(step_url(enrollment, "profile"), {f"profile-{k}": v for k, v in PROFILE.items()})
    assert response.status_code == 400


def test_I12_goto_a_later_step_is_refused_without_writing_it(admin_client, enrollment):
    response = wizard_post(admin_client, enrollment, "profile", PROFILE, extra={"wizard_goto_step": "waiver"})
    assert response["Location"] == step_url(enrollment, "small_practice")
    assert not Signature.objects.exists() and not SmallPractice.objects.exists()


def test_I11_goto_an_unknown_step_answers_400(admin_client, enrollment):
    assert wizard_post(admin_client, enrollment, "profile", PROFILE, extra={"wizard_goto_step": "../admin"}).status_code == 400


def test_Z1_another_users_practice_is_a_404(client, enrollment, django_user_model):
    stranger = django_user_model.objects.create_user("eve@elsewhere.example", "another long passphrase")
    client.force_login(stranger)
    assert client.get(step_url(enrollment, "profile")).status_code == 404
    assert wizard_post(client, enrollment, "profile", PROFILE).status_code == 404
    assert not PracticeProfile.objects.exists()


def test_Z3_wizard_needs_sign_in(client, enrollment):
    assert client.get(step_url(enrollment, "profile"))["Location"].startswith(reverse("accounts:login"))


# Read-only and derived fields -----------------------------------------------------------------------

def test_I10_tampered_administrator_email_is_ignored(admin_client, enrollment):
    wizard_post(admin_client, enrollment, "profile", PROFILE | {"admin_email": "attacker@evil.example"})
    page = admin_client.get(step_url(enrollment, "profile")).content.decode()
    assert "attacker@evil.example" not in page and "mips-admin@webpt.example" in page


def test_I10_tampered_pi_exemption_is_ignored(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    wizard_post(admin_client, enrollment, "pi_survey", {}, extra={"action": "skip"})
    wizard_post(admin_client, enrollment, "exemptions", EXEMPTIONS | {"pi_exempt": "on"})
    assert Exemptions.objects.get().cost_exempt
    assert not PiSurvey.objects.get().pi_exempt
    form = admin_client.get(step_url(enrollment, "exemptions")).context["form"]
    assert form["pi_exempt"].value() is False and form.fields["pi_exempt"].disabled


def test_I10_mass_assignment_of_unknown_fields_is_ignored(admin_client, enrollment):
    wizard_post(admin_client, enrollment, "profile", PROFILE | {"enrollment": "999", "id": "5", "submitted_at": "2021-01-01"})
    profile = PracticeProfile.objects.get()
    assert profile.enrollment_id == enrollment.pk
    enrollment.refresh_from_db()
    assert enrollment.submitted_at is None


# The PI survey ------------------------------------------------------------------------------------------

def test_pi_survey_starts_with_the_choice_and_shows_the_questions_when_taken(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    first = admin_client.get(step_url(enrollment, "pi_survey")).content.decode()
    assert "Yes, Take the Survey" in first and "certified EHR technology" not in first
    taken = wizard_post(admin_client, enrollment, "pi_survey", {}, extra={"action": "take"})
    assert "certified EHR technology" in taken.content.decode()
    assert not PiSurvey.objects.exists()


def test_pi_followup_appears_after_save_only_when_answers_qualify(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    saved = wizard_post(admin_client, enrollment, "pi_survey", SURVEY, extra={"action": "save"})
    assert saved["Location"] == step_url(enrollment, "pi_survey")
    page = admin_client.get(saved["Location"]).content.decode()
    assert "Reweight PI to zero?" in page
    wizard_post(admin_client, enrollment, "pi_survey", SURVEY | {"pi_not_applicable_type": "False"}, extra={"action": "save"})
    page = admin_client.get(step_url(enrollment, "pi_survey")).content.decode()
    assert "Reweight PI to zero?" not in page and "do not qualify" in page


def test_I9_pi_step_cannot_continue_until_the_followup_is_answered(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    wizard_post(admin_client, enrollment, "pi_survey", SURVEY, extra={"action": "save"})
    response = wizard_post(admin_client, enrollment, "pi_survey", SURVEY, extra={"action": "continue"})
    assert response.status_code == 200 and "Answer this last question" in response.content.decode()
    assert admin_client.get(step_url(enrollment, "exemptions"))["Location"] == step_url(enrollment, "pi_survey")
    wizard_post(admin_client, enrollment, "pi_survey", SURVEY | {"reweight_to_zero": "True"}, extra={"action": "continue"})
    assert PiSurvey.objects.get().pi_exempt
    exemptions = admin_client.get(step_url(enrollment, "exemptions")).context["form"]
    assert exemptions["pi_exempt"].value() is True


def test_skipping_the_survey_leaves_pi_not_exempt_with_a_warning(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    response = wizard_post(admin_client, enrollment, "pi_survey", {}, extra={"action": "skip"})
    assert response["Location"] == step_url(enrollment, "exemptions")
    assert not PiSurvey.objects.get().pi_exempt
    assert "not</strong> exempt from PI" in admin_client.get(step_url(enrollment, "pi_survey")).content.decode()


# Resume, Previous, two tabs -------------------------------------------------------------------------------

def test_R3_resume_after_the_session_is_deleted_shows_every_answer(client, administrator, enrollment):
    client.force_login(administrator)
    complete_steps(client, enrollment, "tin")
    Session.objects.all().delete()
    client.force_login(administrator)
    start = client.get(reverse("onboarding:start", args=[2021, enrollment.practice_id]))
    assert start["Location"] == step_url(enrollment, "baa")
    profile = client.get(step_url(enrollment, "profile")).context["form"]
    assert profile["city"].value() == "Phoenix" and profile["group_npi"].value() == "1234567893"
    tin = client.get(step_url(enrollment, "tin")).context["form"]
    assert tin["tin"].value() == "461234567"


def test_previous_keeps_what_was_typed(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "exemptions")
    half_typed = {"tin_type": "ssn"}
    response = wizard_post(admin_client, enrollment, "tin", half_typed, extra={"wizard_goto_step": "exemptions"})
    assert response["Location"] == step_url(enrollment, "exemptions")
    back = admin_client.get(step_url(enrollment, "tin")).context["form"]
    assert back["tin_type"].value() == "ssn"


def test_previous_saves_a_valid_step(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "profile")
    wizard_post(admin_client, enrollment, "small_practice", {"is_small": "False", "clinician_count": "20"}, extra={"wizard_goto_step": "profile"})
    assert SmallPractice.objects.get().clinician_count == 20


def test_previous_never_keeps_the_tin_in_the_session(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "exemptions")
    wizard_post(admin_client, enrollment, "tin", {"tin": "46-1234567", "tin_confirm": "46-123"}, extra={"wizard_goto_step": "exemptions"})
    for session in Session.objects.all():
        assert "1234567" not in str(session.get_decoded())


def test_R2_a_get_in_a_second_tab_loses_nothing(admin_client, enrollment, client, administrator):
    complete_steps(admin_client, enrollment, "small_practice")
    second_tab = admin_client  # same browser, same session
    second_tab.get(step_url(enrollment, "profile"))
    response = wizard_post(admin_client, enrollment, "pi_survey", SURVEY, extra={"action": "save"})
    assert response.status_code == 302
    assert PracticeProfile.objects.exists() and SmallPractice.objects.exists() and PiSurvey.objects.exists()


def test_R2_two_tabs_on_different_steps_never_cross_data(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "exemptions")
    admin_client.get(step_url(enrollment, "tin"))                       # tab 1 opens the TIN step
    admin_client.get(step_url(enrollment, "small_practice"))            # tab 2 opens small practice
    wizard_post(admin_client, enrollment, "tin", TIN)                   # tab 1 submits its (URL's) step
    wizard_post(admin_client, enrollment, "small_practice", {"is_small": "False"})
    assert TaxIdentifier.objects.get().tin_last4 == "4567"
    assert SmallPractice.objects.get().is_small is False


def test_reload_after_a_post_is_safe(admin_client, enrollment):
    wizard_post(admin_client, enrollment, "profile", PROFILE)
    wizard_post(admin_client, enrollment, "profile", PROFILE)
    assert PracticeProfile.objects.count() == 1


def test_I9_errors_keep_the_other_values_and_appear_in_the_summary(admin_client, enrollment):
    response = wizard_post(admin_client, enrollment, "profile", PROFILE | {"zip_code": "12", "city": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page and 'href="#id_profile-zip_code"' in page
    assert 'value="100 Main St"' in page
    assert "Enter a ZIP code of 5 digits" in page and "Enter city." in page


# TIN across practices, signatures -----------------------------------------------------------------------

def test_a_tin_registered_to_another_practice_in_the_year_is_refused(admin_client, enrollment, django_user_model):
    from accounts.models import Designation
    from practices.models import Enrollment, Practice

    complete_steps(admin_client, enrollment, "tin")
    other = Enrollment.objects.create(practice=Practice.objects.create(name="Other", top_level_admin_email="a@b.example"), year=enrollment.year)
    grace = django_user_model.objects.create_user("grace@other.example", "another long passphrase", first_name="Grace", last_name="Hopper")
    Designation.objects.create(practice=other.practice, email=grace.email, user=grace, accepted_at=enrollment.created_at)
    admin_client.force_login(grace)
    complete_steps(admin_client, other, "exemptions")
    response = wizard_post(admin_client, other, "tin", TIN)
    assert response.status_code == 200 and "already registered to another practice" in response.content.decode()
    assert TaxIdentifier.objects.count() == 1


def test_D1_the_tin_is_masked_outside_the_form(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "baa")
    tin = TaxIdentifier.objects.get()
    assert "461234567" not in str(tin) and tin.masked == "**-***4567"
    assert "461234567" not in tin.tin_encrypted
    dashboard = admin_client.get(reverse("practices:dashboard", args=[2021, enrollment.practice_id])).content.decode()
    assert "461234567" not in dashboard and "46-1234567" not in dashboard


def test_R11_baa_signature_keeps_its_evidence(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "tin")
    wizard_post(admin_client, enrollment, "baa", baa_data(), extra={})
    signature = Signature.objects.get()
    assert signature.signer_name == "Ada Lovelace" and signature.signer_title == "Owner"
    assert signature.user.email == "ada@sunrise-pt.example" and signature.ip_address == "127.0.0.1"
    assert signature.version == "2021.1" and signature.text_intact
    assert "Sunrise Physical Therapy" in signature.text and "Signed by: Ada Lovelace" in signature.text


def test_changing_the_practice_name_voids_the_baa_and_asks_for_it_again(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "baa")
    wizard_post(admin_client, enrollment, "profile", PROFILE | {"practice_name": "Sunrise PT & Rehab"})
    baa = Signature.objects.get()
    assert baa.voided_at is not None and "practice name" in baa.void_reason
    assert admin_client.get(reverse("onboarding:start", args=[2021, enrollment.practice_id]))["Location"] == step_url(enrollment, "baa")
    page = admin_client.get(step_url(enrollment, "baa")).content.decode()
    assert "earlier signature was voided" in page and "Sunrise PT &amp; Rehab" in page


def test_an_unrelated_change_keeps_the_signature(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "baa")
    wizard_post(admin_client, enrollment, "profile", PROFILE | {"city": "Tempe"})
    assert Signature.objects.get().voided_at is None


def test_I9_waiver_shows_the_account_holder_and_refuses_wrong_initials(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "baa")
    page = admin_client.get(step_url(enrollment, "waiver")).content.decode()
    assert "Ada Lovelace" in page
    response = wizard_post(admin_client, enrollment, "waiver", waiver_data(initials="XY"))
    assert response.status_code == 200 and "don&#x27;t match the account holder" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.submitted_at is None


# Submission --------------------------------------------------------------------------------------------------

def test_I13_after_submission_the_setup_is_read_only(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "waiver")
    summary = reverse("onboarding:summary", args=[2021, enrollment.practice_id])
    assert admin_client.get(step_url(enrollment, "profile"))["Location"] == summary
    response = wizard_post(admin_client, enrollment, "profile", PROFILE | {"city": "Tempe"})
    assert response["Location"] == summary
    assert PracticeProfile.objects.get().city == "Phoenix"


def test_I13_a_replayed_final_post_gives_one_submission(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "waiver")
    replay = wizard_post(admin_client, enrollment, "waiver", waiver_data())
    assert replay["Location"] == reverse("onboarding:summary", args=[2021, enrollment.practice_id])
    assert Signature.objects.filter(document="waiver").count() == 1


def test_dashboard_shows_submitted_with_the_time(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "waiver")
    page = admin_client.get(reverse("practices:dashboard", args=[2021, enrollment.practice_id])).content.decode()
    assert "Set-up submitted on" in page and "Complete Profile" not in page


def test_confirmation_page_summarises_every_answer_with_both_signatures(admin_client, enrollment):
    response = complete_steps(admin_client, enrollment, "waiver")
    page = admin_client.get(response["Location"]).content.decode()
    for text in ["What happens next", "Phoenix", "Physical Therapy", "**-***4567", "Business Associate Agreement",
                 "Data-release waiver", "SHA-256", "127.0.0.1", "Go to the dashboard"]:
        assert text in page, text


def test_R2_a_stale_post_from_another_tab_is_detected_and_nothing_is_overwritten(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "small_practice")
    tab1_version = admin_client.get(step_url(enrollment, "profile")).context["step_version"]
    wizard_post(admin_client, enrollment, "profile", PROFILE | {"city": "Tempe"}, extra={"step_version": tab1_version})  # tab 2 saves
    stale = wizard_post(admin_client, enrollment, "profile", PROFILE | {"city": "Mesa"}, extra={"step_version": tab1_version})
    assert stale.status_code == 200
    page = stale.content.decode()
    assert "changed in another tab" in page and 'value="Mesa"' in page
    assert PracticeProfile.objects.get().city == "Tempe"
    again = wizard_post(admin_client, enrollment, "profile", PROFILE | {"city": "Mesa"}, extra={"step_version": stale.context["step_version"]})
    assert again.status_code == 302 and PracticeProfile.objects.get().city == "Mesa"


def test_the_phone_is_shown_as_people_write_it_not_as_stored(admin_client, enrollment):
    response = complete_steps(admin_client, enrollment, "waiver")
    assert admin_client.get(step_url(enrollment, "profile"))  # read-only now; the summary shows the answers
    summary = admin_client.get(response["Location"]).content.decode()
    assert "(602) 555-1234" in summary and "+16025551234" not in summary


def test_a_revisited_profile_shows_the_phone_as_people_write_it(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "profile")
    form = admin_client.get(step_url(enrollment, "profile")).context["form"]
    assert form["phone"].value() == "(602) 555-1234"
