"""The browser tests' guards work: requests to other sites are aborted and reported, and so are script errors."""

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


def test_a_request_to_another_site_is_blocked_and_reported(page):
    # A navigation, because the portal's Content-Security-Policy already stops its pages from fetching elsewhere.
    with pytest.raises(PlaywrightError, match="ERR_FAILED"):
        page.goto("https://cdn.example.org/uswds.min.css")
    assert page.context.outside_requests == ["https://cdn.example.org/uswds.min.css"]
    page.context.outside_requests.clear()  # reported: the fixture would otherwise fail the test on it


def test_a_script_error_on_a_page_is_reported(page):
    page.goto("/accounts/login/")
    page.evaluate("setTimeout(() => { throw new Error('broken widget'); })")
    page.wait_for_timeout(100)
    assert [problem.rsplit(": ", 1)[1] for problem in page.context.page_problems] == ["broken widget"]
    page.context.page_problems.clear()
