# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillCase


@tagged("post_install", "-at_install")
class TestBillApproval(BillCase):
    def test_small_bill_posts_large_bill_waits_then_posts(self):
        small = self.bill(4999.99)
        small.with_user(self.accountant).action_post()
        self.assertEqual(small.state, "posted")
        large = self.bill(5000)
        result = large.with_user(self.accountant).action_post()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(large.state, "draft")
        self.assertEqual(large.gov_approval_state, "pending")
        request = self.request_of(large)
        self.assertEqual(request.action, "post_bill")
        request.with_user(self.controller)._decide("approve")
        self.assertEqual(large.state, "posted")
        self.assertTrue(request.action_done)

    def test_vendor_refund_of_any_amount_needs_approval(self):
        refund = self.bill(10, move_type="in_refund")
        refund.with_user(self.accountant).action_post()
        self.assertEqual(refund.state, "draft")
        self.assertEqual(
            self.request_of(refund).line_id.domain, "[('move_type', '=', 'in_refund')]"
        )

    def test_customer_credit_note_routed_by_its_own_matrix(self):
        note = self.bill(150, move_type="out_refund")
        note.with_user(self.accountant).action_post()
        request = self.request_of(note)
        self.assertEqual(request.matrix_id, self.refund_matrix)
        # customer invoices are not governed
        invoice = self.bill(150_000, move_type="out_invoice")
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_posting_around_the_gate_is_refused(self):
        large = self.bill(8000)
        with self.assertRaisesRegex(UserError, "before it is approved"):
            large.with_user(self.accountant)._post(soft=False)
        with self.assertRaisesRegex(UserError, "before it is approved"):
            large.sudo().write({"state": "posted"})
        self.assertEqual(large.state, "draft")

    def test_bank_account_change_supersedes_the_approval(self):
        self.bill_matrix.auto_resume = False
        large = self.bill(8000)
        large.with_user(self.accountant).action_post()
        request = self.request_of(large)
        request.with_user(self.controller)._decide("approve")
        self.assertEqual(request.state, "approved")
        bank = (
            self.env["res.partner.bank"]
            .sudo()
            .create(
                {"acc_number": "NL91ABNA0417164300", "partner_id": self.partner_a.id}
            )
        )
        large.with_user(self.accountant).partner_bank_id = bank
        self.assertEqual(request.state, "superseded")
        large.with_user(self.accountant).action_post()
        self.assertEqual(large.state, "draft")
        self.assertEqual(self.request_of(large).state, "pending")

    def test_accountant_cannot_approve_own_bill(self):
        large = self.bill(8000)
        large.with_user(self.accountant).action_post()
        with self.assertRaises(UserError):
            self.request_of(large).with_user(self.accountant)._decide("approve")
