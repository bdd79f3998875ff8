# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The amount a counterpart is expected to bill, on a log scale: its own
median, moved to the month of the year when its bills follow the seasons,
with its own spread, or the spread of its peers when its history is thin.

``tools/anomaly.py`` judges an amount against the baseline made here; the
result carries the multiple of the expected amount, which reviewers read
more easily than a z-score.
"""

import math
import statistics

from .anomaly import MAD_FLOOR, THRESHOLD

# A season is a month of the year and its neighbours (each month of the
# year holds few bills of one counterpart; a season pools three months);
SEASON_SPAN = 1
# it needs this many bills to move the baseline,
MIN_MONTH = 3
# and to differ from the counterpart's usual by at least this factor.
MIN_SEASON = 2.0
# ... and the history this many distinct months.
MIN_MONTHS = 6
# Fewest own bills that still give the centre of a thin baseline.
MIN_OWN = 3
# An amount this many times (or this fraction of) the expected one is
# unusual at a lower z-score: volatile counterparts hide big multiples.
MULTIPLE = 5.0
MULTIPLE_Z = 2.2


def _logs(rows):
    return [
        (month, math.log(float(amount)))
        for month, amount in rows
        if amount and float(amount) > 0
    ]


def within_spread(groups):
    """The typical spread of one counterpart's log amounts around its own
    median (``groups``: lists of amounts, one per counterpart), or ``None``."""
    residuals = []
    for amounts in groups:
        logs = [math.log(float(a)) for a in amounts if a and float(a) > 0]
        if len(logs) >= MIN_OWN:
            median = statistics.median(logs)
            residuals.extend(abs(v - median) for v in logs)
    return statistics.median(residuals) if residuals else None


def season_of(month):
    """The months of the year pooled with ``month`` (1 to 12)."""
    return {
        (month - 1 + step) % 12 + 1 for step in range(-SEASON_SPAN, SEASON_SPAN + 1)
    }


def baseline(rows, month=None, *, min_history=8, peer_spread=None):
    """``rows``: ``(month, amount)`` of the counterpart's history. Returns
    ``{"n", "center", "mad", "scope", "season"}`` or ``None`` when the
    history is too thin even for a borrowed spread."""
    logs = _logs(rows)
    n = len(logs)
    if n < MIN_OWN or (n < min_history and peer_spread is None):
        return None
    values = [v for _m, v in logs]
    center = statistics.median(values)
    by_month = {}
    for row_month, value in logs:
        by_month.setdefault(row_month, []).append(value)
    season = None
    residuals = [v - center for v in values]
    mad = statistics.median(abs(r) for r in residuals)
    months_seen = {m for m in by_month if m}
    seasons = {m: _pooled(by_month, m) for m in months_seen | {month} if m}
    if (
        month
        and n >= min_history
        and len(months_seen) >= MIN_MONTHS
        and len(seasons[month]) >= MIN_MONTH
    ):
        medians = {
            m: statistics.median(vs)
            for m, vs in seasons.items()
            if len(vs) >= MIN_MONTH
        }
        # a real season only: a few bills of one season are noise otherwise
        if abs(medians[month] - center) >= max(math.log(MIN_SEASON), 2 * mad):
            season = round(math.exp(medians[month] - center), 3)
            overall = center
            center = medians[month]
            seasonal = {
                m
                for m, median in medians.items()
                if abs(median - overall) >= math.log(MIN_SEASON)
            }
            within = [v - (medians[m] if m in seasonal else overall) for m, v in logs]
            mad = statistics.median(abs(r) for r in within)
    scope = "partner"
    if n < min_history:
        mad, scope = max(mad, peer_spread), "peers"
    return {"n": n, "center": center, "mad": mad, "scope": scope, "season": season}


def _pooled(by_month, month):
    return [v for other in season_of(month) for v in by_month.get(other, ())]


def assess(amount, base):
    """Judge ``amount`` against ``base`` (see :func:`baseline`)."""
    if not amount or float(amount) <= 0 or not base:
        return None
    distance = math.log(float(amount)) - base["center"]
    z = 0.6745 * distance / max(base["mad"], MAD_FLOOR)
    multiple = math.exp(distance)
    anomalous = abs(z) > THRESHOLD or (
        abs(z) > MULTIPLE_Z and (multiple >= MULTIPLE or multiple <= 1 / MULTIPLE)
    )
    strength = max(abs(z), THRESHOLD * abs(distance) / math.log(MULTIPLE))
    confidence = strength / (strength + THRESHOLD)
    if base["scope"] != "partner":
        confidence *= 0.8
    return {
        "anomalous": anomalous,
        "z": round(z, 3),
        "confidence": round(min(confidence, 0.99), 4),
        "ratio": round(multiple, 3),
        "median": round(math.exp(base["center"]), 2),
        "mad_log": round(base["mad"], 4),
        "baseline": base["scope"],
        "season": base["season"],
        "n": base["n"],
    }
