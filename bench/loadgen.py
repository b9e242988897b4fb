"""One virtual practice administrator of the load benchmark, run as its own process (standard library only).

`python -m bench.loadgen` reads a job as JSON on stdin and writes its request log as JSON on stdout. Jobs:
login (the real sign-in form), hammer (GET a list of pages round-robin), walk (complete set-ups step by step as a
browser does, parsing each page) and post (only the POSTs of a set-up, with the form values a walk parsed).
Every job stops at its deadline and after max_requests requests, whichever comes first.
"""

import json
import sys
import time

from bench.client import Browser, Page
from onboarding.tests.answers import EXEMPTIONS, SMALL, SURVEY
from onboarding.tests.answers import PROFILE as ANSWERS_PROFILE

YEAR = 2021
# What the virtual administrator types: the tests' answers, under a practice name of its own.
PROFILE = ANSWERS_PROFILE | {"practice_name": "Bench Physical Therapy"}
BAA = {"signer_title": "Owner", "consent": "on"}
WAIVER = {"first_name": "Ada", "last_name": "Lovelace", "consent": "on"}
INITIALS = "AL"
# (step, answers, button pressed, where the POST leads: a step, "summary", or None when it shows the same page again)
SCRIPT = (
    ("profile", PROFILE, None, "small_practice"),
    ("small_practice", SMALL, None, "pi_survey"),
    ("pi_survey", {}, ("action", "take"), None),
    ("pi_survey", SURVEY, ("action", "save"), "pi_survey"),
    ("pi_survey", SURVEY | {"reweight_to_zero": "True"}, ("action", "continue"), "exemptions"),
    ("exemptions", EXEMPTIONS, None, "tin"),
    ("tin", {}, None, "baa"),
    ("baa", BAA, None, "waiver"),
    ("waiver", WAIVER, None, "summary"),
)


class WalkError(Exception):
    """The product answered differently from what a successful set-up gets."""


class Deadline(Exception):
    """The job's time or request budget is used up."""


def tin_for(enrollment_id: int) -> str:
    """Return a valid, unique EIN for a bench enrollment (prefix 46 is an IRS campus prefix)."""
    return f"46{enrollment_id:07d}"


def setup_url(practice_id: int, step: str) -> str:
    """Return the URL of a set-up step, or of the summary page."""
    base = f"/years/{YEAR}/practices/{practice_id}/setup/"
    return base + ("summary/" if step == "summary" else f"{step}/")


class BoundedBrowser(Browser):
    """A browser that refuses to start a request after the deadline or past its request budget."""

    def __init__(self, port, cookies, deadline, max_requests):
        super().__init__(port=port, cookies=dict(cookies))
        self.deadline, self.max_requests = deadline, max_requests

    def _request(self, method, path, label, body):
        if time.time() >= self.deadline or len(self.log) >= self.max_requests:
            raise Deadline
        return super()._request(method, path, label, body)


def expect(page: Page, status: int, location: str | None = None) -> Page:
    """Raise WalkError unless the response has this status (and, for a redirect, this target)."""
    if page.status != status or (location is not None and page.location != location):
        problem = _error_text(page.text) if page.status == 200 else ""
        raise WalkError(f"expected {status} {location or ''}, got {page.status} {page.location} {problem}".strip())
    return page


def _error_text(html: str) -> str:
    start = html.find("usa-error-message")
    return " ".join(html[start:start + 300].split()) if start >= 0 else ""


def step_post_data(page: Page, step: str, answers: dict, button, enrollment: dict) -> dict:
    """Return what the browser sends: the form as shown, the typed answers, and the button pressed."""
    typed = {f"{step}-{k}": v for k, v in answers.items()}
    if step == "tin":
        tin = tin_for(enrollment["id"])
        typed |= {"tin-tin_type": "ein", "tin-tin": f"{tin[:2]}-{tin[2:]}", "tin-tin_confirm": tin}
    if step == "waiver":
        typed |= {name: INITIALS for name in page.form.names if name.startswith("waiver-initials_")}
    missing = sorted(set(typed) - page.form.names)
    if missing:
        raise WalkError(f"{step}: the page has no field {missing[0]}")
    data = page.form_data() | typed
    if button is not None:
        if button not in page.form.buttons:
            raise WalkError(f"{step}: the page has no button {button}")
        data[button[0]] = button[1]
    return data


def walk(browser: Browser, enrollment: dict, capture: list | None = None) -> None:
    """Complete one set-up through the pages, as its administrator's browser would; raise WalkError if refused."""
    practice_id = enrollment["practice_id"]
    page = expect(browser.get(setup_url(practice_id, "profile"), "GET profile"), 200)
    for step, answers, button, leads_to in SCRIPT:
        data = step_post_data(page, step, answers, button, enrollment)
        label = f"POST {step}" + (f":{button[1]}" if button else "")
        if capture is not None:
            capture.append({"step": step, "label": label, "data": data, "leads_to": leads_to})
        response = browser.post(setup_url(practice_id, step), data, label)
        if leads_to is None:
            page = expect(response, 200)
            continue
        expect(response, 302, setup_url(practice_id, leads_to))
        page = expect(browser.get(response.location, f"GET {leads_to}"), 200)


def post_only(browser: Browser, enrollment: dict, captured: list) -> None:
    """Send only the POSTs of a set-up, with the values a walk read from the pages (this enrollment's ids and TIN)."""
    practice_id = enrollment["practice_id"]
    for action in captured:
        data = dict(action["data"])
        key = next(k for k in data if k.endswith("-current_step"))
        data[f"setup_{enrollment['id']}-current_step"] = data.pop(key)
        # The page's saved-state token belongs to the walked set-up; without it the wizard skips its stale-tab check.
        data.pop("step_version", None)
        if action["step"] == "tin":
            tin = tin_for(enrollment["id"])
            data |= {"tin-tin": f"{tin[:2]}-{tin[2:]}", "tin-tin_confirm": tin}
        response = browser.post(setup_url(practice_id, action["step"]), data, action["label"])
        if action["leads_to"] is None:
            expect(response, 200)
        else:
            expect(response, 302, setup_url(practice_id, action["leads_to"]))


def login(browser: Browser, email: str, password: str) -> None:
    """Sign in through the real sign-in form (CSRF token from the page)."""
    page = expect(browser.get("/accounts/login/", "GET login"), 200)
    data = page.form_data() | {"username": email, "password": password}
    expect(browser.post("/accounts/login/", data, "POST login"), 302)


def run(job: dict) -> dict:
    """Run one job and return its log, errors and counts."""
    browser = BoundedBrowser(job["port"], job.get("cookies", {}), job["start_at"] + job["seconds"], job["max_requests"])
    time.sleep(max(0.0, job["start_at"] - time.time()))
    outcome = {"errors": [], "completed": 0, "exhausted": False, "capture": None}
    try:
        if job["kind"] == "login":
            login(browser, job["email"], job["password"])
        elif job["kind"] == "hammer":
            for i in range(job["max_requests"]):
                path, label = job["urls"][i % len(job["urls"])]
                expect(browser.get(path, label), 200)
        else:
            _setups(browser, job, outcome)
            outcome["exhausted"] = True  # the enrollments ran out before the deadline
    except Deadline:
        pass
    except (WalkError, OSError) as error:
        outcome["errors"].append(f"{error.__class__.__name__}: {error}")
    return outcome | {"log": browser.log, "cookies": browser.cookies}


def _setups(browser: Browser, job: dict, outcome: dict) -> None:
    for enrollment in job["enrollments"]:
        capture = [] if job.get("capture") and outcome["capture"] is None else None
        try:
            if job["kind"] == "walk":
                walk(browser, enrollment, capture)
            else:
                post_only(browser, enrollment, job["captured"])
        except WalkError as error:
            outcome["errors"].append(str(error))
            if len(outcome["errors"]) >= 5:
                return
            continue
        outcome["completed"] += 1
        if capture is not None:
            outcome["capture"] = capture


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
