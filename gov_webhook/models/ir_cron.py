# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

WAKE_KEY = "gov_webhook.wake"


class IrCron(models.Model):
    """Wake a worker once per transaction, however many items it stores."""

    _inherit = "ir.cron"

    @api.model
    def _gov_wake_once(self, xmlid):
        """Make sure the scheduled action ``xmlid`` runs after this commit.

        The first call of a transaction registers one check, run just before
        the commit (so a rollback takes it away with the stored items); the
        next calls cost nothing.
        """
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(WAKE_KEY, set())
        if xmlid in pending:
            return
        pending.add(xmlid)
        precommit.add(lambda: self._gov_wake_now(xmlid))

    @api.model
    def _gov_wake_now(self, xmlid):
        """Trigger the cron unless a trigger is already waiting for it.

        A waiting trigger is locked until this transaction ends: a cron run
        deletes the triggers it consumes, so it cannot start on that one before
        our items are committed, and the run it leads to sees them. Triggers
        locked by a run that already started are skipped, as are those deleted
        since this transaction began (the lock attempt fails): in both cases a
        new trigger is added, which also notifies the cron workers.
        """
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        if not cron_id:
            return
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        """SELECT 1 FROM ir_cron_trigger
                            WHERE cron_id = %s AND call_at <= %s
                            LIMIT 1 FOR KEY SHARE SKIP LOCKED""",
                        cron_id,
                        fields.Datetime.now(),
                    ),
                    log_exceptions=False,
                )
                if cr.fetchone():
                    return
        except SerializationFailure:
            pass
        self.sudo().browse(cron_id)._trigger()
