# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestEscalation(ApprovalCase):
    def setUp(self):
        super().setUp()
        self.matrix.line_ids[1].step_ids.write(
            {
                "sla_hours": 4,
                "escalation_user_id": self.director.id,
                "escalation_add_approver": True,
            }
        )

    def test_overdue_step_escalates_once(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self.make_po(5000)
            self.confirm(order)
        request = self.request_of(order)
        step = request.step_ids
        self.assertEqual(step.deadline, start + timedelta(hours=4))
        with freeze_time(start + timedelta(hours=3)):
            self.Request._escalate_due()
        self.assertFalse(step.escalated)
        self.assertFalse(request.is_overdue)
        with freeze_time(start + timedelta(hours=5)):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertIn(request, self.Request.search([("is_overdue", "=", True)]))
            self.Request._escalate_due()
            self.Request._escalate_due()
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager | self.director)
        self.assertEqual(request.activity_ids.user_id, self.manager | self.director)
        escalations = order.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("gov_approval.mt_approval_escalated")
        )
        self.assertEqual(len(escalations), 1)
        self.assertIn(self.director.partner_id, escalations.partner_ids)
        events = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.escalated"), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(events), 1)
        # the escalation target now decides
        self.decide(order, self.director)
        self.assertEqual(order.state, "purchase")

    def test_escalation_never_makes_the_requester_an_approver(self):
        self.matrix.line_ids[1].step_ids.escalation_user_id = self.requester
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self.make_po(5000)
            self.confirm(order)
        with freeze_time(start + timedelta(hours=5)):
            self.Request._escalate_due()
        step = self.request_of(order).step_ids
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager)

    def test_reminders_follow_the_matrix_cadence(self):
        self.matrix.reminder_hours = 24
        start = fields.Datetime.now()
        with freeze_time(start):
            order = self.make_po(5000)
            self.confirm(order)
        step = self.request_of(order).step_ids
        step.flush_recordset()
        self.env.cr.execute(
            "UPDATE gov_approval_request_step SET write_date = %s WHERE id = %s",
            (start, step.id),
        )
        step.invalidate_recordset()
        reminder = "Reminder:"
        with freeze_time(start + timedelta(hours=23)):
            self.Request._remind_due()
        self.assertFalse(
            order.message_ids.filtered(lambda m: reminder in (m.body or ""))
        )
        with freeze_time(start + timedelta(hours=25)):
            self.Request._remind_due()
            self.Request._remind_due()
        reminders = order.message_ids.filtered(lambda m: reminder in (m.body or ""))
        self.assertEqual(len(reminders), 1)
        self.assertIn(self.manager.partner_id, reminders.partner_ids)
        self.assertEqual(step.last_reminder_date, start + timedelta(hours=25))
