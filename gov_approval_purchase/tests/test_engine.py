# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestBands(ApprovalCase):
    def test_below_every_band_with_steps_confirms_at_once(self):
        order = self.make_po(999.99)
        self.confirm(order)
        self.assertEqual(order.state, "purchase")
        self.assertFalse(self.request_of(order))

    def test_minimum_is_inclusive_and_maximum_exclusive(self):
        cases = [(1000, "Manager"), (9999.99, "Manager"), (10000, "Manager → Director")]
        for amount, route in cases:
            with self.subTest(amount=amount):
                order = self.make_po(amount)
                self.confirm(order)
                self.assertEqual(order.state, "draft")
                request = self.request_of(order)
                self.assertEqual(request.state, "pending")
                self.assertEqual(request.line_id.route_display, route)
                self.assertEqual(order.gov_approval_state, "pending")

    def test_foreign_currency_is_converted_at_the_order_date(self):
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        other.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": other.id,
                "rate": 0.5,
                "name": "2020-01-01",
                "company_id": self.company.id,
            }
        )
        # 600 in a currency worth two company units: 1,200 -> the manager band
        order = self.make_po(600, currency=other)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.currency_id, other)
        self.assertAlmostEqual(request.amount_company, 1200.0)
        self.assertEqual(request.line_id.min_amount, 1000)
        # 400 of it is 800 in company currency: no approval
        small = self.make_po(400, currency=other)
        self.confirm(small)
        self.assertEqual(small.state, "purchase")

    def test_no_band_blocks_when_the_matrix_says_so(self):
        self.matrix.active = False
        self.make_matrix(
            [(1000, 0, [self.step("Manager", self.manager)])],
            name="Strict",
            no_match_policy="block",
        )
        order = self.make_po(500)
        with self.assertRaisesRegex(UserError, "matches no approval band"):
            self.confirm(order)

    def test_conditional_band_wins_over_the_general_band(self):
        line = self.matrix.line_ids.filtered(lambda line: line.min_amount == 1000)
        self.env["gov.approval.matrix.line"].create(
            {
                "matrix_id": self.matrix.id,
                "min_amount": 1000,
                "max_amount": 10000,
                "domain": f"[('partner_id', '=', {self.partner_2.id})]",
                "step_ids": [Command.create(self.step("Board", self.board[0]))],
            }
        )
        order = self.make_po(2000, partner=self.partner_2)
        self.confirm(order)
        self.assertEqual(self.request_of(order).step_ids.approver_ids, self.board[0])
        usual = self.make_po(2000)
        self.confirm(usual)
        self.assertEqual(self.request_of(usual).line_id, line)

    def test_matrix_filter_limits_what_is_governed(self):
        self.matrix.domain = f"[('partner_id', '=', {self.partner_2.id})]"
        order = self.make_po(5000)
        self.confirm(order)
        self.assertEqual(order.state, "purchase")


@tagged("post_install", "-at_install")
class TestFlow(ApprovalCase):
    def test_sequential_steps_then_automatic_confirmation(self):
        order = self.make_po(20000)
        action = self.confirm(order)
        self.assertEqual(action["tag"], "display_notification")
        request = self.request_of(order)
        manager_step, director_step = request.step_ids
        self.assertEqual(
            (manager_step.state, director_step.state), ("pending", "waiting")
        )
        self.assertEqual(request.activity_ids.user_id, self.manager)

        self.decide(order, self.manager)
        self.assertEqual(
            (manager_step.state, director_step.state), ("approved", "pending")
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.activity_ids.user_id, self.director)
        with self.assertRaisesRegex(UserError, "asks for a reason"):
            self.decide(order, self.director)
        self.decide(order, self.director, reason="Budgeted in Q4")

        self.assertEqual(request.state, "approved")
        self.assertTrue(request.action_done)
        self.assertEqual(order.state, "purchase")
        self.assertFalse(request.activity_ids)
        self.assertEqual(
            request.decision_ids.mapped("user_id"), self.manager | self.director
        )
        subtypes = order.message_ids.subtype_id.mapped("name")
        self.assertIn("Approval Requested", subtypes)
        self.assertIn("Approval Granted", subtypes)
        events = self.env["gov.audit.event"].search(
            [("res_model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(
            set(events.mapped("event_type")),
            {"approval.requested", "approval.approved_step", "approval.approved"},
        )

    def test_n_of_m_counts_exactly(self):
        self.matrix.line_ids[1].step_ids.write(
            {"user_ids": [Command.set([u.id for u in self.board])], "min_approvals": 2}
        )
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.decide(order, self.board[0])
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.approved_count, 1)
        self.decide(order, self.board[1])
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.state, "purchase")
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            self.decide(order, self.board[2])
        self.assertEqual(request.step_ids.approved_count, 2)

    def test_all_of_a_step_when_approvals_needed_is_zero(self):
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.manager_2.id])],
                "min_approvals": 0,
            }
        )
        order = self.make_po(5000)
        self.confirm(order)
        self.assertEqual(self.request_of(order).step_ids.min_approvals, 2)
        self.decide(order, self.manager)
        self.assertEqual(order.state, "draft")
        self.decide(order, self.manager_2)
        self.assertEqual(order.state, "purchase")

    def test_reject_needs_a_reason_and_tells_the_requester(self):
        order = self.make_po(5000)
        self.confirm(order)
        with self.assertRaisesRegex(UserError, "why you reject"):
            self.decide(order, self.manager, "reject")
        self.decide(order, self.manager, "reject", "Vendor not approved")
        request = self.request_of(order)
        self.assertEqual(request.state, "rejected")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.gov_approval_state, "rejected")
        self.assertIn("Vendor not approved", order.gov_approval_summary)
        notified = self.env["mail.message"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertIn(self.requester.partner_id, notified.partner_ids)
        # asking again opens a new request; the rejected one stays
        self.confirm(order)
        self.assertEqual(self.request_of(order).state, "pending")
        self.assertEqual(request.state, "rejected")

    def test_route_is_frozen_and_rerouting_is_explicit(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.matrix.line_ids[1].step_ids.user_ids = self.manager_2
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_reroute()
        request.with_user(self.matrix_manager).action_reroute()
        self.assertEqual(request.step_ids.approver_ids, self.manager_2)
        self.assertEqual(request.activity_ids.user_id, self.manager_2)
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.rerouted"), ("res_id", "=", request.id)]
        )
        self.assertEqual(event.details and event.user_id, self.matrix_manager)
        with self.assertRaises(AccessError):
            self.decide(order, self.manager)
        self.decide(order, self.manager_2)
        self.assertEqual(order.state, "purchase")

    def test_change_after_approval_supersedes_it(self):
        self.matrix.auto_resume = False
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        request = self.request_of(order)
        self.assertEqual((request.state, order.state), ("approved", "draft"))
        self.assertEqual(order.gov_approval_state, "approved")
        order.with_user(self.requester).partner_id = self.partner_2
        self.assertEqual(request.state, "superseded")
        self.assertEqual(order.gov_approval_state, "none")
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.request_of(order).state, "pending")

    def test_line_change_caught_at_confirmation(self):
        self.matrix.auto_resume = False
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        first = self.request_of(order)
        # a price change through the lines retires the approval at once
        order.order_line.with_user(self.requester).price_unit = 9000
        self.assertEqual(first.state, "superseded")
        self.confirm(order)
        self.assertEqual(order.state, "draft")
        second = self.request_of(order)
        self.assertNotEqual(first, second)
        self.assertEqual(second.amount, 9000)
        self.decide(order, self.manager)
        self.confirm(order)
        self.assertEqual(order.state, "purchase")
        self.assertTrue(second.action_done)

    def test_line_change_while_pending_is_caught_when_resuming(self):
        order = self.make_po(5000)
        self.confirm(order)
        first = self.request_of(order)
        # the total changes through the lines while the request waits: the
        # request for 5,000 is retired at once and can no longer be decided
        order.order_line.with_user(self.requester).price_unit = 9000
        self.assertEqual(first.state, "superseded")
        with self.assertRaises(UserError):
            first.with_user(self.manager)._decide("approve")
        self.assertEqual(order.state, "draft")
        self.confirm(order)
        second = self.request_of(order)
        self.assertEqual(second.state, "pending")
        self.assertEqual(second.amount, 9000)
        self.decide(order, self.manager)
        self.assertEqual(order.state, "purchase")
        self.assertTrue(second.action_done)
        self.assertFalse(first.action_done)

    def test_requester_confirms_after_approval_without_auto_resume(self):
        self.matrix.auto_resume = False
        order = self.make_po(5000)
        self.confirm(order)
        self.decide(order, self.manager)
        self.assertEqual(order.state, "draft")
        self.confirm(order)
        self.assertEqual(order.state, "purchase")

    def test_failed_resume_is_reported_not_lost(self):
        order = self.make_po(5000)
        self.confirm(order)
        # the requester lost the right to confirm orders meanwhile
        self.requester.group_ids = [
            Command.unlink(self.env.ref("purchase.group_purchase_user").id)
        ]
        self.decide(order, self.manager)
        request = self.request_of(order)
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.state, "draft")
        self.assertTrue(request.resume_error)
        self.assertFalse(request.action_done)

    def test_cancel_and_reset_keep_history(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        request.with_user(self.requester).action_cancel()
        self.assertEqual(request.state, "cancelled")
        with self.assertRaises(AccessError):
            request.unlink()
        self.assertTrue(request.exists())

    def test_server_action_requests_approval(self):
        order = self.make_po(5000)
        action = self.env["ir.actions.server"].create(
            {
                "name": "Ask approval",
                "model_id": self.env["ir.model"]._get_id("purchase.order"),
                "state": "gov_approval_request",
                "gov_approval_action": "purchase.order:confirm",
            }
        )
        action.with_user(self.requester).with_context(
            active_model="purchase.order", active_id=order.id, active_ids=order.ids
        ).run()
        request = self.request_of(order)
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(order.state, "draft")
        # running it again does not duplicate the pending request
        action.with_user(self.requester).with_context(
            active_model="purchase.order", active_id=order.id, active_ids=order.ids
        ).run()
        self.assertEqual(order.gov_approval_request_count, 1)

    def test_matrix_changes_are_audited(self):
        self.matrix.with_user(self.matrix_manager).auto_resume = False
        event = self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "approval.matrix_changed"),
                ("res_id", "=", self.matrix.id),
            ],
            limit=1,
        )
        self.assertEqual(event.user_id, self.matrix_manager)
        self.assertTrue(event.details)


@tagged("post_install", "-at_install")
class TestDemoFlow(ApprovalCase):
    """The helper that puts demo documents on their way through a matrix."""

    def test_demo_flow_requests_and_decides_through_the_engine(self):
        Request = self.env["gov.approval.request"]
        order = self.make_po(20000)
        Request._demo_flow(
            ("purchase.order", order.id),
            "button_confirm",
            self.requester.id,
            [(self.manager.id, "approve", "")],
        )
        request = self.request_of(order)
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.name, "Director")
        self.assertEqual(request.decision_ids.user_id, self.manager)
        self.assertEqual(order.state, "draft")
        # the same checks as anywhere else: nobody decides on their own request
        other = self.make_po(5000)
        with self.assertRaises(AccessError):
            Request._demo_flow(
                ("purchase.order", other.id),
                "button_confirm",
                self.requester.id,
                [(self.requester.id, "approve", "")],
            )


@tagged("post_install", "-at_install")
class TestReporting(ApprovalCase):
    def test_requests_are_reported_by_matrix_and_outcome(self):
        approved, rejected, pending = (self.make_po(a) for a in (2000, 3000, 4000))
        for order in (approved, rejected, pending):
            self.confirm(order)
        self.decide(approved, self.manager)
        self.decide(rejected, self.manager, "reject", "Not this quarter")
        Request = self.env["gov.approval.request"].with_user(self.matrix_manager)
        views = Request.get_views([(False, "pivot"), (False, "graph")])["views"]
        self.assertIn("cycle_hours", views["pivot"]["arch"])
        self.assertIn("matrix_id", views["graph"]["arch"])
        groups = Request._read_group(
            [("res_model", "=", "purchase.order")],
            ["matrix_id", "state"],
            ["__count", "amount_company:sum", "cycle_hours:avg"],
        )
        by_state = {state: (count, total) for _m, state, count, total, _h in groups}
        self.assertEqual(
            by_state,
            {"approved": (1, 2000.0), "rejected": (1, 3000.0), "pending": (1, 4000.0)},
        )
        decided = [hours for _m, state, _c, _t, hours in groups if state != "pending"]
        self.assertTrue(all(hours is not None and hours >= 0 for hours in decided))
