"""Names typed by practices (or staff) are stored verbatim and printed escaped on every staff page."""

import pytest
from django.urls import reverse

from staff.tests.helpers import setup_in_status, staff_client
from staff.tests.conftest import staff_user

pytestmark = pytest.mark.django_db
PRACTICE = "<script>alert(1)</script>"
PROFILE_NAME = '"><img src=x onerror=alert(2)>'


def assert_escaped(content: str):
    assert PRACTICE not in content and PROFILE_NAME not in content and "onerror=alert(2)>" not in content
    assert "<script>alert" not in content


@pytest.fixture
def hostile(administrator):
    return setup_in_status("submitted", administrator=administrator, name=PRACTICE, practice_name=PROFILE_NAME)


def test_I4_names_are_stored_verbatim(hostile):
    assert hostile.practice.name == PRACTICE and hostile.profile.practice_name == PROFILE_NAME


def test_I4_changelist_escapes_names(superuser_client, hostile):
    content = superuser_client.get(reverse("admin:practices_enrollment_changelist")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert_escaped(content)


def test_I4_set_up_page_escapes_names_in_answers_signatures_and_history(superuser_client, hostile):
    page = superuser_client.get(reverse("admin:practices_enrollment_change", args=[hostile.pk]))
    content = page.content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in content  # in the answers, the BAA's covered entity and history
    assert content.count("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;") >= 3
    assert_escaped(content)


def test_I4_action_pages_history_and_recent_actions_escape_names(support, hostile):
    client = staff_client(support)
    changelist = reverse("admin:practices_enrollment_changelist")
    intermediate = client.post(changelist, {"action": "reopen_setups", "_selected_action": [hostile.pk]})
    assert_escaped(intermediate.content.decode())
    client.post(changelist, {"action": "reopen_setups", "_selected_action": [hostile.pk], "apply": "1", "reason": PRACTICE})
    after = client.get(changelist)
    assert_escaped(after.content.decode())  # the success message
    history = client.get(reverse("admin:practices_enrollment_history", args=[hostile.pk]))
    assert history.status_code == 200 and "&lt;script&gt;" in history.content.decode()
    assert_escaped(history.content.decode())
    assert_escaped(client.get(reverse("admin:index")).content.decode())  # "Recent actions" lists the LogEntry
    assert_escaped(client.get(reverse("admin:practices_enrollment_change", args=[hostile.pk])).content.decode())


def test_I4_reveal_and_signature_pages_escape_names(roles, hostile):
    client = staff_client(staff_user("tin@webpt.example", groups=["reviewer"], permissions=["staff.view_full_tin"]))
    assert_escaped(client.post(reverse("admin:practices_enrollment_reveal_tin", args=[hostile.pk])).content.decode())
    assert_escaped(client.get(reverse("admin:onboarding_signature_changelist")).content.decode())


def test_I4_staff_code_never_marks_text_safe():
    """The static rule of I4 for this app: no mark_safe/format_html/SafeString in code, no |safe or autoescape off."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = "\n".join(p.read_text() for p in root.rglob("*.py") if "tests" not in p.parts)
    templates = "\n".join(p.read_text() for p in root.rglob("*.html"))
    assert not any(word in code for word in ("mark_safe", "format_html", "SafeString", "SafeText"))
    assert "|safe" not in templates and "autoescape off" not in templates
