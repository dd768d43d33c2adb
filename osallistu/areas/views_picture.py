"""Public situational picture pages of the suburbs chosen for area development."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from osallistu.participation import rules

from . import picture
from .models import Suburb


def can_preview(user) -> bool:
    """Return True if the user may see the picture of a suburb that no decided round chose."""
    return rules.can(user, rules.Action.MANAGE_AREA_DATA) or rules.can(
        user, rules.Action.MANAGE_SELECTION
    )


@require_safe
def suburb_list(request):
    """List the chosen suburbs; staff who manage area data also get the others to preview."""
    chosen = list(picture.chosen_suburb_list().prefetch_related("postal_areas"))
    others = []
    if can_preview(request.user):
        others = list(Suburb.objects.exclude(pk__in=[suburb.pk for suburb in chosen]))
    return render(
        request, "areas/picture_list.html", {"suburbs": chosen, "preview_suburbs": others}
    )


@require_safe
def suburb_picture(request, slug: str):
    """Show a chosen suburb's situational picture; other suburbs are 404 except to staff."""
    try:
        # Only decided rounds make a picture public, so a draft choice never leaks.
        suburb_picture = picture.suburb_picture(slug, chosen_only=not can_preview(request.user))
    except Suburb.DoesNotExist:
        raise Http404("No such suburb.") from None
    except picture.SuburbNotChosen:
        raise Http404("The suburb is not in the area development programme.") from None
    context = {
        "picture": suburb_picture,
        "tile_attribution": getattr(settings, "OSALLISTU_MAP_TILE_ATTRIBUTION", ""),
    }
    return render(request, "areas/picture_detail.html", context)
