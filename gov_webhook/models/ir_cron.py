# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

WAKE_KEY = "gov_webhook.wake"


class IrCron(models.Model):
    """Wake a worker once per transaction, however many items it stores."""

    _inherit = "ir.cron"

    @api.model
    def _gov_wake_once(self, xmlid):
        """Make sure the scheduled action ``xmlid`` runs after this commit.

        The first call of a transaction registers one check, run after the
        commit (a rollback drops it with the stored items); the next calls
        cost nothing.
        """
        postcommit = self.env.cr.postcommit
        pending = postcommit.data.setdefault(WAKE_KEY, set())
        if xmlid in pending:
            return
        pending.add(xmlid)
        postcommit.add(lambda: self._gov_wake_after_commit(xmlid))

    @api.model
    def _gov_wake_after_commit(self, xmlid):
        """Trigger the cron unless a trigger no run has taken yet is waiting.

        A run deletes the triggers it consumes before it looks for work, and
        a deleted row shows its deleter in ``xmax`` at once, committed or not.
        So a waiting trigger with no deleter, seen after our commit, starts a
        run that will see what we committed. Otherwise a new trigger is added,
        which also notifies the cron workers. (Were the process to die before
        this check, the cron's regular interval would still collect the rows.)
        """
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        if not cron_id:
            return
        # the committed cursor: this read opens a transaction that the
        # cursor's next commit, rollback or close ends
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT 1 FROM ir_cron_trigger
                    WHERE cron_id = %s AND call_at <= %s AND xmax = '0'::xid
                    LIMIT 1""",
                cron_id,
                fields.Datetime.now(),
            )
        )
        if cr.fetchone():
            return
        with self.env.registry.cursor() as wake_cr:
            self.env(cr=wake_cr, su=True)["ir.cron"].browse(cron_id)._trigger()
