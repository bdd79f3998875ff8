# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approval seals: an approval the engine did not make is never used."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestApprovalSeal(TesterCase):
    def setUp(self):
        super().setUp()
        self.matrix.auto_resume = False
        self.doc = self.make_doc(5000)
        self.confirm(self.doc)
        self.request = self.request_of(self.doc)

    def sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(query, args)
        self.env.invalidate_all()

    def assert_not_used(self, request):
        """Confirming asks for a new approval; the forged one is superseded
        and the audit log says why."""
        self.confirm(self.doc)
        self.assertEqual(self.doc.state, "draft")
        self.assertEqual(request.state, "superseded")
        self.assertTrue(
            self.env["gov.audit.event"].search(
                [
                    ("event_type", "=", "approval.seal_invalid"),
                    ("res_id", "=", request.id),
                ]
            )
        )
        self.assertEqual(self.request_of(self.doc).state, "pending")

    def test_an_engine_approval_is_sealed_and_used(self):
        self.assertFalse(self.request.approval_seal)
        self.decide(self.doc, self.manager)
        self.assertTrue(self.request.approval_seal)
        self.assertTrue(self.request._seal_holds())
        self.confirm(self.doc)
        self.assertEqual(self.doc.state, "confirmed")
        self.assertTrue(self.request.action_done)
        # the seal is read by system administrators only
        with self.assertRaises(AccessError):
            self.request.with_user(self.requester).read(["approval_seal"])

    def test_an_approval_written_in_sql_is_not_used(self):
        self.sql(
            "UPDATE gov_approval_request SET state = 'approved' WHERE id = %s",
            self.request.id,
        )
        self.assertFalse(self.request._seal_holds())
        self.assert_not_used(self.request)

    def test_a_copied_seal_does_not_hold_for_another_request(self):
        self.decide(self.doc, self.manager)
        other = self.make_doc(5000)
        self.confirm(other)
        forged = self.request_of(other)
        self.sql(
            "UPDATE gov_approval_request SET state = 'approved', approval_seal = %s"
            " WHERE id = %s",
            self.request.approval_seal,
            forged.id,
        )
        self.assertFalse(forged._seal_holds())
        self.confirm(other)
        self.assertEqual(other.state, "draft")
        self.assertEqual(forged.state, "superseded")

    def test_an_approval_pointed_at_new_values_in_sql_is_not_used(self):
        self.decide(self.doc, self.manager)
        # the document grows past its band, and the approval's hash follows
        self.sql(
            "UPDATE gov_approval_tester_line SET price_unit = 50000"
            " WHERE tester_id = %s",
            self.doc.id,
        )
        self.sql(
            "UPDATE gov_approval_tester SET amount = 50000 WHERE id = %s", self.doc.id
        )
        _values, digest = self.Request._snapshot_of(self.doc)
        self.sql(
            "UPDATE gov_approval_request SET snapshot_hash = %s WHERE id = %s",
            digest,
            self.request.id,
        )
        self.assertFalse(self.request._seal_holds())
        self.assert_not_used(self.request)
        self.assertEqual(
            self.request_of(self.doc).line_id.route_display, "Manager → Director"
        )

    def test_a_decision_rewritten_in_sql_breaks_the_seal(self):
        self.decide(self.doc, self.manager)
        self.sql(
            "UPDATE gov_approval_decision SET approver_id = %s WHERE request_id = %s",
            self.director.id,
            self.request.id,
        )
        self.assertFalse(self.request._seal_holds())
        self.assert_not_used(self.request)

    def test_the_state_guard_refuses_a_forged_approval(self):
        self.sql(
            "UPDATE gov_approval_request SET state = 'approved' WHERE id = %s",
            self.request.id,
        )
        with self.assertRaisesRegex(UserError, "before it is approved"):
            self.doc.sudo().write({"state": "confirmed"})
        self.assertEqual(self.doc.state, "draft")
