"""Built-in AI detectors on a synthetic accounts-payable history.

A seeded generator writes 100,000 posted vendor bills (plus credit notes) for
a few hundred vendors, some of them duplicated vendor records sharing a VAT
number: recurring subscriptions (same amount every month, sequential
references), split deliveries (two bills of one order on one day), credit
notes repeating a bill's amount, and ordinary bills with log-normal amounts.
The bulk is inserted with SQL from a template bill made by the ORM.

Then new bills are scored one by one, each inside a savepoint that is rolled
back, so that no test bill sees another:
- injected duplicates of history bills, by kind of perturbation (exact copy,
  OCR-confused reference, separators and leading zeros, date shift, the twin
  vendor record with the same VAT, a cent of rounding, combinations);
- hard negatives (the next bill of a subscription, the second half of a split
  delivery, a bill repeating a credit note's amount) and ordinary new bills;
- ordinary new bills, a tenth of them multiplied (x3, x5, x10) or divided
  (/5) as amount outliers.

Reported: precision and recall of the gov_ai duplicate use case at several
review thresholds and of the anomaly use case, recall per perturbation, and
the p95 latency of scoring one bill against the history (target <= 50 ms).
The anchor, measured in the same run on the same bills: Odoo's own duplicate
vendor-bill check (``account.move._fetch_duplicate_reference``, behind
``duplicated_ref_ids``): its precision, recall and latency.

Labelled cases beside this file: accounts payable as it really looks
(``ap_cases.py``) and customer credit notes as accountants enter them, scored
by the refund-risk rule through the AI queue (``refund_cases.py``).

Then the cost of the AI rules to a user's save: the same bills saved by an
Invoicing user through the ORM with the shipped rules on and off in turns
(``bill_save``: medians and their ratio, target <= 1.2).

Installed: the shipped AI checks of Invoicing and the three-way match of
purchase bills (``gov_ai_purchase``, which brings Purchase): every bill
scored pays its query for purchase order lines, and ``ap_cases.py`` scores
split deliveries of real purchase orders.

Indexes: besides Odoo's own (``partner_id``, ``invoice_date``), the duplicate
use case creates, when it is saved, an expression index on the normalised
``ref`` of ``account_move``; nothing else is needed for the latency target.
Latencies depend on the load of the machine: compare them through the ratio
to the anchor, measured in the same run.
"""

import contextlib
import importlib.util
import math
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

MODULES = ["account", "gov_ai_account", "gov_ai_purchase"]
SEED = 20261130
# GOV_BENCH_AI_HISTORY makes a smaller history for a quick look
HISTORY_BILLS = int(os.environ.get("GOV_BENCH_AI_HISTORY", "100000"))
VENDORS = 600
TWIN_SHARE = 0.05
RECURRING_SHARE = 0.25
DUPLICATE_TESTS = 700
NEGATIVE_TESTS = 700
ANOMALY_TESTS = 1_000
# Bills saved as an Invoicing user with the AI rules on, and again off.
SAVE_TESTS = int(os.environ.get("GOV_BENCH_AI_SAVES", "60"))
THRESHOLDS = (0.6, 0.7, 0.8, 0.9)
START = date(2024, 1, 1)
DAYS = 700
FORMATS = (
    "INV-{y}-{n:05d}",
    "F{n:06d}",
    "{y}/{n:04d}",
    "{n}",
    "FA{y}{n:05d}",
)
OCR = {"0": "O", "1": "I", "5": "S", "8": "B"}
PERTURBATIONS = (
    "exact",
    "ocr_reference",
    "separators_zeros",
    "date_shift",
    "twin_vendor",
    "rounding",
    "ocr_and_date_shift",
)


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def run(registry):
    rng = random.Random(SEED)
    with registry.cursor() as cr:
        env = _env(cr)
        setup = _setup(env)
        started = time.perf_counter()
        vendors, history = _generate(rng, setup)
        _insert(env, setup, history)
        insert_seconds = time.perf_counter() - started
        _index_and_analyze(env)
    with registry.cursor() as cr:
        env = _env(cr)
        use_cases = _use_cases(env)
        duplicates_set = _duplicate_tests(rng, vendors, history)
        anomaly_set = _anomaly_tests(rng, vendors)
        dup = _score_duplicates(env, setup, use_cases["duplicate"], duplicates_set)
        anomalies = _score_anomalies(env, setup, use_cases["anomaly"], anomaly_set)
        cases = _beside("ap_cases.py")
        with contextlib.closing(cr.savepoint(flush=False)):
            ap_cases = cases.run(env, setup, use_cases, _one_by_one, _detect)
        env.invalidate_all()
        # other seeds of the same generator, without the vendors of the first
        ap_cases["anomalies_over_seeds"] = _beside("anomaly_seeds.py").run(
            env, setup, use_cases["anomaly"], _one_by_one, _detect, cases
        )
        cr.rollback()
    with registry.cursor() as cr:
        save = _measure_save(_env(cr), setup, rng, vendors)
        cr.rollback()
    # last: the AI queue's scheduled action commits what it answers
    with registry.cursor() as cr:
        refunds = _beside("refund_cases.py").run(_env(cr))
    ours = dup["gov_ai"]
    anchor = dup["odoo_duplicated_ref_ids"]
    return {
        "history_bills": HISTORY_BILLS,
        "history_rows_inserted": len(history),
        "vendors": VENDORS,
        "insert_seconds": round(insert_seconds, 1),
        "duplicates": dup,
        "anomalies": anomalies,
        "ap_cases": ap_cases,
        "refund_risk_cases": refunds,
        "bill_save": save,
        "bill_save_ratio_target": 1.2,
        "p95_ms_target": 50,
        "p95_ms_duplicate_scoring": ours["latency_ms"]["p95"],
        "p95_ms_anomaly_scoring": anomalies["latency_ms"]["p95"],
        "ratio_p95_vs_odoo_duplicate_check": round(
            ours["latency_ms"]["p95"] / anchor["latency_ms"]["p95"], 3
        ),
        "ratio_recall_vs_odoo_duplicate_check": _ratio(
            ours["at_threshold"]["0.6"]["recall"], anchor["recall"]
        ),
        "ratio_precision_vs_odoo_duplicate_check": _ratio(
            ours["at_threshold"]["0.6"]["precision"], anchor["precision"]
        ),
    }


def _measure_save(env, setup, rng, vendors):
    """What the AI rules cost a user's save: the same bills, saved by an
    Invoicing user through the ORM (a vendor, a reference, a date, one
    line), with the shipped rules on and off in turns, each save rolled
    back. Every rule whose action asks an AI use case is switched."""
    rules = (
        env["base.automation"]
        .with_context(active_test=False)
        .search([("action_server_ids.state", "=", "gov_ai_recommend")])
    )
    user = env["res.users"].create(
        {
            "name": "Bench clerk",
            "login": "bench_ai_clerk",
            "company_id": setup["company"],
            "company_ids": [(6, 0, [setup["company"]])],
            "group_ids": [(6, 0, [env.ref("account.group_account_invoice").id])],
        }
    )
    bills = []
    for _n in range(SAVE_TESTS):
        vendor = rng.choice(vendors)
        day = START + timedelta(days=DAYS + rng.randrange(30))
        bills.append(
            {
                "move_type": "in_invoice",
                "partner_id": setup["vendor_ids"][vendor["index"]],
                "ref": vendor["format"].format(y=day.year, n=vendor["next"] + 7),
                "invoice_date": day,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Services",
                            "price_unit": round(
                                math.exp(rng.gauss(vendor["mu"], vendor["sigma"])), 2
                            ),
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
    Move = env["account.move"].with_user(user)
    timings = {True: [], False: []}

    def save(vals):
        # each save is a transaction of its own: it wakes the AI queue again
        # and reads the newest id of the history again
        for key in [key for key in env.cr.precommit.data if key.startswith("gov_ai.")]:
            del env.cr.precommit.data[key]
        with contextlib.closing(env.cr.savepoint(flush=False)):
            started = time.perf_counter()
            Move.create(dict(vals))
            env.flush_all()
            elapsed = (time.perf_counter() - started) * 1000
        env.invalidate_all()
        return elapsed

    for index, vals in enumerate(bills):
        for on in (True, False) if index % 2 else (False, True):
            rules.write({"active": on})
            env.flush_all()
            save(bills[(index + 1) % len(bills)])  # warm up after the switch
            timings[on].append(save(vals))
    rules.write({"active": True})
    on, off = _percentiles(timings[True]), _percentiles(timings[False])
    paired = [a / b for a, b in zip(timings[True], timings[False], strict=True)]
    return {
        "bills": len(bills),
        "rules": rules.mapped("name"),
        "rules_on_ms": on,
        "rules_off_ms": off,
        "ratio_of_medians": round(on["p50"] / off["p50"], 3),
        "ratio_paired_median": round(statistics.median(paired), 3),
    }


def _beside(name):
    """A module of labelled cases beside this file (``ap_cases.py``,
    ``refund_cases.py``)."""
    path = Path(__file__).resolve().parent / name
    spec = importlib.util.spec_from_file_location(f"bench_ai_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ratio(left, right):
    return round(left / right, 3) if right else None


# ----------------------------------------------------------------------
# Setup and generation
# ----------------------------------------------------------------------
def _setup(env):
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        journal = env["account.journal"].create(
            {"name": "Bench Bills", "code": "BNCH", "type": "purchase"}
        )
    partner = env["res.partner"].create({"name": "Template vendor"})
    template = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": partner.id,
            "journal_id": journal.id,
            "ref": "TEMPLATE",
            "invoice_date": START,
        }
    )
    env.flush_all()
    return {
        "company": company.id,
        "journal": journal.id,
        "template": template.id,
        "currency": company.currency_id.id,
    }


def _generate(rng, setup):
    """Vendors and their history: a list of bill dicts, in date order."""
    vendors = []
    for index in range(VENDORS):
        vendors.append(
            {
                "index": index,
                "name": f"Vendor {index:04d}",
                "format": rng.choice(FORMATS),
                "mu": rng.uniform(4, 8),
                "sigma": rng.uniform(0.3, 1.0),
                "recurring": rng.random() < RECURRING_SHARE,
                "twin": rng.random() < TWIN_SHARE,
                "weight": rng.paretovariate(1.2),
                "next": rng.randint(1, 500),
            }
        )
    total_weight = sum(v["weight"] for v in vendors)
    history = []
    for vendor in vendors:
        count = max(3, round(HISTORY_BILLS * vendor["weight"] / total_weight))
        vendor["count"] = count
        fixed = round(math.exp(vendor["mu"]), 2)
        for k in range(count):
            day = START + timedelta(
                days=(k * 30) % DAYS if vendor["recurring"] else rng.randrange(DAYS)
            )
            amount = (
                fixed
                if vendor["recurring"]
                else round(math.exp(rng.gauss(vendor["mu"], vendor["sigma"])), 2)
            )
            bill = _bill(vendor, day, amount)
            history.append(bill)
            roll = rng.random()
            if roll < 0.03 and not vendor["recurring"]:
                # split delivery: a second bill of the same order, same day
                history.append(
                    _bill(vendor, day, round(amount * rng.uniform(0.3, 1), 2))
                )
            elif roll < 0.05:
                history.append(
                    _bill(vendor, day + timedelta(days=rng.randint(5, 40)), amount)
                    | {"move_type": "in_refund", "ref": f"CN-{bill['ref']}"}
                )
    rng.shuffle(history)
    history = history[: int(HISTORY_BILLS * 1.06)]
    history.sort(key=lambda b: b["date"])
    return vendors, history


def _bill(vendor, day, amount):
    number = vendor["next"]
    vendor["next"] += 1
    reference = vendor["format"].format(y=day.year, n=number)
    return {
        "vendor": vendor["index"],
        "ref": reference,
        "date": day,
        "amount": amount,
        "move_type": "in_invoice",
    }


def _insert(env, setup, history):
    """Vendors by the ORM (commercial partners), bills by SQL from a template."""
    Partner = env["res.partner"]
    vendor_ids = Partner.create(
        [
            {"name": f"Vendor {i:04d}", "is_company": True, "vat": _vat(i)}
            for i in range(VENDORS)
        ]
    ).ids
    twins = Partner.create(
        [
            {"name": f"Vendor {i:04d} (duplicate record)", "is_company": True}
            | {"vat": _vat(i)}
            for i in range(VENDORS)
        ]
    ).ids
    setup["vendor_ids"] = vendor_ids
    setup["twin_ids"] = twins
    env.flush_all()
    columns = [
        name
        for (name,) in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'account_move'"
                " AND table_schema = current_schema()"
            )
        )
    ]
    own = {
        "id",
        "name",
        "ref",
        "partner_id",
        "commercial_partner_id",
        "invoice_date",
        "date",
        "amount_total",
        "amount_total_signed",
        "amount_total_in_currency_signed",
        "amount_untaxed",
        "amount_untaxed_signed",
        "amount_residual",
        "amount_residual_signed",
        "move_type",
        "state",
        "payment_reference",
        "invoice_date_due",
    }
    copied = [c for c in columns if c not in own]
    batch = 10_000
    for offset in range(0, len(history), batch):
        rows = history[offset : offset + batch]
        names = [f"BENCH/{offset + i:07d}" for i in range(len(rows))]
        refs = [b["ref"] for b in rows]
        partners = [vendor_ids[b["vendor"]] for b in rows]
        days = [b["date"] for b in rows]
        amounts = [b["amount"] for b in rows]
        types = [b["move_type"] for b in rows]
        env.execute_query(
            SQL(
                """INSERT INTO account_move (name, ref, partner_id,
                          commercial_partner_id, invoice_date, date,
                          invoice_date_due, amount_total, amount_total_signed,
                          amount_total_in_currency_signed, amount_untaxed,
                          amount_untaxed_signed, amount_residual,
                          amount_residual_signed, move_type, state, %(copied)s)
                   SELECT v.name, v.ref, v.partner, v.partner, v.day, v.day,
                          v.day, v.amount, -v.amount, -v.amount, v.amount,
                          -v.amount, v.amount, -v.amount, v.move_type, 'posted',
                          %(template_columns)s
                     FROM unnest(%(names)s::varchar[], %(refs)s::varchar[],
                                 %(partners)s::int[], %(days)s::date[],
                                 %(amounts)s::numeric[], %(types)s::varchar[])
                          AS v(name, ref, partner, day, amount, move_type),
                          account_move t
                    WHERE t.id = %(template)s""",
                copied=SQL(", ").join(SQL.identifier(c) for c in copied),
                template_columns=SQL(", ").join(SQL.identifier("t", c) for c in copied),
                names=names,
                refs=refs,
                partners=partners,
                days=days,
                amounts=amounts,
                types=types,
                template=setup["template"],
            )
        )
    env.cr.commit()


def _vat(index):
    return f"BE0{400000000 + index * 7919:09d}"[:12]


def _index_and_analyze(env):
    env.cr.execute("ANALYZE account_move")
    env.cr.execute("ANALYZE res_partner")
    env.cr.commit()


def _use_cases(env):
    fields_of = {
        name: env["ir.model.fields"]._get("account.move", name)
        for name in ("ref", "partner_id", "amount_total", "invoice_date")
    }
    visible = env["ir.model.fields"].browse([f.id for f in fields_of.values()])
    model = env["ir.model"]._get("account.move")
    common = {
        "model_id": model.id,
        "field_ids": [(6, 0, visible.ids)],
        "partner_field_id": fields_of["partner_id"].id,
        "amount_field_id": fields_of["amount_total"].id,
        "impact": "high",
        "review_threshold": min(THRESHOLDS),
    }
    UseCase = env["gov.ai.use.case"]
    return {
        "duplicate": UseCase.create(
            common
            | {
                "name": "Duplicate vendor bill",
                "task": "duplicate",
                "reference_field_id": fields_of["ref"].id,
                "date_field_id": fields_of["invoice_date"].id,
            }
        ),
        "anomaly": UseCase.create(
            common
            | {
                "name": "Vendor bill amount anomaly",
                "task": "anomaly",
                "date_field_id": fields_of["invoice_date"].id,
            }
        ),
    }


# ----------------------------------------------------------------------
# Test bills
# ----------------------------------------------------------------------
def _ocr(reference, rng):
    positions = [i for i, c in enumerate(reference) if c in OCR]
    if not positions:
        return reference.lower()
    i = rng.choice(positions)
    return reference[:i] + OCR[reference[i]] + reference[i + 1 :]


def _separators(reference):
    digits = "".join(c for c in reference if c.isalnum())
    return (
        f" {digits.lower()}"
        if digits == reference
        else f"{reference[:2]}-0{reference[2:]}".replace("/", "-")
    )


def _duplicate_tests(rng, vendors, history):
    bills = [b for b in history if b["move_type"] == "in_invoice"]
    tests = []
    for n in range(DUPLICATE_TESTS):
        original = rng.choice(bills)
        kind = PERTURBATIONS[n % len(PERTURBATIONS)]
        copy = dict(original, label=True, kind=kind, original_ref=original["ref"])
        if kind in ("ocr_reference", "ocr_and_date_shift"):
            copy["ref"] = _ocr(original["ref"], rng)
        if kind == "separators_zeros":
            copy["ref"] = _separators(original["ref"])
        if kind in ("date_shift", "ocr_and_date_shift"):
            copy["date"] = original["date"] + timedelta(
                days=rng.choice((-1, 1)) * rng.randint(1, 15)
            )
        if kind == "twin_vendor":
            copy["twin"] = True
        if kind == "rounding":
            copy["amount"] = round(original["amount"] + rng.choice((-0.01, 0.01)), 2)
        tests.append(copy)
    by_vendor = {}
    for bill in bills:
        by_vendor.setdefault(bill["vendor"], []).append(bill)
    for n in range(NEGATIVE_TESTS):
        vendor = rng.choice(vendors)
        own = by_vendor.get(vendor["index"])
        if not own:
            continue
        last = max(own, key=lambda b: b["date"])
        kind = ("next_recurring", "split_delivery", "ordinary")[n % 3]
        if kind == "next_recurring":
            bill = _bill(vendor, last["date"] + timedelta(days=30), last["amount"])
        elif kind == "split_delivery":
            bill = _bill(
                vendor, last["date"], round(last["amount"] * rng.uniform(0.2, 0.9), 2)
            )
        else:
            bill = _bill(
                vendor,
                START + timedelta(days=rng.randrange(DAYS)),
                round(math.exp(rng.gauss(vendor["mu"], vendor["sigma"])), 2),
            )
        tests.append(dict(bill, label=False, kind=kind))
    rng.shuffle(tests)
    return tests


def _anomaly_tests(rng, vendors):
    tests = []
    eligible = [v for v in vendors if not v["recurring"]]
    for n in range(ANOMALY_TESTS):
        vendor = rng.choice(eligible)
        amount = math.exp(rng.gauss(vendor["mu"], vendor["sigma"]))
        factor = 1.0
        if n % 10 == 0:
            factor = rng.choice((3.0, 5.0, 10.0, 0.2))
        # a factor is an outlier when it lies beyond 3.5 robust sigmas
        outlier = abs(math.log(factor)) > 3.5 * vendor["sigma"] * 1.0
        bill = _bill(
            vendor,
            START + timedelta(days=rng.randrange(DAYS)),
            round(amount * factor, 2),
        )
        tests.append(dict(bill, label=factor != 1.0, factor=factor, detectable=outlier))
    return tests


def _insert_test_bill(env, setup, bill):
    partner = setup["twin_ids" if bill.get("twin") else "vendor_ids"][bill["vendor"]]
    [(move_id,)] = env.execute_query(
        SQL(
            """INSERT INTO account_move (name, ref, partner_id,
                      commercial_partner_id, invoice_date, date, amount_total,
                      amount_total_signed, move_type, state, journal_id,
                      company_id, currency_id, auto_post)
               VALUES ('BENCH/TEST', %s, %s, %s, %s, %s, %s, %s,
                       'in_invoice', 'draft', %s, %s, %s, 'no')
               RETURNING id""",
            bill["ref"],
            partner,
            partner,
            bill["date"],
            bill["date"],
            bill["amount"],
            -bill["amount"],
            setup["journal"],
            setup["company"],
            setup["currency"],
        )
    )
    return env["account.move"].browse(move_id)


def _percentiles(samples):
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max": round(ordered[-1], 2),
    }


def _pr(pairs):
    tp = sum(1 for truth, flagged in pairs if truth and flagged)
    fp = sum(1 for truth, flagged in pairs if not truth and flagged)
    fn = sum(1 for truth, flagged in pairs if truth and not flagged)
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _one_by_one(env, setup, tests):
    """Each test bill inserted alone, and rolled back once scored."""
    for bill in tests:
        with contextlib.closing(env.cr.savepoint(flush=False)):
            yield bill, _insert_test_bill(env, setup, bill)
        env.invalidate_all()


def _timed(function, *args):
    """``(result, milliseconds)`` of ``function(*args)``."""
    started = time.perf_counter()
    result = function(*args)
    return result, (time.perf_counter() - started) * 1000


def _detect(use_case, move):
    """What scoring a bill costs: minimise its input, run the detector."""
    data, _fingerprint = use_case._minimised_input(move)
    return use_case._gov_ai_detect(move, data)


def _score_duplicates(env, setup, use_case, tests):
    ours, theirs = [], []
    ours_ms, theirs_ms = [], []
    per_kind = {}
    for bill, move in _one_by_one(env, setup, tests):
        answer, elapsed = _timed(_detect, use_case, move)
        ours_ms.append(elapsed)
        found, elapsed = _timed(move._fetch_duplicate_reference)
        found = found.get(move)
        theirs_ms.append(elapsed)
        ours.append((bill["label"], answer["confidence"] if answer["finding"] else 0.0))
        theirs.append((bill["label"], bool(found)))
        entry = per_kind.setdefault(bill["kind"], {"n": 0, "gov_ai": 0, "odoo": 0})
        entry["n"] += 1
        entry["gov_ai"] += answer["finding"] and answer["confidence"] >= min(THRESHOLDS)
        entry["odoo"] += bool(found)
    for kind in per_kind.values():
        kind["gov_ai_flag_rate"] = round(kind.pop("gov_ai") / kind["n"], 3)
        kind["odoo_flag_rate"] = round(kind.pop("odoo") / kind["n"], 3)
    return {
        "test_bills": len(tests),
        "true_duplicates": sum(1 for b in tests if b["label"]),
        "flag_rate_by_kind": dict(sorted(per_kind.items())),
        "gov_ai": {
            "at_threshold": {
                str(t): _pr([(truth, conf >= t) for truth, conf in ours])
                for t in THRESHOLDS
            },
            "latency_ms": _percentiles(ours_ms),
        },
        "odoo_duplicated_ref_ids": _pr(theirs)
        | {"latency_ms": _percentiles(theirs_ms)},
    }


def _score_anomalies(env, setup, use_case, tests):
    pairs, detectable, latencies = [], [], []
    by_factor, by_baseline, false_by_baseline = {}, {}, {}
    for bill, move in _one_by_one(env, setup, tests):
        answer, elapsed = _timed(_detect, use_case, move)
        latencies.append(elapsed)
        flagged = answer["label"] == "anomaly"
        pairs.append((bill["label"], flagged))
        assessment = answer["evidence"].get("assessment") or {}
        if flagged and not bill["label"]:
            scope = assessment.get("baseline", "none")
            false_by_baseline[scope] = false_by_baseline.get(scope, 0) + 1
        if bill["label"]:
            detectable.append((bill["detectable"], flagged))
            entry = by_factor.setdefault(
                str(bill["factor"]), {"n": 0, "flagged": 0, "multiples": []}
            )
            entry["n"] += 1
            entry["flagged"] += flagged
            if assessment.get("ratio"):
                entry["multiples"].append(assessment["ratio"])
            entry = by_baseline.setdefault(
                assessment.get("baseline", "none"), {"outliers": 0, "flagged": 0}
            )
            entry["outliers"] += 1
            entry["flagged"] += flagged
    for entry in by_factor.values():
        # the multiple of the expected amount the detector reports
        multiples = entry.pop("multiples")
        entry["median_multiple_reported"] = (
            round(statistics.median(multiples), 2) if multiples else None
        )
    result = _pr(pairs)
    normal = [flagged for truth, flagged in pairs if not truth]
    return result | {
        "false_positive_rate": round(sum(normal) / max(len(normal), 1), 4),
        "false_flags_by_baseline_used": false_by_baseline,
        "test_bills": len(tests),
        "outliers": sum(1 for b in tests if b["label"]),
        "recall_of_outliers_beyond_3_5_sigma": round(
            sum(1 for d, f in detectable if d and f)
            / max(1, sum(1 for d, _f in detectable if d)),
            4,
        ),
        "flag_rate_by_factor": by_factor,
        "outliers_by_baseline_used": by_baseline,
        "latency_ms": _percentiles(latencies),
    }
