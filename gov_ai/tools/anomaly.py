# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amount anomalies: modified z-score of log(amount) against a robust baseline.

M = 0.6745 * (log(x) - median) / MAD (Iglewicz and Hoaglin); |M| above 3.5 is
unusual. The MAD is floored so that a history of identical amounts does not
make every cent of difference infinitely unusual.
"""

import math
import statistics

VERSION = "mad-3"
THRESHOLD = 3.5
MAD_FLOOR = 0.05
MIN_HISTORY = 8


def baseline(amounts):
    """``(n, median, mad)`` of the logs of the positive ``amounts``."""
    logs = [math.log(float(a)) for a in amounts if a and float(a) > 0]
    if not logs:
        return 0, None, None
    median = statistics.median(logs)
    mad = statistics.median(abs(v - median) for v in logs)
    return len(logs), median, mad


def robust_z(amount, median, mad):
    """Modified z-score of ``amount`` (not its log) against a log baseline."""
    if not amount or float(amount) <= 0 or median is None:
        return None
    return 0.6745 * (math.log(float(amount)) - median) / max(mad or 0.0, MAD_FLOOR)


def confidence_from_z(z, *, fallback_baseline=False):
    """0.5 at the threshold, rising towards 1; lower on a borrowed baseline."""
    distance = abs(z)
    confidence = distance / (distance + THRESHOLD)
    if fallback_baseline:
        confidence *= 0.8
    return round(min(confidence, 0.99), 4)


def assess(amount, partner_baseline, global_baseline, *, min_history=MIN_HISTORY):
    """Compare ``amount`` with the partner's baseline, or the global one.

    Baselines are ``(n, median, mad)``. Returns a dict with ``anomalous``,
    ``z``, ``confidence``, ``ratio`` (amount over the baseline median),
    ``baseline`` ("partner" or "global"), ``n``, or ``None`` when no
    baseline has enough history.
    """
    chosen, scope = partner_baseline, "partner"
    if not chosen or chosen[0] < min_history:
        chosen, scope = global_baseline, "global"
    if not chosen or chosen[0] < min_history:
        return None
    n, median, mad = chosen
    z = robust_z(amount, median, mad)
    if z is None:
        return None
    anomalous = abs(z) > THRESHOLD
    return {
        "anomalous": anomalous,
        "z": round(z, 3),
        "confidence": confidence_from_z(z, fallback_baseline=scope == "global"),
        "ratio": round(float(amount) / math.exp(median), 3),
        "median": round(math.exp(median), 2),
        "mad_log": round(mad, 4),
        "baseline": scope,
        "n": n,
    }


def baseline_json(values):
    """A baseline ``(n, median, mad)`` as evidence, or ``None`` when empty."""
    if not values or not values[0]:
        return None
    count, median, mad = values
    return {"n": count, "median_log": round(median, 4), "mad_log": round(mad, 4)}
