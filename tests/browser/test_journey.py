"""The newcomer's whole journey in Chromium: invitation → sign-up → emailed link → set-up → confirmation → data load."""

import pytest
from playwright.sync_api import expect

from accounts.services import designation_set
from tests.browser import portal
from tests.browser.looks import Screenshots

pytestmark = pytest.mark.browser


def test_invitee_signs_up_completes_setup_and_sees_the_data_load_finish(page, practice):
    screenshots = Screenshots("desktop")
    designation_set(practice=practice, email=portal.EMAIL)  # what staff's "designate" action does
    page.goto(portal.emailed_link(portal.EMAIL, "account has been created"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")

    portal.sign_up(page, screenshots)
    portal.confirm_email(page, screenshots)
    portal.open_setup(page, screenshots)
    portal.complete_setup(page, screenshots)
    portal.expect_confirmation(page)
    screenshots(page, "confirmation")
