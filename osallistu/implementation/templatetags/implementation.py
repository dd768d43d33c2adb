"""Template tags that link budgeting results and programme pages to implementation pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import selectors

register = template.Library()


@register.simple_tag
def implementation_links(projects) -> dict[int, int]:
    """Return {project pk: item pk} for the public items of `projects`, in one query."""
    return selectors.item_links(projects)


@register.simple_tag
def implementation_link(links: dict, project) -> str:
    """Return a link to the project's implementation page, or "" if it has no public item."""
    item_pk = links.get(project.pk)
    if item_pk is None:
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("implementation:item_detail", kwargs={"pk": item_pk}),
        _("Follow its implementation"),
    )


@register.simple_tag
def package_item(package):
    """Return the public implementation item of a project package, or None."""
    return selectors.item_list().filter(package=package).first()
