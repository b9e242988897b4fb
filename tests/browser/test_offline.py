"""The browser tests never reach past the live server: other sites' requests are aborted and reported."""

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


def test_a_request_to_another_site_is_blocked_and_reported(page):
    # A navigation, because the portal's Content-Security-Policy already stops its pages from fetching elsewhere.
    with pytest.raises(PlaywrightError, match="ERR_FAILED"):
        page.goto("https://cdn.example.org/uswds.min.css")
    assert page.context.outside_requests == ["https://cdn.example.org/uswds.min.css"]
    page.context.outside_requests.clear()  # reported: the fixture would otherwise fail the test on it
