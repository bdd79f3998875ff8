# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A counterpart's own rhythm, as it bears on a duplicate score: recurring
series (the same amount every period, an incrementing reference or the same
contract reference each period), split deliveries (one order billed as
``ORD-123-1`` and ``ORD-123-2``), and twin vendor records (the same name
once legal forms, markers such as "(old)" and separators are left out, or a
similar one: see :data:`SIMILAR_NAME`).

Plain functions over the minimised rows the duplicate detector already read;
no database.
"""

import itertools
import re
import statistics

from .duplicates import _as_date, amount_similarity

# The next bill of a series weighs this share of its raw score...
NEXT_IN_SERIES_WEIGHT = 0.5
# ... a bill that continues the vendor's own reference sequence this share ...
NEXT_NUMBER_WEIGHT = 0.7
# ... and one half of a split delivery this share.
SPLIT_WEIGHT = 0.6
# A second bill inside one period of a series gains this much.
SAME_PERIOD_BONUS = 0.1
# Shortest period that makes a rhythm (days), and how regular it must be.
MIN_PERIOD = 5
# Fewest dates that make a series.
MIN_SERIES = 3
REGULARITY = 0.35
_SPLIT = re.compile(r"^(.*?[0-9A-Za-z])\s*[-/_.]\s*([0-9]{1,2})$")
_LAST_NUMBER = re.compile(r"([0-9]+)(?!.*[0-9])")
# Words that mark a second record of one vendor, and legal forms.
NAME_NOISE = (
    "old",
    "new",
    "inactive",
    "archived",
    "duplicate",
    "dup",
    "do not use",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "ag",
    "sa",
    "sarl",
    "sas",
    "bv",
    "nv",
    "plc",
    "co",
    "corp",
)
# Words that join the parts of a name ("Gas & Power", "Gas and Power"),
# also left out when names are compared by similarity.
NAME_CONNECTORS = ("and", "und", "et")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE = re.compile(r"\b(" + "|".join(NAME_NOISE) + r")\b\.?")
_LOOSE_NOISE = re.compile(r"\b(" + "|".join(NAME_NOISE + NAME_CONNECTORS) + r")\b\.?")
_NAME_NON_ALNUM = re.compile(r"[^a-z0-9]")
# Shortest name key worth comparing (shorter keys match strangers).
MIN_NAME_KEY = 5
# Vendors whose loose name keys (see :func:`vendor_name_key`) are this
# similar (pg_trgm's trigram similarity) are twins too: a typo ("Cyberdine
# Telecom" 0.70), a dropped letter ("Wayne Logistcs" 0.71, "Umbrela
# Cleaning" 0.83), a plural ("Stark Office Supplies" 0.73). Distinct vendors
# that merely share words stay below ("Northern Electric" and "Southern
# Electric" 0.55, "Acme Glass" and "Acme Gas" 0.38, "Blue Sky Software" and
# "Blue Sea Software" 0.60) ...
SIMILAR_NAME = 0.65
# ... when both keys have this many characters at least (a letter of a
# short name is a large part of it), and no digits: numbered names ("Alpha
# Consulting 1" and "Alpha Consulting 2", 0.79 alike, "Vendor 0123") are
# distinct vendors whose names differ by the number alone.
MIN_SIMILAR_NAME_KEY = 8
# A bill of a twin found by a similar name only weighs this share of its
# score: the name alone is weaker evidence than a VAT number or an account.
# Below 0.83, a bill whose reference carries another number (0.725 at most)
# stays under the default review threshold (0.6), one with the same
# reference (0.85 at least) above it.
SIMILAR_NAME_WEIGHT = 0.8


def vendor_name_key(name, *, loose=False):
    """The name of a vendor as its twins share it: lower case, without
    bracketed remarks, markers such as "old", legal forms and separators
    ("Acme Gas & Power (old)" and "ACME Gas and Power Ltd" are not equal, but
    "Cyberdyne-Telecom" and "Cyberdyne Telecom" are). The ``loose`` key, that
    similar names are compared on, also leaves out connectors such as
    "and"."""
    if not name:
        return ""
    text = _PARENTHESES.sub(" ", str(name).lower())
    text = (_LOOSE_NOISE if loose else _NOISE).sub(" ", text)
    key = _NAME_NON_ALNUM.sub("", text)
    return key if len(key) >= MIN_NAME_KEY else ""


def similar_name_reason(name, like, similarity):
    """Why a bill of vendor ``name`` is compared with one of vendor ``like``."""
    return f"vendor '{name}' is named like '{like}' (similarity {similarity:.2f})"


def split_parts(left, right):
    """Whether two raw references are two parts of one order (``ORD-123-1``
    and ``ORD-123-2``): the same base, another short suffix."""
    if not left or not right:
        return False
    match_left = _SPLIT.match(str(left).strip())
    match_right = _SPLIT.match(str(right).strip())
    if not (match_left and match_right):
        return False
    base_left = re.sub(r"[^0-9A-Z]", "", match_left.group(1).upper())
    base_right = re.sub(r"[^0-9A-Z]", "", match_right.group(1).upper())
    return base_left == base_right and int(match_left.group(2)) != int(
        match_right.group(2)
    )


def next_number(left, right):
    """Whether two references differ only by a small step of their last number
    (``FA26011839`` and ``FA26011840``): the vendor's own sequence."""
    if not left or not right:
        return False
    left, right = str(left).strip().upper(), str(right).strip().upper()
    match_left, match_right = _LAST_NUMBER.search(left), _LAST_NUMBER.search(right)
    if not (match_left and match_right):
        return False
    if left[: match_left.start()] != right[: match_right.start()]:
        return False
    step = abs(int(match_left.group(1)) - int(match_right.group(1)))
    return 0 < step <= 12


def rhythm(days):
    """The period in days of a series of dates (``None`` without a regular
    one): the median gap, when most gaps are near it. Two dates are no
    series: one gap says nothing of a rhythm."""
    days = sorted(set(days))
    if len(days) < MIN_SERIES:
        return None
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(days)]
    period = statistics.median(gaps)
    if period < MIN_PERIOD:
        return None
    regular = [gap for gap in gaps if abs(gap - period) <= REGULARITY * period]
    if len(regular) * 2 < len(gaps):
        return None
    return period


def adjust(target, match, candidates, *, tolerance=0.005):
    """The score of ``match`` (a scored candidate: ``id``, ``score``,
    ``factors``) once the counterpart's rhythm is known, and the reasons.

    Returns ``(score, reasons)``. ``candidates`` are all the rows compared,
    the series is read from those with the same amount as ``target``.
    """
    candidate = next(row for row in candidates if row["id"] == match["id"])
    score, reasons = match["score"], []
    target_day = _as_date(target.get("date"))
    same_reference = match["factors"].get("reference") == 1.0
    if split_parts(target.get("reference"), candidate.get("reference")):
        return round(score * SPLIT_WEIGHT, 4), [
            "another part of one split delivery (reference suffix)"
        ]
    if target_day is None:
        return score, reasons
    series = [
        _as_date(row.get("date"))
        for row in candidates
        if (amount_similarity(target.get("amount"), row.get("amount"), tolerance) or 0)
        >= 0.9
        and _as_date(row.get("date"))
    ]
    period = rhythm(series)
    nearest = min((abs((target_day - day).days) for day in series), default=None)
    if period and nearest is not None:
        if nearest >= (1 - REGULARITY) * period:
            reasons.append(f"next bill of a series every {period:g} days")
            return round(score * NEXT_IN_SERIES_WEIGHT, 4), reasons
        if nearest < REGULARITY * period:
            reasons.append(f"second bill within one period of {period:g} days")
            return round(min(0.99, score + SAME_PERIOD_BONUS), 4), reasons
    candidate_day = _as_date(candidate.get("date"))
    if (
        not same_reference
        and candidate_day
        and abs((target_day - candidate_day).days) >= MIN_PERIOD
        and next_number(target.get("reference"), candidate.get("reference"))
    ):
        reasons.append("next number of the vendor's own sequence")
        return round(score * NEXT_NUMBER_WEIGHT, 4), reasons
    return score, reasons
