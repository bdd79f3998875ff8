# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scheduled work on open steps: escalation past their deadline and
reminders to the approvers who have not decided yet.
"""

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch

from ..tools.engine import approval_writes, decision_batch
from .gov_approval_request import ESCALATION_BATCH


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Escalation of overdue steps
    # ------------------------------------------------------------------
    @api.model
    def _escalation_domain(self):
        return [
            ("state", "=", "pending"),
            ("escalated", "=", False),
            ("deadline", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _take_overdue(self, batch_size):
        Step = self.env["gov.approval.request.step"].sudo()
        return lock_batch(Step, self._escalation_domain(), batch_size, "deadline, id")

    @api.model
    def _cron_escalate(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: escalate one batch of overdue steps per call."""
        Step = self.env["gov.approval.request.step"].sudo()
        return run_batch(
            self.env,
            self._take_overdue,
            batch_size=batch_size,
            process_batch=self._escalate_steps,
            count_remaining=lambda: Step.search_count(self._escalation_domain()),
        )

    @api.model
    def _escalate_due(self, batch_size=ESCALATION_BATCH):
        """Escalate one batch of overdue steps nobody else holds, each once,
        without committing; returns the steps escalated."""
        steps = self._take_overdue(batch_size)
        self._escalate_steps(steps)
        return steps

    @api.model
    def _escalate_steps(self, steps):
        """Escalate ``steps``: their writes, activities, e-mails, chatter notes
        and audit events are written once for the whole batch."""
        if not steps:
            return
        with approval_writes(), decision_batch(self.env):
            steps.write({"escalated": True})
            adding = steps.filtered(
                lambda s: (
                    s.escalation_user_id
                    and s.escalation_add_approver
                    and s.escalation_user_id != s.request_id.requester_id
                    and s.escalation_user_id not in s.approver_ids
                )
            )
            for target, group in adding.grouped("escalation_user_id").items():
                group.write(
                    {
                        "approver_ids": [Command.link(target.id)],
                        "pending_approver_ids": [Command.link(target.id)],
                    }
                )
            for step in steps:
                step.request_id._escalate(step, added=step in adding)

    def _escalate(self, step, added=False):
        """Tell who must know that ``step`` is overdue (inside a batch)."""
        target = step.escalation_user_id
        if added:
            self._notify_approvers(step, target)
        if target:
            self._schedule_activities(step, target)
        self._post_on_document(
            self._document()._gov_approval_body_escalated(self, step, target, added),
            "gov_approval.mt_approval_escalated",
            # the target and the approvers are named; each is told by the
            # approval activity waiting for them
            recipients=(target | step.pending_approver_ids).partner_id,
        )
        self._audit(
            "approval.escalated",
            self.env._("%(name)s escalated", name=self.name),
            details={
                "step": step.name,
                "to": target.login or None,
                "added_as_approver": added,
            },
        )

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: remind the approvers of one batch of steps."""
        return run_batch(
            self.env,
            self._take_reminders,
            batch_size=batch_size,
            process_batch=self._remind_steps,
            count_remaining=self._count_reminders,
        )

    @api.model
    def _remind_due(self, batch_size=ESCALATION_BATCH):
        """Remind one batch of steps without committing; returns them."""
        steps = self._take_reminders(batch_size)
        self._remind_steps(steps)
        return steps

    @api.model
    def _reminders_sql(self):
        """Steps due a reminder: waiting ``reminder_hours`` (of their matrix)
        since they opened or since their last reminder."""
        self.env["gov.approval.request.step"].flush_model()
        return SQL(
            """FROM gov_approval_request_step s
                 JOIN gov_approval_request r ON r.id = s.request_id
                 JOIN gov_approval_matrix m ON m.id = r.matrix_id
                WHERE s.state = 'pending' AND m.reminder_hours > 0
                  AND COALESCE(s.last_reminder_date, s.write_date)
                      <= %s - make_interval(hours => m.reminder_hours)""",
            fields.Datetime.now(),
        )

    @api.model
    def _take_reminders(self, batch_size):
        rows = self.env.execute_query(
            SQL(
                "SELECT s.id %s ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED",
                self._reminders_sql(),
                batch_size,
            )
        )
        return self.env["gov.approval.request.step"].sudo().browse(r[0] for r in rows)

    @api.model
    def _count_reminders(self):
        [(count,)] = self.env.execute_query(
            SQL("SELECT count(*) %s", self._reminders_sql())
        )
        return count

    @api.model
    def _remind_steps(self, steps):
        if not steps:
            return
        with approval_writes():
            steps.write({"last_reminder_date": fields.Datetime.now()})
        for step in steps:
            request = step.request_id
            request._post_on_document(
                request._document()._gov_approval_body_reminder(request),
                "gov_approval.mt_approval_requested",
                partner=step.pending_approver_ids.partner_id,
            )
