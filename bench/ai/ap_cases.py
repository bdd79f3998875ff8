"""Accounts payable as it really looks, labelled case by case.

A seeded generator writes two years of posted bills of about sixty vendors
whose records and habits make the hard cases of payables:

- twin vendor records without a VAT number ("Acme Gas & Power" and
  "Acme Gas & Power (old)", "Cyberdyne Telecom" and "Cyberdyne-Telecom"),
  twins that only share a bank account, and vendors whose bills are booked
  on their invoice-address contact; typo and variant records of the same
  vendors ("Cyberdine Telecom", "Acme Gas and Power"), and distinct vendors
  named alike ("Wayne Logistics Group", "Alpha Consulting 2"), whose test
  bills copy the amount of a bill of the vendor they are named like;
- recurring series: a monthly bill with an incrementing reference
  (FA26011839, FA26011840, ...), a contract billed every month under one
  reference, a fixed amount billed without any reference;
- split deliveries: one order billed in two equal halves (ORD-123-1,
  ORD-123-2);
- ordinary, volatile, seasonal (five times more in winter) and thin vendors
  for the amount checks. Their bills carry one line of the vendor's own
  product: its unit price holds steady (a spread of 0.05 on the log scale),
  the quantity makes the rest of the amount's spread and the seasons, so
  that the amounts are those of a history without lines.

Then test bills are scored one by one (each rolled back): duplicates by kind
(label 1) and the bills that only look like duplicates (label 0), by our
duplicate use case and by Odoo's own duplicate vendor-bill check, side by
side; ordinary and outlier amounts (5x and 10x) by our anomaly use case, per
kind of vendor and per lever of the outlier: half of them bill the usual
quantity at 5 or 10 times the vendor's unit price (a price keyed with a zero
too many, another product's price), the other half 5 or 10 times the
quantity at the usual price. Every figure is a precision, a recall or a rate of the same
run.

With Purchase installed, split deliveries of real purchase orders (made,
confirmed, received and billed through the ORM) are scored as well: the
second half of a received order under a suffixed or the same reference
(label 0), the same half billed twice when only half was received and a
bill above the received quantity under another reference (label 1). The
same bills are scored again once their link to the order is removed: the
check as it is without the three-way match.
"""

import contextlib
import math
import random
from datetime import date, timedelta

from odoo.tools import SQL

SEED = 20261203
START = date(2024, 1, 1)
MONTHS = 24
TWIN_NAMES = (
    ("Acme Gas & Power", "Acme Gas & Power (old)"),
    ("Cyberdyne Telecom", "Cyberdyne-Telecom"),
    ("Wayne Logistics", "Wayne Logistics Ltd"),
    ("Stark Office Supply", "STARK OFFICE SUPPLY (inactive)"),
    ("Umbrella Cleaning", "Umbrella-Cleaning"),
    ("Soylent Catering", "Soylent Catering (do not use)"),
)
# typo and variant records of the first twin vendors: the same vendor
SIMILAR_TWIN_NAMES = (
    "Acme Gas and Power",
    "Cyberdine Telecom",
    "Wayne Logistcs",
    "Stark Office Supplies",
    "Umbrela Cleaning",
)
# other vendors named after three free ordinary ones
NAMED_VENDORS = ("Alpha Consulting 1", "North Water Ltd", "Northern Electric")
# distinct vendors named like one of ours (by its name): compared with its
# bills (similar enough) or not (short, other words, numbered)
SIMILAR_STRANGERS = {
    "similar_name_stranger": (
        ("Soylent Catering", "Soylent Catering Group"),
        ("Wayne Logistics", "Wayne Logistics Group"),
    ),
    "near_name_stranger": (
        ("Umbrella Cleaning", "Umbrella Cleaners"),
        ("Acme Gas & Power", "Acme Glass"),
        ("Cyberdyne Telecom", "Cyberdyne Systems"),
        ("Alpha Consulting 1", "Alpha Consulting 2"),
        ("North Water Ltd", "South Water Ltd"),
        ("Northern Electric", "Southern Electric"),
    ),
}
# kind of vendor -> how many
VENDOR_KINDS = {
    "ordinary": 16,
    "volatile": 8,
    "seasonal": 6,
    "thin": 8,
    "recurring_ref": 6,
    "contract_ref": 4,
    "noref_fixed": 4,
    "split": 6,
}
DUPLICATES_PER_KIND = 40
# split deliveries of purchase orders: kind -> (label, received of 20
# ordered, quantity of the second bill, references of the two bills)
PURCHASE_KINDS = {
    "po_second_half_suffix": (False, 20, 10, ("ORD-{n}-1", "ORD-{n}-2")),
    "po_second_half_same_reference": (False, 20, 10, ("{order}", "{order}")),
    "po_half_billed_twice": (True, 10, 10, ("ORD-{n}-1", "ORD-{n}-2")),
    "po_over_billed_other_reference": (True, 10, 5, ("INV-{n}", "AB-{n}")),
}
PURCHASE_CASES_PER_KIND = 20
NEGATIVES_PER_KIND = 40
ANOMALY_TESTS_PER_KIND = 60
# vendors whose bills carry a line of their own product
PRICED_KINDS = ("ordinary", "volatile", "seasonal", "thin")
# spread of a vendor's unit price on the log scale
PRICE_SIGMA = 0.05


def run(env, setup, use_cases, one_by_one, detect):
    """Generate, insert and score the cases; returns the report."""
    rng = random.Random(SEED)
    vendors = _vendors(env, rng)
    history = _history(rng, vendors)
    _insert(env, setup, history)
    duplicate_tests = _duplicate_tests(rng, vendors, history)
    # their own generator: the other cases stay those of earlier runs
    duplicate_tests += _similar_name_tests(random.Random(SEED + 1), vendors, history)
    anomaly_tests = _anomaly_tests(rng, vendors)
    return {
        "vendors": len(vendors),
        "history_bills": len(history),
        "duplicates": _score_duplicates(
            env, setup, use_cases["duplicate"], duplicate_tests, one_by_one, detect
        ),
        "anomalies": _score_anomalies(
            env, setup, use_cases["anomaly"], anomaly_tests, one_by_one, detect
        ),
        "purchase_splits": _score_purchase_splits(
            env, rng, use_cases["duplicate"], detect
        ),
    }


# ----------------------------------------------------------------------
# Vendors and their history
# ----------------------------------------------------------------------
def _vendors(env, rng):
    Partner = env["res.partner"]
    vendors = []
    index = 0
    for kind, count in VENDOR_KINDS.items():
        for _n in range(count):
            vendors.append(
                {
                    "kind": kind,
                    "name": f"AP {kind.replace('_', ' ').title()} {index:03d}",
                    "mu": rng.uniform(4.5, 8),
                    "sigma": {
                        "volatile": rng.uniform(0.8, 1.0),
                        "thin": rng.uniform(0.2, 0.4),
                    }.get(kind, rng.uniform(0.2, 0.45)),
                    "next": rng.randint(11000, 99000),
                    "index": index,
                }
            )
            index += 1
    # twins without VAT on ordinary vendors, with their own names
    for vendor, (name, twin_name) in zip(vendors, TWIN_NAMES, strict=False):
        vendor["name"], vendor["twin_name"] = name, twin_name
    ordinary = [v for v in vendors if v["kind"] == "ordinary"]
    for vendor in ordinary[6:10]:
        vendor["contact"] = True
    for vendor in ordinary[10:13]:
        vendor["bank_twin"] = True
    for vendor, name in zip(ordinary[13:], NAMED_VENDORS, strict=True):
        vendor["name"] = name
    for vendor, name in zip(vendors, SIMILAR_TWIN_NAMES, strict=False):
        vendor["similar_name"] = name
    for vendor in vendors:
        vendor["id"] = Partner.create({"name": vendor["name"], "is_company": True}).id
        _give_product(env, vendor)
        if vendor.get("twin_name"):
            vendor["twin_id"] = Partner.create(
                {"name": vendor["twin_name"], "is_company": True}
            ).id
        if vendor.get("similar_name"):
            vendor["similar_id"] = Partner.create(
                {"name": vendor["similar_name"], "is_company": True}
            ).id
        if vendor.get("contact"):
            vendor["contact_id"] = Partner.create(
                {
                    "name": "Accounts Receivable",
                    "parent_id": vendor["id"],
                    "type": "invoice",
                }
            ).id
        if vendor.get("bank_twin"):
            other = Partner.create(
                {"name": f"Holding {vendor['index']:03d} Services", "is_company": True}
            )
            number = f"BE71 0961 2345 {6700 + vendor['index']:04d}"
            for partner_id in (vendor["id"], other.id):
                env["res.partner.bank"].create(
                    {"acc_number": number, "partner_id": partner_id}
                )
            vendor["bank_twin_id"] = other.id
    by_name = {vendor["name"]: vendor for vendor in vendors}
    for kind, pairs in SIMILAR_STRANGERS.items():
        for name, stranger in pairs:
            by_name[name].setdefault("strangers", []).append(
                (kind, Partner.create({"name": stranger, "is_company": True}).id)
            )
    env.flush_all()
    return vendors


def _give_product(env, vendor):
    """The own product of a vendor of :data:`PRICED_KINDS` and its steady
    unit price, drawn from a generator of its own: the amounts stay those of
    the main generator."""
    if vendor["kind"] not in PRICED_KINDS:
        return
    vendor["product_id"] = (
        env["product.product"].create({"name": f"Supply of {vendor['name']}"}).id
    )
    vendor["prices"] = random.Random(vendor["mu"])
    vendor["price"] = math.exp(vendor["prices"].uniform(0.0, 4.0))


def _reference(vendor, day):
    kind = vendor["kind"]
    if kind == "noref_fixed":
        return None
    if kind == "contract_ref":
        return f"CTR-{vendor['index']:03d}"
    number = vendor["next"]
    vendor["next"] += 1
    if kind == "recurring_ref":
        return f"FA{26000000 + number}"
    return f"INV-{day.year}-{number:05d}"


def _bill(vendor, day, amount, reference, partner_id=None, *, price_factor=1.0):
    bill = {
        "vendor": vendor["index"],
        "partner_id": partner_id or vendor["id"],
        "ref": reference,
        "date": day,
        "amount": round(amount, 2),
    }
    if vendor.get("product_id"):
        # the vendor's steady price; the quantity makes up the amount
        price = vendor["price"] * math.exp(vendor["prices"].gauss(0.0, PRICE_SIGMA))
        bill["line"] = {
            "product_id": vendor["product_id"],
            "price_unit": round(price * price_factor, 4),
            "quantity": round(amount / price / price_factor, 4),
        }
    return bill


def _history(rng, vendors):
    history = []
    for vendor in vendors:
        kind = vendor["kind"]
        fixed = math.exp(vendor["mu"])
        if kind in ("recurring_ref", "contract_ref", "noref_fixed"):
            for month in range(MONTHS):
                day = _add_months(START, month) + timedelta(days=vendor["index"] % 20)
                history.append(_bill(vendor, day, fixed, _reference(vendor, day)))
            vendor["last"] = history[-1]
            continue
        count = rng.randint(3, 5) if kind == "thin" else rng.randint(24, 60)
        for _n in range(count):
            day = START + timedelta(days=rng.randrange(MONTHS * 30))
            amount = math.exp(rng.gauss(vendor["mu"], vendor["sigma"]))
            if kind == "seasonal" and day.month in (11, 12, 1, 2):
                amount *= 5
            partner_id = vendor["id"]
            if vendor.get("contact") and rng.random() < 0.5:
                partner_id = vendor["contact_id"]
            if kind == "split":
                order = f"ORD-{vendor['next']}"
                vendor["next"] += 1
                history.append(_bill(vendor, day, amount, f"{order}-1", partner_id))
                continue
            history.append(
                _bill(vendor, day, amount, _reference(vendor, day), partner_id)
            )
    history.sort(key=lambda b: b["date"])
    return history


def _add_months(day, months):
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _insert(env, setup, history):
    """Bills by SQL from the template bill of the main history."""
    for index, bill in enumerate(history):
        [(move_id,)] = env.execute_query(
            SQL(
                """INSERT INTO account_move (name, ref, partner_id,
                          commercial_partner_id, invoice_date, date, amount_total,
                          amount_total_signed, move_type, state, journal_id,
                          company_id, currency_id, auto_post)
                   SELECT %s, %s, p.id, p.commercial_partner_id, %s, %s,
                          %s, %s, 'in_invoice', 'posted', %s, %s, %s, 'no'
                     FROM res_partner p WHERE p.id = %s
                   RETURNING id""",
                f"AP/CASE/{index:06d}",
                bill["ref"],
                bill["date"],
                bill["date"],
                bill["amount"],
                -bill["amount"],
                setup["journal"],
                setup["company"],
                setup["currency"],
                bill["partner_id"],
            )
        )
        _insert_line(env, setup, move_id, bill)
    env.cr.execute("ANALYZE account_move")
    env.cr.execute("ANALYZE account_move_line")


def _insert_line(env, setup, move_id, bill):
    """The product line of a bill that has one, by SQL like the bill."""
    line = bill.get("line")
    if not line:
        return
    env.execute_query(
        SQL(
            """INSERT INTO account_move_line (move_id, move_name, display_type,
                      sequence, product_id, product_uom_id, quantity, price_unit,
                      account_id, partner_id, company_id, company_currency_id,
                      currency_id, journal_id, date, parent_state, balance,
                      amount_currency, debit, credit)
               SELECT m.id, m.name, 'product', 10, %s, %s, %s, %s,
                      %s, m.partner_id, m.company_id, m.currency_id,
                      m.currency_id, m.journal_id, m.date, m.state, %s,
                      %s, %s, 0
                 FROM account_move m WHERE m.id = %s""",
            line["product_id"],
            env.ref("uom.product_uom_unit").id,
            line["quantity"],
            line["price_unit"],
            _expense_account(env, setup),
            bill["amount"],
            bill["amount"],
            bill["amount"],
            move_id,
        )
    )


def _expense_account(env, setup):
    if "expense_account" not in setup:
        setup["expense_account"] = (
            env["account.account"]
            .search(
                [
                    ("account_type", "=", "expense"),
                    ("company_ids", "in", setup["company"]),
                ],
                limit=1,
            )
            .id
        )
    return setup["expense_account"]


# ----------------------------------------------------------------------
# Test bills
# ----------------------------------------------------------------------
def _duplicate_tests(rng, vendors, history):
    by_vendor = {}
    for bill in history:
        by_vendor.setdefault(bill["vendor"], []).append(bill)
    tests = []

    def pick(condition):
        return [v for v in vendors if condition(v) and by_vendor.get(v["index"])]

    def shifted(day):
        return day + timedelta(days=rng.choice((0, 0, 1, 2, -1)))

    positives = {
        "twin_without_vat": (pick(lambda v: v.get("twin_id")), "twin_id"),
        "contact_record": (pick(lambda v: v.get("contact_id")), None),
        "bank_account_twin": (pick(lambda v: v.get("bank_twin_id")), "bank_twin_id"),
        "same_vendor_reentry": (pick(lambda v: v["kind"] == "ordinary"), "id"),
        "second_in_same_period": (
            pick(
                lambda v: v["kind"] in ("recurring_ref", "contract_ref", "noref_fixed")
            ),
            "id",
        ),
    }
    for kind, (eligible, partner_key) in positives.items():
        for _n in range(DUPLICATES_PER_KIND):
            vendor = rng.choice(eligible)
            original = rng.choice(by_vendor[vendor["index"]])
            if partner_key is None:  # the other record of the contact pair
                partner_id = (
                    vendor["id"]
                    if original["partner_id"] != vendor["id"]
                    else vendor["contact_id"]
                )
            else:
                partner_id = vendor[partner_key]
            tests.append(
                dict(
                    original,
                    partner_id=partner_id,
                    date=shifted(original["date"]),
                    label=True,
                    kind=kind,
                )
            )
    for _n in range(NEGATIVES_PER_KIND):
        for kind in (
            "recurring_ref",
            "contract_ref",
            "noref_fixed",
            "split",
            "ordinary",
        ):
            vendor = rng.choice(pick(lambda v, k=kind: v["kind"] == k))
            own = by_vendor[vendor["index"]]
            if kind == "split":
                half = rng.choice(own)
                bill = dict(half, ref=half["ref"][:-2] + "-2")
                label = "split_second_half"
            elif kind == "ordinary":
                day = START + timedelta(days=rng.randrange(MONTHS * 30))
                amount = math.exp(rng.gauss(vendor["mu"], vendor["sigma"]))
                bill = _bill(vendor, day, amount, _reference(vendor, day))
                label = "ordinary_new_bill"
            else:
                last = vendor["last"]
                day = _add_months(last["date"], 1) + timedelta(
                    days=vendor["index"] % 20
                )
                bill = _bill(vendor, day, last["amount"], _reference(vendor, day))
                label = f"next_in_series_{kind}"
            tests.append(dict(bill, label=False, kind=label))
    rng.shuffle(tests)
    return tests


def _similar_name_tests(rng, vendors, history):
    """The same bill entered on a typo or variant record of its vendor
    (label 1), and a bill of a vendor named alike, of the amount of one of
    the vendor's bills, with its own reference, a few days apart (label 0)."""
    by_vendor = {}
    for bill in history:
        by_vendor.setdefault(bill["vendor"], []).append(bill)
    tests = []
    twins = [v for v in vendors if v.get("similar_id") and by_vendor.get(v["index"])]
    for _n in range(DUPLICATES_PER_KIND):
        vendor = rng.choice(twins)
        original = rng.choice(by_vendor[vendor["index"]])
        tests.append(
            dict(
                original,
                partner_id=vendor["similar_id"],
                date=original["date"] + timedelta(days=rng.choice((0, 0, 1, 2, -1))),
                label=True,
                kind="twin_similar_name",
            )
        )
    for kind in SIMILAR_STRANGERS:
        named = [
            (vendor, stranger_id)
            for vendor in vendors
            for stranger_kind, stranger_id in vendor.get("strangers", ())
            if stranger_kind == kind and by_vendor.get(vendor["index"])
        ]
        for _n in range(NEGATIVES_PER_KIND):
            vendor, stranger_id = rng.choice(named)
            original = rng.choice(by_vendor[vendor["index"]])
            day = original["date"] + timedelta(days=rng.randint(-5, 5))
            tests.append(
                dict(
                    original,
                    partner_id=stranger_id,
                    ref=f"INV-{day.year}-{rng.randint(11000, 99000):05d}",
                    date=day,
                    label=False,
                    kind=kind,
                )
            )
    return tests


def _anomaly_tests(rng, vendors):
    tests = []
    for kind in ("ordinary", "volatile", "seasonal", "thin"):
        eligible = [v for v in vendors if v["kind"] == kind]
        for n in range(ANOMALY_TESTS_PER_KIND):
            vendor = rng.choice(eligible)
            day = START + timedelta(days=MONTHS * 30 + rng.randrange(60))
            amount = math.exp(rng.gauss(vendor["mu"], vendor["sigma"]))
            if kind == "seasonal" and day.month in (11, 12, 1, 2):
                amount *= 5
            factor = (1.0, 1.0, 1.0, 5.0, 10.0)[n % 5]
            # the price, or the quantity, is the lever of an outlier
            lever = ("price", "quantity")[n // 5 % 2] if factor > 1 else None
            bill = _bill(
                vendor,
                day,
                amount * factor,
                _reference(vendor, day),
                price_factor=factor if lever == "price" else 1.0,
            )
            tests.append(
                dict(bill, label=factor > 1, kind=kind, factor=factor, lever=lever)
            )
    return tests


def _insert_test_bill(env, setup, bill):
    [(move_id,)] = env.execute_query(
        SQL(
            """INSERT INTO account_move (name, ref, partner_id,
                      commercial_partner_id, invoice_date, date, amount_total,
                      amount_total_signed, move_type, state, journal_id,
                      company_id, currency_id, auto_post)
               SELECT 'AP/TEST', %s, p.id, p.commercial_partner_id, %s, %s, %s,
                      %s, 'in_invoice', 'draft', %s, %s, %s, 'no'
                 FROM res_partner p WHERE p.id = %s
               RETURNING id""",
            bill["ref"],
            bill["date"],
            bill["date"],
            bill["amount"],
            -bill["amount"],
            setup["journal"],
            setup["company"],
            setup["currency"],
            bill["partner_id"],
        )
    )
    _insert_line(env, setup, move_id, bill)
    return env["account.move"].browse(move_id)


def _scored(env, setup, tests):
    for bill in tests:
        with contextlib.closing(env.cr.savepoint(flush=False)):
            yield bill, _insert_test_bill(env, setup, bill)
        env.invalidate_all()


def _pr(pairs):
    tp = sum(1 for truth, flagged in pairs if truth and flagged)
    fp = sum(1 for truth, flagged in pairs if not truth and flagged)
    fn = sum(1 for truth, flagged in pairs if truth and not flagged)
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _score_duplicates(env, setup, use_case, tests, _one_by_one, detect):
    ours, theirs, per_kind = [], [], {}
    threshold = use_case.review_threshold
    for bill, move in _scored(env, setup, tests):
        answer = detect(use_case, move)
        flagged = bool(answer["finding"] and answer["confidence"] >= threshold)
        found = bool(move._fetch_duplicate_reference().get(move))
        ours.append((bill["label"], flagged))
        theirs.append((bill["label"], found))
        entry = per_kind.setdefault(
            bill["kind"], {"label": int(bill["label"]), "n": 0, "gov_ai": 0, "odoo": 0}
        )
        entry["n"] += 1
        entry["gov_ai"] += flagged
        entry["odoo"] += found
    for entry in per_kind.values():
        # a duplicate kind reads as recall, a look-alike kind as false flags
        entry["gov_ai_flag_rate"] = round(entry.pop("gov_ai") / entry["n"], 3)
        entry["odoo_flag_rate"] = round(entry.pop("odoo") / entry["n"], 3)
    return {
        "test_bills": len(tests),
        "gov_ai": _pr(ours),
        "odoo_duplicated_ref_ids": _pr(theirs),
        "by_kind": dict(sorted(per_kind.items())),
    }


def _score_anomalies(env, setup, use_case, tests, _one_by_one, detect):
    pairs, per_kind, levers = [], {}, {}
    for bill, move in _scored(env, setup, tests):
        answer = detect(use_case, move)
        flagged = answer["label"] == "anomaly"
        pairs.append((bill["label"], flagged))
        entry = per_kind.setdefault(
            bill["kind"],
            {"outliers": 0, "caught": 0, "normal": 0, "false_flags": 0, "x": []},
        )
        if bill["label"]:
            entry["outliers"] += 1
            entry["caught"] += flagged
            lever = levers.setdefault(bill["lever"], {"outliers": 0, "caught": 0})
            lever["outliers"] += 1
            lever["caught"] += flagged
            ratio = (answer["evidence"].get("assessment") or {}).get("ratio")
            if ratio:
                entry["x"].append(ratio / bill["factor"])
        else:
            entry["normal"] += 1
            entry["false_flags"] += flagged
    for entry in per_kind.values():
        # reported multiple of the expected amount over the true factor
        # (1.0: the detector recovers the factor)
        found = entry.pop("x")
        entry["reported_multiple_over_factor"] = (
            round(sorted(found)[len(found) // 2], 2) if found else None
        )
        entry["recall"] = round(entry["caught"] / max(entry["outliers"], 1), 3)
        entry["false_positive_rate"] = round(
            entry["false_flags"] / max(entry["normal"], 1), 3
        )
    normal = [flagged for truth, flagged in pairs if not truth]
    return _pr(pairs) | {
        "false_positive_rate": round(sum(normal) / max(len(normal), 1), 4),
        "by_vendor_kind": per_kind,
        "by_outlier_lever": {
            name: dict(lever, recall=round(lever["caught"] / lever["outliers"], 3))
            for name, lever in sorted(levers.items())
        },
    }


# ----------------------------------------------------------------------
# Split deliveries of purchase orders
# ----------------------------------------------------------------------
def _score_purchase_splits(env, rng, use_case, detect):
    """The second bill of a purchase order line scored with the order's
    quantities, then again with its link to the order removed (the check
    without the three-way match), and by Odoo's own check; ``None`` without
    Purchase."""
    if "purchase.order" not in env:
        return None
    vendor = env["res.partner"].create(
        {"name": "AP Purchase Split", "is_company": True}
    )
    # a service billed on received quantities: received by hand, with or
    # without the inventory
    product = env["product.product"].create(
        {
            "name": "Bench part",
            "default_code": "PART",
            "type": "service",
            "purchase_method": "receive",
            "supplier_taxes_id": [(5, 0, 0)],
        }
    )
    env.flush_all()  # before the savepoints that are rolled back
    threshold = use_case.review_threshold
    pairs = {"gov_ai": [], "gov_ai_without_order": [], "odoo": []}
    per_kind = {}
    for number in range(PURCHASE_CASES_PER_KIND):
        for kind, (label, received, quantity, references) in PURCHASE_KINDS.items():
            day = START + timedelta(days=MONTHS * 30 + rng.randrange(60))
            with contextlib.closing(env.cr.savepoint(flush=False)):
                first, second = _purchase_case(
                    env, vendor, product, day, number, received, quantity, references
                )
                flags = {}
                answer = detect(use_case, second)
                flags["gov_ai"] = bool(
                    answer["finding"] and answer["confidence"] >= threshold
                )
                flags["odoo"] = bool(second._fetch_duplicate_reference().get(second))
                env.execute_query(
                    SQL(
                        "UPDATE account_move_line SET purchase_line_id = NULL"
                        " WHERE move_id IN %s",
                        (first.id, second.id),
                    )
                )
                env.invalidate_all()
                answer = detect(use_case, second)
                flags["gov_ai_without_order"] = bool(
                    answer["finding"] and answer["confidence"] >= threshold
                )
            env.invalidate_all()
            entry = per_kind.setdefault(
                kind, {"label": int(label), "n": 0} | dict.fromkeys(pairs, 0)
            )
            entry["n"] += 1
            for key, flagged in flags.items():
                pairs[key].append((label, flagged))
                entry[key] += flagged
    for entry in per_kind.values():
        for key in pairs:
            entry[f"{key}_flag_rate"] = round(entry.pop(key) / entry["n"], 3)
    return {
        "test_bills": sum(entry["n"] for entry in per_kind.values()),
        "gov_ai": _pr(pairs["gov_ai"]),
        "gov_ai_without_order": _pr(pairs["gov_ai_without_order"]),
        "odoo_duplicated_ref_ids": _pr(pairs["odoo"]),
        "by_kind": per_kind,
    }


def _purchase_case(env, vendor, product, day, number, received, quantity, references):
    """A confirmed order of 20 units, ``received`` of them, a posted bill
    of 10 made by *Create Bill* and a second bill of ``quantity`` on the same
    line; returns the two bills."""
    order = env["purchase.order"].create(
        {
            "partner_id": vendor.id,
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": product.id,
                        "product_qty": 20,
                        "price_unit": round(_unit_price(number), 2),
                        "tax_ids": [(5, 0, 0)],
                    },
                )
            ],
        }
    )
    order.button_confirm()
    line = order.order_line
    line.qty_received = received
    first_ref, second_ref = (
        reference.format(n=number, order=order.name) for reference in references
    )
    Move = env["account.move"]
    first = Move.browse(order.action_create_invoice()["res_id"])
    first.invoice_line_ids.quantity = 10
    first.write({"ref": first_ref, "invoice_date": day - timedelta(days=1)})
    first.action_post()
    vals = line._prepare_account_move_line()
    vals["quantity"] = quantity
    second = Move.create(
        {
            "move_type": "in_invoice",
            "partner_id": vendor.id,
            "ref": second_ref,
            "invoice_date": day,
            "invoice_line_ids": [(0, 0, vals)],
        }
    )
    env.flush_all()
    return first, second


def _unit_price(number):
    """A unit price of its own for each order (amounts differ between
    orders, never within one)."""
    return 40 + (number * 37) % 160
