"""A rehab practice's realistic set-up answers (the guide's), shared by the tests and the load benchmark.

Plain data with no Django import, so the benchmark's standard-library processes can use it too.
"""

PROFILE = {
    "first_name": "Ada", "last_name": "Lovelace", "job_title": "Clinic director", "practice_name": "Sunrise Physical Therapy",
    "address_line1": "100 Main St", "address_line2": "", "city": "Phoenix", "state": "AZ", "zip_code": "85001",
    "phone": "(602) 555-1234", "phone_extension": "", "specialty": "physical_therapy", "group_npi": "1234567893",
    "uses_ehr": "True", "ehr_vendor": "webpt", "ehr_vendor_other": "", "is_rural": "False", "is_hpsa": "False",
    "in_apm": "False", "reporting_as": "group", "shares_deidentified_data": "True",
}
SMALL = {"is_small": "True", "clinician_count": "8"}
SURVEY = {"uses_cehrt": "False", "hospital_based": "False", "pi_not_applicable_type": "True", "reports_through_other_entity": "False"}
EXEMPTIONS = {"only_using_webpt": "on", "cost_exempt": "on"}
