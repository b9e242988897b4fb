import pytest

from bench import fixtures, loadgen
from bench.client import Page
from bench.queries import CountingBrowser
from practices.models import Enrollment

PAGE = """<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
<button type="submit">Sign out</button></form>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
<input type="text" name="step-name" value="Ada &amp; Co"><input type="email" name="step-admin" value="a@b.c" disabled>
<input type="checkbox" name="step-agree"><input type="checkbox" name="step-news" value="yes" checked>
<input type="radio" name="step-kind" value="a"><input type="radio" name="step-kind" value="b" checked>
<select name="step-state"><option value="">- Select -</option><option value="AZ" selected>Arizona</option></select>
<select name="step-vendor"><option value="">- Select a vendor -</option><option value="webpt">WebPT</option></select>
<textarea name="step-notes">Hello</textarea>
<button type="submit" name="action" value="save">Save</button><button type="submit">Continue</button></form>"""


def test_the_page_form_is_read_as_a_browser_would_send_it():
    form = Page(200, "", PAGE).form
    assert dict(form.fields) == {"csrfmiddlewaretoken": "t", "step-name": "Ada & Co", "step-news": "yes",
                                 "step-kind": "b", "step-state": "AZ", "step-vendor": "", "step-notes": "Hello"}
    assert form.buttons == [("action", "save")]
    assert {"step-admin", "step-agree"} <= form.names


@pytest.mark.django_db
def test_a_walk_submits_a_setup_through_the_wizard_pages():
    subject = fixtures.subject_create("walker")
    browser = CountingBrowser(subject.user)
    loadgen.walk(browser, {"id": subject.enrollment.pk, "practice_id": subject.enrollment.practice_id})
    assert Enrollment.objects.get(pk=subject.enrollment.pk).submitted_at is not None
    assert [label for label, *_counts in browser.log][-2:] == ["POST waiver", "GET summary"]


@pytest.mark.django_db
def test_the_posts_of_a_walk_submit_another_setup_on_their_own():
    subject = fixtures.subject_create("poster")
    first, second = [subject.enrollment] + fixtures.practices_create(names=["Second practice"], user=subject.user)
    browser, captured = CountingBrowser(subject.user), []
    loadgen.walk(browser, {"id": first.pk, "practice_id": first.practice_id}, captured)
    loadgen.post_only(browser, {"id": second.pk, "practice_id": second.practice_id}, captured)
    assert Enrollment.objects.get(pk=second.pk).submitted_at is not None
    assert all(label.startswith("POST") for label, *_counts in browser.log[-len(captured):])


def test_a_walk_that_the_wizard_refuses_stops_with_the_reason():
    page = Page(200, "", '<span class="usa-error-message" id="x">Enter a ZIP code.</span>')
    with pytest.raises(loadgen.WalkError, match="ZIP code"):
        loadgen.expect(page, 302, "/next/")
