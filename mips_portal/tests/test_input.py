"""What people type, hostile or just unusual (I1, I3–I5): over-long text, real-world names, HTML and SQL in names, and
static rules that keep user data out of mark_safe and out of SQL strings."""

import ast
import re
from pathlib import Path

import pytest
from django import forms
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.forms import LoginForm, SecondFactorForm, SignupForm
from accounts.models import Designation, User
from accounts.services import invitation_send
from onboarding.documents import document_render
from onboarding.forms import BaaForm, PracticeProfileForm, TinForm, WaiverForm
from onboarding.models import PracticeProfile, Signature
from onboarding.tests.helpers import PROFILE, complete_steps, step_url, wizard_post
from practices.models import Practice

ROOT = Path(__file__).resolve().parents[2]
TEN_KB = "x" * 10 * 1024
NAMES = ["José", "Nguyễn", "李", "O'Brien", "O’Brien", "Smith-Jones"]
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>']
SQL = ["' OR 1=1--", '"; DROP TABLE onboarding_practiceprofile;']


# I1: length limits ------------------------------------------------------------------------------------------

def _baa(data):
    return BaaForm(data=data, prefix="b", rendered=document_render("baa", covered_entity="Sunrise Physical Therapy"))


def _waiver(data):
    return WaiverForm(data=data, prefix="w", rendered=document_render("waiver", practice_name="Sunrise Physical Therapy", year=2021),
                      holder_first="Ada", holder_last="Lovelace")


FORMS = {
    "profile": (lambda d: PracticeProfileForm(data=d, prefix="p"), "p"),
    "tin": (lambda d: TinForm(data=d, prefix="t"), "t"),
    "baa": (_baa, "b"),
    "waiver": (_waiver, "w"),
    "signup": (lambda d: SignupForm(data=d), ""),
    "login": (lambda d: LoginForm(RequestFactory().post("/accounts/login/"), data=d), ""),
    "second factor": (lambda d: SecondFactorForm(data=d, user=None, check=lambda code: pytest.fail("checked a too-long code")), ""),
}


def _text_fields(form):
    return [name for name, field in form.fields.items()
            if isinstance(field, forms.CharField) and not field.disabled and not isinstance(field.widget, forms.HiddenInput)]


@pytest.mark.django_db
@pytest.mark.parametrize("form_name", FORMS)
def test_I1_every_text_field_refuses_one_character_too_many_and_10_kb(form_name):
    build, prefix = FORMS[form_name]
    key = (lambda name: f"{prefix}-{name}") if prefix else (lambda name: name)
    names = _text_fields(build({}))
    for name in names:
        field = build({}).fields[name]
        # Passwords have no field limit: the policy's LengthValidator refuses more than 128 characters.
        assert field.max_length or "password" in name, f"{form_name}.{name} has no length limit"
    for size in ("limit + 1", "10 KB"):
        data = {key(n): TEN_KB if size == "10 KB" else "x" * ((build({}).fields[n].max_length or 128) + 1) for n in names}
        form = build(data)
        assert not form.is_valid(), (form_name, size)
        for name in names:
            if build({}).fields[name].max_length:
                assert "max_length" in [e.code for e in form.errors.as_data().get(name, [])], (form_name, name, size)
        assert not {n for n in names if "password" in n} or {n for n in names if "password" in n} & set(form.errors) or form_name == "login"


def test_I1_form_limits_never_exceed_the_database_columns():
    """A value the form accepts always fits its column, so a save can never fail with a DataError."""
    pairs = [(PracticeProfileForm, PracticeProfile, {"phone"}), (BaaForm, Signature, set()), (WaiverForm, Signature, set())]
    for form_class, model, normalised in pairs:
        columns = {f.name: f.max_length for f in model._meta.fields if getattr(f, "max_length", None)}
        for name, field in form_class.base_fields.items():
            if name in columns and name not in normalised and getattr(field, "max_length", None):
                assert field.max_length <= columns[name], (form_class.__name__, name)
    assert PracticeProfileForm.base_fields["phone"].max_length == 30  # cleaned to E.164 (12 characters) before saving


@pytest.mark.django_db
def test_I1_ten_kb_in_every_field_of_a_wizard_step_gives_errors_not_a_server_error(enrollment, administrator):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    response = wizard_post(client, enrollment, "profile", {k: TEN_KB for k in PROFILE})
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not PracticeProfile.objects.exists()
    signup = Client(raise_request_exception=False).post(reverse("accounts:signup"), {
        "email": TEN_KB + "@x.example", "first_name": TEN_KB, "last_name": TEN_KB, "password1": TEN_KB, "password2": TEN_KB})
    assert signup.status_code == 200 and not User.objects.filter(first_name=TEN_KB).exists()


@pytest.mark.django_db
def test_I1_a_long_user_agent_is_cut_to_its_column_when_signing(enrollment, administrator):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 " + TEN_KB)
    client.force_login(administrator)
    complete_steps(client, enrollment, "baa")
    assert len(Signature.objects.get(document="baa").user_agent) == 500


@pytest.mark.django_db
def test_I1_an_oversized_body_or_too_many_fields_is_refused_with_400(settings):
    client = Client(raise_request_exception=False)
    big = client.post(reverse("accounts:login"), {"username": "a@b.example", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert big.status_code == 400
    many = client.post(reverse("accounts:login"), {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert many.status_code == 400


# I3: real-world names ---------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_I3_real_world_names_round_trip_exactly_through_postgresql(enrollment, administrator, name):
    client = Client()
    client.force_login(administrator)
    response = wizard_post(client, enrollment, "profile", PROFILE | {"last_name": name, "practice_name": f"{name} Physical Therapy", "city": name})
    assert response.status_code == 302, response.context and response.context["form"].errors
    with connection.cursor() as cursor:  # read back from the server, not from any Python-side cache
        cursor.execute("SELECT last_name, practice_name, city FROM onboarding_practiceprofile WHERE enrollment_id = %s", [enrollment.pk])
        assert cursor.fetchone() == (name, f"{name} Physical Therapy", name)
    signup = Client().post(reverse("accounts:signup"), {"email": "grace@other.example", "first_name": name, "last_name": name,
                                                        "password1": "tulips in the rain at noon", "password2": "tulips in the rain at noon"})
    assert signup.status_code == 302


@pytest.mark.django_db
def test_I3_names_in_emails_are_written_as_typed(db):
    practice = Practice.objects.create(name="O’Brien & O'Neil Smith-Jones PT", top_level_admin_email="mips-admin@webpt.example")
    designation = Designation.objects.create(practice=practice, email="ada@obrien.example")
    assert invitation_send(designation=designation)
    (message,) = mail.outbox
    assert "O’Brien & O'Neil Smith-Jones PT" in message.body and "&amp;" not in message.body and "&#x27;" not in message.body


# I4: HTML in names ------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_I4_html_in_names_is_stored_verbatim_and_shown_escaped_in_the_wizard_and_summary(enrollment, administrator, hostile):
    client = Client()
    client.force_login(administrator)
    complete_steps(client, enrollment, "waiver")  # submitted under the usual names; now check each page with hostile ones
    PracticeProfile.objects.filter(enrollment=enrollment).update(practice_name=hostile, city=hostile, job_title=hostile)
    Practice.objects.filter(pk=enrollment.practice_id).update(name=hostile)
    assert PracticeProfile.objects.get().practice_name == hostile
    pages = [client.get(reverse("onboarding:summary", args=[2021, enrollment.practice_id])),
             client.get(reverse("practices:dashboard", args=[2021, enrollment.practice_id])),
             client.get(reverse("practices:year", args=[2021]))]
    for page in pages:
        content = page.content.decode()
        assert page.status_code == 200 and hostile not in content and "<img src=x" not in content and "<script>alert" not in content
    assert "&lt;" in pages[0].content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_I4_html_in_a_name_typed_in_the_wizard_is_escaped_when_the_step_is_shown_again(enrollment, administrator, hostile):
    client = Client()
    client.force_login(administrator)
    assert wizard_post(client, enrollment, "profile", PROFILE | {"practice_name": hostile, "city": hostile}).status_code == 302
    assert PracticeProfile.objects.get().practice_name == hostile
    content = client.get(step_url(enrollment, "profile")).content.decode()
    assert hostile not in content and "<img src=x" not in content and "<script>alert" not in content


@pytest.mark.django_db
def test_I4_emails_are_plain_text_so_html_in_a_name_is_never_run(db):
    practice = Practice.objects.create(name=HOSTILE[0], top_level_admin_email="mips-admin@webpt.example")
    invitation_send(designation=Designation.objects.create(practice=practice, email="ada@x.example"))
    (message,) = mail.outbox
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert HOSTILE[0] in message.body  # verbatim text in a text/plain body: shown, never interpreted


def _project_files(pattern: str):
    skip = {".venv", "node_modules", "staticfiles", "tests", "migrations", "bench"}
    return [p for p in ROOT.rglob(pattern) if not skip & set(p.relative_to(ROOT).parts)]


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            yield node, func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_I4_mark_safe_and_format_html_are_never_given_user_data():
    """mark_safe and SafeString are not used at all; format_html only with a constant format string (it escapes
    the arguments); templates never use |safe or turn autoescaping off. The one place that renders without
    escaping is plain-text email (mips_portal/mail.py), which no client interprets as HTML."""
    problems = []
    for path in _project_files("*.py"):
        source = path.read_text(encoding="utf-8")
        for node, name in _calls(ast.parse(source)):
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in {"mark_safe", "SafeString", "SafeText", "mark_for_escaping"}:
                problems.append(where)
            if name in {"format_html", "format_html_join"} and not (node.args and isinstance(node.args[0], ast.Constant)):
                problems.append(where)
        if "autoescape=False" in source and path.relative_to(ROOT).as_posix() != "mips_portal/mail.py":
            problems.append(f"{path.relative_to(ROOT)}: autoescape=False")
    for path in _project_files("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|autoescape\s+off|\|\s*safeseq", text):
            problems.append(str(path.relative_to(ROOT)))
    assert problems == []


# I5: SQL metacharacters -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_I5_sql_metacharacters_are_stored_verbatim_and_harmless(enrollment, administrator):
    client = Client()
    client.force_login(administrator)
    response = wizard_post(client, enrollment, "profile", PROFILE | {"practice_name": SQL[0], "city": SQL[1], "job_title": "Robert'); --"})
    assert response.status_code == 302
    profile = PracticeProfile.objects.get()
    assert (profile.practice_name, profile.city, profile.job_title) == (SQL[0], SQL[1], "Robert'); --")
    assert PracticeProfile.objects.count() == 1 and User.objects.count() == 1


# Every SQL string built with Python formatting, and why each interpolated piece is not user data.
SQL_INTERPOLATION_ALLOWED = {
    "emr/loader.py": {
        "names.new": "emr_measureevent_e<int enrollment id>_<hex of a UUID>: digits and hex only (_Names.for_load)",
        "names.new_key": "names.new + '_pkey'", "names.partition": "emr_measureevent_e<int enrollment id>",
        "names.partition_key": "names.partition + '_pkey'", "PARENT_TABLE": "a module constant",
        "enrollment_id": "int(enrollment_id) on the line before", "int(enrollment_id)": "an int",
        "table": "every caller passes names.new", "', '.join(COPY_COLUMNS)": "a module constant tuple of column names",
    },
}
SQL_VARIABLES_ALLOWED = {("emr/loader.py", "add_key"): "built above from names.new and names.new_key only"}
SQL_CALLS = {"execute", "executemany", "copy_expert", "copy_from", "raw", "extra", "RawSQL"}


def test_I5_no_sql_is_built_from_non_constant_data():
    problems = []
    for path in _project_files("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        for node, name in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in SQL_CALLS or not node.args:
                continue
            sql = node.args[0]
            where = f"{relative}:{node.lineno}"
            if isinstance(sql, ast.Constant):
                continue
            if isinstance(sql, ast.Name):
                if (relative, sql.id) not in SQL_VARIABLES_ALLOWED:
                    problems.append(f"{where} SQL in variable {sql.id}")
            elif isinstance(sql, ast.JoinedStr):
                allowed = SQL_INTERPOLATION_ALLOWED.get(relative, {})
                for part in sql.values:
                    if isinstance(part, ast.FormattedValue) and ast.unparse(part.value) not in allowed:
                        problems.append(f"{where} interpolates {ast.unparse(part.value)}")
            else:  # "..." % x, "...".format(x), concatenation
                problems.append(f"{where} {ast.unparse(sql)[:60]}")
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_I1_a_10_kb_username_on_either_sign_in_page_is_a_form_error_not_a_500(path):
    response = Client(raise_request_exception=False).post(path, {"username": TEN_KB + "@x.example", "password": TEN_KB})
    assert response.status_code == 200 and "at most 254 characters" in response.content.decode()


# I7, I8: identifiers as typed -------------------------------------------------------------------------------

def _profile(**changes):
    return PracticeProfileForm(data={f"p-{k}": v for k, v in (PROFILE | changes).items()}, prefix="p")


@pytest.mark.django_db
@pytest.mark.parametrize(("npi", "valid"), [("1234567893", True), ("1234567890", False), ("3234567893", False),
                                            ("123456789", False), ("12345678930", False), ("12345678a3", False)])
def test_I7_npi_is_ten_digits_from_1_or_2_with_the_luhn_check_over_80840(npi, valid):
    form = _profile(group_npi=npi)
    assert form.is_valid() == valid, form.errors
    assert ("group_npi" in form.errors) != valid


@pytest.mark.django_db
def test_I8_phone_numbers_in_any_common_layout_become_one_e164_number_and_junk_is_refused():
    for typed in ("(602) 555-1234", "602.555.1234", "+1 602 555 1234", "602-555-1234", "1 (602) 555 1234"):
        form = _profile(phone=typed)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["phone"] == "+16025551234"
    for junk in ("602-555-12", "602-FLOWERS", "555-1234", "+44 20 7946 0958"):
        assert "phone" in _profile(phone=junk).errors, junk
    assert _profile(phone_extension="1234").is_valid() and "phone_extension" in _profile(phone_extension="12a").errors
