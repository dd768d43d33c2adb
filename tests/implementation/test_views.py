"""Public and staff pages of implementation tracking."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from osallistu.implementation import selectors, services
from osallistu.implementation.models import Status
from osallistu.notifications.models import Follow

pytestmark = pytest.mark.django_db


def test_list_filters(client, make_item, suburb):
    make_item(
        title="Valmis puisto",
        status=Status.DONE,
        progress=100,
        actual_end=datetime.date(2026, 1, 5),
    )
    make_item(title="Salainen", is_public=False)
    make_item(title="Uusi valaistus", status=Status.DESIGN)

    page = client.get("/en/implementation/", {"status": "design"})

    assert page.status_code == 200
    assert b"Uusi valaistus" in page.content
    assert b"Valmis puisto" not in page.content
    everything = client.get("/en/implementation/", {"suburb": suburb.slug, "kind": "package"})
    assert b"Valmis puisto" in everything.content
    assert b"Salainen" not in everything.content
    assert b"100 % done" in everything.content


def test_list_query_count_does_not_grow(client, make_item):
    make_item()
    with CaptureQueriesContext(connection) as one:
        client.get("/implementation/")
    for _ in range(8):
        make_item()

    with CaptureQueriesContext(connection) as many:
        client.get("/implementation/")

    assert len(many) == len(one)


def test_item_page(client, item, coordinator):
    item.longitude, item.latitude = Decimal("27.59"), Decimal("62.887")
    item.location_text = "Neulamäen keskuspuisto"
    item.save()
    services.add_milestone(coordinator, item, title="Suunnitelma valmis")
    services.post_update(coordinator, item, text="Työt alkoivat.")
    services.update_item(coordinator, item, {"status": "design"})

    page = client.get(f"/en/implementation/{item.pk}/")

    assert page.status_code == 200
    content = page.content.decode()
    assert "Suunnitelma valmis" in content
    assert "Työt alkoivat." in content
    assert "from planned to in design" in content
    assert 'role="img"' in content
    assert "Neulamäen keskuspuisto" in content
    assert "Sign in to follow" in content


def test_item_page_overdue_and_map_text(client, item, coordinator):
    item.longitude, item.latitude = Decimal("27.59"), Decimal("62.887")
    item.location_text = "Neulamäen keskuspuisto"
    item.save()
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    services.add_milestone(coordinator, item, title="Myöhässä", due_on=week_ago)
    services.add_milestone(coordinator, item, title="Tulossa", due_on=today)
    services.add_milestone(
        coordinator, item, title="Valmis ajallaan", due_on=week_ago, done_on=week_ago
    )

    content = client.get(f"/en/implementation/{item.pk}/").content.decode()

    assert content.count("Overdue") == 1
    assert f"Overdue: was due on {week_ago:%-d.%-m.%Y}" in content
    assert f"Due on {today:%-d.%-m.%Y}" in content
    with translation.override("en"):
        description = selectors.item_map(item).description
    assert content.count(str(description)) == 1


def test_staff_future_update_keeps_input(client, item, coordinator):
    client.force_login(coordinator)
    future = timezone.localdate() + datetime.timedelta(days=1)

    page = client.post(
        f"/en/implementation/staff/{item.pk}/updates/",
        {"text": "Kevään töiden aikataulu", "published_on": future.isoformat()},
    )

    assert page.status_code == 200
    content = page.content.decode()
    assert "cannot be later than today" in content
    assert "Kevään töiden aikataulu" in content
    assert f'value="{future.isoformat()}"' in content
    assert not item.updates.exists()


def test_hidden_item_is_not_found(client, make_item):
    hidden = make_item(is_public=False)

    assert client.get(f"/implementation/{hidden.pk}/").status_code == 404


def test_resident_follows_an_item(client, item, resident):
    client.force_login(resident)
    response = client.post(
        reverse("notifications:follow", args=["implementationitem", item.pk]),
        {"next": f"/implementation/{item.pk}/"},
    )

    assert response.status_code == 302
    assert Follow.objects.filter(user=resident, object_id=item.pk).exists()


def test_hidden_item_cannot_be_followed(client, make_item, resident):
    hidden = make_item(is_public=False)
    client.force_login(resident)

    response = client.post(reverse("notifications:follow", args=["implementationitem", hidden.pk]))

    assert response.status_code == 404


def test_staff_pages_need_the_permission(client, item, resident):
    client.force_login(resident)
    for url in [
        "/implementation/staff/",
        f"/implementation/staff/{item.pk}/",
        "/implementation/staff/import/",
        "/implementation/staff/template.csv",
        f"/implementation/staff/{item.pk}/updates/",
    ]:
        assert client.get(url).status_code == 403, url


def test_staff_list_warns_of_untracked_packages(client, make_package, coordinator):
    untracked = make_package(title="Nuorisotilan remontti", slug="nuorisotila")
    client.force_login(coordinator)

    page = client.get("/en/implementation/staff/")
    assert b"Nuorisotilan remontti" in page.content
    client.post("/en/implementation/staff/track/")

    assert untracked.implementation_item.title == "Nuorisotilan remontti"
    assert b"Not yet tracked" not in client.get("/en/implementation/staff/").content


def test_staff_edit_keeps_input_on_error(client, item, coordinator):
    client.force_login(coordinator)
    url = f"/en/implementation/staff/{item.pk}/"
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "status": "in_progress",
            "progress": "100",
            "suburb": item.suburb.pk,
            "planned_start": "2026-05-01",
            "planned_end": "2026-10-31",
        }
    )
    data.pop("service_area", None)

    page = client.post(url, data)

    assert page.status_code == 200
    assert b"only when the item is done" in page.content
    assert b'aria-invalid="true"' in page.content
    item.refresh_from_db()
    assert item.progress == 0

    data["progress"] = "35"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == ("in_progress", 35)


def test_staff_posts_update_with_photo(client, item, coordinator):
    client.force_login(coordinator)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("kuva.jpg", buffer.getvalue(), content_type="image/jpeg")
    url = f"/en/implementation/staff/{item.pk}/updates/"

    missing_alt = client.post(url, {"text": "Kuva", "photo_1": photo})
    assert b"Describe the photo" in missing_alt.content

    photo.seek(0)
    response = client.post(
        url,
        {
            "text": "Talkoot",
            "photo_1": photo,
            "alt_1": "Talkooväki",
            "published_on": "2026-11-30",
            "invitation_starts_at": "2026-12-20T10:00",
            "invitation_place": "Keskuspuisto",
        },
    )
    assert response.status_code == 302
    update = item.updates.get()
    assert update.photos.get().alt_text == "Talkooväki"
    assert update.is_invitation
    assert update.published_on == datetime.date(2026, 11, 30)


def test_staff_import_page_previews_and_applies(client, item, coordinator):
    client.force_login(coordinator)
    url = "/en/implementation/staff/import/"

    def upload(text):
        return SimpleUploadedFile("muutokset.csv", text.encode(), content_type="text/csv")

    bad = client.post(url, {"file": upload(f"id,progress\n{item.pk},500\n")})
    assert b"Row 2: progress must be" in bad.content
    preview = client.post(url, {"file": upload(f"id,progress\n{item.pk},20\n"), "dry_run": "on"})
    assert b"every row is valid" in preview.content
    item.refresh_from_db()
    assert item.progress == 0
    applied = client.post(url, {"file": upload(f"id,progress\n{item.pk},20\n")})
    assert applied.status_code == 302
    item.refresh_from_db()
    assert item.progress == 20


def test_staff_import_counts_only_changed_items(client, make_item, coordinator):
    first, second = make_item(), make_item()
    client.force_login(coordinator)
    url = "/en/implementation/staff/import/"
    text = f"id,progress,note\n{first.pk},20,Työt alkoivat.\n{second.pk},0,\n"

    def upload():
        return SimpleUploadedFile("muutokset.csv", text.encode(), content_type="text/csv")

    first_time = client.post(url, {"file": upload()}, follow=True)
    second_time = client.post(url, {"file": upload()}, follow=True)

    assert b"The file has been imported: 1 items updated." in first_time.content
    assert b"The file has been imported: 0 items updated." in second_time.content
    assert first.updates.count() == 1


def test_staff_import_rejects_binary(client, item, coordinator):
    client.force_login(coordinator)
    png = SimpleUploadedFile("muutokset.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    response = client.post("/en/implementation/staff/import/", {"file": png})

    assert b"although its name says so" in response.content
    item.refresh_from_db()
    assert item.progress == 0


def test_staff_home_lists_the_tool(client, coordinator):
    client.force_login(coordinator)

    assert b"/implementation/staff/" in client.get("/en/staff/").content


def test_package_page_shows_implementation(client, item):
    package = item.package
    with translation.override("en"):
        url = reverse("programmes:package_detail", args=[package.programme.slug, package.slug])

    page = client.get(url)

    assert page.status_code == 200
    assert b"Status: planned, 0 % done." in page.content
    assert f'href="/en/implementation/{item.pk}/"'.encode() in page.content
