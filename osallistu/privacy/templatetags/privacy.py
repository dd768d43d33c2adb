from django import template

register = template.Library()


@register.inclusion_tag("privacy/includes/notice_link.html")
def privacy_notice_link(processing: str):
    """Render the sentence that links a form that collects data to its privacy notice."""
    return {"processing": processing}
