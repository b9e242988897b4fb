"""The CSV export: the selected set-ups, TIN masked, every cell safe from spreadsheet formula injection."""

import csv
import io

import pytest
from django.urls import reverse

from staff.export import csv_cell
from staff.tests.helpers import setup_in_status

CHANGELIST = reverse("admin:practices_enrollment_changelist")


@pytest.mark.parametrize(("value", "cell"), [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("Sunrise PT", "Sunrise PT"), ("a=b", "a=b"), ("", ""), (None, ""),
    (True, "Yes"), (False, "No"), (2021, "2021"), ("**-***4567", "**-***4567"),
])
def test_csv_cell_quotes_what_a_spreadsheet_would_run(value, cell):
    assert csv_cell(value) == cell


def export(client, enrollments):
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [e.pk for e in enrollments], "index": "0"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="set-ups-')
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_D1_export_holds_the_selected_set_ups_with_masked_tin_and_escaped_names(support_client, administrator):
    formula = setup_in_status("loaded", administrator=administrator, name='=HYPERLINK("x")', tin="46-1234567")
    script = setup_in_status("invited", administrator=administrator, name="<script>alert(1)</script>")
    setup_in_status("not_invited", administrator=administrator, name="Not selected PT")
    text = export(support_client, [formula, script])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Practice", "Year", "Status", "Administrator email", "Small practice", "PI exempt", "Cost exempt", "TIN",
                       "Submitted at", "Loaded at"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {'\'=HYPERLINK("x")', "<script>alert(1)</script>"}
    loaded = by_name['\'=HYPERLINK("x")']
    assert loaded[1:8] == ["2021", "Loaded", "ada@sunrise-pt.example", "Yes", "Yes", "Yes", "**-***4567"]
    assert loaded[8] and loaded[9]
    assert by_name["<script>alert(1)</script>"][2:8] == ["Invited", "invited@sunrise-pt.example", "", "", "", "—"]
    assert "461234567" not in text and "46-1234567" not in text
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.django_db
def test_export_of_an_in_progress_set_up_names_the_step(support_client, administrator):
    progressing = setup_in_status("in_progress", administrator=administrator, upto="exemptions")
    rows = list(csv.reader(io.StringIO(export(support_client, [progressing]))))
    assert rows[1][2] == "In progress, step 5 of 7: TIN / EIN"
