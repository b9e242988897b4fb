"""Each step form on its own: a table of valid and invalid inputs, asserting the error codes users get."""

import pytest

from onboarding.documents import document_render
from onboarding.forms import BaaForm, PiSurveyForm, PracticeProfileForm, SmallPracticeForm, TinForm, WaiverForm
from onboarding.tests.helpers import PROFILE, baa_data, waiver_data


def profile_form(**changes):
    return PracticeProfileForm(data={f"profile-{k}": v for k, v in (PROFILE | changes).items()}, prefix="profile")


def codes(form, field):
    return [e.code for e in form.errors.as_data().get(field, [])]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"first_name": ""}, "first_name", "required"),
    ({"last_name": ""}, "last_name", "required"),
    ({"practice_name": ""}, "practice_name", "required"),
    ({"address_line1": ""}, "address_line1", "required"),
    ({"city": ""}, "city", "required"),
    ({"state": "ZZ"}, "state", "invalid_choice"),
    ({"zip_code": "8500"}, "zip_code", "zip"),
    ({"zip_code": "85001-12"}, "zip_code", "zip"),
    ({"zip_code": "ABCDE"}, "zip_code", "zip"),
    ({"phone": "555-1234"}, "phone", "phone"),
    ({"phone": "1-800-FLOWERS"}, "phone", "phone"),
    ({"phone": "+44 20 7946 0958"}, "phone", "phone"),
    ({"phone_extension": "12a"}, "phone_extension", "extension"),
    ({"specialty": ""}, "specialty", "required"),
    ({"specialty": "astrology"}, "specialty", "invalid_choice"),
    ({"group_npi": "1234567890"}, "group_npi", "npi"),
    ({"group_npi": "323456789"}, "group_npi", "npi"),
    ({"uses_ehr": ""}, "uses_ehr", "required"),
    ({"uses_ehr": "True", "ehr_vendor": ""}, "ehr_vendor", "vendor_required"),
    ({"ehr_vendor": "other", "ehr_vendor_other": ""}, "ehr_vendor_other", "vendor_other_required"),
    ({"is_rural": ""}, "is_rural", "required"),
    ({"is_hpsa": ""}, "is_hpsa", "required"),
    ({"in_apm": ""}, "in_apm", "required"),
    ({"reporting_as": "team"}, "reporting_as", "invalid_choice"),
    ({"shares_deidentified_data": ""}, "shares_deidentified_data", "required"),
    ({"first_name": "Ada\u202e"}, "first_name", "control_characters"),
    ({"last_name": "Love\u200blace"}, "last_name", "control_characters"),
    ({"city": "x" * 101}, "city", "max_length"),
])
def test_profile_rejects(changes, field, code):
    form = profile_form(**changes)
    assert not form.is_valid()
    assert code in codes(form, field), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "expected"), [
    ({}, {"phone": "+16025551234", "zip_code": "85001", "group_npi": "1234567893"}),
    ({"phone": "602.555.1234"}, {"phone": "+16025551234"}),
    ({"phone": "+1 602 555 1234"}, {"phone": "+16025551234"}),
    ({"zip_code": "850011234"}, {"zip_code": "85001-1234"}),
    ({"group_npi": ""}, {"group_npi": ""}),
    ({"group_npi": "1558598797"}, {"group_npi": "1558598797"}),
    ({"uses_ehr": "False", "ehr_vendor": "webpt"}, {"ehr_vendor": ""}),
    ({"ehr_vendor": "other", "ehr_vendor_other": "Homegrown EMR"}, {"ehr_vendor_other": "Homegrown EMR"}),
    ({"first_name": "Nguyễn", "last_name": "O’Brien-李"}, {"first_name": "Nguyễn", "last_name": "O’Brien-李"}),
    ({"practice_name": '<script>alert(1)</script> & "Sons"'}, {"practice_name": '<script>alert(1)</script> & "Sons"'}),
    ({"state": "PR"}, {"state": "PR"}),
    ({"state": "DC"}, {"state": "DC"}),
])
def test_profile_accepts_and_normalises(changes, expected):
    form = profile_form(**changes)
    assert form.is_valid(), form.errors
    for name, value in expected.items():
        assert form.cleaned_data[name] == value


@pytest.mark.parametrize(("data", "valid", "code"), [
    ({"is_small": "True"}, True, None),
    ({"is_small": "False"}, True, None),
    ({"is_small": "True", "clinician_count": "15"}, True, None),
    ({"is_small": "False", "clinician_count": "16"}, True, None),
    ({"is_small": "True", "clinician_count": "16"}, False, "count_disagrees"),
    ({"is_small": "False", "clinician_count": "15"}, False, "count_disagrees"),
    ({"is_small": "True", "clinician_count": "0"}, False, "count_min"),
    ({"is_small": "True", "clinician_count": "-3"}, False, None),
    ({}, False, "required"),
])
@pytest.mark.django_db
def test_small_practice(data, valid, code):
    form = SmallPracticeForm(data={f"s-{k}": v for k, v in data.items()}, prefix="s")
    assert form.is_valid() == valid, form.errors
    if code:
        assert code in [e.code for errors in form.errors.as_data().values() for e in errors]


SURVEY = {"uses_cehrt": "False", "hospital_based": "False", "pi_not_applicable_type": "True", "reports_through_other_entity": "False"}


@pytest.mark.parametrize(("answers", "action", "valid"), [
    (SURVEY, "save", True),                                           # saving without the follow-up is fine
    (SURVEY, "continue", False),                                      # continuing needs it
    (SURVEY | {"reweight_to_zero": "True"}, "continue", True),
    (SURVEY | {"reweight_to_zero": "False"}, "continue", True),
    (SURVEY | {"pi_not_applicable_type": "False"}, "continue", True),  # no follow-up when not qualified
    ({k: v for k, v in SURVEY.items() if k != "hospital_based"}, "save", False),
])
def test_pi_survey(answers, action, valid):
    form = PiSurveyForm(data={f"p-{k}": v for k, v in answers.items()}, prefix="p", action=action)
    assert form.is_valid() == valid, form.errors


def test_pi_followup_answer_is_dropped_when_answers_do_not_qualify():
    form = PiSurveyForm(data={f"p-{k}": v for k, v in (SURVEY | {"pi_not_applicable_type": "False", "reweight_to_zero": "True"}).items()}, prefix="p")
    assert form.is_valid()
    assert form.cleaned_data["reweight_to_zero"] is None


def tin_form(**data):
    return TinForm(data={f"t-{k}": v for k, v in ({"tin_type": "ein"} | data).items()}, prefix="t")


@pytest.mark.parametrize(("tin", "confirm"), [("12-3456789", "123456789"), ("123456789", "12 345 6789"), ("46-1234567", "46-1234567")])
def test_I6_tin_formatting_differences_pass(tin, confirm):
    form = tin_form(tin=tin, tin_confirm=confirm)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tin"] == tin.replace("-", "").replace(" ", "")


def test_I6_tin_mismatch_is_reported_on_the_confirm_box():
    form = tin_form(tin="12-3456789", tin_confirm="12-3456780")
    assert codes(form, "tin_confirm") == ["tin_mismatch"]


@pytest.mark.parametrize("tin", ["1234567", "1234567890", "12-345678A", "ab-cdefghi"])
def test_I6_tin_must_be_nine_digits(tin):
    assert codes(tin_form(tin=tin, tin_confirm=tin), "tin") == ["tin_format"]


@pytest.mark.parametrize("prefix", "00 07 08 09 17 18 19 28 29 49 69 70 78 79 89 96 97".split())
def test_I6_every_invalid_ein_prefix_is_rejected(prefix):
    tin = prefix + "1234567"
    assert codes(tin_form(tin=tin, tin_confirm=tin), "tin") == ["tin_invalid"]


@pytest.mark.parametrize(("ssn", "valid"), [
    ("123-45-6789", True), ("000-12-3456", False), ("666-12-3456", False), ("900-12-3456", False),
    ("999-12-3456", False), ("123-00-4567", False), ("123-45-0000", False), ("078-05-1120", False),
])
def test_I6_ssn_rules(ssn, valid):
    form = TinForm(data={"t-tin_type": "ssn", "t-tin": ssn, "t-tin_confirm": ssn}, prefix="t")
    assert form.is_valid() == valid, form.errors


def test_baa_needs_every_field_and_the_consent():
    rendered = document_render("baa", covered_entity="Sunrise Physical Therapy")
    form = BaaForm(data={}, prefix="b", rendered=rendered)
    assert set(form.errors) == {"covered_entity", "signer_name", "signer_title", "consent", "shown_sha256"}
    data = {f"b-{k}": v for k, v in baa_data().items()}
    assert BaaForm(data=data, prefix="b", rendered=rendered).is_valid()


def test_R11_signature_refused_when_the_document_changed_since_it_was_shown():
    rendered = document_render("baa", covered_entity="Sunrise Physical Therapy")
    data = {f"b-{k}": v for k, v in (baa_data() | {"shown_sha256": "0" * 64}).items()}
    form = BaaForm(data=data, prefix="b", rendered=rendered)
    assert codes(form, "shown_sha256") == ["document_changed"]


def waiver_form(holder=("Ada", "Lovelace"), **changes):
    rendered = document_render("waiver", practice_name="Sunrise Physical Therapy", year=2021)
    data = waiver_data() | changes
    return WaiverForm(data={f"w-{k}": v for k, v in data.items()}, prefix="w", rendered=rendered,
                      holder_first=holder[0], holder_last=holder[1])


@pytest.mark.parametrize(("holder", "typed_first", "typed_last", "initials", "valid"), [
    (("Ada", "Lovelace"), "Ada", "Lovelace", "AL", True),
    (("Ada", "Lovelace"), "  ada ", "LOVELACE", "al", True),              # case and spacing ignored
    (("Ada", "Lovelace"), "Ada", "Lovelace", "A.L.", True),              # dots ignored
    (("Seán", "O’Brien"), "SEÁN", "O'Brien", "SO", True),                # ’ ≡ '
    (("Mary Ann", "Smith-Jones"), "Mary  Ann", "Smith-Jones", "MASJ", True),
    (("Mary Ann", "Smith-Jones"), "Mary Ann", "Smith-Jones", "MS", True),
    (("Ｊｏｅ", "Doe"), "Joe", "Doe", "JD", True),                          # NFKC: full-width letters
    (("Ada", "Lovelace"), "Ada", "Byron", "AL", False),                  # wrong last name
    (("Ada", "Lovelace"), "Ada", "Lovelace", "AB", False),               # wrong initials
    (("Ada", "Lovelace"), "Adah", "Lovelace", "AL", False),
    (("Mary Ann", "Smith-Jones"), "Mary", "Smith-Jones", "MS", False),   # first name incomplete
])
def test_I9_waiver_name_and_initials_matching(holder, typed_first, typed_last, initials, valid):
    form = waiver_form(holder, first_name=typed_first, last_name=typed_last,
                       **{f"initials_{n}": initials for n in "12345"})
    assert form.is_valid() == valid, form.errors


def test_I9_waiver_reports_each_clause_whose_initials_do_not_match():
    form = waiver_form(initials_2="XX", initials_4="")
    assert codes(form, "initials_2") == ["initials_mismatch"]
    assert codes(form, "initials_4") == ["required"]
    assert "initials_1" not in form.errors
    assert "(AL)" in form.errors["initials_2"][0]


def test_waiver_has_an_initials_box_for_each_of_at_least_four_clauses_in_order():
    form = waiver_form()
    names = [f.name for f in form.initials_fields]
    assert len(names) >= 4 and names == sorted(names)
    assert list(form.fields)[: len(names)] == names


@pytest.mark.django_db
def test_required_messages_say_what_to_do_and_keep_acronyms():
    form = profile_form(zip_code="", state="", city="")
    assert form.errors["zip_code"] == ["Enter ZIP code."]
    assert form.errors["state"] == ["Choose state or territory."]
    assert form.errors["city"] == ["Enter city."]
