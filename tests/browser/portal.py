"""What a user does in the portal, found by visible labels, roles and button words (never by CSS ids or classes).

Every page the user reaches is handed to `visit(page, name)`, so a test can screenshot it, measure it or scan it.
USWDS hides the real radio and checkbox inputs off-screen and styles their labels, so choices are made by clicking
the visible label, as a user does, and read back with is_checked().
"""

import re

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PASSWORD, TIN

EMAIL = "ada@sunrise-pt.example"
WAIVER_CLAUSES = 5


def noop(page: Page, name: str) -> None:
    """The default visit: look at nothing."""


def _escape(text: str) -> str:
    # Playwright sends a regex as /source/ and does not escape the slashes in it.
    return re.escape(text).replace("/", r"\/")


def field(scope, label: str) -> Locator:
    """Return the text box or select labelled `label`, ignoring the question number before it and the required star."""
    return scope.get_by_label(re.compile(rf"^(\d+\.\s*)?{_escape(label)}(\s*\*)?$"))


def group(scope, question: str) -> Locator:
    """Return the radio group (fieldset) whose legend contains the question."""
    return scope.get_by_role("group", name=question)


def click_label(page: Page, control: Locator) -> None:
    """Click the visible label of a radio or checkbox, as a user does (USWDS moves the input itself off-screen)."""
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()


def choose(page: Page, question: str, answer: str) -> None:
    """Answer a Yes/No (or other radio) question by clicking the answer's label."""
    radio = group(page, question).get_by_label(answer, exact=True)
    click_label(page, radio)
    expect(radio).to_be_checked()


def checkbox(page: Page, label: str) -> Locator:
    """Return the checkbox whose label starts with `label` (USWDS puts the description inside the label)."""
    return page.get_by_role("checkbox", name=re.compile(rf"^(\d+\.\s*)?{_escape(label)}"))


def tick(page: Page, label: str) -> None:
    """Tick a checkbox by clicking its label."""
    box = checkbox(page, label)
    if not box.is_checked():
        click_label(page, box)
    expect(box).to_be_checked()


def press(page: Page, button: str) -> None:
    """Click the button with exactly these words and wait for the next page."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def expect_step(page: Page, number: int, title: str) -> None:
    """Assert the wizard shows step `number` of 7, titled `title`."""
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(title)
    expect(heading).to_contain_text(f"Step {number} of 7")


# Sign-up and sign-in -------------------------------------------------------------------------------------------
def sign_up(page: Page, visit=noop, *, email: str = EMAIL) -> None:
    """Create the account on the sign-up page with the designated address."""
    page.goto("/accounts/signup/")
    visit(page, "signup")
    field(page, "Email address").fill(email)
    field(page, "First name").fill("Ada")
    field(page, "Last name").fill("Lovelace")
    field(page, "Password").fill(PASSWORD)
    field(page, "Password again").fill(PASSWORD)
    press(page, "Create Account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visit(page, "signup-sent")


def emailed_link(to: str, subject_contains: str = "") -> str:
    """Return the one http(s) link in the newest email to `to` (whose subject contains the words given)."""
    messages = [m for m in mail.outbox if to in m.to and subject_contains.lower() in m.subject.lower()]
    assert messages, f"no email to {to} about {subject_contains!r}: {[m.subject for m in mail.outbox]}"
    links = re.findall(r"https?://\S+", messages[-1].body)
    assert len(links) == 1, links
    return links[0]


def confirm_email(page: Page, visit=noop, *, email: str = EMAIL) -> None:
    """Open the verification link from the email and press the confirm button; land on portal home."""
    page.goto(emailed_link(email, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    visit(page, "verify")
    press(page, "Confirm and continue")
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()


def log_in(page: Page, visit=noop, *, email: str = EMAIL) -> None:
    """Sign in on the sign-in page; land on portal home."""
    page.goto("/accounts/login/")
    visit(page, "login")
    field(page, "Email address").fill(email)
    field(page, "Password").fill(PASSWORD)
    press(page, "Sign in")
    expect(page.get_by_role("heading", name="Practice Admin")).to_be_visible()


def dashboard_url(practice) -> str:
    """Return the practice's 2021 dashboard path."""
    return f"/years/2021/practices/{practice.pk}/"


def open_setup(page: Page, visit=noop) -> None:
    """From portal home: 2021 → Dashboard → Complete Profile (the guide's clicks)."""
    page.goto("/")
    expect(page.get_by_role("heading", name="Practice Admin")).to_be_visible()
    visit(page, "home")
    page.get_by_role("link", name="2021", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practices in 2021")
    visit(page, "year")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sunrise Physical Therapy")
    visit(page, "dashboard")
    page.get_by_role("link", name="Complete Profile").click()


# The seven steps, with the guide's answers for a rehab practice ---------------------------------------------------
def fill_profile(page: Page, visit=noop) -> None:
    """Step 1: the practice profile; question 12 Yes/WebPT and question 17 Yes."""
    expect_step(page, 1, "Practice profile")
    visit(page, "step1-profile")
    expect(field(page, "Administrator email address")).to_have_value("mips-admin@webpt.example")
    expect(field(page, "Administrator email address")).to_be_disabled()
    expect(field(page, "First name")).to_have_value("Ada")
    expect(field(page, "Practice name")).to_have_value("Sunrise Physical Therapy")
    field(page, "Job title (optional)").fill("Clinic director")
    field(page, "Street address").fill("100 Main St")
    field(page, "City").fill("Phoenix")
    field(page, "State or territory").select_option(label="Arizona")
    field(page, "ZIP code").fill("85001")
    field(page, "Phone").fill("(602) 555-1234")
    field(page, "Specialty").select_option(label="Physical Therapy")
    choose(page, "Does your group use an EHR/EMR system", "Yes")
    field(page, "EHR/EMR vendor").select_option(label="WebPT")
    choose(page, "Is your practice rural?", "No")
    choose(page, "Health Professional Shortage Area", "No")
    choose(page, "Alternative Payment Model", "No")
    choose(page, "May de-identified data be shared", "Yes")
    press(page, "Save and Continue")


def answer_small_practice(page: Page, visit=noop) -> None:
    """Step 2: 15 or fewer providers, Yes."""
    expect_step(page, 2, "Small practice")
    visit(page, "step2-small-practice")
    choose(page, "15 or fewer providers", "Yes")
    press(page, "Continue")


PI_QUESTIONS = ("certified EHR technology", "hospital-based", "of a type for whom Promoting Interoperability does not apply",
                "through another group")


def take_pi_survey(page: Page, visit=noop, *, forget_follow_up: bool = False) -> None:
    """Step 3: Yes, Take the Survey; 1 No, 2 No, 3 Yes, 4 No; Save; the follow-up Yes; Continue."""
    expect_step(page, 3, "PI exemption survey")
    visit(page, "step3-pi-survey-start")
    press(page, "Yes, Take the Survey")
    visit(page, "step3-pi-survey-questions")
    for question, answer in zip(PI_QUESTIONS, ("No", "No", "Yes", "No")):
        choose(page, question, answer)
    press(page, "Save")
    expect_step(page, 3, "PI exemption survey")
    expect(page.get_by_text("Your answers qualify your group")).to_be_visible()
    visit(page, "step3-pi-survey-follow-up")
    if forget_follow_up:
        press(page, "Continue")
        expect_errors(page, 1)
        visit(page, "step3-pi-survey-follow-up-missing")
    choose(page, "Reweight PI to zero?", "Yes")
    press(page, "Continue")


def answer_exemptions(page: Page, visit=noop) -> None:
    """Step 4: Only using WebPT; PI shown exempt (from the survey) and read-only; exempt from Cost."""
    expect_step(page, 4, "Exemptions")
    visit(page, "step4-exemptions")
    expect(checkbox(page, "This account is exempt from PI")).to_be_checked()
    expect(checkbox(page, "This account is exempt from PI")).to_be_disabled()
    tick(page, "Only using WebPT")
    tick(page, "This account is exempt from Cost")
    press(page, "Continue")


def enter_tin(page: Page, visit=noop, *, tin: str = TIN, again: str = TIN) -> None:
    """Step 5: the EIN typed twice."""
    expect_step(page, 5, "TIN / EIN")
    visit(page, "step5-tin")
    expect(group(page, "TIN type").get_by_role("radio", name="EIN (Employer Identification Number)")).to_be_checked()
    field(page, "TIN / EIN").fill(tin)
    field(page, "Re-enter your TIN / EIN").fill(again)
    press(page, "Continue")


def sign_baa(page: Page, visit=noop) -> None:
    """Step 6: the BAA, covered entity pre-filled, typed signature and title, consent."""
    expect_step(page, 6, "Business Associate Agreement")
    visit(page, "step6-baa")
    expect(field(page, "Covered Entity")).to_have_value("Sunrise Physical Therapy")
    field(page, "Signature (type your full name)").fill("Ada Lovelace")
    field(page, "Title").fill("Owner")
    tick(page, "I agree that my typed name serves as my digital signature")
    press(page, "Save and Continue")


def sign_waiver(page: Page, visit=noop, *, wrong_clause: int | None = None) -> None:
    """Step 7: the waiver, initialled clause by clause (one clause wrongly, if asked) and signed with the holder's name."""
    expect_step(page, 7, "Data-release waiver")
    expect(page.get_by_role("region", name="Account holder")).to_contain_text("Ada Lovelace")
    visit(page, "step7-waiver")
    for clause in range(1, WAIVER_CLAUSES + 1):
        field(page, f"Initials for clause {clause}").fill("XY" if clause == wrong_clause else "AL")
    field(page, "First name").fill("Ada")
    field(page, "Last name").fill("Lovelace")
    tick(page, "I agree that my typed name serves as my digital signature")
    press(page, "Save and Continue")


def complete_setup(page: Page, visit=noop, *, upto: int = 7) -> None:
    """Walk the wizard from step 1 through step `upto`."""
    steps = (fill_profile, answer_small_practice, take_pi_survey, answer_exemptions, enter_tin, sign_baa, sign_waiver)
    for step in steps[:upto]:
        step(page, visit)


def run_the_worker() -> None:
    """Run every queued task (the data load, the emails) as `manage.py db_worker --batch` does, in this process."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def expect_data_loaded(page: Page) -> None:
    """Assert the dashboard says the practice's data load finished, and shows the scores."""
    load = page.get_by_role("region", name="Quality data from WebPT")
    expect(load.get_by_role("status")).to_contain_text("Your quality data is loaded: 397 rows.")
    expect(load.get_by_role("row", name="Status")).to_contain_text("Succeeded")
    expect(load.get_by_role("row", name="Rows set aside (bad rows)")).to_contain_text("3")
    expect(page.get_by_role("heading", name="MIPS score 2021")).to_be_visible()


def expect_confirmation(page: Page) -> None:
    """Assert the confirmation page after the waiver."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account set-up is complete")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text("**-***4567")).to_be_visible()


def expect_errors(page: Page, count: int | None = None) -> None:
    """Assert the page came back with the error summary (announcing `count` problems, if given)."""
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem" if count == 1 else f"There are {count or ''}")


def walk_every_page(page: Page, visit) -> None:
    """Visit every portal page a newcomer meets, and the error states on the way, handing each to `visit`.

    Starts anonymous with a designated address (and the practice's EMR export in place); runs the data load after the
    submission, and ends signed out, having asked for a password reset.
    """
    page.goto("/accounts/signup/")
    press(page, "Create Account")
    expect_errors(page, 5)
    visit(page, "signup-errors")
    sign_up(page, visit)
    confirm_email(page, visit)
    open_setup(page, visit)
    visit(page, "step1-profile")
    field(page, "Street address").fill("100 Main St")
    press(page, "Save and Continue")
    expect_errors(page)
    visit(page, "step1-profile-errors")
    fill_profile(page)
    answer_small_practice(page, visit)
    take_pi_survey(page, visit, forget_follow_up=True)
    answer_exemptions(page, visit)
    enter_tin(page, visit, again="46-1234568")
    expect_errors(page, 1)
    visit(page, "step5-tin-mismatch")
    enter_tin(page, tin="07-1234567", again="07-1234567")
    expect_errors(page, 1)
    visit(page, "step5-tin-bad-prefix")
    enter_tin(page)
    sign_baa(page, visit)
    sign_waiver(page, visit, wrong_clause=3)
    expect_errors(page, 1)
    visit(page, "step7-waiver-initials-error")
    sign_waiver(page)
    expect_confirmation(page)
    visit(page, "confirmation")
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_text("Set-up submitted on")).to_be_visible()
    visit(page, "dashboard-load-queued")
    run_the_worker()
    page.reload()
    expect_data_loaded(page)
    visit(page, "dashboard-data-loaded")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    visit(page, "login")
    field(page, "Email address").fill(EMAIL)
    field(page, "Password").fill("not the password at all")
    press(page, "Sign in")
    expect_errors(page, 1)
    visit(page, "login-error")
    page.get_by_role("link", name="Forgot your password?").click()
    visit(page, "password-reset")
    field(page, "Email").fill(EMAIL)
    press(page, "Send reset link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visit(page, "password-reset-sent")
