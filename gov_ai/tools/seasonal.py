# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The amount a counterpart is expected to bill, on a log scale: its own
median, or the level of its season when its bills follow the seasons (two
levels of the year, told apart by the months their bills fall in), with its
own spread, or the spread of its peers when its history is thin.

``tools/anomaly.py`` judges an amount against the baseline made here; the
result carries the multiple of the expected amount, which reviewers read
more easily than a z-score.
"""

import math
import statistics

from .anomaly import MAD_FLOOR, THRESHOLD

# Each level of a seasonal counterpart needs this many bills,
MIN_MONTH = 3
# the two levels must differ by at least this factor,
MIN_SEASON = 2.0
# and by this many times the spread of the bills around their own level
# (a volatile counterpart always splits in two, but not this cleanly).
SEASON_SPREADS = 4.0
# A month's own bills tell its season from this many bills on.
MIN_KNOWN = 2
# The history must cover this many distinct months of the year.
MIN_MONTHS = 6
# Fewest own bills that still give the centre of a thin baseline.
MIN_OWN = 3
# Above the expected amount, this multiple is unusual at a lower z-score:
# volatile counterparts hide big multiples, and an amount billed above
# what was expected is what gets overpaid. Below it only THRESHOLD counts.
MULTIPLE = 3.0
MULTIPLE_Z = 2.0


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


def seasons(by_month):
    """Split the months of the year into a low and a high season.

    ``by_month``: log amounts per month of the year. The months are ordered
    by their median and cut where the bills lie closest to the level of
    their side; returns ``(high_months, low_level, high_level, spread)`` or
    ``None`` when the counterpart has no seasons (one level, two levels that
    its spread explains, or high months scattered over the year)."""
    medians = {m: statistics.median(values) for m, values in by_month.items()}
    ordered = sorted(medians, key=medians.get)
    best = None
    for cut in range(1, len(ordered)):
        low = [v for m in ordered[:cut] for v in by_month[m]]
        high = [v for m in ordered[cut:] for v in by_month[m]]
        if len(low) < MIN_MONTH or len(high) < MIN_MONTH:
            continue
        levels = statistics.median(low), statistics.median(high)
        residuals = [abs(v - levels[0]) for v in low]
        residuals += [abs(v - levels[1]) for v in high]
        cost = sum(residuals)
        if best is None or cost < best[0]:
            best = (cost, set(ordered[cut:]), levels, residuals)
    if best is None:
        return None
    _cost, high_months, (low_level, high_level), residuals = best
    spread = statistics.median(residuals)
    if high_level - low_level < max(math.log(MIN_SEASON), SEASON_SPREADS * spread):
        return None
    if not _one_run(_known(by_month), high_months):
        return None
    return high_months, low_level, high_level, spread


def _known(by_month):
    """The months of the year whose level their own bills tell (one bill
    alone may be an exception of its month)."""
    return sorted(m for m, values in by_month.items() if len(values) >= MIN_KNOWN)


def _one_run(months, high_months):
    """Whether the high months follow each other in the year (among the
    ``months`` given, December next to January): a season is one stretch of
    the year, random months with big bills are not."""
    sides = [m in high_months for m in months]
    changes = sum(1 for i, side in enumerate(sides) if side != sides[i - 1])
    return changes <= 2


def _season_of(month, by_month, high_months):
    """Whether ``month`` is in the high season: by its own bills, or by its
    neighbours in the year when both agree; ``None`` when it is unknown."""
    known = _known(by_month)
    if month in known:
        return month in high_months
    if not known:
        return None
    before = max((m for m in known if m < month), default=known[-1])
    after = min((m for m in known if m > month), default=known[0])
    if (before in high_months) != (after in high_months):
        return None
    return before in high_months


def baseline(rows, month=None, *, min_history=8, peer_spread=None):
    """``rows``: ``(month, amount)`` of the counterpart's history. Returns
    ``{"n", "center", "mad", "scope", "season", "levels"}`` or ``None`` when
    the history is too thin even for a borrowed spread. ``levels`` holds the
    levels of both seasons when the month of the year falls between them
    (no bills of its own, neighbours in different seasons): the amount is
    then judged against the nearer one."""
    logs = _logs(rows)
    n = len(logs)
    if n < MIN_OWN or (n < min_history and peer_spread is None):
        return None
    values = [v for _m, v in logs]
    center = statistics.median(values)
    mad = statistics.median(abs(v - center) for v in values)
    season = None
    by_month = {}
    for row_month, value in logs:
        if row_month:
            by_month.setdefault(row_month, []).append(value)
    split = None
    if month and n >= min_history and len(by_month) >= MIN_MONTHS:
        split = seasons(by_month)
    levels = None
    if split:
        high_months, low_level, high_level, spread = split
        high = _season_of(month, by_month, high_months)
        if high is None:
            # a month between the seasons: either level may be expected
            levels, mad = (low_level, high_level), spread
        else:
            level = high_level if high else low_level
            if abs(level - center) >= math.log(MIN_SEASON):
                # the season that moves the amount away from the usual
                season = round(math.exp(level - center), 3)
            center, mad = level, spread
    scope = "partner"
    if n < min_history:
        mad, scope = max(mad, peer_spread), "peers"
    return {
        "n": n,
        "center": center,
        "mad": mad,
        "scope": scope,
        "season": season,
        "levels": levels,
    }


def far_above(z, multiple):
    """Whether a value ``multiple`` times the expected one, at robust
    z-score ``z``, is unusual by its multiple (see :data:`MULTIPLE`)."""
    return z > MULTIPLE_Z and multiple >= MULTIPLE


def confidence_of(z, distance):
    """How sure a finding at z-score ``z`` and log ``distance`` above the
    expected value is: as sure as its z-score says, or as its multiple says
    when that says more (:data:`MULTIPLE` times the expected counts as much
    as the z-score's limit)."""
    strength = max(z, THRESHOLD * max(distance, 0.0) / math.log(MULTIPLE), 0.0)
    return strength / (strength + THRESHOLD)


def assess(amount, base):
    """Judge ``amount`` against ``base`` (see :func:`baseline`)."""
    if not amount or float(amount) <= 0 or not base:
        return None
    value = math.log(float(amount))
    center = base["center"]
    if base.get("levels"):
        center = min(base["levels"], key=lambda level: abs(value - level))
    distance = value - center
    z = 0.6745 * distance / max(base["mad"], MAD_FLOOR)
    multiple = math.exp(distance)
    by_multiple = abs(z) <= THRESHOLD and far_above(z, multiple)
    anomalous = abs(z) > THRESHOLD or by_multiple
    confidence = confidence_of(abs(z), distance)
    if base["scope"] != "partner":
        confidence *= 0.8
    return {
        "anomalous": anomalous,
        "z": round(z, 3),
        "confidence": round(min(confidence, 0.99), 4),
        "ratio": round(multiple, 3),
        "median": round(math.exp(center), 2),
        "mad_log": round(base["mad"], 4),
        "baseline": base["scope"],
        "season": base["season"],
        "by_multiple": by_multiple,
        "n": base["n"],
    }
