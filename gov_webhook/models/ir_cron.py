# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

WAKE_KEY = "gov_webhook.wake"
WAKE_AT_KEY = "gov_webhook.wake_at"
# cron workers look for triggers once a minute: a trigger at most this much
# later than wanted is as good as one at the time
WAKE_PRECISION = timedelta(seconds=60)
# Advisory locks (namespace, trigger id) taken by transactions that count on
# a waiting trigger; the run that consumes the trigger waits for them.
HELD_TRIGGER_LOCKS = 0x676F7677
# Scheduled actions whose triggers can be held that way.
HELD_TRIGGER_CRONS = ("gov_webhook.ir_cron_gov_webhook_process_inbox",)


class IrCron(models.Model):
    """Wake a worker once per transaction, however many items it stores."""

    _inherit = "ir.cron"

    @api.model
    def _gov_hold_waiting_trigger_sql(self, xmlid):
        """SQL that holds a waiting trigger of ``xmlid`` until this commit.

        True when a trigger no run has taken (no deleter in ``xmax``) waits
        and this transaction now holds it: the run that consumes it waits for
        our commit before it looks for work, so the rows we commit are seen
        and nothing else needs waking. Meant to ride along the statement that
        stores the rows, just before the commit (the run waits meanwhile).
        """
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        return SQL(
            """EXISTS(SELECT 1 FROM ir_cron_trigger
                       WHERE cron_id = %s AND call_at <= %s AND xmax = '0'::xid
                         AND pg_try_advisory_xact_lock_shared(%s, id))""",
            cron_id or 0,
            fields.Datetime.now(),
            HELD_TRIGGER_LOCKS,
        )

    @api.model
    def _clear_schedule(self, job):
        # wait for the transactions that count on the triggers consumed here
        held = [
            self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            for xmlid in HELD_TRIGGER_CRONS
        ]
        if job["id"] in held:
            self.env.cr.execute(
                SQL(
                    """SELECT pg_advisory_xact_lock(%s, id) FROM ir_cron_trigger
                        WHERE cron_id = %s AND call_at <= %s ORDER BY id""",
                    HELD_TRIGGER_LOCKS,
                    job["id"],
                    self.env.cr.now().replace(microsecond=0),
                )
            )
        return super()._clear_schedule(job)

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
        self._gov_trigger_unless_waiting(xmlid, fields.Datetime.now())

    @api.model
    def _gov_wake_at(self, xmlid, when):
        """Make sure the scheduled action ``xmlid`` runs at ``when``.

        A transaction adds one trigger at most, after its commit, for the
        earliest time it asked for; none when a trigger no run has taken waits
        for that time or earlier (the run it starts plans the next one).
        """
        postcommit = self.env.cr.postcommit
        wanted = postcommit.data.setdefault(WAKE_AT_KEY, {})
        if xmlid in wanted:
            wanted[xmlid] = min(wanted[xmlid], when)
            return
        wanted[xmlid] = when
        postcommit.add(
            lambda: self._gov_wake_at_after_commit(xmlid, wanted.get(xmlid, when))
        )

    @api.model
    def _gov_wake_at_after_commit(self, xmlid, when):
        self._gov_trigger_unless_waiting(xmlid, when + WAKE_PRECISION, at=when)

    @api.model
    def _gov_trigger_unless_waiting(self, xmlid, until, at=None):
        """Add a trigger of the scheduled action ``xmlid`` (at ``at``, else
        now) unless one that no run has taken waits for ``until`` or earlier.

        Runs on the committed cursor: this read opens a transaction that the
        cursor's next commit, rollback or close ends.
        """
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        if not cron_id:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT 1 FROM ir_cron_trigger
                    WHERE cron_id = %s AND call_at <= %s AND xmax = '0'::xid
                    LIMIT 1""",
                cron_id,
                until,
            )
        )
        if cr.fetchone():
            return
        with self.env.registry.cursor() as wake_cr:
            self.env(cr=wake_cr, su=True)["ir.cron"].browse(cron_id)._trigger(at=at)
