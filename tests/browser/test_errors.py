"""Errors as a user meets them: the message sits in the field's form group and is read with the field, the summary at
the top announces it with a link to the field, and focus moves to the summary so a screen reader reads it at once."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import portal

pytestmark = pytest.mark.browser


def expect_error_at(page: Page, control, message: str) -> None:
    """Assert how one field's error reaches the user, by sight, by screen reader and by keyboard."""
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # document.activeElement is the summary
    expect(summary).to_contain_text("There is a problem on this page")
    link = summary.get_by_role("link", name=re.compile(re.escape(message)))
    expect(link).to_have_attribute("href", f"#{control.get_attribute('id')}")
    form_group = control.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' usa-form-group ')][1]")
    expect(form_group).to_contain_text(message)
    expect(control).to_have_accessible_description(re.compile(re.escape(message)))
    expect(control).to_have_attribute("aria-invalid", "true")
    link.click()
    expect(control).to_be_focused()  # the summary's link takes the user to the field, ready to type


@pytest.fixture
def at_tin_step(signed_in, steps_done, practice):
    steps_done("exemptions")
    signed_in.goto(portal.dashboard_url(practice))
    signed_in.get_by_role("link", name="Complete Profile").click()
    return signed_in


def test_tin_mismatch_is_shown_at_the_second_box_and_announced(at_tin_step):
    page = at_tin_step
    portal.enter_tin(page, again="46-1234568")
    expect_error_at(page, portal.field(page, "Re-enter your TIN / EIN"), "The TINs don't match. Type the same 9 digits in both boxes.")
    expect(portal.field(page, "TIN / EIN")).to_have_value("46-1234567")  # the other value is kept


def test_invalid_ein_prefix_is_shown_at_the_tin_and_announced(at_tin_step):
    page = at_tin_step
    portal.enter_tin(page, tin="07-1234567", again="07-1234567")
    expect_error_at(page, portal.field(page, "TIN / EIN"), "07 is not a prefix the IRS uses for EINs. Check the first two digits.")


def test_waiver_initials_that_do_not_match_are_shown_at_that_clause_and_announced(at_tin_step):
    page = at_tin_step
    portal.enter_tin(page)
    portal.sign_baa(page)
    portal.sign_waiver(page, wrong_clause=3)
    expect_error_at(page, portal.field(page, "Initials for clause 3"), "These initials don't match the account holder's (AL).")
    expect(portal.field(page, "First name")).to_have_value("Ada")
    expect(portal.field(page, "Initials for clause 4")).to_have_value("AL")
    expect(portal.checkbox(page, "I agree that my typed name")).to_be_checked()


def test_an_unanswered_yes_no_question_is_shown_in_its_group_and_the_summary_link_focuses_its_first_answer(
        signed_in, practice, administrator):
    page = signed_in
    page.goto(portal.dashboard_url(practice))
    page.get_by_role("link", name="Complete Profile").click()
    portal.press(page, "Save and Continue")
    question = portal.group(page, "Does your group use an EHR/EMR system")
    expect(question).to_contain_text("Answer Yes or No.")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Does your group use an EHR/EMR system").click()
    expect(question.get_by_label("Yes", exact=True)).to_be_focused()
    expect(question.get_by_label("Yes", exact=True)).to_have_accessible_description(re.compile("Answer Yes or No."))
