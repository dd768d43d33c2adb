from django import template

from ..selectors import is_following

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, target) -> dict:
    """Return the URL name of `target`'s type and whether the signed-in user follows it."""
    return {
        "kind": target._meta.model_name,
        "following": is_following(context["request"].user, target),
    }
