"""Customer credit notes as accountants enter them, labelled case by case.

A seeded generator makes a year of posted customer invoices through the ORM
(regular customers, customers who were refunded often lately, dormant
customers invoiced only more than a year ago, new customers never
invoiced), then enters credit notes the way accountants do, all of them
drafts at once as one clerk's batch:

- through the Credit Note button of an invoice (Odoo's reversal wizard), which
  makes a full reversal, then cut to the part returned or raised above the
  invoice on the draft;
- as new credit notes without any invoice (goodwill, or a large unexplained
  credit).

Legitimate (label 0): a full return of a recent invoice, a partial return, a
small goodwill credit, a late price adjustment, a return entered without
linking its invoice, a warranty return of an invoice some months old.
Suspicious (label 1): a credit above the invoice it reverses, a large credit
linked to no invoice, a credit to a customer without invoices in the year,
another credit (full or partial) to a customer refunded often lately, a full
credit of an invoice close to a year old. The legitimate returns entered
without their invoice and the warranty returns look like the suspicious
kinds on purpose.

The shipped refund-risk rule queues each credit note when it is saved and
again when it is edited; the AI queue answers them; the score read is the
last one of each credit note, as the reviewer sees it. Reported: the area
under the ROC curve (the chance that a suspicious credit note scores above a
legitimate one), the share sent for review at the use case's threshold per
kind, and the mean score per kind. Odoo has no refund-risk check to compare
with.
"""

import math
import random
from datetime import timedelta

from odoo import fields

SEED = 20261204
KINDS = {"regular": 24, "refunder": 6, "dormant": 5, "new": 5}
# kind of test credit note -> (label, how many)
CASES = {
    "full_return_recent": (0, 30),
    "partial_return": (0, 30),
    "goodwill": (0, 30),
    "late_adjustment": (0, 20),
    "unlinked_return": (0, 20),
    "warranty_return": (0, 15),
    "over_refund": (1, 15),
    "large_unlinked": (1, 15),
    "no_invoiced_history": (1, 15),
    "frequent_refunder": (1, 15),
    "old_invoice_full": (1, 15),
    "refunder_partial": (1, 10),
}


def run(env):
    """Generate, enter and score the credit notes; returns the report."""
    rng = random.Random(SEED)
    today = fields.Date.context_today(env["account.move"])
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
    )
    customers = _customers(env, rng, journal, today)
    use_case = env.ref("gov_ai_account.gov_ai_use_case_refund_risk")
    notes = _enter_credit_notes(env, rng, customers, journal, today)
    env.flush_all()
    Recommendation = env["gov.ai.recommendation"]
    while Recommendation._cron_process(batch_size=200):
        pass
    return _report(env, use_case, notes)


def _customers(env, rng, journal, today):
    customers = []
    for kind, count in KINDS.items():
        for index in range(count):
            partner = env["res.partner"].create(
                {"name": f"Refund {kind.title()} {index:02d}", "is_company": True}
            )
            customer = {
                "kind": kind,
                "partner": partner,
                "mu": rng.uniform(5.5, 8.0),
                "invoices": [],
            }
            if kind in ("regular", "refunder"):
                for days_ago in sorted(rng.sample(range(5, 360), rng.randint(8, 16))):
                    customer["invoices"].append(
                        _invoice(env, rng, customer, journal, today, days_ago)
                    )
            elif kind == "dormant":
                for days_ago in rng.sample(range(400, 700), rng.randint(4, 8)):
                    _invoice(env, rng, customer, journal, today, days_ago)
            if kind == "refunder":
                # refunded often lately: posted credit notes of the last weeks
                for invoice in customer["invoices"][-rng.randint(4, 6) :]:
                    day = today - timedelta(days=rng.randint(5, 80))
                    note = _reverse(env, invoice, max(day, invoice.invoice_date))
                    _scale(note, rng.uniform(0.3, 1.0))
                    _post(note)
            elif kind == "regular" and rng.random() < 0.5:
                # now and then a credit note, long ago
                old = [
                    i
                    for i in customer["invoices"]
                    if i.invoice_date < today - timedelta(days=120)
                ]
                if old:
                    note = _reverse(env, rng.choice(old), today - timedelta(days=100))
                    _scale(note, rng.uniform(0.1, 0.5))
                    _post(note)
            customers.append(customer)
    return customers


def _invoice(env, rng, customer, journal, today, days_ago):
    amount = round(math.exp(rng.gauss(customer["mu"], 0.35)), 2)
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer["partner"].id,
            "journal_id": journal.id,
            "invoice_date": today - timedelta(days=days_ago),
            "invoice_line_ids": [_line("Services", amount)],
        }
    )
    _post(move)
    return move


def _line(name, price):
    return (
        0,
        0,
        {"name": name, "quantity": 1, "price_unit": price, "tax_ids": [(5, 0, 0)]},
    )


def _post(move):
    move.action_post()
    return move


def _reverse(env, invoice, day):
    """The Credit Note button of ``invoice``: Odoo's reversal wizard, which
    makes a draft credit note of the whole invoice."""
    wizard = (
        env["account.move.reversal"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"journal_id": invoice.journal_id.id, "date": day, "reason": "Return"})
    )
    action = wizard.refund_moves()
    return env["account.move"].browse(action.get("res_id") or wizard.new_move_ids.ids)


def _scale(note, factor):
    """The accountant's edit of the draft: the credited price cut or raised."""
    line = note.invoice_line_ids[:1]
    note.write(
        {
            "invoice_line_ids": [
                (1, line.id, {"price_unit": round(line.price_unit * factor, 2)})
            ]
        }
    )


def _unlinked(env, customer, journal, today, amount):
    return env["account.move"].create(
        {
            "move_type": "out_refund",
            "partner_id": customer["partner"].id,
            "journal_id": journal.id,
            "invoice_date": today,
            "invoice_line_ids": [_line("Credit", round(amount, 2))],
        }
    )


def _average(customer):
    amounts = [i.amount_total for i in customer["invoices"]]
    return sum(amounts) / len(amounts) if amounts else math.exp(customer["mu"])


def _enter_credit_notes(env, rng, customers, journal, today):
    """Every test credit note, entered as a draft; ``[(kind, label, move)]``."""
    pools = {
        kind: [c for c in customers if c["kind"] in kinds]
        for kind, kinds in (
            ("regular", ("regular",)),
            ("refunder", ("refunder",)),
            ("idle", ("dormant", "new")),
        )
    }

    def reverse(low, high, factor=None):
        """The Credit Note button on an invoice ``low`` to ``high`` days old,
        the draft then cut or raised by ``factor`` (a range)."""

        def make(customer):
            chosen = [
                i
                for i in customer["invoices"]
                if low <= (today - i.invoice_date).days <= high
            ]
            if not chosen:
                return None
            note = _reverse(env, rng.choice(chosen), today)
            if factor:
                _scale(note, rng.uniform(*factor))
            return note

        return make

    def unlinked(low, high, of_average=True):
        """A new credit note linked to no invoice, ``low`` to ``high`` times
        the customer's average invoice (or usual amount)."""

        def make(customer):
            usual = _average(customer) if of_average else math.exp(customer["mu"])
            amount = usual * rng.uniform(low, high)
            return _unlinked(env, customer, journal, today, amount)

        return make

    makers = {
        "full_return_recent": ("regular", reverse(0, 60)),
        "partial_return": ("regular", reverse(0, 90, (0.2, 0.6))),
        "goodwill": ("regular", unlinked(0.03, 0.12)),
        "late_adjustment": ("regular", reverse(100, 170, (0.1, 0.25))),
        "unlinked_return": ("regular", unlinked(0.5, 1.0)),
        "warranty_return": ("regular", reverse(120, 240)),
        "over_refund": ("regular", reverse(0, 90, (1.3, 2.0))),
        "large_unlinked": ("regular", unlinked(1.5, 4.0)),
        "no_invoiced_history": ("idle", unlinked(0.5, 2.0, of_average=False)),
        "frequent_refunder": ("refunder", reverse(0, 120)),
        "refunder_partial": ("refunder", reverse(0, 120, (0.2, 0.5))),
        "old_invoice_full": ("regular", reverse(250, 360)),
    }

    def enter(kind):
        pool, make = makers[kind]
        for _attempt in range(50):
            note = make(rng.choice(pools[pool]))
            if note:
                return note
        raise RuntimeError(f"no customer fits a {kind} credit note")

    order = [kind for kind, (_label, count) in CASES.items() for _n in range(count)]
    rng.shuffle(order)
    return [(kind, CASES[kind][0], enter(kind)) for kind in order]


def _report(env, use_case, notes):
    # the answers about the credit notes: how many each got, and the last
    # one with a score, which is what the reviewer sees
    Recommendation = env["gov.ai.recommendation"]
    about = [
        ("res_model", "=", "account.move"),
        ("res_id", "in", [note.id for _kind, _label, note in notes]),
        ("use_case_id", "=", use_case.id),
    ]
    asked = dict(Recommendation._read_group(about, ["res_id"], ["__count"]))
    last_score = {
        answer.res_id: answer.score
        for answer in Recommendation.search_fetch(
            [*about, ("score", "!=", False)], ["res_id", "score"], order="id"
        )
    }
    scored, by_kind = [], {}
    for kind, label, note in notes:
        score = last_score.get(note.id, 0.0)
        scored.append((label, score))
        entry = by_kind.setdefault(
            kind, {"label": label, "n": 0, "scores": [], "reviewed": 0}
        )
        entry["n"] += 1
        entry["scores"].append(score)
        entry["reviewed"] += score >= use_case.review_threshold
        entry.setdefault("rescored", 0)
        entry["rescored"] += asked.get(note.id, 0) > 1
    for entry in by_kind.values():
        scores = entry.pop("scores")
        entry["mean_score"] = round(sum(scores) / len(scores), 3)
        entry["review_rate"] = round(entry.pop("reviewed") / entry["n"], 3)
    legit = [s for label, s in scored if not label]
    suspicious = [s for label, s in scored if label]
    return {
        "credit_notes": len(notes),
        "legitimate": len(legit),
        "suspicious": len(suspicious),
        "auc_as_entered": _auc(legit, suspicious),
        "review_threshold": use_case.review_threshold,
        "recall_at_review_threshold": round(
            sum(s >= use_case.review_threshold for s in suspicious) / len(suspicious), 3
        ),
        "false_review_rate": round(
            sum(s >= use_case.review_threshold for s in legit) / len(legit), 3
        ),
        "by_kind": dict(sorted(by_kind.items())),
    }


def _auc(negatives, positives):
    """Chance that a positive scores above a negative (ties count half)."""
    wins = sum(
        1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives
    )
    return round(wins / (len(positives) * len(negatives)), 4)
