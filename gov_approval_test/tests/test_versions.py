# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Versioned matrices: every change of an active matrix makes a version
(snapshot, diff, audit), requests remember the version that routed them, a
Matrix Manager rolls back, and with four eyes a change waits for another
Matrix Manager than its author, over every route."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

from .common import TesterCase

MATRIX_MANAGER = "gov_base.gov_base_group_matrix_manager"


class VersionCase(TesterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix_manager_2 = new_test_user(
            cls.env, login="tst_matrix_manager_2", groups=MATRIX_MANAGER
        )
        cls.Version = cls.env["gov.approval.matrix.version"]

    def versions(self, matrix=None):
        return self.Version.search(
            [("matrix_id", "=", (matrix or self.matrix).id)], order="number"
        )

    def change_manager_step(self, user, new_approver):
        """``user`` (a Matrix Manager) gives the 1,000 band's step to
        ``new_approver``."""
        step = self.matrix.line_ids[1].step_ids
        self.matrix.with_user(user).write(
            {
                "line_ids": [
                    Command.update(
                        self.matrix.line_ids[1].id,
                        {
                            "step_ids": [
                                Command.update(
                                    step.id,
                                    {"user_ids": [Command.set(new_approver.ids)]},
                                )
                            ]
                        },
                    )
                ]
            }
        )
        return step


@tagged("post_install", "-at_install")
class TestVersions(VersionCase):
    def test_changes_make_versions_requests_remember_rollback(self):
        first = self.versions()
        self.assertEqual(first.mapped("state"), ["applied"])
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).matrix_version_id, first)
        self.change_manager_step(self.matrix_manager, self.manager_2)
        first_again, second = self.versions()
        self.assertEqual((first_again.state, second.state), ("replaced", "applied"))
        self.assertEqual(second.author_id, self.matrix_manager)
        self.assertIn(
            f"Users: {self.manager.name} → {self.manager_2.name}", second.diff_text
        )
        self.assertEqual(self.matrix.version_number, 2)
        # a band edited on its own (the steps dialog) is a version too
        self.matrix.line_ids[0].with_user(self.matrix_manager).max_amount = 900
        third = self.versions()[-1]
        self.assertEqual(third.number, 3)
        self.assertIn("Up To (exclusive): 1000.0 → 900.0", third.diff_text)
        doc_2 = self.make_doc(5000)
        self.confirm(doc_2)
        self.assertEqual(self.request_of(doc_2).matrix_version_id, third)
        self.assertEqual(
            self.request_of(doc_2).current_step_id.approver_ids, self.manager_2
        )
        # roll back to the first version: a new version restoring it
        first.with_user(self.matrix_manager).action_rollback()
        fourth = self.versions()[-1]
        self.assertEqual(
            (fourth.number, fourth.origin, fourth.rollback_of_id),
            (4, "rollback", first),
        )
        self.assertEqual(fourth.snapshot, first.snapshot)
        self.assertEqual(self.matrix._gov_snapshot(), first.snapshot)
        self.assertEqual(self.matrix.line_ids[0].max_amount, 1000)
        events = self.env["gov.audit.event"].search(
            [
                ("event_type", "=", "approval.matrix_version_applied"),
                ("res_id", "=", self.matrix.id),
            ]
        )
        # made, changed, its band changed, rolled back
        self.assertEqual(len(events), 4)
        doc_3 = self.make_doc(5000)
        self.confirm(doc_3)
        request = self.request_of(doc_3)
        self.assertEqual(request.matrix_version_id, fourth)
        self.assertEqual(request.current_step_id.approver_ids, self.manager)

    def test_drafts_change_freely_and_activation_is_a_version(self):
        draft = self.make_matrix([(0, 0, [])], name="Draft", active=False)
        draft.line_ids.max_amount = 50
        self.assertFalse(self.versions(draft))
        draft.active = True
        self.assertEqual(self.versions(draft).mapped("is_active_matrix"), [True])

    def test_versions_are_written_by_the_engine_only(self):
        version = self.versions()
        for values in ({"state": "pending"}, {"snapshot": {}}):
            with self.assertRaises(AccessError):
                version.sudo().write(values)
        with self.assertRaises(AccessError):
            version.sudo().unlink()
        with self.assertRaises(AccessError):
            self.Version.sudo().create(
                {"matrix_id": self.matrix.id, "state": "applied"}
            )
        # a Matrix Manager restores only through the engine: not the version
        # applied now, never a plain user
        with self.assertRaisesRegex(Exception, "is the one applied"):
            version.with_user(self.matrix_manager).action_rollback()
        with self.assertRaises(AccessError):
            version.with_user(self.requester).action_rollback()


@tagged("post_install", "-at_install")
class TestFourEyes(VersionCase):
    def setUp(self):
        super().setUp()
        self.company.gov_approval_matrix_four_eyes = True

    def test_a_change_waits_for_another_matrix_manager(self):
        step = self.change_manager_step(self.matrix_manager, self.manager_2)
        # the matrix keeps its applied version
        self.assertEqual(step.user_ids, self.manager)
        applied, pending = self.versions()
        self.assertEqual((applied.state, pending.state), ("applied", "pending"))
        self.assertEqual(self.matrix.pending_version_count, 1)
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(
            self.request_of(doc).current_step_id.approver_ids, self.manager
        )
        # the author cannot approve their own change
        self.assertFalse(pending.with_user(self.matrix_manager).can_review)
        with self.assertRaisesRegex(AccessError, "another Matrix Manager"):
            pending.with_user(self.matrix_manager).action_approve()
        with self.assertRaises(AccessError):
            pending.with_user(self.requester).action_approve()
        self.assertEqual(pending.state, "pending")
        self.assertTrue(pending.with_user(self.matrix_manager_2).can_review)
        pending.with_user(self.matrix_manager_2).action_approve()
        self.assertEqual(
            (applied.state, pending.state, pending.reviewer_id),
            ("replaced", "applied", self.matrix_manager_2),
        )
        self.assertEqual(step.user_ids, self.manager_2)
        doc_2 = self.make_doc(5000)
        self.confirm(doc_2)
        request = self.request_of(doc_2)
        self.assertEqual(request.matrix_version_id, pending)
        self.assertEqual(request.current_step_id.approver_ids, self.manager_2)

    def test_not_even_the_administrator_approves_their_own_change(self):
        admin = self.env.ref("base.user_admin")
        self.matrix.with_user(admin).sequence = 3
        pending = self.versions()[-1]
        self.assertEqual((pending.state, pending.author_id), ("pending", admin))
        self.assertEqual(self.matrix.sequence, 10)
        with self.assertRaisesRegex(AccessError, "another Matrix Manager"):
            pending.with_user(admin).action_approve()
        # a stale pending change cannot be applied over a newer version
        self.matrix.with_user(self.matrix_manager).reminder_hours = 12
        newer = self.versions()[-1]
        newer.with_user(admin).action_approve()
        with self.assertRaisesRegex(Exception, "changed since"):
            pending.with_user(self.matrix_manager_2).action_approve()
        pending.with_user(admin).action_reject()
        self.assertEqual(pending.state, "rejected")

    def test_a_new_matrix_waits_archived(self):
        matrix = self.make_matrix([(0, 0, [])], name="Four eyes new")
        self.assertFalse(matrix.active)
        version = self.versions(matrix)
        self.assertEqual(version.state, "pending")
        version.with_user(self.matrix_manager_2).action_approve()
        self.assertTrue(matrix.active)

    def test_a_rollback_waits_too(self):
        self.company.gov_approval_matrix_four_eyes = False
        self.change_manager_step(self.matrix_manager, self.manager_2)
        first, _second = self.versions()
        self.company.gov_approval_matrix_four_eyes = True
        first.with_user(self.matrix_manager).action_rollback()
        pending = self.versions()[-1]
        self.assertEqual((pending.state, pending.origin), ("pending", "rollback"))
        self.assertEqual(self.matrix.line_ids[1].step_ids.user_ids, self.manager_2)
        pending.with_user(self.matrix_manager_2).action_approve()
        self.assertEqual(self.matrix.line_ids[1].step_ids.user_ids, self.manager)


@tagged("post_install", "-at_install")
class TestFourEyesRoutes(VersionCase, HttpCase, RpcRoutesMixin):
    """The author of a matrix change approves it over no route; versions are
    not written over any route."""

    def setUp(self):
        super().setUp()
        self.company.gov_approval_matrix_four_eyes = True
        self.change_manager_step(self.matrix_manager, self.manager_2)
        self.pending = self.versions()[-1]

    def test_the_author_approves_over_no_route(self):
        for route in ROUTES:
            with self.subTest(route=route):
                result = self.rpc(
                    route,
                    self.matrix_manager,
                    "gov.approval.matrix.version",
                    "action_approve",
                    self.pending.ids,
                )
                self.assertFalse(result, route)
                self.env.invalidate_all()
                self.assertEqual(self.pending.state, "pending")
        for route in ("json2", "jsonrpc"):
            for values in ({"state": "applied"}, {"snapshot": {"matrix": {}}}):
                result = self.rpc(
                    route,
                    self.matrix_manager_2,
                    "gov.approval.matrix.version",
                    "write",
                    self.pending.ids,
                    vals=values,
                )
                self.assertFalse(result, route)
        self.env.invalidate_all()
        self.assertEqual(self.pending.state, "pending")
        result = self.rpc(
            "json2",
            self.matrix_manager_2,
            "gov.approval.matrix.version",
            "action_approve",
            self.pending.ids,
        )
        self.assertTrue(result, result.error)
        self.env.invalidate_all()
        self.assertEqual(self.pending.state, "applied")
