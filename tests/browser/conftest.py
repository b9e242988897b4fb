"""Real-browser tests: pytest-playwright drives Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Every request that is not for the live
server is aborted and recorded, and a test fails if a page asked for one, threw a script error or answered 5xx.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Designation, User
from practices.models import PerformanceYear, Practice

# pytest-playwright's sync API runs an asyncio loop in the main thread, so Django would otherwise refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "browser"
PASSWORD = "tulips in the rain at noon"
TIN = "46-1234567"
# Pages answer in well under a second, even on a busy 2-core machine: fail in seconds, not after Playwright's 30.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last: they are the slowest, and their live server empties every table afterwards,
    data migrations' rows included, which tests run after them could miss."""
    here = Path(__file__).parent
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(here))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM} (apt-get install -y chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


class Watch:
    """What a browser context did that no page of ours should: outside requests, script errors, server errors."""

    def __init__(self, origin: str):
        self.origin = origin
        self.blocked: list[str] = []
        self.problems: list[str] = []

    def block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def attach(self, context):
        # Only requests elsewhere reach Python (the pattern is matched in the browser driver), so pages stay fast.
        context.route(re.compile(rf"^(?!{re.escape(self.origin)}/)"), self.block)
        context.on("page", self.page_opened)
        return context

    def page_opened(self, page):
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        page.on("response", lambda r: r.status >= 500 and self.problems.append(f"{r.status} from {r.url}"))


@pytest.fixture
def new_user_context(new_context, live_server):
    """Return a factory of browser contexts (one per 'device' of a user), each limited to the live server."""
    watches, contexts = [], []

    def open_context(**kwargs):
        watch = Watch(live_server.url)
        watches.append(watch)
        context = new_context(**{"viewport": DESKTOP, **kwargs})
        contexts.append(context)
        context.on("close", lambda closed: contexts.remove(closed))
        context.set_default_timeout(TIMEOUT_MS)
        context.outside_requests, context.page_problems = watch.blocked, watch.problems
        return watch.attach(context)

    yield open_context
    for context in list(contexts):  # those the test left open
        context.close()
    _wait_for_live_server_requests()
    for watch in watches:
        assert not watch.blocked, f"pages asked for outside resources: {watch.blocked}"
        assert not watch.problems, watch.problems


def _wait_for_live_server_requests(timeout: float = 5) -> None:
    # Closing the browser's connections ends the live server's request threads; wait for them, so that a request still
    # running (a page's poll or refresh) does not race the table flush that ends the test.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


@pytest.fixture
def context(new_user_context):
    return new_user_context()


@pytest.fixture(autouse=True)
def emailed_links_reach_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url


@pytest.fixture
def year_2021(transactional_db):
    # Live-server tests empty the tables afterwards, so the migration's row may be gone: bring it back.
    year, _ = PerformanceYear.objects.get_or_create(year=2021, defaults={"is_open": True})
    return year


@pytest.fixture
def practice(year_2021):
    return Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")


@pytest.fixture
def administrator(practice):
    """An administrator who signed up and confirmed the address already (for tests that start later in the journey)."""
    from practices.services import enrollment_ensure

    user = User.objects.create_user("ada@sunrise-pt.example", PASSWORD, first_name="Ada", last_name="Lovelace")
    Designation.objects.create(practice=practice, email=user.email, user=user, accepted_at=timezone.now())
    enrollment_ensure(practice=practice, year=PerformanceYear.objects.get(year=2021))
    return user


@pytest.fixture
def qpp_2021(year_2021):
    """CMS's 2021 measures and benchmarks (from the qpp-measures-data package), which the scores on the dashboard need."""
    from django.core.management import call_command

    call_command("load_qpp_data", "--year", "2021", verbosity=0)


@pytest.fixture
def emr_export(settings, tmp_path):
    """A small WebPT export for TIN 46-1234567 in 2021, where the data load looks for it."""
    from emr.generator import export_generate

    settings.EMR_EXPORT_DIR = tmp_path / "emr-exports"
    export_generate(tin=TIN.replace("-", ""), year=2021, rows=400, seed=7, bad_rows=3, clinicians=3,
                    out_dir=settings.EMR_EXPORT_DIR)
    return settings.EMR_EXPORT_DIR


@pytest.fixture
def admin_client(administrator):
    """A Django test client signed in as the administrator (it shares the live server's database)."""
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def steps_done(admin_client, practice):
    """Return a function that completes the set-up up to a step server-side, as the wizard's own POSTs would.

    For tests about a later step: the browser then only walks the part under test.
    """
    from onboarding.tests.helpers import complete_steps

    return lambda step: complete_steps(admin_client, practice.enrollments.get(), step)


@pytest.fixture
def sign_in(admin_client, live_server):
    """Return a function that signs a browser context in as the administrator with the test client's session."""
    from django.conf import settings

    def signed_in_context(context):
        cookie = admin_client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context

    return signed_in_context


@pytest.fixture
def signed_in(page, sign_in):
    """The page, signed in as the administrator (skips the sign-in page, for tests about what comes after it)."""
    sign_in(page.context)
    return page
