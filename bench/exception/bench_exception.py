"""Exception queue throughput: capture with dedup, and the retry worker.

Anchors, measured in the same run on the same database:
- capture is compared with inserting one ``ir.logging`` row per failure, the
  place Odoo itself leaves a trace of a failure (no owner, no dedup);
- the retry worker is compared with running the same handlers directly in a
  loop with a savepoint each, i.e. the bare cost of the work without the queue.
Ratios above 1 mean the queue is faster than the anchor.
"""

import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields

MODULES = ["gov_exception"]
CAPTURES = 10_000
FINGERPRINTS = 100
RETRY_ITEMS = 10_000
COMMIT_EVERY = 100
# Outcome mix of the retried handlers, in tenths: success, retry later, give up.
MIX = ("ok",) * 7 + ("retry",) * 2 + ("dead",)
HANDLER_CODE = {
    "ok": "result = payload['n']",
    "retry": "raise GovRetryableError('receiver busy')",
    "dead": "raise GovPermanentError('contract violated')",
}


def run(registry):
    actions = _setup(registry)
    anchor_capture = _anchor_capture(registry)
    capture = _capture(registry)
    per_batch = {
        size: _retry(registry, actions, 2_000, size)["queries_per_item"]
        for size in (20, 100, 500)
    }
    retry = _retry(registry, actions, RETRY_ITEMS, 100)
    anchor_retry = _anchor_retry(registry, actions)
    return {
        "capture": capture,
        "capture_anchor_ir_logging": anchor_capture,
        "capture_ratio_vs_ir_logging": round(
            capture["items_per_second"] / anchor_capture["items_per_second"], 3
        ),
        "retry": retry,
        "retry_anchor_direct_handlers": anchor_retry,
        "retry_ratio_vs_direct_handlers": round(
            retry["items_per_second"] / anchor_retry["items_per_second"], 3
        ),
        "retry_queries_per_item_by_batch_size": per_batch,
    }


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def _setup(registry):
    with registry.cursor() as cr:
        env = _env(cr)
        model = env["ir.model"]._get("res.partner")
        env["gov.exception.policy"].create(
            {
                "name": "bench",
                "max_attempts": 5,
                "backoff_base": 3600,
                "backoff_jitter": 0.1,
            }
        )
        return {
            outcome: env["ir.actions.server"]
            .create(
                {
                    "name": f"bench {outcome}",
                    "model_id": model.id,
                    "state": "code",
                    "code": code,
                }
            )
            .id
            for outcome, code in HANDLER_CODE.items()
        }


def _measure(registry, count, step):
    """Run ``step(env, index)`` ``count`` times, committing every COMMIT_EVERY."""
    queries = 0
    started = time.perf_counter()
    for offset in range(0, count, COMMIT_EVERY):
        with registry.cursor() as cr:
            env = _env(cr)
            before = cr.sql_log_count
            for index in range(offset, min(offset + COMMIT_EVERY, count)):
                step(env, index)
            env.flush_all()
            queries += cr.sql_log_count - before
    elapsed = time.perf_counter() - started
    return {
        "items": count,
        "seconds": round(elapsed, 2),
        "items_per_second": round(count / elapsed, 1),
        "queries_per_item": round(queries / count, 2),
    }


def _anchor_capture(registry):
    def step(env, index):
        env["ir.logging"].create(
            {
                "name": "bench",
                "type": "server",
                "level": "ERROR",
                "message": f"failure {index % FINGERPRINTS}",
                "path": "bench",
                "func": "bench",
                "line": "1",
            }
        )

    return _measure(registry, CAPTURES, step)


def _capture(registry):
    def step(env, index):
        env["gov.exception.item"].capture(
            "delivery",
            f"failure {index % FINGERPRINTS}",
            source="bench-capture",
            payload={"fingerprint": index % FINGERPRINTS, "body": "x" * 200},
            error="503 Service Unavailable",
        )

    result = _measure(registry, CAPTURES, step)
    with registry.cursor() as cr:
        items = _env(cr)["gov.exception.item"].search(
            [("source", "=", "bench-capture")]
        )
        result["rows"] = len(items)
        result["occurrences"] = sum(items.mapped("occurrence_count"))
    if result["rows"] != FINGERPRINTS or result["occurrences"] != CAPTURES:
        raise AssertionError(f"dedup lost count: {result}")
    return result


def _make_due(registry, actions, count, tag):
    with registry.cursor() as cr:
        env = _env(cr)
        Item = env["gov.exception.item"]
        ids = []
        for index in range(count):
            outcome = MIX[index % len(MIX)]
            ids.append(
                Item.capture(
                    "delivery",
                    f"{tag} {index}",
                    source=tag,
                    payload={"n": index},
                    handler={
                        "model": "ir.actions.server",
                        "method": "_gov_run_with_payload",
                        "res_id": actions[outcome],
                    },
                    retryable=True,
                ).id
            )
        # the addons path is known once the benchmark runs
        from odoo.addons.gov_exception.tools.engine import queue_writes

        with queue_writes():
            Item.browse(ids).write(
                {"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)}
            )
        return ids


def _retry(registry, actions, count, batch_size):
    tag = f"bench-retry-{count}-{batch_size}"
    ids = _make_due(registry, actions, count, tag)
    queries = 0
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = _env(cr)
        before = cr.sql_log_count
        # one batch per call, called again while the batch was full: what the
        # scheduler does while the worker reports remaining work
        Item = env["gov.exception.item"]
        while len(Item._cron_retry_due(batch_size=batch_size)) == batch_size:
            pass
        queries = cr.sql_log_count - before
    elapsed = time.perf_counter() - started
    with registry.cursor() as cr:
        items = _env(cr)["gov.exception.item"].browse(ids)
        states = {}
        for state in items.mapped("state"):
            states[state] = states.get(state, 0) + 1
    expected = {
        "resolved": count * 7 // 10,
        "retry": count * 2 // 10,
        "dead": count // 10,
    }
    if states != expected:
        raise AssertionError(f"unexpected outcomes {states}, expected {expected}")
    return {
        "items": count,
        "batch_size": batch_size,
        "seconds": round(elapsed, 2),
        "items_per_second": round(count / elapsed, 1),
        "queries_per_item": round(queries / count, 2),
        "outcomes": states,
    }


def _anchor_retry(registry, actions):
    def step(env, index):
        action = env["ir.actions.server"].browse(actions[MIX[index % len(MIX)]])
        try:
            with env.cr.savepoint():
                action._gov_run_with_payload({"n": index})
        except Exception:  # noqa: BLE001 - the anchor swallows failures
            return

    return _measure(registry, RETRY_ITEMS, step)
