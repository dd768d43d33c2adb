"""Age groups as unions of Paavo's age bands, their population, and the startup check."""

import pytest

from osallistu.core.age_groups import (
    DEFAULT_AGE_GROUPS,
    UNKNOWN,
    AgeGroup,
    AgeGroupError,
    age_group_choices,
    age_group_label,
    configured_age_groups,
    parse_age_groups,
    population_by_age_group,
    regroup_counts,
)
from osallistu.events.checks import check_age_groups

# Statistics Finland, Paavo 2024 (CC BY 4.0): the HE age bands of postal area 70150 Neulamäki.
NEULAMAKI_AGES = {
    "he_vakiy": 5373,
    "he_0_2": 101, "he_3_6": 157, "he_7_12": 262, "he_13_15": 123, "he_16_17": 98,
    "he_18_19": 141, "he_20_24": 657, "he_25_29": 565, "he_30_34": 532, "he_35_39": 453,
    "he_40_44": 385, "he_45_49": 240, "he_50_54": 196, "he_55_59": 237, "he_60_64": 298,
    "he_65_69": 316, "he_70_74": 313, "he_75_79": 217, "he_80_84": 52, "he_85_": 30,
}  # fmt: skip


def test_default_groups_keys():
    groups = parse_age_groups(DEFAULT_AGE_GROUPS)

    assert [group.key for group in groups] == ["0-12", "13-17", "18-29", "30-64", "65+"]


def test_group_paavo_fields():
    child, *_rest, oldest = parse_age_groups(DEFAULT_AGE_GROUPS)

    assert child.paavo_fields == ("he_0_2", "he_3_6", "he_7_12")
    assert oldest.paavo_fields == ("he_65_69", "he_70_74", "he_75_79", "he_80_84", "he_85_")


def test_every_band_in_one_group():
    groups = parse_age_groups(DEFAULT_AGE_GROUPS)

    fields = [field for group in groups for field in group.paavo_fields]

    assert len(fields) == len(set(fields)) == 20


def test_single_open_group_valid():
    assert parse_age_groups([(0, None)]) == (AgeGroup(0, None),)


def test_lists_accepted():
    assert parse_age_groups([[0, 17], [18, None]])[1] == AgeGroup(18, None)


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ([], "at least one"),
        (None, "list of (first age, last age) pairs"),
        ([(0, 12, 1), (13, None)], "must be a (first age, last age) pair"),
        ([(1, 12), (13, None)], "must start at 0"),
        ([(0, 12), (14, None)], "must start at 13"),
        ([(0, 12), (10, None)], "must start at 13"),
        ([(0, 10), (11, None)], "not the last age of a Paavo age band"),
        ([(0, 12), (13, 17), (18, 21), (22, None)], "not the last age of a Paavo age band"),
        ([(0, 12), (13, 64)], "must have None as its last age"),
        ([(0, None), (13, None)], "must be the last group"),
        ([(0, 12), (13, "17"), (18, None)], "neither a whole number nor None"),
        ([("0", 12), (13, None)], "not a whole number"),
        ([(0, 12), (13, 9)], "before it starts"),
        ([(0, 90)], "not the last age of a Paavo age band"),
    ],
)
def test_invalid_groups_rejected(spec, fragment):
    with pytest.raises(AgeGroupError) as error:
        parse_age_groups(spec)

    assert fragment in str(error.value)


def test_population_sums_bands():
    population = population_by_age_group(NEULAMAKI_AGES, parse_age_groups(DEFAULT_AGE_GROUPS))

    assert population == {
        "0-12": 101 + 157 + 262,
        "13-17": 123 + 98,
        "18-29": 141 + 657 + 565,
        "30-64": 532 + 453 + 385 + 240 + 196 + 237 + 298,
        "65+": 316 + 313 + 217 + 52 + 30,
    }
    assert sum(population.values()) == NEULAMAKI_AGES["he_vakiy"]


def test_population_missing_band_is_none():
    values = {**NEULAMAKI_AGES, "he_16_17": None}
    del values["he_85_"]

    population = population_by_age_group(values, parse_age_groups(DEFAULT_AGE_GROUPS))

    assert population["13-17"] is None
    assert population["65+"] is None
    assert population["0-12"] == 520


def test_regroup_into_coarser_groups():
    groups = parse_age_groups([(0, 17), (18, 64), (65, None)])

    totals, not_comparable = regroup_counts(
        {"0-12": 3, "13-17": 2, "30-64": 5, "65+": 1, UNKNOWN: 4}, groups
    )

    assert totals == {"0-17": 5, "18-64": 5, "65+": 1, UNKNOWN: 4}
    assert not_comparable == 0


def test_regroup_spanning_count_apart():
    groups = parse_age_groups(DEFAULT_AGE_GROUPS)

    totals, not_comparable = regroup_counts({"0-17": 6, "30-64": 2, "bogus": 1}, groups)

    assert totals["0-12"] == 0
    assert totals["30-64"] == 2
    assert not_comparable == 7


def test_configured_default(settings):
    del settings.OSALLISTU_AGE_GROUPS

    assert configured_age_groups() == parse_age_groups(DEFAULT_AGE_GROUPS)


def test_configured_setting(settings):
    settings.OSALLISTU_AGE_GROUPS = [(0, 17), (18, None)]

    assert [group.key for group in configured_age_groups()] == ["0-17", "18+"]
    assert [key for key, _label in age_group_choices()] == ["0-17", "18+", UNKNOWN]


def test_labels():
    assert age_group_label("13-17") == "13–17 years"
    assert age_group_label("65+") == "65 years or older"
    assert age_group_label(UNKNOWN) == "Age unknown"


def test_check_accepts_default(settings):
    del settings.OSALLISTU_AGE_GROUPS

    assert check_age_groups() == []


def test_check_reports_bad_setting(settings):
    settings.OSALLISTU_AGE_GROUPS = [(0, 10), (11, None)]

    [error] = check_age_groups()

    assert error.id == "events.E001"
    assert "ends at 10" in error.msg


def test_check_registered(settings):
    from django.core import checks

    settings.OSALLISTU_AGE_GROUPS = [(0, 12), (14, None)]

    ids = [message.id for message in checks.run_checks()]

    assert "events.E001" in ids
