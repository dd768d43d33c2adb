"""The Paavo CSV parser and its missing-value rules, without a database."""

from pathlib import Path

import pytest

from osallistu.areas import paavo
from tests.areas.conftest import PAAVO_DIR, SAMPLE

HEADER = "postinumeroalue,nimi,kunta,he_vakiy,pt_tyoll,pt_tyott\n"


def parse_sample() -> dict[str, paavo.PaavoRow]:
    parsed = paavo.parse_paavo_csv(SAMPLE.read_bytes())
    return {row.postal_code: row for row in parsed.rows}


def parse_error(text: str) -> paavo.PaavoError:
    with pytest.raises(paavo.PaavoError) as caught:
        paavo.parse_paavo_csv(text.encode())
    return caught.value


def test_float_formatted_integer_becomes_int():
    row = parse_sample()["70100"]
    assert row.values["he_vakiy"] == 12729
    assert isinstance(row.values["he_vakiy"], int)
    assert row.values["te_takk"] == 1.5


def test_minus_one_is_missing():
    row = parse_sample()["70150"]
    assert row.values["pt_tyott"] is None
    assert row.missing_reasons["pt_tyott"] == paavo.SUPPRESSED


def test_three_dots_are_missing():
    row = parse_sample()["70150"]
    assert row.values["hr_mtu"] is None
    assert row.missing_reasons["hr_mtu"] == paavo.SUPPRESSED


def test_empty_cell_is_missing():
    row = parse_sample()["70240"]
    assert row.values["te_vuok_as"] is None
    assert row.missing_reasons["te_vuok_as"] == paavo.SUPPRESSED


def test_zero_average_is_missing():
    row = parse_sample()["70240"]
    assert row.values["hr_mtu"] is None
    assert row.missing_reasons["hr_mtu"] == paavo.ZERO_AVERAGE


# A nonzero field of the same group, so that the whole-group rule does not apply.
SIBLINGS = {"he": "he_0_2", "hr": "hr_pi_tul", "te": "te_yks", "ra": "ra_asunn", "tr": "tr_pi_tul"}


@pytest.mark.parametrize("code", sorted(paavo.AVERAGE_FIELDS))
def test_zero_in_each_average_field_is_missing(code):
    sibling = SIBLINGS[paavo.variable_group(code)]
    text = f"postinumeroalue,he_vakiy,{sibling},{code}\n70100,500,7,0\n70150,500,7,12.5\n"
    rows = paavo.parse_paavo_csv(text).rows
    assert rows[0].values[code] is None
    assert rows[0].missing_reasons[code] == paavo.ZERO_AVERAGE
    assert rows[1].values[code] == 12.5


def test_zero_group_is_missing():
    row = parse_sample()["70240"]
    for code in ("pt_tyoll", "pt_tyott", "pt_elakel"):
        assert row.values[code] is None, code
        assert row.missing_reasons[code] == paavo.ZERO_GROUP, code


def test_zero_group_keeps_nonzero_base_count():
    row = parse_sample()["70240"]
    assert row.values["pt_vakiy"] == 102
    assert "pt_vakiy" not in row.missing_reasons


def test_zero_group_includes_zero_base_count():
    text = "postinumeroalue,he_vakiy,pt_vakiy,pt_tyoll,pt_tyott\n70100,500,0,0,0\n"
    row = paavo.parse_paavo_csv(text).rows[0]
    assert row.values == {"he_vakiy": 500, "pt_vakiy": None, "pt_tyoll": None, "pt_tyott": None}


def test_zero_group_of_uninhabited_area_stays_zero():
    row = parse_sample()["70300"]
    assert row.values["pt_tyott"] == 0
    assert row.values["ko_perus"] == 0
    assert row.values["he_vakiy"] == 0


def test_small_area_he_fields_are_missing():
    row = parse_sample()["70210"]
    for code in ("he_kika", "he_0_2", "he_18_19", "he_25_29"):
        assert row.values[code] is None, code
        assert row.missing_reasons[code] == paavo.SMALL_AREA, code


def test_small_area_keeps_population_and_other_groups():
    row = parse_sample()["70210"]
    assert row.values["he_vakiy"] == 20
    assert row.values["pt_tyott"] == 2
    assert row.values["ko_perus"] == 7


def test_area_of_thirty_is_not_small():
    text = "postinumeroalue,he_vakiy,he_0_2\n70100,30,4\n70150,29,4\n"
    first, second = paavo.parse_paavo_csv(text).rows
    assert first.values["he_0_2"] == 4
    assert second.values["he_0_2"] is None


def test_true_zero_stays_zero():
    row = parse_sample()["70150"]
    assert row.values["ko_yl_kork"] == 0
    assert "ko_yl_kork" not in row.missing_reasons
    row = parse_sample()["70240"]
    assert row.values["he_16_17"] == 0


def test_suppressed_reason_wins_over_later_rules():
    text = "postinumeroalue,he_vakiy,he_kika\n70100,10,-1\n"
    row = paavo.parse_paavo_csv(text).rows[0]
    assert row.missing_reasons == {"he_kika": paavo.SUPPRESSED}


def test_count_missing_by_reason():
    counts = paavo.count_missing(paavo.parse_paavo_csv(SAMPLE.read_bytes()).rows)
    assert set(counts) == set(paavo.MISSING_REASONS)
    # 70150: hr_mtu, pt_tyott; 70240: te_vuok_as; Helsinki: none.
    assert counts[paavo.SUPPRESSED] == 3


def test_byte_order_mark_is_accepted():
    rows = paavo.parse_paavo_csv(b"\xef\xbb\xbf" + SAMPLE.read_bytes()).rows
    assert rows[0].postal_code == "70100"


def test_uppercase_and_spaced_headers_are_accepted():
    rows = paavo.parse_paavo_csv("Postinumeroalue, HE_VAKIY \n70100,12\n").rows
    assert rows[0].values == {"he_vakiy": 12}


def test_other_columns_are_ignored_and_listed():
    parsed = paavo.parse_paavo_csv(SAMPLE.read_bytes())
    assert parsed.ignored_columns == ["namn"]
    assert "namn" not in parsed.rows[0].values


def test_posti_alue_column_is_accepted():
    rows = paavo.parse_paavo_csv("posti_alue,he_vakiy\n70100,12\n").rows
    assert rows[0].postal_code == "70100"


def test_blank_lines_are_skipped():
    rows = paavo.parse_paavo_csv(HEADER + "\n70100,A,297,100,50,5\n\n").rows
    assert [row.line for row in rows] == [3]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (HEADER + "70100,A,297,100,50,5\n70150,B,297,100,x,5\n", 3, "pt_tyoll"),
        (HEADER + "70100,A,297,100,50,5\n70150,B,297,100,50\n", 3, "expected 6 columns"),
        (HEADER + "70100,A,297,100,50,5\n70150,B,297,100,50,5,9\n", 3, "found 7"),
        (HEADER + "7010,A,297,100,50,5\n", 2, "“7010”"),
        (HEADER + "70100.0,A,297,100,50,5\n", 2, "not five digits"),
        (HEADER + "70100,A,297,100,50,5\n70150,B,297,1,1,1\n70100,C,297,1,1,1\n", 4, "line 2"),
        (HEADER + "70100,A,297,100,50,-2\n", 2, "negative"),
        (HEADER + "70100,A,297,100,50,1e3\n", 2, "not a number"),
        (HEADER + "70100,A,297,100,50,nan\n", 2, "not a number"),
        (HEADER + '70100,A,297,100,50,"1,5"\n', 2, "not a number"),
        (HEADER + "70100,A,297,100,50,..\n", 2, "not a number"),
        ("postinumeroalue,nimi,pt_tyott\n70100,A,5\n", 1, "he_vakiy"),
        ("postinumeroalue;nimi;he_vakiy\n70100;A;5\n", 1, "comma-separated"),
        ("nimi,he_vakiy\nA,5\n", 1, "postinumeroalue"),
        ("postinumeroalue,he_vakiy,he_vakiy\n70100,1,1\n", 1, "twice"),
        (HEADER, 2, "no data rows"),
        ("", 1, "empty"),
    ],
)
def test_malformed_file_names_line(text, line, fragment):
    error = parse_error(text)
    assert error.line == line
    assert fragment in str(error)


def test_not_utf8_names_line():
    with pytest.raises(paavo.PaavoError) as caught:
        paavo.parse_paavo_csv((HEADER + "70100,Nilsi\xe4,297,1,1,1\n").encode("latin-1"))
    assert caught.value.line == 2


def test_malformed_row_fixture_names_line_four():
    with pytest.raises(paavo.PaavoError) as caught:
        paavo.parse_paavo_csv((PAAVO_DIR / "paavo_malformed_row.csv").read_bytes())
    assert caught.value.line == 4
    assert "n/a" in str(caught.value)


def test_error_message_is_msgid_with_params():
    error = parse_error(HEADER + "70100,A,297,100,50,x\n")
    assert "%(line)d" in error.message
    assert error.params["column"] == "pt_tyott"


def test_split_by_municipality_code():
    parsed = paavo.parse_paavo_csv(SAMPLE.read_bytes())
    in_scope, skipped = paavo.split_by_municipality(
        parsed, municipality_code="297", municipality_name="Kuopio"
    )
    assert [row.postal_code for row in skipped] == ["00100"]
    assert len(in_scope) == 5


def test_split_by_municipality_code_ignores_leading_zeros():
    parsed = paavo.parse_paavo_csv(SAMPLE.read_bytes())
    in_scope, _skipped = paavo.split_by_municipality(
        parsed, municipality_code="91", municipality_name="Helsinki"
    )
    assert [row.postal_code for row in in_scope] == ["00100"]


def test_split_by_municipality_name_ignores_case():
    parsed = paavo.parse_paavo_csv((PAAVO_DIR / "paavo_municipality_name.csv").read_bytes())
    in_scope, skipped = paavo.split_by_municipality(
        parsed, municipality_code="297", municipality_name="Kuopio"
    )
    assert [row.postal_code for row in in_scope] == ["70100", "70150"]
    assert [row.postal_code for row in skipped] == ["71800"]


def test_file_without_municipality_columns_is_all_in_scope():
    parsed = paavo.parse_paavo_csv((PAAVO_DIR / "paavo_no_municipality.csv").read_bytes())
    in_scope, skipped = paavo.split_by_municipality(
        parsed, municipality_code="297", municipality_name="Kuopio"
    )
    assert len(in_scope) == 2
    assert skipped == []


def test_module_imports_no_django():
    source = Path(paavo.__file__).read_text(encoding="utf-8")
    assert "import django" not in source
    assert "from django" not in source
