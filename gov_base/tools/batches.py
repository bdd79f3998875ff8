# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one batch loop of the suite's scheduled actions.

Every worker of the suite (approval escalation and reminders, exception
retries and SLA, webhook inbox and outbox, the AI queue) takes its work the
same way, so that several Odoo workers, or several servers on one database,
share it safely:

* a batch is taken and locked in one query, ``FOR UPDATE SKIP LOCKED``: rows
  another worker holds are skipped, never waited for;
* each item runs in its own savepoint: one failing item rolls back alone;
* one batch per call: ``ir.cron._commit_progress`` commits it and reports the
  remainder, counted only when the batch was full (a short batch means nothing
  is left); Odoo calls the scheduled action again while work remains and its
  time is not up, so a worker never holds a transaction for long.
"""

from odoo.tools import SQL


def lock_batch(model, domain, limit, order=None):
    """Up to ``limit`` records of ``model`` matching ``domain`` that no other
    transaction holds, locked for this one (a single query)."""
    query = model._search(domain, order=order, limit=limit)
    rows = model.env.execute_query(SQL("%s FOR UPDATE SKIP LOCKED", query.select()))
    return model.browse(row[0] for row in rows)


def run_batch(
    env,
    take,
    *,
    batch_size,
    process=None,
    process_batch=None,
    count_remaining=None,
    on_error=None,
):
    """Run one batch of a scheduled action's work and commit its progress.

    :param take: ``take(batch_size)`` returns the next locked batch (records)
    :param process: called with each record, in a savepoint of its own
    :param process_batch: called with the whole batch instead (grouped writes)
    :param count_remaining: returns how much work is left, after a full batch
    :param on_error: ``on_error(record, error)`` for an item that raised (its
        savepoint rolled back); without it the error stops the run
    :return: the batch processed (empty when no work was left)
    """
    assert (process is None) != (process_batch is None)
    cron = env["ir.cron"]
    batch = take(batch_size)
    if not batch:
        cron._commit_progress(remaining=0)
        return batch
    if process_batch is not None:
        process_batch(batch)
    else:
        for record in batch:
            try:
                with env.cr.savepoint():
                    process(record)
            except Exception as error:
                if on_error is None:
                    raise
                on_error(record, error)
    full = len(batch) >= batch_size
    remaining = count_remaining() if full and count_remaining else 0
    cron._commit_progress(len(batch), remaining=remaining)
    return batch
