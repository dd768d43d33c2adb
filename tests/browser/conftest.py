"""Browser fixtures: Debian's Chromium driven by Playwright, and axe-core for WCAG checks.

The browser is the system's /usr/bin/chromium; Playwright never downloads one. Pages come from
pytest-django's `live_server`, which serves the test database in a thread of this process.
"""

import pytest

from tests.conftest import CHROMIUM

from .session import sign_in_with_session

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Upper bound, in milliseconds, for any single Playwright action or navigation.
ACTION_TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def chromium():
    """Launch headless Chromium once for the browser tests of this package."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread while it is started,
    # and Django raises SynchronousOnlyOperation for ORM calls made in a thread with a running
    # loop. The tests make ORM calls only between browser steps, never from inside the loop, so
    # the check is switched off for as long as the browser runs and restored afterwards.
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # Each launch gets a new temporary profile (user-data) directory from Playwright,
            # which deletes it on close, so no state carries over from an earlier run.
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def page(chromium, live_server):
    """Return a page in a fresh browser context, with relative URLs resolved on `live_server`."""
    # axe-core is injected as an inline script, which a Content-Security-Policy would block.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def signed_in_page(page, resident):
    """Return `page` after signing `resident` in with a session (see session.py)."""
    sign_in_with_session(page, resident)
    sign_out = page.locator("form[action$='/accounts/logout/'] button[type=submit]")
    assert sign_out.count() == 1, "the session did not sign the resident in"
    return page


# Statistics Finland, Paavo - open data by postal code area, statistics year 2024 (CC BY 4.0):
# postal area 70150 Neulamäki in Kuopio, with its simplified WGS84 boundary.
NEULAMAKI_PAAVO_2024 = {
    "he_vakiy": 5373, "he_naiset": 2608, "he_miehet": 2765, "he_kika": 40,
    "he_0_2": 101, "he_3_6": 157, "he_7_12": 262, "he_13_15": 123, "he_16_17": 98,
    "he_18_19": 141, "he_20_24": 657, "he_25_29": 565, "he_30_34": 532, "he_35_39": 453,
    "he_40_44": 385, "he_45_49": 240, "he_50_54": 196, "he_55_59": 237, "he_60_64": 298,
    "he_65_69": 316, "he_70_74": 313, "he_75_79": 217, "he_80_84": 52, "he_85_": 30,
    "ko_ika18y": 4632, "ko_perus": 1117, "ko_koul": 3515, "ko_yliop": 496, "ko_ammat": 1578,
    "ko_al_kork": 940, "ko_yl_kork": 501,
    "hr_tuy": 4632, "hr_ktu": 22146, "hr_mtu": 20943, "hr_pi_tul": 1501, "hr_ke_tul": 2731,
    "hr_hy_tul": 400, "hr_ovy": 102580669,
    "te_taly": 3073, "te_takk": 1.7, "te_as_valj": 35.4, "te_yks": 1632, "te_nuor": 705,
    "te_eil_np": 200, "te_laps": 458, "te_plap": 94, "te_aklap": 195, "te_klap": 184,
    "te_teini": 149, "te_yhlap": 121, "te_aik": 1961, "te_elak": 656, "te_omis_as": 1172,
    "te_vuok_as": 1899, "te_muu_as": 2,
    "ra_ke": 12, "ra_raky": 727, "ra_muut": 99, "ra_asrak": 628, "ra_asunn": 3259,
    "ra_as_kpa": 61.1, "ra_pt_as": 858, "ra_kt_as": 2369, "ra_muu_as": 32,
    "pt_vakiy": 5373, "pt_tyoll": 2082, "pt_tyott": 487, "pt_0_14": 601, "pt_opisk": 886,
    "pt_elakel": 1071, "pt_muut": 246,
}  # fmt: skip
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
# Proposal costs in euros on a 50 000 € ballot, as in the demo suburbs.
PROPOSAL_COSTS = [20000, 15000, 6000, 30000]


@pytest.fixture
def neulamaki(db):
    """Return postal area 70150 with its Paavo 2024 record and the suburb that lies in it."""
    from osallistu.areas.models import PaavoRecord, PostalArea, Suburb

    area = PostalArea.objects.create(
        code="70150",
        name="Neulamäki",
        municipality_code="297",
        municipality_name="Kuopio",
        geometry=NEULAMAKI_GEOMETRY,
        geometry_is_development_data=True,
    )
    PaavoRecord.objects.create(
        postal_area=area, statistics_year=2024, release_year=2026, values=NEULAMAKI_PAAVO_2024
    )
    Suburb.objects.create(name="Neulamäki", slug="neulamaki").postal_areas.add(area)
    return area


@pytest.fixture
def voting_process(make_process):
    """Return an example budgeting process in its voting phase, like the demo's."""
    process = make_process(projects=PROPOSAL_COSTS, slug="lahiobudjetti")
    process.title = "Lähiöbudjetti (esimerkki)"
    process.description = (
        "Esimerkkiprosessi: lähiöllä on 50 000 euroa asukkaiden ehdottamiin toimenpiteisiin. "
        "Ideat on arvioitu, ja nyt äänestetään."
    )
    process.is_example = True
    process.save()
    return process
