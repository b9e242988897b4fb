from emr.rules import VALID_MEASURE_IDS, npi_check_digit, npi_is_valid, year_dates


def test_npi_check_digit_matches_the_worked_example():
    assert npi_check_digit("123456789") == 3


def test_npi_with_a_correct_check_digit_is_valid():
    assert npi_is_valid("1234567893")
    assert npi_is_valid("1558598797")


def test_npi_with_a_wrong_check_digit_or_shape_is_invalid():
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")
    assert not npi_is_valid("12345678931")
    assert not npi_is_valid("12345678a3")
    assert not npi_is_valid("１２３４５６７８９３")  # full-width digits are digits to str.isdigit


def test_year_dates_hold_every_day_and_only_that_year():
    assert len(year_dates(2021)) == 365
    assert len(year_dates(2024)) == 366
    assert "2024-02-29" in year_dates(2024) and "2021-02-29" not in year_dates(2021)
    assert "2020-12-31" not in year_dates(2021)


def test_measure_list_is_the_pt_ot_and_slp_sets():
    assert VALID_MEASURE_IDS == {"126", "127", "128", "130", "134", "154", "155", "181", "182", "217", "218", "219",
                                 "220", "221", "222", "226", "281", "283", "286", "288", "318", "478"}
