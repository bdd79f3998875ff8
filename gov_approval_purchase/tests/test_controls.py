# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The controls a hostile insider tries first, through Odoo's public routes.

Each test replays a way to get an order through without a legitimate
approval, or to decide in another's name, over ``/web/dataset/call_kw``,
``/json/2``, ``/jsonrpc`` and ``/xmlrpc/2/object``, and checks the database
afterwards.
"""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_approval.tests.common import company_user
from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import APPROVER, ApprovalCase


class ControlsCase(ApprovalCase, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env,
            login="ctl_auditor",
            groups="purchase.group_purchase_user,gov_base.gov_base_group_auditor",
        )
        cls.approver = new_test_user(cls.env, login="ctl_approver", groups=APPROVER)
        cls.admin = cls.env.ref("base.user_admin")

    def pending_order(self, amount=2598):
        order = self.make_po(amount)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.state, "pending")
        return order, request

    def assert_refused(self, results):
        for route, result in results.items():
            self.assertFalse(result, f"{route} accepted it: {result.value!r}")

    def delegation_vals(self, user, delegate, **extra):
        return {
            "user_id": user.id,
            "delegate_id": delegate.id,
            "date_from": fields.Datetime.to_string(
                fields.Datetime.now() - timedelta(hours=1)
            ),
            "date_to": fields.Datetime.to_string(
                fields.Datetime.now() + timedelta(days=3)
            ),
            **extra,
        }


@tagged("post_install", "-at_install")
class TestForgedDelegation(ControlsCase):
    """Defect 1: a delegation is given by the approver only, never rewritten."""

    def test_own_delegation_cannot_be_turned_into_someone_elses(self):
        Delegation = self.env["gov.approval.delegation"]
        own = Delegation.with_user(self.approver).create(
            self.delegation_vals(self.approver, self.manager_2)
        )
        results = self.rpc_all(
            self.approver,
            own._name,
            "write",
            own.ids,
            vals={"user_id": self.manager.id, "delegate_id": self.approver.id},
        )
        self.assert_refused(results)
        self.assertEqual(own.user_id, self.approver)
        # and the forged route to the manager's request stays closed
        order, request = self.pending_order()
        with self.assertRaises(AccessError):
            request.with_user(self.approver)._decide("approve")
        self.assertEqual(order.state, "draft")

    def test_nobody_gives_another_users_approvals(self):
        for user in (self.auditor, self.approver):
            results = self.rpc_all(
                user,
                "gov.approval.delegation",
                "create",
                vals_list=[self.delegation_vals(self.manager, user)],
            )
            self.assert_refused(results)
        self.assertFalse(
            self.env["gov.approval.delegation"].search(
                [("user_id", "=", self.manager.id)]
            )
        )

    def test_a_delegate_must_be_allowed_to_decide(self):
        Delegation = self.env["gov.approval.delegation"].with_user(self.manager)
        for delegate in (self.auditor,):
            with self.assertRaises(ValidationError):
                Delegation.create(self.delegation_vals(self.manager, delegate))
        _order, request = self.pending_order()
        # the requester of a request is no delegate for it
        with self.assertRaises(ValidationError):
            Delegation.create(
                self.delegation_vals(
                    self.manager, self.requester, request_id=request.id
                )
            )

    def test_a_delegate_who_became_an_auditor_decides_nothing(self):
        order, request = self.pending_order()
        delegate = new_test_user(
            self.env, login="ctl_delegate", groups="purchase.group_purchase_user"
        )
        self.env["gov.approval.delegation"].with_user(self.manager).create(
            self.delegation_vals(self.manager, delegate)
        )
        delegate.group_ids = [
            Command.link(self.env.ref("gov_base.gov_base_group_auditor").id)
        ]
        with self.assertRaisesRegex(AccessError, "Auditors"):
            request.with_user(delegate)._decide("approve")
        self.assertEqual((request.state, order.state), ("pending", "draft"))

    def test_matrix_manager_gives_a_delegation_audited_never_to_themselves(self):
        Delegation = self.env["gov.approval.delegation"].with_user(self.matrix_manager)
        given = Delegation.create(self.delegation_vals(self.manager, self.approver))
        event = self.env["gov.audit.event"].search(
            [("res_model", "=", given._name), ("res_id", "=", given.id)], limit=1
        )
        self.assertIn('"given_by":"apr_matrix_manager"', event.details)
        with self.assertRaises(AccessError):
            Delegation.create(self.delegation_vals(self.manager, self.matrix_manager))

    def test_legitimate_delegate_decides_on_behalf_of_through_the_wizard(self):
        order, request = self.pending_order()
        self.env["gov.approval.delegation"].with_user(self.manager).create(
            self.delegation_vals(self.manager, self.approver)
        )
        self.authenticate(self.approver.login, self.approver.login)
        wizard = self.rpc(
            "call_kw",
            self.approver,
            "gov.approval.decision.wizard",
            "create",
            vals_list=[
                {"decision": "approve", "request_ids": [Command.set(request.ids)]}
            ],
        )
        self.assertTrue(wizard, wizard.error)
        done = self.rpc(
            "call_kw",
            self.approver,
            "gov.approval.decision.wizard",
            "action_confirm",
            wizard.value,
        )
        self.assertTrue(done, done.error)
        decision = request.decision_ids
        self.assertEqual(
            (decision.user_id, decision.on_behalf_of_id),
            (self.approver, self.manager),
        )
        self.assertEqual(order.state, "purchase")


@tagged("post_install", "-at_install")
class TestGateFromEveryState(ControlsCase):
    """Defect 2: the confirmed state is guarded from any prior state."""

    def test_cancel_then_write_or_approve_confirms_nothing(self):
        for route in ROUTES:
            order = self.make_po(2598)
            # (button_cancel returns nothing, which XML-RPC cannot carry)
            cancelled = self.rpc(
                "call_kw", self.requester, order._name, "button_cancel", order.ids
            )
            self.assertTrue(cancelled, cancelled.error)
            self.assertEqual(order.state, "cancel")
            forged = self.rpc(
                route,
                self.requester,
                order._name,
                "write",
                order.ids,
                vals={"state": "purchase"},
            )
            self.assertFalse(forged, route)
            approved = self.rpc(
                route, self.requester, order._name, "button_approve", order.ids
            )
            self.assertFalse(approved, route)
            self.assertEqual(order.state, "cancel", route)

    def test_draft_round_trip_and_sudo_confirm_nothing(self):
        order = self.make_po(2598)
        order.with_user(self.requester).button_cancel()
        order.with_user(self.requester).button_draft()
        for label, target in (
            ("requester", order.with_user(self.requester)),
            ("sudo", order.sudo()),
        ):
            with self.subTest(label), self.assertRaises(UserError):
                target.write({"state": "purchase"})
            with self.subTest(label), self.assertRaises(UserError):
                target.button_approve()
        self.assertEqual(order.state, "draft")


@tagged("post_install", "-at_install")
class TestChangesAfterApproval(ControlsCase):
    """Defect 3: the approval covers the lines; approved values are locked."""

    def setUp(self):
        super().setUp()
        self.other_product = self.env["product.product"].create(
            {
                "name": "Other Widget",
                "type": "consu",
                "supplier_taxes_id": [Command.clear()],
            }
        )

    def approved_order(self, amount=2598, auto_resume=False):
        self.matrix.auto_resume = auto_resume
        order, request = self.pending_order(amount)
        request.with_user(self.manager)._decide("approve")
        self.assertEqual(request.state, "approved")
        return order, request

    def test_product_swap_at_the_same_price_needs_a_new_approval(self):
        order, request = self.approved_order()
        line = order.order_line
        result = self.rpc(
            "json2",
            self.requester,
            line._name,
            "write",
            line.ids,
            vals={"product_id": self.other_product.id},
        )
        self.assertTrue(result, result.error)
        self.assertEqual(order.amount_total, 2598)
        self.assertEqual(request.state, "superseded")
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.request_of(order).state, "pending")

    def test_same_total_with_other_quantity_and_price_needs_a_new_approval(self):
        order, request = self.approved_order()
        order.order_line.with_user(self.requester).write(
            {"product_qty": 2, "price_unit": 1299}
        )
        self.assertEqual(order.amount_total, 2598)
        self.assertEqual(request.state, "superseded")
        self.confirm(order)
        self.assertEqual(order.state, "draft")

    def test_confirmed_order_keeps_its_approved_lines(self):
        order, _request = self.approved_order(auto_resume=True)
        self.assertEqual(order.state, "purchase")
        line = order.order_line
        self.assert_line_writes_refused(
            self.requester,
            line,
            {"product_qty": 100},
            order,
            "order_line",
            {"price_unit": 99999},
        )
        self.assertEqual((line.product_qty, order.amount_total), (1, 2598))

    def test_an_order_confirmed_without_approval_cannot_grow_past_a_band(self):
        order = self.make_po(500)
        self.confirm(order)
        self.assertEqual(order.state, "purchase")
        line = order.order_line
        with self.assertRaises(UserError):
            line.with_user(self.requester).price_unit = 100000
        with self.assertRaises(UserError):
            order.with_user(self.requester).write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": 99000,
                            }
                        )
                    ]
                }
            )
        # a change the matrix lets through without approval passes
        line.with_user(self.requester).price_unit = 600
        self.assertEqual(order.amount_total, 600)


@tagged("post_install", "-at_install")
class TestEngineOnlyWrites(ControlsCase):
    """Defect 5: code an administrator runs cannot forge an approval."""

    def run_code(self, code, **names):
        """Run ``code`` as a code server action of the administrator over every
        route; ``names`` are records bound to variables of the code. The action
        runs on a contact the administrator may change, so that only what the
        code does can be refused."""
        action, context = self.code_action(code, self.partner, **names)
        return {
            route: self.rpc(
                route, self.admin, action._name, "run", action.ids, context=context
            )
            for route in ROUTES
        }

    def test_server_action_code_runs_over_every_route(self):
        results = self.run_code("records.write({'comment': 'reached'})")
        self.assertTrue(all(results.values()), results)
        self.assertEqual(str(self.partner.comment), "<p>reached</p>")

    def test_server_action_code_cannot_approve(self):
        order, request = self.pending_order()
        for code in (
            "request.sudo().write({'state': 'approved'})",
            "request.sudo()._close('approved')",
            "request.sudo().step_ids.write({'state': 'approved'})",
            (
                "request.sudo()._apply_approvals([(request, request.step_ids,"
                " request.step_ids.approver_ids)], '', 'ui')"
            ),
            "request.with_user(request.step_ids.approver_ids)._decide('approve')",
            (
                "request.with_user(request.step_ids.approver_ids).sudo()"
                "._decide_all('approve', channel='ui')"
            ),
            (
                "env['gov.approval.decision.wizard'].with_user(request.step_ids"
                ".approver_ids).create({'decision': 'approve', 'request_ids':"
                " [(6, 0, request.ids)]}).action_confirm()"
            ),
            (
                "env['gov.approval.decision'].sudo().create({'request_id': request.id,"
                " 'step_id': request.step_ids.id, 'user_id': request.step_ids."
                "approver_ids.id, 'approver_id': request.step_ids.approver_ids.id,"
                " 'decision': 'approve'})"
            ),
            "request.sudo().unlink()",
        ):
            with self.subTest(code):
                results = self.run_code(code, request=request)
                self.assert_refused(results)
                self.assertIn("AccessError", results["call_kw"].error)
        self.assertEqual((request.state, order.state), ("pending", "draft"))
        self.assertFalse(request.decision_ids)

    def test_server_action_code_cannot_open_the_bypass(self):
        order, request = self.pending_order()
        code = (
            "env.cr.cache['gov_approval_bypass'] = 1\n"
            "env.cr.cache['gov_approval_resuming'] = "
            "{('purchase.order', order.id, 'confirm'): request.id}\n"
            "order.sudo().button_confirm()"
        )
        results = self.run_code(code, order=order, request=request)
        self.assertTrue(all(results.values()), results)
        self.assertEqual((order.state, request.state), ("draft", "pending"))

    def test_an_approval_written_in_sql_is_not_used(self):
        order, request = self.pending_order()
        results = self.run_code(
            "env.cr.execute(\"UPDATE gov_approval_request SET state = 'approved'"
            ' WHERE id = %s", [request.id])',
            request=request,
        )
        self.assertTrue(all(results.values()), results)
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.state, "superseded")
        self.assertTrue(
            self.env["gov.audit.event"].search(
                [
                    ("event_type", "=", "approval.seal_invalid"),
                    ("res_id", "=", request.id),
                ]
            )
        )
        self.assertEqual(self.request_of(order).state, "pending")

    def test_legitimate_flows_still_seal_and_resume(self):
        order, request = self.pending_order()
        request.with_user(self.manager)._decide("approve")
        self.assertEqual(order.state, "purchase")
        self.assertTrue(request._seal_holds())
        self.assertTrue(request.action_done)


@tagged("post_install", "-at_install")
class TestDataExposure(ControlsCase):
    """Defect 6: decisions and steps follow their request; companies; auditors."""

    def test_plain_users_read_no_one_elses_steps_or_decisions(self):
        _order, request = self.pending_order()
        request.with_user(self.manager)._decide("approve")
        plain = new_test_user(self.env, login="ctl_plain", groups="base.group_user")
        for model in ("gov.approval.decision", "gov.approval.request.step"):
            for route in ROUTES:
                result = self.rpc(
                    route,
                    plain,
                    model,
                    "search_read",
                    domain=[],
                    fields=["id"],
                )
                self.assertTrue(result, result.error)
                self.assertEqual(result.value, [], f"{model} over {route}")
        # those involved still read them
        result = self.rpc(
            "json2",
            self.requester,
            "gov.approval.decision",
            "search_read",
            domain=[("request_id", "=", request.id)],
            fields=["decision"],
        )
        self.assertTrue(result, result.error)
        self.assertEqual([row["decision"] for row in result.value], ["approve"])

    def test_other_company_reads_no_bands_or_steps(self):
        other = self.env["res.company"].create({"name": "Other Company"})
        outsider = company_user(
            self.env, other, "ctl_outsider", "gov_base.gov_base_group_matrix_manager"
        )
        for model in (
            "gov.approval.matrix",
            "gov.approval.matrix.line",
            "gov.approval.step",
        ):
            result = self.rpc(
                "json2", outsider, model, "search_read", domain=[], fields=["id"]
            )
            self.assertTrue(result, result.error)
            self.assertEqual(result.value, [], model)

    def test_auditors_change_no_delegation(self):
        delegation = (
            self.env["gov.approval.delegation"]
            .with_user(self.manager)
            .create(self.delegation_vals(self.manager, self.approver))
        )
        for method, kwargs in (
            ("write", {"vals": {"note": "audited"}}),
            ("unlink", {}),
        ):
            self.assert_refused(
                self.rpc_all(
                    self.auditor, delegation._name, method, delegation.ids, **kwargs
                )
            )
        self.assertTrue(delegation.exists())
        self.assertFalse(delegation.note)


@tagged("post_install", "-at_install")
class TestCancelledDocuments(ControlsCase):
    """Defect 7: a cancelled or reset document's request is superseded."""

    def test_cancel_supersedes_the_pending_request(self):
        order, request = self.pending_order()
        result = self.rpc(
            "call_kw", self.requester, order._name, "button_cancel", order.ids
        )
        self.assertTrue(result, result.error)
        self.assertEqual(request.state, "superseded")
        with self.assertRaises(UserError):
            request.with_user(self.manager)._decide("approve")
        self.assertEqual(order.state, "cancel")


@tagged("post_install", "-at_install")
class TestSelfRouting(ControlsCase):
    """Defect 11: whoever re-routes a request cannot decide it."""

    def test_rerouter_cannot_approve(self):
        order, request = self.pending_order()
        self.matrix_manager.group_ids = [
            Command.link(self.env.ref("gov_base.gov_base_group_approver").id)
        ]
        self.matrix.line_ids[1].step_ids.user_ids = [
            Command.set(self.matrix_manager.ids)
        ]
        result = self.rpc(
            "call_kw",
            self.matrix_manager,
            request._name,
            "action_reroute",
            request.ids,
        )
        self.assertTrue(result, result.error)
        self.assertIn(self.matrix_manager, request.current_step_id.approver_ids)
        with self.assertRaisesRegex(AccessError, "re-routed"):
            request.with_user(self.matrix_manager)._decide("approve")
        self.assertEqual((request.state, order.state), ("pending", "draft"))
