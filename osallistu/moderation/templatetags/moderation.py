from django import template

from .. import selectors

register = template.Library()


@register.filter
def content_kind(content) -> str:
    """Return the URL name of a moderated object's type, for example "idea"."""
    return selectors.content_type_name(content)


@register.filter
def content_url(content) -> str:
    """Return the path of the page that shows an idea or comment."""
    return selectors.content_url(content)


@register.simple_tag(takes_context=True)
def is_process_moderator(context, process) -> bool:
    """Return True if the signed-in user moderates `process`; call it once per page."""
    return selectors.is_moderator(context["request"].user, process)
