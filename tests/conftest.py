"""Shared fixtures, and the switches that turn skips into failures in CI.

Tests marked `postgresql` run only on PostgreSQL and tests marked `browser` need Debian's Chromium
and axe-core. Where OSALLISTU_REQUIRE_POSTGRES or OSALLISTU_REQUIRE_BROWSER is set, as .ci/run
does, a missing component fails those tests instead of skipping them. The PostgreSQL tests are
skipped in the SQLite run by design, since `make test` runs the suite on PostgreSQL afterwards.
"""

import datetime
import importlib
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _browser_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's Chromium is not installed (apt-get install chromium)"
    if not AXE_PATH.exists():
        return "axe-core is not installed (npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    on_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    browser_missing = _browser_missing_reason()
    for item in items:
        if "postgresql" in item.keywords and not on_postgresql:
            # The SQLite run skips these; the PostgreSQL run of `make test` runs them.
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL run of make test"))
        if (
            "browser" in item.keywords
            and browser_missing
            and not os.environ.get("OSALLISTU_REQUIRE_BROWSER")
        ):
            item.add_marker(pytest.mark.skip(reason=browser_missing))


def pytest_runtest_setup(item):
    """Fail a browser test whose required browser or axe-core is missing."""
    if "browser" in item.keywords and os.environ.get("OSALLISTU_REQUIRE_BROWSER"):
        reason = _browser_missing_reason()
        if reason:
            pytest.fail(f"OSALLISTU_REQUIRE_BROWSER is set, but {reason}.")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files without the manifest, which exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language, Finnish.

    LocaleMiddleware activates the language of each request in the thread and nothing resets
    it, so without this a test after a request to a /sv/ page would build Swedish URLs.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


CHANNEL_SEED_MIGRATION = "osallistu.communications.migrations.0002_seed_channels"
ESIS_SEED_MIGRATION = "osallistu.surveys.migrations.0002_esis"


def _seed_migration_data() -> None:
    """Run the data migrations' seeds again where their rows are missing.

    A transactional test (every browser test, through live_server) ends by flushing all tables,
    which removes the rows that data migrations created. The seeds use get_or_create, so running
    them again restores exactly what migrating a fresh database gives.
    """
    from django.apps import apps

    from osallistu.communications.models import CommunicationChannel
    from osallistu.surveys.models import Questionnaire

    if not CommunicationChannel.objects.exists():
        importlib.import_module(CHANNEL_SEED_MIGRATION).seed(apps, None)
    if not Questionnaire.objects.filter(code="esis").exists():
        importlib.import_module(ESIS_SEED_MIGRATION).load_esis(apps, None)


@pytest.fixture(autouse=True)
def _migration_seeds(request):
    """Give every database test the rows that data migrations seed."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    _seed_migration_data()


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def resident(django_user_model):
    return django_user_model.objects.create_user(email="asukas@example.fi", password="Salasana-123")


@pytest.fixture
def other_resident(django_user_model):
    return django_user_model.objects.create_user(email="toinen@example.fi", password="Salasana-123")


@pytest.fixture
def make_process(db, today):
    """Return a factory for a budgeting process whose named phase runs today."""
    from osallistu.budgeting.models import BudgetArea, Project
    from osallistu.participation.models import Phase, Process

    def factory(current: str = Phase.Kind.VOTING, slug: str = "testi", budget=50000, projects=()):
        process = Process.objects.create(
            title="Testiprosessi",
            slug=slug,
            kind=Process.Kind.PARTICIPATORY_BUDGETING,
        )
        start = today - datetime.timedelta(days=100)
        for offset, kind in enumerate(
            [Phase.Kind.IDEATION, Phase.Kind.EVALUATION, Phase.Kind.VOTING]
        ):
            if kind == current:
                starts, ends = (
                    today - datetime.timedelta(days=1),
                    today + datetime.timedelta(days=1),
                )
            else:
                starts = start + datetime.timedelta(days=10 * offset)
                ends = starts + datetime.timedelta(days=5)
            Phase.objects.create(process=process, kind=kind, starts_on=starts, ends_on=ends)
        area = BudgetArea.objects.create(
            process=process, name="Testilähiö", slug="testilahio", budget=Decimal(budget)
        )
        for index, cost in enumerate(projects, start=1):
            Project.objects.create(
                area=area, external_id=str(index), title=f"Hanke {index}", cost=Decimal(cost)
            )
        return process

    return factory


@pytest.fixture
def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
