# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benford screen: first significant digits of a history of amounts.

Naturally occurring amounts spread over several orders of magnitude have a
leading digit d with probability log10(1 + 1/d). The conformity measure is
Nigrini's mean absolute deviation (MAD) of the observed proportions from
Benford's, with his first-digit bands; Pearson's chi-square (8 degrees of
freedom) guards the other end: on small samples the MAD is inflated by mere
noise, while the chi-square flags nearly everything on large ones. A history
is flagged only when both agree (MAD beyond the nonconformity bound and the
chi-square significant at 5 %). A departure is a reason to look, never
proof of anything: prices, fees and recurring bills legitimately break the law.
"""

import math

VERSION = "benford-1"
DIGITS = range(1, 10)
EXPECTED = {d: math.log10(1 + 1 / d) for d in DIGITS}
# Nigrini (2012), first digits: upper bounds of the MAD bands.
MAD_BANDS = (
    (0.006, "close"),
    (0.012, "acceptable"),
    (0.015, "marginal"),
)
NONCONFORMITY = 0.015
SIGNIFICANCE = 0.05
MIN_SAMPLE = 100


def first_digit(amount):
    """The first significant digit of ``amount`` (1-9), or ``None`` for 0."""
    if amount is None or amount is False:
        return None
    text = format(abs(float(amount)), ".6e")  # '1.234500e+02'
    digit = int(text[0])
    return digit or None


def digit_counts(amounts):
    """``{digit: count}`` of the first significant digits of ``amounts``."""
    counts = dict.fromkeys(DIGITS, 0)
    for amount in amounts:
        digit = first_digit(amount)
        if digit:
            counts[digit] += 1
    return counts


def chi2_sf_8(statistic):
    """Survival function of the chi-square law with 8 degrees of freedom.

    With an even number of degrees of freedom 2k it has the closed form
    exp(-x/2) * sum_{i<k} (x/2)^i / i!.
    """
    half = statistic / 2.0
    return math.exp(-half) * sum(half**i / math.factorial(i) for i in range(4))


def conformity_band(mad):
    for limit, band in MAD_BANDS:
        if mad <= limit:
            return band
    return "nonconformity"


def screen(counts, *, min_sample=MIN_SAMPLE):
    """Compare first-digit ``counts`` (``{digit: n}``) with Benford's law.

    Returns a dict with ``n``, ``mad``, ``band``, ``chi2``, ``p_value``,
    ``nonconforming``, ``confidence``, ``observed``/``expected`` proportions
    and the digits that depart the most; ``sufficient`` is False below
    ``min_sample`` amounts, and nothing is concluded then.
    """
    counts = {int(d): int(counts.get(d) or counts.get(str(d)) or 0) for d in DIGITS}
    total = sum(counts.values())
    result = {
        "n": total,
        "min_sample": min_sample,
        "sufficient": total >= min_sample and total > 0,
        "expected": {str(d): round(EXPECTED[d], 4) for d in DIGITS},
    }
    if not total:
        return result | {"nonconforming": False, "confidence": 0.0}
    observed = {d: counts[d] / total for d in DIGITS}
    deviations = {d: observed[d] - EXPECTED[d] for d in DIGITS}
    mad = sum(abs(v) for v in deviations.values()) / 9
    chi2 = sum(
        (counts[d] - total * EXPECTED[d]) ** 2 / (total * EXPECTED[d]) for d in DIGITS
    )
    band = conformity_band(mad)
    p_value = chi2_sf_8(chi2)
    nonconforming = (
        result["sufficient"] and band == "nonconformity" and p_value < SIGNIFICANCE
    )
    # Confidence in the verdict: 0.5 at the nonconformity bound, rising with
    # the distance from it on either side; a screen never claims certainty,
    # so it stays below 0.9.
    if not result["sufficient"]:
        confidence = 0.0
    elif nonconforming:
        confidence = mad / (mad + NONCONFORMITY)
    else:
        confidence = NONCONFORMITY / (mad + NONCONFORMITY)
    worst = sorted(DIGITS, key=lambda d: -abs(deviations[d]))[:3]
    return result | {
        "observed": {str(d): round(observed[d], 4) for d in DIGITS},
        "mad": round(mad, 5),
        "band": band,
        "chi2": round(chi2, 3),
        "p_value": round(p_value, 6),
        "nonconforming": nonconforming,
        "confidence": round(min(confidence, 0.89), 4),
        "largest_departures": [
            {
                "digit": d,
                "observed": round(observed[d], 4),
                "expected": round(EXPECTED[d], 4),
            }
            for d in worst
        ],
    }
