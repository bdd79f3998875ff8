# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A count in the browser: the storekeeper applies it in the physical
inventory and sees it wait for approval, the inventory manager approves
the adjustment from My Approvals, and the count is on hand."""

from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import tour_user
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

from .common import inventory_matrix

MY_APPROVALS = "/odoo/governance-my-approvals"
PHYSICAL_INVENTORY = "/odoo/physical-inventory"

STOREKEEPER = "stock.group_stock_user,gov_base.gov_base_group_user"
MANAGER = "stock.group_stock_manager,gov_base.gov_base_group_approver"


@tagged("post_install", "-at_install")
class TestStockTour(TourScreensMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.storekeeper = tour_user(
            cls.env, "stock_tour_keeper", STOREKEEPER, name="Tour Storekeeper"
        )
        cls.manager = tour_user(
            cls.env, "stock_tour_manager", MANAGER, name="Tour Inventory Manager"
        )
        stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.env.company.id)], limit=1)
            .lot_stock_id
        )
        Quant = cls.env["stock.quant"]
        cls.quants = Quant
        for name in ("Tour Pallet", "Tour Crate"):
            product = cls.env["product.product"].create(
                {"name": name, "is_storable": True, "standard_price": 100.0}
            )
            Quant._update_available_quantity(product, stock, 10)
            cls.quants |= Quant.search([("product_id", "=", product.id)])
        cls.quant = cls.quants[0]
        # an inventory manager asked the storekeeper to count both
        cls.quants.write({"user_id": cls.storekeeper.id})
        inventory_matrix(
            cls.env, "Tour inventory matrix", "Inventory manager", cls.manager
        )

    def assert_screens(self, *names):
        for name in names:
            self.assertIn(name, self.screens_taken)
            self.assertTrue((screens_dir() / f"{name}.png").exists(), name)

    def test_count_waits_is_approved_and_applied(self):
        quant = self.quant
        self.start_tour(
            PHYSICAL_INVENTORY,
            "gov_approval_stock_count_tour",
            login=self.storekeeper.login,
        )
        quant.invalidate_recordset()
        self.assertEqual((quant.quantity, quant.inventory_quantity), (10, 25))
        adjustment = quant.gov_adjustment_id
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(adjustment.user_id, self.storekeeper)
        self.assertEqual(adjustment.amount_total, 1500)
        request = adjustment.gov_approval_request_id
        self.assertEqual(request.state, "pending")
        self.assertEqual(quant.gov_approval_waiting, "waiting")
        self.assertFalse(self.quants[1].gov_approval_waiting)
        self.assert_screens(
            "stock_count_waiting_approval", "stock_filter_waiting_approval"
        )

        self.start_tour(
            MY_APPROVALS, "gov_approval_stock_approve_tour", login=self.manager.login
        )
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decision_ids.user_id, self.manager)
        self.assertEqual(adjustment.state, "done")
        quant.invalidate_recordset()
        self.assertEqual(quant.quantity, 25)
        self.assertFalse(quant.gov_approval_waiting)
        self.assert_screens("stock_adjustment_request", "stock_adjustment_approved")

        self.start_tour(
            PHYSICAL_INVENTORY,
            "gov_approval_stock_applied_tour",
            login=self.storekeeper.login,
        )
        self.assert_screens("stock_count_applied")
