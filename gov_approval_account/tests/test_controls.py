# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor bills against a hostile insider, through Odoo's public routes."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import BillCase


@tagged("post_install", "-at_install")
class TestBillControls(BillCase, HttpCase, RpcRoutesMixin):
    def test_cancel_then_post_posts_nothing(self):
        for route in ROUTES:
            bill = self.bill(10000)
            cancelled = self.rpc(
                "call_kw", self.accountant, bill._name, "button_cancel", bill.ids
            )
            self.assertTrue(cancelled, cancelled.error)
            self.assertEqual(bill.state, "cancel")
            forged = self.rpc(
                route,
                self.accountant,
                bill._name,
                "write",
                bill.ids,
                vals={"state": "posted"},
            )
            self.assertFalse(forged, route)
            self.assertEqual(bill.state, "cancel", route)
        bill = self.bill(10000)
        bill.with_user(self.accountant).button_cancel()
        bill.with_user(self.accountant).button_draft()
        with self.assertRaisesRegex(UserError, "before it is approved"):
            bill.sudo().write({"state": "posted"})
        with self.assertRaisesRegex(UserError, "before it is approved"):
            bill.sudo()._post(soft=False)
        self.assertEqual(bill.state, "draft")

    def test_a_cancelled_bill_leaves_no_decidable_request(self):
        bill = self.bill(10000)
        bill.with_user(self.accountant).action_post()
        request = self.request_of(bill)
        self.assertEqual(request.state, "pending")
        bill.with_user(self.accountant).button_cancel()
        self.assertEqual(request.state, "superseded")
        with self.assertRaises(UserError):
            request.with_user(self.controller)._decide("approve")
        self.assertEqual(bill.state, "cancel")

    def test_a_posted_bill_keeps_its_approved_lines_and_bank_account(self):
        bill = self.bill(8000)
        bill.with_user(self.accountant).action_post()
        self.request_of(bill).with_user(self.controller)._decide("approve")
        self.assertEqual(bill.state, "posted")
        bank = (
            self.env["res.partner.bank"]
            .sudo()
            .create(
                {"acc_number": "NL91ABNA0417164300", "partner_id": self.partner_a.id}
            )
        )
        for route in ROUTES:
            result = self.rpc(
                route,
                self.accountant,
                bill._name,
                "write",
                bill.ids,
                vals={"partner_bank_id": bank.id},
            )
            self.assertFalse(result, route)
        self.assertFalse(bill.partner_bank_id == bank)

    def test_lines_swapped_after_approval_need_a_new_one(self):
        self.bill_matrix.auto_resume = False
        bill = self.bill(8000)
        bill.with_user(self.accountant).action_post()
        request = self.request_of(bill)
        request.with_user(self.controller)._decide("approve")
        line = bill.invoice_line_ids
        other_account = self.company_data["default_account_assets"]
        result = self.rpc(
            "json2",
            self.accountant,
            bill._name,
            "write",
            bill.ids,
            vals={
                "invoice_line_ids": [
                    Command.update(line.id, {"account_id": other_account.id})
                ]
            },
        )
        self.assertTrue(result, result.error)
        self.assertEqual(request.state, "superseded")
        bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(self.request_of(bill).state, "pending")
