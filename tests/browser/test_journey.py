"""The newcomer's whole journey in Chromium: invitation → sign-up → emailed link → set-up → confirmation → data load."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.services import designation_set
from tests.browser import portal
from tests.browser.looks import Screenshots

pytestmark = pytest.mark.browser


def test_invitee_signs_up_completes_setup_and_sees_the_data_load_finish(page, practice, emr_export, qpp_2021):
    screenshots = Screenshots("journey")
    designation_set(practice=practice, email=portal.EMAIL)  # what staff's "designate" action does
    page.goto(portal.emailed_link(portal.EMAIL, "account has been created"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")

    portal.sign_up(page, screenshots)
    portal.confirm_email(page, screenshots)
    portal.open_setup(page, screenshots)
    portal.complete_setup(page, screenshots)
    portal.expect_confirmation(page)
    screenshots(page, "confirmation")

    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("region", name="Quality data from WebPT").get_by_role("status")).to_contain_text("queued")
    screenshots(page, "dashboard-load-queued")
    portal.run_the_worker()
    page.reload()
    portal.expect_data_loaded(page)
    screenshots(page, "dashboard-data-loaded")
    assert {"Your MIPS set-up for 2021 is complete", "Your 2021 MIPS quality data has finished loading"} <= {
        m.subject for m in mail.outbox if m.to == [portal.EMAIL]}
