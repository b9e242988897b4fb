"""axe-core (WCAG 2.1 A and AA rules) finds nothing on any portal page, wizard step or error state."""

import pytest

from accounts.services import designation_set
from tests.browser import portal
from tests.browser.looks import Screenshots, axe_violations

pytestmark = pytest.mark.browser


def test_axe_finds_no_wcag_21_aa_violations_on_any_page_or_error_state(page, practice, emr_export, qpp_2021):
    designation_set(practice=practice, email=portal.EMAIL)
    violations, scanned = {}, []
    screenshots = Screenshots("desktop")

    def visit(page, name):
        screenshots(page, name)
        scanned.append(name)
        found = axe_violations(page)
        if found:
            violations[name] = found

    portal.walk_every_page(page, visit)
    assert len(scanned) >= 20
    assert violations == {}
    # The scan does see the page: an image without a text alternative is reported.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/uswds/img/us_flag_small.png\">')")
    assert [v.split(" ")[0] for v in axe_violations(page)] == ["image-alt"]
