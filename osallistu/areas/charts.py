"""Server-rendered SVG charts that can be read without colour, each with its data table.

Series differ by fill pattern, line dash and marker shape as well as by colour, and every bar and
line carries its own label, so no legend has to be matched by colour. Each chart is one inline SVG
element with role="img", a <title> and a <desc>; pages repeat the data as a table. No scripts or
fonts are loaded. A missing value is left out of the drawing and named as missing in the texts,
never drawn as 0.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 600
TEXT_COLOR = "#1b1b1b"
GRID_COLOR = "#c9ced3"
BACKGROUND = "#ffffff"
# The first series is drawn solid in dark blue, the second hatched in black on
# white, so that the two differ in greyscale and for every kind of colour vision.
PRIMARY_FILL = "#00558c"
# Vertical distance, in SVG units, below which two line-end labels would overlap.
LABEL_CLEARANCE = 24
FONT = 'font-family="system-ui, sans-serif" font-size="14"'

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """A named row of values, one for each category of the chart, None where missing."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A rendered chart with its text alternative and the data table that repeats it."""

    svg: SafeString
    title: str
    # The SVG's <desc>, a sentence per series that names every value.
    description: str
    # Header row of the data table: the category heading, then one heading for each series.
    columns: tuple[str, ...]
    # Table rows: the category, then the formatted value of each series ("missing" where None).
    rows: tuple[tuple[str, ...], ...]


def missing_text() -> str:
    """Return the word that stands for a missing value in charts and tables."""
    return _("missing")


def comparison_chart(
    title: str,
    series: Sequence[Series],
    format_value: Formatter,
    *,
    id_prefix: str,
    category: str = "",
) -> Chart:
    """Draw one horizontal bar for each series (the first two only) with the value beside each bar.

    Every series has one value, its first. The first bar is solid and the second hatched. Bars
    start at 0, so negative values extend to the left of the axis.
    """
    series = list(series)[:2]
    values = [item.values[0] if item.values else None for item in series]
    known = [value for value in values if value is not None]
    low = min([0.0, *known])
    high = max([0.0, *known]) or 1.0
    label_width = 180
    # Room for a value with its unit, such as "124 212 inhabitants", right of the longest bar.
    value_width = 170
    plot_width = WIDTH - label_width - value_width
    bar_height = 28
    gap = 18
    height = len(series) * (bar_height + gap) + gap

    def to_x(value: float) -> float:
        return label_width + (value - low) / (high - low) * plot_width

    zero_x = to_x(0.0)
    bars = []
    for index, (item, value) in enumerate(zip(series, values, strict=True)):
        y = gap + index * (bar_height + gap)
        text_y = y + bar_height / 2 + 5
        label = format_html(
            '<text x="{}" y="{}" text-anchor="end">{}</text>',
            label_width - 8,
            _coordinate(text_y),
            _shorten(item.label, 22),
        )
        if value is None:
            bars.append(
                label
                + format_html(
                    '<text x="{}" y="{}" font-style="italic">{}</text>',
                    _coordinate(zero_x + 6),
                    _coordinate(text_y),
                    missing_text(),
                )
            )
            continue
        start, end = sorted((zero_x, to_x(value)))
        bars.append(
            label
            + format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" {}/>'
                '<text x="{}" y="{}" font-weight="bold">{}</text>',
                _coordinate(start),
                y,
                _coordinate(max(end - start, 1.0)),
                bar_height,
                _bar_style(index, id_prefix),
                _coordinate(end + 6),
                _coordinate(text_y),
                format_value(value),
            )
        )
    description = " ".join(
        _describe_value(item.label, value, format_value)
        for item, value in zip(series, values, strict=True)
    )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc" class="chart">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        "<defs>{pattern}</defs>"
        '<rect width="{width}" height="{height}" fill="{background}"/>'
        '<line x1="{zero}" y1="4" x2="{zero}" y2="{axis_end}" stroke="{text_color}"/>'
        '<g {font} fill="{text_color}">{bars}</g>'
        "</svg>",
        width=WIDTH,
        height=height,
        prefix=id_prefix,
        title=title,
        description=description,
        pattern=_hatch_pattern(id_prefix),
        background=BACKGROUND,
        zero=_coordinate(zero_x),
        axis_end=height - 4,
        font=SafeString(FONT),
        text_color=TEXT_COLOR,
        bars=SafeString("".join(bars)),
    )
    return Chart(
        svg=svg,
        title=title,
        description=description,
        columns=(category, *(item.label for item in series)),
        rows=((title, *(_table_value(value, format_value) for value in values)),),
    )


def trend_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    format_value: Formatter,
    *,
    id_prefix: str,
    category: str = "",
) -> Chart:
    """Draw a line for each series over the categories (statistics years), named at its end.

    The first series is a solid line with round markers, the second a dashed line with square
    markers. A missing value breaks the line instead of dropping it to 0.
    """
    series = list(series)[:2]
    categories = list(categories)
    known = [value for item in series for value in item.values if value is not None]
    low = min([0.0, *known])
    high = max([0.0, *known]) or 1.0
    # The axis runs from round tick to round tick, with at least a tenth of headroom on top.
    ticks = _ticks(low, high + (high - low) * 0.1)
    low, high = ticks[0], ticks[-1]
    # The left margin fits a tick label with its unit, such as "30 000 €/v".
    left, right, top, bottom = 110, 150, 16, 40
    height = 280
    plot_width = WIDTH - left - right
    plot_height = height - top - bottom
    step = plot_width / max(len(categories) - 1, 1)

    def to_point(index: int, value: float) -> tuple[float, float]:
        x = left + index * step if len(categories) > 1 else left + plot_width / 2
        return x, top + (high - value) / (high - low) * plot_height

    grid = format_html_join(
        "",
        '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{grid}"/>'
        '<text x="{label_x}" y="{text_y}" text-anchor="end">{label}</text>',
        (
            {
                "left": left,
                "right": left + plot_width,
                "y": _coordinate(to_point(0, tick)[1]),
                "grid": GRID_COLOR,
                "label_x": left - 8,
                "text_y": _coordinate(to_point(0, tick)[1] + 5),
                "label": format_value(tick),
            }
            for tick in ticks
        ),
    )
    axis_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_coordinate(to_point(index, low)[0]), height - 14, label)
            for index, label in enumerate(categories)
        ),
    )
    lines = SafeString(
        "".join(_line(index, item, to_point) for index, item in enumerate(series))
        + _end_labels(series, to_point)
    )
    description = " ".join(_describe_series(item, categories, format_value) for item in series)
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc" class="chart">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="{background}"/>'
        '<g {font} fill="{text_color}">{grid}{axis_labels}</g>'
        "<g {font}>{lines}</g>"
        "</svg>",
        width=WIDTH,
        height=height,
        prefix=id_prefix,
        title=title,
        description=description,
        background=BACKGROUND,
        font=SafeString(FONT),
        text_color=TEXT_COLOR,
        grid=grid,
        axis_labels=axis_labels,
        lines=lines,
    )
    rows = tuple(
        (label, *(_table_value(item.values[index], format_value) for item in series))
        for index, label in enumerate(categories)
    )
    return Chart(
        svg=svg,
        title=title,
        description=description,
        columns=(category, *(item.label for item in series)),
        rows=rows,
    )


def _bar_style(index: int, id_prefix: str) -> SafeString:
    if index == 0:
        return format_html('fill="{}" stroke="{}"', PRIMARY_FILL, TEXT_COLOR)
    return format_html('fill="url(#{}-hatch)" stroke="{}" stroke-width="2"', id_prefix, TEXT_COLOR)


def _hatch_pattern(id_prefix: str) -> SafeString:
    return format_html(
        '<pattern id="{}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="{}" stroke-width="3"/></pattern>',
        id_prefix,
        TEXT_COLOR,
    )


def _line(index: int, item: Series, to_point) -> str:
    """Return one series as SVG: line segments between known values, and markers."""
    color = PRIMARY_FILL if index == 0 else TEXT_COLOR
    dash = "" if index == 0 else ' stroke-dasharray="8 5"'
    segments: list[list[tuple[float, float]]] = [[]]
    for position, value in enumerate(item.values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(to_point(position, value))
    parts = []
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in segment)
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"{}/>',
                    points,
                    color,
                    SafeString(dash),
                )
            )
    for segment in segments:
        for x, y in segment:
            parts.append(_marker(index, x, y, color))
    return "".join(parts)


def _end_labels(series: Sequence[Series], to_point) -> str:
    """Return each series' name beside its last known point, kept apart from the other's name."""
    ends = []
    for item in series:
        known = [
            (position, value) for position, value in enumerate(item.values) if value is not None
        ]
        if known:
            ends.append((item, to_point(*known[-1])))
    # The upper point's name goes above it and the lower point's below, so that the names never
    # overlap, even where the lines end close together or cross.
    ends.sort(key=lambda end: end[1][1])
    close = len(ends) == 2 and abs(ends[0][1][1] - ends[1][1][1]) < LABEL_CLEARANCE
    labels = []
    for rank, (item, (x, y)) in enumerate(ends):
        offset = 5
        if close:
            offset = -8 if rank == 0 else 18
        labels.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" stroke="#fff" stroke-width="3" '
                'paint-order="stroke">{}</text>',
                _coordinate(x + 12),
                _coordinate(y + offset),
                TEXT_COLOR,
                _shorten(item.label, 18),
            )
        )
    return "".join(labels)


def _marker(index: int, x: float, y: float, color: str) -> SafeString:
    if index == 0:
        return format_html(
            '<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#fff" stroke-width="2"/>',
            _coordinate(x),
            _coordinate(y),
            color,
        )
    return format_html(
        '<rect x="{}" y="{}" width="11" height="11" fill="#fff" stroke="{}" stroke-width="3"/>',
        _coordinate(x - 5.5),
        _coordinate(y - 5.5),
        color,
    )


def _ticks(low: float, high: float) -> list[float]:
    """Return at most seven round values for the grid, from `low` to the first at or above `high`.

    `low` must be 0 or a negative number, so that the first tick is at or below it.
    """
    raw_step = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    tick = math.floor(low / step) * step
    ticks = [round(tick, 10)]
    while tick < high - step * 1e-9:
        tick += step
        ticks.append(round(tick, 10))
    return ticks


def _describe_value(label: str, value: float | None, format_value: Formatter) -> str:
    if value is None:
        return _("%(label)s: missing.") % {"label": label}
    return _("%(label)s: %(value)s.") % {"label": label, "value": format_value(value)}


def _describe_series(item: Series, categories: Sequence[str], format_value: Formatter) -> str:
    points = ", ".join(
        _("%(year)s %(value)s")
        % {"year": category, "value": missing_text() if value is None else format_value(value)}
        for category, value in zip(categories, item.values, strict=True)
    )
    return _("%(label)s: %(points)s.") % {"label": item.label, "points": points}


def _table_value(value: float | None, format_value: Formatter) -> str:
    return missing_text() if value is None else format_value(value)


def _shorten(text: str, length: int) -> str:
    """Return text cut to `length` characters with an ellipsis; the table keeps the whole text."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _coordinate(number: float) -> str:
    """Return an SVG coordinate with one decimal."""
    return f"{number:.1f}"
