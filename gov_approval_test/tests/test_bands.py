# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which band, and so which route, a document takes."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestBands(TesterCase):
    def test_below_every_band_with_steps_confirms_at_once(self):
        doc = self.make_doc(999.99)
        self.assertIs(self.confirm(doc), True)
        self.assertEqual(doc.state, "confirmed")
        self.assertFalse(self.request_of(doc))
        self.assertEqual(doc.gov_approval_state, "none")

    def test_minimum_is_inclusive_and_maximum_exclusive(self):
        cases = [(1000, "Manager"), (9999.99, "Manager"), (10000, "Manager → Director")]
        for amount, route in cases:
            with self.subTest(amount=amount):
                doc = self.make_doc(amount)
                result = self.confirm(doc)
                self.assertEqual(result["tag"], "display_notification")
                self.assertEqual(doc.state, "draft")
                request = self.request_of(doc)
                self.assertEqual(request.state, "pending")
                self.assertEqual(request.line_id.route_display, route)
                self.assertEqual(request.amount, amount)
                self.assertEqual(doc.gov_approval_state, "pending")

    def test_amount_comes_from_the_lines(self):
        doc = self.make_doc(400)
        doc.write(
            {
                "line_ids": [
                    Command.create({"name": "More", "quantity": 3, "price_unit": 200})
                ]
            }
        )
        self.assertEqual(doc.amount, 1000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).line_id.route_display, "Manager")

    def test_no_band_allows_or_blocks_as_the_matrix_says(self):
        self.matrix.active = False
        strict = self.make_matrix(
            [(1000, 0, [self.step("Manager", self.manager)])], name="Strict"
        )
        allowed = self.make_doc(500)
        self.confirm(allowed)
        self.assertEqual(allowed.state, "confirmed")
        strict.no_match_policy = "block"
        blocked = self.make_doc(500)
        with self.assertRaisesRegex(UserError, "matches no approval band"):
            self.confirm(blocked)
        self.assertEqual(blocked.state, "draft")

    def test_a_band_without_steps_needs_no_approval(self):
        self.matrix.line_ids[1].min_amount = 2000
        self.matrix.line_ids[0].max_amount = 2000
        doc = self.make_doc(1500)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        self.assertFalse(self.request_of(doc))

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
        doc = self.make_doc(2000, partner=self.partner_2)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).step_ids.approver_ids, self.board[0])
        usual = self.make_doc(2000)
        self.confirm(usual)
        self.assertEqual(self.request_of(usual).line_id, line)

    def test_matrix_filter_limits_what_is_governed(self):
        self.matrix.domain = f"[('partner_id', '=', {self.partner_2.id})]"
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")
        governed = self.make_doc(5000, partner=self.partner_2)
        self.confirm(governed)
        self.assertEqual(governed.state, "draft")

    def test_first_matching_matrix_by_sequence_routes(self):
        self.matrix.sequence = 20
        first = self.make_matrix(
            [(0, 0, [self.step("Board", self.board[0])])], name="First", sequence=5
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(self.request_of(doc).matrix_id, first)
        # a matrix filtered out gives way to the next one
        first.domain = f"[('partner_id', '=', {self.partner_2.id})]"
        other = self.make_doc(5000)
        self.confirm(other)
        self.assertEqual(self.request_of(other).matrix_id, self.matrix)

    def test_matrices_of_another_company_do_not_apply(self):
        other = self.env["res.company"].create({"name": "Tester Other Co"})
        self.matrix.active = False
        self.make_matrix(
            [(0, 0, [self.step("Board", self.board[0])])], company_id=other.id
        )
        doc = self.make_doc(5000)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")


@tagged("post_install", "-at_install")
class TestCurrencies(TesterCase):
    """Amounts are converted to the company currency at the document date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_currency = cls.company.currency_id
        cls.other = (
            cls.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company_currency.id)], limit=1)
        )
        cls.other.active = True
        cls.other.rate_ids.unlink()
        # one unit is worth two company units in 2020, half a unit from 2025
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.other.id,
                    "rate": rate,
                    "name": day,
                    "company_id": cls.company.id,
                }
                for day, rate in (("2020-01-01", 0.5), ("2025-01-01", 2.0))
            ]
        )

    def test_the_rate_of_the_document_date_chooses_the_band(self):
        # 600 at the 2021 rate is 1,200: the manager band
        early = self.make_doc(600, currency=self.other, date="2021-06-01")
        self.confirm(early)
        request = self.request_of(early)
        self.assertEqual(request.currency_id, self.other)
        self.assertEqual(request.amount, 600)
        self.assertAlmostEqual(request.amount_company, 1200.0)
        self.assertEqual(request.line_id.min_amount, 1000)
        # the same 600 at the 2025 rate is 300: no approval
        late = self.make_doc(600, currency=self.other, date="2025-06-01")
        self.confirm(late)
        self.assertEqual(late.state, "confirmed")
        self.assertFalse(self.request_of(late))
        # 6,000 at the 2021 rate is 12,000: manager then director
        large = self.make_doc(6000, currency=self.other, date="2021-06-01")
        self.confirm(large)
        self.assertAlmostEqual(self.request_of(large).amount_company, 12000.0)
        self.assertEqual(
            self.request_of(large).line_id.route_display, "Manager → Director"
        )

    def test_the_snapshot_follows_a_change_of_rounding(self):
        """The decimals of the approved amount come from Odoo's cached list
        of currencies, which a change of rounding refreshes."""
        Request = self.env["gov.approval.request"]
        doc = self.make_doc(600, currency=self.other, date="2021-06-01")
        values, _digest = Request._snapshot_of(doc)
        self.assertEqual(values["amount"], "600.00")
        self.other.rounding = 0.001
        values, _digest = Request._snapshot_of(doc)
        self.assertEqual(values["amount"], "600.000")

    def test_company_currency_is_not_converted(self):
        doc = self.make_doc(5000, date="2021-06-01")
        self.confirm(doc)
        request = self.request_of(doc)
        self.assertEqual(request.currency_id, self.company.currency_id)
        self.assertEqual(request.amount_company, 5000)

    def test_a_currency_change_supersedes_the_approval(self):
        self.matrix.auto_resume = False
        doc = self.make_doc(5000, date="2021-06-01")
        self.confirm(doc)
        self.decide(doc, self.manager)
        request = self.request_of(doc)
        self.assertEqual(request.state, "approved")
        doc.with_user(self.requester).currency_id = self.other
        self.assertEqual(request.state, "superseded")
        self.confirm(doc)
        self.assertAlmostEqual(self.request_of(doc).amount_company, 10000.0)
        self.assertEqual(
            self.request_of(doc).line_id.route_display, "Manager → Director"
        )

    def test_a_date_change_that_moves_the_band_needs_a_new_approval(self):
        """The date chooses the rate, and so the band: an approval given at
        one date does not cover the document at a date of a higher band."""
        self.matrix.auto_resume = False
        # 6,000 at the 2025 rate is 3,000: the manager band
        doc = self.make_doc(6000, currency=self.other, date="2025-06-01")
        self.confirm(doc)
        self.decide(doc, self.manager)
        request = self.request_of(doc)
        self.assertEqual(request.state, "approved")
        # at the 2021 rate it is 12,000: the director must approve too
        doc.with_user(self.requester).date = "2021-06-01"
        self.confirm(doc)
        self.assertEqual(doc.state, "draft")
        self.assertEqual(
            self.request_of(doc).line_id.route_display, "Manager → Director"
        )
