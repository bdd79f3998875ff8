# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Price variance of a bill line: its unit price against the prices the
vendor billed for the same product, in the same unit and currency.

A vendor's totals may swing with the quantities delivered (fuel, freight,
hours) while its prices hardly move: a price keyed with a zero too many, or
raised far beyond the vendor's usual, is plain on the line even when the
total still looks like one of the vendor's big months. Only a price above
the usual counts: an amount billed above what was agreed is what gets
overpaid, a lower price is a discount or a credit.
"""

import math

from odoo.addons.gov_ai.tools import anomaly, seasonal

# The limit of the z-score: the amount check's.
THRESHOLD = anomaly.THRESHOLD

VERSION = "price-1"
# Fewest earlier prices of a product that give its usual price.
MIN_PRICES = 4
# A price is unusual from this multiple of the usual one on, and beyond
# THRESHOLD on the robust z-score of the log prices (a steady price that
# rises by a third is a new price list, not an anomaly). A price that
# always swung is unusual as amounts are, by its multiple
# (``seasonal.far_above``).
PRICE_MULTIPLE = 1.5


def assess(price, history):
    """Judge the unit ``price`` against the earlier prices ``history`` of the
    same product; ``None`` when there are fewer than :data:`MIN_PRICES`.

    Returns ``{"anomalous", "z", "ratio", "median", "n", "confidence"}``:
    ``ratio`` is the multiple of the usual (median) price."""
    n, median, mad = anomaly.baseline(history)
    if n < MIN_PRICES or not price or float(price) <= 0:
        return None
    z = anomaly.robust_z(price, median, mad)
    distance = math.log(float(price)) - median
    ratio = math.exp(distance)
    anomalous = (
        z > anomaly.THRESHOLD and ratio >= PRICE_MULTIPLE
    ) or seasonal.far_above(z, ratio)
    # as sure as the amount check is of the same multiple; upward only
    confidence = seasonal.confidence_of(max(z, 0.0), distance)
    return {
        "anomalous": anomalous,
        "z": round(z, 3),
        "ratio": round(ratio, 3),
        "median": round(math.exp(median), 4),
        "n": n,
        "confidence": round(min(confidence, 0.99), 4),
    }
