# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor bank accounts under four eyes: changes and new accounts wait for
another user's approval, and no payment goes to them meanwhile."""

import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import company_user, latest_request
from odoo.addons.gov_base.tests.rpc import RpcRoutesMixin

OLD = "BE71 0961 2345 6769"
TRUSTED = "DE89 3704 0044 0532 0130 00"
NEW = "FR76 3000 6000 0112 3456 7890 189"


@tagged("post_install", "-at_install")
class TestBankPayments(AccountTestInvoicingCommon, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        company = cls.company_data["company"]
        cls.accountant = company_user(
            cls.env,
            company,
            "pb_accountant",
            "account.group_account_invoice,base.group_partner_manager,"
            "gov_base.gov_base_group_user",
        )
        cls.manager = company_user(
            cls.env,
            company,
            "pb_manager",
            "account.group_account_manager,base.group_partner_manager,"
            "gov_base.gov_base_group_approver",
        )
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": OLD,
                "partner_id": cls.partner_a.id,
            }
        )
        cls.trusted = cls.env["res.partner.bank"].create(
            {
                "acc_number": TRUSTED,
                "partner_id": cls.partner_b.id,
                "allow_out_payment": True,
            }
        )
        # the shipped presets, made active for the company
        for xmlid in ("bank_fields", "bank_create"):
            cls.env.ref(
                f"gov_approval_partner_bank.gov_approval_matrix_{xmlid}"
            ).sudo().write({"company_id": company.id, "active": True})
        cls.Request = cls.env["gov.approval.request"]

    def request_of(self, bank):
        return latest_request(self.env, bank)

    def payment(self, bank):
        return (
            self.env["account.payment"]
            .with_user(self.accountant)
            .create(
                {
                    "payment_type": "outbound",
                    "partner_type": "supplier",
                    "partner_id": self.partner_a.id,
                    "amount": 100,
                    "partner_bank_id": bank.id,
                }
            )
        )

    def post(self, payment, user=None):
        return self.rpc(
            "json2", user or self.accountant, payment._name, "action_post", payment.ids
        )

    def test_presets_ship_archived(self):
        presets = (
            self.env["gov.approval.matrix"]
            .sudo()
            .with_context(active_test=False)
            .search([("res_model", "=", "res.partner.bank")])
        )
        self.assertEqual(
            set(presets.mapped("kind")), {"fields", "create"}, presets.mapped("name")
        )
        fields_preset = presets.filtered(lambda m: m.kind == "fields")
        self.assertEqual(
            set(fields_preset.field_ids.mapped("name")),
            {"acc_number", "partner_id", "bank_id", "allow_out_payment"},
        )
        steps = presets.line_ids.step_ids
        self.assertEqual(
            steps.group_id, self.env.ref("account.group_account_manager"), steps
        )

    def test_changed_number_blocks_payment_until_approved(self):
        written = self.rpc(
            "json2",
            self.accountant,
            self.bank._name,
            "write",
            self.bank.ids,
            vals={"acc_number": NEW},
        )
        self.assertTrue(written, written.error)
        self.bank.invalidate_recordset()
        self.assertEqual(self.bank.acc_number, OLD)
        request = self.request_of(self.bank)
        self.assertEqual(request.state, "pending")

        payment = self.payment(self.bank)
        for route in ("json2", "call_kw", "xmlrpc"):
            posted = self.rpc(
                route, self.accountant, payment._name, "action_post", payment.ids
            )
            self.assertFalse(posted, route)
            self.assertTrue(posted.error, route)
            self.assertEqual(payment.state, "draft", route)
        with self.assertRaisesRegex(UserError, re.escape(request.name)) as caught:
            payment.with_user(self.accountant).action_post()
        self.assertIn(self.bank.display_name, str(caught.exception))

        # the changer cannot approve their own change
        with self.assertRaises(AccessError):
            request.with_user(self.accountant)._decide("approve")
        self.assertEqual(request.state, "pending")

        request.with_user(self.manager)._decide("approve")
        self.assertEqual(request.state, "approved")
        change = request.sudo().change_ids
        self.assertEqual(change.state, "applied", change.error)
        self.bank.invalidate_recordset()
        self.assertEqual(self.bank.acc_number, NEW)
        posted = self.post(payment)
        self.assertTrue(posted, posted.error)
        self.assertIn(payment.state, ("in_process", "paid"))

    def test_new_account_is_inactive_and_unusable_until_approved(self):
        created = self.rpc(
            "json2",
            self.accountant,
            "res.partner.bank",
            "create",
            vals_list=[{"acc_number": NEW, "partner_id": self.partner_a.id}],
        )
        self.assertTrue(created, created.error)
        bank = (
            self.env["res.partner.bank"]
            .with_context(active_test=False)
            .search([("acc_number", "=", NEW)])
        )
        self.assertFalse(bank.active)
        request = self.request_of(bank)
        self.assertEqual(request.state, "pending")

        payment = self.payment(bank)
        posted = self.post(payment)
        self.assertFalse(posted)
        self.assertIn("UserError", posted.error)
        self.assertEqual(payment.state, "draft")
        with self.assertRaisesRegex(UserError, re.escape(request.name)):
            payment.with_user(self.accountant).action_post()

        with self.assertRaises(AccessError):
            request.with_user(self.accountant)._decide("approve")
        request.with_user(self.manager)._decide("approve")
        self.assertTrue(bank.active)
        posted = self.post(payment)
        self.assertTrue(posted, posted.error)

    def test_register_payment_wizard_is_blocked(self):
        bill = self.init_invoice(
            "in_invoice", partner=self.partner_a, amounts=[300], post=True
        )
        self.bank.with_user(self.accountant).write({"acc_number": NEW})
        request = self.request_of(self.bank)
        self.assertEqual(request.state, "pending")
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"partner_bank_id": self.bank.id})
        )
        with self.assertRaisesRegex(UserError, re.escape(request.name)):
            wizard.action_create_payments()
        self.assertFalse(bill.matched_payment_ids)

    def test_archived_account_is_refused(self):
        self.bank.action_archive()
        payment = self.payment(self.env["res.partner.bank"])
        payment.partner_bank_id = self.bank
        with self.assertRaisesRegex(UserError, "archived"):
            payment.with_user(self.accountant).action_post()

    def test_change_of_a_trusted_account_is_refused(self):
        """Odoo refuses new numbers and holders on an account trusted for
        payments: such a change is refused when it is made, not held."""
        before = self.Request.search_count([])
        holder_name = self.trusted.acc_holder_name
        for vals in (
            {"acc_number": NEW},
            {"partner_id": self.partner_a.id},
            {"acc_number": NEW, "acc_holder_name": "Other holder"},
        ):
            with self.assertRaisesRegex(UserError, "Withdraw the trust first"):
                self.trusted.with_user(self.accountant).write(vals)
        over_rpc = self.rpc(
            "json2",
            self.accountant,
            self.trusted._name,
            "write",
            self.trusted.ids,
            vals={"acc_number": NEW},
        )
        self.assertFalse(over_rpc)
        self.assertIn("UserError", over_rpc.error)
        self.assertFalse(self.request_of(self.trusted))
        self.assertEqual(self.Request.search_count([]), before)
        self.trusted.invalidate_recordset()
        self.assertEqual(
            (
                self.trusted.acc_number,
                self.trusted.partner_id,
                self.trusted.acc_holder_name,
            ),
            (TRUSTED, self.partner_b, holder_name),
        )
        self.assertTrue(self.trusted.allow_out_payment)
        # withdrawing the trust in the same change is for those who may
        with self.assertRaisesRegex(UserError, "only the users who validate"):
            self.trusted.with_user(self.accountant).write(
                {"acc_number": NEW, "allow_out_payment": False}
            )
        self.assertFalse(self.request_of(self.trusted))

    def test_change_withdrawing_the_trust_is_held_then_applied(self):
        validator = company_user(
            self.env,
            self.company_data["company"],
            "pb_validator",
            "account.group_account_invoice,base.group_partner_manager,"
            "account.group_validate_bank_account,gov_base.gov_base_group_user",
        )
        self.trusted.with_user(validator).write(
            {"acc_number": NEW, "allow_out_payment": False}
        )
        self.trusted.invalidate_recordset()
        self.assertEqual(self.trusted.acc_number, TRUSTED)
        self.assertTrue(self.trusted.allow_out_payment)
        request = self.request_of(self.trusted)
        self.assertEqual(request.state, "pending")
        request.with_user(self.manager)._decide("approve")
        change = request.sudo().change_ids
        self.assertEqual(change.state, "applied", change.error)
        self.trusted.invalidate_recordset()
        self.assertEqual(self.trusted.acc_number, NEW)
        self.assertFalse(self.trusted.allow_out_payment)
