"""Vote-counting rules as plain Python, with no Django import, so they can be read and tested alone.

Amounts are exact (int, Fraction or Decimal); no rule compares floating-point numbers.
"""
