"""Organisation profiles, their members, and what they post and co-host."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.organisations import selectors, services
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation.models import Comment, Idea, Phase, Visibility

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def _event(title, *, days, co_host):
    starts_at = timezone.now() + datetime.timedelta(days=days)
    event = Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        title=title,
        slug=title.lower().replace(" ", "-"),
        place="Koulu",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    event.co_hosts.add(co_host)
    return event


def test_list_shows_organisations(organisation, member, client):
    content = client.get(reverse("organisations:list")).content.decode()

    assert "Neulamäki-seura" in content
    assert "1 member" in content


def test_list_queries_constant(client, db):
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")

    def add(count, start):
        for number in range(start, start + count):
            organisation = Organisation.objects.create(name=f"Seura {number}", slug=f"s{number}")
            organisation.suburbs.add(suburb)

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisations:list"))
    add(25, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisations:list"))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count("Neulamäki") >= 27


def test_profile_shows_details(organisation, client):
    organisation.suburbs.add(Suburb.objects.create(name="Pirtti", slug="pirtti"))

    content = client.get(organisation.get_absolute_url()).content.decode()

    assert "Asukasyhdistys Neulamäessä." in content
    assert 'href="https://neulamaki.example.fi"' in content
    assert "Pirtti" in content


def test_profile_escapes_text(client, db):
    organisation = Organisation.objects.create(
        name=SCRIPT, slug="skripti", description=SCRIPT, website="https://example.fi"
    )

    content = client.get(organisation.get_absolute_url()).content.decode()

    assert SCRIPT not in content
    assert "&lt;script&gt;" in content


def test_profile_unknown_is_404(client, db):
    assert client.get(reverse("organisations:detail", args=["ei-ole"])).status_code == 404


def test_profile_lists_co_hosted_events(organisation, client):
    _event("Tuleva talkoo", days=5, co_host=organisation)
    _event("Mennyt talkoo", days=-5, co_host=organisation)
    other = Organisation.objects.create(name="Muu", slug="muu")
    _event("Muiden tapahtuma", days=5, co_host=other)

    content = client.get(organisation.get_absolute_url()).content.decode()

    assert "Tuleva talkoo" in content
    assert "Mennyt talkoo" in content
    assert "Muiden tapahtuma" not in content


def test_profile_lists_posts(organisation, make_process, client):
    process = make_process(current=Phase.Kind.IDEATION, slug="kehitys")
    idea = Idea.objects.create(
        process=process, title="Seuran idea", description="x", organisation=organisation
    )
    Idea.objects.create(
        process=process,
        title="Piilotettu idea",
        description="x",
        organisation=organisation,
        visibility=Visibility.HIDDEN,
    )
    Comment.objects.create(idea=idea, body="Seuran kommentti", organisation=organisation)
    Comment.objects.create(
        idea=idea, body="Odottava kommentti", organisation=organisation, visibility="pending"
    )

    content = client.get(organisation.get_absolute_url()).content.decode()

    assert "Seuran idea" in content
    assert "Seuran kommentti" in content
    assert "Piilotettu idea" not in content
    assert "Odottava kommentti" not in content


def test_profile_tools_for_admin_only(organisation, org_admin, member, client):
    members_url = reverse("organisations:members", args=[organisation.slug])

    client.force_login(member)
    member_view = client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(org_admin)
    admin_view = client.get(organisation.get_absolute_url()).content.decode()

    assert members_url not in member_view
    assert members_url in admin_view


def test_memberships_of_user(organisation, member, db):
    other = Organisation.objects.create(name="Aakkosseura", slug="aakkos")
    Membership.objects.create(organisation=other, user=member)

    names = [membership.organisation.name for membership in selectors.memberships_of(member)]

    assert names == ["Aakkosseura", "Neulamäki-seura"]


def test_memberships_of_anonymous(db):
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.memberships_of(AnonymousUser())) == []


def test_add_member_by_email(organisation, org_admin, resident, client):
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": "ASUKAS@example.fi", "role": "member"},
        follow=True,
    )

    assert Membership.objects.get(user=resident).role == Membership.Role.MEMBER
    assert "asukas@example.fi is now a member." in response.content.decode()


def test_add_member_as_admin(organisation, org_admin, resident, client):
    client.force_login(org_admin)

    client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": resident.email, "role": "admin"},
    )

    assert Membership.objects.get(user=resident).role == Membership.Role.ADMIN


def test_add_unknown_email_keeps_input(organisation, org_admin, client):
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": "ei.tilia@example.fi", "role": "member"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "No account uses the email address ei.tilia@example.fi." in content
    assert 'value="ei.tilia@example.fi"' in content
    assert Membership.objects.count() == 1


def test_add_invalid_email(organisation, org_admin, client):
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": SCRIPT, "role": "member"},
    )

    content = response.content.decode()
    assert "Enter a valid email address." in content
    assert SCRIPT not in content


def test_add_existing_member_rejected(organisation, org_admin, member, client):
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": member.email, "role": "admin"},
    )

    assert "jasen@example.fi is already a member." in response.content.decode()
    assert Membership.objects.get(user=member).role == Membership.Role.MEMBER


def test_add_denied_to_member(organisation, member, resident, client):
    client.force_login(member)

    response = client.post(
        reverse("organisations:members", args=[organisation.slug]),
        {"email": resident.email, "role": "admin"},
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(user=resident).exists()


def test_add_by_city_coordinator(organisation, city_coordinator, resident):
    services.membership_add(user=city_coordinator, organisation=organisation, email=resident.email)

    assert Membership.objects.filter(user=resident).exists()


def test_members_page_requires_sign_in(organisation, client):
    response = client.get(reverse("organisations:members", args=[organisation.slug]))

    assert response.status_code == 302


def test_remove_member(organisation, org_admin, member, client):
    membership = Membership.objects.get(user=member)
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:member_remove", args=[organisation.slug, membership.pk]),
        follow=True,
    )

    assert not Membership.objects.filter(user=member).exists()
    assert "jasen@example.fi is no longer a member." in response.content.decode()


def test_remove_last_admin_rejected(organisation, org_admin, client):
    membership = Membership.objects.get(user=org_admin)
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:member_remove", args=[organisation.slug, membership.pk]),
        follow=True,
    )

    assert Membership.objects.filter(user=org_admin).exists()
    assert "only administrator" in response.content.decode()


def test_remove_one_of_two_admins(organisation, org_admin, member):
    Membership.objects.filter(user=member).update(role=Membership.Role.ADMIN)

    services.membership_remove(user=member, membership=Membership.objects.get(user=org_admin))

    assert list(Membership.objects.values_list("user", flat=True)) == [member.pk]


def test_remove_denied_to_member(organisation, org_admin, member):
    with pytest.raises(PermissionDenied):
        services.membership_remove(user=member, membership=Membership.objects.get(user=org_admin))
    assert Membership.objects.count() == 2


def test_remove_other_organisations_member_404(organisation, org_admin, client, resident):
    other = Organisation.objects.create(name="Muu", slug="muu")
    foreign = Membership.objects.create(organisation=other, user=resident)
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:member_remove", args=[organisation.slug, foreign.pk])
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_remove_requires_post(organisation, org_admin, member, client):
    membership = Membership.objects.get(user=member)
    client.force_login(org_admin)

    response = client.get(
        reverse("organisations:member_remove", args=[organisation.slug, membership.pk])
    )

    assert response.status_code == 405
    assert Membership.objects.filter(user=member).exists()


def test_edit_profile(organisation, org_admin, client):
    suburb = Suburb.objects.create(name="Pirtti", slug="pirtti")
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]),
        {
            "name": "Neulamäki-seura ry",
            "description": "Uusi kuvaus.",
            "website": "neulamaki.example.fi",
            "suburbs": [suburb.pk],
        },
    )

    organisation.refresh_from_db()
    assert response.status_code == 302
    assert organisation.name == "Neulamäki-seura ry"
    assert organisation.website == "https://neulamaki.example.fi"
    assert organisation.slug == "neulamaki-seura"
    assert list(organisation.suburbs.all()) == [suburb]


def test_edit_errors_keep_input(organisation, org_admin, client):
    Organisation.objects.create(name="Pirtin kyläyhdistys", slug="pirtti")
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]),
        {"name": "pirtin KYLÄYHDISTYS", "description": SCRIPT, "website": "ei osoite"},
    )

    content = response.content.decode()
    assert "Enter a full web address, such as https://example.fi." in content
    assert 'value="ei osoite"' in content
    assert "&lt;script&gt;" in content
    organisation.refresh_from_db()
    assert organisation.name == "Neulamäki-seura"


def test_edit_duplicate_name(organisation, org_admin, client):
    Organisation.objects.create(name="Pirtin kyläyhdistys", slug="pirtti")
    client.force_login(org_admin)

    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]),
        {"name": "pirtin KYLÄYHDISTYS", "description": ""},
    )

    assert "An organisation with this name already exists." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Neulamäki-seura"


def test_edit_denied_to_member(organisation, member, client):
    client.force_login(member)

    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]), {"name": "Kaapattu"}
    )

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Neulamäki-seura"


def test_create_by_city_coordinator(city_coordinator, resident, client):
    client.force_login(city_coordinator)

    response = client.post(
        reverse("organisations:create"),
        {"name": "Uusi seura", "description": "", "admin_email": resident.email},
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.slug == "uusi-seura"
    assert Membership.objects.get(organisation=organisation).user == resident
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN


def test_create_unknown_admin_email(city_coordinator, client):
    client.force_login(city_coordinator)

    response = client.post(
        reverse("organisations:create"),
        {"name": "Uusi seura", "admin_email": "ei.ole@example.fi"},
    )

    content = response.content.decode()
    assert "No account uses the email address ei.ole@example.fi." in content
    assert 'value="Uusi seura"' in content
    assert not Organisation.objects.exists()


def test_create_denied_to_resident(resident, client):
    client.force_login(resident)

    assert client.get(reverse("organisations:create")).status_code == 403


def test_create_service_denied_to_process_coordinator(resident, make_process):
    from osallistu.accounts.models import RoleAssignment

    process = make_process(slug="kehitys")
    RoleAssignment.objects.create(
        user=resident, role=RoleAssignment.Role.COORDINATOR, process=process
    )

    with pytest.raises(PermissionDenied):
        services.organisation_create(user=resident, name="Seura")


def test_create_reserved_slug(city_coordinator):
    organisation = services.organisation_create(user=city_coordinator, name="New")

    assert organisation.slug == "new-2"


def test_create_duplicate_name(organisation, city_coordinator):
    with pytest.raises(ValidationError):
        services.organisation_create(user=city_coordinator, name="NEULAMÄKI-SEURA")
