"""Atom feeds of news per suburb, for the city's own website."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.participation.models import Process


class SuburbNewsFeed(Feed):
    """New processes and upcoming events of a suburb, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return get_object_or_404(Suburb, slug=slug)

    def title(self, suburb: Suburb) -> str:
        return _("News from %(suburb)s") % {"suburb": suburb.name}

    def link(self, suburb: Suburb) -> str:
        return reverse("opendata:index")

    def subtitle(self, suburb: Suburb) -> str:
        return _("Participation processes and events in %(suburb)s") % {"suburb": suburb.name}

    def items(self, suburb: Suburb):
        processes = list(Process.objects.filter(suburbs=suburb).order_by("-created_at")[:20])
        events = list(
            Event.objects.filter(
                suburb=suburb, ends_at__gte=timezone.now() - timezone.timedelta(days=30)
            ).order_by("-starts_at")[:20]
        )
        return sorted(processes + events, key=self.item_pubdate, reverse=True)[:30]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        if isinstance(item, Event):
            return _("%(when)s at %(place)s. %(description)s") % {
                "when": timezone.localtime(item.starts_at).strftime("%d.%m.%Y %H:%M"),
                "place": item.place,
                "description": item.description,
            }
        return item.description

    def item_link(self, item) -> str:
        if isinstance(item, Event):
            return reverse("events:detail", kwargs={"slug": item.slug})
        return reverse("participation:process_detail", kwargs={"slug": item.slug})

    def item_guid(self, item) -> str:
        return f"{type(item).__name__.lower()}-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at
