# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Once a reviewer decided on a possible duplicate, the bill keeps a visible
trace: a banner (who, when, what), a note in its chatter, and a Confirm
button that matches the verdict."""

from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged

from .common import GovAiAccountCase


@tagged("post_install", "-at_install")
class TestDuplicateReview(GovAiAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = cls.env["res.users"].create(
            {
                "name": "Bill Reviewer",
                "login": "gov_ai_acc_dup_reviewer",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("account.group_account_invoice").id,
                            cls.env.ref("gov_base.gov_base_group_approver").id,
                        ]
                    )
                ],
            }
        )

    def _twin(self):
        self.bill(1250.0, ref="INV-2026-0042", days_ago=5, post=True)
        twin = self.bill(1250.0, ref="INV 2026 42", days_ago=3)
        recommendation = self.recommendations(twin, self.uc_duplicate)
        self.assertEqual(recommendation.state, "proposed")
        return twin, recommendation

    def _notes(self, bill):
        return self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", bill.id),
                ("author_id", "=", self.reviewer.partner_id.id),
            ]
        )

    def test_not_a_duplicate_keeps_a_trace_and_confirm_stays_main(self):
        twin, recommendation = self._twin()
        self.assertFalse(twin.gov_ai_duplicate_verdict)
        self.env["gov.ai.decision.wizard"].with_user(self.reviewer).create(
            {
                "recommendation_ids": [Command.set(recommendation.ids)],
                "decision": "rejected",
                "reason": "Second delivery, new invoice",
            }
        ).action_confirm()
        twin.invalidate_recordset()
        self.assertFalse(twin.gov_ai_duplicate_hint)
        self.assertEqual(twin.gov_ai_duplicate_verdict, "not_duplicate")
        self.assertIn("Bill Reviewer reviewed", twin.gov_ai_duplicate_review)
        self.assertIn("not a duplicate", twin.gov_ai_duplicate_review)
        self.assertIn("Second delivery, new invoice", twin.gov_ai_duplicate_review)
        note = self._notes(twin)
        self.assertEqual(len(note), 1)
        self.assertIn("not a duplicate", str(note.body))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_confirmed_duplicate_keeps_a_trace_and_demotes_confirm(self):
        twin, recommendation = self._twin()
        recommendation.with_user(self.reviewer).action_accept()
        twin.invalidate_recordset()
        self.assertEqual(twin.gov_ai_duplicate_verdict, "duplicate")
        self.assertIn("Bill Reviewer confirmed", twin.gov_ai_duplicate_review)
        self.assertIn("is a duplicate", str(self._notes(twin).body))
        arch = etree.fromstring(
            self.env["account.move"].get_view(view_type="form")["arch"]
        )
        [main] = arch.xpath("//header/button[@name='action_post'][@string='Confirm']")
        self.assertIn("gov_ai_duplicate_verdict == 'duplicate'", main.get("invisible"))
        [anyway] = arch.xpath("//header/button[hasclass('o_gov_ai_confirm_anyway')]")
        self.assertIn(
            "gov_ai_duplicate_verdict != 'duplicate'", anyway.get("invisible")
        )
        self.assertTrue(anyway.get("confirm"))
