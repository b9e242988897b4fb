"""The export reader: good rows become COPY data with file and line, bad rows are counted with line and reason."""

import csv
import io

import pytest

from emr import parsing
from emr.parsing import ExportReader, LoadTally
from emr.sources import ExportFile, SourceDataError
from emr.tests.conftest import NPI, OTHER_NPI, good_row, write_export


def read(files, year=2021):
    tally = LoadTally(keep=100)
    data = b"".join(ExportReader(year=year, tally=tally).chunks(files)).decode()
    return list(csv.reader(io.StringIO(data))), tally


def export(tmp_path, rows, name="a.csv", **kwargs):
    path = write_export(tmp_path, name, rows, **kwargs)
    return ExportFile(name=name, path=path)


def reasons(tally):
    return [(r.file_name, r.line, r.reason) for r in tally.rejected]


def test_good_rows_become_copy_rows_with_file_number_and_line(tmp_path):
    first = export(tmp_path, [good_row("E1"), good_row("E1", "130")], name="a.csv")
    second = export(tmp_path, [good_row("E2", outcome="not_reported")], name="b.csv")
    rows, tally = read([first, second])
    assert rows == [
        ["0", "2", *good_row("E1")], ["0", "3", *good_row("E1", "130")], ["1", "2", *good_row("E2", outcome="not_reported")],
    ]
    assert (tally.rows, tally.bad) == (3, 0)


@pytest.mark.parametrize(("row", "reason"), [
    (good_row("E1", npi="1234567890"), "clinician_npi '1234567890' is not a valid NPI"),
    (good_row("E1", date="2020-12-31"), "date_of_service 2020-12-31 is outside the performance year 2021"),
    (good_row("E1", date="2021-02-29"), "date_of_service '2021-02-29' is not a real date"),
    (good_row("E1", date="03/01/2021"), "date_of_service '03/01/2021' is not a date in YYYY-MM-DD form"),
    (good_row("E1", measure="999"), "measure_id '999' is not one of the supported quality measures"),
    (good_row("E1", outcome="met"), "outcome 'met' is not one of"),
    (good_row(""), "encounter_id is empty"),
    (good_row("E1", patient=""), "patient_id is empty"),
    (good_row("E" * 65), "encounter_id is longer than 64 characters"),
    (good_row("E1")[:5], "has 5 columns instead of 6"),
    ([*good_row("E1"), "extra"], "has 7 columns instead of 6"),
])
def test_each_kind_of_bad_row_is_rejected_with_its_line_and_reason(tmp_path, row, reason):
    file = export(tmp_path, [good_row("E0"), row, good_row("E2")])
    rows, tally = read([file])
    assert [r[2] for r in rows] == ["E0", "E2"]
    assert tally.bad == 1
    assert tally.rejected[0].file_name == "a.csv" and tally.rejected[0].line == 3
    assert tally.rejected[0].reason.startswith(reason)


def test_bad_rows_among_many_good_ones_are_all_found(tmp_path, monkeypatch):
    monkeypatch.setattr(parsing, "BLOCK_BYTES", 4096)  # many blocks, each halved around its bad rows
    rows = [good_row(f"E{n:05d}", npi=OTHER_NPI if n % 2 else NPI) for n in range(3000)]
    for n in (5, 700, 701, 2999):
        rows[n] = good_row(f"E{n:05d}", measure="999")
    copied, tally = read([export(tmp_path, rows)])
    assert len(copied) == 2996 and tally.rows == 3000
    assert [r.line for r in tally.rejected] == [7, 702, 703, 3001]


def test_rejected_rows_beyond_the_limit_are_counted_but_not_kept(tmp_path):
    tally = LoadTally(keep=2)
    file = export(tmp_path, [good_row("E1", measure="999")] * 5)
    list(ExportReader(year=2021, tally=tally).chunks([file]))
    assert tally.bad == 5 and len(tally.rejected) == 2


def test_quoted_fields_are_read_as_csv(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('encounter_id,date_of_service,patient_id,clinician_npi,measure_id,outcome\n'
                    f'"E,1",2021-01-04,"PT ""7""",{NPI},182,performance_met\n'
                    f'"E\n2",2021-01-04,PT8,{NPI},182,performance_met\n'
                    f'E3,2021-01-04,PT9,{NPI},999,performance_met\n', encoding="utf-8")
    rows, tally = read([ExportFile(name="q.csv", path=path)])
    assert rows == [["0", "2", "E,1", "2021-01-04", 'PT "7"', NPI, "182", "performance_met"],
                    ["0", "3", "E\n2", "2021-01-04", "PT8", NPI, "182", "performance_met"]]
    assert reasons(tally) == [("q.csv", 5, "measure_id '999' is not one of the supported quality measures")]


def test_columns_may_come_in_any_order(tmp_path):
    header = ["outcome", "measure_id", "clinician_npi", "patient_id", "date_of_service", "encounter_id"]
    file = export(tmp_path, [list(reversed(good_row("E1")))], header=header)
    rows, _ = read([file])
    assert rows == [["0", "2", *good_row("E1")]]


def test_crlf_line_ends_blank_lines_and_a_missing_last_newline_are_fine(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(b"encounter_id,date_of_service,patient_id,clinician_npi,measure_id,outcome\r\n"
                     + f"E1,2021-01-04,PT1,{NPI},182,performance_met\r\n\r\n".encode()
                     + f"E2,2021-01-04,PT1,{NPI},182,performance_met".encode())
    other = export(tmp_path, [good_row("E3")], name="x.csv")
    rows, tally = read([ExportFile(name="w.csv", path=path), other])
    assert [(r[0], r[1], r[2]) for r in rows] == [("0", "2", "E1"), ("0", "4", "E2"), ("1", "2", "E3")]
    assert tally.bad == 0


def test_a_byte_order_mark_before_the_header_is_ignored(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffencounter_id,date_of_service,patient_id,clinician_npi,measure_id,outcome\n".encode()
                     + f"E1,2021-01-04,PT1,{NPI},182,performance_met\n".encode())
    rows, _ = read([ExportFile(name="bom.csv", path=path)])
    assert len(rows) == 1


def test_a_file_that_is_not_utf8_is_a_data_error_naming_file_and_line(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"encounter_id,date_of_service,patient_id,clinician_npi,measure_id,outcome\n"
                     + f"E1,2021-01-04,PT1,{NPI},182,performance_met\n".encode() + b"E2,2021-01-04,P\xe9,x,182,x\n")
    with pytest.raises(SourceDataError, match=r"The file latin.csv is not UTF-8 text"):
        read([ExportFile(name="latin.csv", path=path)])


def test_a_file_without_the_export_header_is_a_data_error(tmp_path):
    file = export(tmp_path, [good_row("E1")], header=["encounter", "date"])
    with pytest.raises(SourceDataError, match="does not start with the export's header row .missing: encounter_id"):
        read([file])


def test_an_empty_file_is_a_data_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceDataError, match="The file empty.csv is empty"):
        read([ExportFile(name="empty.csv", path=path)])


def test_the_fast_and_careful_paths_agree(tmp_path, monkeypatch):
    rows = [good_row(f"E{n}", measure=m, outcome=o, date=d)
            for n, (m, o, d) in enumerate([("182", "performance_met", "2021-01-01"), ("478", "not_reported", "2021-12-31"),
                                           ("130", "denominator_exception", "2021-06-30")])]
    file = export(tmp_path, rows)
    fast, _ = read([file])
    monkeypatch.setattr(parsing.ExportReader, "_unquoted", lambda self, lines, base, file_no, file_name, columns:
                        self._careful(lines, iter(()), base, file_no, file_name, columns)[0])
    careful, _ = read([file])
    assert fast == careful and len(fast) == 3


def test_identical_neighbouring_lines_make_repeats_likely(tmp_path):
    _, clean = read([export(tmp_path, [good_row("E1"), good_row("E2")], name="a.csv")])
    _, repeated = read([export(tmp_path, [good_row("E1"), good_row("E1"), good_row("E2")], name="b.csv")])
    assert not clean.repeats_likely and repeated.repeats_likely
