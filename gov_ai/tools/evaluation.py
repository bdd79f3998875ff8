# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How good the answers of a use case are, from what reviewers decided.

Pure functions (standard library only). An *outcome* is 1 when a reviewer
accepted the answer and 0 when they rejected or overrode it; the stated
confidence of a well calibrated use case matches the share of its answers
that reviewers accept.
"""

import math

BANDS = 10
# Smallest share used in the population stability index, so that an empty
# bin does not make it infinite.
PSI_FLOOR = 1e-4


def _band(value, bands):
    """Index of the band of ``value`` in [0, 1] cut into ``bands`` parts."""
    return min(int(max(value, 0.0) * bands), bands - 1)


def calibration(pairs, bands=BANDS):
    """Calibration of ``pairs`` of (confidence, outcome).

    :return: ``{"n", "precision", "brier", "ece", "bands"}``; ``brier`` is
        the mean squared gap between confidence and outcome (0 is perfect),
        ``ece`` the expected calibration error (the gap between stated
        confidence and observed acceptance, weighted by band size), and
        ``bands`` one row per non-empty band: ``{"low", "high", "n",
        "confidence", "accepted"}``. None values when there is no pair.
    """
    pairs = [(float(c), 1 if o else 0) for c, o in pairs]
    n = len(pairs)
    if not n:
        return {"n": 0, "precision": None, "brier": None, "ece": None, "bands": []}
    grouped = {}
    for confidence, outcome in pairs:
        grouped.setdefault(_band(confidence, bands), []).append((confidence, outcome))
    rows, ece = [], 0.0
    for index in sorted(grouped):
        members = grouped[index]
        mean_confidence = sum(c for c, _o in members) / len(members)
        accepted = sum(o for _c, o in members) / len(members)
        ece += len(members) / n * abs(accepted - mean_confidence)
        rows.append(
            {
                "low": round(index / bands, 4),
                "high": round((index + 1) / bands, 4),
                "n": len(members),
                "confidence": round(mean_confidence, 4),
                "accepted": round(accepted, 4),
            }
        )
    return {
        "n": n,
        "precision": round(sum(o for _c, o in pairs) / n, 4),
        "brier": round(sum((c - o) ** 2 for c, o in pairs) / n, 4),
        "ece": round(ece, 4),
        "bands": rows,
    }


def population_stability(expected, actual, bands=BANDS):
    """Population stability index of ``actual`` against ``expected``.

    Both are values in [0, 1] (scores), cut into ``bands`` equal bins. By
    the usual reading, below 0.1 nothing moved, 0.1 to 0.25 is a shift worth
    a look, above 0.25 the inputs or the model changed. None when either
    side is empty.
    """
    if not expected or not actual:
        return None
    expected_counts = [0] * bands
    actual_counts = [0] * bands
    for value in expected:
        expected_counts[_band(float(value), bands)] += 1
    for value in actual:
        actual_counts[_band(float(value), bands)] += 1
    index = 0.0
    for before, now in zip(expected_counts, actual_counts, strict=True):
        p = max(before / len(expected), PSI_FLOOR)
        q = max(now / len(actual), PSI_FLOOR)
        index += (q - p) * math.log(q / p)
    return round(index, 4)
