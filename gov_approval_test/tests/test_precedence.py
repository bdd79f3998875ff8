# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One precedence rule for matrices that govern the same action: routing
and the simulator take the same matrix, the list shows the order, and the
form warns about the matrices a document may never reach."""

from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestPrecedence(TesterCase):
    def setUp(self):
        super().setUp()
        # the case: a newer matrix of the same action, same priority
        self.newer = self.make_matrix(
            [(0, 0, [self.step("Board", self.board[0])])], name="Newer matrix"
        )
        self.doc = self.make_doc(5000)

    def route(self, doc):
        return self.Request._route(doc, "confirm")

    def simulate(self, matrix, doc):
        return self.env["gov.approval.simulate.wizard"].create(
            {
                "matrix_id": matrix.id,
                "amount": 1,
                "document_ref": f"{doc._name},{doc.id}",
            }
        )

    def test_the_older_matrix_wins_and_both_say_so(self):
        self.assertEqual(self.route(self.doc)[0], self.matrix)
        self.assertEqual(self.matrix.precedence_rank, 1)
        self.assertEqual(self.newer.precedence_rank, 2)
        self.assertEqual(self.newer.precedence_display, "2 of 2")
        self.assertIn("this matrix never applies", self.newer.overlap_warning)
        self.assertIn("This matrix comes first", self.matrix.overlap_warning)
        html = self.simulate(self.newer, self.doc).result_html
        self.assertIn("is governed by Test tester matrix", html)
        self.assertIn("Test tester matrix comes first and takes the document", html)
        self.assertIn("does not take the matrix you simulate", html)
        # plain words: no model name, no domain
        self.assertNotIn("gov.approval.tester", html)
        self.confirm(self.doc)
        self.assertEqual(self.request_of(self.doc).matrix_id, self.matrix)

    def test_priority_then_filter_then_age(self):
        self.newer.sequence = 5
        self.assertEqual(self.route(self.doc)[0], self.newer)
        self.assertEqual(self.newer.precedence_rank, 1)
        # at equal priority, a matrix with a filter comes before a general one
        self.newer.sequence = 10
        self.newer.domain = f"[('partner_id', '=', {self.partner.id})]"
        self.assertFalse(self.newer.applies_to_all)
        self.assertEqual(self.route(self.doc)[0], self.newer)
        self.assertEqual(
            self.env["gov.approval.matrix"]
            .search([("id", "in", (self.matrix | self.newer).ids)])
            .ids,
            [self.newer.id, self.matrix.id],
            "the list is in precedence order",
        )
        self.assertIn(
            "takes only the documents outside the filters of Newer matrix",
            self.matrix.overlap_warning,
        )
        other = self.make_doc(5000, partner=self.partner_2)
        self.assertEqual(self.route(other)[0], self.matrix)
        html = self.simulate(self.newer, other).result_html
        self.assertIn("Newer matrix</strong>: does not apply, the document is", html)
        self.assertIn("is governed by Test tester matrix, band", html)
        self.assertNotIn("partner_id", html)
        # the simulator takes the band of the matrix routing takes
        html = self.simulate(self.matrix, self.doc).result_html
        self.assertIn("is governed by Newer matrix", html)

    def test_alone_or_archived(self):
        self.newer.active = False
        self.assertFalse(self.matrix.overlap_warning)
        self.assertEqual(self.matrix.precedence_display, "Only one")
        self.assertIn("Once activated", self.newer.overlap_warning)
        html = self.simulate(self.newer, self.doc).result_html
        self.assertIn("it is archived", html)
