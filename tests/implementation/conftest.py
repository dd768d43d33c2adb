import datetime
from decimal import Decimal

import pytest

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.areas.models import PostalArea, Suburb
from osallistu.implementation.models import ImplementationItem
from osallistu.programmes.models import Programme, ProjectPackage

# Statistics Finland, Paavo 2024 (CC BY 4.0): postal area 70150 Neulamäki, simplified boundary.
NEULAMAKI_GEOMETRY = {
    "type": "Polygon",
    "coordinates": [
        [
            [27.6288563, 62.88560531],
            [27.56866966, 62.89813616],
            [27.55176709, 62.88731866],
            [27.55969699, 62.88107999],
            [27.61696519, 62.87443636],
            [27.6288563, 62.88560531],
        ]
    ],
}


@pytest.fixture
def suburb(db):
    area = PostalArea.objects.create(
        code="70150",
        name="Neulamäki",
        municipality_code="297",
        municipality_name="Kuopio",
        geometry=NEULAMAKI_GEOMETRY,
    )
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    suburb.postal_areas.add(area)
    return suburb


@pytest.fixture
def service_area(db):
    return ServiceArea.objects.create(
        name="Kaupunkiympäristön palvelualue", short_name="KYP", slug="kyp"
    )


@pytest.fixture
def make_package(suburb, service_area):
    def factory(title: str = "Neulamäen keskuspuisto", slug: str = "keskuspuisto"):
        programme, _ = Programme.objects.get_or_create(
            suburb=suburb,
            defaults={"title": "Neulamäen lähiöohjelma", "slug": "neulamaki", "starts_year": 2026},
        )
        return ProjectPackage.objects.create(
            programme=programme,
            title=title,
            slug=slug,
            description="Leikkipaikka, istutukset ja valaistus.",
            service_area=service_area,
        )

    return factory


@pytest.fixture
def package(make_package):
    return make_package()


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def make_item(package, suburb):
    """Return a factory of public package items; each gets its own package."""
    counter = iter(range(1, 10_000))

    def factory(**fields) -> ImplementationItem:
        number = next(counter)
        target = fields.pop("package", None)
        if target is None and "project" not in fields:
            target = (
                package
                if number == 1
                else ProjectPackage.objects.create(
                    programme=package.programme,
                    title=f"Paketti {number}",
                    slug=f"paketti-{number}",
                    service_area=package.service_area,
                )
            )
        defaults = {
            "title": f"Kohde {number}",
            "suburb": suburb,
            "budget": Decimal("100000"),
            "planned_start": datetime.date(2026, 5, 1),
            "planned_end": datetime.date(2026, 10, 31),
        }
        return ImplementationItem.objects.create(package=target, **{**defaults, **fields})

    return factory


@pytest.fixture
def item(make_item):
    return make_item(title="Keskuspuiston leikkipaikka")
