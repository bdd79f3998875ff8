# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import PurchaseBillCase


@tagged("post_install", "-at_install")
class TestThreeWayMatch(PurchaseBillCase):
    def test_halves_of_a_received_line_with_suffixed_references(self):
        order = self.order(20)
        self.receive(order, 20)
        first = self.bill_from(order, "ORD-77-1", quantity=10, days_ago=1, post=True)
        second = self.bill_from(order, "ORD-77-2")
        self.assertEqual(second.invoice_line_ids.quantity, 10)
        self.assertEqual(second.amount_total, first.amount_total)
        answer = self.detect(second)
        self.assertFalse(answer["finding"])
        self.assertIn(
            f"{order.name} [DESK] Desk: 20 of 20 received units billed (10 now),"
            " within what may be billed",
            answer["explanation"],
        )
        [line] = answer["evidence"]["purchase_match"]
        self.assertEqual(
            (line["billed_before_posted"], line["billed_now"], line["billable"]),
            (10, 10, 20),
        )
        self.assertEqual(line["other_bills"], first.ids)
        self.assertFalse(line["over_billed"])

    def test_halves_under_the_order_reference_are_parts_not_duplicates(self):
        # the vendor quotes the order on both bills: same reference, same
        # amount, same day, which alone reads as a re-entry
        order = self.order(20)
        self.receive(order, 20)
        first = self.bill_from(order, order.name, quantity=10, post=True)
        second = self.bill_from(order, order.name)
        answer = self.detect(second)
        self.assertEqual(answer["label"], "unlikely_duplicate")
        self.assertFalse(answer["finding"])
        self.assertLess(answer["score"], self.uc_duplicate.review_threshold)
        self.assertEqual(self.similar(answer), first.ids)
        [match] = answer["evidence"]["similar_records"]
        self.assertIn("same reference once normalised", match["reasons"])
        self.assertIn(
            f"part 2 of {order.name}: 10 of 20 received units billed before, 10 now",
            match["reasons"],
        )
        self.assertIn("part 2 of", answer["explanation"])

    def test_the_same_half_entered_twice_when_only_half_was_received(self):
        order = self.order(20)
        self.receive(order, 10)
        first = self.bill_from(order, "ORD-78-1", days_ago=1, post=True)
        self.assertEqual(first.invoice_line_ids.quantity, 10)
        # typed again as if it were the second half: the suffix alone reads
        # as a split delivery
        again = self.bill_by_hand(order, "ORD-78-2", 10)
        answer = self.detect(again)
        self.assertEqual(answer["label"], "duplicate")
        self.assertTrue(answer["finding"])
        self.assertGreaterEqual(answer["score"], self.uc_duplicate.review_threshold)
        self.assertEqual(answer["summary"], f"Billed above what {order.name} allows")
        self.assertIn(
            f"billed 20 of 10 received on {order.name} line [DESK] Desk (10 now,"
            " 10 on posted and 0 on draft bills before)",
            answer["explanation"],
        )
        self.assertEqual(self.similar(answer), first.ids)
        # through the shipped rule, as a clerk's save asks it
        recommendation = self.recommendations(again, self.uc_duplicate)
        self.assertEqual(recommendation.state, "proposed")
        self.assertEqual(
            again.gov_ai_duplicate_hint, f"Billed above what {order.name} allows"
        )
        self.assertEqual(recommendation.similar_res_id, first.id)

    def test_over_billing_under_another_reference_counts_drafts(self):
        order = self.order(20)
        self.receive(order, 10)
        first = self.bill_from(order, "INV-5001", days_ago=3)
        self.assertEqual(first.state, "draft")
        other = self.bill_by_hand(order, "AB-77", 5)
        answer = self.detect(other)
        self.assertTrue(answer["finding"])
        self.assertIn(
            f"billed 15 of 10 received on {order.name} line [DESK] Desk (5 now,"
            " 0 on posted and 10 on draft bills before)",
            answer["explanation"],
        )
        [line] = answer["evidence"]["purchase_match"]
        self.assertTrue(line["over_billed"])
        self.assertEqual(self.similar(answer), first.ids)
        # once the first bill is cancelled, what is left fits the receipt
        first.button_cancel()
        answer = self.detect(other)
        self.assertFalse(answer["finding"])
        self.assertEqual(answer["evidence"]["purchase_match"][0]["other_bills"], [])

    def test_bills_entered_after_the_question_do_not_count(self):
        order = self.order(20)
        self.receive(order, 10)
        first = self.bill_from(order, "INV-4001")
        again = self.bill_by_hand(order, "INV-4002", 10)
        # both checks are answered after both saves, each on the history of
        # its own save: the first bill was within the receipt when entered
        first_check = self.recommendations(first, self.uc_duplicate).filtered(
            lambda r: r.state != "outdated"  # asked again once its date was set
        )
        self.assertEqual(first_check.state, "clear")
        self.assertEqual(first_check.evidence["purchase_match"][0]["other_bills"], [])
        again_check = self.recommendations(again, self.uc_duplicate)
        self.assertEqual(again_check.state, "proposed")
        self.assertIn("billed 20 of 10 received", again_check.explanation)

    def test_credit_note_gives_the_billed_quantity_back(self):
        order = self.order(20)
        self.receive(order, 10)
        first = self.bill_from(order, "INV-6001", days_ago=5, post=True)
        reversal = first._reverse_moves(
            [{"invoice_date": self.day(4), "ref": "CN-6001"}]
        )
        reversal.action_post()
        again = self.bill_by_hand(order, "INV-6002", 10)
        answer = self.detect(again)
        self.assertFalse(answer["finding"])
        [line] = answer["evidence"]["purchase_match"]
        self.assertEqual((line["billed_before_posted"], line["billed_now"]), (0, 10))

    def test_products_billed_on_ordered_quantities(self):
        order = self.order(20, product=self.service)
        first = self.bill_from(order, order.name, quantity=10, post=True)
        second = self.bill_by_hand(order, order.name, 10)
        answer = self.detect(second)
        self.assertFalse(answer["finding"])
        self.assertIn(
            f"part 2 of {order.name}: 10 of 20 ordered units billed before, 10 now",
            answer["evidence"]["similar_records"][0]["reasons"],
        )
        self.assertEqual(self.similar(answer), first.ids)
        third = self.bill_by_hand(order, "ASM-3", 1)
        answer = self.detect(third)
        self.assertTrue(answer["finding"])
        self.assertIn(
            f"billed 21 of 20 ordered on {order.name} line [ASM] Assembly",
            answer["explanation"],
        )

    def test_bill_without_purchase_lines_is_checked_as_before(self):
        order = self.order(20)
        self.receive(order, 10)
        first = self.bill_from(order, "INV-7001", days_ago=2, post=True)
        # the same bill typed again without the order
        typed = self.bill(first.amount_total, ref="INV-7001", days_ago=1)
        self.assertFalse(typed.invoice_line_ids.purchase_line_id)
        answer = self.detect(typed)
        self.assertTrue(answer["finding"])
        self.assertEqual(
            answer["summary"], f"Possible duplicate of {first.display_name}"
        )
        self.assertNotIn("purchase_match", answer["evidence"])
        self.assertNotIn("Three-way match", answer["explanation"])

    def test_a_bill_outside_the_order_is_not_cleared_by_it(self):
        order = self.order(20)
        self.receive(order, 20)
        typed = self.bill(500.0, ref="INV-8001", days_ago=2, post=True)
        # the order's bill repeats a bill typed without the order: within the
        # receipt, but that bill is no part of the order
        billed = self.bill_from(order, "INV-8001", quantity=10)
        self.assertEqual(billed.amount_total, typed.amount_total)
        answer = self.detect(billed)
        self.assertTrue(answer["finding"])
        self.assertEqual(self.similar(answer), typed.ids)
        self.assertIn("Three-way match", answer["explanation"])

    def test_three_way_match_reads_all_lines_in_one_query(self):
        order = self.order(20, lines=3)
        self.receive(order, 20)
        self.bill_from(order, "INV-9001", quantity=5, days_ago=3, post=True)
        self.bill_from(order, "INV-9002", quantity=5, days_ago=2)
        bill = self.bill_from(order, "INV-9003", quantity=5)
        use_case = self.uc_duplicate.sudo()
        # the configuration is warm, the bills and orders are read afresh
        use_case._duplicate_context(bill, [])
        for model in ("account.move", "account.move.line", "purchase.order.line"):
            self.env[model].invalidate_model()
        with self.assertQueryCount(1):
            context = use_case._duplicate_context(bill, [])
        self.assertEqual(len(context["evidence"]["purchase_match"]), 3)
        self.assertEqual(len(context["cleared"]), 2)
