"""Keyboard only: the PI survey and the waiver completed with Tab, Space, Enter and arrow keys (which move within a radio
group), never the mouse, with focus moving through the fields in reading order."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import portal

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const el = document.activeElement;
    const text = s => (s || '').replace(/\\s+/g, ' ').trim().replace(/^\\d+\\.\\s*/, '').replace(/\\s*\\*$/, '');
    const label = el.labels && el.labels.length ? el.labels[0].innerText : (el.getAttribute('aria-label') || el.innerText || el.value);
    const fieldset = el.closest('fieldset');
    const legend = fieldset && fieldset.querySelector('legend');
    return {name: text(label), group: legend ? text(legend.innerText) : '', type: el.type || el.tagName.toLowerCase(), checked: !!el.checked};
}"""


def focused(page: Page) -> dict:
    """Return the focused element's label (or button words), its radio group's question, its type and checked state."""
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str, *, limit: int = 40) -> list[dict]:
    """Press Tab until the element named `name` has focus; return everything focused on the way, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if re.search(name, seen[-1]["name"]) or re.search(name, seen[-1]["group"]):
            return seen
    raise AssertionError(f"Tab never reached {name!r}; focus went through {[f['name'] for f in seen]}")


def press_enter(page: Page) -> None:
    """Press Enter on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_pi_survey_is_answered_with_the_keyboard_alone(signed_in, steps_done, practice):
    page = signed_in
    steps_done("small_practice")
    page.goto(portal.dashboard_url(practice))
    tab_to(page, "^Complete Profile$")
    press_enter(page)
    portal.expect_step(page, 3, "PI exemption survey")
    tab_to(page, "^Yes, Take the Survey$")
    press_enter(page)

    tab_to(page, "certified EHR technology")  # Tab enters a radio group on its first answer, Yes
    page.keyboard.press("ArrowDown")  # an arrow key moves within the group and chooses: No
    answered = [focused(page)]
    for key in ("ArrowDown", "Space", "ArrowDown"):  # Tab to the next question: 2 No, 3 Yes, 4 No
        page.keyboard.press("Tab")
        page.keyboard.press(key)
        answered.append(focused(page))
    assert [(f["group"][:20], f["name"], f["checked"]) for f in answered] == [
        ("Do the clinicians in", "No", True), ("Are all clinicians i", "No", True), ("Are all clinicians i", "Yes", True),
        ("Does your group repo", "No", True)]
    assert [f["name"] for f in tab_to(page, "^Save$")] == ["Save"]  # the next stop after question 4 is Save
    press_enter(page)

    expect(page.get_by_text("Your answers qualify your group")).to_be_visible()
    for question, answer in zip(portal.PI_QUESTIONS, ("No", "No", "Yes", "No")):
        expect(portal.group(page, question).get_by_label(answer, exact=True)).to_be_checked()
    on_the_way = tab_to(page, "Reweight PI to zero")
    assert [f["group"][:25] for f in on_the_way[-5:]] == [
        "Do the clinicians in your", "Are all clinicians in you", "Are all clinicians in you", "Does your group report Pr",
        "Your group qualifies to h"]
    page.keyboard.press("Space")
    assert (focused(page)["name"], focused(page)["checked"]) == ("Yes", True)
    assert [f["name"] for f in tab_to(page, "^Continue$")] == ["Save", "Continue"]
    press_enter(page)
    portal.expect_step(page, 4, "Exemptions")
    expect(portal.checkbox(page, "This account is exempt from PI")).to_be_checked()


def test_waiver_is_initialled_and_signed_with_the_keyboard_alone_in_reading_order(signed_in, steps_done, practice):
    page = signed_in
    steps_done("baa")
    page.goto(portal.dashboard_url(practice))
    tab_to(page, "^Complete Profile$")
    press_enter(page)
    portal.expect_step(page, 7, "Data-release waiver")

    order = [f["name"] for f in tab_to(page, "^Initials for clause 1$")[-1:]]
    page.keyboard.type("AL")
    for text in ("AL", "AL", "AL", "AL", "Ada", "Lovelace"):
        page.keyboard.press("Tab")
        order.append(focused(page)["name"])
        page.keyboard.type(text)
    page.keyboard.press("Tab")
    order.append(focused(page)["name"])
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    order.append(focused(page)["name"])
    assert order == [*(f"Initials for clause {n}" for n in range(1, 6)), "First name", "Last name",
                     "I agree that my typed name serves as my digital signature.", "Save and Continue"]
    press_enter(page)
    portal.expect_confirmation(page)
