"""Format amounts of money for people, in the active language."""

from decimal import Decimal

from django.utils.formats import number_format

# Symbols written after the amount, as Finnish and Swedish style does; other currencies show
# their ISO 4217 code.
CURRENCY_SYMBOLS = {"EUR": "€"}


def format_money(amount: Decimal | int, currency: str = "EUR") -> str:
    """Return `amount` with thousands grouping and its currency, e.g. "50 000 €".

    Whole amounts have no decimals; others have two.
    """
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{number}\N{NO-BREAK SPACE}{CURRENCY_SYMBOLS.get(currency, currency)}"
