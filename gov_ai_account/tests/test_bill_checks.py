# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools.sql import index_exists

from .common import GovAiAccountCase


@tagged("post_install", "-at_install")
class TestBillChecks(GovAiAccountCase):
    def test_rules_check_a_new_bill_created_by_an_invoicing_user(self):
        bill = (
            self.env["account.move"]
            .with_user(self.invoicing_user)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.partner_a.id,
                    "ref": "SUP-77",
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create({"name": "Paper", "price_unit": 80.0})
                    ],
                }
            )
        )
        found = self.recommendations(bill)
        self.assertEqual(found.use_case_id, self.uc_duplicate | self.uc_anomaly)
        duplicate = found.filtered(lambda r: r.use_case_id == self.uc_duplicate)
        self.assertEqual(duplicate.state, "clear")
        self.assertEqual(bill.gov_ai_recommendation_count, 2)
        self.assertFalse(bill.gov_ai_duplicate_hint)
        # customer invoices and credit notes are not vendor bills
        invoice = self.move("out_invoice", 80.0)
        self.assertFalse(self.recommendations(invoice))

    def test_duplicate_found_despite_ocr_confusions_and_leading_zeros(self):
        original = self.bill(1250.0, ref="INV-2026-0042", days_ago=5, post=True)
        # same reference and amount on a customer invoice: another kind of entry
        self.move("out_invoice", 1250.0, ref="INV-2026-0042", days_ago=5)
        cancelled = self.bill(1250.0, ref="INV-2026-0042", days_ago=4)
        cancelled.button_cancel()
        twin = self.bill(1250.0, ref="lNV 2O26/42", days_ago=3, narration="private")
        recommendation = self.recommendations(twin, self.uc_duplicate)
        self.assertEqual(recommendation.state, "proposed")
        self.assertEqual(recommendation.label, "duplicate")
        self.assertGreaterEqual(recommendation.confidence, 0.9)
        similar = recommendation.evidence["similar_records"]
        self.assertEqual([match["id"] for match in similar], original.ids)
        self.assertIn("same reference once normalised", recommendation.explanation)
        self.assertIn(original.name, twin.gov_ai_duplicate_hint)
        self.assertFalse(original.gov_ai_duplicate_hint)
        # data minimisation: only the four visible fields were read
        self.assertEqual(
            set(recommendation.input_data["values"]),
            {"partner_id", "ref", "amount_total", "invoice_date"},
        )
        self.assertNotIn("private", str(recommendation.input_data))
        # the hint goes away once a reviewer decided
        approver = self.env["res.users"].create(
            {
                "name": "Bill reviewer",
                "login": "gov_ai_acc_reviewer",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            self.env.ref("account.group_account_invoice").id,
                            self.env.ref("gov_base.gov_base_group_approver").id,
                        ]
                    )
                ],
            }
        )
        recommendation.with_user(approver).action_accept()
        twin.invalidate_recordset(["gov_ai_duplicate_hint"])
        self.assertFalse(twin.gov_ai_duplicate_hint)

    def test_rules_cost_a_bill_save_a_query_budget(self):
        """What the two checks add to an Invoicing user's save of a new bill:
        the same save with the rules on and off, each in a transaction of its
        own (the caches of the registry warm, as in a running server)."""
        rules = self.env.ref("gov_ai_account.base_automation_bill_checks")
        Move = self.env["account.move"].with_user(self.invoicing_user)

        def save(ref):
            # a new transaction: an empty cache, nothing asked or woken yet
            self.env.invalidate_all()
            data = self.env.cr.precommit.data
            for key in [key for key in data if key.startswith("gov_ai.")]:
                del data[key]
            before = self.env.cr.sql_log_count
            bill = Move.create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.partner_a.id,
                    "ref": ref,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Paper",
                                "price_unit": 80.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            self.env.flush_all()
            return bill, self.env.cr.sql_log_count - before

        rules.active = False
        save("SUP-1")
        _bill, off = save("SUP-2")
        rules.active = True
        save("SUP-3")
        bill, on = save("SUP-4")
        queued = self.Recommendation.search([("res_id", "=", bill.id)])
        self.assertEqual(queued.use_case_id, self.uc_duplicate | self.uc_anomaly)
        self.assertEqual(set(queued.mapped("state")), {"queued"})
        self.assertEqual(set(queued.mapped("history_watermark")), {bill.id})
        # asked again in the same transaction: the queued check stands
        again = self.Recommendation._run(
            self.uc_duplicate, bill, queue=True, in_save=True
        )
        self.assertEqual(
            again, queued.filtered(lambda r: r.use_case_id == again.use_case_id)
        )
        # the rule, its two actions and their checks of access, the two use
        # cases and their provider, two recommendations and the wake-up of
        # the scheduled action; nothing to look up about a bill nobody has
        # asked about yet, and the history it is checked against ends with it
        self.assertLessEqual(on - off, 12)

    def test_checks_are_answered_after_the_save_as_it_was_asked(self):
        original = self.bill(1250.0, ref="INV-2026-0042", days_ago=5, post=True)
        twin = self.bill(1250.0, ref="INV 2026 42", days_ago=3)
        queued = self.Recommendation.search(
            [("res_model", "=", "account.move"), ("res_id", "=", twin.id)]
        )
        self.assertEqual(queued.use_case_id, self.uc_duplicate | self.uc_anomaly)
        self.assertEqual(set(queued.mapped("state")), {"queued"})
        self.assertFalse(twin.gov_ai_duplicate_hint, "no answer inside the save")
        # a third copy entered later is not the original of the second one
        later = self.bill(1250.0, ref="INV-2026-42", days_ago=3)
        recommendation = self.recommendations(twin, self.uc_duplicate)
        self.assertEqual(recommendation, queued & recommendation)
        self.assertEqual(recommendation.state, "proposed")
        similar = [match["id"] for match in recommendation.evidence["similar_records"]]
        self.assertEqual(similar, original.ids)
        self.assertIn(original.name, twin.gov_ai_duplicate_hint)
        later_check = self.recommendations(later, self.uc_duplicate)
        self.assertIn(
            twin.id, [match["id"] for match in later_check.evidence["similar_records"]]
        )

    def test_duplicate_detector_has_a_query_budget(self):
        original = self.bill(1250.0, ref="INV-2026-0042", days_ago=5, post=True)
        for index in range(6):
            self.bill(100.0 + index, ref=f"INV-2026-01{index}", days_ago=index)
        twin = self.bill(1250.0, ref="INV 2026 42", days_ago=3)
        self.run_ai_queue()
        use_case = self.uc_duplicate.sudo()
        data, _fingerprint = use_case._minimised_input(twin)
        # the history and partners are read afresh; the configuration is
        # warm, as it is for all but the first check of a batch
        use_case._gov_ai_detect(twin, data)
        self.env["account.move"].invalidate_model()
        self.env["res.partner"].invalidate_model()
        # the bill's company and kind, the vendor and its twins (three), the
        # same reference, the closest bills, their values, the name of the
        # best match; with purchase bills matched too, the purchase order
        # lines of the bill (one query, none here)
        three_way = self.env["ir.module.module"]._get("gov_ai_purchase")
        with self.assertQueryCount(8 + (three_way.state == "installed")):
            answer = use_case._gov_ai_detect(twin, data)
        self.assertEqual(answer["label"], "duplicate")
        self.assertEqual(answer["evidence"]["similar_records"][0]["id"], original.id)
        # the searches are index lookups on large histories
        for index in (
            "gov_ai_account_move_partner_id_invoice_date_idx",
            "gov_ai_account_move_partner_id_amount_total_idx",
            "gov_ai_res_partner_name_key_idx",
            "gov_ai_res_partner_name_trgm_idx",
        ):
            self.assertTrue(index_exists(self.env.cr, index), index)

    def test_bill_of_another_amount_and_reference_is_no_duplicate(self):
        self.bill(1250.0, ref="INV-2026-0042", days_ago=5)
        other = self.bill(310.0, ref="INV-2026-0043", days_ago=60)
        recommendation = self.recommendations(other, self.uc_duplicate)
        self.assertEqual(recommendation.state, "clear")
        self.assertFalse(other.gov_ai_duplicate_hint)

    def test_anomaly_without_history_falls_back_to_a_person(self):
        bill = self.bill(500.0, ref="FIRST")
        recommendation = self.recommendations(bill, self.uc_anomaly)
        self.assertEqual(recommendation.label, "unknown")
        self.assertEqual(recommendation.state, "fallback")
        self.assertTrue(recommendation.exception_item_id)

    def test_anomaly_with_thin_vendor_history_uses_the_wider_baseline(self):
        for index in range(9):
            self.bill(100.0 + 10 * index, partner=self.partner_b, days_ago=index)
        for index in range(2):
            self.bill(100.0 + index, days_ago=index)
        unusual = self.bill(5000.0)
        recommendation = self.recommendations(unusual, self.uc_anomaly)
        assessment = recommendation.evidence["assessment"]
        self.assertEqual(assessment["baseline"], "global")
        self.assertEqual(assessment["n"], 11)
        self.assertEqual(recommendation.evidence["partner_baseline"]["n"], 2)
        self.assertEqual(recommendation.label, "anomaly")
        self.assertEqual(recommendation.state, "proposed")
        self.assertIn("whole model", recommendation.explanation)

    def test_anomaly_with_enough_vendor_history_uses_the_vendor(self):
        for index in range(9):
            self.bill(100.0 + 2 * index, days_ago=index + 1)
        # much larger bills of another vendor do not make this one unusual
        for index in range(3):
            self.bill(9000.0, partner=self.partner_b, days_ago=index)
        usual = self.bill(105.0)
        recommendation = self.recommendations(usual, self.uc_anomaly)
        self.assertEqual(recommendation.evidence["assessment"]["baseline"], "partner")
        self.assertEqual(recommendation.label, "normal")
        self.assertEqual(recommendation.state, "clear")
        unusual = self.bill(900.0)
        recommendation = self.recommendations(unusual, self.uc_anomaly)
        self.assertEqual(recommendation.label, "anomaly")
        self.assertIn("the partner's median", recommendation.explanation)

    def test_bill_filled_in_after_creation_is_checked_on_what_it_says_now(self):
        original = self.bill(1250.0, ref="INV-2026-0042", days_ago=5, post=True)
        # an empty draft (as made by a scan or an e-mail) says nothing yet
        draft = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.partner_a.id}
        )
        self.assertFalse(self.recommendations(draft))
        draft.write(
            {
                "ref": "INV-2026-0042",
                "invoice_date": self.day(3),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Paper",
                            "price_unit": 1250.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        first = self.recommendations(draft, self.uc_duplicate)
        self.assertEqual(first.state, "proposed")
        self.assertEqual(
            [match["id"] for match in first.evidence["similar_records"]],
            original.ids,
        )
        self.assertIn(original.name, draft.gov_ai_duplicate_hint)
        # asked again about the same values: the open answer stands
        self.assertEqual(draft._gov_ai_recommend(self.uc_duplicate), first)
        # a field the checks do not read changes nothing
        draft.narration = "Delivered on site"
        self.assertEqual(self.recommendations(draft, self.uc_duplicate), first)
        # the vendor corrects the reference: the open answer is outdated and
        # the bill is checked again on its new values
        draft.ref = "INV-2026-0099"
        found = self.recommendations(draft, self.uc_duplicate)
        self.assertEqual(len(found), 2)
        self.assertEqual(first.state, "outdated")
        latest = found - first
        self.assertEqual(latest.input_data["values"]["ref"], "INV-2026-0099")
        self.assertIn(latest.state, ("proposed", "clear"))
        # nobody is asked to review the outdated answer any more
        self.assertFalse(first.activity_ids)
        to_review = self.Recommendation.search(
            [("res_id", "=", draft.id), ("state", "=", "proposed")]
        )
        self.assertNotIn(first, to_review)
