"""On a 390×844 phone every portal page, error states included, fits the screen: no sideways scrolling."""

import pytest

from accounts.services import designation_set
from tests.browser import portal
from tests.browser.conftest import PHONE
from tests.browser.looks import Screenshots, page_width, wider_than_viewport

pytestmark = pytest.mark.browser


def test_every_page_fits_a_phone_without_horizontal_scrolling(new_user_context, practice):
    page = new_user_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    designation_set(practice=practice, email=portal.EMAIL)
    screenshots = Screenshots("phone")
    too_wide = {}

    def visit(page, name):
        screenshots(page, name)
        if page_width(page) > PHONE["width"]:
            too_wide[name] = (page_width(page), wider_than_viewport(page))

    portal.walk_every_page(page, visit)
    assert len(screenshots.taken) >= 20
    assert too_wide == {}
