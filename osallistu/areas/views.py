from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import maps, selectors
from .models import PostalArea


@require_safe
def area_list(request):
    return render(request, "areas/area_list.html", {"table": selectors.area_list()})


@require_safe
def area_detail(request, code: str):
    try:
        detail = selectors.area_detail(code)
    except PostalArea.DoesNotExist:
        raise Http404(_("No such postal area.")) from None
    area_map = maps.render_area_map(
        detail.area, detail.neighbours, color=settings.OSALLISTU_PRIMARY_COLOR
    )
    return render(request, "areas/area_detail.html", {"detail": detail, "area_map": area_map})
