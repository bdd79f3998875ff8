# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestRequestApprovalFromScheduledActions(ApprovalCase, HttpCase):
    """The "Request Approval" server action type run by a real scheduled
    action: it acts on the records of its domain."""

    def make_cron(self, domain):
        return self.env["ir.cron"].create(
            {
                "name": "Ask approval of stale orders",
                "model_id": self.env["ir.model"]._get_id("purchase.order"),
                "state": "gov_approval_request",
                "gov_approval_action": "purchase.order:confirm",
                "gov_record_domain": domain,
                "gov_record_limit": 2,
                "interval_number": 1,
                "interval_type": "days",
            }
        )

    def test_orders_waiting_for_days_are_put_to_their_approvers(self):
        old = self.make_po(5000) | self.make_po(6000) | self.make_po(7000)
        old.date_order = fields.Datetime.now() - timedelta(days=5)
        fresh = self.make_po(5000)
        cron = self.make_cron(
            "[('state', '=', 'draft'), ('gov_approval_state', '!=', 'pending'),"
            " ('date_order', '<',"
            " (datetime.datetime.now() - relativedelta(days=3))"
            ".strftime('%Y-%m-%d %H:%M:%S'))]"
        )
        cron.method_direct_trigger()
        asked = old.filtered(lambda o: self.request_of(o).state == "pending")
        # two records per run: the third waits for the next run
        self.assertEqual(len(asked), 2)
        self.assertFalse(self.request_of(fresh))
        cron.method_direct_trigger()
        self.assertEqual(
            {self.request_of(o).state for o in old}, {"pending"}, old.mapped("name")
        )
        self.assertEqual(set(old.mapped("state")), {"draft"})
        self.assertEqual(self.request_of(old[0]).requester_id, cron.user_id)

    def test_a_domain_that_does_not_evaluate_is_refused(self):
        with self.assertRaises(ValidationError):
            self.make_cron("[('no_such_field', '=', 1)]")
