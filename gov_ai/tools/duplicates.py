# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicate scoring: OCR-aware references, amount tolerance, date proximity.

Candidates are found by the caller (in SQL); this module only compares two
already minimised records and says why they look alike.
"""

import difflib
import functools
import re
from datetime import date, datetime

VERSION = "dup-3"
# Letters OCR and typists confuse with digits, mapped to the digit.
OCR_MAP = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8"})
_NON_ALNUM = re.compile(r"[^A-Z0-9]")
# Zeros leading a group of digits ("INV-0012" -> "INV-12").
_LEADING_ZEROS = re.compile(r"(^|[^0-9])0+(?=[0-9])")
WEIGHTS = {"reference": 0.55, "amount": 0.30, "date": 0.15}
# Below this a candidate is not worth showing at all.
MIN_SCORE = 0.5
# Similar references that carry different numbers are mostly different
# documents of one vendor (the next invoice of a sequence): their similarity
# counts for this share only, so that amount and date must confirm.
OTHER_NUMBER_WEIGHT = 0.5
_DIGITS = re.compile(r"[0-9]+")


def normalize_reference(reference):
    """Upper case, OCR look-alikes as digits, no separators, no leading zeros."""
    if not reference:
        return ""
    return _normalize(str(reference))


@functools.lru_cache(maxsize=8192)
def _normalize(text):
    text = text.upper().translate(OCR_MAP)
    return _NON_ALNUM.sub("", _LEADING_ZEROS.sub(r"\1", text))


def reference_similarity(left, right):
    """1.0 for equal normalised references, else their difflib ratio."""
    left, right = normalize_reference(left), normalize_reference(right)
    if not left or not right:
        return None
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def other_number(left, right):
    """Whether two references carry different numbers once normalised
    (``INV-2026-0124`` and ``INV-2026-0125``), as opposed to a mere change of
    case, separators, leading zeros or OCR look-alikes."""
    left, right = normalize_reference(left), normalize_reference(right)
    numbers_left, numbers_right = _DIGITS.findall(left), _DIGITS.findall(right)
    return bool(numbers_left and numbers_right) and numbers_left != numbers_right


def amount_similarity(left, right, tolerance=0.005):
    """1.0 when equal to the cent, 0.9 within ``tolerance`` (relative), else 0."""
    if left is None or right is None or left is False or right is False:
        return None
    left, right = float(left), float(right)
    difference = abs(left - right)
    if difference < 0.005:
        return 1.0
    if difference <= max(0.01, tolerance * max(abs(left), abs(right))):
        return 0.9
    return 0.0


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def date_similarity(left, right, window_days=30):
    """Linear decay from 1.0 (same day) to 0.0 at ``window_days`` apart."""
    left, right = _as_date(left), _as_date(right)
    if left is None or right is None:
        return None
    days = abs((left - right).days)
    return max(0.0, 1.0 - days / float(window_days or 1))


def duplicate_score(target, candidate, *, tolerance=0.005, window_days=30):
    """Score ``candidate`` as a duplicate of ``target``.

    Both are dicts with optional keys ``reference``, ``amount`` and ``date``.
    Missing factors are left out and the weights of the others rescaled; a
    pair sharing no factor scores 0. Returns ``(score, factors)``.
    """
    factors = _cheap_factors(target, candidate, tolerance, window_days)
    factors["reference"] = reference_similarity(
        target.get("reference"), candidate.get("reference")
    )
    if factors["reference"] == 1.0:
        factors.pop("other_number", None)
    return _combine(factors), factors


def _cheap_factors(target, candidate, tolerance, window_days):
    """Every factor but the reference similarity (the costly one)."""
    factors = {
        "amount": amount_similarity(
            target.get("amount"), candidate.get("amount"), tolerance
        ),
        "date": date_similarity(target.get("date"), candidate.get("date"), window_days),
    }
    if normalize_reference(target.get("reference")) and normalize_reference(
        candidate.get("reference")
    ):
        factors["other_number"] = other_number(
            target.get("reference"), candidate.get("reference")
        )
    return factors


def _combine(factors):
    present = {
        key: value
        for key, value in factors.items()
        if value is not None and key in WEIGHTS
    }
    if not present:
        return 0.0
    if factors.get("other_number"):
        present["reference"] *= OTHER_NUMBER_WEIGHT
    total = sum(WEIGHTS[key] for key in present)
    score = sum(WEIGHTS[key] * value for key, value in present.items()) / total
    # One factor alone is weak evidence: cap it below the review band.
    if len(present) == 1:
        score = min(score, 0.6)
    return round(score, 4)


def score_bound(target, candidate, *, tolerance=0.005, window_days=30):
    """An upper bound of :func:`duplicate_score`, without comparing the
    references: the best they could do is to be equal."""
    factors = _cheap_factors(target, candidate, tolerance, window_days)
    if "other_number" in factors:
        factors["reference"] = 1.0
    return _combine(factors)


def explain_factors(factors):
    """Short reasons a reviewer can check, one per factor."""
    reasons = []
    reference = factors.get("reference")
    if reference is not None:
        if reference == 1.0:
            reasons.append("same reference once normalised")
        elif factors.get("other_number"):
            reasons.append(
                f"reference {round(reference * 100)}% similar but another number"
            )
        else:
            reasons.append(f"reference {round(reference * 100)}% similar")
    amount = factors.get("amount")
    if amount == 1.0:
        reasons.append("same amount")
    elif amount:
        reasons.append("amount within tolerance")
    elif amount is not None:
        reasons.append("different amount")
    day = factors.get("date")
    if day is not None:
        reasons.append(
            "same date" if day == 1.0 else f"dates close (proximity {day:.2f})"
        )
    return reasons


def find_duplicates(
    target, candidates, *, tolerance=0.005, window_days=30, top=3, rescore=None
):
    """The best ``top`` candidates at or above :data:`MIN_SCORE`, best first.

    ``candidates`` are dicts with an ``id``; each match is
    ``{"id", "score", "factors", "reasons"}``. ``rescore(target, match,
    candidates)``, when given, returns the score of a match and extra
    reasons once the counterpart's history is considered (its series, its
    split deliveries: ``tools/series.py``).
    """
    matches = []
    for candidate in candidates:
        bound = score_bound(
            target, candidate, tolerance=tolerance, window_days=window_days
        )
        if bound < MIN_SCORE:
            continue  # not worth comparing the references
        score, factors = duplicate_score(
            target, candidate, tolerance=tolerance, window_days=window_days
        )
        if score < MIN_SCORE:
            continue
        match = {"id": candidate["id"], "score": score, "factors": factors}
        reasons = explain_factors(factors)
        if rescore is not None:
            match["raw_score"] = score
            match["score"], extra = rescore(target, match, candidates)
            reasons += extra
            if match["score"] < MIN_SCORE:
                continue
        match["reasons"] = reasons
        matches.append(match)
    matches.sort(key=lambda match: (-match["score"], match["id"]))
    return matches[:top]
