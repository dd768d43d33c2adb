from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def measure_number(value) -> str:
    """Format a baseline, target or reading in the active language without trailing zeros.

    Values are stored with two decimals, so 12.50 shows as "12,5" in Finnish and 100.00 as "100".
    """
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True)
