"""Nothing typed and submitted is lost: closing the browser after step 4 and signing in again resumes at step 5,
with steps 1–4 as they were answered."""

import pytest
from playwright.sync_api import expect

from tests.browser import portal

pytestmark = pytest.mark.browser


def test_closing_the_browser_after_step_4_resumes_at_step_5_with_earlier_answers_kept(new_user_context, administrator):
    first_visit = new_user_context()
    page = first_visit.new_page()
    portal.log_in(page)
    portal.open_setup(page)
    portal.complete_setup(page, upto=4)
    portal.expect_step(page, 5, "TIN / EIN")
    first_visit.close()

    page = new_user_context().new_page()  # a new browser: no cookies, no session, no cache
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    portal.log_in(page)
    page.get_by_role("link", name="2021", exact=True).click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Set-up in progress: 4 of 7 steps done. Next: TIN / EIN.")).to_be_visible()
    page.get_by_role("link", name="Complete Profile").click()
    portal.expect_step(page, 5, "TIN / EIN")

    progress = page.get_by_role("list", name="Set-up progress")
    progress.get_by_role("link", name="Practice profile").click()
    portal.expect_step(page, 1, "Practice profile")
    expect(portal.field(page, "Job title (optional)")).to_have_value("Clinic director")
    expect(portal.field(page, "City")).to_have_value("Phoenix")
    expect(portal.field(page, "State or territory")).to_have_value("AZ")
    expect(portal.field(page, "EHR/EMR vendor")).to_have_value("webpt")
    expect(portal.group(page, "Does your group use an EHR/EMR").get_by_label("Yes", exact=True)).to_be_checked()
    expect(portal.group(page, "May de-identified data be shared").get_by_label("Yes", exact=True)).to_be_checked()

    progress.get_by_role("link", name="Small practice").click()
    expect(portal.group(page, "15 or fewer providers").get_by_label("Yes", exact=True)).to_be_checked()
    progress.get_by_role("link", name="PI exemption survey").click()
    for question, answer in zip(portal.PI_QUESTIONS, ("No", "No", "Yes", "No")):
        expect(portal.group(page, question).get_by_label(answer, exact=True)).to_be_checked()
    expect(portal.group(page, "Reweight PI to zero?").get_by_label("Yes", exact=True)).to_be_checked()
    progress.get_by_role("link", name="Exemptions").click()
    expect(portal.checkbox(page, "Only using WebPT")).to_be_checked()
    expect(portal.checkbox(page, "This account is exempt from PI")).to_be_checked()
    expect(portal.checkbox(page, "This account is exempt from Cost")).to_be_checked()
