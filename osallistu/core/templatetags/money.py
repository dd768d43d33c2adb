from django import template

from osallistu.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    """Render an amount with grouping and currency: {{ area.budget|money:area.currency }}."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency or "EUR")
