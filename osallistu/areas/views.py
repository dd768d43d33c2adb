from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import PostalArea


@require_safe
def area_list(request):
    return render(request, "areas/area_list.html", {"areas": PostalArea.objects.all()})


@require_safe
def area_detail(request, code: str):
    area = get_object_or_404(PostalArea, code=code)
    return render(request, "areas/area_detail.html", {"area": area})
