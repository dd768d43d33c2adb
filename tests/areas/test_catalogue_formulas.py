"""Formulas of Paavo-derived indicators read as the computation they describe."""

import re

from osallistu.areas.catalogue import INDICATORS


def test_multi_term_sums_are_bracketed():
    formulas = [spec.formula for spec in INDICATORS if " + " in spec.formula]

    assert formulas
    for formula in formulas:
        unbracketed = re.sub(r"\([^()]*\)", "", formula)
        assert " + " not in unbracketed, formula
