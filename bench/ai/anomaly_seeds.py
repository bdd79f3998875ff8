"""Amount anomalies over many seeded histories, not one.

One seeded history (``ap_cases.py``) gives one draw of the false positives
and the recall: a handful of bills decide them. Here the same generator
makes histories from other seeds, each inserted and scored inside a
savepoint rolled back afterwards, and the counts are summed over all of
them, per kind of vendor. The detector is the anomaly use case of the run,
unchanged.

Volatile vendors (a spread of 0.8 to 1.0 on the log scale) bound what any
check of the amount alone can do: ``volatile_bound`` gives the recall on
their 5x and 10x outliers of a check that knew each vendor's true median
and spread and flagged, above the median, exactly the false positive rate
ours has on them. It bounds the outliers made by the quantity; those made
by the unit price show on the line (``by_outlier_lever``).
"""

import contextlib
import math
import random
from statistics import NormalDist

SEEDS = tuple(range(1, 21))


def run(env, setup, use_case, one_by_one, detect, ap_cases):
    """Score the anomaly tests of every seed; ``ap_cases``: the module."""
    totals, per_kind, bound, levers = [0, 0, 0, 0], {}, [], {}
    env.flush_all()  # nothing of the run may be rolled back with a seed
    for seed in SEEDS:
        with contextlib.closing(env.cr.savepoint(flush=False)):
            rng = random.Random(seed)
            vendors = ap_cases._vendors(env, rng)
            history = ap_cases._history(rng, vendors)
            ap_cases._insert(env, setup, history)
            ap_cases._duplicate_tests(rng, vendors, history)
            tests = ap_cases._anomaly_tests(rng, vendors)
            report = ap_cases._score_anomalies(
                env, setup, use_case, tests, one_by_one, detect
            )
        env.invalidate_all()
        for kind, entry in report["by_vendor_kind"].items():
            counts = per_kind.setdefault(kind, [0, 0, 0, 0])
            for index, key in enumerate(
                ("outliers", "caught", "normal", "false_flags")
            ):
                counts[index] += entry[key]
                totals[index] += entry[key]
        for name, lever in report["by_outlier_lever"].items():
            counts = levers.setdefault(name, [0, 0])
            counts[0] += lever["outliers"]
            counts[1] += lever["caught"]
        bound.extend(v["sigma"] for v in vendors if v["kind"] == "volatile")
    volatile = per_kind.get("volatile")
    return {
        "seeds": len(SEEDS),
        "recall": round(totals[1] / max(totals[0], 1), 4),
        "false_positive_rate": round(totals[3] / max(totals[2], 1), 4),
        "outliers": totals[0],
        "normal": totals[2],
        "by_vendor_kind": {
            kind: {
                "recall": round(c[1] / max(c[0], 1), 3),
                "false_positive_rate": round(c[3] / max(c[2], 1), 3),
                "outliers": c[0],
                "normal": c[2],
            }
            for kind, c in sorted(per_kind.items())
        },
        "by_outlier_lever": {
            name: {"recall": round(c[1] / max(c[0], 1), 3), "outliers": c[0]}
            for name, c in sorted(levers.items())
        },
        "volatile_bound": _volatile_bound(
            bound, volatile[3] / max(volatile[2], 1) if volatile else 0.0
        ),
    }


def _volatile_bound(sigmas, false_positive_rate):
    """Recall on 5x and 10x outliers of the best check of the amount alone
    that knows each volatile vendor's distribution, at the same false
    positive rate (flagging amounts above a quantile of the vendor's own)."""
    if not sigmas or false_positive_rate <= 0:
        return None
    normal = NormalDist()
    limit = normal.inv_cdf(1 - false_positive_rate)
    recalls = [
        1 - normal.cdf(limit - math.log(factor) / sigma)
        for sigma in sigmas
        for factor in (5.0, 10.0)
    ]
    return {
        "false_positive_rate": round(false_positive_rate, 3),
        "recall": round(sum(recalls) / len(recalls), 3),
    }
