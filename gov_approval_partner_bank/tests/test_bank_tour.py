# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approver's view of a changed vendor account number in the browser:
the held change shown as old and new number, approved from the request."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import tour_user
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

OLD = "BE71 0961 2345 6769"
NEW = "FR76 3000 6000 0112 3456 7890 189"
MY_APPROVALS = "/odoo/governance-my-approvals"

CLERK = (
    "account.group_account_invoice,base.group_partner_manager,"
    "gov_base.gov_base_group_user"
)
MANAGER = (
    "account.group_account_manager,base.group_partner_manager,"
    "gov_base.gov_base_group_approver"
)


@tagged("post_install", "-at_install")
class TestBankTour(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.accountant = tour_user(
            cls.env, "bank_tour_clerk", CLERK, name="Bank Tour Clerk"
        )
        cls.manager = tour_user(
            cls.env, "bank_tour_manager", MANAGER, name="Bank Tour Manager"
        )
        vendor = cls.env["res.partner"].create({"name": "Bank Tour Vendor"})
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": OLD, "partner_id": vendor.id}
        )
        # the shipped preset, made active for the users' company
        cls.env.ref(
            "gov_approval_partner_bank.gov_approval_matrix_bank_fields"
        ).sudo().write({"company_id": cls.accountant.company_id.id, "active": True})

    def test_approver_sees_old_and_new_number_and_approves(self):
        self.bank.with_user(self.accountant).write({"acc_number": NEW})
        self.bank.invalidate_recordset()
        self.assertEqual(self.bank.acc_number, OLD, "the change must be held")
        request = self.env["gov.approval.request"].search(
            [("res_model", "=", self.bank._name), ("res_id", "=", self.bank.id)]
        )
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requester_id, self.accountant)

        # the requester cannot approve their own change
        self.assertFalse(request.with_user(self.accountant).can_decide)
        with self.assertRaises(AccessError):
            request.with_user(self.accountant)._decide("approve")
        self.assertEqual(request.state, "pending")

        self.start_tour(
            MY_APPROVALS, "gov_approval_partner_bank_tour", login="bank_tour_manager"
        )

        self.assertEqual(request.state, "approved")
        decision = request.decision_ids
        self.assertEqual(decision.user_id, self.manager)
        self.assertEqual(decision.decision, "approve")
        self.assertEqual(decision.reason, "Confirmed by phone with the vendor")
        change = request.sudo().change_ids
        self.assertEqual(change.state, "applied", change.error)
        self.bank.invalidate_recordset()
        self.assertEqual(self.bank.acc_number, NEW)
        for name in ("bank_change_diff", "bank_change_approved"):
            self.assertIn(name, self.screens_taken)
            self.assertTrue((screens_dir() / f"{name}.png").exists(), name)
