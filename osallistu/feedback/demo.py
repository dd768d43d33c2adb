"""Example feedback requests for the demo suburbs, so their situational picture has counts.

The requests are generated, not real: a CSV-kind source marked as example contains them, and every
request is marked `is_example`, so the picture labels the section as example data.
"""

import datetime
import logging
import random

from django.utils import timezone
from shapely.geometry import Point, shape

from osallistu.areas.models import Suburb

from .models import FeedbackSourceConfig
from .services import store_requests
from .sources import RequestRecord, ServiceRecord

logger = logging.getLogger(__name__)

EXAMPLE_SOURCE_SLUG = "esimerkkipalaute"
# (code, Finnish name, group, relative weight): the kinds of feedback a suburb typically gets.
EXAMPLE_SERVICES = [
    ("katu", "Katujen kunto", "Kadut ja liikenne", 5),
    ("talvi", "Talvikunnossapito", "Kadut ja liikenne", 6),
    ("roska", "Roskaaminen", "Puhtaanapito", 4),
    ("ilkivalta", "Ilkivalta", "Puhtaanapito", 2),
    ("puisto", "Puistot ja leikkipaikat", "Viheralueet", 3),
    ("valo", "Katuvalot", "Kadut ja liikenne", 3),
]
# Example requests per suburb and month, before the seasonal change.
MONTHLY_BASE = 9
MONTHS = 12


def example_feedback_load(suburbs: list[Suburb], today: datetime.date | None = None) -> None:
    """Create the example source and a year of generated requests for `suburbs`, once."""
    source, created = FeedbackSourceConfig.objects.get_or_create(
        slug=EXAMPLE_SOURCE_SLUG,
        defaults={
            "name": "Esimerkkipalaute (CSV, keksitty)",
            "kind": FeedbackSourceConfig.Kind.CSV,
            "is_example": True,
        },
    )
    if not created and source.requests.exists():
        return
    today = today or timezone.localdate()
    services = [ServiceRecord(code, name, group) for code, name, group, _weight in EXAMPLE_SERVICES]
    records = []
    for suburb in suburbs:
        records.extend(_suburb_records(suburb, today))
    store_requests(source, services, records, is_example=True)
    logger.info("example feedback loaded requests=%s", len(records))


def _suburb_records(suburb: Suburb, today: datetime.date) -> list[RequestRecord]:
    # A fixed seed per suburb gives the same demo on every load.
    generator = random.Random(suburb.slug)  # noqa: S311 - demo data, not a secret
    areas = [area for area in suburb.postal_areas.order_by("code") if area.geometry]
    codes = [code for code, _name, _group, _weight in EXAMPLE_SERVICES]
    weights = [weight for *_rest, weight in EXAMPLE_SERVICES]
    records = []
    for months_back in range(MONTHS):
        month_start = _add_months(today.replace(day=1), -months_back)
        # More winter maintenance feedback from November to March.
        winter = month_start.month in (11, 12, 1, 2, 3)
        count = MONTHLY_BASE + generator.randint(-3, 4) + (4 if winter else 0)
        for number in range(count):
            day = month_start + datetime.timedelta(days=generator.randint(0, 27))
            if day > today:
                continue
            code = generator.choices(codes, weights=weights)[0]
            if code == "talvi" and not winter:
                code = "katu"
            lat, lon, postal_code = _location(generator, areas)
            records.append(
                RequestRecord(
                    service_request_id=f"{suburb.slug}-{month_start:%Y%m}-{number}",
                    service_code=code,
                    service_name="",
                    requested_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(generator.randint(7, 21)))
                    ),
                    status="closed" if months_back else generator.choice(["open", "closed"]),
                    lat=lat,
                    lon=lon,
                    postal_code=postal_code,
                )
            )
    if records and areas:
        # One request with latitude and longitude swapped, as some services send them, so the
        # staff list of flagged requests has an example.
        first = records[0]
        records[0] = RequestRecord(**{**first.__dict__, "lat": first.lon, "lon": first.lat})
    return records


def _location(generator: random.Random, areas) -> tuple[float | None, float | None, str]:
    """Return a random point inside one of the postal areas, or only a postal code."""
    if not areas:
        return None, None, ""
    area = generator.choice(areas)
    polygon = shape(area.geometry)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    for _attempt in range(20):
        point = Point(generator.uniform(min_lon, max_lon), generator.uniform(min_lat, max_lat))
        if polygon.contains(point):
            return round(point.y, 5), round(point.x, 5), area.code
    return None, None, area.code


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
