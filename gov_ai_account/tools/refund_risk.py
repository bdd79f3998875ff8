# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Refund risk: a transparent weighted sum of evidence, squashed into [0, 1].

Each feature adds log-odds to a prior; the explanation lists every feature
with its value and its contribution, so a reviewer sees why a credit note
scored as it did. Weights are expert priors, not trained values.
"""

import math

VERSION = "refund-risk-3"
# Log-odds of a credit note with no evidence at all (about 12 %).
PRIOR = -2.0
WEIGHTS = {
    # credit note amount over the invoice it reverses (a full return is
    # common and legitimate: up to 1 it weighs little)
    "ratio_to_invoice": 0.6,
    # credited beyond the invoice it reverses (capped at half of it more)
    "over_refund": 4.0,
    # no invoice linked: nothing proves the customer was charged this; the
    # value is the amount over the customer's average invoice (a goodwill
    # credit is a small part of it), 1 without history
    "no_invoice_linked": 1.0,
    # ... and beyond the customer's average invoice (capped at two more
    # averages): a return entered without its invoice stays below one
    "unlinked_beyond_average": 2.5,
    # credit note amount over the customer's invoiced total of the period
    "share_of_invoiced": 2.5,
    # the customer has no invoice in the period at all
    "no_invoiced_history": 2.0,
    # other credit notes of the customer in the recent window (capped at 5)
    "recent_credit_notes": 0.7,
    # credit notes per invoice over the period (capped at 1)
    "credit_note_frequency": 1.5,
    # months since the invoice, beyond the first three, over the nine that
    # follow (capped at 1), times the share of the invoice credited: a
    # warranty return of some months weighs little, crediting all of an
    # invoice close to a year old much more
    "invoice_age": 2.5,
}
LEVELS = ((0.3, "low"), (0.6, "medium"), (1.01, "high"))
# Invoices in the period needed for full confidence in the baseline.
FULL_HISTORY = 10


def level(score):
    """``low``, ``medium`` or ``high`` for a score in [0, 1]."""
    return next(name for bound, name in LEVELS if score < bound)


def assess(
    amount,
    *,
    invoice_amount=None,
    days_since_invoice=None,
    invoiced_total=0.0,
    invoice_count=0,
    credit_note_count=0,
    recent_credit_notes=0,
):
    """Score one credit note. Returns ``score``, ``level``, ``confidence`` and
    ``features``: ``{name: {"value", "contribution"}}`` of every feature used.

    ``invoiced_total``, ``invoice_count`` and ``credit_note_count`` describe
    the customer's history over the period; ``recent_credit_notes`` counts
    the customer's other credit notes in the recent window.
    """
    amount = abs(float(amount or 0.0))
    values = {}
    if invoice_amount:
        values["ratio_to_invoice"] = amount / abs(float(invoice_amount))
        if values["ratio_to_invoice"] > 1.0:
            values["over_refund"] = values["ratio_to_invoice"] - 1.0
    elif invoice_count and invoiced_total:
        average = abs(float(invoiced_total)) / invoice_count
        values["no_invoice_linked"] = min(amount / average, 1.0)
        if amount > average:
            values["unlinked_beyond_average"] = amount / average - 1.0
    else:
        values["no_invoice_linked"] = 1.0
    if invoice_count and invoiced_total:
        values["share_of_invoiced"] = amount / abs(float(invoiced_total))
    else:
        values["no_invoiced_history"] = 1.0
    values["recent_credit_notes"] = float(recent_credit_notes)
    if invoice_count:
        values["credit_note_frequency"] = credit_note_count / invoice_count
    elif credit_note_count:
        values["credit_note_frequency"] = 1.0
    if days_since_invoice is not None:
        values["invoice_age"] = max(days_since_invoice, 0) / 30.0

    # an old invoice weighs by the share of it credited: a small late price
    # adjustment is ordinary, crediting all of an invoice of last year is not
    credited = min(values.get("ratio_to_invoice", 1.0), 1.0)
    scaled = {
        "ratio_to_invoice": lambda v: min(v, 1.0),
        "over_refund": lambda v: min(v, 0.5),
        "share_of_invoiced": lambda v: min(v, 1.0),
        "recent_credit_notes": lambda v: min(v, 5.0),
        "credit_note_frequency": lambda v: min(v, 1.0),
        "unlinked_beyond_average": lambda v: min(v, 2.0),
        "invoice_age": lambda v: credited * min(max(v - 3.0, 0.0) / 9.0, 1.0),
    }
    features = {}
    log_odds = PRIOR
    for name, value in values.items():
        contribution = WEIGHTS[name] * scaled.get(name, lambda v: v)(value)
        log_odds += contribution
        features[name] = {
            "value": round(value, 4),
            "contribution": round(contribution, 4),
        }
    score = round(1.0 / (1.0 + math.exp(-log_odds)), 4)
    # Confidence grows with the history that backs the baseline; an unlinked
    # credit note is judged on less evidence.
    confidence = 0.5 + 0.45 * min(invoice_count, FULL_HISTORY) / FULL_HISTORY
    if not invoice_amount:
        confidence -= 0.15
    return {
        "score": score,
        "level": level(score),
        "confidence": round(max(confidence, 0.1), 4),
        "features": features,
        "prior": PRIOR,
    }


def describe(features):
    """Readable ``name value (+contribution)`` items, largest effect first."""
    ordered = sorted(features.items(), key=lambda item: -abs(item[1]["contribution"]))
    return [
        f"{name.replace('_', ' ')} {item['value']:g} ({item['contribution']:+.2f})"
        for name, item in ordered
    ]
