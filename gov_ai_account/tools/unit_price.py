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
import statistics

from odoo.addons.gov_ai.tools.anomaly import MAD_FLOOR, THRESHOLD
from odoo.addons.gov_ai.tools.seasonal import MULTIPLE, MULTIPLE_Z

VERSION = "price-1"
# Fewest earlier prices of a product that give its usual price.
MIN_PRICES = 4
# A price is unusual from this multiple of the usual one on, and beyond
# THRESHOLD on the robust z-score of the log prices (a steady price that
# rises by a third is a new price list, not an anomaly). A price that
# always swung is unusual, as amounts are, from MULTIPLE times its usual on
# at a z-score beyond MULTIPLE_Z.
PRICE_MULTIPLE = 1.5


def assess(price, history):
    """Judge the unit ``price`` against the earlier prices ``history`` of the
    same product; ``None`` when there are fewer than :data:`MIN_PRICES`.

    Returns ``{"anomalous", "z", "ratio", "median", "n", "confidence"}``:
    ``ratio`` is the multiple of the usual (median) price."""
    logs = [math.log(float(p)) for p in history if p and float(p) > 0]
    if not price or float(price) <= 0 or len(logs) < MIN_PRICES:
        return None
    median = statistics.median(logs)
    mad = statistics.median(abs(v - median) for v in logs)
    distance = math.log(float(price)) - median
    z = 0.6745 * distance / max(mad, MAD_FLOOR)
    ratio = math.exp(distance)
    anomalous = (z > THRESHOLD and ratio >= PRICE_MULTIPLE) or (
        z > MULTIPLE_Z and ratio >= MULTIPLE
    )
    # as sure as the amount check is of the same multiple: a price ten times
    # its usual is a finding to review, not a low-confidence guess
    strength = max(z, THRESHOLD * distance / math.log(MULTIPLE), 0.0)
    return {
        "anomalous": anomalous,
        "z": round(z, 3),
        "ratio": round(ratio, 3),
        "median": round(math.exp(median), 4),
        "n": len(logs),
        "confidence": round(min(strength / (strength + THRESHOLD), 0.99), 4),
    }
