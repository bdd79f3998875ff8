# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The matrix editor: bands that cannot overlap, gaps shown, the simulator,
and every change audited."""

from psycopg2.errors import CheckViolation

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestMatrixEditor(TesterCase):
    def test_overlapping_bands_are_refused(self):
        Line = self.env["gov.approval.matrix.line"]
        # touching bounds do not overlap: the maximum is exclusive
        matrix = self.make_matrix([(0, 100, [])], name="Touching")
        Line.create({"matrix_id": matrix.id, "min_amount": 100, "max_amount": 200})
        # the same range with other conditions is a different rule
        Line.create(
            {
                "matrix_id": self.matrix.id,
                "min_amount": 1000,
                "max_amount": 10000,
                "domain": f"[('partner_id', '=', {self.partner.id})]",
            }
        )
        for target, low, high in (
            (self.matrix, 9000, 12000),
            (self.matrix, 50000, 0),
            (matrix, 150, 160),
        ):
            with self.assertRaisesRegex(ValidationError, "overlap"):
                Line.create(
                    {"matrix_id": target.id, "min_amount": low, "max_amount": high}
                )

    def test_bad_bounds_and_filters_are_refused(self):
        Line = self.env["gov.approval.matrix.line"]
        matrix = self.make_matrix([], name="Empty")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(CheckViolation),
            self.env.cr.savepoint(),
        ):
            Line.create({"matrix_id": matrix.id, "min_amount": 500, "max_amount": 100})
        with self.assertRaisesRegex(ValidationError, "not valid"):
            Line.create(
                {"matrix_id": matrix.id, "domain": "[('no_such_field', '=', 1)]"}
            )
        with self.assertRaisesRegex(ValidationError, "not valid"):
            matrix.domain = "[("
        with self.assertRaisesRegex(ValidationError, "no approvers"):
            self.env["gov.approval.step"].create(
                {"line_id": self.matrix.line_ids[0].id, "name": "Nobody"}
            )
        with self.assertRaisesRegex(ValidationError, "needs 2 approvals from 1"):
            self.env["gov.approval.step"].create(
                {
                    "line_id": self.matrix.line_ids[0].id,
                    "name": "Too many",
                    "user_ids": [Command.set(self.manager.ids)],
                    "min_approvals": 2,
                }
            )

    def test_gaps_are_shown(self):
        self.assertFalse(self.matrix.gap_warning)
        matrix = self.make_matrix(
            [(1000, 5000, []), (6000, 8000, [])], name="Holes", no_match_policy="block"
        )
        warning = matrix.gap_warning
        self.assertIn("from", warning)
        self.assertIn("and above", warning)
        self.assertEqual(len(matrix._band_gaps()), 3)
        self.assertIn("block the action", warning)

    def test_simulator_shows_band_route_and_approvers(self):
        wizard = self.env["gov.approval.simulate.wizard"].with_user(self.matrix_manager)
        with Form(wizard.with_context(default_matrix_id=self.matrix.id)) as form:
            form.amount = 25000
            self.assertEqual(form.line_id, self.matrix.line_ids[2])
            self.assertIn("Director", form.result_html)
            self.assertIn(self.director.name, form.result_html)
            form.amount = 500
            self.assertIn("no approval needed", form.result_html)
            form.requester_id = self.manager
            form.amount = 5000
            # the requester is never their own approver: the route cannot be made
            self.assertIn("eligible approvers", form.result_html)

    def test_simulator_uses_a_sample_document_for_conditions(self):
        self.env["gov.approval.matrix.line"].create(
            {
                "matrix_id": self.matrix.id,
                "min_amount": 1000,
                "max_amount": 10000,
                "domain": f"[('partner_id', '=', {self.partner_2.id})]",
                "step_ids": [Command.create(self.step("Board", self.board[1]))],
            }
        )
        doc = self.make_doc(10, partner=self.partner_2)
        wizard = self.env["gov.approval.simulate.wizard"].create(
            {
                "matrix_id": self.matrix.id,
                "amount": 2000,
                "document_ref": f"{doc._name},{doc.id}",
            }
        )
        self.assertIn(self.board[1].name, wizard.result_html)
        plain = self.env["gov.approval.simulate.wizard"].create(
            {"matrix_id": self.matrix.id, "amount": 2000}
        )
        self.assertIn(self.manager.name, plain.result_html)

    def test_governed_actions_are_offered(self):
        actions = dict(self.env["gov.approval.matrix"]._selection_action())
        self.assertEqual(
            actions["gov.approval.tester:confirm"], "Confirm tester document"
        )
        self.assertEqual(self.matrix.res_model, "gov.approval.tester")
        self.assertEqual(self.matrix.amount_field_id.name, "amount")
        self.assertEqual(self.matrix.currency_field_id.name, "currency_id")
        # offered by what they are, not by their technical name
        self.assertIn(
            ("gov.approval.tester", "Approval Engine Tester"),
            self.Request._selection_document_ref(),
        )

    def test_band_and_step_edits_are_audited(self):
        Event = self.env["gov.audit.event"]
        domain = [
            ("event_type", "=", "approval.matrix_changed"),
            ("res_id", "=", self.matrix.id),
        ]
        before = Event.search_count(domain)
        step = self.matrix.line_ids[1].step_ids
        step.with_user(self.matrix_manager).sla_hours = 8
        self.matrix.line_ids[0].with_user(self.matrix_manager).max_amount = 900
        events = Event.search(domain, order="id desc", limit=2)
        self.assertEqual(Event.search_count(domain), before + 2)
        self.assertEqual(set(events.user_id), {self.matrix_manager})
        self.assertIn("900", events[0].details)
        # a write forged with the matrix's internal context key is still audited
        step.with_context(gov_approval_matrix_audited=True).sla_hours = 9
        self.assertEqual(Event.search_count(domain), before + 3)

    def test_configuration_changes_reach_routing_at_once(self):
        """Routing reads a cached configuration: every edit clears it."""
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).step_ids.approver_ids, self.manager)
        self.matrix.line_ids[1].step_ids.user_ids = self.board[2]
        self.matrix.line_ids[1].max_amount = 4000
        self.matrix.line_ids[2].min_amount = 4000
        later = self.make_doc(5000)
        self.confirm(later)
        self.assertEqual(
            self.request_of(later).line_id.route_display, "Manager → Director"
        )
        self.matrix.active = False
        free = self.make_doc(5000)
        self.confirm(free)
        self.assertEqual(free.state, "confirmed")
