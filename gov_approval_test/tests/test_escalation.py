# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Overdue steps and reminders: the batch functions for the logic, and the
scheduled actions as Odoo's scheduler runs them (one committed batch per
call, which the test cursor of an HTTP test allows)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import TesterCase

REMINDER = "Reminder:"


class EscalationCase(TesterCase):
    def setUp(self):
        super().setUp()
        self.matrix.line_ids[1].step_ids.write(
            {
                "sla_hours": 4,
                "escalation_user_id": self.director.id,
                "escalation_add_approver": True,
            }
        )

    def waiting_since(self, start, amount=5000):
        """A document confirmed at ``start``: its request waits since then."""
        with freeze_time(start):
            doc = self.make_doc(amount)
            self.confirm(doc)
        step = self.request_of(doc).step_ids[:1]
        # the reminders count from the step's last write, stamped by the
        # database clock: move it back to ``start`` too
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_approval_request_step SET write_date = %s WHERE id = %s",
            (start, step.id),
        )
        step.invalidate_recordset()
        return doc

    def escalations(self, doc):
        subtype = self.env.ref("gov_approval.mt_approval_escalated")
        return doc.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def reminders(self, doc):
        return doc.message_ids.filtered(lambda m: REMINDER in (m.body or ""))


@tagged("post_install", "-at_install")
class TestEscalation(EscalationCase):
    def test_overdue_step_escalates_once(self):
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        request = self.request_of(doc)
        step = request.step_ids
        self.assertEqual(step.deadline, start + timedelta(hours=4))
        with freeze_time(start + timedelta(hours=3)):
            self.assertFalse(self.Request._escalate_due())
        self.assertFalse(step.escalated)
        self.assertFalse(request.is_overdue)
        with freeze_time(start + timedelta(hours=5)):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertIn(request, self.Request.search([("is_overdue", "=", True)]))
            self.assertEqual(self.Request._escalate_due(), step)
            self.assertFalse(self.Request._escalate_due())
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager | self.director)
        self.assertEqual(request.activity_ids.user_id, self.manager | self.director)
        escalations = self.escalations(doc)
        self.assertEqual(len(escalations), 1)
        self.assertIn(self.director.partner_id, escalations.partner_ids)
        self.assertIn(self.manager.partner_id, escalations.partner_ids)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertIn(self.director.email, "".join(mails.mapped("email_to")))
        events = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.escalated"), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(events), 1)
        # the escalation target now decides
        self.decide(doc, self.director)
        self.assertEqual(doc.state, "confirmed")

    def test_escalation_only_tells_when_the_target_cannot_approve(self):
        self.matrix.line_ids[1].step_ids.escalation_add_approver = False
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(hours=5)):
            self.Request._escalate_due()
        request = self.request_of(doc)
        self.assertTrue(request.step_ids.escalated)
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        # the target is told through an activity, and cannot decide
        self.assertIn(self.director, request.activity_ids.user_id)
        self.assertEqual(len(self.escalations(doc)), 1)

    def test_escalation_never_makes_the_requester_an_approver(self):
        self.matrix.line_ids[1].step_ids.escalation_user_id = self.requester
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(hours=5)):
            self.Request._escalate_due()
        step = self.request_of(doc).step_ids
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager)

    def test_decided_and_withdrawn_requests_do_not_escalate(self):
        start = fields.Datetime.now()
        decided, withdrawn, waiting = (self.waiting_since(start) for _n in range(3))
        self.decide(decided, self.manager)
        self.request_of(withdrawn).with_user(self.requester).action_cancel()
        with freeze_time(start + timedelta(hours=5)):
            escalated = self.Request._escalate_due()
        self.assertEqual(escalated, self.request_of(waiting).step_ids)

    def test_one_batch_per_call(self):
        start = fields.Datetime.now()
        docs = [self.waiting_since(start) for _n in range(3)]
        with freeze_time(start + timedelta(hours=5)):
            first = self.Request._escalate_due(batch_size=2)
            second = self.Request._escalate_due(batch_size=2)
            third = self.Request._escalate_due(batch_size=2)
        self.assertEqual((len(first), len(second), len(third)), (2, 1, 0))
        steps = self.Request.browse([self.request_of(doc).id for doc in docs]).step_ids
        self.assertEqual(first | second, steps)
        self.assertEqual(set(steps.mapped("escalated")), {True})

    def test_reminders_follow_the_matrix_cadence(self):
        self.matrix.reminder_hours = 24
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        step = self.request_of(doc).step_ids
        with freeze_time(start + timedelta(hours=23)):
            self.assertFalse(self.Request._remind_due())
        self.assertFalse(self.reminders(doc))
        with freeze_time(start + timedelta(hours=25)):
            self.assertEqual(self.Request._remind_due(), step)
            self.assertFalse(self.Request._remind_due())
        reminders = self.reminders(doc)
        self.assertEqual(len(reminders), 1)
        self.assertIn(self.manager.partner_id, reminders.partner_ids)
        self.assertEqual(step.last_reminder_date, start + timedelta(hours=25))
        # the next one a cadence after the last reminder
        with freeze_time(start + timedelta(hours=48)):
            self.assertFalse(self.Request._remind_due())
        with freeze_time(start + timedelta(hours=50)):
            self.assertEqual(self.Request._remind_due(), step)
        self.assertEqual(len(self.reminders(doc)), 2)

    def test_no_reminders_when_the_matrix_sends_none(self):
        self.matrix.reminder_hours = 0
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(days=30)):
            self.assertFalse(self.Request._remind_due())
        self.assertFalse(self.reminders(doc))


@tagged("post_install", "-at_install")
class TestScheduledActions(EscalationCase, HttpCase):
    """The scheduled actions run by Odoo's scheduler: its progress record,
    a commit per batch, and the server action sandbox."""

    def run_cron(self, xmlid):
        cron = self.env.ref(xmlid)
        self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        return cron

    def test_the_escalation_cron_escalates_overdue_steps(self):
        past = fields.Datetime.now() - timedelta(hours=5)
        overdue = self.waiting_since(past)
        on_time = self.waiting_since(fields.Datetime.now())
        self.run_cron("gov_approval.ir_cron_escalate")
        step = self.request_of(overdue).step_ids
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager | self.director)
        self.assertEqual(len(self.escalations(overdue)), 1)
        self.assertFalse(self.request_of(on_time).step_ids.escalated)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.env.ref("gov_approval.ir_cron_escalate").id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        # a second run finds nothing left
        self.run_cron("gov_approval.ir_cron_escalate")
        self.assertEqual(len(self.escalations(overdue)), 1)

    def test_the_reminder_cron_reminds_waiting_approvers(self):
        self.matrix.reminder_hours = 24
        waiting = self.waiting_since(fields.Datetime.now() - timedelta(hours=25))
        recent = self.waiting_since(fields.Datetime.now() - timedelta(hours=2))
        self.run_cron("gov_approval.ir_cron_remind")
        self.assertEqual(len(self.reminders(waiting)), 1)
        self.assertTrue(self.request_of(waiting).step_ids.last_reminder_date)
        self.assertFalse(self.reminders(recent))
        self.run_cron("gov_approval.ir_cron_remind")
        self.assertEqual(len(self.reminders(waiting)), 1)
