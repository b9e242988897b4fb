"""On a 390×844 phone every portal page, error states included, fits the screen: no sideways scrolling."""

import pytest

from accounts.services import designation_set
from tests.browser import portal
from tests.browser.conftest import PHONE
from tests.browser.looks import Screenshots, against_the_edges, page_width, wider_than_viewport

pytestmark = pytest.mark.browser


def test_every_page_fits_a_phone_without_horizontal_scrolling(new_user_context, practice, emr_export, qpp_2021):
    page = new_user_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    designation_set(practice=practice, email=portal.EMAIL)
    screenshots = Screenshots("phone")
    too_wide, cramped = {}, {}

    def visit(page, name):
        screenshots(page, name)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # as a reader opens them
        if page_width(page) > PHONE["width"]:
            too_wide[name] = (page_width(page), wider_than_viewport(page))
        if against_the_edges(page):
            cramped[name] = against_the_edges(page)

    portal.walk_every_page(page, visit)
    assert len(screenshots.taken) >= 20
    assert too_wide == {}
    assert cramped == {}
    # The measure sees clipped content too (USWDS sets overflow-x: hidden on body): a 600 px box would be caught.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<div style=\"width:600px\">wide</div>')")
    assert page_width(page) > PHONE["width"]
