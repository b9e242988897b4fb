"""Who may open what (Z1–Z3): every URL pattern for anonymous visitors, and a practice's pages for another practice's
administrator."""

import logging
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Designation, User
from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier
from onboarding.tests.helpers import EXEMPTIONS, PASSWORD, PROFILE, SMALL, SURVEY, baa_data, complete_steps, waiver_data, wizard_post
from practices.models import Enrollment, PerformanceYear, Practice

# Pages anyone may open: signing up and in, password reset, the health check, and the admin's own sign-in page.
PUBLIC = {
    "health", "accounts:signup", "accounts:signup_sent", "accounts:verify", "accounts:login", "accounts:logout",
    "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_confirm",
    "accounts:password_reset_complete", "admin:login",
}
HARBOR = "Harbor Physical Therapy"
STEP_MODELS = (PracticeProfile, SmallPractice, PiSurvey, Exemptions, TaxIdentifier, Signature)


def url_patterns(resolver=None, prefix="", namespace=""):
    """Yield (route, qualified name, pattern) for every URL pattern of the project."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or f"{namespace}:<unnamed>"
            yield prefix + str(pattern.pattern), name, pattern


def example_path(route: str, **values) -> str:
    """Return a concrete path for a route: converters filled from `values` by name, else 1."""
    if route.startswith("admin/^"):  # the admin's app index (a regular expression)
        return "/admin/accounts/"
    if route.endswith("(?P<url>.*)$"):  # the admin's catch-all
        return "/admin/anything/"
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), route)


@pytest.mark.django_db
def test_Z3_every_url_pattern_needs_sign_in_except_the_public_list():
    client = Client()
    seen, checked = set(), 0
    for route, name, _pattern in url_patterns():
        seen.add(name)
        path = example_path(route, year=2021)
        response = client.get(path)
        if name in PUBLIC:
            assert response.status_code in {200, 400, 405}, (name, response.status_code)
            continue
        login = reverse("admin:login") if name.startswith("admin:") else reverse("accounts:login")
        expected = login + "?next="
        if name == "admin:logout":  # Django's admin sends a visitor who is not signed in to its index, which asks to sign in
            login = expected = reverse("admin:index")
        assert response.status_code == 302 and response["Location"].startswith(expected), (name, path, response.status_code)
        posted = client.post(path, {"x": "1"})
        assert posted.status_code == 405 or posted["Location"].startswith(login), (name, path, posted.status_code)
        checked += 1
    assert PUBLIC <= seen, PUBLIC - seen  # the allow-list names only real pages
    assert checked > 100


@pytest.fixture
def two_practices(db):
    """Ada administers practice A (set-up in progress); Grace administers practice B (submitted, both documents signed)."""
    year = PerformanceYear.objects.get(year=2021)
    enrollments = {}
    for key, email, first, last, name in [("a", "ada@sunrise-pt.example", "Ada", "Lovelace", "Sunrise Physical Therapy"),
                                          ("b", "grace@harbor-pt.example", "Grace", "Hopper", HARBOR)]:
        user = User.objects.create_user(email, PASSWORD, first_name=first, last_name=last)
        practice = Practice.objects.create(name=name, top_level_admin_email="mips-admin@webpt.example")
        Designation.objects.create(practice=practice, email=email, user=user, accepted_at=timezone.now())
        enrollments[key] = Enrollment.objects.create(practice=practice, year=year)
    complete_steps(signed_in("ada@sunrise-pt.example"), enrollments["a"], "small_practice")
    submit_as_grace(signed_in("grace@harbor-pt.example"), enrollments["b"])
    return enrollments


def submit_as_grace(client, enrollment):
    """Walk practice B's wizard to submission as Grace, through its pages."""
    posts = [("profile", PROFILE | {"first_name": "Grace", "last_name": "Hopper", "practice_name": HARBOR}, None),
             ("small_practice", SMALL, None), ("pi_survey", SURVEY, {"action": "save"}),
             ("pi_survey", SURVEY | {"reweight_to_zero": "True"}, {"action": "continue"}), ("exemptions", EXEMPTIONS, None),
             ("tin", {"tin_type": "ein", "tin": "47-1234567", "tin_confirm": "47-1234567"}, None),
             ("baa", baa_data(HARBOR) | {"signer_name": "Grace Hopper"}, None),
             ("waiver", waiver_data(HARBOR, initials="GH", first="Grace", last="Hopper"), None)]
    for step, data, extra in posts:
        response = wizard_post(client, enrollment, step, data, extra=extra)
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)
    enrollment.refresh_from_db()
    assert enrollment.submitted_at is not None


def snapshot(enrollment) -> list:
    """Return every set-up row of the enrollment as values, to compare before and after."""
    rows = [list(model.objects.filter(enrollment=enrollment).order_by("pk").values()) for model in STEP_MODELS]
    return [rows, list(Enrollment.objects.filter(pk=enrollment.pk).values())]


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_Z1_changing_the_practice_id_in_any_url_gives_404_writes_nothing_and_is_logged(two_practices, caplog):
    ada, a, b = signed_in("ada@sunrise-pt.example"), two_practices["a"], two_practices["b"]
    before = snapshot(b)
    caplog.set_level(logging.WARNING, logger="django.request")
    scoped = [(route, name) for route, name, _ in url_patterns() if "<int:practice_id>" in route]
    assert len(scoped) >= 8
    payload = {f"profile-{k}": v for k, v in PROFILE.items()} | {f"setup_{b.pk}-current_step": "profile",
                                                                f"setup_{a.pk}-current_step": "profile"}
    for route, name in scoped:
        path = example_path(route, year=2021, practice_id=b.practice_id, step="profile")
        assert ada.get(path).status_code in {404, 405}, name
        assert ada.post(path, payload).status_code in {404, 405}, name
    assert snapshot(b) == before
    refused = [r.getMessage() for r in caplog.records if r.name == "django.request" and r.getMessage().startswith("Not Found:")]
    assert any(f"/practices/{b.practice_id}/" in message for message in refused)


@pytest.mark.django_db
def test_Z1_ids_in_the_posted_form_cannot_point_at_another_practice(two_practices):
    ada, a, b = signed_in("ada@sunrise-pt.example"), two_practices["a"], two_practices["b"]
    before = snapshot(b)
    tampered = PROFILE | {"city": "Tempe", "enrollment": str(b.pk), "enrollment_id": str(b.pk), "practice": str(b.practice_id), "id": "1"}
    assert wizard_post(ada, a, "profile", tampered).status_code == 302
    assert PracticeProfile.objects.get(enrollment=a).city == "Tempe"
    assert snapshot(b) == before


@pytest.mark.django_db
def test_Z2_another_practices_signed_documents_are_404_and_anonymous_visitors_go_to_sign_in(two_practices):
    ada, grace, b = signed_in("ada@sunrise-pt.example"), signed_in("grace@harbor-pt.example"), two_practices["b"]
    summary = reverse("onboarding:summary", args=[2021, b.practice_id])
    own = grace.get(summary)
    assert own.status_code == 200 and "Business Associate Agreement" in own.content.decode() and "Grace Hopper" in own.content.decode()
    assert ada.get(summary).status_code == 404
    assert ada.get(reverse("scores:submission", args=[2021, b.practice_id])).status_code == 404
    anonymous = Client().get(summary)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
