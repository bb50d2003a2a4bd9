"""Vietnamese collation and official dates."""

import datetime as dt

from portal.text import long_date, place_date, vi_sorted


def test_vietnamese_letters_sort_after_their_base_letter():
    names = ["Đài Phát thanh", "Ân Thi", "Ăn Uống", "An Thạnh", "Anh Sơn", "Dương Minh Châu", "Ơn", "Ôm", "Oanh"]
    assert vi_sorted(names) == [
        "An Thạnh",
        "Anh Sơn",
        "Ăn Uống",
        "Ân Thi",
        "Dương Minh Châu",
        "Đài Phát thanh",
        "Oanh",
        "Ôm",
        "Ơn",
    ]


def test_tones_break_ties_in_the_official_order():
    # none < huyền < hỏi < ngã < sắc < nặng
    assert vi_sorted(["ma", "mạ", "mã", "má", "mả", "mà"][::-1]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_word_boundary_before_letters_and_case_is_last():
    assert vi_sorted(["Long Khánh", "Long Chữ", "Long", "long", "Lợi Thuận"]) == [
        "long",
        "Long",
        "Long Chữ",
        "Long Khánh",
        "Lợi Thuận",
    ]


def test_long_date_pads_days_and_the_first_two_months():
    assert long_date(dt.date(2021, 12, 5)) == "ngày 05 tháng 12 năm 2021"
    assert long_date(dt.date(2021, 2, 14)) == "ngày 14 tháng 02 năm 2021"
    assert long_date(dt.date(2021, 3, 26)) == "ngày 26 tháng 3 năm 2021"
    assert place_date("Tây Ninh", dt.date(2021, 12, 5)) == "Tây Ninh, ngày 05 tháng 12 năm 2021"
