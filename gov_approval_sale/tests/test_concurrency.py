# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A sales order changed while its last approval lands, in two real
transactions. The rows these tests commit are removed again at the end."""

import uuid

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tests.common import (
    RaceFixtures,
    committed_matrix,
    latest_request,
    remove_requests,
)
from odoo.addons.gov_approval.tools.engine import technical_bypass
from odoo.addons.gov_base.tests.transactions import committed_users


@tagged("post_install", "-at_install")
class TestSaleConcurrency(RaceFixtures, TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = f"salc{uuid.uuid4().hex[:8]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, DISABLED_MAIL_CONTEXT)
            users = committed_users(
                env,
                self.tag,
                ("sales_team.group_sale_salesman", "gov_base.gov_base_group_approver"),
                3,
            )
            self.salesperson, *self.approvers = users
            product = env["product.product"].create(
                {"name": self.tag, "type": "service", "standard_price": 1}
            )
            matrix = committed_matrix(
                env,
                self.tag,
                "sale.order:confirm",
                f"[('client_order_ref', '=', '{self.tag}')]",
                {
                    "name": "Both",
                    "user_ids": [Command.set(self.approvers)],
                    "min_approvals": 2,
                },
            )
            self.matrix_id = matrix.id
            order = (
                env["sale.order"]
                .with_user(self.salesperson)
                .create(
                    {
                        "partner_id": env.user.partner_id.id,
                        "client_order_ref": self.tag,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": 50,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
            self.order_id = order.id
            self.request_id = self._request(env).id
            self.product_id = product.id
        self.addCleanup(self._cleanup)
        self._approve_as(self.approvers[1])

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            remove_requests(env, self.matrix_id)
            order = env["sale.order"].browse(self.order_id)
            with technical_bypass(env, "test cleanup"):
                order._action_cancel()
            order.unlink()
            env["gov.approval.matrix"].browse(self.matrix_id).unlink()
            env["product.product"].browse(self.product_id).active = False
            env["res.users"].browse([self.salesperson, *self.approvers]).active = False

    def _request(self, env):
        return latest_request(env, env["sale.order"].browse(self.order_id))

    def _approve_as(self, user_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
            self._request(env)._decide("approve")

    def _approve_last(self, env):
        """The last approver decides the request read before."""
        env["gov.approval.request"].browse(self.request_id)._decide("approve")

    def _change_discount(self, env):
        order = env["sale.order"].browse(self.order_id)
        order.order_line.write({"discount": 40})

    def test_a_discount_raised_while_the_last_approval_lands(self):
        """The approval of the old discount never confirms the new one."""
        outcome = self._interleaved(
            (self.approvers[0], self._approve_last),
            (self.salesperson, self._change_discount),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("no longer waiting", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual((order.state, order.gov_max_discount), ("draft", 40))
            self.assertEqual(self._request(env).state, "superseded")

    def test_an_approval_that_lands_first_locks_the_order(self):
        """The last approval commits first: the discount that follows is
        refused, the order stays confirmed as approved."""
        outcome = self._interleaved(
            (self.salesperson, self._change_discount),
            (self.approvers[0], self._approve_last),
        )
        self.assertIsNone(outcome["second"])
        self.assertIn("approv", str(outcome["first"]))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual((order.state, order.gov_max_discount), ("sale", 0))
            request = self._request(env)
            self.assertTrue(request.action_done)
            self.assertTrue(request._seal_holds())
