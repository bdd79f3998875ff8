# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ways to a confirmed sales order without a legitimate approval, tried
through Odoo's public routes (``/web/dataset/call_kw``, ``/json/2`` with an
API key, ``/jsonrpc``, ``/xmlrpc/2/object``) and the customer portal; the
database is checked afterwards."""

import base64

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import SaleApprovalCase

# a 1x1 PNG, the customer's signature
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6b5d7"
        "0000000049454e44ae426082"
    )
).decode()


@tagged("post_install", "-at_install")
class TestSaleControls(SaleApprovalCase, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def pending_order(self, amount=20000, **vals):
        order = self.make_so(amount, **vals)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.state, "pending")
        return order, request

    def test_confirm_over_every_route_asks_and_confirms_nothing(self):
        order = self.make_so(20000)
        for route in ROUTES:
            result = self.rpc(
                route, self.salesperson, order._name, "action_confirm", order.ids
            )
            self.assertTrue(result, f"{route}: {result.error}")
            self.assertEqual(order.state, "draft", route)
        # one request, kept pending through the repeated clicks
        requests = self.Request.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(requests.mapped("state"), ["pending"])

    def test_state_written_over_every_route_is_refused(self):
        order, request = self.pending_order()
        order.with_user(self.salesperson).action_quotation_sent()
        for route in ROUTES:
            forged = self.rpc(
                route,
                self.salesperson,
                order._name,
                "write",
                order.ids,
                vals={"state": "sale"},
            )
            self.assertFalse(forged, route)
            self.assertEqual(order.state, "sent", route)
        self.assertEqual(request.state, "pending")

    def test_cancelled_order_is_not_confirmed_by_any_route(self):
        order = self.make_so(20000)
        cancelled = self.rpc(
            "json2", self.salesperson, order._name, "action_cancel", order.ids
        )
        self.assertTrue(cancelled, cancelled.error)
        for route in ROUTES:
            for method, kwargs in (
                ("write", {"vals": {"state": "sale"}}),
                ("action_confirm", {}),
            ):
                self.rpc(
                    route, self.salesperson, order._name, method, order.ids, **kwargs
                )
                self.assertEqual(order.state, "cancel", f"{route} {method}")

    def run_code(self, code, **names):
        """``code`` as a code server action of the administrator, over
        ``/json/2``; ``names`` are records bound to variables of the code."""
        action, context = self.code_action(code, self.customer, **names)
        return self.rpc(
            "json2", self.admin, action._name, "run", action.ids, context=context
        )

    def test_sudo_code_of_an_administrator_confirms_nothing(self):
        order, request = self.pending_order()
        for code in (
            "order.sudo().write({'state': 'sale'})",
            "order.sudo()._action_confirm()",
            "order.sudo().with_context(send_email=True)._validate_order()",
            "order.sudo().action_confirm()",
            "request.sudo().write({'state': 'approved'})",
        ):
            with self.subTest(code):
                self.run_code(code, order=order, request=request)
                self.assertEqual(order.state, "draft")
        self.assertEqual(request.state, "pending")

    def test_approved_lines_stay_as_approved_over_every_route(self):
        order, request = self.pending_order()
        request.with_user(self.manager)._decide("approve")
        request.with_user(self.director)._decide("approve", "ok")
        self.assertEqual(order.state, "sale")
        line = order.order_line
        self.assert_line_writes_refused(
            self.salesperson,
            line,
            {"discount": 50},
            order,
            "order_line",
            {"price_unit": 99999},
        )
        self.assertEqual((line.discount, order.amount_total), (0, 20000))

    def test_a_pending_order_changed_then_approved_is_not_confirmed(self):
        order, request = self.pending_order()
        changed = self.rpc(
            "json2",
            self.salesperson,
            "sale.order.line",
            "write",
            order.order_line.ids,
            vals={"product_id": self.other_product.id, "price_unit": 20000},
        )
        self.assertTrue(changed, changed.error)
        self.assertEqual(request.state, "superseded")
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.request_of(order).state, "pending")

    def test_the_customer_signature_on_the_portal_waits_for_approval(self):
        order = self.make_so(20000, require_signature=True)
        order.with_user(self.salesperson).action_quotation_sent()
        order._portal_ensure_token()
        self.authenticate(None, None)
        response = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order.access_token,
                "name": "Customer Signer",
                "signature": SIGNATURE,
            },
        )
        self.assertNotIn("error", response)
        self.assertEqual(order.signed_by, "Customer Signer")
        self.assertEqual(order.state, "sent")
        request = self.request_of(order)
        self.assertEqual(request.state, "pending")
        # asked in the salesperson's name, who is told and confirms in the end
        self.assertEqual(request.requester_id, self.salesperson)
        request.with_user(self.manager)._decide("approve")
        request.with_user(self.director)._decide("approve", "signed by the customer")
        self.assertEqual(order.state, "sale")

    def test_an_online_payment_does_not_confirm_before_approval(self):
        order = self.make_so(20000, require_payment=True, user_id=False)
        order.with_user(self.salesperson).action_quotation_sent()
        provider = self.env["payment.provider"].create(
            {"name": "Governed test provider", "code": "none", "state": "test"}
        )
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.customer.id,
                    "reference": "GOV-SALE-TX",
                    "operation": "online_redirect",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        transaction.state = "done"
        # what Odoo runs once the provider says the payment is done
        public = self.env.ref("base.public_user")
        confirmed = (
            transaction.with_user(public).sudo()._check_amount_and_confirm_order()
        )
        self.assertFalse(confirmed)
        self.assertEqual(order.state, "sent")
        request = self.request_of(order)
        self.assertEqual(request.state, "pending")
        # no salesperson on the order: asked by OdooBot
        self.assertEqual(request.requester_id, self.env.ref("base.user_root"))
        request.with_user(self.manager)._decide("approve")
        request.with_user(self.director)._decide("approve", "paid online")
        self.assertEqual(order.state, "sale")

    def test_a_portal_user_cannot_ask_for_someone_elses_order(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "sal_portal",
                "password": "sal_portal",
                "group_ids": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        order = self.make_so(20000)
        result = self.rpc("json2", portal, order._name, "action_confirm", order.ids)
        self.assertFalse(result)
        self.assertFalse(self.request_of(order))
        self.assertEqual(order.state, "draft")
