# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A request from the gate to the governed state: steps, N-of-M, rejection,
the frozen route, and what happens to an approval when the document changes."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.gov_approval.tools.engine import technical_bypass

from .common import TESTER_GROUP, TesterCase


@tagged("post_install", "-at_install")
class TestFlow(TesterCase):
    def test_sequential_steps_then_automatic_confirmation(self):
        doc = self.make_doc(20000)
        action = self.confirm(doc)
        self.assertEqual(action["tag"], "display_notification")
        request = self.request_of(doc)
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(request.name, f"{doc.name}: Confirm tester document")
        manager_step, director_step = request.step_ids
        self.assertEqual(
            (manager_step.state, director_step.state), ("pending", "waiting")
        )
        self.assertEqual(request.current_step_id, manager_step)
        self.assertEqual(request.activity_ids.user_id, self.manager)
        self.assertIn("Waiting for Manager: 0 of 1", doc.gov_approval_summary)

        # the second step's approver cannot decide before their turn
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(doc, self.director, reason="too early")
        self.decide(doc, self.manager)
        self.assertEqual(
            (manager_step.state, director_step.state), ("approved", "pending")
        )
        self.assertEqual(doc.state, "draft")
        self.assertEqual(request.activity_ids.user_id, self.director)
        with self.assertRaisesRegex(UserError, "asks for a reason"):
            self.decide(doc, self.director)
        self.decide(doc, self.director, reason="Budgeted in Q4")

        self.assertEqual(request.state, "approved")
        self.assertTrue(request.action_done)
        self.assertEqual(doc.state, "confirmed")
        self.assertEqual(doc.gov_approval_state, "approved")
        self.assertFalse(request.activity_ids)
        self.assertEqual(
            request.decision_ids.mapped("user_id"), self.manager | self.director
        )
        self.assertEqual(request.decision_ids[1].reason, "Budgeted in Q4")
        subtypes = doc.message_ids.subtype_id.mapped("name")
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
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(request.step_ids.min_approvals, 2)
        self.decide(doc, self.board[0])
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.approved_count, 1)
        self.assertEqual(
            request.current_step_id.pending_approver_ids, self.board[1] | self.board[2]
        )
        self.assertEqual(request.current_step_id.progress_display, "1 of 2")
        self.decide(doc, self.board[1])
        self.assertEqual(request.state, "approved")
        self.assertEqual(doc.state, "confirmed")
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            self.decide(doc, self.board[2])
        self.assertEqual(request.step_ids.approved_count, 2)

    def test_all_of_a_step_when_approvals_needed_is_zero(self):
        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.manager.id, self.manager_2.id])],
                "min_approvals": 0,
            }
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).step_ids.min_approvals, 2)
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "draft")
        self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "confirmed")

    def test_one_rejection_of_n_of_m_rejects_the_request(self):
        self.matrix.line_ids[1].step_ids.write(
            {"user_ids": [Command.set([u.id for u in self.board])], "min_approvals": 2}
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.board[0])
        self.decide(doc, self.board[1], "reject", "Not needed")
        request = self.request_of(doc)
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.step_ids.state, "rejected")
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            self.decide(doc, self.board[2])
        self.assertEqual(doc.state, "draft")

    def test_reject_needs_a_reason_and_tells_the_requester(self):
        doc = self.make_doc(20000)
        self.confirm(doc)
        with self.assertRaisesRegex(UserError, "why you reject"):
            self.decide(doc, self.manager, "reject")
        self.decide(doc, self.manager, "reject", "Partner not approved")
        request = self.request_of(doc)
        self.assertEqual(request.state, "rejected")
        # the later step never opens
        self.assertEqual(request.step_ids[1].state, "cancelled")
        self.assertEqual(doc.state, "draft")
        self.assertEqual(doc.gov_approval_state, "rejected")
        self.assertIn("Partner not approved", doc.gov_approval_summary)
        notified = self.env["mail.message"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertIn(self.requester.partner_id, notified.partner_ids)
        # asking again opens a new request; the rejected one stays
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).state, "pending")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(doc.gov_approval_request_count, 2)

    def test_the_requester_hears_the_outcome_as_they_read_notifications(self):
        self.requester.write(
            {"email": "requester@example.com", "notification_type": "email"}
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        Mail = self.env["mail.mail"]
        told = [
            ("model", "=", request._name),
            ("res_id", "=", request.id),
            ("email_to", "ilike", "requester@example.com"),
        ]
        self.assertFalse(Mail.search(told))
        self.decide(doc, self.manager)
        mail = Mail.search(told)
        self.assertEqual(mail.subject, f"{request.name}: Approved")
        self.assertIn(f"Your request {request.name} is approved.", mail.body_html)
        self.assertEqual(mail.partner_ids, self.requester.partner_id)
        # a user notification: not in the request's chatter
        self.assertEqual(mail.message_type, "user_notification")
        # the e-mail owns its message, as one Odoo makes: deleting the sent
        # e-mail (auto_delete) deletes the message with it
        self.assertTrue(mail.auto_delete)
        message = mail.mail_message_id
        mail.unlink()
        self.assertFalse(message.exists())

        # read in Odoo: a notification in their inbox, no e-mail
        self.requester.notification_type = "inbox"
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager, "reject", "Over budget")
        request = self.request_of(doc)
        notification = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.requester.partner_id.id),
                ("mail_message_id.model", "=", request._name),
                ("mail_message_id.res_id", "=", request.id),
            ]
        )
        self.assertEqual(notification.notification_type, "inbox")
        self.assertIn("is rejected. Over budget", notification.mail_message_id.body)
        self.assertFalse(
            Mail.search(
                [
                    ("model", "=", request._name),
                    ("res_id", "=", request.id),
                    ("email_to", "ilike", "requester@example.com"),
                ]
            )
        )

    def test_route_is_frozen_and_rerouting_is_explicit(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        self.matrix.line_ids[1].step_ids.user_ids = self.manager_2
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        # a request made now takes the new route
        other = self.make_doc(5000)
        self.confirm(other)
        self.assertEqual(self.request_of(other).step_ids.approver_ids, self.manager_2)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_reroute()
        request.with_user(self.matrix_manager).action_reroute()
        self.assertEqual(request.step_ids.approver_ids, self.manager_2)
        self.assertEqual(request.activity_ids.user_id, self.manager_2)
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.rerouted"), ("res_id", "=", request.id)]
        )
        self.assertEqual(event.user_id, self.matrix_manager)
        self.assertIn("tst_manager_2", event.details)
        with self.assertRaises(AccessError):
            self.decide(doc, self.manager)
        self.decide(doc, self.manager_2)
        self.assertEqual(doc.state, "confirmed")

    def test_rerouting_to_fewer_approvals_completes_the_step(self):
        step = self.matrix.line_ids[1].step_ids
        step.write(
            {"user_ids": [Command.set([u.id for u in self.board])], "min_approvals": 2}
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.board[0])
        step.min_approvals = 1
        self.request_of(doc).with_user(self.matrix_manager).action_reroute()
        self.assertEqual(self.request_of(doc).state, "approved")
        self.assertEqual(doc.state, "confirmed")

    def test_requester_confirms_after_approval_without_auto_resume(self):
        self.matrix.auto_resume = False
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager)
        request = self.request_of(doc)
        self.assertEqual((request.state, doc.state), ("approved", "draft"))
        self.assertFalse(request.action_done)
        self.assertIs(self.confirm(doc), True)
        self.assertEqual(doc.state, "confirmed")
        self.assertTrue(request.action_done)
        # the approval is used once
        self.assertEqual(doc.gov_approval_request_count, 1)

    def test_failed_resume_is_reported_not_lost(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        # the requester lost the right to confirm documents meanwhile
        self.requester.group_ids = [Command.unlink(self.env.ref(TESTER_GROUP).id)]
        self.decide(doc, self.manager)
        request = self.request_of(doc)
        self.assertEqual(request.state, "approved")
        self.assertEqual(doc.state, "draft")
        self.assertTrue(request.resume_error)
        self.assertFalse(request.action_done)
        notes = doc.message_ids.filtered(lambda m: "could not run" in (m.body or ""))
        self.assertEqual(notes.partner_ids, self.requester.partner_id)
        # given the right back, the requester confirms with the same approval
        self.requester.group_ids = [Command.link(self.env.ref(TESTER_GROUP).id)]
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        self.assertTrue(request.action_done)

    def test_withdrawal_keeps_history(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        request = self.request_of(doc)
        with self.assertRaisesRegex(AccessError, "Only the requester"):
            request.with_user(self.manager).action_cancel()
        request.with_user(self.requester).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.step_ids.state, "cancelled")
        self.assertEqual(doc.gov_approval_state, "none")
        with self.assertRaises(AccessError):
            request.unlink()
        self.assertTrue(request.exists())
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            self.decide(doc, self.manager)

    def test_server_action_requests_approval(self):
        doc = self.make_doc(5000)
        action = self.env["ir.actions.server"].create(
            {
                "name": "Ask approval",
                "model_id": self.env["ir.model"]._get_id(doc._name),
                "state": "gov_approval_request",
                "gov_approval_action": "gov.approval.tester:confirm",
            }
        )
        context = {
            "active_model": doc._name,
            "active_id": doc.id,
            "active_ids": doc.ids,
        }
        action.with_user(self.requester).with_context(**context).run()
        request = self.request_of(doc)
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(request.state, "pending")
        self.assertEqual(doc.state, "draft")
        # running it again does not duplicate the pending request
        action.with_user(self.requester).with_context(**context).run()
        self.assertEqual(doc.gov_approval_request_count, 1)

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
        self.assertIn("auto_resume", event.details)


@tagged("post_install", "-at_install")
class TestChanges(TesterCase):
    """An approval covers the amount, the watched fields and the lines."""

    def approved_doc(self, amount=5000, lines=1):
        """A draft document of ``amount`` in ``lines`` equal lines, approved."""
        self.matrix.auto_resume = False
        line = {"name": "Widget", "quantity": 1, "price_unit": amount / lines}
        doc = self.make_doc(
            amount, line_ids=[Command.create(dict(line)) for _n in range(lines)]
        )
        self.confirm(doc)
        self.decide(doc, self.manager)
        request = self.request_of(doc)
        self.assertEqual((request.state, doc.state), ("approved", "draft"))
        self.assertEqual(doc.gov_approval_state, "approved")
        return doc, request

    def test_a_watched_field_change_supersedes_the_approval(self):
        for field, value in (
            ("partner_id", self.partner_2.id),
            ("user_id", self.manager_2.id),
            ("group_id", self.env.ref("base.group_user").id),
        ):
            with self.subTest(field):
                doc, request = self.approved_doc()
                doc.with_user(self.requester).write({field: value})
                self.assertEqual(request.state, "superseded")
                self.assertEqual(doc.gov_approval_state, "none")
                self.assertIn("changed", request.close_reason)
                self.confirm(doc)
                self.assertEqual(doc.state, "draft")
                self.assertEqual(self.request_of(doc).state, "pending")

    def test_a_field_outside_the_approval_changes_nothing(self):
        doc, request = self.approved_doc()
        doc.with_user(self.requester).name = "Renamed"
        self.assertEqual(request.state, "approved")
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")

    def test_a_change_while_pending_supersedes_the_request(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        first = self.request_of(doc)
        doc.with_user(self.requester).partner_id = self.partner_2
        self.assertEqual(first.state, "superseded")
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            first.with_user(self.manager)._decide("approve")
        self.assertFalse(first.activity_ids)
        self.confirm(doc)
        second = self.request_of(doc)
        self.assertNotEqual(first, second)
        self.assertEqual(second.state, "pending")

    def test_line_changes_supersede_the_approval(self):
        def add_line(line):
            line.create({"tester_id": line.tester_id.id, "name": "Extra"})

        for label, change in (
            ("price", lambda line: line.write({"price_unit": 9000})),
            ("label", lambda line: line.write({"name": "Other widget"})),
            (
                "same total",
                lambda line: line.write({"quantity": 2, "price_unit": 1250}),
            ),
            ("added line", add_line),
            ("removed line", lambda line: line.unlink()),
        ):
            with self.subTest(label):
                doc, request = self.approved_doc(lines=2)
                change(doc.line_ids[:1].with_user(self.requester))
                self.assertEqual(request.state, "superseded")
                self.confirm(doc)
                self.assertEqual(doc.state, "draft")
                self.assertEqual(self.request_of(doc).state, "pending")

    def test_line_change_through_the_document_supersedes_the_approval(self):
        doc, request = self.approved_doc()
        doc.with_user(self.requester).write(
            {"line_ids": [Command.update(doc.line_ids.id, {"price_unit": 9000})]}
        )
        self.assertEqual(request.state, "superseded")
        self.confirm(doc)
        second = self.request_of(doc)
        self.assertEqual(second.amount, 9000)
        self.decide(doc, self.manager)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        self.assertTrue(second.action_done)

    def test_line_change_while_pending_is_caught_when_resuming(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        first = self.request_of(doc)
        # the total changes through the lines while the request waits: the
        # request for 5,000 is retired at once and can no longer be decided
        doc.line_ids.with_user(self.requester).price_unit = 9000
        self.assertEqual(first.state, "superseded")
        with self.assertRaises(UserError):
            first.with_user(self.manager)._decide("approve")
        self.assertEqual(doc.state, "draft")
        self.confirm(doc)
        second = self.request_of(doc)
        self.assertEqual(second.state, "pending")
        self.assertEqual(second.amount, 9000)
        self.assertEqual(second.superseded_by_id, self.Request)
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "confirmed")
        self.assertTrue(second.action_done)
        self.assertFalse(first.action_done)

    def test_an_approval_replaced_at_the_gate_names_its_successor(self):
        doc, first = self.approved_doc()
        # changed behind the write hooks (SQL): caught at the gate all the same
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_approval_tester SET partner_id = %s WHERE id = %s",
            (self.partner_2.id, doc.id),
        )
        doc.invalidate_recordset()
        self.assertEqual(first.state, "approved")
        self.confirm(doc)
        self.assertEqual(doc.state, "draft")
        second = self.request_of(doc)
        self.assertNotEqual(first, second)
        self.assertEqual(second.state, "pending")
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, second)

    def test_a_pending_request_replaced_at_the_gate(self):
        """A document changed inside the audited technical bypass keeps its
        pending request (the bypass turns the write hooks off); the gate then
        sees the change and replaces the request.

        The pending one is superseded before its successor is made: one
        pending request per document and action.
        """
        doc = self.make_doc(5000)
        self.confirm(doc)
        first = self.request_of(doc)
        with technical_bypass(self.env, "Import of corrected partners"):
            doc.with_user(self.requester).partner_id = self.partner_2
        self.assertEqual(first.state, "pending")
        self.confirm(doc)
        second = self.request_of(doc)
        self.assertNotEqual(first, second)
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, second)


@tagged("post_install", "-at_install")
class TestGovernedState(TesterCase):
    """The confirmed state needs an approval, whatever writes it, and keeps
    the values it was approved with."""

    def test_state_cannot_be_written_around_the_gate(self):
        doc = self.make_doc(5000)
        for label, target in (
            ("user", doc.with_user(self.requester)),
            ("sudo", doc.sudo()),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "before it is approved"),
            ):
                target.write({"state": "confirmed"})
        self.assertEqual(doc.state, "draft")
        # nor from another state
        doc.action_cancel()
        with self.assertRaisesRegex(UserError, "before it is approved"):
            doc.sudo().write({"state": "confirmed"})
        self.assertEqual(doc.state, "cancel")

    def test_cannot_create_a_document_already_confirmed(self):
        Tester = self.env["gov.approval.tester"].with_user(self.requester)
        # below every band with steps it may
        small = Tester.create(
            {
                "name": "Small",
                "state": "confirmed",
                "line_ids": [Command.create({"name": "W", "price_unit": 50})],
            }
        )
        self.assertEqual(small.state, "confirmed")
        # refused while its lines are created (they need an approval)
        with self.assertRaisesRegex(UserError, "approv"), self.env.cr.savepoint():
            Tester.create(
                {
                    "name": "Born confirmed",
                    "state": "confirmed",
                    "line_ids": [Command.create({"name": "W", "price_unit": 5000})],
                }
            )
        self.assertFalse(Tester.search([("name", "=", "Born confirmed")]))
        # and by the create guard itself, for a document without lines
        self.matrix.line_ids[0].step_ids = [
            Command.create(self.step("Anything", self.manager))
        ]
        with self.assertRaisesRegex(UserError, "needs an approval first"):
            Tester.create({"name": "No lines", "state": "confirmed"})

    def test_confirmed_document_keeps_its_approved_values(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager)
        self.assertEqual(doc.state, "confirmed")
        for label, change in (
            ("partner", lambda d: d.write({"partner_id": self.partner_2.id})),
            ("line", lambda d: d.line_ids.write({"quantity": 100})),
            (
                "new line",
                lambda d: d.write(
                    {"line_ids": [Command.create({"name": "X", "price_unit": 1})]}
                ),
            ),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "is past confirm tester document"),
                self.env.cr.savepoint(),
            ):
                change(doc.with_user(self.requester))
        self.assertEqual(doc.amount, 5000)
        self.assertEqual(doc.partner_id, self.partner)
        # a field outside the approval still changes
        doc.with_user(self.requester).name = "Renamed"
        self.assertEqual(doc.name, "Renamed")

    def test_a_document_confirmed_without_approval_cannot_grow_past_a_band(self):
        doc = self.make_doc(500)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            doc.line_ids.with_user(self.requester).price_unit = 100000
        self.assertEqual(doc.amount, 500)
        # a change the matrix lets through without approval passes
        doc.line_ids.with_user(self.requester).price_unit = 600
        self.assertEqual(doc.amount, 600)

    def test_reset_to_draft_asks_for_a_new_approval(self):
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.decide(doc, self.manager)
        used = self.request_of(doc)
        doc.with_user(self.requester).action_cancel()
        doc.with_user(self.requester).action_draft()
        self.assertEqual(used.state, "approved")
        self.confirm(doc)
        self.assertEqual(doc.state, "draft")
        self.assertNotEqual(self.request_of(doc), used)
        self.assertEqual(self.request_of(doc).state, "pending")

    def test_cancel_supersedes_the_live_request(self):
        for approve in (False, True):
            with self.subTest(approved=approve):
                self.matrix.auto_resume = False
                doc = self.make_doc(5000)
                self.confirm(doc)
                if approve:
                    self.decide(doc, self.manager)
                request = self.request_of(doc)
                doc.with_user(self.requester).action_cancel()
                self.assertEqual(request.state, "superseded")
                self.assertIn("Cancelled", request.close_reason)
                with self.assertRaises(UserError):
                    request.with_user(self.manager_2)._decide("approve")
                doc.with_user(self.requester).action_draft()
                self.confirm(doc)
                self.assertEqual(doc.state, "draft")
                self.assertEqual(self.request_of(doc).state, "pending")

    def test_only_drafts_are_confirmed(self):
        doc = self.make_doc(5000)
        doc.action_cancel()
        with self.assertRaisesRegex(UserError, "Only draft"):
            self.confirm(doc)
        self.assertFalse(self.request_of(doc))


@tagged("post_install", "-at_install")
class TestDemoFlow(TesterCase):
    """The helper that puts demo documents on their way through a matrix."""

    def test_demo_flow_requests_and_decides_through_the_engine(self):
        doc = self.make_doc(20000)
        self.Request._demo_flow(
            (doc._name, doc.id),
            "action_confirm",
            self.requester.id,
            [(self.manager.id, "approve", "")],
        )
        request = self.request_of(doc)
        self.assertEqual(request.requester_id, self.requester)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.name, "Director")
        self.assertEqual(request.decision_ids.user_id, self.manager)
        self.assertEqual(doc.state, "draft")
        # the same checks as anywhere else: nobody decides on their own request
        other = self.make_doc(5000)
        with self.assertRaises(AccessError):
            self.Request._demo_flow(
                (other._name, other.id),
                "action_confirm",
                self.requester.id,
                [(self.requester.id, "approve", "")],
            )


@tagged("post_install", "-at_install")
class TestReporting(TesterCase):
    def test_requests_are_reported_by_matrix_and_outcome(self):
        approved, rejected, pending = (self.make_doc(a) for a in (2000, 3000, 4000))
        for doc in (approved, rejected, pending):
            self.confirm(doc)
        # decided two hours after they were requested (a second more: now()
        # drops the microseconds the database clock gave the requests)
        with freeze_time(fields.Datetime.now() + timedelta(hours=2, seconds=1)):
            self.decide(approved, self.manager)
            self.decide(rejected, self.manager, "reject", "Not this quarter")
        Request = self.env["gov.approval.request"].with_user(self.matrix_manager)
        views = Request.get_views([(False, "pivot"), (False, "graph")])["views"]
        self.assertIn("cycle_hours", views["pivot"]["arch"])
        self.assertIn("matrix_id", views["graph"]["arch"])
        groups = Request._read_group(
            [("res_model", "=", "gov.approval.tester")],
            ["matrix_id", "state"],
            ["__count", "amount_company:sum", "cycle_hours:avg"],
        )
        self.assertEqual({matrix for matrix, *_rest in groups}, {self.matrix})
        by_state = {state: (count, total) for _m, state, count, total, _h in groups}
        self.assertEqual(
            by_state,
            {"approved": (1, 2000.0), "rejected": (1, 3000.0), "pending": (1, 4000.0)},
        )
        hours = {state: hours for _m, state, _c, _t, hours in groups}
        self.assertFalse(hours["pending"])
        for state in ("approved", "rejected"):
            self.assertTrue(2 <= hours[state] < 2.1, hours)
        self.assertEqual(self.matrix.request_count, 3)

    def test_cycle_time_is_never_negative(self):
        """The cycle time runs from the request's creation date (database
        clock, to the microsecond) to ``fields.Datetime.now()`` (whole
        seconds): a request decided within the second it was made counts 0."""
        doc = self.make_doc(2000)
        self.confirm(doc)
        request = self.request_of(doc)
        with freeze_time(request.create_date):
            self.decide(doc, self.manager)
        self.assertEqual(request.state, "approved")
        self.assertGreaterEqual(request.cycle_hours, 0)
