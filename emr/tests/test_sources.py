"""The file source: where the export is, and what it says when it is missing or unreadable (never the TIN)."""

import pytest

from emr.sources import FileExportSource, SourceDataError, source_for
from emr.tests.conftest import TIN, good_row, write_export


def test_files_are_the_csv_files_of_the_tin_and_year_in_name_order(enrollment, export_dir):
    write_export(export_dir, "b.csv", [good_row("E2")])
    write_export(export_dir, "a.csv", [good_row("E1"), good_row("E3")])
    write_export(export_dir, "other-year.csv", [good_row("E4")], year=2022)
    (export_dir / TIN / "2021" / "notes.txt").write_text("not part of the export")
    source = source_for(enrollment)
    files = source.files()
    assert isinstance(source, FileExportSource)
    assert [f.name for f in files] == ["a.csv", "b.csv"]
    assert source.row_total(files) == 3


def test_a_missing_export_directory_is_a_data_error_without_the_tin(enrollment, export_dir):
    with pytest.raises(SourceDataError) as error:
        source_for(enrollment).files()
    assert "No export from WebPT was found for this practice and 2021" in str(error.value)
    assert TIN not in str(error.value)


def test_a_directory_without_csv_files_is_a_data_error(enrollment, export_dir):
    (export_dir / TIN / "2021").mkdir(parents=True)
    with pytest.raises(SourceDataError, match="contains no CSV files"):
        source_for(enrollment).files()


def test_a_file_that_cannot_be_opened_is_a_data_error_naming_the_file_not_the_path(enrollment, export_dir):
    directory = export_dir / TIN / "2021"
    directory.mkdir(parents=True)
    (directory / "gone.csv").symlink_to(directory / "nowhere.csv")
    [file] = source_for(enrollment).files()
    with pytest.raises(SourceDataError) as error:
        file.open()
    assert str(error.value) == "The file gone.csv could not be opened (no such file or directory)."


def test_a_tin_in_a_file_name_is_masked(enrollment, export_dir):
    write_export(export_dir, f"export-{TIN}-q1.csv", [good_row("E1")])
    [file] = source_for(enrollment).files()
    assert file.name == "export-*********-q1.csv"


def test_the_source_class_comes_from_settings(enrollment, settings):
    settings.EMR_SOURCE = "emr.tests.test_sources.StubSource"
    assert isinstance(source_for(enrollment), StubSource)


class StubSource(FileExportSource):
    pass
