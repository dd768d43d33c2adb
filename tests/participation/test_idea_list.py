"""The idea list: search, filters, sorting, pagination, random order and its query count."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from osallistu.areas.models import Suburb
from osallistu.participation import selectors
from osallistu.participation.models import Comment, Idea, Theme, Visibility

from .ideas_support import (
    default_language_fixture,  # noqa: F401
    idea_url,
    ideation_process_fixture,  # noqa: F401
    make_idea,
    suburb_fixture,  # noqa: F401
    theme_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

_CARD_TITLE = re.compile(r'<h3><a href="[^"]*/ideas/\d+/">([^<]+)</a></h3>')


def titles(response) -> list[str]:
    assert response.status_code == 200
    return _CARD_TITLE.findall(response.content.decode())


def bulk_ideas(process, count: int, start: int = 0, **fields) -> list[Idea]:
    return Idea.objects.bulk_create(
        Idea(process=process, title=f"Idea {number}", description="Kuvaus", **fields)
        for number in range(start, start + count)
    )


def get_list(client, process, **params):
    return client.get(idea_url("idea_list", process), params)


# Search and filters


def test_search_matches_title_and_description(ideation_process, client):
    make_idea(ideation_process, title="Uusi PENKKI", description="Puistoon")
    make_idea(ideation_process, title="Valaistus", description="Lisää valoa penkkien luo")
    make_idea(ideation_process, title="Koirapuisto", description="Aidattu alue")
    found = titles(get_list(client, ideation_process, q="penkki"))
    assert sorted(found) == ["Uusi PENKKI", "Valaistus"]


def test_search_without_match_says_so(ideation_process, client):
    make_idea(ideation_process, title="Koirapuisto")
    with translation.override("en"):
        response = client.get(idea_url("idea_list", ideation_process), {"q": "uimahalli"})
    assert titles(response) == []
    assert "No ideas match the search or filters." in response.content.decode()


def test_filter_by_suburb(ideation_process, suburb, client):
    other = Suburb.objects.create(name="Jynkkä", slug="jynkka")
    ideation_process.suburbs.add(other)
    make_idea(ideation_process, title="Neulamäen idea", suburb=suburb)
    make_idea(ideation_process, title="Jynkän idea", suburb=other)
    assert titles(get_list(client, ideation_process, suburb="jynkka")) == ["Jynkän idea"]


def test_filter_by_theme(ideation_process, theme, client):
    make_idea(ideation_process, title="Teemassa", theme=theme)
    make_idea(ideation_process, title="Ilman teemaa")
    assert titles(get_list(client, ideation_process, theme=theme.pk)) == ["Teemassa"]


def test_filter_by_status(ideation_process, client):
    make_idea(ideation_process, title="Hyväksytty", status=Idea.Status.ACCEPTED)
    make_idea(ideation_process, title="Julkaistu")
    assert titles(get_list(client, ideation_process, status="accepted")) == ["Hyväksytty"]


def test_filters_combine(ideation_process, suburb, theme, client):
    make_idea(ideation_process, title="Penkki A", suburb=suburb, theme=theme)
    make_idea(ideation_process, title="Penkki B", suburb=suburb)
    make_idea(ideation_process, title="Valo", description="Valoa", suburb=suburb, theme=theme)
    found = titles(
        get_list(client, ideation_process, q="penkki", suburb="neulamaki", theme=theme.pk)
    )
    assert found == ["Penkki A"]


def test_invalid_filters_are_ignored(ideation_process, client):
    make_idea(ideation_process, title="Näkyvä")
    response = get_list(
        client, ideation_process, suburb="ei-ole", theme="abc", status="x", order="y", page="z"
    )
    assert titles(response) == ["Näkyvä"]


def test_theme_of_other_process_is_not_a_filter(ideation_process, make_process, client):
    other_theme = Theme.objects.create(
        process=make_process(slug="toinen"), title="Vieras", status=Theme.Status.ACCEPTED
    )
    make_idea(ideation_process, title="Näkyvä")
    assert titles(get_list(client, ideation_process, theme=other_theme.pk)) == ["Näkyvä"]


def test_only_visible_ideas_listed(ideation_process, client):
    make_idea(ideation_process, title="Näkyvä")
    make_idea(ideation_process, title="Odottava", visibility=Visibility.PENDING)
    make_idea(ideation_process, title="Piilotettu", visibility=Visibility.HIDDEN)
    make_idea(ideation_process, title="Peruttu", status=Idea.Status.WITHDRAWN)
    assert titles(get_list(client, ideation_process)) == ["Näkyvä"]


def test_withdrawn_is_not_a_status_filter(ideation_process, client):
    make_idea(ideation_process, title="Peruttu", status=Idea.Status.WITHDRAWN)
    assert titles(get_list(client, ideation_process, status="withdrawn")) == []


# Sorting


def test_sort_newest_and_oldest(ideation_process, client):
    now = timezone.now()
    for days, title in [(3, "Vanhin"), (1, "Uusin"), (2, "Keskimmäinen")]:
        idea = make_idea(ideation_process, title=title)
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(days=days))
    newest = titles(get_list(client, ideation_process, order="newest"))
    assert newest == ["Uusin", "Keskimmäinen", "Vanhin"]
    oldest = titles(get_list(client, ideation_process, order="oldest"))
    assert oldest == ["Vanhin", "Keskimmäinen", "Uusin"]


def test_sort_by_visible_comments(ideation_process, client):
    quiet = make_idea(ideation_process, title="Hiljainen")
    busy = make_idea(ideation_process, title="Vilkas")
    hidden_talk = make_idea(ideation_process, title="Piilokeskustelu")
    Comment.objects.bulk_create(
        [Comment(idea=busy, body="x") for _ in range(3)]
        + [Comment(idea=quiet, body="x")]
        + [Comment(idea=hidden_talk, body="x", visibility=Visibility.HIDDEN) for _ in range(5)]
    )
    with translation.override("en"):
        response = client.get(idea_url("idea_list", ideation_process), {"order": "comments"})
    assert titles(response) == ["Vilkas", "Hiljainen", "Piilokeskustelu"]
    assert "3 comments" in response.content.decode()


def test_random_is_the_default(ideation_process, client):
    content = get_list(client, ideation_process).content.decode()
    assert re.search(r'<option value="random" selected>', content)
    assert "idea_order_seed" in client.session


# Random order


def test_random_order_same_across_pages(ideation_process, client):
    bulk_ideas(ideation_process, 50)
    first_visit = [titles(get_list(client, ideation_process, page=page)) for page in (1, 2, 3)]
    second_visit = [titles(get_list(client, ideation_process, page=page)) for page in (1, 2, 3)]
    assert first_visit == second_visit
    seen = [title for page in first_visit for title in page]
    assert len(seen) == 50
    assert sorted(seen) == sorted(f"Idea {number}" for number in range(50))


def test_random_order_differs_between_visitors(ideation_process):
    bulk_ideas(ideation_process, 30)
    ordered = sorted(Idea.objects.values_list("title", flat=True), key=lambda t: int(t[5:]))
    orders = {tuple(titles(get_list(Client(), ideation_process))) for _ in range(3)}
    # Three random permutations of 30 ideas (20 a page) coincide with a chance of about 1e-18.
    assert len(orders) == 3
    assert all(list(order) != ordered[:20] for order in orders)


def test_random_order_is_a_permutation(ideation_process):
    bulk_ideas(ideation_process, 200)
    seed = selectors.idea_random_seed()
    order = list(
        selectors.idea_list(ideation_process, order="random", seed=seed).values_list(
            "pk", flat=True
        )
    )
    assert len(order) == 200
    assert sorted(order) == sorted(Idea.objects.values_list("pk", flat=True))
    again = selectors.idea_list(ideation_process, order="random", seed=seed)
    assert list(again.values_list("pk", flat=True)) == order


def test_random_seeds_give_different_orders(ideation_process):
    bulk_ideas(ideation_process, 40)
    # The first seed is the polynomial "id", which sorts by id.
    seeds = [[0, 0, 1, 0], [5, 2654435761 % 2**31, 17, 3], [123456789, 1, 2_000_000_000, 0]]
    orders = [
        list(
            selectors.idea_list(ideation_process, order="random", seed=seed).values_list(
                "pk", flat=True
            )
        )
        for seed in seeds
    ]
    assert orders[0] == sorted(orders[0])
    assert orders[1] != orders[0]
    assert orders[2] != orders[0]
    assert orders[2] != orders[1]
    # Not merely rotations of one cycle: the idea after the first differs between seeds.
    successors = {order[order.index(orders[0][0]) + 1] for order in orders}
    assert len(successors) > 1


@pytest.mark.parametrize(
    "seed",
    [
        None,
        "1234",
        [1, 2, 3],
        [0, 0, 0, -1],
        [0, 0, 0, 2**31 - 1],
        ["1", "2", "3", "4"],
        [True] * 4,
    ],
)
def test_invalid_seed_raises(ideation_process, seed):
    with pytest.raises(ValueError):
        selectors.idea_list(ideation_process, order="random", seed=seed)


def test_tampered_session_seed_replaced(ideation_process, client):
    bulk_ideas(ideation_process, 3)
    session = client.session
    session["idea_order_seed"] = "rikki"
    session.save()
    assert len(titles(get_list(client, ideation_process))) == 3
    assert selectors.idea_random_seed_is_valid(client.session["idea_order_seed"])


# Pagination


def test_pagination_keeps_query(ideation_process, suburb, client):
    bulk_ideas(ideation_process, 45, suburb=suburb)
    content = get_list(
        client, ideation_process, q="Idea", suburb="neulamaki", order="oldest"
    ).content.decode()
    next_link = re.search(r'<a href="(\?[^"]+)">[^<]+</a>\s*</nav>', content).group(1)
    assert "q=Idea" in next_link
    assert "suburb=neulamaki" in next_link
    assert "order=oldest" in next_link
    assert "page=2" in next_link
    page_two = titles(
        client.get(idea_url("idea_list", ideation_process) + next_link.replace("&amp;", "&"))
    )
    assert page_two == [f"Idea {number}" for number in range(20, 40)]


# Query count


@pytest.mark.parametrize("order", ["random", "newest", "oldest", "comments"])
def test_query_count_constant(ideation_process, suburb, theme, resident, client, order):
    """The list makes as many queries with 1 000 ideas as with 10, signed in and filtered."""
    client.force_login(resident)
    params = {"order": order, "q": "Idea", "suburb": "neulamaki"}
    fields = {"suburb": suburb, "theme": theme, "author": resident}
    bulk_ideas(ideation_process, 10, **fields)
    get_list(client, ideation_process, **params)  # creates the session's seed

    with CaptureQueriesContext(connection) as few:
        assert len(titles(get_list(client, ideation_process, **params))) == 10

    ideas = bulk_ideas(ideation_process, 990, start=10, **fields)
    Comment.objects.bulk_create(
        Comment(idea=idea, body="Kommentti", author=resident)
        for idea in ideas[:500]
        for _ in range(4)
    )
    with CaptureQueriesContext(connection) as many:
        assert len(titles(get_list(client, ideation_process, **params, page=3))) == 20

    assert len(many.captured_queries) == len(few.captured_queries), [
        query["sql"] for query in many.captured_queries
    ]
