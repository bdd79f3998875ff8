# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decision tokens are readable by nobody in Odoo (defect 4 of the controls)."""

import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_approval_purchase.tests.common import ApprovalCase
from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin
from odoo.addons.gov_webhook.tests.common import WebhookFixtures


@tagged("post_install", "-at_install")
class TestTokenSecrecy(WebhookFixtures, ApprovalCase, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.decisions, cls.subscription = cls.make_n8n_round_trip(
            "approvals", "approval_decision", "approval.*"
        )
        cls.subscription.action_allow_approval_tokens()
        cls.integration_manager = new_test_user(
            cls.env,
            login="tok_integration",
            groups="gov_base.gov_base_group_integration_manager",
        )
        cls.auditor = new_test_user(
            cls.env, login="tok_auditor", groups="gov_base.gov_base_group_auditor"
        )

    def pending_delivery(self):
        order = self.make_po(5000)
        self.confirm(order)
        delivery = self.env["gov.webhook.delivery"].search(
            [
                ("subscription_id", "=", self.subscription.id),
                ("event_type", "=", "approval.step_pending"),
            ]
        )
        self.assertEqual(len(delivery), 1)
        return order, delivery

    def test_no_role_reads_a_token_over_any_route(self):
        order, delivery = self.pending_delivery()
        sent = json.loads(delivery._body_to_send([]))
        token = sent["data"]["approvers"][0]["token"]
        self.assertTrue(token)
        for user in (self.integration_manager, self.auditor):
            for route in ROUTES:
                result = self.rpc(
                    route,
                    user,
                    delivery._name,
                    "search_read",
                    domain=[("id", "=", delivery.id)],
                    fields=["payload", "last_response", "last_error"],
                )
                self.assertNotIn(token, json.dumps(result.value), route)
                if result:
                    stored = json.loads(result.value[0]["payload"])
                    marker = stored["data"]["approvers"][0]["token"]
                    self.assertEqual(marker["$secret"], "approval_token")
        self.assertNotIn(token, delivery.sudo().payload)
        self.assertEqual(order.state, "draft")

    def test_a_token_is_made_only_for_subscriptions_an_administrator_allowed(self):
        _order, delivery = self.pending_delivery()
        # the integration manager points the subscription elsewhere
        result = self.rpc(
            "call_kw",
            self.integration_manager,
            self.subscription._name,
            "write",
            self.subscription.ids,
            vals={"target_url": "http://127.0.0.1:9/elsewhere"},
        )
        self.assertTrue(result, result.error)
        self.assertFalse(self.subscription.approval_tokens)
        sent = json.loads(delivery._body_to_send([]))
        self.assertEqual(sent["data"]["approvers"][0]["token"], "")
        # and cannot allow tokens again, by any route
        for method, kwargs in (
            ("write", {"vals": {"approval_tokens": True}}),
            ("action_allow_approval_tokens", {}),
        ):
            self.assert_all_refused(
                self.rpc_all(
                    self.integration_manager,
                    self.subscription._name,
                    method,
                    self.subscription.ids,
                    **kwargs,
                )
            )
        self.assertFalse(self.subscription.approval_tokens)
        with self.assertRaises(AccessError):
            self.env["gov.webhook.subscription"].with_user(
                self.integration_manager
            ).create(
                {
                    "name": "sneaky",
                    "target_url": "http://127.0.0.1:9/sneaky",
                    "event_types": "approval.*",
                    "approval_tokens": True,
                }
            ).action_allow_approval_tokens()

    def test_a_decided_step_gets_no_token_on_a_later_attempt(self):
        order, delivery = self.pending_delivery()
        self.request_of(order).with_user(self.manager)._decide("approve")
        sent = json.loads(delivery._body_to_send([]))
        self.assertEqual(sent["data"]["approvers"][0]["token"], "")

    def assert_all_refused(self, results):
        for route, result in results.items():
            self.assertFalse(result, route)
