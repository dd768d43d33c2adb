"""SVG charts: direct labels, patterns, text alternatives and missing values."""

import re

from osallistu.areas import charts


def percent(value: float) -> str:
    return f"{value:.1f} %"


def test_comparison_labels_each_bar():
    chart = charts.comparison_chart(
        "Työttömyysaste, 2024",
        [charts.Series("Testilä", (25.0,)), charts.Series("Kuopio", (12.0,))],
        percent,
        id_prefix="c",
    )

    assert "25.0 %" in chart.svg
    assert "12.0 %" in chart.svg
    assert ">Testilä</text>" in chart.svg
    assert ">Kuopio</text>" in chart.svg
    assert chart.svg.count("<rect x=") == 2


def test_second_series_hatched_not_colour_only():
    chart = charts.comparison_chart(
        "T",
        [charts.Series("A", (1.0,)), charts.Series("B", (2.0,))],
        percent,
        id_prefix="c",
    )

    assert '<pattern id="c-hatch"' in chart.svg
    assert 'fill="url(#c-hatch)"' in chart.svg


def test_comparison_missing_not_zero_bar():
    chart = charts.comparison_chart(
        "T",
        [charts.Series("A", (None,)), charts.Series("B", (2.0,))],
        percent,
        id_prefix="c",
    )

    assert chart.svg.count("<rect x=") == 1
    assert "0.0 %" not in chart.svg
    assert chart.rows == (("T", charts.missing_text(), "2.0 %"),)


def test_chart_text_alternative():
    chart = charts.comparison_chart(
        "T", [charts.Series("A", (1.0,)), charts.Series("B", (2.0,))], percent, id_prefix="c"
    )

    assert 'role="img"' in chart.svg
    assert 'aria-labelledby="c-title c-desc"' in chart.svg
    assert "1.0 %" in chart.description
    assert "2.0 %" in chart.description


def test_trend_breaks_line_at_missing():
    chart = charts.trend_chart(
        "T",
        ["2021", "2022", "2023", "2024"],
        [charts.Series("A", (1.0, None, 3.0, 4.0)), charts.Series("B", (2.0, 2.0, 2.0, 2.0))],
        percent,
        id_prefix="t",
    )

    # A: one segment from 2023 to 2024 only; B: one segment over all four years.
    polylines = re.findall(r'<polyline points="([^"]+)"', chart.svg)
    assert len(polylines) == 2
    assert len(polylines[0].split()) == 2
    assert len(polylines[1].split()) == 4
    assert chart.rows[1] == ("2022", charts.missing_text(), "2.0 %")


def test_trend_shapes_differ_by_series():
    chart = charts.trend_chart(
        "T",
        ["2023", "2024"],
        [charts.Series("A", (1.0, 2.0)), charts.Series("B", (2.0, 3.0))],
        percent,
        id_prefix="t",
    )

    assert chart.svg.count("<circle") == 2
    assert chart.svg.count('width="11" height="11"') == 2
    assert 'stroke-dasharray="8 5"' in chart.svg


def test_trend_grid_ticks_round():
    chart = charts.trend_chart(
        "T",
        ["2023", "2024"],
        [charts.Series("A", (0.0, 37.0)), charts.Series("B", (10.0, 12.0))],
        percent,
        id_prefix="t",
    )

    # The axis reaches 37 % plus a tenth of headroom, so ticks step by 10 up to 50.
    for tick in ("0.0 %", "10.0 %", "20.0 %", "30.0 %", "40.0 %", "50.0 %"):
        assert f">{tick}</text>" in chart.svg
    assert ">5.0 %</text>" not in chart.svg
    assert ">60.0 %</text>" not in chart.svg


def test_trend_end_labels_apart():
    chart = charts.trend_chart(
        "T",
        ["2023", "2024"],
        [charts.Series("Lähiö", (20.0, 22.0)), charts.Series("Kaupunki", (25.0, 22.5))],
        percent,
        id_prefix="t",
    )

    label_y = {
        name: float(y)
        for y, name in re.findall(
            r'<text x="[\d.]+" y="([\d.]+)" fill="[^"]+" [^>]*>(\w+)<', chart.svg
        )
    }
    assert set(label_y) == {"Lähiö", "Kaupunki"}
    assert abs(label_y["Lähiö"] - label_y["Kaupunki"]) >= charts.LABEL_CLEARANCE


def test_trend_points_rounded():
    chart = charts.trend_chart(
        "T", ["2023", "2024"], [charts.Series("A", (1 / 3, 2 / 3))], percent, id_prefix="t"
    )

    points = re.search(r'<polyline points="([^"]+)"', chart.svg).group(1)
    assert re.fullmatch(r"[\d.]+,[\d.]+ [\d.]+,[\d.]+", points)
    assert all(len(number.split(".")[1]) == 1 for number in re.split("[, ]", points))
