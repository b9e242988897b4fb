"""With JavaScript switched off the whole set-up still completes: sign-up, the emailed link, all seven steps (the
survey's Save and follow-up included), the submission and its confirmation are plain HTML forms and links."""

import pytest
from playwright.sync_api import expect

from accounts.services import designation_set
from practices.models import Enrollment
from tests.browser import portal

pytestmark = pytest.mark.browser


def test_the_whole_setup_completes_without_javascript(new_user_context, practice):
    page = new_user_context(java_script_enabled=False).new_page()
    designation_set(practice=practice, email=portal.EMAIL)
    page.goto("/accounts/signup/")
    assert page.evaluate("window.uswdsPresent") is None  # USWDS's script, which sets it, did not run

    portal.sign_up(page)
    portal.confirm_email(page)
    portal.open_setup(page)
    portal.complete_setup(page)
    portal.expect_confirmation(page)
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_text("Set-up submitted on")).to_be_visible()
    assert Enrollment.objects.get(practice=practice).submitted_at is not None


def test_without_javascript_the_dashboard_does_not_reload_itself_while_data_loads(new_user_context, sign_in, steps_done,
                                                                                   practice):
    steps_done("waiver")
    page = sign_in(new_user_context(java_script_enabled=False)).new_page()
    page.goto(portal.dashboard_url(practice))
    expect(page.get_by_role("region", name="Quality data from WebPT")).to_contain_text("queued")
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # the reading position would reset every 5 s
