# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import TransactionCase

from odoo.addons.gov_approval.tests.common import MatrixFixtures

TESTER_GROUP = "gov_approval_test.gov_approval_test_group_user"
REQUESTER = f"{TESTER_GROUP},gov_base.gov_base_group_user"
APPROVER = f"{TESTER_GROUP},gov_base.gov_base_group_approver"


class TesterCase(MatrixFixtures, TransactionCase):
    """A matrix of tester documents, its people, and helpers.

    Bands: under 1,000 nothing; 1,000 to 10,000 one manager; from 10,000 a
    manager, then the director (reason required).
    """

    gov_action = "gov.approval.tester:confirm"
    gov_matrix_name = "Test tester matrix"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_people("tst", REQUESTER, APPROVER)
        cls.partner = cls.env["res.partner"].create({"name": "Tester Partner"})
        cls.partner_2 = cls.env["res.partner"].create({"name": "Other Partner"})
        cls.matrix = cls.three_band_matrix()

    def make_doc(self, amount, user=None, currency=None, partner=None, **vals):
        """A draft tester document of ``amount``, in one line."""
        vals = {
            "name": vals.pop("name", f"Tester {amount}"),
            "partner_id": (partner or self.partner).id,
            "line_ids": [
                Command.create({"name": "Widget", "quantity": 1, "price_unit": amount})
            ],
            **vals,
        }
        if currency:
            vals["currency_id"] = currency.id
        Tester = self.env["gov.approval.tester"]
        return Tester.with_user(user or self.requester).create(vals).with_env(self.env)

    def confirm(self, doc, user=None):
        return doc.with_user(user or self.requester).action_confirm()
